use sea_orm::entity::prelude::*;

/// Two people who shared a table: kept so later events seat them with new people.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "encounters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub session_id: Uuid,
    pub event_id: Uuid,
    /// The smaller of the two person ids.
    pub person_a: Uuid,
    pub person_b: Uuid,
    /// The year of the event, where it took place.
    pub year: i32,
    /// 1-based round.
    pub round: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
