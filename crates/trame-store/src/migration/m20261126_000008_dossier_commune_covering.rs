//! The list filtered by commune reads the dossiers of one commune, in a state, latest
//! submitted first. The commune rows now carry their dossier's state and submission time
//! (kept in step by every transition, in the same transaction), so that an index answers
//! the page and the count without visiting each dossier: the page reads only its own
//! fifty dossiers. The two new indexes start like the old one, which they replace.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{string_len, timestamp_with_time_zone_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds them one at a time.
        m.alter_table(
            Table::alter()
                .table(a("dossier_commune"))
                .add_column(string_len(a("state"), 30).default(""))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(a("dossier_commune"))
                .add_column(timestamp_with_time_zone_null(a("submitted_at")))
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "UPDATE dossier_commune SET \
                 state = (SELECT d.state FROM dossier d WHERE d.id = dossier_commune.dossier_id), \
                 submitted_at = (SELECT d.submitted_at FROM dossier d \
                                 WHERE d.id = dossier_commune.dossier_id)",
            )
            .await?;
        for (name, cols) in [
            (
                "ix_dossier_commune_by_state",
                [
                    "territory_id",
                    "commune_code",
                    "state",
                    "submitted_at",
                    "dossier_id",
                ],
            ),
            (
                "ix_dossier_commune_by_submission",
                [
                    "territory_id",
                    "commune_code",
                    "submitted_at",
                    "dossier_id",
                    "state",
                ],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(a("dossier_commune"));
            for c in cols {
                index.col(a(c));
            }
            m.create_index(index.to_owned()).await?;
        }
        m.drop_index(
            Index::drop()
                .name("ix_dossier_commune_territory_id_commune_code")
                .table(a("dossier_commune"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("migrations are append-only".into()))
    }
}
