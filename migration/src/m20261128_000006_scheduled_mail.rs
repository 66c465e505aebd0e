//! Mail that runs itself: reminders before an event and the feedback survey after it,
//! calendar sequences for changed events, and opting out of non-transactional mail.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        let additions = [
            Table::alter()
                .table(Events::Table)
                .add_column(string(Events::ReminderOffsets).default("[10080,1440]"))
                .to_owned(),
            Table::alter()
                .table(Events::Table)
                .add_column(integer(Events::CalendarSequence).default(0))
                .to_owned(),
            Table::alter()
                .table(Registrations::Table)
                .add_column(timestamp_with_time_zone_null(Registrations::ConfirmedAt))
                .to_owned(),
            Table::alter()
                .table(People::Table)
                .add_column(timestamp_with_time_zone_null(People::EmailOptOutAt))
                .to_owned(),
            Table::alter()
                .table(OutboxMessages::Table)
                .add_column(string_null(OutboxMessages::ListUnsubscribe))
                .to_owned(),
        ];
        for alter in additions {
            manager.alter_table(alter).await?;
        }
        // Seats taken before this migration count as confirmed when they were last changed.
        manager
            .exec_stmt(
                Query::update()
                    .table(Registrations::Table)
                    .value(
                        Registrations::ConfirmedAt,
                        Expr::col(Registrations::UpdatedAt),
                    )
                    .and_where(Expr::col(Registrations::Status).eq("confirmed"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Mailings::Table)
                    .col(pk_uuid(Mailings::Id))
                    .col(uuid(Mailings::EventId))
                    .col(string(Mailings::Kind))
                    .col(integer(Mailings::OffsetMinutes))
                    .col(timestamp_with_time_zone(Mailings::DueAt))
                    .col(integer(Mailings::Recipients))
                    .col(timestamp_with_time_zone(Mailings::CompletedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Mailings::Table, Mailings::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_mailings_run")
                    .table(Mailings::Table)
                    .col(Mailings::EventId)
                    .col(Mailings::Kind)
                    .col(Mailings::OffsetMinutes)
                    .col(Mailings::DueAt)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Feedback::Table)
                    .col(pk_uuid(Feedback::Id))
                    .col(uuid(Feedback::EventId))
                    .col(uuid(Feedback::RegistrationId).unique_key())
                    .col(string(Feedback::TokenHash).unique_key())
                    .col(integer_null(Feedback::Rating))
                    .col(text_null(Feedback::BestPart))
                    .col(text_null(Feedback::ChangeNext))
                    .col(string_null(Feedback::ComeAgain))
                    .col(timestamp_with_time_zone(Feedback::InvitedAt))
                    .col(timestamp_with_time_zone_null(Feedback::SubmittedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Feedback::Table, Feedback::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Feedback::Table, Feedback::RegistrationId)
                            .to(Registrations::Table, Registrations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_feedback_event_id")
                    .table(Feedback::Table)
                    .col(Feedback::EventId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Feedback::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Mailings::Table).to_owned())
            .await?;
        let removals = [
            Table::alter()
                .table(OutboxMessages::Table)
                .drop_column(OutboxMessages::ListUnsubscribe)
                .to_owned(),
            Table::alter()
                .table(People::Table)
                .drop_column(People::EmailOptOutAt)
                .to_owned(),
            Table::alter()
                .table(Registrations::Table)
                .drop_column(Registrations::ConfirmedAt)
                .to_owned(),
            Table::alter()
                .table(Events::Table)
                .drop_column(Events::CalendarSequence)
                .to_owned(),
            Table::alter()
                .table(Events::Table)
                .drop_column(Events::ReminderOffsets)
                .to_owned(),
        ];
        for alter in removals {
            manager.alter_table(alter).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    ReminderOffsets,
    CalendarSequence,
}

#[derive(DeriveIden)]
enum Registrations {
    Table,
    Id,
    Status,
    UpdatedAt,
    ConfirmedAt,
}

#[derive(DeriveIden)]
enum People {
    Table,
    EmailOptOutAt,
}

#[derive(DeriveIden)]
enum OutboxMessages {
    Table,
    ListUnsubscribe,
}

#[derive(DeriveIden)]
enum Mailings {
    Table,
    Id,
    EventId,
    Kind,
    OffsetMinutes,
    DueAt,
    Recipients,
    CompletedAt,
}

#[derive(DeriveIden)]
enum Feedback {
    Table,
    Id,
    EventId,
    RegistrationId,
    TokenHash,
    Rating,
    BestPart,
    ChangeNext,
    ComeAgain,
    InvitedAt,
    SubmittedAt,
}
