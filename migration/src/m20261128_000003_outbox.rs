//! The transactional outbox: every email is written here in the same transaction as the
//! change that causes it, already rendered, and a worker inside the service delivers it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OutboxMessages::Table)
                    .col(pk_uuid(OutboxMessages::Id))
                    .col(uuid_null(OutboxMessages::RegistrationId))
                    // e.g. `registration:<id>:confirmed:1`: one message per cause, even when
                    // the cause is replayed.
                    .col(string(OutboxMessages::DedupeKey).unique_key())
                    .col(string(OutboxMessages::Kind))
                    .col(string(OutboxMessages::Language))
                    .col(string(OutboxMessages::ToAddress))
                    .col(string_null(OutboxMessages::ToName))
                    .col(text(OutboxMessages::Subject))
                    .col(text(OutboxMessages::TextBody))
                    .col(text(OutboxMessages::HtmlBody))
                    .col(text_null(OutboxMessages::IcsBody))
                    .col(string_null(OutboxMessages::IcsMethod))
                    .col(string(OutboxMessages::Status))
                    .col(integer(OutboxMessages::Attempts).default(0))
                    .col(timestamp_with_time_zone(OutboxMessages::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(OutboxMessages::LeaseUntil))
                    .col(text_null(OutboxMessages::LastError))
                    .col(timestamp_with_time_zone(OutboxMessages::CreatedAt))
                    .col(timestamp_with_time_zone(OutboxMessages::UpdatedAt))
                    .col(timestamp_with_time_zone_null(OutboxMessages::SentAt))
                    .to_owned(),
            )
            .await?;
        // The worker's claim: due messages by status and time.
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_status_next_attempt")
                    .table(OutboxMessages::Table)
                    .col(OutboxMessages::Status)
                    .col(OutboxMessages::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_registration_id")
                    .table(OutboxMessages::Table)
                    .col(OutboxMessages::RegistrationId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OutboxMessages::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum OutboxMessages {
    Table,
    Id,
    RegistrationId,
    DedupeKey,
    Kind,
    Language,
    ToAddress,
    ToName,
    Subject,
    TextBody,
    HtmlBody,
    IcsBody,
    IcsMethod,
    Status,
    Attempts,
    NextAttemptAt,
    LeaseUntil,
    LastError,
    CreatedAt,
    UpdatedAt,
    SentAt,
}
