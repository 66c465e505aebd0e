//! Seat counters on the event row: confirmed seats, people waiting and the last waitlist
//! number, changed in the transaction that changes a registration's status. Admission reads
//! them from the locked event row instead of counting registrations, so its cost does not
//! grow with the waitlist.

use sea_orm_migration::sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for column in COUNTERS {
            manager
                .alter_table(
                    Table::alter()
                        .table(Events::Table)
                        .add_column(big_integer(column).default(0))
                        .to_owned(),
                )
                .await?;
        }
        // Events registered for before this migration get their counts.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE events SET \
                 confirmed_count = (SELECT COUNT(*) FROM registrations r \
                     WHERE r.event_id = events.id AND r.status = 'confirmed'), \
                 waitlisted_count = (SELECT COUNT(*) FROM registrations r \
                     WHERE r.event_id = events.id AND r.status = 'waitlisted'), \
                 last_waitlist_seq = COALESCE((SELECT MAX(r.waitlist_seq) FROM registrations r \
                     WHERE r.event_id = events.id), 0)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in COUNTERS {
            manager
                .alter_table(
                    Table::alter()
                        .table(Events::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

const COUNTERS: [Events; 3] = [
    Events::ConfirmedCount,
    Events::WaitlistedCount,
    Events::LastWaitlistSeq,
];

#[derive(DeriveIden, Clone, Copy)]
enum Events {
    Table,
    ConfirmedCount,
    WaitlistedCount,
    LastWaitlistSeq,
}
