use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "speakers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub admission_year: Option<i32>,
    pub cohort: Option<String>,
    pub affiliation: Option<String>,
    pub job_title: Option<String>,
    pub bio: Option<String>,
    /// JSON array of `{label, url}` objects; text so it is portable across backends.
    pub links: String,
    /// JSON array of lowercase tags; text so `LIKE` filtering works on every backend.
    pub tags: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
