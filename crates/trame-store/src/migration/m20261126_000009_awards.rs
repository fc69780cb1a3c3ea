//! Funding II: awards (one per accepted dossier, and later one per convention signed with
//! a partner or a commune) and their payments. A scheme says whether a convention is
//! required below the legal threshold, and its default payment schedule. The awards of
//! dossiers already accepted are created from them.

use super::helpers::{a, index, owned};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(a("scheme"))
                .add_column(boolean(a("convention_always")).default(false))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(a("scheme"))
                .add_column(string_len(a("schedule"), 100).default("80:signature,20:bilan"))
                .to_owned(),
        )
        .await?;
        owned(
            m,
            "award",
            vec![
                big_integer(a("scheme_id")),
                big_integer_null(a("organisation_id")),
                string_len_null(a("commune_code"), 5),
                big_integer_null(a("dossier_id")),
                string_len(a("reference"), 40),
                string_len(a("title"), 256),
                big_integer(a("amount_cents")),
                big_integer(a("budget_cents")),
                date(a("decided_on")),
                string_len(a("deliberation_ref"), 100),
                boolean(a("siege")).default(false).to_owned(),
                string_len(a("schedule"), 100),
                boolean(a("convention_required")),
                date_null(a("convention_signed_on")),
                date_null(a("starts_on")),
                date_null(a("ends_on")),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[
                ("scheme_id", "scheme"),
                ("organisation_id", "organisation"),
                ("dossier_id", "dossier"),
            ],
        )
        .await?;
        index(m, "award", &["territory_id", "reference"], true).await?;
        index(m, "award", &["dossier_id"], true).await?;
        index(m, "award", &["territory_id", "decided_on"], false).await?;
        index(m, "award", &["organisation_id"], false).await?;
        owned(
            m,
            "payment",
            vec![
                big_integer(a("award_id")),
                date(a("paid_on")),
                big_integer(a("amount_cents")),
                string_len(a("mandate_ref"), 50),
                big_integer_null(a("created_by")),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[("award_id", "award")],
        )
        .await?;
        index(m, "payment", &["award_id"], false).await?;
        // The awards of the dossiers already accepted, 80/20 and a convention above
        // 23,000 €, decided on the day of their decision (Paris time is within a day of
        // UTC; the decisions of the demo are taken at midday).
        let day = match m.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                "(d.decided_at AT TIME ZONE 'Europe/Paris')::date"
            }
            _ => "date(d.decided_at)",
        };
        m.get_connection()
            .execute_unprepared(&format!(
                "INSERT INTO award (territory_id, scheme_id, organisation_id, commune_code, \
                   dossier_id, reference, title, amount_cents, budget_cents, decided_on, \
                   deliberation_ref, siege, schedule, convention_required, created_at) \
                 SELECT d.territory_id, e.scheme_id, d.organisation_id, NULL, d.id, d.reference, \
                   substr(d.title, 1, 256), d.decision_cents, d.budget_cents, {day}, \
                   COALESCE(d.deliberation_ref, ''), FALSE, '80:signature,20:bilan', \
                   d.decision_cents > 2300000, d.decided_at \
                 FROM dossier d JOIN edition e ON e.id = d.edition_id \
                 WHERE d.state = 'accepte' AND d.decision_cents IS NOT NULL \
                   AND d.decided_at IS NOT NULL"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("migrations are append-only".into()))
    }
}
