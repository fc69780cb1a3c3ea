//! Funding II, continued: the years of an award (an amount each; one year for an award
//! from a call), its indicators, one final report per year (CERFA 15059), and the
//! conventions granted directly to partners and communes (a category, and the commune's
//! visa). The awards already made get their year (that of their decision) and its report,
//! due on 30 June of the next year.

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
                .table(a("award"))
                .add_column(string_len(a("category"), 30).default(""))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(a("award"))
                .add_column(date_null(a("commune_visa_on")))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(a("award"))
                .add_column(big_integer_null(a("commune_visa_by")))
                .to_owned(),
        )
        .await?;
        owned(
            m,
            "award_year",
            vec![
                big_integer(a("award_id")),
                integer(a("year")),
                big_integer(a("amount_cents")),
            ],
            &[("award_id", "award")],
        )
        .await?;
        index(m, "award_year", &["award_id", "year"], true).await?;
        owned(
            m,
            "award_indicator",
            vec![
                big_integer(a("award_id")),
                integer(a("position")),
                string_len(a("label"), 120),
                big_integer(a("target")),
            ],
            &[("award_id", "award")],
        )
        .await?;
        index(m, "award_indicator", &["award_id", "position"], true).await?;
        owned(
            m,
            "award_report",
            vec![
                big_integer(a("award_id")),
                integer(a("year")),
                date(a("due_on")),
                string_len(a("state"), 20),
                text_null(a("content_json")),
                timestamp_with_time_zone_null(a("submitted_at")),
                big_integer_null(a("submitted_by")),
                timestamp_with_time_zone_null(a("decided_at")),
                big_integer_null(a("decided_by")),
                text(a("comment")).default("").to_owned(),
                integer(a("reminders")).default(0).to_owned(),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[("award_id", "award")],
        )
        .await?;
        index(m, "award_report", &["award_id", "year"], true).await?;
        index(m, "award_report", &["state", "due_on"], false).await?;
        let (year, due) = match m.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => (
                "EXTRACT(YEAR FROM decided_on)::int",
                "make_date(EXTRACT(YEAR FROM decided_on)::int + 1, 6, 30)",
            ),
            _ => (
                "CAST(strftime('%Y', decided_on) AS INTEGER)",
                "(CAST(strftime('%Y', decided_on) AS INTEGER) + 1) || '-06-30'",
            ),
        };
        let db = m.get_connection();
        db.execute_unprepared(&format!(
            "INSERT INTO award_year (territory_id, award_id, year, amount_cents) \
             SELECT territory_id, id, {year}, amount_cents FROM award"
        ))
        .await?;
        db.execute_unprepared(&format!(
            "INSERT INTO award_report (territory_id, award_id, year, due_on, state, comment, \
               reminders, created_at) \
             SELECT territory_id, id, {year}, {due}, 'a_rendre', '', 0, created_at FROM award"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("migrations are append-only".into()))
    }
}
