//! Employment forums: the forum with its capacity and the running count of places taken
//! (a registration takes a place by a conditional update, never beyond the capacity),
//! the exhibiting employers and their offers, the registrations (online or by a
//! counsellor, for a pathway's participant), and the interviews and hires recorded
//! afterwards.

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
            "forum",
            vec![
                string_len(a("title"), 200),
                string_len(a("held_on"), 10),
                string_len(a("place"), 200),
                string_len(a("commune_code"), 5),
                string_len(a("theme"), 200),
                integer(a("capacity")),
                // Places taken: moved only by `registered < capacity` updates.
                integer(a("registered")),
                big_integer_null(a("created_by")),
                boolean(a("is_demo")),
                timestamp_with_time_zone(a("created_at")),
                timestamp_with_time_zone(a("updated_at")),
            ],
            &[],
        )
        .await?;
        index(m, "forum", &["territory_id", "held_on"], false).await?;
        owned(
            m,
            "forum_employer",
            vec![
                big_integer(a("forum_id")),
                string_len(a("name"), 200),
                string_len(a("siret"), 14),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[("forum_id", "forum")],
        )
        .await?;
        index(m, "forum_employer", &["forum_id", "siret"], true).await?;
        owned(
            m,
            "forum_offer",
            vec![
                big_integer(a("forum_id")),
                big_integer(a("employer_id")),
                string_len(a("title"), 200),
                string_len(a("contract"), 100),
                integer(a("positions")),
                // The insertion-clause contract the offer comes from, if any.
                big_integer_null(a("clause_contract_id")),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[("forum_id", "forum"), ("employer_id", "forum_employer")],
        )
        .await?;
        index(m, "forum_offer", &["forum_id"], false).await?;
        owned(
            m,
            "forum_registration",
            vec![
                big_integer(a("forum_id")),
                string_len(a("first_name"), 80),
                string_len(a("last_name"), 80),
                // Absent when a counsellor registers a participant without one.
                string_len_null(a("email"), 254),
                string_len(a("phone"), 30),
                string_len_null(a("commune_code"), 5),
                big_integer_null(a("path_file_id")),
                big_integer_null(a("registered_by")),
                timestamp_with_time_zone(a("registered_at")),
                timestamp_with_time_zone_null(a("checked_in_at")),
            ],
            &[("forum_id", "forum")],
        )
        .await?;
        index(m, "forum_registration", &["forum_id", "email"], true).await?;
        index(m, "forum_registration", &["forum_id", "path_file_id"], true).await?;
        owned(
            m,
            "forum_result",
            vec![
                big_integer(a("forum_id")),
                big_integer(a("registration_id")),
                big_integer(a("employer_id")),
                big_integer_null(a("offer_id")),
                string_len(a("kind"), 20),
                big_integer(a("recorded_by")),
                timestamp_with_time_zone(a("recorded_at")),
            ],
            &[
                ("forum_id", "forum"),
                ("registration_id", "forum_registration"),
                ("employer_id", "forum_employer"),
            ],
        )
        .await?;
        index(
            m,
            "forum_result",
            &["registration_id", "employer_id", "kind"],
            true,
        )
        .await?;
        index(m, "forum_result", &["forum_id"], false).await?;
        Ok(())
    }
}
