//! The programme's dashboard: projects per stage, hours delivered and jobs created, by
//! commune and by year (the year a project's cohort starts). It reads the projects'
//! running totals of hours and their latest outcome, never the sessions themselves, so
//! its cost follows the number of projects.

use crate::entities::{acc_outcome, acc_project};
use crate::{Scope, Store, StoreError};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
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
    fn add(&mut self, p: &Row, outcome: Option<&(i32, bool)>) {
        self.projects += 1;
        self.individual_tenths += p.3;
        self.collective_tenths += p.4;
        if let Some((jobs, active)) = outcome {
            self.jobs_tenths += i64::from(*jobs);
            self.with_outcome += 1;
            if *active {
                self.active += 1;
            }
        }
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

/// (id, year, commune, individual, collective, stage).
type Row = (i64, i32, Option<String>, i64, i64, String);

impl Store {
    /// The dashboard of the territory's programme, for one year or all, one commune or
    /// all.
    pub async fn acc_dashboard(
        &self,
        scope: Scope,
        year: Option<i32>,
        commune: Option<&str>,
    ) -> Result<Dashboard, StoreError> {
        let t = scope.territory_id();
        let (rows, outcomes) = tokio::try_join!(
            acc_project::Entity::find()
                .select_only()
                .column(acc_project::Column::Id)
                .column(acc_project::Column::Year)
                .column(acc_project::Column::CommuneCode)
                .column(acc_project::Column::IndividualTenths)
                .column(acc_project::Column::CollectiveTenths)
                .column(acc_project::Column::Stage)
                .filter(acc_project::Column::TerritoryId.eq(t))
                .into_tuple::<Row>()
                .all(&self.db),
            acc_outcome::Entity::find()
                .select_only()
                .column(acc_outcome::Column::ProjectId)
                .column(acc_outcome::Column::Moment)
                .column(acc_outcome::Column::JobsTenths)
                .column(acc_outcome::Column::Active)
                .filter(acc_outcome::Column::TerritoryId.eq(t))
                .into_tuple::<(i64, String, i32, bool)>()
                .all(&self.db),
        )?;
        // The latest outcome of each project: twelve months, else six, else the end.
        let rank = |m: &str| OutcomeMoment::from_code(m).map_or(0, OutcomeMoment::months_after);
        let mut latest: HashMap<i64, (u16, i32, bool)> = HashMap::new();
        for (p, m, jobs, active) in outcomes {
            let r = rank(&m);
            let e = latest.entry(p).or_insert((r, jobs, active));
            if r >= e.0 {
                *e = (r, jobs, active);
            }
        }
        let mut d = Dashboard::default();
        let mut stages: HashMap<String, i64> = HashMap::new();
        let mut years: BTreeMap<i32, Sums> = BTreeMap::new();
        let mut all_years: Vec<i32> = rows.iter().map(|r| r.1).collect();
        all_years.sort_unstable_by(|a, b| b.cmp(a));
        all_years.dedup();
        for r in &rows {
            if year.is_some_and(|y| y != r.1) || commune.is_some_and(|c| r.2.as_deref() != Some(c))
            {
                continue;
            }
            let o = latest.get(&r.0).map(|(_, j, a)| (*j, *a));
            d.total.add(r, o.as_ref());
            d.communes
                .entry(r.2.clone())
                .or_default()
                .add(r, o.as_ref());
            years.entry(r.1).or_default().add(r, o.as_ref());
            *stages.entry(r.5.clone()).or_default() += 1;
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
