//! Manage links the service can make again: a link is the registration id signed with a key
//! shared by every instance and the registration's link generation, so every mail can carry a
//! working link and none revokes another. Raising the generation retires every link made
//! before. `manage_link_mailed_at` is when the link was last mailed because someone registered
//! the email again, so such requests mail at most once per interval.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(Registrations::Table)
                    .add_column(integer(Registrations::ManageLinkGeneration).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Registrations::Table)
                    .add_column(timestamp_with_time_zone_null(
                        Registrations::ManageLinkMailedAt,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Registrations::ManageLinkGeneration,
            Registrations::ManageLinkMailedAt,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Registrations::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Registrations {
    Table,
    ManageLinkGeneration,
    ManageLinkMailedAt,
}
