use sea_orm::entity::prelude::*;

pub use crate::values::Role;

/// Someone who registered for at least one event, known by their normalized email across
/// years. Profile fields come from their latest registration.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "people")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Trimmed and lowercased; NULL once the person is erased.
    #[sea_orm(unique)]
    pub email: Option<String>,
    pub name: String,
    pub role: Option<Role>,
    pub admission_year: Option<i32>,
    pub graduation_year: Option<i32>,
    pub affiliation: Option<String>,
    pub job_title: Option<String>,
    /// JSON array of interests.
    pub interests: String,
    pub erased_at: Option<DateTimeUtc>,
    /// Set when the person unsubscribed from reminders and surveys (transactional mail such
    /// as confirmations still arrives).
    pub email_opt_out_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
