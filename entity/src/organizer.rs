use sea_orm::entity::prelude::*;

/// Someone who runs homecomings: signs in to the console and owns API tokens.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organizers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Lowercased: one address is one organizer.
    #[sea_orm(unique)]
    pub email: String,
    pub name: String,
    /// The organizer who invited this one; none for the first, made on the command line.
    pub invited_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
