//! A registration as it is sent (`RegistrationInput`) and as the rules accept it
//! (`NewRegistration`, which keeps the parsed domain types).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::questions::{Question, QuestionKind};
use super::store::Registration;
use super::{Answer, Goal, Language, Role};
use crate::domain::{
    EmailAddress, Fields, Invalid, Labelled, LongText, Text, Year, check_study_years, parsed,
};
use crate::error::FieldProblem;

/// A registration as the person (or the form) sends it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrationInput {
    #[schema(example = "이민지")]
    pub name: String,
    #[schema(example = "minji@example.com")]
    pub email: String,
    pub role: Role,
    /// Year of admission (학번): four digits, or two as Koreans write it (14 is 2014, 99 is
    /// 1999; 0–99 is read as the year at most ten years from now). Stored with four digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 2021)]
    pub admission_year: Option<i32>,
    /// Year of graduation (expected, for students), read like `admission_year`; not before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 2025)]
    pub graduation_year: Option<i32>,
    /// Company or school.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "서울대학교")]
    pub affiliation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_title: Option<String>,
    /// Topic tags of the event.
    #[serde(default)]
    #[schema(example = json!(["career"]))]
    pub interests: Vec<String>,
    /// Other interests, in the person's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interests_other: Option<String>,
    #[serde(default)]
    #[schema(example = json!(["find_mentor", "job_seeking"]))]
    pub goals: Vec<Goal>,
    /// Speakers of the event the person wants to talk to.
    #[serde(default)]
    pub wanted_speaker_ids: Vec<Uuid>,
    /// Consent to share name and affiliation with table-mates.
    #[serde(default)]
    pub consent_share: bool,
    #[serde(default)]
    pub language: Language,
    /// Answers to the event's custom questions, by question id.
    #[serde(default)]
    pub answers: BTreeMap<Uuid, Answer>,
}

/// What a registration form needs to know about its event.
#[derive(Debug, Clone, Default)]
pub struct FormContext {
    /// The event's tags, with their English labels for the form.
    pub tags: Labelled,
    pub speaker_ids: Vec<Uuid>,
    pub questions: Vec<Question>,
}

/// A registration that passed every rule, in the types the rules produced.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRegistration {
    /// Lowercased whole: how emails are compared (one registration per email per event).
    pub email: EmailAddress,
    pub name: Text<100>,
    pub role: Role,
    pub admission_year: Option<Year>,
    pub graduation_year: Option<Year>,
    pub affiliation: Option<Text<200>>,
    pub job_title: Option<Text<200>>,
    /// Tags of the event, lowercased, each once.
    pub interests: Vec<String>,
    pub interests_other: LongText<500>,
    pub goals: Vec<Goal>,
    pub wanted_speaker_ids: Vec<Uuid>,
    pub consent_share: bool,
    pub language: Language,
    pub answers: BTreeMap<Uuid, Answer>,
}

/// Optional single-line text: absent when blank.
fn optional<const MAX: usize>(raw: Option<&str>) -> Result<Option<Text<MAX>>, FieldProblem> {
    raw.map(str::trim)
        .filter(|text| !text.is_empty())
        .map(Text::parse)
        .transpose()
}

