//! The registration form: reading a submitted body into `RegistrationInput`, keeping what the
//! person typed, and laying out the fields (with their inline errors) for the templates.
//!
//! The same form serves a new registration and the manage page's "change your answers"; only
//! the email field differs (read-only there).

use std::collections::BTreeMap;

use uuid::Uuid;

use super::i18n::Words;
use crate::error::FieldError;
use crate::registration::questions::{Question, QuestionKind};
use crate::registration::store::Registration;
use crate::registration::{Answer, Goal, Language, RegistrationInput, Role};

/// The hidden field people leave empty and bots fill in.
pub const HONEYPOT: &str = "website_url";

/// Networking goals with their form values (the same words as the JSON API).
pub const GOALS: [(Goal, &str); 5] = [
    (Goal::FindMentor, "find_mentor"),
    (Goal::Mentor, "mentor"),
    (Goal::Hiring, "hiring"),
    (Goal::JobSeeking, "job_seeking"),
    (Goal::MeetPeople, "meet_people"),
];

const ROLES: [Role; 3] = [Role::Student, Role::Alumni, Role::Guest];

/// An `application/x-www-form-urlencoded` body, with repeated keys (checkboxes) kept.
pub struct FormData {
    pairs: Vec<(String, String)>,
}

impl FormData {
    pub fn parse(body: &[u8]) -> Self {
        Self {
            pairs: url::form_urlencoded::parse(body).into_owned().collect(),
        }
    }

    pub fn first(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self, key: &str) -> String {
        self.first(key).unwrap_or_default().to_string()
    }

    fn all(&self, key: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.trim().is_empty())
            .collect()
    }
}

/// What the person entered, as text, to show the form again exactly as it was.
#[derive(Debug, Clone, Default)]
pub struct FormValues {
    pub name: String,
    pub email: String,
    pub role: String,
    pub admission_year: String,
    pub graduation_year: String,
    pub affiliation: String,
    pub job_title: String,
    pub interests: Vec<String>,
    pub interests_other: String,
    pub goals: Vec<String>,
    pub speakers: Vec<String>,
    pub consent: bool,
    pub language: String,
    pub answers: BTreeMap<Uuid, Vec<String>>,
}

fn answer_field(id: Uuid) -> String {
    format!("answers.{id}")
}

impl FormValues {
    /// An empty form; emails default to the page's language.
    pub fn blank(lang: Language) -> Self {
        Self {
            language: lang.as_str().into(),
            ..Default::default()
        }
    }

    pub fn from_form(data: &FormData, questions: &[Question]) -> Self {
        Self {
            name: data.text("name"),
            email: data.text("email"),
            role: data.text("role"),
            admission_year: data.text("admission_year"),
            graduation_year: data.text("graduation_year"),
            affiliation: data.text("affiliation"),
            job_title: data.text("job_title"),
            interests: data.all("interests"),
            interests_other: data.text("interests_other"),
            goals: data.all("goals"),
            speakers: data.all("wanted_speaker_ids"),
            consent: data.first("consent_share").is_some(),
            language: data.text("language"),
            answers: questions
                .iter()
                .map(|question| {
                    let field = answer_field(question.id);
                    let values = match question.kind {
                        QuestionKind::MultipleChoice => data.all(&field),
                        _ => data.first(&field).map(str::to_string).into_iter().collect(),
                    };
                    (question.id, values)
                })
                .collect(),
        }
    }

    pub fn from_registration(registration: &Registration) -> Self {
        let year = |year: Option<i32>| year.map(|y| y.to_string()).unwrap_or_default();
        Self {
            name: registration.name.clone(),
            email: registration.email.clone().unwrap_or_default(),
            role: registration.role.as_str().into(),
            admission_year: year(registration.admission_year),
            graduation_year: year(registration.graduation_year),
            affiliation: registration.affiliation.clone().unwrap_or_default(),
            job_title: registration.job_title.clone().unwrap_or_default(),
            interests: registration.interests.clone(),
            interests_other: registration.interests_other.clone().unwrap_or_default(),
            goals: registration
                .goals
                .iter()
                .filter_map(|goal| GOALS.iter().find(|(g, _)| g == goal).map(|(_, v)| v))
                .map(|value| value.to_string())
                .collect(),
            speakers: registration
                .wanted_speaker_ids
                .iter()
                .map(Uuid::to_string)
                .collect(),
            consent: registration.consent_share,
            language: registration.language.as_str().into(),
            answers: registration
                .answers
                .iter()
                .map(|(id, answer)| {
                    let values = match answer {
                        Answer::Text(text) => vec![text.clone()],
                        Answer::Choices(choices) => choices.clone(),
                    };
                    (*id, values)
                })
                .collect(),
        }
    }

