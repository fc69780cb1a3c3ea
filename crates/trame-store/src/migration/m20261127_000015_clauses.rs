//! Insertion clauses in public procurement: buyers, their operations, the contracts (lots)
//! that carry a clause and its target, the people who work the hours, the hours declared
//! each month per person, contract and way of fulfilling, and the people's outcomes.

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
            "clause_buyer",
            vec![
                string_len(a("name"), 200),
                string_len_null(a("siret"), 14),
                string_len(a("kind"), 20),
                boolean(a("is_demo")),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[],
        )
        .await?;
        index(m, "clause_buyer", &["territory_id", "name"], true).await?;
        owned(
            m,
            "clause_operation",
            vec![
                big_integer(a("buyer_id")),
                string_len(a("name"), 200),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[("buyer_id", "clause_buyer")],
        )
        .await?;
        index(m, "clause_operation", &["buyer_id", "name"], true).await?;
        owned(
            m,
            "clause_contract",
            vec![
                big_integer(a("buyer_id")),
                big_integer_null(a("operation_id")),
                string_len(a("reference"), 60),
                string_len(a("object"), 500),
                string_len(a("cpv"), 10),
                big_integer(a("amount_cents")),
                string_len(a("notified_on"), 10),
                integer(a("duration_months")),
                string_len(a("ends_on"), 10),
                string_len_null(a("commune_code"), 5),
                string_len(a("awardee_siret"), 14),
                string_len(a("awardee_name"), 200),
                big_integer_null(a("awardee_org_id")),
                string_len(a("clause_type"), 30),
                big_integer(a("target_hours")),
                integer_null(a("labour_share_bp")),
                integer_null(a("rate_bp")),
                big_integer_null(a("hourly_cost_cents")),
                text_null(a("target_reason")),
                string_len_null(a("decp_considerations"), 300),
                boolean(a("is_demo")),
                big_integer(a("revision")),
                timestamp_with_time_zone(a("created_at")),
                timestamp_with_time_zone(a("updated_at")),
                // Running totals of the contract's hours, tenths, kept in the
                // transaction that declares or decides them: validated, and waiting.
                big_integer(a("done_tenths")).default(0).to_owned(),
                big_integer(a("pending_tenths")).default(0).to_owned(),
            ],
            // The awardee's organisation is a plain reference: deleting an organisation
            // never deletes a contract.
            &[
                ("buyer_id", "clause_buyer"),
                ("operation_id", "clause_operation"),
            ],
        )
        .await?;
        index(m, "clause_contract", &["territory_id", "reference"], true).await?;
        index(m, "clause_contract", &["territory_id", "ends_on"], false).await?;
        index(m, "clause_contract", &["awardee_org_id"], false).await?;
        owned(
            m,
            "clause_person",
            vec![
                string_len(a("first_name"), 80),
                string_len(a("last_name"), 80),
                string_len(a("sex"), 1),
                integer(a("birth_year")),
                string_len_null(a("commune_code"), 5),
                string_len(a("ground"), 30),
                string_len(a("proof"), 300),
                big_integer_null(a("validated_by")),
                string_len_null(a("validated_on"), 10),
                big_integer_null(a("referring_org_id")),
                boolean(a("is_demo")),
                timestamp_with_time_zone(a("created_at")),
            ],
            // Who validated and who refers are plain references, for the same reason.
            &[],
        )
        .await?;
        index(m, "clause_person", &["territory_id", "last_name"], false).await?;
        index(m, "clause_person", &["referring_org_id"], false).await?;
        owned(
            m,
            "clause_hours",
            vec![
                big_integer(a("contract_id")),
                big_integer(a("person_id")),
                // First day of the month, `YYYY-MM-01`.
                string_len(a("month"), 10),
                string_len(a("way"), 30),
                // Tenths of an hour.
                integer(a("tenths")),
                string_len(a("state"), 12),
                string_len_null(a("reject_reason"), 300),
                string_len(a("source"), 12),
                big_integer_null(a("declared_by")),
                big_integer_null(a("decided_by")),
                timestamp_with_time_zone(a("created_at")),
                timestamp_with_time_zone(a("updated_at")),
            ],
            &[
                ("contract_id", "clause_contract"),
                ("person_id", "clause_person"),
            ],
        )
        .await?;
        // Never counted twice: one line per contract, person, month and way.
        index(
            m,
            "clause_hours",
            &["contract_id", "person_id", "month", "way"],
            true,
        )
        .await?;
        index(m, "clause_hours", &["person_id", "month"], false).await?;
        // The yearly report reads tallies of the validated hours, kept in the transaction
        // that validates them: per contract, person, way and year (the people and their
        // hours), and per contract and month. Contracts are never edited, so the tallies
        // stay true; `Store::rebuild_clause_tallies` recomputes them from the lines.
        owned(
            m,
            "clause_tally_person",
            vec![
                big_integer(a("contract_id")),
                big_integer(a("person_id")),
                string_len(a("way"), 30),
                integer(a("year")),
                big_integer(a("lines")),
                big_integer(a("tenths")),
            ],
            &[
                ("contract_id", "clause_contract"),
                ("person_id", "clause_person"),
            ],
        )
        .await?;
        index(
            m,
            "clause_tally_person",
            &["contract_id", "person_id", "way", "year"],
            true,
        )
        .await?;
        index(
            m,
            "clause_tally_person",
            &[
                "territory_id",
                "year",
                "contract_id",
                "person_id",
                "way",
                "tenths",
            ],
            false,
        )
        .await?;
        owned(
            m,
            "clause_tally_month",
            vec![
                big_integer(a("contract_id")),
                string_len(a("month"), 10),
                big_integer(a("tenths")),
            ],
            &[("contract_id", "clause_contract")],
        )
        .await?;
        index(m, "clause_tally_month", &["contract_id", "month"], true).await?;
        index(
            m,
            "clause_tally_month",
            &["territory_id", "month", "contract_id", "tenths"],
            false,
        )
        .await?;
        owned(
            m,
            "clause_outcome",
            vec![
                big_integer(a("person_id")),
                big_integer(a("contract_id")),
                // `fin` (end of the mission) or `6_mois`.
                string_len(a("moment"), 10),
                string_len(a("outcome"), 30),
                string_len(a("observed_on"), 10),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[
                ("contract_id", "clause_contract"),
                ("person_id", "clause_person"),
            ],
        )
        .await?;
        index(
            m,
            "clause_outcome",
            &["person_id", "contract_id", "moment"],
            true,
        )
        .await?;
        // The territory's settings: labour shares per trade (the defaults of the code until
        // changed), the reference hourly cost and the convention for SIAE invoices.
        owned(
            m,
            "clause_trade",
            vec![
                string_len(a("code"), 40),
                integer(a("labour_share_bp")),
                timestamp_with_time_zone(a("updated_at")),
            ],
            &[],
        )
        .await?;
        index(m, "clause_trade", &["territory_id", "code"], true).await?;
        owned(
            m,
            "clause_setting",
            vec![
                big_integer(a("reference_hourly_cost_cents")),
                string_len(a("invoice_convention"), 12),
                timestamp_with_time_zone(a("updated_at")),
            ],
            &[],
        )
        .await?;
        index(m, "clause_setting", &["territory_id"], true).await?;
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("migrations are append-only".into()))
    }
}
