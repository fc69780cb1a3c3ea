//! The projects accompanied: their stages, individual sessions (with private
//! summaries), the cohort's workshops and who attended, milestones and outcomes.

use super::{CohortRow, Team, cohort_in, conflict, span_of};
use crate::audit::journal;
use crate::entities::{
    acc_attendance, acc_milestone, acc_outcome, acc_project, acc_session, acc_stage_change,
    acc_workshop, person,
};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::{HashMap, HashSet};
use trame_domain::accompaniment::journey::{Milestone, Outcome, Session, Workshop, check_move};
use trame_domain::accompaniment::vocab::{MilestoneKind, Stage};
use trame_domain::audit::action;
use trame_domain::format::paris_day;

/// A project as stored.
pub type ProjectRow = acc_project::Model;
/// A stage change as stored.
pub type StageRow = acc_stage_change::Model;

/// Who reads a project.
#[derive(Debug, Clone)]
pub enum Reader {
    /// A member of the team (the territory's or a provider's), by person id.
    Team(Team, i64),
    /// The project's holder: the account whose email the application gave.
    Holder(i64, String),
}

impl Reader {
    fn person(&self) -> i64 {
        match self {
            Reader::Team(_, p) | Reader::Holder(p, _) => *p,
        }
    }
}

/// A session as a reader sees it.
#[derive(Debug, Clone)]
pub struct SessionView {
    /// The session.
    pub id: i64,
    /// Day.
    pub held_on: String,
    /// Tenths of an hour.
    pub tenths: i32,
    /// Kind code.
    pub kind: String,
    /// The adviser's name.
    pub adviser: String,
    /// The summary, for the holder, the session's adviser and the referent adviser only.
    pub summary: Option<String>,
}

/// A workshop with its attendance.
#[derive(Debug, Clone)]
pub struct WorkshopView {
    /// The workshop.
    pub row: acc_workshop::Model,
    /// The projects present.
    pub present: Vec<i64>,
}

/// Everything a project's page shows.
#[derive(Debug, Clone)]
pub struct ProjectView {
    /// The project.
    pub project: ProjectRow,
    /// Its cohort.
    pub cohort: CohortRow,
    /// The referent adviser's name.
    pub adviser: Option<String>,
    /// Stage changes, oldest first.
    pub stages: Vec<StageRow>,
    /// Sessions, latest first.
    pub sessions: Vec<SessionView>,
    /// The cohort's workshops this project attended, latest first.
    pub workshops: Vec<acc_workshop::Model>,
    /// Milestones, oldest first.
    pub milestones: Vec<acc_milestone::Model>,
    /// Outcomes, by moment.
    pub outcomes: Vec<acc_outcome::Model>,
}

pub(crate) async fn project_in<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    team: &Team,
    id: i64,
) -> Result<(ProjectRow, CohortRow), StoreError> {
    let p = acc_project::Entity::find_by_id(id)
        .filter(acc_project::Column::TerritoryId.eq(scope.territory_id()))
        .first(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let c = cohort_in(db, scope, team, p.cohort_id).await?;
    Ok((p, c))
}

/// The display names of people, by id.
pub(crate) async fn names<C: ConnectionTrait>(
    db: &C,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, String>, StoreError> {
    let ids: HashSet<i64> = ids.into_iter().collect();
    Ok(person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.display_name))
        .collect())
}

impl Store {
    /// A cohort's projects, by name.
    pub async fn acc_projects(
        &self,
        scope: Scope,
        team: &Team,
        cohort_id: i64,
    ) -> Result<Vec<ProjectRow>, StoreError> {
        cohort_in(&self.db, scope, team, cohort_id).await?;
        Ok(acc_project::Entity::find()
            .filter(acc_project::Column::TerritoryId.eq(scope.territory_id()))
            .filter(acc_project::Column::CohortId.eq(cohort_id))
            .order_by_asc(acc_project::Column::Name)
            .all(&self.db)
            .await?)
    }

