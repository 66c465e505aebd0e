//! Organizer tokens, venues with rooms, speakers, events and their talk schedule.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(pk_uuid(ApiTokens::Id))
                    .col(string_uniq(ApiTokens::Name))
                    .col(string_uniq(ApiTokens::TokenHash))
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Venues::Table)
                    .col(pk_uuid(Venues::Id))
                    .col(string(Venues::Name))
                    .col(string(Venues::Address))
                    .col(string_null(Venues::MapUrl))
                    .col(integer_null(Venues::Capacity))
                    .col(text_null(Venues::Notes))
                    .col(timestamp_with_time_zone(Venues::CreatedAt))
                    .col(timestamp_with_time_zone(Venues::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Rooms::Table)
                    .col(pk_uuid(Rooms::Id))
                    .col(uuid(Rooms::VenueId))
                    .col(string(Rooms::Name))
                    .col(integer_null(Rooms::Capacity))
                    .col(integer(Rooms::Position))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Rooms::Table, Rooms::VenueId)
                            .to(Venues::Table, Venues::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, Rooms::Table, Rooms::VenueId, "idx_rooms_venue_id").await?;

        manager
            .create_table(
                Table::create()
                    .table(Speakers::Table)
                    .col(pk_uuid(Speakers::Id))
                    .col(string(Speakers::Name))
                    .col(string(Speakers::Email))
                    .col(integer_null(Speakers::AdmissionYear))
                    .col(string_null(Speakers::Cohort))
                    .col(string_null(Speakers::Affiliation))
                    .col(string_null(Speakers::JobTitle))
                    .col(text_null(Speakers::Bio))
                    .col(text(Speakers::Links))
                    .col(text(Speakers::Tags))
                    .col(timestamp_with_time_zone(Speakers::CreatedAt))
                    .col(timestamp_with_time_zone(Speakers::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Events::Table)
                    .col(pk_uuid(Events::Id))
                    .col(string(Events::Title))
                    .col(string_uniq(Events::Slug))
                    .col(text_null(Events::Description))
                    .col(timestamp_with_time_zone(Events::StartsAt))
                    .col(timestamp_with_time_zone(Events::EndsAt))
                    .col(string(Events::TimeZone))
                    .col(integer(Events::LocalYear))
                    .col(uuid_null(Events::VenueId))
                    .col(integer_null(Events::Capacity))
                    .col(timestamp_with_time_zone_null(Events::RegistrationOpensAt))
                    .col(timestamp_with_time_zone_null(Events::RegistrationClosesAt))
                    .col(text(Events::Tags))
                    .col(string(Events::Status))
                    .col(timestamp_with_time_zone_null(Events::PublishedAt))
                    .col(timestamp_with_time_zone(Events::CreatedAt))
                    .col(timestamp_with_time_zone(Events::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Events::Table, Events::VenueId)
                            .to(Venues::Table, Venues::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Events::Table,
            Events::VenueId,
            "idx_events_venue_id",
        )
        .await?;
        index(manager, Events::Table, Events::Status, "idx_events_status").await?;

        manager
            .create_table(
                Table::create()
                    .table(Talks::Table)
                    .col(pk_uuid(Talks::Id))
                    .col(uuid(Talks::EventId))
                    .col(string(Talks::Title))
                    .col(text_null(Talks::AbstractText))
                    .col(uuid_null(Talks::RoomId))
                    .col(timestamp_with_time_zone(Talks::StartsAt))
                    .col(timestamp_with_time_zone(Talks::EndsAt))
                    .col(string(Talks::Kind))
                    .col(text(Talks::Tags))
                    .col(timestamp_with_time_zone(Talks::CreatedAt))
                    .col(timestamp_with_time_zone(Talks::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Talks::Table, Talks::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Talks::Table, Talks::RoomId)
                            .to(Rooms::Table, Rooms::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, Talks::Table, Talks::EventId, "idx_talks_event_id").await?;
        index(manager, Talks::Table, Talks::RoomId, "idx_talks_room_id").await?;

        manager
            .create_table(
                Table::create()
                    .table(TalkSpeakers::Table)
                    .col(uuid(TalkSpeakers::TalkId))
                    .col(uuid(TalkSpeakers::SpeakerId))
                    .col(integer(TalkSpeakers::Position))
                    .primary_key(
                        Index::create()
                            .col(TalkSpeakers::TalkId)
                            .col(TalkSpeakers::SpeakerId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(TalkSpeakers::Table, TalkSpeakers::TalkId)
                            .to(Talks::Table, Talks::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(TalkSpeakers::Table, TalkSpeakers::SpeakerId)
                            .to(Speakers::Table, Speakers::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            TalkSpeakers::Table,
            TalkSpeakers::SpeakerId,
            "idx_talk_speakers_speaker_id",
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            TalkSpeakers::Table.into_iden(),
            Talks::Table.into_iden(),
            Events::Table.into_iden(),
            Speakers::Table.into_iden(),
            Rooms::Table.into_iden(),
            Venues::Table.into_iden(),
            ApiTokens::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn index<T, C>(
    manager: &SchemaManager<'_>,
    table: T,
    column: C,
    name: &str,
) -> Result<(), DbErr>
where
    T: IntoIden + 'static,
    C: IntoIden + 'static,
{
    manager
        .create_index(
            Index::create()
                .name(name)
                .table(table)
                .col(column)
                .to_owned(),
        )
        .await
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    Name,
    TokenHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Venues {
    Table,
    Id,
    Name,
    Address,
    MapUrl,
    Capacity,
    Notes,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Rooms {
    Table,
    Id,
    VenueId,
    Name,
    Capacity,
    Position,
}

#[derive(DeriveIden)]
enum Speakers {
    Table,
    Id,
    Name,
    Email,
    AdmissionYear,
    Cohort,
    Affiliation,
    JobTitle,
    Bio,
    Links,
    Tags,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    Title,
    Slug,
    Description,
    StartsAt,
    EndsAt,
    TimeZone,
    LocalYear,
    VenueId,
    Capacity,
    RegistrationOpensAt,
    RegistrationClosesAt,
    Tags,
    Status,
    PublishedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Talks {
    Table,
    Id,
    EventId,
    Title,
    AbstractText,
    RoomId,
    StartsAt,
    EndsAt,
    Kind,
    Tags,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TalkSpeakers {
    Table,
    TalkId,
    SpeakerId,
    Position,
}
