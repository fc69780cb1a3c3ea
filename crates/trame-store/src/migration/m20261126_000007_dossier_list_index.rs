//! The instructors' list, unfiltered, walks the territory's dossiers by submission: an
//! index in that order spares sorting them all for each page.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("ix_dossier_territory_id_submitted_at")
                .table(Alias::new("dossier"))
                .col(Alias::new("territory_id"))
                .col(Alias::new("submitted_at"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("migrations are append-only".into()))
    }
}
