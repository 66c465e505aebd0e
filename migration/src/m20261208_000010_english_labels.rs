//! English labels organizers give for Korean values: a question's options and an event's
//! tags, each a JSON object (value → label) in a text column; `{}` where none were given.

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
                    .table(Questions::Table)
                    .add_column(text(Questions::OptionsEn).default("{}"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Events::Table)
                    .add_column(text(Events::TagsEn).default("{}"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Events::Table)
                    .drop_column(Events::TagsEn)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Questions::Table)
                    .drop_column(Questions::OptionsEn)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Questions {
    Table,
    OptionsEn,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    TagsEn,
}