    /// The input for the registration rules, and what the form itself found wrong (a role
    /// not chosen, a year that is not a number, an unknown goal). The rules check the rest.
    pub fn to_input(&self, questions: &[Question]) -> (RegistrationInput, Vec<FieldError>) {
        let mut errors = Vec::new();
        let role = Role::parse(self.role.trim()).unwrap_or_else(|| {
            errors.push(FieldError::new("role", "choose one of the options"));
            Role::Guest
        });
        let mut year = |field: &str, raw: &str| {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            raw.parse::<i32>().ok().or_else(|| {
                errors.push(FieldError::new(
                    field,
                    "must be a year between 1950 and 2100",
                ));
                None
            })
        };
        let admission_year = year("admission_year", &self.admission_year);
        let graduation_year = year("graduation_year", &self.graduation_year);
        let mut goals = Vec::new();
        for raw in &self.goals {
            match GOALS.iter().find(|(_, value)| value == raw) {
                Some((goal, _)) => goals.push(*goal),
                None => errors.push(FieldError::new("goals", "choose among the options")),
            }
        }
        let mut wanted_speaker_ids = Vec::new();
        for raw in &self.speakers {
            match raw.parse::<Uuid>() {
                Ok(id) => wanted_speaker_ids.push(id),
                Err(_) => errors.push(FieldError::new(
                    "wanted_speaker_ids",
                    "is not a speaker of this event",
                )),
            }
        }
        let mut answers = BTreeMap::new();
        for question in questions {
            let values = self
                .answers
                .get(&question.id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let answer = match question.kind {
                QuestionKind::MultipleChoice if !values.is_empty() => {
                    Some(Answer::Choices(values.to_vec()))
                }
                QuestionKind::Text | QuestionKind::SingleChoice => values
                    .first()
                    .filter(|text| !text.trim().is_empty())
                    .map(|text| Answer::Text(text.clone())),
                _ => None,
            };
            if let Some(answer) = answer {
                answers.insert(question.id, answer);
            }
        }
        let optional = |raw: &str| Some(raw.to_string()).filter(|raw| !raw.trim().is_empty());
        let input = RegistrationInput {
            name: self.name.clone(),
            email: self.email.clone(),
            role,
            admission_year,
            graduation_year,
            affiliation: optional(&self.affiliation),
            job_title: optional(&self.job_title),
            interests: self.interests.clone(),
            interests_other: optional(&self.interests_other),
            goals,
            wanted_speaker_ids,
            consent_share: self.consent,
            language: Language::parse(self.language.trim()).unwrap_or_default(),
            answers,
        };
        (input, errors)
    }
}

/// A JSON merge patch that makes a registration's answers exactly `input`: cleared fields
/// and blank answers become `null` (left out, the patch would keep their old values).
pub fn replacement_patch(input: &RegistrationInput, questions: &[Question]) -> serde_json::Value {
    let mut patch = serde_json::to_value(input).expect("plain data serializes");
    let object = patch.as_object_mut().expect("an input is an object");
    for key in [
        "admission_year",
        "graduation_year",
        "affiliation",
        "job_title",
        "interests_other",
    ] {
        object.entry(key).or_insert(serde_json::Value::Null);
    }
    if let Some(answers) = object.get_mut("answers").and_then(|a| a.as_object_mut()) {
        for question in questions {
            answers
                .entry(question.id.to_string())
                .or_insert(serde_json::Value::Null);
        }
    }
    patch
}

/// The form field an error of the registration rules belongs to: `interests[2]` is the
/// interests group, `answers.<id>` the question.
fn field_key(field: &str) -> &str {
    match field.find('[') {
        Some(bracket) => &field[..bracket],
        None => field,
    }
}

/// An error message of the registration rules, in the page's language.
pub fn localize(lang: Language, field: &str, message: &str) -> String {
    let t = lang.t();
    let known = match message {
        "must not be empty" if field.starts_with("answers.") => t.fe_answer_required,
        "must not be empty" => t.fe_required,
        "must be a single line without control characters" => t.fe_single_line,
        "must not contain control characters" => t.fe_control,
        "is not a topic of this event" => t.fe_not_topic,
        "is not a speaker of this event" => t.fe_not_speaker,
        "this question needs an answer" => t.fe_answer_required,
        "choose one of the options" if field == "role" => t.fe_role,
        "choose one of the options" | "choose among the options" => t.fe_choose,
        "give a single answer" => t.fe_single_answer,
        _ if message.starts_with("must be an email address") => t.fe_email,
        _ if message.starts_with("must be a year") => t.fe_year,
        _ if message.starts_with("the email cannot be changed") => t.fe_email_fixed,
        _ => {
            let limit = message
                .strip_prefix("must be at most ")
                .and_then(|rest| rest.strip_suffix(" characters"))
                .and_then(|n| n.parse::<usize>().ok());
            return match limit {
                Some(max) => lang.too_long(max),
                None => t.fe_invalid.to_string(),
            };
        }
    };
    known.to_string()
}

/// One choice of a select, radio group or checkbox group.
pub struct Choice {
    pub id: String,
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// One field of the form, ready to render.
pub struct Field {
    /// The element's id (the error summary links to it).
    pub id: String,
    pub name: String,
    pub label: String,
    /// `input`, `textarea`, `select`, `radios`, `checkboxes`, `checkbox` or `static`.
    pub kind: &'static str,
    /// For `input`: `text`, `email` or `text` with a numeric keyboard.
    pub input_type: &'static str,
    pub inputmode: &'static str,
    pub autocomplete: &'static str,
    pub value: String,
    pub checked: bool,
    pub choices: Vec<Choice>,
    pub required: bool,
    pub hint: String,
    pub error: Option<String>,
}

impl Field {
    fn new(id: &str, name: &str, label: &str, kind: &'static str) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            label: label.into(),
            kind,
            input_type: "text",
            inputmode: "",
            autocomplete: "",
            value: String::new(),
            checked: false,
            choices: Vec::new(),
            required: false,
            hint: String::new(),
            error: None,
        }
    }

