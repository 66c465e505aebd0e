use sea_orm::entity::prelude::*;

pub use crate::values::QuestionKind;

/// A custom question an organizer adds to an event's registration form.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "questions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    /// The question in Korean (the default language).
    pub label: String,
    /// The question in English, when the organizer gave one.
    pub label_en: Option<String>,
    pub kind: QuestionKind,
    /// JSON array of the choices (empty for text questions).
    pub options: String,
    /// JSON object of English labels for the options (option → label); `{}` when none.
    pub options_en: String,
    pub required: bool,
    pub position: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
