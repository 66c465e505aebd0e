//! `/feedback/{token}`: the survey an attendee is invited to after the event (see
//! `email::scheduler`). The token in the link reaches this one invitation, nothing else.
//! Korean by default; the language of the person's emails, or `?lang=`. Answering again
//! replaces the earlier answers; sending answers 303 to the page, which thanks once. Every answer is `no-store` and `no-referrer`, and the POST
//! passes the pages' rate limit and CSRF check.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use sea_orm::DatabaseConnection;

use super::flash::{self, Flash};
use super::i18n::Words;
use super::post::{FormPost, Refillable};
use super::{
    Page, Privacy, WebState, failure_or_not_found, link, render, requested_lang, with_cookie,
};
use crate::clock::Clock;
use crate::error::ApiError;
use crate::feedback::store::{self, Invitation};
use crate::feedback::{COMMENT_MAX_CHARS, ComeAgain, Field, Problem, Rating, RawAnswers};
use crate::registration::Language;

/// The survey's own texts, in both languages.
pub struct FeedbackStrings {
    pub title: &'static str,
    pub answered_notice: &'static str,
    /// The form came back after its token expired.
    pub resend_notice: &'static str,
    pub rating_label: &'static str,
    pub rating_hint: &'static str,
    /// The labels of ratings 1 to 5.
    pub ratings: [&'static str; 5],
    pub best_part_label: &'static str,
    pub change_next_label: &'static str,
    pub come_again_label: &'static str,
    pub yes: &'static str,
    pub maybe: &'static str,
    pub no: &'static str,
    pub submit: &'static str,
    pub thanks_title: &'static str,
    pub thanks_text: &'static str,
    pub change_answers: &'static str,
    pub not_found_text: &'static str,
    pub rating_missing: &'static str,
    pub rating_invalid: &'static str,
    pub choose_one: &'static str,
    pub choose_listed: &'static str,
}

static KO: FeedbackStrings = FeedbackStrings {
    title: "행사 설문",
    answered_notice: "이미 답해 주셨습니다. 고칠 곳을 고쳐 다시 보내시면 새 답으로 바뀝니다.",
    resend_notice: "보안 확인 시간이 지나 답이 아직 저장되지 않았습니다. 입력하신 내용은 그대로 있으니 한 번 더 보내 주세요.",
    rating_label: "행사는 전체적으로 어떠셨나요?",
    rating_hint: "1은 아쉬웠음, 5는 아주 좋았음입니다.",
    ratings: [
        "1 (아쉬웠어요)",
        "2",
        "3 (보통이었어요)",
        "4",
        "5 (아주 좋았어요)",
    ],
    best_part_label: "가장 좋았던 점",
    change_next_label: "내년에 바뀌었으면 하는 점",
    come_again_label: "내년에도 오시겠어요?",
    yes: "네",
    maybe: "아마도",
    no: "아니요",
    submit: "보내기",
    thanks_title: "감사합니다",
    thanks_text: "소중한 의견 감사합니다. 내년 행사를 준비하는 데 쓰겠습니다.",
    change_answers: "답 고치기",
    not_found_text: "설문 링크를 찾을 수 없습니다. 메일에 있는 링크를 그대로 열어 주세요.",
    rating_missing: "전체 만족도를 골라 주세요.",
    rating_invalid: "1부터 5 사이에서 골라 주세요.",
    choose_one: "하나를 골라 주세요.",
    choose_listed: "보기 중에서 골라 주세요.",
};

static EN: FeedbackStrings = FeedbackStrings {
    title: "Event feedback",
    answered_notice: "You have answered already. Change anything below and send it again to \
                      replace your answers.",
    resend_notice: "The form's security check timed out, so your answers are not saved yet. \
                    Everything you chose and typed is still here: please send it once more.",
    rating_label: "Overall, how was the event?",
    rating_hint: "1 is poor, 5 is excellent.",
    ratings: ["1 (poor)", "2", "3 (fair)", "4", "5 (excellent)"],
    best_part_label: "The best part",
    change_next_label: "What should change next year",
    come_again_label: "Would you come again?",
    yes: "Yes",
    maybe: "Maybe",
    no: "No",
    submit: "Send",
    thanks_title: "Thank you",
    thanks_text: "Thank you for your feedback. We will use it to plan next year's homecoming.",
    change_answers: "Change your answers",
    not_found_text: "We could not find this survey link. Please open the link exactly as it \
                     is in the email.",
    rating_missing: "Please choose a rating.",
    rating_invalid: "Please choose a rating from 1 to 5.",
    choose_one: "Please choose one of the answers.",
    choose_listed: "Please choose one of the listed answers.",
};

fn strings(lang: Language) -> &'static FeedbackStrings {
    match lang {
        Language::Ko => &KO,
        Language::En => &EN,
    }
}