impl RegistrationInput {
    pub fn parse(&self, context: &FormContext) -> Result<NewRegistration, Invalid> {
        let mut fields = Fields::default();
        let name = fields.check("name", Text::<100>::parse(&self.name));
        let email = fields.check("email", EmailAddress::parse(&self.email));
        let admission_year = fields.check("admission_year", Year::optional(self.admission_year));
        let graduation_year = fields.check("graduation_year", Year::optional(self.graduation_year));
        if let (Some(admission), Some(graduation)) = (admission_year, graduation_year) {
            fields.check("graduation_year", check_study_years(admission, graduation));
        }
        let affiliation = fields.check("affiliation", optional(self.affiliation.as_deref()));
        let job_title = fields.check("job_title", optional(self.job_title.as_deref()));
        let interests_other = fields.check(
            "interests_other",
            LongText::<500>::parse(self.interests_other.as_deref()),
        );
        let mut interests: Vec<String> = Vec::new();
        for (index, tag) in self.interests.iter().enumerate() {
            let tag = tag.trim().to_lowercase();
            if !context.tags.contains(&tag) {
                fields.push(format!("interests[{index}]"), FieldProblem::NotATopic);
            } else if !interests.contains(&tag) {
                interests.push(tag);
            }
        }
        let mut goals = self.goals.clone();
        goals.dedup();
        let mut wanted = Vec::new();
        for (index, id) in self.wanted_speaker_ids.iter().enumerate() {
            if !context.speaker_ids.contains(id) {
                fields.push(
                    format!("wanted_speaker_ids[{index}]"),
                    FieldProblem::NotASpeaker,
                );
            } else if !wanted.contains(id) {
                wanted.push(*id);
            }
        }
        for id in self.answers.keys() {
            if !context.questions.iter().any(|question| question.id == *id) {
                fields.push(format!("answers.{id}"), "is not a question of this event");
            }
        }
        let mut answers = BTreeMap::new();
        for question in &context.questions {
            let field = format!("answers.{}", question.id);
            match check_answer(question, self.answers.get(&question.id)) {
                Ok(Some(answer)) => {
                    answers.insert(question.id, answer);
                }
                Ok(None) => {}
                Err(problem) => fields.push(field, problem),
            }
        }
        fields.finish()?;
        Ok(NewRegistration {
            email: parsed(email).lowercased(),
            name: parsed(name),
            role: self.role,
            admission_year: parsed(admission_year),
            graduation_year: parsed(graduation_year),
            affiliation: parsed(affiliation),
            job_title: parsed(job_title),
            interests,
            interests_other: parsed(interests_other),
            goals,
            wanted_speaker_ids: wanted,
            consent_share: self.consent_share,
            language: self.language,
            answers,
        })
    }
}

impl From<&Registration> for RegistrationInput {
    /// The input that would recreate a registration: the base a PATCH is merged into, and
    /// what the manage page's form shows.
    fn from(registration: &Registration) -> Self {
        RegistrationInput {
            name: registration.name.clone(),
            email: registration.email.clone().unwrap_or_default(),
            role: registration.role,
            admission_year: registration.admission_year,
            graduation_year: registration.graduation_year,
            affiliation: registration.affiliation.clone(),
            job_title: registration.job_title.clone(),
            interests: registration.interests.clone(),
            interests_other: registration.interests_other.clone(),
            goals: registration.goals.clone(),
            wanted_speaker_ids: registration.wanted_speaker_ids.clone(),
            consent_share: registration.consent_share,
            language: registration.language,
            answers: registration.answers.clone(),
        }
    }
}

/// Whether a registration's networking consent may change: only until the event's tables
/// are published, as the published tables are what people were told (a change after that is
/// the organizers' to make, by moving people).
pub fn check_consent_change(tables_published: bool) -> Result<(), FieldProblem> {
    if tables_published {
        Err(FieldProblem::TablesPublished)
    } else {
        Ok(())
    }
}

