//! The directory (data·inclusion v1): structures, their services, the codes a list filters
//! on, and one revision counter per territory that the search caches follow.
//!
//! A record keeps its whole data·inclusion JSON in `record` (what import, export and the
//! pages read); the columns beside it are what lists sort and filter on. `dir_code` holds
//! one row per (service, kind, code): `t` thématique (both `category` and
//! `category--sub-theme`), `p` public, `y` type, `f` frais, `a` mode d'accueil, `z` zone
//! d'éligibilité as written (commune, département, EPCI SIREN, `france`).

use super::helpers::{a, index, owned};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn record_cols() -> Vec<ColumnDef> {
    vec![
        string_len(a("source"), 100),
        string_len(a("ext_id"), 200),
        string_len(a("status"), 12),
        string_len(a("nom"), 150),
        string_len_null(a("code_insee"), 5),
        text(a("record")),
        string_len(a("date_maj"), 10),
        boolean(a("is_demo")),
        big_integer(a("revision")),
        timestamp_with_time_zone(a("created_at")),
        timestamp_with_time_zone(a("updated_at")),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut cols = record_cols();
        cols.push(big_integer_null(a("organisation_id")));
        owned(
            m,
            "dir_structure",
            cols,
            &[("organisation_id", "organisation")],
        )
        .await?;
        index(
            m,
            "dir_structure",
            &["territory_id", "source", "ext_id"],
            true,
        )
        .await?;
        index(m, "dir_structure", &["territory_id", "revision"], false).await?;
        index(m, "dir_structure", &["organisation_id"], false).await?;

        let mut cols = record_cols();
        cols.push(big_integer(a("structure_id")));
        cols.push(timestamp_with_time_zone_null(a("stale_notified_at")));
        owned(m, "dir_service", cols, &[("structure_id", "dir_structure")]).await?;
        index(
            m,
            "dir_service",
            &["territory_id", "source", "ext_id"],
            true,
        )
        .await?;
        index(m, "dir_service", &["territory_id", "revision"], false).await?;
        index(m, "dir_service", &["territory_id", "status", "nom"], false).await?;
        index(m, "dir_service", &["structure_id"], false).await?;

        owned(
            m,
            "dir_code",
            vec![
                big_integer(a("service_id")),
                string_len(a("kind"), 1),
                string_len(a("code"), 120),
            ],
            &[("service_id", "dir_service")],
        )
        .await?;
        index(
            m,
            "dir_code",
            &["territory_id", "kind", "code", "service_id"],
            false,
        )
        .await?;
        index(m, "dir_code", &["service_id"], false).await?;

        owned(m, "dir_revision", vec![big_integer(a("revision"))], &[]).await?;
        index(m, "dir_revision", &["territory_id"], true).await?;
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("migrations are append-only".into()))
    }
}
