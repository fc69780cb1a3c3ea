//! The programme's dashboard: projects per stage, hours delivered and jobs created, by
//! commune and by year (the year a project's cohort starts). It reads the projects'
//! running totals of hours and the latest outcome each project carries, never the
//! sessions or the outcomes themselves, and the database groups them: its answer has one
//! row per year, commune and stage.

use crate::{Scope, Store, StoreError};
use sea_orm::{ConnectionTrait, Statement};
use std::collections::{BTreeMap, HashMap};
use trame_domain::accompaniment::vocab::{OutcomeMoment, Stage};

/// Sums over a group of projects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sums {
    /// Projects.
    pub projects: i64,
    /// Individual hours delivered, tenths.
    pub individual_tenths: i64,
    /// Collective hours attended (workshop hours × projects present), tenths.
    pub collective_tenths: i64,
    /// Jobs created at the latest outcome, tenths of a full-time equivalent.
    pub jobs_tenths: i64,
    /// Projects whose latest outcome says the activity goes on.
    pub active: i64,
    /// Projects with an outcome.
    pub with_outcome: i64,
}

impl Sums {
    fn add(&mut self, g: &Group) {
        self.projects += g.sums.projects;
        self.individual_tenths += g.sums.individual_tenths;
        self.collective_tenths += g.sums.collective_tenths;
        self.jobs_tenths += g.sums.jobs_tenths;
        self.active += g.sums.active;
        self.with_outcome += g.sums.with_outcome;
    }
}

/// The dashboard.
#[derive(Debug, Clone, Default)]
pub struct Dashboard {
    /// Everything selected.
    pub total: Sums,
    /// Projects per stage, in the stages' order.
    pub stages: Vec<(Stage, i64)>,
    /// Per commune (INSEE code; `None`: no commune known), by code.
    pub communes: BTreeMap<Option<String>, Sums>,
    /// Per year, latest first.
    pub years: Vec<(i32, Sums)>,
    /// Every year with projects (for the filter), latest first.
    pub all_years: Vec<i32>,
}

/// The sums of the projects of one year, commune and stage, as the database groups them.
struct Group {
    year: i32,
    commune: Option<String>,
    stage: String,
    sums: Sums,
}

/// The rank of the moment of outcome `o`, in SQL (its months after the end): the latest
/// one counts.
fn rank(o: &str) -> String {
    let whens: String = OutcomeMoment::ALL
        .iter()
        .map(|m| format!(" WHEN '{}' THEN {}", m.code(), m.months_after()))
        .collect();
    format!("CASE {o}.moment{whens} ELSE 0 END")
}

/// Copies a project's latest outcome (twelve months, else six, else the end) onto the
/// project, for the dashboard: `project` alone, or every project of `territory`. Run in
/// the transaction that records outcomes.
pub(crate) async fn refresh_latest_outcome<C: ConnectionTrait>(
    tx: &C,
    territory: i64,
    project: Option<i64>,
) -> Result<(), StoreError> {
    let pg = tx.get_database_backend() == sea_orm::DatabaseBackend::Postgres;
    let p = |n: usize| if pg { format!("${n}") } else { format!("?{n}") };
    let latest = |col: &str| {
        format!(
            "(SELECT o.{col} FROM acc_outcome o WHERE o.project_id = acc_project.id \
             ORDER BY {} DESC LIMIT 1)",
            rank("o")
        )
    };
    let mut values: Vec<sea_orm::Value> = vec![territory.into()];
    let mut sql = format!(
        "UPDATE acc_project SET outcome_jobs_tenths = {}, outcome_active = {} \
         WHERE territory_id = {}",
        latest("jobs_tenths"),
        latest("active"),
        p(1)
    );
    if let Some(id) = project {
        sql.push_str(&format!(" AND id = {}", p(2)));
        values.push(id.into());
    }
    tx.execute_raw(Statement::from_sql_and_values(
        tx.get_database_backend(),
        sql,
        values,
    ))
    .await?;
    Ok(())
}

