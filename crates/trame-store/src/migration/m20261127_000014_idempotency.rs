//! Idempotency keys: a form or API request that carries a key is written at most once.
//! The key's row is inserted in the same transaction as the change it made, so a retry
//! after a crash, a double click or ten identical requests at once find it.

use super::helpers::a;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("idempotency_key"))
                .col(string_len(a("key_hash"), 64).primary_key())
                .col(big_integer_null(a("person_id")))
                .col(string_len(a("method"), 10))
                .col(string_len(a("path"), 500))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(string_len_null(a("location"), 2000))
                .to_owned(),
        )
        .await?;
        super::helpers::index(m, "idempotency_key", &["created_at"], false).await
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("migrations are append-only".into()))
    }
}
