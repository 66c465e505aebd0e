//! A submitted form body, what the person entered, and the `RegistrationInput` it makes.

use std::collections::BTreeMap;

use uuid::Uuid;

use crate::domain::Year;
use crate::error::{FieldError, FieldProblem};
use crate::registration::questions::{Question, QuestionKind};
use crate::registration::{Answer, Goal, Language, RegistrationInput, Role};

/// The hidden field people leave empty and bots fill in.
pub const HONEYPOT: &str = "website_url";

/// The field of a custom question's answer.
pub fn answer_field(id: Uuid) -> String {
    format!("answers.{id}")
}

/// An `application/x-www-form-urlencoded` body, with repeated keys (checkboxes) kept: what
/// the person entered, as text, so the form can be shown again exactly as it was.
#[derive(Debug, Clone, Default)]
pub struct FormData {
    pairs: Vec<(String, String)>,
}

impl FormData {
    pub fn parse(body: &[u8]) -> Self {
        Self {
            pairs: url::form_urlencoded::parse(body).into_owned().collect(),
        }
    }

    /// Whether any name or value holds NUL, which no field can keep (PostgreSQL refuses it).
    pub fn has_nul(&self) -> bool {
        self.pairs
            .iter()
            .any(|(name, value)| name.contains('\0') || value.contains('\0'))
    }

    /// An empty registration form; emails default to the page's language.
    pub fn blank(lang: Language) -> Self {
        let mut data = Self::default();
        data.push("language", lang.as_str());
        data
    }

    /// An input as the form shows it (a registration's, through `RegistrationInput::from`).
    pub fn from_input(input: &RegistrationInput) -> Self {
        let mut data = Self::default();
        let year = |year: Option<i32>| year.map(|y| y.to_string()).unwrap_or_default();
        let text = |text: &Option<String>| text.clone().unwrap_or_default();
        data.push("name", &input.name);
        data.push("email", &input.email);
        data.push("role", input.role.as_str());
        data.push("admission_year", &year(input.admission_year));
        data.push("graduation_year", &year(input.graduation_year));
        data.push("affiliation", &text(&input.affiliation));
        data.push("job_title", &text(&input.job_title));
        for tag in &input.interests {
            data.push("interests", tag);
        }
        data.push("interests_other", &text(&input.interests_other));
        for goal in Goal::ALL.iter().filter(|goal| input.goals.contains(goal)) {
            data.push("goals", goal.as_str());
        }
        for id in &input.wanted_speaker_ids {
            data.push("wanted_speaker_ids", &id.to_string());
        }
        if input.consent_share {
            data.push("consent_share", "yes");
        }
        data.push("language", input.language.as_str());
        for (id, answer) in &input.answers {
            match answer {
                Answer::Text(text) => data.push(&answer_field(*id), text),
                Answer::Choices(choices) => {
                    for choice in choices {
                        data.push(&answer_field(*id), choice);
                    }
                }
            }
        }
        data
    }

    fn push(&mut self, key: &str, value: &str) {
        self.pairs.push((key.into(), value.into()));
    }

    /// Replaces every value of `key` with `value` (the manage page's fixed email).
    pub fn set(&mut self, key: &str, value: &str) {
        self.pairs.retain(|(k, _)| k != key);
        self.push(key, value);
    }