/// "김 서연님, …에 와 주셔서 감사합니다. …" / "Thank you for coming to …, Jane. …"
fn intro(lang: Language, name: &str, event: &str) -> String {
    match lang {
        Language::Ko => format!(
            "{name}님, {event}에 와 주셔서 감사합니다. 내년 행사를 더 좋게 만들 수 있도록 \
                 의견을 들려주세요."
        ),
        Language::En => format!(
            "Thank you for coming to {event}, {name}. Please tell us how to make next \
                 year's better."
        ),
    }
}

struct Choice {
    id: String,
    value: &'static str,
    label: &'static str,
    checked: bool,
}

/// A group of radio buttons.
struct ChoiceField {
    error: Option<String>,
    choices: Vec<Choice>,
}

struct TextField {
    value: String,
    error: Option<String>,
}

/// A line of the error summary above the form.
struct SummaryItem {
    href: String,
    label: &'static str,
    message: String,
}

#[derive(Template)]
#[template(path = "feedback.html")]
struct FeedbackPage {
    page: Page,
    s: &'static FeedbackStrings,
    event_title: String,
    intro: String,
    /// The thank-you state instead of the form.
    thanks: bool,
    /// Answered before: the form is prefilled.
    answered: bool,
    /// The answers came back because the form's token had expired: send them again.
    resend: bool,
    action: String,
    csrf: String,
    /// The form again (from the thank-you state).
    form_href: String,
    summary: Vec<SummaryItem>,
    rating: ChoiceField,
    best_part: TextField,
    change_next: TextField,
    come_again: ChoiceField,
    max_chars: usize,
}

fn feedback_path(token: &str) -> String {
    format!("/feedback/{token}")
}

/// The message beside a field.
fn message(lang: Language, field: Field, problem: Problem) -> String {
    let s = strings(lang);
    match (field, problem) {
        (_, Problem::TooLong) => lang.too_long(COMMENT_MAX_CHARS),
        (Field::Rating, Problem::Missing) => s.rating_missing.into(),
        (Field::Rating, Problem::Invalid) => s.rating_invalid.into(),
        (_, Problem::Missing) => s.choose_one.into(),
        (_, Problem::Invalid) => s.choose_listed.into(),
    }
}

fn label(s: &FeedbackStrings, field: Field) -> &'static str {
    match field {
        Field::Rating => s.rating_label,
        Field::BestPart => s.best_part_label,
        Field::ChangeNext => s.change_next_label,
        Field::ComeAgain => s.come_again_label,
    }
}

fn field_id(field: Field) -> String {
    format!("f-{}", field.name())
}

/// The page: the form with `values` and `errors`, or the thank-you state.
fn survey_page(
    lang: Language,
    token: &str,
    invitation: &Invitation,
    values: &RawAnswers,
    errors: &[(Field, Problem)],
    thanks: bool,
    csrf_token: String,
) -> FeedbackPage {
    let s = strings(lang);
    let path = feedback_path(token);
    let error = |field: Field| {
        errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(f, problem)| message(lang, *f, *problem))
    };
    let rating = ChoiceField {
        error: error(Field::Rating),
        choices: Rating::ALL
            .iter()
            .zip(s.ratings)
            .map(|(rating, label)| {
                let value = ["1", "2", "3", "4", "5"][usize::from(rating.get() - 1)];
                Choice {
                    id: format!("f-rating-{value}"),
                    value,
                    label,
                    checked: values.rating.trim() == value,
                }
            })
            .collect(),
    };
    let come_again = ChoiceField {
        error: error(Field::ComeAgain),
        choices: ComeAgain::ALL
            .iter()
            .map(|answer| Choice {
                id: format!("f-come_again-{}", answer.as_str()),
                value: answer.as_str(),
                label: match answer {
                    ComeAgain::Yes => s.yes,
                    ComeAgain::Maybe => s.maybe,
                    ComeAgain::No => s.no,
                },
                checked: values.come_again.trim() == answer.as_str(),
            })
            .collect(),
    };
    FeedbackPage {
        page: Page::new(
            lang,
            lang.page_title(
                if thanks { s.thanks_title } else { s.title },
                &invitation.event_title,
            ),
            &path,
        ),
        s,
        event_title: invitation.event_title.clone(),
        intro: intro(lang, &invitation.name, &invitation.event_title),
        thanks,
        answered: invitation.answers.is_some(),
        resend: false,
        action: link(&path, lang),
        csrf: csrf_token,
        form_href: link(&path, lang),
        summary: errors
            .iter()
            .map(|(field, problem)| SummaryItem {
                href: format!("#{}", field_id(*field)),
                label: label(s, *field),
                message: message(lang, *field, *problem),
            })
            .collect(),
        rating,
        best_part: TextField {
            value: values.best_part.clone(),
            error: error(Field::BestPart),
        },
        change_next: TextField {
            value: values.change_next.clone(),
            error: error(Field::ChangeNext),
        },
        come_again,
        max_chars: COMMENT_MAX_CHARS,
    }
}

