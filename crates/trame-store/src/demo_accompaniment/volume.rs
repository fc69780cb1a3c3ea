//! The benchmark volume of the accompaniment programme (`trame demo accompagnement
//! --projects N --sessions M`): generated cohorts, projects, sessions and outcomes in
//! the demo territory.

use crate::accompaniment::insert_cohort;
use crate::entities::{acc_outcome, acc_project, acc_session};
use crate::{Store, StoreError};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use trame_domain::accompaniment::programme::Cohort;
use trame_domain::accompaniment::vocab::{CohortFormat, Stage};

/// A volume of generated programme data, for benchmarks.
#[derive(Debug, Clone, Copy)]
pub struct AccVolume {
    /// Projects (in cohorts of 20, one year after another back from this one).
    pub projects: u32,
    /// Individual sessions, spread over the projects.
    pub sessions: u32,
}

impl Store {
    /// Adds generated cohorts, projects, sessions and outcomes to the demo territory:
    /// multi-row inserts of 1,000 rows, the projects' running totals computed as they
    /// go. Deterministic (a fixed linear congruential sequence). Returns the sessions
    /// written.
    pub async fn generate_accompaniment(&self, v: AccVolume) -> Result<u64, StoreError> {
        let territory = self.territory_by_slug("gpsea").await?;
        let scope = territory.scope();
        let communes: Vec<String> = self
            .communes(scope)
            .await?
            .into_iter()
            .map(|c| c.code_insee)
            .collect();
        let now = self.now();
        let this_year = now.year();
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |n: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % n.max(1)
        };
        let tx = self.begin_write().await?;
        let per_cohort = 20u32;
        let cohorts = v.projects.div_ceil(per_cohort);
        let mut projects: Vec<(i64, time::Date)> = Vec::new();
        for k in 0..cohorts {
            let year = this_year - i32::try_from(k / 3).unwrap_or(0);
            let starts = time::Date::from_calendar_date(year, time::Month::March, 2)
                .unwrap_or(time::Date::MIN)
                + time::Duration::days(i64::from(k % 3) * 60);
            let cohort = insert_cohort(
                &tx,
                now,
                None,
                scope,
                &Cohort {
                    name: format!("Promotion générée {}", k + 1),
                    format: CohortFormat::Pathway,
                    starts_on: starts,
                    ends_on: starts + time::Duration::days(180),
                    allocation_tenths: 200,
                    provider: None,
                },
                true,
            )
            .await?;
            let n = per_cohort.min(v.projects - k * per_cohort);
            let rows: Vec<acc_project::ActiveModel> = (0..n)
                .map(|i| {
                    let stage = Stage::ALL
                        .get(usize::try_from(next(5)).unwrap_or(0))
                        .copied()
                        .unwrap_or(Stage::Idea);
                    let commune = communes
                        .get(usize::try_from(next(communes.len() as u64)).unwrap_or(0))
                        .cloned();
                    acc_project::ActiveModel {
                        territory_id: Set(scope.territory_id()),
                        cohort_id: Set(cohort),
                        application_id: Set(None),
                        name: Set(format!("Projet généré {}-{}", k + 1, i + 1)),
                        kind: Set("structure".into()),
                        holder_first_name: Set("Porteur".into()),
                        holder_last_name: Set(format!("Généré {}", k * per_cohort + i + 1)),
                        holder_email: Set(format!(
                            "projet{}@genere.demo.trame.test",
                            k * per_cohort + i + 1
                        )),
                        structure_name: Set(String::new()),
                        siret: Set(None),
                        commune_code: Set(commune),
                        activity: Set("Projet généré pour les mesures.".into()),
                        stage: Set(stage.code().into()),
                        year: Set(starts.year()),
                        allocation_tenths: Set(200),
                        individual_tenths: Set(0),
                        collective_tenths: Set(0),
                        adviser_id: Set(None),
                        showcase_project_id: Set(None),
                        dossier_id: Set(None),
                        is_demo: Set(true),
                        created_at: Set(now),
                        updated_at: Set(now),
                        ..Default::default()
                    }
                })
                .collect();
            acc_project::Entity::insert_many(rows)
                .exec_without_returning(&tx)
                .await?;
            let ids: Vec<i64> = acc_project::Entity::find()
                .filter(acc_project::Column::CohortId.eq(cohort))
                .all(&tx)
                .await?
                .into_iter()
                .map(|p| p.id)
                .collect();
            projects.extend(ids.into_iter().map(|id| (id, starts)));
        }
        let adviser: i64 = crate::entities::person::Entity::find()
            .all(&tx)
            .await?
            .first()
            .map_or(0, |p| p.id);
        let mut totals: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
        let mut batch = Vec::with_capacity(1000);
        let mut written = 0u64;
        for s in 0..v.sessions {
            let Some((project, starts)) = projects
                .get(usize::try_from(next(projects.len() as u64)).unwrap_or(0))
                .copied()
            else {
                break;
            };
            let tenths = 10 + i32::try_from(next(30)).unwrap_or(0);
            *totals.entry(project).or_default() += i64::from(tenths);
            batch.push(acc_session::ActiveModel {
                territory_id: Set(scope.territory_id()),
                project_id: Set(project),
                held_on: Set((starts
                    + time::Duration::days(i64::try_from(next(180)).unwrap_or(0)))
                .to_string()),
                tenths: Set(tenths),
                kind: Set("individuel".into()),
                adviser_id: Set(adviser),
                summary: Set(format!("Séance générée {}", s + 1)),
                created_at: Set(now),
                ..Default::default()
            });
            if batch.len() == 1000 {
                written += batch.len() as u64;
                acc_session::Entity::insert_many(std::mem::take(&mut batch))
                    .exec_without_returning(&tx)
                    .await?;
            }
        }
        if !batch.is_empty() {
            written += batch.len() as u64;
            acc_session::Entity::insert_many(batch)
                .exec_without_returning(&tx)
                .await?;
        }
        for (project, tenths) in &totals {
            acc_project::Entity::update_many()
                .col_expr(acc_project::Column::IndividualTenths, Expr::value(*tenths))
                .filter(acc_project::Column::Id.eq(*project))
                .exec(&tx)
                .await?;
        }
        // An outcome at the end for every other project.
        let outcomes: Vec<acc_outcome::ActiveModel> = projects
            .iter()
            .step_by(2)
            .map(|(p, starts)| acc_outcome::ActiveModel {
                territory_id: Set(scope.territory_id()),
                project_id: Set(*p),
                moment: Set("fin".into()),
                observed_on: Set((*starts + time::Duration::days(180)).to_string()),
                active: Set(true),
                jobs_tenths: Set(5 + i32::try_from(next(20)).unwrap_or(0)),
                funds_cents: Set(0),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            })
            .collect();
        for chunk in outcomes.chunks(1000) {
            acc_outcome::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&tx)
                .await?;
        }
        crate::accompaniment::refresh_latest_outcome(&tx, scope.territory_id(), None).await?;
        tx.commit().await?;
        self.optimize().await?;
        Ok(written)
    }
}
