//! Database schema for homecoming. Written with sea-query builders only, so the same
//! migrations run on SQLite and PostgreSQL. Deliberately independent of the `entity` crate:
//! a migration describes the schema as it was when written, not as the code is today.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_foundation;
mod m20261128_000002_registration;
mod m20261128_000003_outbox;
mod m20261128_000004_networking;
mod m20261128_000005_service_secrets;
mod m20261128_000006_scheduled_mail;
mod m20261206_000007_hardening;
mod m20261207_000008_seat_counters;
mod m20261208_000009_manage_links;
mod m20261208_000010_english_labels;
mod m20261208_000011_session_time_and_room;
mod m20261210_000012_organizers;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_foundation::Migration),
            Box::new(m20261128_000002_registration::Migration),
            Box::new(m20261128_000003_outbox::Migration),
            Box::new(m20261128_000004_networking::Migration),
            Box::new(m20261128_000005_service_secrets::Migration),
            Box::new(m20261128_000006_scheduled_mail::Migration),
            Box::new(m20261206_000007_hardening::Migration),
            Box::new(m20261207_000008_seat_counters::Migration),
            Box::new(m20261208_000009_manage_links::Migration),
            Box::new(m20261208_000010_english_labels::Migration),
            Box::new(m20261208_000011_session_time_and_room::Migration),
            Box::new(m20261210_000012_organizers::Migration),
        ]
    }
}
