//! A realistic sample homecoming, so a newcomer sees something at once.

use sea_orm::DatabaseConnection;

pub async fn load(_db: &DatabaseConnection) -> anyhow::Result<String> {
    anyhow::bail!("not yet")
}
