//! When and where a networking session happens: an optional start time and a room of the
//! event's venue, shown in the tables mail.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time. No foreign key on the
        // room (SQLite cannot add one to an existing table); the service checks it belongs
        // to the event's venue.
        manager
            .alter_table(
                Table::alter()
                    .table(NetworkingSessions::Table)
                    .add_column(timestamp_with_time_zone_null(NetworkingSessions::StartsAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(NetworkingSessions::Table)
                    .add_column(uuid_null(NetworkingSessions::RoomId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [NetworkingSessions::RoomId, NetworkingSessions::StartsAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(NetworkingSessions::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum NetworkingSessions {
    Table,
    StartsAt,
    RoomId,
}
