//! Bearer tokens of the JSON API, one organisation each; stored as SHA-256.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("api_token"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("territory_id")))
                .col(big_integer(a("organisation_id")))
                .col(string_len(a("name"), 120))
                .col(string_len(a("prefix"), 16))
                .col(string_len_uniq(a("token_hash"), 64))
                .col(big_integer_null(a("created_by")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone_null(a("last_used_at")))
                .col(timestamp_with_time_zone_null(a("revoked_at")))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_api_token_organisation_id")
                        .from(a("api_token"), a("organisation_id"))
                        .to(a("organisation"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_api_token_organisation")
                .table(a("api_token"))
                .col(a("organisation_id"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("migrations are append-only".into()))
    }
}