    fn input(id: &str, label: &str, value: &str) -> Self {
        Self {
            value: value.into(),
            ..Self::new(&format!("f-{id}"), id, label, "input")
        }
    }

    fn required(mut self) -> Self {
        self.required = true;
        self
    }

    fn hint(mut self, hint: &str) -> Self {
        self.hint = hint.into();
        self
    }

    /// The ids of the hint and error paragraphs, for `aria-describedby`.
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if !self.hint.is_empty() {
            ids.push(format!("{}-hint", self.id));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.id));
        }
        ids.join(" ")
    }

    /// The accessibility attributes of the control: `required`, `aria-invalid` and
    /// `aria-describedby`. Made of fixed words and generated ids only, so it is emitted as is.
    pub fn control_attrs(&self) -> String {
        let mut attrs = String::new();
        if self.required {
            attrs.push_str(" required aria-required=\"true\"");
        }
        if self.error.is_some() {
            attrs.push_str(" aria-invalid=\"true\"");
        }
        let described_by = self.described_by();
        if !described_by.is_empty() {
            attrs.push_str(&format!(" aria-describedby=\"{described_by}\""));
        }
        attrs
    }
}

pub struct Section {
    pub heading: &'static str,
    pub fields: Vec<Field>,
}

/// An entry of the error summary above the form, linking to its field.
pub struct ErrorLink {
    pub href: String,
    pub label: String,
    pub message: String,
}

/// The speakers the person may pick: id and a label such as "김서연 (Toss)".
pub struct SpeakerChoice {
    pub id: Uuid,
    pub label: String,
}

/// What the form offers: the event's tags, speakers and custom questions.
pub struct FormOptions<'a> {
    pub tags: &'a [String],
    pub speakers: &'a [SpeakerChoice],
    pub questions: &'a [Question],
}

