//! Territory logos in a table of their own, so that looking a territory up never loads an
//! image; `territory.logo_mime` says whether there is one. (`territory.logo`, added in
//! migration 2, stays unused.)

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
                .table(a("territory_logo"))
                .col(big_integer(a("territory_id")).primary_key())
                .col(string_len(a("mime"), 40))
                .col(blob(a("bytes")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_territory_logo_territory_id")
                        .from(a("territory_logo"), a("territory_id"))
                        .to(a("territory"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("migrations are append-only".into()))
    }
}