    pub fn first(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `key`, empty when there is none.
    pub fn text(&self, key: &str) -> &str {
        self.first(key).unwrap_or_default()
    }

    /// Every value of `key` that is not blank (a checkbox group).
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The values given for a question: the chosen options, or the text.
    pub fn answer(&self, question: &Question) -> Vec<&str> {
        let field = answer_field(question.id);
        match question.kind {
            QuestionKind::MultipleChoice => self.all(&field),
            _ => self.first(&field).into_iter().collect(),
        }
    }

    /// The input for the registration rules, and what the form itself found wrong (a role
    /// not chosen, a year that is not a number, an unknown goal). The rules check the rest.
    pub fn to_input(&self, questions: &[Question]) -> (RegistrationInput, Vec<FieldError>) {
        let mut errors = Vec::new();
        let role = Role::parse(self.text("role").trim()).unwrap_or_else(|| {
            errors.push(FieldError::new("role", FieldProblem::ChooseOne));
            Role::Guest
        });
        // Only whether it is a number: the year rule itself is the input's.
        let mut year = |field: &str| {
            let raw = self.text(field).trim();
            if raw.is_empty() {
                return None;
            }
            raw.parse::<i32>().ok().or_else(|| {
                errors.push(FieldError::new(field, Year::PROBLEM));
                None
            })
        };
        let admission_year = year("admission_year");
        let graduation_year = year("graduation_year");
        let mut goals = Vec::new();
        for raw in self.all("goals") {
            match Goal::parse(raw) {
                Some(goal) => goals.push(goal),
                None => errors.push(FieldError::new("goals", FieldProblem::ChooseAmong)),
            }
        }
        let mut wanted_speaker_ids = Vec::new();
        for raw in self.all("wanted_speaker_ids") {
            match raw.parse::<Uuid>() {
                Ok(id) => wanted_speaker_ids.push(id),
                Err(_) => errors.push(FieldError::new(
                    "wanted_speaker_ids",
                    FieldProblem::NotASpeaker,
                )),
            }
        }
        let mut answers = BTreeMap::new();
        for question in questions {
            let values = self.answer(question);
            let answer = match question.kind {
                QuestionKind::MultipleChoice if !values.is_empty() => Some(Answer::Choices(
                    values.iter().map(|value| value.to_string()).collect(),
                )),
                QuestionKind::Text | QuestionKind::SingleChoice => values
                    .first()
                    .filter(|text| !text.trim().is_empty())
                    .map(|text| Answer::Text(text.to_string())),
                _ => None,
            };
            if let Some(answer) = answer {
                answers.insert(question.id, answer);
            }
        }
        let optional =
            |key: &str| Some(self.text(key).to_string()).filter(|v| !v.trim().is_empty());
        let input = RegistrationInput {
            name: self.text("name").into(),
            email: self.text("email").into(),
            role,
            admission_year,
            graduation_year,
            affiliation: optional("affiliation"),
            job_title: optional("job_title"),
            interests: self
                .all("interests")
                .into_iter()
                .map(str::to_string)
                .collect(),
            interests_other: optional("interests_other"),
            goals,
            wanted_speaker_ids,
            consent_share: self.first("consent_share").is_some(),
            language: Language::parse(self.text("language").trim()).unwrap_or_default(),
            answers,
        };
        (input, errors)
    }
}

/// The form's own findings with the rules' findings on the other fields, all at once.
pub fn with_rule_errors(mut errors: Vec<FieldError>, rules: Vec<FieldError>) -> Vec<FieldError> {
    let more: Vec<FieldError> = rules
        .into_iter()
        .filter(|error| !errors.iter().any(|e| e.field == error.field))
        .collect();
    errors.extend(more);
    errors
}

/// A question with the options A and B, for the form's tests.
#[cfg(test)]
pub(super) fn question(kind: QuestionKind, required: bool) -> Question {
    Question {
        id: Uuid::now_v7(),
        event_id: Uuid::nil(),
        label: "질문".into(),
        label_en: Some("Question".into()),
        kind,
        options: vec!["A".into(), "B".into()],
        options_en: Default::default(),
        required,
        position: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goal_values_are_the_api_words() {
        for goal in Goal::ALL {
            assert_eq!(serde_json::to_value(goal).unwrap(), goal.as_str());
        }
    }

    #[test]
    fn a_body_with_repeated_keys_becomes_an_input() {
        let multi = question(QuestionKind::MultipleChoice, false);
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
        let (input, errors) = FormData::parse(body.as_bytes()).to_input(&questions);
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
    fn an_input_shown_in_the_form_reads_back_the_same() {
        let multi = question(QuestionKind::MultipleChoice, false);
        let text = question(QuestionKind::Text, false);
        let input: RegistrationInput = serde_json::from_value(serde_json::json!({
            "name": "이민지", "email": "minji@example.com", "role": "alumni",
            "admission_year": 2014, "graduation_year": 2018, "affiliation": "Toss",
            "job_title": "Engineer", "interests": ["career", "backend"],
            "interests_other": "climbing", "goals": ["mentor", "hiring"],
            "wanted_speaker_ids": [Uuid::now_v7()], "consent_share": true, "language": "en",
            "answers": {multi.id.to_string(): ["A", "B"], text.id.to_string(): "hi"},
        }))
        .unwrap();
        let (again, errors) = FormData::from_input(&input).to_input(&[multi, text]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            serde_json::to_value(again).unwrap(),
            serde_json::to_value(input).unwrap()
        );
    }

    #[test]
    fn the_form_finds_what_the_rules_cannot_see() {
        let body = "role=pirate&admission_year=%EC%97%B4%EB%84%B7&goals=world_domination\
                    &wanted_speaker_ids=not-a-uuid";
        let (_, errors) = FormData::parse(body.as_bytes()).to_input(&[]);
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["role", "admission_year", "goals", "wanted_speaker_ids"]
        );
    }
}
