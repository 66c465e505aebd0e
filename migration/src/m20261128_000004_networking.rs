//! Networking sessions (rounds of tables computed by the matcher) and the encounters they
//! create, kept per event so later years avoid the same pairs.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(NetworkingSessions::Table)
                    .col(pk_uuid(NetworkingSessions::Id))
                    .col(uuid(NetworkingSessions::EventId))
                    .col(string(NetworkingSessions::Title))
                    .col(integer(NetworkingSessions::Rounds))
                    .col(integer(NetworkingSessions::TableSize))
                    .col(big_integer(NetworkingSessions::Seed))
                    .col(text(NetworkingSessions::Schedule))
                    .col(text(NetworkingSessions::Report))
                    .col(integer(NetworkingSessions::RoundsPlayed))
                    .col(string(NetworkingSessions::PlanKey).unique_key())
                    .col(timestamp_with_time_zone_null(
                        NetworkingSessions::PublishedAt,
                    ))
                    .col(timestamp_with_time_zone(NetworkingSessions::CreatedAt))
                    .col(timestamp_with_time_zone(NetworkingSessions::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(NetworkingSessions::Table, NetworkingSessions::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Encounters::Table)
                    .col(pk_uuid(Encounters::Id))
                    .col(uuid(Encounters::SessionId))
                    .col(uuid(Encounters::EventId))
                    .col(uuid(Encounters::PersonA))
                    .col(uuid(Encounters::PersonB))
                    .col(integer(Encounters::Year))
                    .col(integer(Encounters::Round))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Encounters::Table, Encounters::SessionId)
                            .to(NetworkingSessions::Table, NetworkingSessions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_encounters_person_a", Encounters::PersonA),
            ("idx_encounters_person_b", Encounters::PersonB),
            ("idx_encounters_session_id", Encounters::SessionId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Encounters::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Encounters::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(NetworkingSessions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum NetworkingSessions {
    Table,
    Id,
    EventId,
    Title,
    Rounds,
    TableSize,
    Seed,
    Schedule,
    Report,
    RoundsPlayed,
    PlanKey,
    PublishedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Encounters {
    Table,
    Id,
    SessionId,
    EventId,
    PersonA,
    PersonB,
    Year,
    Round,
}