/// An unknown token: a 404 page, neither cached nor passed on as a referrer.
fn unknown(req: &HttpRequest, lang: Language, error: ApiError) -> HttpResponse {
    failure_or_not_found(req, lang, error, strings(lang).not_found_text)
}

/// `?lang=`, else the language of the person's emails.
fn lang_for(req: &HttpRequest, invitation: &Invitation) -> Language {
    requested_lang(req).unwrap_or(invitation.language)
}

pub async fn show(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    state: web::Data<WebState>,
    token: web::Path<String>,
) -> HttpResponse {
    let invitation = match store::find_by_token(db.get_ref(), &token).await {
        Ok(invitation) => invitation,
        Err(error) => return unknown(&req, super::negotiate(&req), error.into()),
    };
    let lang = lang_for(&req, &invitation);
    let values = invitation
        .answers
        .as_ref()
        .map(RawAnswers::from)
        .unwrap_or_default();
    // Right after sending: the thank-you state, once.
    let (done, cleared) = flash::take(&req, &feedback_path(&token));
    let thanks = done == Some(Flash::FeedbackSent);
    let (csrf_token, cookie) = state.csrf.for_form(&req);
    let page = survey_page(lang, &token, &invitation, &values, &[], thanks, csrf_token);
    let response = with_cookie(render(StatusCode::OK, Privacy::Private, &page), cookie);
    with_cookie(response, cleared)
}

/// Stores the answers (replacing earlier ones), or shows the form again with what is wrong.
pub async fn submit(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    clock: web::Data<Clock>,
    token: web::Path<String>,
    post: FormPost<Refillable>,
) -> HttpResponse {
    let csrf_token = post.csrf_token();
    let renewed = post.renewed_token();
    let invitation = match store::find_by_token(db.get_ref(), &token).await {
        Ok(invitation) => invitation,
        Err(error) => return unknown(&req, post.lang, error.into()),
    };
    let lang = lang_for(&req, &invitation);
    let text = |key: &str| post.data.text(key).to_string();
    let values = RawAnswers {
        rating: text(Field::Rating.name()),
        best_part: text(Field::BestPart.name()),
        change_next: text(Field::ChangeNext.name()),
        come_again: text(Field::ComeAgain.name()),
    };
    if let Some((_, cookie)) = renewed {
        // A restart or a lost cookie: nothing is saved, and the answers come back as given
        // with a fresh token, asking only to send them again.
        let mut page = survey_page(lang, &token, &invitation, &values, &[], false, csrf_token);
        page.resend = true;
        return with_cookie(
            render(StatusCode::BAD_REQUEST, Privacy::Private, &page),
            cookie,
        );
    }
    let answers = match values.parse() {
        Ok(answers) => answers,
        Err(errors) => {
            let page = survey_page(
                lang,
                &token,
                &invitation,
                &values,
                &errors,
                false,
                csrf_token,
            );
            return render(StatusCode::UNPROCESSABLE_ENTITY, Privacy::Private, &page);
        }
    };
    if let Err(error) = store::save(db.get_ref(), invitation.id, &answers, clock.now()).await {
        return unknown(&req, lang, error.into());
    }
    flash::see_other_with(&feedback_path(&token), &link("", lang), Flash::FeedbackSent)
}
