use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "talk_speakers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub talk_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub speaker_id: Uuid,
    /// Order of the speaker on the talk, as the organizer listed them.
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
