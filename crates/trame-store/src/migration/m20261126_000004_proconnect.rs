//! ProConnect (OpenID Connect): identities linked to accounts, and the pending logins
//! (state, nonce and PKCE verifier, single use).

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
                .table(a("person_identity"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("person_id")))
                .col(string_len(a("issuer"), 255))
                .col(string_len(a("subject"), 255))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_person_identity_person_id")
                        .from(a("person_identity"), a("person_id"))
                        .to(a("person"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_person_identity_issuer_subject")
                .table(a("person_identity"))
                .col(a("issuer"))
                .col(a("subject"))
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("oidc_login"))
                .col(string_len(a("state_hash"), 64).primary_key())
                .col(string_len(a("nonce"), 128))
                .col(string_len(a("pkce_verifier"), 128))
                .col(string_len(a("next"), 500))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone_null(a("used_at")))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("migrations are append-only".into()))
    }
}
