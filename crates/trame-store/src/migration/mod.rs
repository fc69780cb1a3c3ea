//! The one migration set, for SQLite and PostgreSQL. Append-only: a change to the schema is
//! a new migration, never an edit of an old one.

use sea_orm_migration::prelude::*;

mod helpers;
mod m20261126_000001_core;
mod m20261126_000002_territory_admin;
mod m20261126_000003_api_tokens;
mod m20261126_000004_proconnect;
mod m20261126_000005_territory_logo;
mod m20261126_000006_funding;
mod m20261126_000007_dossier_list_index;
mod m20261126_000008_dossier_commune_covering;
mod m20261126_000009_awards;
mod m20261126_000010_reports_conventions;
mod m20261126_000011_staff_tokens;
mod m20261126_000012_directory;
mod m20261127_000013_register_showcase_outlines;
mod m20261127_000014_idempotency;
mod m20261127_000015_clauses;
mod m20261127_000016_accompaniment;
mod m20261127_000017_acc_latest_outcome;
mod m20261127_000018_pathways;
mod m20261127_000019_forums;

/// The migrator run by `trame migrate`, by `serve` at start-up and by the test kit.
#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_core::Migration),
            Box::new(m20261126_000002_territory_admin::Migration),
            Box::new(m20261126_000003_api_tokens::Migration),
            Box::new(m20261126_000004_proconnect::Migration),
            Box::new(m20261126_000005_territory_logo::Migration),
            Box::new(m20261126_000006_funding::Migration),
            Box::new(m20261126_000007_dossier_list_index::Migration),
            Box::new(m20261126_000008_dossier_commune_covering::Migration),
            Box::new(m20261126_000009_awards::Migration),
            Box::new(m20261126_000010_reports_conventions::Migration),
            Box::new(m20261126_000011_staff_tokens::Migration),
            Box::new(m20261126_000012_directory::Migration),
            Box::new(m20261127_000013_register_showcase_outlines::Migration),
            Box::new(m20261127_000014_idempotency::Migration),
            Box::new(m20261127_000015_clauses::Migration),
            Box::new(m20261127_000016_accompaniment::Migration),
            Box::new(m20261127_000017_acc_latest_outcome::Migration),
            Box::new(m20261127_000018_pathways::Migration),
            Box::new(m20261127_000019_forums::Migration),
        ]
    }
}
