//! Custom questions organizers add to an event's registration form: what a question is and
//! what makes one valid; `store` keeps them, `routes` serves them.

pub mod routes;
pub mod store;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use std::collections::BTreeMap;

use crate::domain::{EnglishLabels, Fields, Invalid, Text, optional_text, parsed};

pub use entity::values::QuestionKind;
pub use store::event_questions;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Question {
    pub id: Uuid,
    pub event_id: Uuid,
    #[schema(example = "뒤풀이에 참석하시나요?")]
    pub label: String,
    #[schema(example = "Will you join the after-party?")]
    pub label_en: Option<String>,
    pub kind: QuestionKind,
    pub options: Vec<String>,
    /// English labels of the options (option → label); an option without one is shown as
    /// it is.
    #[schema(value_type = BTreeMap<String, String>, example = json!({"네": "Yes", "아니요": "No"}))]
    pub options_en: EnglishLabels,
    pub required: bool,
    pub position: i32,
}

impl Question {
    /// The label in `language`, falling back to Korean.
    pub fn label_in(&self, language: super::Language) -> &str {
        match (language, &self.label_en) {
            (super::Language::En, Some(english)) => english,
            _ => &self.label,
        }
    }

    /// The input that would recreate this question: the base a PATCH is merged into.
    fn as_input(&self) -> QuestionInput {
        QuestionInput {
            label: self.label.clone(),
            label_en: self.label_en.clone(),
            kind: self.kind,
            options: self.options.clone(),
            options_en: self.options_en.as_map().clone(),
            required: self.required,
            position: Some(self.position),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionInput {
    #[schema(example = "뒤풀이에 참석하시나요?")]
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_en: Option<String>,
    pub kind: QuestionKind,
    /// The choices of a single or multiple choice question (at least two, distinct).
    #[serde(default)]
    #[schema(example = json!(["네", "아니요"]))]
    pub options: Vec<String>,
    /// English labels of the options, by option (each key one of `options`); the English
    /// form shows an option without one as it is.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schema(example = json!({"네": "Yes", "아니요": "No"}))]
    pub options_en: BTreeMap<String, String>,
    #[serde(default)]
    pub required: bool,
    /// Order on the form (default: after the others).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<i32>,
}

struct NewQuestion {
    label: String,
    label_en: Option<String>,
    kind: QuestionKind,
    options: Vec<String>,
    options_en: EnglishLabels,
    required: bool,
    position: Option<i32>,
}

impl QuestionInput {
    fn parse(&self) -> Result<NewQuestion, Invalid> {
        let mut fields = Fields::default();
        let label = fields.check("label", Text::<300>::parse(&self.label));
        let label_en = fields.check("label_en", optional_text::<300>(self.label_en.as_deref()));
        let mut options: Vec<String> = Vec::new();
        for (index, option) in self.options.iter().enumerate() {
            match Text::<100>::parse(option) {
                Ok(option) if options.contains(&option.as_str().to_string()) => {
                    fields.push(format!("options[{index}]"), "is listed twice")
                }
                Ok(option) => options.push(option.into_inner()),
                Err(message) => fields.push(format!("options[{index}]"), message),
            }
        }
        match self.kind {
            QuestionKind::Text if !self.options.is_empty() => {
                fields.push("options", "a text question has no options")
            }
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice if self.options.len() < 2 => {
                fields.push("options", "a choice question needs at least two options")
            }
            _ if self.options.len() > 30 => fields.push("options", "at most 30 options"),
            _ => {}
        }
        let options_en = fields.check(
            "options_en",
            EnglishLabels::parse(&self.options_en, &options, str::to_string),
        );
        fields.finish()?;
        Ok(NewQuestion {
            label: parsed(label).into_inner(),
            label_en: parsed(label_en),
            kind: self.kind,
            options,
            options_en: parsed(options_en),
            required: self.required,
            position: self.position,
        })
    }
}
