use sea_orm::entity::prelude::*;

/// A claimed `Idempotency-Key`: the request it was first sent with (as a fingerprint) and
/// the registration that request made, so a retry gets that registration again. Lives 24
/// hours; holds no personal data.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub scope: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// SHA-256 of the request's method, path and body.
    pub fingerprint: String,
    /// NULL while the first request is still being processed.
    pub registration_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
