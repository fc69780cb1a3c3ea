//! The register of the intérêt territorial (deliberations, their document, the policies
//! declared of territorial interest), the showcase of supported ESS projects, and the
//! commune outlines a territory imports for its map.

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
            "interest_deliberation",
            vec![
                string_len(a("decided_on"), 10),
                string_len(a("reference"), 60),
                string_len(a("title"), 300),
                text(a("summary")),
                string_len(a("interest"), 12),
                boolean(a("is_demo")),
                timestamp_with_time_zone(a("created_at")),
                timestamp_with_time_zone(a("updated_at")),
            ],
            &[],
        )
        .await?;
        index(
            m,
            "interest_deliberation",
            &["territory_id", "decided_on"],
            false,
        )
        .await?;
        owned(
            m,
            "interest_document",
            vec![
                big_integer(a("deliberation_id")),
                string_len(a("filename"), 200),
                big_integer(a("size_bytes")),
                string_len(a("sha256"), 64),
                blob(a("bytes")),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[("deliberation_id", "interest_deliberation")],
        )
        .await?;
        index(m, "interest_document", &["deliberation_id"], true).await?;
        owned(
            m,
            "interest_policy",
            vec![
                big_integer(a("deliberation_id")),
                string_len(a("title"), 200),
                text(a("description")),
                string_len(a("effective_from"), 10),
                string_len_null(a("effective_until"), 10),
                timestamp_with_time_zone(a("created_at")),
                timestamp_with_time_zone(a("updated_at")),
            ],
            &[("deliberation_id", "interest_deliberation")],
        )
        .await?;
        index(m, "interest_policy", &["deliberation_id"], false).await?;
        index(
            m,
            "interest_policy",
            &["territory_id", "effective_from"],
            false,
        )
        .await?;

        owned(
            m,
            "showcase_project",
            vec![
                string_len(a("name"), 150),
                text(a("mission")),
                string_len_null(a("website"), 300),
                string_len_null(a("commune_code"), 5),
                string_len(a("scheme"), 120),
                integer(a("year")),
                string_len_null(a("consent_on"), 10),
                string_len(a("consent_note"), 300),
                boolean(a("published")),
                big_integer_null(a("award_id")),
                boolean(a("is_demo")),
                timestamp_with_time_zone(a("created_at")),
                timestamp_with_time_zone(a("updated_at")),
            ],
            &[("award_id", "award")],
        )
        .await?;
        index(
            m,
            "showcase_project",
            &["territory_id", "published", "year"],
            false,
        )
        .await?;
        index(m, "showcase_project", &["award_id"], true).await?;

        owned(
            m,
            "commune_outline",
            vec![
                string_len(a("code_insee"), 5),
                text(a("geometry")),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[],
        )
        .await?;
        index(m, "commune_outline", &["territory_id", "code_insee"], true).await?;
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("migrations are append-only".into()))
    }
}
