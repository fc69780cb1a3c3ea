//! The ESS accompaniment's dashboard reads each project's latest outcome from the project
//! itself: two columns kept in the transaction that records an outcome (the jobs and
//! whether the activity goes on, at twelve months, else six, else the end), filled here
//! for the projects that have outcomes already.

use super::helpers::a;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(a("acc_project"))
                .add_column(integer_null(a("outcome_jobs_tenths")))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(a("acc_project"))
                .add_column(boolean_null(a("outcome_active")))
                .to_owned(),
        )
        .await?;
        // The latest of a project's outcomes: twelve months, else six, else the end.
        let latest = |col: &str| {
            format!(
                "(SELECT o.{col} FROM acc_outcome o WHERE o.project_id = acc_project.id \
                 ORDER BY CASE o.moment WHEN '12_mois' THEN 12 WHEN '6_mois' THEN 6 ELSE 0 END \
                 DESC LIMIT 1)"
            )
        };
        m.get_connection()
            .execute_unprepared(&format!(
                "UPDATE acc_project SET outcome_jobs_tenths = {}, outcome_active = {}",
                latest("jobs_tenths"),
                latest("active")
            ))
            .await?;
        Ok(())
    }
}
