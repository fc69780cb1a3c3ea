//! Funding I: schemes and editions of a call for projects, dossiers (their texts apart)
//! with their communes,
//! attachments and messages, commune opinions, commune referents, reviews and scores, and
//! the committee's scenarios.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

use super::helpers::{a, index, owned};

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        owned(
            m,
            "scheme",
            vec![
                string_len(a("kind"), 20),
                string_len(a("name"), 200),
                text(a("description")),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[],
        )
        .await?;
        owned(
            m,
            "edition",
            vec![
                big_integer(a("scheme_id")),
                integer(a("year")),
                string_len(a("title"), 200),
                text(a("description")),
                timestamp_with_time_zone(a("opens_at")),
                timestamp_with_time_zone(a("closes_at")),
                big_integer(a("total_cents")),
                big_integer(a("ceiling_cents")),
                integer(a("ceiling_share_percent")),
                integer(a("minimum_share_percent")),
                big_integer(a("step_cents")),
                string_len(a("allowed_forms"), 300),
                integer(a("opinion_days")),
                boolean(a("deemed_favourable")),
                integer(a("reviewer_cap")),
                timestamp_with_time_zone_null(a("published_at")),
                boolean(a("demo_amounts")).default(false).to_owned(),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[("scheme_id", "scheme")],
        )
        .await?;
        index(m, "edition", &["scheme_id", "year"], true).await?;
        owned(
            m,
            "edition_envelope",
            vec![
                big_integer(a("edition_id")),
                string_len(a("code"), 40),
                string_len(a("label"), 200),
                big_integer(a("amount_cents")),
            ],
            &[("edition_id", "edition")],
        )
        .await?;
        index(m, "edition_envelope", &["edition_id", "code"], true).await?;
        owned(
            m,
            "edition_criterion",
            vec![
                big_integer(a("edition_id")),
                integer(a("position")),
                string_len(a("code"), 40),
                string_len(a("label"), 200),
                integer(a("weight_percent")),
            ],
            &[("edition_id", "edition")],
        )
        .await?;
        index(m, "edition_criterion", &["edition_id", "code"], true).await?;
        owned(
            m,
            "dossier",
            vec![
                big_integer(a("edition_id")),
                big_integer(a("organisation_id")),
                string_len(a("reference"), 40),
                string_len(a("state"), 30),
                string_len(a("title"), 200),
                big_integer(a("requested_cents")).default(0).to_owned(),
                big_integer(a("budget_cents")).default(0).to_owned(),
                integer(a("jobs_fte_tenths")).default(0).to_owned(),
                string_len_null(a("envelope_code"), 40),
                big_integer_null(a("entrepreneur_id")),
                timestamp_with_time_zone_null(a("submitted_at")),
                string_len(a("labels"), 400).default("").to_owned(),
                string_len(a("checklist"), 400).default("").to_owned(),
                big_integer_null(a("decision_cents")),
                string_len_null(a("deliberation_ref"), 100),
                timestamp_with_time_zone_null(a("decided_at")),
                big_integer_null(a("created_by")),
                timestamp_with_time_zone(a("created_at")),
                timestamp_with_time_zone(a("updated_at")),
            ],
            &[
                ("edition_id", "edition"),
                ("organisation_id", "organisation"),
            ],
        )
        .await?;
        index(m, "dossier", &["territory_id", "reference"], true).await?;
        index(
            m,
            "dossier",
            &["territory_id", "state", "submitted_at"],
            false,
        )
        .await?;
        index(m, "dossier", &["edition_id", "state"], false).await?;
        index(m, "dossier", &["organisation_id"], false).await?;
        // The texts apart, so that lists and lookups read small rows.
        m.create_table(
            Table::create()
                .table(a("dossier_text"))
                .col(big_integer(a("dossier_id")).primary_key())
                .col(text(a("draft_json")))
                .col(text_null(a("content_json")))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_dossier_text_dossier_id")
                        .from(a("dossier_text"), a("dossier_id"))
                        .to(a("dossier"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        owned(
            m,
            "dossier_commune",
            vec![
                big_integer(a("dossier_id")),
                string_len(a("commune_code"), 5),
            ],
            &[("dossier_id", "dossier")],
        )
        .await?;
        index(m, "dossier_commune", &["dossier_id", "commune_code"], true).await?;
        index(
            m,
            "dossier_commune",
            &["territory_id", "commune_code"],
            false,
        )
        .await?;
        owned(
            m,
            "attachment",
            vec![
                big_integer(a("dossier_id")),
                string_len(a("kind"), 30),
                string_len(a("filename"), 200),
                string_len(a("mime"), 100),
                big_integer(a("size_bytes")),
                string_len(a("sha256"), 64),
                big_integer_null(a("uploaded_by")),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[("dossier_id", "dossier")],
        )
        .await?;
        index(m, "attachment", &["dossier_id"], false).await?;
        m.create_table(
            Table::create()
                .table(a("attachment_blob"))
                .col(big_integer(a("attachment_id")).primary_key())
                .col(blob(a("bytes")))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_attachment_blob_attachment_id")
                        .from(a("attachment_blob"), a("attachment_id"))
                        .to(a("attachment"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        owned(
            m,
            "dossier_message",
            vec![
                big_integer(a("dossier_id")),
                big_integer_null(a("author_id")),
                string_len(a("kind"), 20),
                text(a("body")),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[("dossier_id", "dossier")],
        )
        .await?;
        index(m, "dossier_message", &["dossier_id"], false).await?;
        owned(
            m,
            "commune_referent",
            vec![
                big_integer(a("person_id")),
                string_len(a("commune_code"), 5),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[("person_id", "person")],
        )
        .await?;
        index(
            m,
            "commune_referent",
            &["territory_id", "person_id", "commune_code"],
            true,
        )
        .await?;
        owned(
            m,
            "opinion_request",
            vec![
                big_integer(a("dossier_id")),
                string_len(a("commune_code"), 5),
                timestamp_with_time_zone(a("requested_at")),
                timestamp_with_time_zone(a("due_at")),
                string_len_null(a("answer"), 20),
                text(a("comment")).default("").to_owned(),
                big_integer_null(a("answered_by")),
                timestamp_with_time_zone_null(a("answered_at")),
                timestamp_with_time_zone_null(a("reminded_at")),
            ],
            &[("dossier_id", "dossier")],
        )
        .await?;
        index(m, "opinion_request", &["dossier_id", "commune_code"], true).await?;
        index(
            m,
            "opinion_request",
            &["territory_id", "commune_code"],
            false,
        )
        .await?;
        owned(
            m,
            "review",
            vec![
                big_integer(a("dossier_id")),
                big_integer(a("reviewer_id")),
                big_integer_null(a("assigned_by")),
                timestamp_with_time_zone(a("assigned_at")),
                boolean_null(a("conflict")),
                text(a("conflict_note")).default("").to_owned(),
                timestamp_with_time_zone_null(a("declared_at")),
                text(a("comment")).default("").to_owned(),
                timestamp_with_time_zone_null(a("scored_at")),
            ],
            &[("dossier_id", "dossier"), ("reviewer_id", "person")],
        )
        .await?;
        index(m, "review", &["dossier_id", "reviewer_id"], true).await?;
        index(m, "review", &["territory_id", "reviewer_id"], false).await?;
        owned(
            m,
            "review_score",
            vec![
                big_integer(a("review_id")),
                string_len(a("criterion_code"), 40),
                integer(a("score")),
            ],
            &[("review_id", "review")],
        )
        .await?;
        index(m, "review_score", &["review_id", "criterion_code"], true).await?;
        owned(
            m,
            "scenario",
            vec![
                big_integer(a("edition_id")),
                string_len(a("name"), 200),
                string_len(a("kind"), 20),
                integer(a("minimum_share_percent")),
                big_integer(a("step_cents")),
                big_integer_null(a("created_by")),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[("edition_id", "edition")],
        )
        .await?;
        owned(
            m,
            "scenario_line",
            vec![
                big_integer(a("scenario_id")),
                big_integer(a("dossier_id")),
                integer(a("rank")),
                string_len(a("outcome"), 20),
                big_integer(a("proposed_cents")),
                big_integer(a("amount_cents")),
                big_integer(a("from_earmarked_cents")),
                text_null(a("override_reason")),
            ],
            &[("scenario_id", "scenario"), ("dossier_id", "dossier")],
        )
        .await?;
        index(m, "scenario_line", &["scenario_id", "dossier_id"], true).await?;
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("migrations are append-only".into()))
    }
}