    /// The projects whose holder's email is `email`, latest first.
    pub async fn acc_holder_projects(
        &self,
        scope: Scope,
        email: &str,
    ) -> Result<Vec<ProjectRow>, StoreError> {
        Ok(acc_project::Entity::find()
            .filter(acc_project::Column::TerritoryId.eq(scope.territory_id()))
            .filter(acc_project::Column::HolderEmail.eq(email))
            .order_by_desc(acc_project::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// A project's page, as `reader` may see it: `NotFound` for a provider outside its
    /// cohorts or an account that does not hold it; summaries hidden from anyone but the
    /// holder, the session's adviser and the referent adviser.
    pub async fn acc_project_view(
        &self,
        scope: Scope,
        reader: &Reader,
        id: i64,
    ) -> Result<ProjectView, StoreError> {
        let (project, cohort) = match reader {
            Reader::Team(team, _) => project_in(&self.db, scope, team, id).await?,
            Reader::Holder(_, email) => {
                let (p, c) = project_in(&self.db, scope, &Team::Territory, id).await?;
                if !p.holder_email.eq_ignore_ascii_case(email) {
                    return Err(StoreError::NotFound);
                }
                (p, c)
            }
        };
        let viewer = reader.person();
        let holder = matches!(reader, Reader::Holder(..));
        let (stages, sessions, attended, milestones, outcomes) = tokio::try_join!(
            acc_stage_change::Entity::find()
                .filter(acc_stage_change::Column::ProjectId.eq(id))
                .order_by_asc(acc_stage_change::Column::Id)
                .all(&self.db),
            acc_session::Entity::find()
                .filter(acc_session::Column::ProjectId.eq(id))
                .order_by_desc(acc_session::Column::HeldOn)
                .order_by_desc(acc_session::Column::Id)
                .all(&self.db),
            acc_attendance::Entity::find()
                .filter(acc_attendance::Column::ProjectId.eq(id))
                .all(&self.db),
            acc_milestone::Entity::find()
                .filter(acc_milestone::Column::ProjectId.eq(id))
                .order_by_asc(acc_milestone::Column::ReachedOn)
                .order_by_asc(acc_milestone::Column::Id)
                .all(&self.db),
            acc_outcome::Entity::find()
                .filter(acc_outcome::Column::ProjectId.eq(id))
                .order_by_asc(acc_outcome::Column::ObservedOn)
                .all(&self.db),
        )?;
        let workshops = acc_workshop::Entity::find()
            .filter(acc_workshop::Column::Id.is_in(attended.iter().map(|a| a.workshop_id)))
            .order_by_desc(acc_workshop::Column::HeldOn)
            .all(&self.db)
            .await?;
        let who = names(
            &self.db,
            sessions
                .iter()
                .map(|s| s.adviser_id)
                .chain(project.adviser_id),
        )
        .await?;
        let sessions = sessions
            .into_iter()
            .map(|s| SessionView {
                id: s.id,
                summary: (holder || s.adviser_id == viewer || project.adviser_id == Some(viewer))
                    .then_some(s.summary),
                adviser: who.get(&s.adviser_id).cloned().unwrap_or_default(),
                held_on: s.held_on,
                tenths: s.tenths,
                kind: s.kind,
            })
            .collect();
        Ok(ProjectView {
            adviser: project.adviser_id.and_then(|a| who.get(&a).cloned()),
            project,
            cohort,
            stages,
            sessions,
            workshops,
            milestones,
            outcomes,
        })
    }

    /// Records an individual session run by `adviser_id` (who becomes the project's
    /// referent adviser if it has none) and adds its hours to the project's.
    pub async fn record_acc_session(
        &self,
        adviser_id: i64,
        scope: Scope,
        team: &Team,
        project_id: i64,
        s: &Session,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let (p, _) = project_in(&tx, scope, team, project_id).await?;
        let row = acc_session::ActiveModel {
            territory_id: Set(scope.territory_id()),
            project_id: Set(project_id),
            held_on: Set(s.held_on.to_string()),
            tenths: Set(s.tenths),
            kind: Set(s.kind.code().to_owned()),
            adviser_id: Set(adviser_id),
            summary: Set(s.summary.clone()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        let mut up = acc_project::Entity::update_many()
            .col_expr(
                acc_project::Column::IndividualTenths,
                Expr::col(acc_project::Column::IndividualTenths).add(i64::from(s.tenths)),
            )
            .col_expr(acc_project::Column::UpdatedAt, Expr::value(now));
        if p.adviser_id.is_none() {
            up = up.col_expr(
                acc_project::Column::AdviserId,
                Expr::value(Some(adviser_id)),
            );
        }
        up.filter(acc_project::Column::Id.eq(project_id))
            .exec(&tx)
            .await?;
        journal(
            &tx,
            now,
            Some(adviser_id),
            scope,
            action::ACC_SESSION_CREATE,
            "acc_session",
            row.id,
        )
        .await?;
        tx.commit().await?;
        Ok(row.id)
    }

    /// Moves a project to another stage, today; a skipped stage or a step back needs a
    /// reason. A conditional update from the stage the form showed, so two moves cannot
    /// both pass.
    pub async fn move_acc_stage(
        &self,
        actor_id: i64,
        scope: Scope,
        team: &Team,
        project_id: i64,
        to: Stage,
        reason: &str,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let (p, _) = project_in(&tx, scope, team, project_id).await?;
        let from = super::applications::stage_of(&p.stage);
        check_move(from, to, reason).map_err(|(field, message)| conflict(field, message))?;
        let done = acc_project::Entity::update_many()
            .col_expr(acc_project::Column::Stage, Expr::value(to.code()))
            .col_expr(acc_project::Column::UpdatedAt, Expr::value(now))
            .filter(acc_project::Column::Id.eq(project_id))
            .filter(acc_project::Column::Stage.eq(from.code()))
            .exec(&tx)
            .await?;
        if done.rows_affected != 1 {
            return Err(StoreError::Stale);
        }
        acc_stage_change::ActiveModel {
            territory_id: Set(scope.territory_id()),
            project_id: Set(project_id),
            from_stage: Set(Some(from.code().to_owned())),
            to_stage: Set(to.code().to_owned()),
            changed_on: Set(paris_day(now).to_string()),
            reason: Set(reason.trim().to_owned()),
            actor_id: Set(Some(actor_id)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        journal(
            &tx,
            now,
            Some(actor_id),
            scope,
            action::ACC_PROJECT_STAGE,
            "acc_project",
            project_id,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a milestone. Legal creation, first hire and first customer happen once;
    /// legal creation gives the project its SIRET.
    pub async fn record_acc_milestone(
        &self,
        actor_id: i64,
        scope: Scope,
        team: &Team,
        project_id: i64,
        m: &Milestone,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        project_in(&tx, scope, team, project_id).await?;
        if m.kind != MilestoneKind::FundsRaised {
            let already = acc_milestone::Entity::find()
                .filter(acc_milestone::Column::ProjectId.eq(project_id))
                .filter(acc_milestone::Column::Kind.eq(m.kind.code()))
                .first(&tx)
                .await?;
            if already.is_some() {
                return Err(conflict(
                    "kind",
                    format!("Le jalon « {} » est déjà noté.", m.kind.label()),
                ));
            }
        }
        let row = acc_milestone::ActiveModel {
            territory_id: Set(scope.territory_id()),
            project_id: Set(project_id),
            kind: Set(m.kind.code().to_owned()),
            reached_on: Set(m.reached_on.to_string()),
            siret: Set(m.siret.as_ref().map(|s| s.as_str().to_owned())),
            amount_cents: Set(m.amount.map(|a| a.cents())),
            note: Set(m.note.clone()),
            actor_id: Set(Some(actor_id)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        if let (MilestoneKind::LegalCreation, Some(siret)) = (m.kind, &m.siret) {
            acc_project::Entity::update_many()
                .col_expr(
                    acc_project::Column::Siret,
                    Expr::value(Some(siret.as_str().to_owned())),
                )
                .col_expr(acc_project::Column::UpdatedAt, Expr::value(now))
                .filter(acc_project::Column::Id.eq(project_id))
                .exec(&tx)
                .await?;
        }
        journal(
            &tx,
            now,
            Some(actor_id),
            scope,
            action::ACC_MILESTONE_CREATE,
            "acc_milestone",
            row.id,
        )
        .await?;
        tx.commit().await?;
        Ok(row.id)
    }

    /// Records a project's outcome at a moment (replacing an earlier record of the same
    /// moment).
    pub async fn set_acc_outcome(
        &self,
        actor_id: i64,
        scope: Scope,
        team: &Team,
        project_id: i64,
        o: &Outcome,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        project_in(&tx, scope, team, project_id).await?;
        let existing = acc_outcome::Entity::find()
            .filter(acc_outcome::Column::ProjectId.eq(project_id))
            .filter(acc_outcome::Column::Moment.eq(o.moment.code()))
            .first(&tx)
            .await?;
        let id = match existing {
            Some(e) => {
                let mut am: acc_outcome::ActiveModel = e.into();
                am.observed_on = Set(o.observed_on.to_string());
                am.active = Set(o.active);
                am.jobs_tenths = Set(o.jobs_tenths);
                am.funds_cents = Set(o.funds.cents());
                am.updated_at = Set(now);
                am.update(&tx).await?.id
            }
            None => {
                acc_outcome::ActiveModel {
                    territory_id: Set(scope.territory_id()),
                    project_id: Set(project_id),
                    moment: Set(o.moment.code().to_owned()),
                    observed_on: Set(o.observed_on.to_string()),
                    active: Set(o.active),
                    jobs_tenths: Set(o.jobs_tenths),
                    funds_cents: Set(o.funds.cents()),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&tx)
                .await?
                .id
            }
        };
        super::dashboard::refresh_latest_outcome(&tx, scope.territory_id(), Some(project_id))
            .await?;
        journal(
            &tx,
            now,
            Some(actor_id),
            scope,
            action::ACC_OUTCOME_SET,
            "acc_outcome",
            id,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A cohort's workshops with who attended, latest first.
    pub async fn acc_workshops(
        &self,
        scope: Scope,
        team: &Team,
        cohort_id: i64,
    ) -> Result<Vec<WorkshopView>, StoreError> {
        cohort_in(&self.db, scope, team, cohort_id).await?;
        let rows = acc_workshop::Entity::find()
            .filter(acc_workshop::Column::CohortId.eq(cohort_id))
            .order_by_desc(acc_workshop::Column::HeldOn)
            .order_by_desc(acc_workshop::Column::Id)
            .all(&self.db)
            .await?;
        let mut present: HashMap<i64, Vec<i64>> = HashMap::new();
        for a in acc_attendance::Entity::find()
            .filter(acc_attendance::Column::WorkshopId.is_in(rows.iter().map(|w| w.id)))
            .all(&self.db)
            .await?
        {
            present.entry(a.workshop_id).or_default().push(a.project_id);
        }
        Ok(rows
            .into_iter()
            .map(|row| WorkshopView {
                present: present.remove(&row.id).unwrap_or_default(),
                row,
            })
            .collect())
    }

    /// Records a workshop of a cohort and the projects present, whose collective hours
    /// grow by its duration. Every project must belong to the cohort.
    pub async fn create_acc_workshop(
        &self,
        actor_id: i64,
        scope: Scope,
        team: &Team,
        cohort_id: i64,
        w: &Workshop,
        present: &[i64],
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let cohort = cohort_in(&tx, scope, team, cohort_id).await?;
        let span = span_of(&cohort);
        if w.held_on < span.starts_on || w.held_on > span.ends_on {
            return Err(conflict(
                "held_on",
                "La date doit être comprise dans la promotion.",
            ));
        }
        let present: Vec<i64> = present
            .iter()
            .copied()
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let members = acc_project::Entity::find()
            .filter(acc_project::Column::CohortId.eq(cohort_id))
            .filter(acc_project::Column::Id.is_in(present.iter().copied()))
            .all(&tx)
            .await?;
        if members.len() != present.len() {
            return Err(conflict("present", "Cochez des projets de la promotion."));
        }
        let row = acc_workshop::ActiveModel {
            territory_id: Set(scope.territory_id()),
            cohort_id: Set(cohort_id),
            held_on: Set(w.held_on.to_string()),
            tenths: Set(w.tenths),
            theme: Set(w.theme.clone()),
            speaker: Set(w.speaker.clone()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        if !present.is_empty() {
            acc_attendance::Entity::insert_many(present.iter().map(|p| {
                acc_attendance::ActiveModel {
                    territory_id: Set(scope.territory_id()),
                    workshop_id: Set(row.id),
                    project_id: Set(*p),
                    created_at: Set(now),
                    ..Default::default()
                }
            }))
            .exec_without_returning(&tx)
            .await?;
            acc_project::Entity::update_many()
                .col_expr(
                    acc_project::Column::CollectiveTenths,
                    Expr::col(acc_project::Column::CollectiveTenths).add(i64::from(w.tenths)),
                )
                .filter(acc_project::Column::Id.is_in(present.iter().copied()))
                .exec(&tx)
                .await?;
        }
        journal(
            &tx,
            now,
            Some(actor_id),
            scope,
            action::ACC_WORKSHOP_CREATE,
            "acc_workshop",
            row.id,
        )
        .await?;
        tx.commit().await?;
        Ok(row.id)
    }

    /// Proposes a project for the showcase of supported projects: an unpublished entry
    /// (the showcase publishes it only once the holder's consent is recorded there). A
    /// person's project is named by the holder's first name and the project, never the
    /// last name. Once per project.
    pub async fn propose_acc_showcase(
        &self,
        actor_id: i64,
        scope: Scope,
        project_id: i64,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let (p, _) = project_in(&tx, scope, &Team::Territory, project_id).await?;
        if p.showcase_project_id.is_some() {
            return Err(conflict(
                "showcase",
                "Ce projet est déjà proposé pour la vitrine.",
            ));
        }
        let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>();
        let name = if p.kind == trame_domain::accompaniment::vocab::ApplicantKind::Person.code() {
            format!("{} — {}", p.holder_first_name, p.name)
        } else {
            p.name.clone()
        };
        let entry = trame_domain::showcase::Project {
            name: cut(&name, 150),
            mission: cut(&p.activity, 1000),
            website: None,
            commune_code: p.commune_code.clone(),
            scheme: "Accompagnement ESS".into(),
            year: p.year,
            consent_on: None,
            consent_note: String::new(),
            published: false,
        };
        let id =
            crate::showcase::insert_project(&tx, now, Some(actor_id), scope, &entry, None, false)
                .await?;
        let done = acc_project::Entity::update_many()
            .col_expr(
                acc_project::Column::ShowcaseProjectId,
                Expr::value(Some(id)),
            )
            .col_expr(acc_project::Column::UpdatedAt, Expr::value(now))
            .filter(acc_project::Column::Id.eq(project_id))
            .filter(acc_project::Column::ShowcaseProjectId.is_null())
            .exec(&tx)
            .await?;
        if done.rows_affected != 1 {
            return Err(conflict(
                "showcase",
                "Ce projet est déjà proposé pour la vitrine.",
            ));
        }
        journal(
            &tx,
            now,
            Some(actor_id),
            scope,
            action::ACC_PROJECT_SHOWCASE,
            "acc_project",
            project_id,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}
