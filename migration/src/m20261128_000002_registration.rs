//! People known across years, their registrations, organizers' custom questions and the
//! idempotency keys of the public registration API.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Events::Table)
                    .add_column(boolean(Events::RequiresApproval).default(false))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(People::Table)
                    .col(pk_uuid(People::Id))
                    // NULL once the person is erased; unique while known.
                    .col(string_null(People::Email).unique_key())
                    .col(string(People::Name))
                    .col(string_null(People::Role))
                    .col(integer_null(People::AdmissionYear))
                    .col(integer_null(People::GraduationYear))
                    .col(string_null(People::Affiliation))
                    .col(string_null(People::JobTitle))
                    .col(text(People::Interests))
                    .col(timestamp_with_time_zone_null(People::ErasedAt))
                    .col(timestamp_with_time_zone(People::CreatedAt))
                    .col(timestamp_with_time_zone(People::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Questions::Table)
                    .col(pk_uuid(Questions::Id))
                    .col(uuid(Questions::EventId))
                    .col(string(Questions::Label))
                    .col(string_null(Questions::LabelEn))
                    .col(string(Questions::Kind))
                    .col(text(Questions::Options))
                    .col(boolean(Questions::Required))
                    .col(integer(Questions::Position))
                    .col(timestamp_with_time_zone(Questions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Questions::Table, Questions::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Questions::Table,
            &[Questions::EventId],
            "idx_questions_event_id",
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Registrations::Table)
                    .col(pk_uuid(Registrations::Id))
                    .col(uuid(Registrations::EventId))
                    .col(uuid(Registrations::PersonId))
                    .col(string_null(Registrations::Email))
                    // The email while the registration is active, NULL otherwise: the unique
                    // index on (event_id, active_email) allows one active registration per
                    // email per event on every backend (NULLs never collide).
                    .col(string_null(Registrations::ActiveEmail))
                    .col(string(Registrations::Name))
                    .col(string(Registrations::Role))
                    .col(integer_null(Registrations::AdmissionYear))
                    .col(integer_null(Registrations::GraduationYear))
                    .col(string_null(Registrations::Affiliation))
                    .col(string_null(Registrations::JobTitle))
                    .col(text(Registrations::Interests))
                    .col(text_null(Registrations::InterestsOther))
                    .col(text(Registrations::Goals))
                    .col(text(Registrations::WantedSpeakerIds))
                    .col(boolean(Registrations::ConsentShare))
                    .col(string(Registrations::Language))
                    .col(text(Registrations::Answers))
                    .col(string(Registrations::Status))
                    .col(big_integer_null(Registrations::WaitlistSeq))
                    .col(string(Registrations::ManageTokenHash).unique_key())
                    .col(string(Registrations::CheckinCode))
                    .col(timestamp_with_time_zone_null(Registrations::CheckedInAt))
                    .col(timestamp_with_time_zone_null(Registrations::CancelledAt))
                    .col(timestamp_with_time_zone(Registrations::CreatedAt))
                    .col(timestamp_with_time_zone(Registrations::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Registrations::Table, Registrations::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Registrations::Table, Registrations::PersonId)
                            .to(People::Table, People::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Registrations::Table,
            &[Registrations::EventId, Registrations::ActiveEmail],
            "uq_registrations_event_active_email",
            true,
        )
        .await?;
        index(
            manager,
            Registrations::Table,
            &[Registrations::EventId, Registrations::CheckinCode],
            "uq_registrations_event_checkin_code",
            true,
        )
        .await?;
        index(
            manager,
            Registrations::Table,
            &[Registrations::EventId, Registrations::Status],
            "idx_registrations_event_status",
            false,
        )
        .await?;
        index(
            manager,
            Registrations::Table,
            &[Registrations::PersonId],
            "idx_registrations_person_id",
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKeys::Table)
                    .col(string(IdempotencyKeys::Key))
                    .col(string(IdempotencyKeys::Scope))
                    .col(integer_null(IdempotencyKeys::ResponseStatus))
                    .col(text_null(IdempotencyKeys::ResponseBody))
                    .col(timestamp_with_time_zone(IdempotencyKeys::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(IdempotencyKeys::Scope)
                            .col(IdempotencyKeys::Key),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            IdempotencyKeys::Table.into_iden(),
            Registrations::Table.into_iden(),
            Questions::Table.into_iden(),
            People::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Events::Table)
                    .drop_column(Events::RequiresApproval)
                    .to_owned(),
            )
            .await
    }
}

async fn index<T, C>(
    manager: &SchemaManager<'_>,
    table: T,
    columns: &[C],
    name: &str,
    unique: bool,
) -> Result<(), DbErr>
where
    T: IntoIden + 'static,
    C: IntoIden + Copy + 'static,
{
    let mut statement = Index::create();
    statement.name(name).table(table);
    for column in columns {
        statement.col(*column);
    }
    if unique {
        statement.unique();
    }
    manager.create_index(statement.to_owned()).await
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    RequiresApproval,
}

#[derive(DeriveIden, Clone, Copy)]
enum People {
    Table,
    Id,
    Email,
    Name,
    Role,
    AdmissionYear,
    GraduationYear,
    Affiliation,
    JobTitle,
    Interests,
    ErasedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Questions {
    Table,
    Id,
    EventId,
    Label,
    LabelEn,
    Kind,
    Options,
    Required,
    Position,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Registrations {
    Table,
    Id,
    EventId,
    PersonId,
    Email,
    ActiveEmail,
    Name,
    Role,
    AdmissionYear,
    GraduationYear,
    Affiliation,
    JobTitle,
    Interests,
    InterestsOther,
    Goals,
    WantedSpeakerIds,
    ConsentShare,
    Language,
    Answers,
    Status,
    WaitlistSeq,
    ManageTokenHash,
    CheckinCode,
    CheckedInAt,
    CancelledAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    Key,
    Scope,
    ResponseStatus,
    ResponseBody,
    CreatedAt,
}
