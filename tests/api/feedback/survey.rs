//! The survey's whole story: the invitation a day after the event, the form behind its link
//! (CSRF, inline errors, changing one's answers), the organizer's figures year over year and
//! what erasing a person leaves of their answers.

use chrono::{DateTime, TimeDelta, Utc};
use mailparse::MailHeaderMap;
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, SET_COOKIE};
use serde_json::{Value, json};

use crate::helpers::feedback::figures;
use crate::helpers::fixtures::{event_starting_in, register};
use crate::helpers::forms::{OpenForm, between, browser, header, open_form, post_form};
use crate::helpers::mail::{app_with_sink, message_for, parse, part, subject};
use crate::helpers::smtp_sink::{Captured, SmtpSink};
use crate::helpers::{TestApp, expect_status, id};

/// Opens the form and sends `fields` with its token: status and page.
async fn answer(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let form = open_form(app, path).await;
    let mut fields = fields.to_vec();
    fields.push(("csrf", &form.csrf));
    let response = post_form(app, path, Some(&form.cookie), &fields).await;
    assert_eq!(header(&response, CACHE_CONTROL), "no-store");
    // Answers that are taken lead (303) to the page, which thanks once.
    if response.status() == StatusCode::SEE_OTHER {
        return crate::helpers::pages::follow(app, &response).await;
    }
    let status = response.status();
    (status, response.text().await.unwrap())
}