/// The normalized answer to `question`, `None` when it was (allowed to be) left blank.
fn check_answer(
    question: &Question,
    answer: Option<&Answer>,
) -> Result<Option<Answer>, FieldProblem> {
    let blank = match answer {
        None => true,
        Some(Answer::Text(text)) => text.trim().is_empty(),
        Some(Answer::Choices(choices)) => choices.is_empty(),
    };
    if blank {
        return if question.required {
            Err(FieldProblem::AnswerRequired)
        } else {
            Ok(None)
        };
    }
    let answer = answer.expect("not blank");
    match (question.kind, answer) {
        (QuestionKind::Text, Answer::Text(text)) => {
            let text = text.trim();
            if text.chars().count() > 2000 {
                return Err(FieldProblem::TooLong { max: 2000 });
            }
            Ok(Some(Answer::Text(text.to_string())))
        }
        (QuestionKind::SingleChoice, Answer::Text(choice)) => {
            if question.options.contains(choice) {
                Ok(Some(Answer::Text(choice.clone())))
            } else {
                Err(FieldProblem::ChooseOne)
            }
        }
        (QuestionKind::MultipleChoice, Answer::Choices(choices)) => {
            if choices
                .iter()
                .all(|choice| question.options.contains(choice))
            {
                // Kept in the order of the options, each once.
                let chosen = question
                    .options
                    .iter()
                    .filter(|option| choices.contains(option))
                    .cloned()
                    .collect();
                Ok(Some(Answer::Choices(chosen)))
            } else {
                Err(FieldProblem::ChooseAmong)
            }
        }
        (QuestionKind::MultipleChoice, Answer::Text(choice))
            if question.options.contains(choice) =>
        {
            Ok(Some(Answer::Choices(vec![choice.clone()])))
        }
        (QuestionKind::Text | QuestionKind::SingleChoice, Answer::Choices(_)) => {
            Err(FieldProblem::SingleAnswer)
        }
        (QuestionKind::MultipleChoice, Answer::Text(_)) => Err(FieldProblem::ChooseAmong),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn question(kind: QuestionKind, required: bool, options: &[&str]) -> Question {
        Question {
            id: Uuid::now_v7(),
            event_id: Uuid::nil(),
            label: "질문".into(),
            label_en: None,
            kind,
            options: options.iter().map(|o| o.to_string()).collect(),
            options_en: Default::default(),
            required,
            position: 0,
        }
    }

    fn input(extra: serde_json::Value) -> RegistrationInput {
        let mut base = json!({"name": "이민지", "email": " MinJi@Example.com ", "role": "student"});
        crate::extract::merge_patch(&mut base, &extra);
        serde_json::from_value(base).unwrap()
    }

    #[test]
    fn two_digit_years_are_stored_with_four() {
        let parsed = input(json!({"admission_year": 14, "graduation_year": 18}))
            .parse(&FormContext::default())
            .unwrap();
        assert_eq!(parsed.admission_year.map(Year::get), Some(2014));
        assert_eq!(parsed.graduation_year.map(Year::get), Some(2018));
    }

    #[test]
    fn graduation_before_admission_is_refused_on_the_graduation_field() {
        let Invalid(errors) = input(json!({"admission_year": 2018, "graduation_year": 14}))
            .parse(&FormContext::default())
            .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "graduation_year");
        assert_eq!(errors[0].problem, FieldProblem::GraduationBeforeAdmission);
    }

    #[test]
    fn consent_changes_only_until_the_tables_are_published() {
        assert_eq!(check_consent_change(false), Ok(()));
        assert_eq!(
            check_consent_change(true),
            Err(FieldProblem::TablesPublished)
        );
    }

    #[test]
    fn emails_are_normalized_for_comparison() {
        let parsed = input(json!({})).parse(&FormContext::default()).unwrap();
        assert_eq!(parsed.email.as_str(), "minji@example.com");
    }

    #[test]
    fn interests_and_speakers_must_belong_to_the_event() {
        let speaker = Uuid::now_v7();
        let context = FormContext {
            tags: Labelled::plain(vec!["career".into()]),
            speaker_ids: vec![speaker],
            questions: vec![],
        };
        let ok = input(json!({"interests": ["Career", "career"], "wanted_speaker_ids": [speaker]}))
            .parse(&context)
            .unwrap();
        assert_eq!(ok.interests, ["career"]);
        let Invalid(errors) =
            input(json!({"interests": ["cooking"], "wanted_speaker_ids": [Uuid::now_v7()]}))
                .parse(&context)
                .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["interests[0]", "wanted_speaker_ids[0]"]);
    }

    #[test]
    fn custom_questions_are_checked() {
        let text = question(QuestionKind::Text, true, &[]);
        let single = question(QuestionKind::SingleChoice, false, &["A", "B"]);
        let multi = question(QuestionKind::MultipleChoice, true, &["X", "Y", "Z"]);
        let context = FormContext {
            questions: vec![text.clone(), single.clone(), multi.clone()],
            ..Default::default()
        };
        let ok = input(
            json!({"answers": {text.id.to_string(): " hi ", multi.id.to_string(): ["Z", "X"]}}),
        )
        .parse(&context)
        .unwrap();
        assert_eq!(ok.answers[&text.id], Answer::Text("hi".into()));
        assert_eq!(
            ok.answers[&multi.id],
            Answer::Choices(vec!["X".into(), "Z".into()])
        );
        assert!(
            !ok.answers.contains_key(&single.id),
            "an optional question may stay blank"
        );

        let Invalid(errors) =
            input(json!({"answers": {single.id.to_string(): "C", multi.id.to_string(): ["W"]}}))
                .parse(&context)
                .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.clone()).collect();
        assert_eq!(
            fields,
            [
                format!("answers.{}", text.id),
                format!("answers.{}", single.id),
                format!("answers.{}", multi.id)
            ]
        );
    }
}
