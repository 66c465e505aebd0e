use sea_orm::entity::prelude::*;

pub use crate::values::ComeAgain;

/// An attendee's invitation to the feedback survey and, once they answer, their answers.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "feedback")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    #[sea_orm(unique)]
    pub registration_id: Uuid,
    /// SHA-256 of the survey link's token (the token itself is only in the email).
    #[sea_orm(unique)]
    pub token_hash: String,
    /// Overall rating, 1 to 5.
    pub rating: Option<i32>,
    pub best_part: Option<String>,
    pub change_next: Option<String>,
    pub come_again: Option<ComeAgain>,
    pub invited_at: DateTimeUtc,
    pub submitted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
