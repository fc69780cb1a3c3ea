//! The ESS accompaniment programme: cohorts and the calls that recruit them, the
//! applications and the jury's marks, the projects accompanied with their stages,
//! sessions, workshops, milestones and outcomes, and the participants' FSE+ data.

use super::helpers::{a, index, owned};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // A cohort (promotion) of the accompaniment programme, with its calendar.
        owned(
            m,
            "acc_cohort",
            vec![
                string_len(a("name"), 120),
                string_len(a("format"), 20),
                string_len(a("starts_on"), 10),
                string_len(a("ends_on"), 10),
                integer(a("allocation_tenths")),
                big_integer_null(a("provider_org_id")),
                boolean(a("is_demo")),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[],
        )
        .await?;
        index(m, "acc_cohort", &["territory_id", "starts_on"], false).await?;
        // A call for candidates that recruits a cohort.
        owned(
            m,
            "acc_call",
            vec![
                big_integer(a("cohort_id")),
                string_len(a("title"), 200),
                text(a("description")),
                string_len(a("opens_on"), 10),
                string_len(a("closes_on"), 10),
                // Set when the team closes the call before its last day.
                timestamp_with_time_zone_null(a("closed_early_at")),
                boolean(a("is_demo")),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[("cohort_id", "acc_cohort")],
        )
        .await?;
        index(m, "acc_call", &["territory_id", "closes_on"], false).await?;
        index(m, "acc_call", &["cohort_id"], false).await?;
        // A jury member of a call.
        owned(
            m,
            "acc_jury",
            vec![
                big_integer(a("call_id")),
                big_integer(a("person_id")),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[("call_id", "acc_call"), ("person_id", "person")],
        )
        .await?;
        index(m, "acc_jury", &["call_id", "person_id"], true).await?;
        index(m, "acc_jury", &["person_id"], false).await?;
        // An application to a call, by a person or a structure.
        owned(
            m,
            "acc_application",
            vec![
                big_integer(a("call_id")),
                string_len(a("kind"), 20),
                string_len(a("first_name"), 80),
                string_len(a("last_name"), 80),
                string_len(a("email"), 254),
                string_len(a("phone"), 30),
                string_len(a("structure_name"), 200),
                string_len_null(a("siret"), 14),
                string_len_null(a("commune_residence"), 5),
                string_len_null(a("commune_activity"), 5),
                string_len(a("project_name"), 200),
                text(a("summary")),
                string_len(a("stage"), 20),
                text(a("needs")),
                string_len(a("state"), 20),
                text_null(a("decision_reason")),
                big_integer_null(a("decided_by")),
                timestamp_with_time_zone_null(a("decided_at")),
                timestamp_with_time_zone(a("consent_at")),
                boolean(a("is_demo")),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[("call_id", "acc_call")],
        )
        .await?;
        index(
            m,
            "acc_application",
            &["call_id", "state", "created_at"],
            false,
        )
        .await?;
        index(m, "acc_application", &["territory_id", "email"], false).await?;
        // A jury member's marks on an application.
        owned(
            m,
            "acc_score",
            vec![
                big_integer(a("application_id")),
                big_integer(a("person_id")),
                integer(a("motivation")),
                integer(a("utilite")),
                integer(a("ancrage")),
                integer(a("faisabilite")),
                integer(a("total")),
                text(a("comment")),
                timestamp_with_time_zone(a("created_at")),
                timestamp_with_time_zone(a("updated_at")),
            ],
            &[("application_id", "acc_application")],
        )
        .await?;
        index(m, "acc_score", &["application_id", "person_id"], true).await?;
        // A project accompanied in a cohort: its holder, its stage, its hours.
        owned(
            m,
            "acc_project",
            vec![
                big_integer(a("cohort_id")),
                big_integer_null(a("application_id")),
                string_len(a("name"), 200),
                string_len(a("kind"), 20),
                string_len(a("holder_first_name"), 80),
                string_len(a("holder_last_name"), 80),
                string_len(a("holder_email"), 254),
                string_len(a("structure_name"), 200),
                string_len_null(a("siret"), 14),
                string_len_null(a("commune_code"), 5),
                text(a("activity")),
                string_len(a("stage"), 20),
                integer(a("year")),
                integer(a("allocation_tenths")),
                big_integer(a("individual_tenths")).default(0).to_owned(),
                big_integer(a("collective_tenths")).default(0).to_owned(),
                big_integer_null(a("adviser_id")),
                big_integer_null(a("showcase_project_id")),
                big_integer_null(a("dossier_id")),
                boolean(a("is_demo")),
                timestamp_with_time_zone(a("created_at")),
                timestamp_with_time_zone(a("updated_at")),
            ],
            &[("cohort_id", "acc_cohort")],
        )
        .await?;
        index(
            m,
            "acc_project",
            &["territory_id", "cohort_id", "name"],
            false,
        )
        .await?;
        index(m, "acc_project", &["territory_id", "holder_email"], false).await?;
        index(
            m,
            "acc_project",
            &["territory_id", "year", "commune_code", "stage"],
            false,
        )
        .await?;
        index(m, "acc_project", &["application_id"], false).await?;
        // A move of a project from one stage to another.
        owned(
            m,
            "acc_stage_change",
            vec![
                big_integer(a("project_id")),
                string_len_null(a("from_stage"), 20),
                string_len(a("to_stage"), 20),
                string_len(a("changed_on"), 10),
                text(a("reason")),
                big_integer_null(a("actor_id")),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[("project_id", "acc_project")],
        )
        .await?;
        index(m, "acc_stage_change", &["project_id", "changed_on"], false).await?;
        // An individual session (or consultancy hours) of a project; its summary is private.
        owned(
            m,
            "acc_session",
            vec![
                big_integer(a("project_id")),
                string_len(a("held_on"), 10),
                integer(a("tenths")),
                string_len(a("kind"), 20),
                big_integer(a("adviser_id")),
                text(a("summary")),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[("project_id", "acc_project")],
        )
        .await?;
        index(m, "acc_session", &["project_id", "held_on"], false).await?;
        index(
            m,
            "acc_session",
            &["territory_id", "held_on", "tenths"],
            false,
        )
        .await?;
        // A collective workshop of a cohort.
        owned(
            m,
            "acc_workshop",
            vec![
                big_integer(a("cohort_id")),
                string_len(a("held_on"), 10),
                integer(a("tenths")),
                string_len(a("theme"), 200),
                string_len(a("speaker"), 200),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[("cohort_id", "acc_cohort")],
        )
        .await?;
        index(m, "acc_workshop", &["cohort_id", "held_on"], false).await?;
        index(m, "acc_workshop", &["territory_id", "held_on"], false).await?;
        // A project present at a workshop.
        owned(
            m,
            "acc_attendance",
            vec![
                big_integer(a("workshop_id")),
                big_integer(a("project_id")),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[
                ("workshop_id", "acc_workshop"),
                ("project_id", "acc_project"),
            ],
        )
        .await?;
        index(m, "acc_attendance", &["workshop_id", "project_id"], true).await?;
        index(m, "acc_attendance", &["project_id"], false).await?;
        // A dated milestone of a project.
        owned(
            m,
            "acc_milestone",
            vec![
                big_integer(a("project_id")),
                string_len(a("kind"), 30),
                string_len(a("reached_on"), 10),
                string_len_null(a("siret"), 14),
                big_integer_null(a("amount_cents")),
                text(a("note")),
                big_integer_null(a("actor_id")),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[("project_id", "acc_project")],
        )
        .await?;
        index(m, "acc_milestone", &["project_id", "reached_on"], false).await?;
        // A project's outcome at the end, 6 or 12 months later.
        owned(
            m,
            "acc_outcome",
            vec![
                big_integer(a("project_id")),
                string_len(a("moment"), 10),
                string_len(a("observed_on"), 10),
                boolean(a("active")),
                integer(a("jobs_tenths")),
                big_integer(a("funds_cents")),
                timestamp_with_time_zone(a("created_at")),
                timestamp_with_time_zone(a("updated_at")),
            ],
            &[("project_id", "acc_project")],
        )
        .await?;
        index(m, "acc_outcome", &["project_id", "moment"], true).await?;
        // A person accompanied, with the data FSE+ requires (given with consent).
        owned(
            m,
            "acc_participant",
            vec![
                big_integer(a("project_id")),
                string_len(a("first_name"), 80),
                string_len(a("last_name"), 80),
                string_len(a("sex"), 1),
                integer(a("birth_year")),
                string_len(a("entered_on"), 10),
                string_len(a("entry_status"), 30),
                string_len(a("education"), 20),
                string_len(a("disability"), 20),
                string_len(a("homeless"), 20),
                timestamp_with_time_zone(a("consent_at")),
                string_len_null(a("exited_on"), 10),
                string_len_null(a("exit_status"), 30),
                string_len_null(a("six_months_on"), 10),
                string_len_null(a("six_months_status"), 30),
                boolean(a("is_demo")),
                timestamp_with_time_zone(a("created_at")),
            ],
            &[("project_id", "acc_project")],
        )
        .await?;
        index(m, "acc_participant", &["project_id"], false).await?;
        index(m, "acc_participant", &["territory_id", "entered_on"], false).await?;
        Ok(())
    }
}