/// The whole form as the templates render it.
pub struct FormView {
    pub action: String,
    /// `h2` on the registration page, `h3` inside the manage page's section.
    pub heading_tag: &'static str,
    pub csrf: String,
    pub honeypot: &'static str,
    pub sections: Vec<Section>,
    pub summary: Vec<ErrorLink>,
    pub submit: &'static str,
}

impl FormView {
    /// Lays out the form with `values` and the inline `errors` (fields named as the
    /// registration rules name them). `email_editable` is false on the manage page.
    pub fn new(
        lang: Language,
        values: &FormValues,
        errors: &[FieldError],
        options: &FormOptions<'_>,
        email_editable: bool,
    ) -> Self {
        let t = lang.t();
        let choice = |group: &str, index: usize, value: &str, label: &str, checked: bool| Choice {
            id: format!("f-{group}-{index}"),
            value: value.into(),
            label: label.into(),
            checked,
        };

        let mut about = vec![
            Field {
                autocomplete: "name",
                ..Field::input("name", t.name, &values.name).required()
            },
            if email_editable {
                Field {
                    input_type: "email",
                    autocomplete: "email",
                    ..Field::input("email", t.email, &values.email)
                        .required()
                        .hint(t.email_hint)
                }
            } else {
                Field {
                    kind: "static",
                    ..Field::input("email", t.email, &values.email).hint(t.email_fixed_hint)
                }
            },
            Field {
                choices: std::iter::once(Choice {
                    id: String::new(),
                    value: String::new(),
                    label: t.role_choose.into(),
                    checked: values.role.is_empty(),
                })
                .chain(ROLES.iter().enumerate().map(|(i, role)| {
                    choice(
                        "role",
                        i,
                        role.as_str(),
                        lang.role(*role),
                        values.role == role.as_str(),
                    )
                }))
                .collect(),
                ..Field::new("f-role", "role", t.role, "select").required()
            },
            Field {
                inputmode: "numeric",
                ..Field::input("admission_year", t.admission_year, &values.admission_year)
                    .hint(t.admission_year_hint)
            },
            Field {
                inputmode: "numeric",
                ..Field::input(
                    "graduation_year",
                    t.graduation_year,
                    &values.graduation_year,
                )
                .hint(t.graduation_year_hint)
            },
            Field {
                autocomplete: "organization",
                ..Field::input("affiliation", t.affiliation, &values.affiliation)
            },
            Field {
                autocomplete: "organization-title",
                ..Field::input("job_title", t.job_title, &values.job_title)
            },
        ];
        about.push(Field {
            choices: [Language::Ko, Language::En]
                .iter()
                .enumerate()
                .map(|(i, language)| {
                    let label = match language {
                        Language::Ko => t.language_ko,
                        Language::En => t.language_en,
                    };
                    let chosen = Language::parse(values.language.trim()) == Some(*language);
                    choice("language", i, language.as_str(), label, chosen)
                })
                .collect(),
            ..Field::new("f-language", "language", t.language, "radios")
        });

        let mut networking = Vec::new();
        if !options.tags.is_empty() {
            networking.push(Field {
                choices: options
                    .tags
                    .iter()
                    .enumerate()
                    .map(|(i, tag)| {
                        choice("interests", i, tag, tag, values.interests.contains(tag))
                    })
                    .collect(),
                ..Field::new("f-interests", "interests", t.interests, "checkboxes")
            });
        }
        networking.push(Field {
            kind: "textarea",
            ..Field::input(
                "interests_other",
                t.interests_other,
                &values.interests_other,
            )
        });
        networking.push(Field {
            choices: GOALS
                .iter()
                .enumerate()
                .map(|(i, (goal, value))| {
                    let label = match goal {
                        Goal::FindMentor => t.goal_find_mentor,
                        Goal::Mentor => t.goal_mentor,
                        Goal::Hiring => t.goal_hiring,
                        Goal::JobSeeking => t.goal_job_seeking,
                        Goal::MeetPeople => t.goal_meet_people,
                    };
                    choice(
                        "goals",
                        i,
                        value,
                        label,
                        values.goals.iter().any(|g| g == value),
                    )
                })
                .collect(),
            ..Field::new("f-goals", "goals", t.goals, "checkboxes")
        });
        if !options.speakers.is_empty() {
            networking.push(Field {
                choices: options
                    .speakers
                    .iter()
                    .enumerate()
                    .map(|(i, speaker)| {
                        let id = speaker.id.to_string();
                        let checked = values.speakers.contains(&id);
                        choice("speakers", i, &id, &speaker.label, checked)
                    })
                    .collect(),
                ..Field::new(
                    "f-wanted_speaker_ids",
                    "wanted_speaker_ids",
                    t.speakers_wanted,
                    "checkboxes",
                )
            });
        }
        networking.push(Field {
            checked: values.consent,
            value: "yes".into(),
            ..Field::new("f-consent_share", "consent_share", t.consent, "checkbox")
        });

        let questions: Vec<Field> = options
            .questions
            .iter()
            .enumerate()
            .map(|(q, question)| {
                let given = values
                    .answers
                    .get(&question.id)
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                let group = format!("q{q}");
                let choices = question
                    .options
                    .iter()
                    .enumerate()
                    .map(|(i, option)| choice(&group, i, option, option, given.contains(option)))
                    .collect();
                let kind = match question.kind {
                    QuestionKind::Text => "textarea",
                    QuestionKind::SingleChoice => "radios",
                    QuestionKind::MultipleChoice => "checkboxes",
                };
                Field {
                    required: question.required,
                    value: given.first().cloned().unwrap_or_default(),
                    choices,
                    ..Field::new(
                        &format!("f-{group}"),
                        &answer_field(question.id),
                        question.label_in(lang),
                        kind,
                    )
                }
            })
            .collect();

        let mut sections = vec![
            Section {
                heading: t.about_you_heading,
                fields: about,
            },
            Section {
                heading: t.networking_heading,
                fields: networking,
            },
        ];
        if !questions.is_empty() {
            sections.push(Section {
                heading: t.questions_heading,
                fields: questions,
            });
        }

        // Each error goes beside its field (the first one per field) and into the summary.
        let mut summary = Vec::new();
        for error in errors {
            let key = field_key(&error.field);
            let message = localize(lang, key, &error.message);
            let field = sections
                .iter_mut()
                .flat_map(|section| section.fields.iter_mut())
                .find(|field| field.name == key);
            match field {
                Some(field) => {
                    summary.push(ErrorLink {
                        href: format!("#{}", field.id),
                        label: field.label.clone(),
                        message: message.clone(),
                    });
                    field.error.get_or_insert(message);
                }
                None => summary.push(ErrorLink {
                    href: "#form".into(),
                    label: key.to_string(),
                    message,
                }),
            }
        }

        FormView {
            action: String::new(),
            heading_tag: "h2",
            csrf: String::new(),
            honeypot: HONEYPOT,
            sections,
            summary,
            submit: t.submit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;
    use crate::registration::FormContext;

    fn question(kind: QuestionKind, required: bool) -> Question {
        Question {
            id: Uuid::now_v7(),
            event_id: Uuid::nil(),
            label: "질문".into(),
            label_en: Some("Question".into()),
            kind,
            options: vec!["A".into(), "B".into()],
            required,
            position: 0,
        }
    }

    #[test]
    fn goal_values_are_the_api_words() {
        for (goal, value) in GOALS {
            assert_eq!(serde_json::to_value(goal).unwrap(), *value);
        }
    }

    #[test]
    fn a_body_with_repeated_keys_becomes_an_input() {
        let multi = question(QuestionKind::MultipleChoice, true);
        let text = question(QuestionKind::Text, false);
        let speaker = Uuid::now_v7();
        let body = format!(
            "name=%EC%9D%B4%EB%AF%BC%EC%A7%80&email=a%40b.co&role=alumni&admission_year=2014\
             &graduation_year=&interests=career&interests=backend&goals=hiring&goals=mentor\
             &wanted_speaker_ids={speaker}&consent_share=yes&language=en\
             &answers.{m}=A&answers.{m}=B&answers.{t}=+hi+",
            m = multi.id,
            t = text.id
        );
        let questions = [multi.clone(), text.clone()];
        let values = FormValues::from_form(&FormData::parse(body.as_bytes()), &questions);
        let (input, errors) = values.to_input(&questions);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(input.name, "이민지");
        assert_eq!(input.role, Role::Alumni);
        assert_eq!(input.admission_year, Some(2014));
        assert_eq!(input.graduation_year, None);
        assert_eq!(input.interests, ["career", "backend"]);
        assert_eq!(input.goals, [Goal::Hiring, Goal::Mentor]);
        assert_eq!(input.wanted_speaker_ids, [speaker]);
        assert!(input.consent_share);
        assert_eq!(input.language, Language::En);
        assert_eq!(
            input.answers[&multi.id],
            Answer::Choices(vec!["A".into(), "B".into()])
        );
        assert_eq!(input.answers[&text.id], Answer::Text(" hi ".into()));
    }

    #[test]
    fn the_form_finds_what_the_rules_cannot_see() {
        let values = FormValues {
            role: "pirate".into(),
            admission_year: "열넷".into(),
            goals: vec!["world_domination".into()],
            speakers: vec!["not-a-uuid".into()],
            ..Default::default()
        };
        let (_, errors) = values.to_input(&[]);
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["role", "admission_year", "goals", "wanted_speaker_ids"]
        );
    }

    /// Every message the registration rules give for form input has a translation: a new or
    /// reworded message fails here instead of showing a vague "check this field".
    #[test]
    fn every_rule_message_is_translated() {
        let text = question(QuestionKind::Text, true);
        let single = question(QuestionKind::SingleChoice, true);
        let multi = question(QuestionKind::MultipleChoice, false);
        let context = FormContext {
            tags: vec!["career".into()],
            speaker_ids: vec![],
            questions: vec![text.clone(), single.clone(), multi.clone()],
        };
        let inputs = [
            serde_json::json!({"name": " ", "email": "nope", "role": "student",
                "admission_year": 1800, "affiliation": "a\u{7}b", "interests": ["cooking"],
                "wanted_speaker_ids": [Uuid::now_v7()],
                "answers": {single.id.to_string(): "C", multi.id.to_string(): ["Z"]}}),
            serde_json::json!({"name": "x".repeat(101), "email": "a@b.co", "role": "student",
                "interests_other": "a\u{7}b",
                "answers": {text.id.to_string(): "t", single.id.to_string(): ["A"],
                    multi.id.to_string(): "Z"}}),
        ];
        let mut seen = 0;
        for input in inputs {
            let input: RegistrationInput = serde_json::from_value(input).unwrap();
            let Err(ApiError::Validation(errors)) = input.parse(&context) else {
                panic!("invalid input passed")
            };
            for error in errors {
                for lang in [Language::Ko, Language::En] {
                    let message = localize(lang, field_key(&error.field), &error.message);
                    assert_ne!(
                        message,
                        lang.t().fe_invalid,
                        "no translation for {} on {}",
                        error.message,
                        error.field
                    );
                }
                seen += 1;
            }
        }
        assert!(seen >= 10, "{seen}");
        assert_eq!(
            localize(Language::Ko, "email", "the email cannot be changed; cancel"),
            Language::Ko.t().fe_email_fixed
        );
    }

    #[test]
    fn errors_land_beside_their_fields_and_in_the_summary() {
        let multi = question(QuestionKind::MultipleChoice, true);
        let tags = vec!["career".to_string()];
        let questions = [multi.clone()];
        let options = FormOptions {
            tags: &tags,
            speakers: &[],
            questions: &questions,
        };
        let errors = [
            FieldError::new("email", "must be an email address such as name@example.com"),
            FieldError::new("interests[0]", "is not a topic of this event"),
            FieldError::new(
                format!("answers.{}", multi.id),
                "this question needs an answer",
            ),
        ];
        let view = FormView::new(
            Language::Ko,
            &FormValues::blank(Language::Ko),
            &errors,
            &options,
            true,
        );
        let field = |name: &str| {
            view.sections
                .iter()
                .flat_map(|s| &s.fields)
                .find(|f| f.name == name)
                .unwrap()
        };
        assert_eq!(
            field("email").error.as_deref(),
            Some(Language::Ko.t().fe_email)
        );
        assert_eq!(field("email").described_by(), "f-email-hint f-email-error");
        assert!(field("interests").error.is_some());
        assert_eq!(field(&format!("answers.{}", multi.id)).label, "질문");
        assert_eq!(view.summary.len(), 3);
        assert_eq!(view.summary[0].href, "#f-email");
    }
}