async fn check_in(app: &TestApp, event: &Value, registration: &Value) {
    let result = expect_status(
        app.post(
            &format!("/api/v1/events/{}/check-ins", id(event)),
            &json!({"code": registration["checkin_code"]}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(result["result"], "checked_in", "{result}");
}

fn ends_at(event: &Value) -> DateTime<Utc> {
    event["ends_at"].as_str().unwrap().parse().unwrap()
}

/// The survey link's path from the one survey email sent to `address`.
fn survey_path(messages: &[Captured], address: &str, subject_has: &str) -> String {
    let surveys: Vec<_> = message_for(messages, address)
        .into_iter()
        .map(parse)
        .filter(|mail| subject(mail).contains(subject_has))
        .collect();
    assert_eq!(surveys.len(), 1, "one survey for {address}");
    let mail = &surveys[0];
    let unsubscribe = mail
        .headers
        .get_first_value("List-Unsubscribe")
        .expect("surveys carry List-Unsubscribe");
    assert!(unsubscribe.contains("/unsubscribe/"), "{unsubscribe}");
    let text = part(mail, "text/plain").unwrap().get_body().unwrap();
    let token = between(&text, "/feedback/", "\n")
        .unwrap_or_else(|| panic!("a survey link in {text}"))
        .trim();
    format!("/feedback/{token}")
}

/// Last year's event and this one, both ending soon on the app's clock: last year one person
/// came; this year Seoyeon (Korean) and Jane (English) came and one registrant stayed away.
struct TwoYears {
    last_year: Value,
    event: Value,
    title: String,
    veteran: Value,
}

/// The survey links each attendee was sent.
struct SurveyLinks {
    korean: String,
    english: String,
    old: String,
}

async fn two_years_of_attendees(app: &TestApp, sink: &SmtpSink) -> TwoYears {
    // Far enough ahead that no reminder is due while registering.
    let last_year = event_starting_in(app, TimeDelta::hours(36), 10).await;
    let event = event_starting_in(app, TimeDelta::hours(60), 10).await;
    let title = event["title"].as_str().unwrap().to_string();
    let veteran = register(app, &last_year, "Old Timer", "old@example.com", "en").await;
    check_in(app, &last_year, &veteran).await;
    let seoyeon = register(app, &event, "김 서연", "seoyeon@example.com", "ko").await;
    let jane = register(app, &event, "Jane Doe", "jane@example.com", "en").await;
    register(app, &event, "박 결석", "absent@example.com", "ko").await;
    check_in(app, &event, &seoyeon).await;
    check_in(app, &event, &jane).await;
    sink.wait_for(4).await;
    TwoYears {
        last_year,
        event,
        title,
        veteran,
    }
}

/// Surveys go out a day after each event ends, only to those who checked in.
async fn surveys_go_out_a_day_after_the_end(
    app: &TestApp,
    sink: &SmtpSink,
    years: &TwoYears,
) -> SurveyLinks {
    let TwoYears { event, title, .. } = years;
    // Nothing before the survey is due.
    app.clock.set(ends_at(event) + TimeDelta::hours(23));
    sink.wait_for(5).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        sink.messages().len(),
        5,
        "only last year's survey (its event ended a day earlier)"
    );
    // A day and a minute after the end.
    app.clock
        .set(ends_at(event) + TimeDelta::hours(24) + TimeDelta::minutes(1));
    let messages = sink.wait_for(7).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        sink.messages().len(),
        7,
        "one survey per checked-in attendee"
    );
    assert_eq!(
        message_for(&messages, "absent@example.com").len(),
        1,
        "not checked in: the confirmation only"
    );
    let korean = survey_path(&messages, "seoyeon@example.com", "어떠셨나요");
    let english = survey_path(&messages, "jane@example.com", "How was");
    let old = survey_path(&messages, "old@example.com", "How was");
    assert!(
        message_for(&messages, "seoyeon@example.com")
            .iter()
            .any(|m| subject(&parse(m)) == format!("{title}, 어떠셨나요?"))
    );

    SurveyLinks {
        korean,
        english,
        old,
    }
}

/// The form, in the language of each person's emails; returns Seoyeon's open form.
async fn the_form_speaks_each_persons_language(
    app: &TestApp,
    links: &SurveyLinks,
    title: &str,
) -> OpenForm {
    let SurveyLinks {
        korean, english, ..
    } = links;
    let form = open_form(app, korean).await;
    assert!(form.html.contains("<html lang=\"ko\""), "{}", form.html);
    assert!(form.html.contains("행사 설문"));
    assert!(form.html.contains("김 서연님"));
    // (the title's "&" is escaped)
    assert!(form.html.contains(title.split_once('&').unwrap().1));
    assert!(form.html.contains("name=\"rating\" value=\"5\""));
    assert!(form.html.contains("name=\"come_again\" value=\"maybe\""));
    assert!(!form.html.contains("id=\"answered\""), "not answered yet");
    let jane_form = open_form(app, english).await;
    assert!(jane_form.html.contains("<html lang=\"en\""));
    assert!(jane_form.html.contains("Overall, how was the event?"));
    assert!(jane_form.html.contains("Jane Doe"));
    let switched = open_form(app, &format!("{korean}?lang=en")).await;
    assert!(switched.html.contains("Event feedback"));

    form
}

/// Invalid answers: inline messages, what was typed kept, nothing stored.
async fn invalid_answers_are_shown_inline_and_not_stored(
    app: &TestApp,
    korean: &str,
    event: &Value,
) {
    let (status, html) = answer(
        app,
        korean,
        &[("rating", "7"), ("best_part", "  발표가 좋았어요 ")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"f-rating-error\""), "{html}");
    assert!(html.contains("1부터 5 사이에서 골라 주세요."), "{html}");
    assert!(html.contains("id=\"f-come_again-error\""), "{html}");
    assert!(html.contains("하나를 골라 주세요."), "{html}");
    assert!(html.contains("  발표가 좋았어요 </textarea>"), "{html}");
    assert!(!html.contains("id=\"f-best_part-error\""));
    let long = "가".repeat(2001);
    let (status, html) = answer(
        app,
        korean,
        &[
            ("rating", "4"),
            ("change_next", &long),
            ("come_again", "yes"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("2000자 이내로 입력해 주세요."), "{html}");
    assert!(html.contains("value=\"4\" checked"), "{html}");
    assert_eq!(figures(app, event).await["event"]["responses"], 0);
}

/// Without the CSRF cookie (a restart, a lost cookie), or with a forged token: nothing is
/// stored, and the form comes back with the answers as given and a fresh token.
async fn answers_without_the_forms_token_are_refused(
    app: &TestApp,
    korean: &str,
    form: &OpenForm,
    event: &Value,
) {
    let valid = [
        ("rating", "4"),
        ("come_again", "yes"),
        ("best_part", "발표 뒤 네트워킹"),
    ];
    let mut fields = valid.to_vec();
    fields.push(("csrf", &form.csrf));
    let response = post_form(app, korean, None, &fields).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let cookie = header(&response, SET_COOKIE);
    let html = response.text().await.unwrap();
    assert!(html.contains("한 번 더 보내 주세요."), "{html}");
    assert!(html.contains("value=\"4\" checked"), "the rating as given");
    assert!(html.contains("발표 뒤 네트워킹"), "the words as typed");
    let fresh = between(&html, "name=\"csrf\" value=\"", "\"").unwrap();
    assert_ne!(fresh, form.csrf);
    assert!(cookie.starts_with(&format!("hc_csrf={fresh}")), "{cookie}");
    let forged = "AAAAAAAAAAAAAAAAAAAAAA.AAAA";
    let mut fields = valid.to_vec();
    fields.push(("csrf", forged));
    let response = post_form(app, korean, Some(&format!("hc_csrf={forged}")), &fields).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(figures(app, event).await["event"]["responses"], 0);
}

/// Valid answers are thanked; the form then comes back prefilled, and a second answer
/// replaces the first.
async fn an_answer_is_thanked_and_can_be_changed(app: &TestApp, korean: &str) {
    let (status, html) = answer(
        app,
        korean,
        &[
            ("rating", "4"),
            ("best_part", " 선배들의 발표 "),
            ("change_next", ""),
            ("come_again", "yes"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("id=\"outcome\""), "{html}");
    assert!(html.contains("감사합니다"));
    // The form again (Reload thanks no more), prefilled; a second answer replaces the first.
    let again = open_form(app, korean).await;
    assert!(again.html.contains("id=\"answered\""), "{}", again.html);
    assert!(again.html.contains("value=\"4\" checked"));
    assert!(again.html.contains("value=\"yes\" checked"));
    assert!(again.html.contains(">선배들의 발표</textarea>"));
    let (status, _) = answer(
        app,
        korean,
        &[
            ("rating", "5"),
            ("best_part", "선배들의 발표"),
            ("change_next", "더 긴 쉬는 시간"),
            ("come_again", "maybe"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

/// The organizer's figures for this year, with last year's beside them.
async fn organizers_see_this_year_beside_last_year(app: &TestApp, years: &TwoYears) {
    let TwoYears {
        last_year,
        event,
        title,
        ..
    } = years;
    let report = figures(app, event).await;
    let figures_now = &report["event"];
    assert_eq!(figures_now["event_id"], id(event), "{report}");
    assert_eq!(figures_now["title"], title.as_str());
    assert_eq!(figures_now["invited"], 2, "{report}");
    assert_eq!(
        figures_now["responses"], 1,
        "one response, changed: {report}"
    );
    assert_eq!(figures_now["response_rate"], 0.5);
    assert_eq!(figures_now["average_rating"], 5.0);
    assert_eq!(
        figures_now["distribution"],
        json!({"1": 0, "2": 0, "3": 0, "4": 0, "5": 1})
    );
    assert_eq!(
        figures_now["come_again"],
        json!({"yes": 0, "maybe": 1, "no": 0})
    );
    assert_eq!(figures_now["best_parts"], json!(["선배들의 발표"]));
    assert_eq!(figures_now["changes"], json!(["더 긴 쉬는 시간"]));
    assert_eq!(
        report["earlier"][0]["event_id"],
        id(last_year),
        "last year invited someone: {report}"
    );
    assert_eq!(report["earlier"][0]["responses"], 0);
    assert_eq!(report["earlier"][0]["average_rating"], Value::Null);
}

/// Last year's survey answered, in English, shows up in both years' reports.
async fn last_years_survey_is_answered_in_english(app: &TestApp, old: &str, years: &TwoYears) {
    let TwoYears {
        last_year, event, ..
    } = years;
    let (status, html) = answer(
        app,
        old,
        &[
            ("rating", "3"),
            ("come_again", "no"),
            ("change_next", "More food"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Thank you for your feedback"), "{html}");
    let report = figures(app, event).await;
    let earlier = report["earlier"].as_array().unwrap();
    assert_eq!(earlier.len(), 1, "{report}");
    assert_eq!(earlier[0]["invited"], 1);
    assert_eq!(earlier[0]["responses"], 1);
    assert_eq!(earlier[0]["response_rate"], 1.0);
    assert_eq!(earlier[0]["average_rating"], 3.0);
    assert_eq!(earlier[0]["come_again"]["no"], 1);
    assert_eq!(earlier[0]["changes"], json!(["More food"]));
    assert_eq!(earlier[0]["best_parts"], json!([]));
    let before = figures(app, last_year).await;
    assert_eq!(before["earlier"], json!([]), "nothing started before it");
    assert_eq!(before["event"]["responses"], 1);
}

/// Erasing the person keeps their anonymous rating but drops their words and their link.
async fn erasing_keeps_the_rating_but_not_the_words(app: &TestApp, old: &str, years: &TwoYears) {
    let TwoYears {
        last_year, veteran, ..
    } = years;
    expect_status(
        app.delete(&format!(
            "/api/v1/people/{}",
            veteran["person_id"].as_str().unwrap()
        ))
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    let after = figures(app, last_year).await;
    assert_eq!(after["event"]["responses"], 1, "{after}");
    assert_eq!(after["event"]["average_rating"], 3.0);
    assert_eq!(after["event"]["changes"], json!([]), "{after}");
    let gone = browser().get(app.url(old)).send().await.unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn checked_in_attendees_answer_the_survey_and_organizers_see_it_year_over_year() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink, None, true).await;
    let years = two_years_of_attendees(&app, &sink).await;
    let links = surveys_go_out_a_day_after_the_end(&app, &sink, &years).await;
    let form = the_form_speaks_each_persons_language(&app, &links, &years.title).await;
    invalid_answers_are_shown_inline_and_not_stored(&app, &links.korean, &years.event).await;
    answers_without_the_forms_token_are_refused(&app, &links.korean, &form, &years.event).await;
    an_answer_is_thanked_and_can_be_changed(&app, &links.korean).await;
    organizers_see_this_year_beside_last_year(&app, &years).await;
    last_years_survey_is_answered_in_english(&app, &links.old, &years).await;
    erasing_keeps_the_rating_but_not_the_words(&app, &links.old, &years).await;
}
