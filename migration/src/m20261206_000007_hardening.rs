//! Hardening: idempotency keys bound to a fingerprint of their request and holding a
//! reference instead of a copy of the answer; table-plan keys stored as hashes.

use sea_orm_migration::sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};
use sha2::{Digest, Sha256};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The saved answers held a copy of the registration (personal data). They live 24 hours
        // and a retry after the change simply registers or answers "already registered".
        manager
            .drop_table(Table::drop().table(IdempotencyKeys::Table).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKeys::Table)
                    .col(string(IdempotencyKeys::Scope))
                    .col(string(IdempotencyKeys::Key))
                    .col(string(IdempotencyKeys::Fingerprint))
                    .col(uuid_null(IdempotencyKeys::RegistrationId))
                    .col(timestamp_with_time_zone(IdempotencyKeys::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(IdempotencyKeys::Scope)
                            .col(IdempotencyKeys::Key),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_idempotency_keys_created_at")
                    .table(IdempotencyKeys::Table)
                    .col(IdempotencyKeys::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_idempotency_keys_registration")
                    .table(IdempotencyKeys::Table)
                    .col(IdempotencyKeys::RegistrationId)
                    .to_owned(),
            )
            .await?;

        manager
            .alter_table(
                Table::alter()
                    .table(NetworkingSessions::Table)
                    .rename_column(NetworkingSessions::PlanKey, NetworkingSessions::PlanKeyHash)
                    .to_owned(),
            )
            .await?;
        // Plans already printed keep working: their keys are replaced by the keys' hashes.
        let db = manager.get_connection();
        let select = Query::select()
            .columns([NetworkingSessions::Id, NetworkingSessions::PlanKeyHash])
            .from(NetworkingSessions::Table)
            .to_owned();
        for row in db.query_all(&select).await? {
            let id: sea_orm_migration::sea_orm::prelude::Uuid = row.try_get("", "id")?;
            let key: String = row.try_get("", "plan_key_hash")?;
            let update = Query::update()
                .table(NetworkingSessions::Table)
                .value(
                    NetworkingSessions::PlanKeyHash,
                    hex::encode(Sha256::digest(key.as_bytes())),
                )
                .and_where(Expr::col(NetworkingSessions::Id).eq(id))
                .to_owned();
            db.execute(&update).await?;
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // Hashes cannot be turned back into keys.
        Err(DbErr::Migration(
            "m20261206_000007 cannot be undone: plan keys are stored as hashes".into(),
        ))
    }
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    Scope,
    Key,
    Fingerprint,
    RegistrationId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum NetworkingSessions {
    Table,
    Id,
    PlanKey,
    PlanKeyHash,
}
