//! Personal API tokens of the territory's staff (agents and administrators): they read
//! the instructor's view of the JSON API — every dossier, award, payment and de minimis
//! ledger — with the person's roles, checked at each call.

use super::helpers::{a, index, owned};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        owned(
            m,
            "staff_token",
            vec![
                big_integer(a("person_id")),
                string_len(a("name"), 120),
                string_len(a("prefix"), 20),
                string_len(a("token_hash"), 64),
                timestamp_with_time_zone(a("created_at")),
                timestamp_with_time_zone_null(a("last_used_at")),
                timestamp_with_time_zone_null(a("revoked_at")),
            ],
            &[("person_id", "person")],
        )
        .await?;
        index(m, "staff_token", &["token_hash"], true).await?;
        index(m, "staff_token", &["territory_id", "person_id"], false).await?;
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("migrations are append-only".into()))
    }
}
