//! Passing an accompanied project to the call for projects: its holder opens, for one of
//! the organisations they act for, a draft dossier pre-filled from the project
//! (`trame_domain::accompaniment::handover`). Once per project: the project remembers its
//! dossier, and the team sees where it stands.

use super::projects::project_in;
use super::{Team, conflict};
use crate::audit::journal;
use crate::entities::{acc_application, acc_milestone, acc_outcome, acc_project, dossier};
use crate::funding::DossierRow;
use crate::funding::dossiers::open_dossier_in;
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use trame_domain::accompaniment::handover::{Accompanied, Reached, draft};
use trame_domain::accompaniment::vocab::{MilestoneKind, OutcomeMoment, Stage};
use trame_domain::audit::action;

/// The message when a project already has its dossier.
const ALREADY: &str = "Ce projet a déjà son dossier à l'appel à projets.";

impl Store {
    /// Opens the draft dossier of project `project_id` on edition `edition_id`, for
    /// `organisation_id`, pre-filled from the project; `person_id` and `email` are the
    /// holder's (`NotFound` for anyone else, or an organisation they do not act for).
    /// The edition must accept submissions; the project must not have a dossier yet.
    pub async fn acc_pass_to_call(
        &self,
        person_id: i64,
        email: &str,
        scope: Scope,
        project_id: i64,
        edition_id: i64,
        organisation_id: i64,
    ) -> Result<DossierRow, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let (p, cohort) = project_in(&tx, scope, &Team::Territory, project_id).await?;
        if !p.holder_email.eq_ignore_ascii_case(email) {
            return Err(StoreError::NotFound);
        }
        if p.dossier_id.is_some() {
            return Err(conflict("edition", ALREADY));
        }
        let application_summary = match p.application_id {
            Some(a) => acc_application::Entity::find_by_id(a)
                .first(&tx)
                .await?
                .map(|a| a.summary),
            None => None,
        };
        let milestones = acc_milestone::Entity::find()
            .filter(acc_milestone::Column::ProjectId.eq(project_id))
            .order_by_asc(acc_milestone::Column::ReachedOn)
            .order_by_asc(acc_milestone::Column::Id)
            .all(&tx)
            .await?
            .into_iter()
            .filter_map(|m| {
                Some(Reached {
                    kind: MilestoneKind::from_code(&m.kind)?,
                    on: m.reached_on,
                    siret: m.siret,
                    amount_cents: m.amount_cents,
                })
            })
            .collect();
        let months = |m: &str| OutcomeMoment::from_code(m).map_or(0, OutcomeMoment::months_after);
        let jobs_tenths = acc_outcome::Entity::find()
            .filter(acc_outcome::Column::ProjectId.eq(project_id))
            .all(&tx)
            .await?
            .into_iter()
            .max_by_key(|o| months(&o.moment))
            .map(|o| o.jobs_tenths);
        let form = draft(&Accompanied {
            name: p.name.clone(),
            activity: p.activity.clone(),
            application_summary,
            cohort: cohort.name.clone(),
            cohort_days: (cohort.starts_on.clone(), cohort.ends_on.clone()),
            stage: Stage::from_code(&p.stage).unwrap_or(Stage::Idea),
            individual_tenths: p.individual_tenths,
            collective_tenths: p.collective_tenths,
            milestones,
            jobs_tenths,
            commune: p.commune_code.clone(),
        });
        let row = open_dossier_in(&tx, now, person_id, scope, edition_id, organisation_id).await?;
        let json = serde_json::to_string(&form).map_err(|e| StoreError::Internal(e.to_string()))?;
        crate::funding::write_texts(&tx, row.id, json, None).await?;
        dossier::Entity::update_many()
            .col_expr(dossier::Column::Title, Expr::value(form.title.clone()))
            .filter(dossier::Column::Id.eq(row.id))
            .exec(&tx)
            .await?;
        let done = acc_project::Entity::update_many()
            .col_expr(acc_project::Column::DossierId, Expr::value(Some(row.id)))
            .col_expr(acc_project::Column::UpdatedAt, Expr::value(now))
            .filter(acc_project::Column::Id.eq(project_id))
            .filter(acc_project::Column::DossierId.is_null())
            .exec(&tx)
            .await?;
        if done.rows_affected != 1 {
            return Err(conflict("edition", ALREADY));
        }
        journal(
            &tx,
            now,
            Some(person_id),
            scope,
            action::ACC_PROJECT_DOSSIER,
            "acc_project",
            project_id,
        )
        .await?;
        tx.commit().await?;
        Ok(DossierRow {
            title: form.title,
            ..row
        })
    }

    /// The dossier a project was passed to the call for projects with: its reference and
    /// state code.
    pub async fn acc_project_dossier(
        &self,
        scope: Scope,
        dossier_id: i64,
    ) -> Result<DossierRow, StoreError> {
        crate::funding::dossier_in(&self.db, scope, dossier_id).await
    }
}