impl Store {
    /// The dashboard of the territory's programme, for one year or all, one commune or
    /// all. The database groups the projects by year, commune and stage, each carrying
    /// its latest outcome (see [`refresh_latest_outcome`]): a few hundred groups at most,
    /// summed here.
    pub async fn acc_dashboard(
        &self,
        scope: Scope,
        year: Option<i32>,
        commune: Option<&str>,
    ) -> Result<Dashboard, StoreError> {
        let p1 = if self.is_postgres() { "$1" } else { "?1" };
        // The groups come back as one JSON array in one row: a few hundred rows read one
        // by one through the driver cost more than the query itself.
        let grouped = format!(
            "SELECT year, commune_code, stage, COUNT(*) AS projects, \
             CAST(SUM(individual_tenths) AS BIGINT) AS individual, \
             CAST(SUM(collective_tenths) AS BIGINT) AS collective, \
             CAST(COALESCE(SUM(outcome_jobs_tenths), 0) AS BIGINT) AS jobs, \
             CAST(SUM(CASE WHEN outcome_active THEN 1 ELSE 0 END) AS BIGINT) AS active, \
             COUNT(outcome_active) AS with_outcome \
             FROM acc_project WHERE territory_id = {p1} \
             GROUP BY year, commune_code, stage"
        );
        let columns = "g.year, g.commune_code, g.stage, g.projects, g.individual, \
                       g.collective, g.jobs, g.active, g.with_outcome";
        let sql = if self.is_postgres() {
            format!(
                "SELECT COALESCE(json_agg(json_build_array({columns})), '[]'::json)::text \
                 AS groups FROM ({grouped}) g"
            )
        } else {
            format!("SELECT json_group_array(json_array({columns})) AS groups FROM ({grouped}) g")
        };
        let row = self
            .db
            .query_one_raw(Statement::from_sql_and_values(
                self.db.get_database_backend(),
                sql,
                [scope.territory_id().into()],
            ))
            .await?;
        let json: String = match row {
            Some(r) => r.try_get("", "groups")?,
            None => "[]".to_owned(),
        };
        type Raw = (i32, Option<String>, String, i64, i64, i64, i64, i64, i64);
        let raw: Vec<Raw> =
            serde_json::from_str(&json).map_err(|e| StoreError::Internal(e.to_string()))?;
        let groups: Vec<Group> = raw
            .into_iter()
            .map(
                |(year, commune, stage, projects, individual, collective, jobs, active, with)| {
                    Group {
                        year,
                        commune,
                        stage,
                        sums: Sums {
                            projects,
                            individual_tenths: individual,
                            collective_tenths: collective,
                            jobs_tenths: jobs,
                            active,
                            with_outcome: with,
                        },
                    }
                },
            )
            .collect();
        let mut d = Dashboard::default();
        let mut stages: HashMap<&str, i64> = HashMap::new();
        let mut years: BTreeMap<i32, Sums> = BTreeMap::new();
        let mut all_years: Vec<i32> = groups.iter().map(|g| g.year).collect();
        all_years.sort_unstable_by(|a, b| b.cmp(a));
        all_years.dedup();
        for g in &groups {
            if year.is_some_and(|y| y != g.year)
                || commune.is_some_and(|c| g.commune.as_deref() != Some(c))
            {
                continue;
            }
            d.total.add(g);
            d.communes.entry(g.commune.clone()).or_default().add(g);
            years.entry(g.year).or_default().add(g);
            *stages.entry(g.stage.as_str()).or_default() += g.sums.projects;
        }
        d.stages = Stage::ALL
            .iter()
            .map(|s| (*s, stages.get(s.code()).copied().unwrap_or(0)))
            .collect();
        d.years = years.into_iter().rev().collect();
        d.all_years = all_years;
        Ok(d)
    }
}
