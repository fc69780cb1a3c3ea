//! Insertion pathways (PLIE-style): a participant's file held by the referent
//! counsellor's organisation and the organisations it shares it with, the barriers by
//! theme, the dated steps, the referrals to the directory's services, and the register
//! of the files anonymised at the end of their retention.

use super::helpers::{a, index, owned};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // A participant's file: the minimum personal data, the FSE+ data at entry, the
        // entry criterion, the pathway's days, the exit and the situation six months on.
        owned(
            m,
            "path_file",
            vec![
                big_integer(a("organisation_id")),
                big_integer(a("referent_id")),
                string_len(a("first_name"), 80),
                string_len(a("last_name"), 80),
                string_len(a("sex"), 1),
                integer(a("birth_year")),
                string_len(a("commune_code"), 5),
                string_len(a("ground"), 30),
                string_len(a("entered_on"), 10),
                string_len(a("ends_by"), 10),
                string_len(a("entry_status"), 30),
                string_len(a("education"), 20),
                string_len(a("disability"), 20),
                string_len(a("homeless"), 20),
                timestamp_with_time_zone(a("consent_at")),
                string_len_null(a("exited_on"), 10),
                string_len_null(a("exit_reason"), 30),
                text(a("exit_note")),
                string_len_null(a("follow_up_on"), 10),
                string_len_null(a("follow_up"), 30),
                // The last day anything was recorded: retention runs from it.
                string_len(a("last_contact_on"), 10),
                timestamp_with_time_zone_null(a("anonymised_at")),
                boolean(a("is_demo")),
                timestamp_with_time_zone(a("created_at")),
                timestamp_with_time_zone(a("updated_at")),
            ],
            &[
                ("organisation_id", "organisation"),
                ("referent_id", "person"),
            ],
        )
        .await?;
        index(m, "path_file", &["organisation_id", "entered_on"], false).await?;
        index(m, "path_file", &["territory_id", "entered_on"], false).await?;
        // Covers the dashboard's grouping (year of entry, commune, referent, exit).
        index(
            m,
            "path_file",
            &[
                "territory_id",
                "commune_code",
                "entered_on",
                "exit_reason",
                "referent_id",
            ],
            false,
        )
        .await?;
        index(m, "path_file", &["territory_id", "last_contact_on"], false).await?;
        index(m, "path_file", &["referent_id"], false).await?;
        // An organisation the file is shared with.
        owned(
            m,
            "path_share",
            vec![
                big_integer(a("file_id")),
                big_integer(a("organisation_id")),
                big_integer(a("shared_by")),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[
                ("file_id", "path_file"),
                ("organisation_id", "organisation"),
                ("shared_by", "person"),
            ],
        )
        .await?;
        index(m, "path_share", &["file_id", "organisation_id"], true).await?;
        index(m, "path_share", &["organisation_id"], false).await?;
        // A barrier to employment, by theme (a data·inclusion category), once per file.
        owned(
            m,
            "path_barrier",
            vec![
                big_integer(a("file_id")),
                string_len(a("barrier"), 60),
                text(a("note")),
                string_len(a("identified_on"), 10),
                string_len_null(a("lifted_on"), 10),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[("file_id", "path_file")],
        )
        .await?;
        index(m, "path_barrier", &["file_id", "barrier"], true).await?;
        // A step of the pathway.
        owned(
            m,
            "path_step",
            vec![
                big_integer(a("file_id")),
                string_len(a("kind"), 20),
                string_len(a("title"), 200),
                string_len(a("starts_on"), 10),
                string_len_null(a("ends_on"), 10),
                string_len(a("status"), 20),
                timestamp_with_time_zone(a("created_at")),
                timestamp_with_time_zone(a("updated_at")),
            ],
            &[("file_id", "path_file")],
        )
        .await?;
        index(m, "path_step", &["file_id", "starts_on"], false).await?;
        // A referral (orientation) from a barrier to a service of the directory.
        owned(
            m,
            "path_referral",
            vec![
                big_integer(a("file_id")),
                big_integer(a("barrier_id")),
                big_integer(a("service_id")),
                big_integer(a("structure_id")),
                text(a("message")),
                big_integer(a("sent_by")),
                timestamp_with_time_zone(a("sent_at")),
                string_len(a("state"), 20),
                big_integer_null(a("answered_by")),
                timestamp_with_time_zone_null(a("answered_at")),
                text(a("reason")),
            ],
            &[
                ("file_id", "path_file"),
                ("barrier_id", "path_barrier"),
                ("service_id", "dir_service"),
                ("structure_id", "dir_structure"),
                ("sent_by", "person"),
            ],
        )
        .await?;
        index(m, "path_referral", &["file_id", "sent_at"], false).await?;
        index(m, "path_referral", &["structure_id", "sent_at"], false).await?;
        // The register of files anonymised at the end of their retention: what was
        // eliminated and when, without any personal data.
        owned(
            m,
            "path_elimination",
            vec![
                big_integer(a("file_id")),
                big_integer(a("organisation_id")),
                integer(a("entry_year")),
                string_len(a("last_contact_on"), 10),
                timestamp_with_time_zone(a("eliminated_at")),
                string_len(a("basis"), 200),
            ],
            &[],
        )
        .await?;
        index(
            m,
            "path_elimination",
            &["territory_id", "eliminated_at"],
            false,
        )
        .await?;
        Ok(())
    }
}
