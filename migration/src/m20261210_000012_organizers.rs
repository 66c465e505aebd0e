//! Organizer accounts for the console: people with a name and an email, the one-time sign-in
//! links mailed to them, their sessions, the organizer behind each API token, and the audit
//! log of every change an organizer makes.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organizers::Table)
                    .col(pk_uuid(Organizers::Id))
                    // Stored lowercased, so one address is one organizer whatever its case.
                    .col(string_uniq(Organizers::Email))
                    .col(string(Organizers::Name))
                    .col(uuid_null(Organizers::InvitedBy))
                    .col(timestamp_with_time_zone(Organizers::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OrganizerSignInLinks::Table)
                    .col(pk_uuid(OrganizerSignInLinks::Id))
                    .col(uuid(OrganizerSignInLinks::OrganizerId))
                    .col(string_uniq(OrganizerSignInLinks::TokenHash))
                    .col(timestamp_with_time_zone(OrganizerSignInLinks::CreatedAt))
                    .col(timestamp_with_time_zone(OrganizerSignInLinks::ExpiresAt))
                    .col(timestamp_with_time_zone_null(OrganizerSignInLinks::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                OrganizerSignInLinks::Table,
                                OrganizerSignInLinks::OrganizerId,
                            )
                            .to(Organizers::Table, Organizers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Rate limiting counts an organizer's recent links.
        manager
            .create_index(
                Index::create()
                    .name("idx_sign_in_links_organizer_created")
                    .table(OrganizerSignInLinks::Table)
                    .col(OrganizerSignInLinks::OrganizerId)
                    .col(OrganizerSignInLinks::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OrganizerSessions::Table)
                    .col(pk_uuid(OrganizerSessions::Id))
                    .col(uuid(OrganizerSessions::OrganizerId))
                    .col(string_uniq(OrganizerSessions::TokenHash))
                    .col(string_null(OrganizerSessions::UserAgent))
                    .col(timestamp_with_time_zone(OrganizerSessions::CreatedAt))
                    .col(timestamp_with_time_zone(OrganizerSessions::LastSeenAt))
                    .col(timestamp_with_time_zone(OrganizerSessions::ExpiresAt))
                    .col(timestamp_with_time_zone_null(OrganizerSessions::EndedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(OrganizerSessions::Table, OrganizerSessions::OrganizerId)
                            .to(Organizers::Table, Organizers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_organizer_sessions_organizer")
                    .table(OrganizerSessions::Table)
                    .col(OrganizerSessions::OrganizerId)
                    .to_owned(),
            )
            .await?;
        // No foreign key: SQLite cannot add one to an existing table. Tokens made on the
        // command line before organizers existed have none.
        manager
            .alter_table(
                Table::alter()
                    .table(ApiTokens::Table)
                    .add_column(uuid_null(ApiTokens::OrganizerId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(pk_uuid(AuditLog::Id))
                    .col(timestamp_with_time_zone(AuditLog::At))
                    // Who: the organizer, and the API token when the change came through the
                    // API (none for the console and the command line).
                    .col(uuid_null(AuditLog::OrganizerId))
                    .col(string_null(AuditLog::OrganizerName))
                    .col(string_null(AuditLog::TokenName))
                    .col(string(AuditLog::Action))
                    .col(string(AuditLog::TargetType))
                    .col(uuid_null(AuditLog::TargetId))
                    .col(uuid_null(AuditLog::EventId))
                    // The changed fields: {"field": {"before": .., "after": ..}}.
                    .col(json(AuditLog::Changes))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_audit_log_event_at", AuditLog::EventId),
            ("idx_audit_log_organizer_at", AuditLog::OrganizerId),
            ("idx_audit_log_target", AuditLog::TargetId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(AuditLog::Table)
                        .col(column)
                        .col(AuditLog::At)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditLog::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ApiTokens::Table)
                    .drop_column(ApiTokens::OrganizerId)
                    .to_owned(),
            )
            .await?;
        for table in [
            OrganizerSessions::Table.into_iden(),
            OrganizerSignInLinks::Table.into_iden(),
            Organizers::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Organizers {
    Table,
    Id,
    Email,
    Name,
    InvitedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OrganizerSignInLinks {
    Table,
    Id,
    OrganizerId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum OrganizerSessions {
    Table,
    Id,
    OrganizerId,
    TokenHash,
    UserAgent,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    EndedAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    OrganizerId,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    OrganizerId,
    OrganizerName,
    TokenName,
    Action,
    TargetType,
    TargetId,
    EventId,
    Changes,
}
