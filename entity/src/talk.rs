use sea_orm::entity::prelude::*;

pub use crate::values::TalkKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "talks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub title: String,
    /// The talk's abstract (`abstract` is a reserved word in Rust).
    pub abstract_text: Option<String>,
    pub room_id: Option<Uuid>,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub kind: TalkKind,
    /// JSON array of lowercase tags.
    pub tags: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
