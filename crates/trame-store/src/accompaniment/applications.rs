//! Applications to a call, the jury and its marks, and the decision that turns a
//! selected application into a project of the call's cohort.

use super::{Team, call_in, cohort_in, conflict, window_of};
use crate::audit::journal;
use crate::entities::{
    acc_application, acc_call, acc_jury, acc_project, acc_score, acc_stage_change, membership,
    person,
};
use crate::outbox::{NewEmail, queue};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::HashMap;
use trame_domain::accompaniment::application::{Application, Decision, Score};
use trame_domain::accompaniment::programme::Window;
use trame_domain::accompaniment::vocab::{ApplicationState, Stage};
use trame_domain::audit::action;
use trame_domain::format::paris_day;
use trame_domain::role::Role;

/// An application as stored.
pub type ApplicationRow = acc_application::Model;

/// An application in a list, with the jury's marks so far.
#[derive(Debug, Clone)]
pub struct ApplicationSummary {
    /// The application.
    pub row: ApplicationRow,
    /// How many jury members marked it.
    pub marks: usize,
    /// The mean total out of 20, tenths (none before any mark).
    pub mean_tenths: Option<i64>,
    /// The viewer's own total, when the viewer is on the jury and marked it.
    pub own: Option<i32>,
}

/// One jury member's marks on an application.
#[derive(Debug, Clone)]
pub struct JuryMark {
    /// The member.
    pub person_id: i64,
    /// The member's name.
    pub name: String,
    /// Marks in the order of the grid.
    pub marks: [i32; 4],
    /// Total.
    pub total: i32,
    /// Comment.
    pub comment: String,
}

async fn is_jury<C: ConnectionTrait>(
    db: &C,
    call_id: i64,
    person_id: i64,
) -> Result<bool, StoreError> {
    Ok(acc_jury::Entity::find()
        .filter(acc_jury::Column::CallId.eq(call_id))
        .filter(acc_jury::Column::PersonId.eq(person_id))
        .first(db)
        .await?
        .is_some())
}

async fn application_in<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    id: i64,
) -> Result<ApplicationRow, StoreError> {
    acc_application::Entity::find_by_id(id)
        .filter(acc_application::Column::TerritoryId.eq(scope.territory_id()))
        .first(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Writes a project for a selected application (or the demo), with its first stage.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_project<C: ConnectionTrait>(
    tx: &C,
    now: time::OffsetDateTime,
    actor: Option<i64>,
    scope: Scope,
    cohort: &super::CohortRow,
    a: &ApplicationRow,
    commune: Option<String>,
    is_demo: bool,
) -> Result<i64, StoreError> {
    let year = super::span_of(cohort).starts_on.year();
    let row = acc_project::ActiveModel {
        territory_id: Set(scope.territory_id()),
        cohort_id: Set(cohort.id),
        application_id: Set((a.id > 0).then_some(a.id)),
        name: Set(a.project_name.clone()),
        kind: Set(a.kind.clone()),
        holder_first_name: Set(a.first_name.clone()),
        holder_last_name: Set(a.last_name.clone()),
        holder_email: Set(a.email.clone()),
        structure_name: Set(a.structure_name.clone()),
        siret: Set(a.siret.clone()),
        commune_code: Set(commune),
        activity: Set(a.summary.clone()),
        stage: Set(a.stage.clone()),
        year: Set(year),
        allocation_tenths: Set(cohort.allocation_tenths),
        individual_tenths: Set(0),
        collective_tenths: Set(0),
        adviser_id: Set(None),
        showcase_project_id: Set(None),
        dossier_id: Set(None),
        is_demo: Set(is_demo),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    acc_stage_change::ActiveModel {
        territory_id: Set(scope.territory_id()),
        project_id: Set(row.id),
        from_stage: Set(None),
        to_stage: Set(a.stage.clone()),
        changed_on: Set(paris_day(now).to_string()),
        reason: Set("Entrée dans l'accompagnement".into()),
        actor_id: Set(actor),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    Ok(row.id)
}

impl Store {
    /// Records an application to an open call, from the public form: journaled without
    /// an actor, acknowledged by email. A call that is not open refuses it.
    pub async fn submit_acc_application(
        &self,
        scope: Scope,
        call_id: i64,
        a: &Application,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let call = call_in(&tx, scope, call_id).await?;
        match window_of(&call, paris_day(now)) {
            Window::Open => {}
            Window::Upcoming => return Err(conflict("call", "Cet appel n'est pas encore ouvert.")),
            Window::Closed => {
                return Err(conflict(
                    "call",
                    "Cet appel est clos : les candidatures ne sont plus reçues.",
                ));
            }
        }
        let row = acc_application::ActiveModel {
            territory_id: Set(scope.territory_id()),
            call_id: Set(call_id),
            kind: Set(a.kind.code().to_owned()),
            first_name: Set(a.first_name.clone()),
            last_name: Set(a.last_name.clone()),
            email: Set(a.email.as_str().to_owned()),
            phone: Set(a.phone.clone()),
            structure_name: Set(a.structure_name.clone()),
            siret: Set(a.siret.as_ref().map(|s| s.as_str().to_owned())),
            commune_residence: Set(a.commune_residence.clone()),
            commune_activity: Set(a.commune_activity.clone()),
            project_name: Set(a.project_name.clone()),
            summary: Set(a.summary.clone()),
            stage: Set(a.stage.code().to_owned()),
            needs: Set(a.needs.clone()),
            state: Set(ApplicationState::Submitted.code().to_owned()),
            decision_reason: Set(None),
            decided_by: Set(None),
            decided_at: Set(None),
            consent_at: Set(now),
            is_demo: Set(false),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        journal(
            &tx,
            now,
            None,
            scope,
            action::ACC_APPLICATION_SUBMIT,
            "acc_application",
            row.id,
        )
        .await?;
        queue(
            &tx,
            now,
            None,
            NewEmail {
                territory_id: Some(scope.territory_id()),
                to: a.email.as_str(),
                subject: format!("Candidature reçue : {}", call.title),
                body: format!(
                    "Bonjour {},\n\nVotre candidature « {} » à l'appel « {} » est bien reçue \
                     (numéro {}). Le jury l'étudiera après la clôture du {} ; la décision vous \
                     sera envoyée à cette adresse.\n",
                    a.first_name,
                    a.project_name,
                    call.title,
                    row.id,
                    french(&call.closes_on)
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(row.id)
    }

    /// The jury of a call: (person id, name).
    pub async fn acc_jury(
        &self,
        scope: Scope,
        call_id: i64,
    ) -> Result<Vec<(i64, String)>, StoreError> {
        call_in(&self.db, scope, call_id).await?;
        let ids: Vec<i64> = acc_jury::Entity::find()
            .filter(acc_jury::Column::CallId.eq(call_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|j| j.person_id)
            .collect();
        Ok(person::Entity::find()
            .filter(person::Column::Id.is_in(ids))
            .order_by_asc(person::Column::DisplayName)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| (p.id, p.display_name))
            .collect())
    }

    /// Adds a committee member to a call's jury.
    pub async fn assign_acc_jury(
        &self,
        actor_id: i64,
        scope: Scope,
        call_id: i64,
        person_id: i64,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        call_in(&tx, scope, call_id).await?;
        let member = membership::Entity::find()
            .filter(membership::Column::TerritoryId.eq(scope.territory_id()))
            .filter(membership::Column::PersonId.eq(person_id))
            .filter(membership::Column::Role.eq(Role::CommitteeMember.code()))
            .filter(membership::Column::DisabledAt.is_null())
            .first(&tx)
            .await?;
        if member.is_none() {
            return Err(conflict(
                "person",
                "Choisissez un membre de comité de sélection du territoire.",
            ));
        }
        if is_jury(&tx, call_id, person_id).await? {
            return Err(conflict(
                "person",
                "Cette personne fait déjà partie du jury.",
            ));
        }
        let row = acc_jury::ActiveModel {
            territory_id: Set(scope.territory_id()),
            call_id: Set(call_id),
            person_id: Set(person_id),
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
            action::ACC_JURY_ASSIGN,
            "acc_jury",
            row.id,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The calls whose jury `person_id` sits on.
    pub async fn acc_jury_calls(
        &self,
        scope: Scope,
        person_id: i64,
    ) -> Result<Vec<super::CallRow>, StoreError> {
        let ids: Vec<i64> = acc_jury::Entity::find()
            .filter(acc_jury::Column::TerritoryId.eq(scope.territory_id()))
            .filter(acc_jury::Column::PersonId.eq(person_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|j| j.call_id)
            .collect();
        Ok(acc_call::Entity::find()
            .filter(acc_call::Column::Id.is_in(ids))
            .order_by_desc(acc_call::Column::ClosesOn)
            .all(&self.db)
            .await?)
    }

    /// A call's applications with the jury's marks: for the team (`juror` none), or for
    /// a jury member of the call (`NotFound` for anyone else). The read is logged.
    pub async fn acc_applications(
        &self,
        scope: Scope,
        viewer: i64,
        call_id: i64,
        juror: bool,
    ) -> Result<Vec<ApplicationSummary>, StoreError> {
        call_in(&self.db, scope, call_id).await?;
        if juror && !is_jury(&self.db, call_id, viewer).await? {
            return Err(StoreError::NotFound);
        }
        let rows = acc_application::Entity::find()
            .filter(acc_application::Column::TerritoryId.eq(scope.territory_id()))
            .filter(acc_application::Column::CallId.eq(call_id))
            .order_by_asc(acc_application::Column::CreatedAt)
            .order_by_asc(acc_application::Column::Id)
            .all(&self.db)
            .await?;
        let scores = acc_score::Entity::find()
            .filter(acc_score::Column::ApplicationId.is_in(rows.iter().map(|r| r.id)))
            .all(&self.db)
            .await?;
        let mut by_app: HashMap<i64, Vec<&acc_score::Model>> = HashMap::new();
        for s in &scores {
            by_app.entry(s.application_id).or_default().push(s);
        }
        self.log_access(
            viewer,
            Some(scope.territory_id()),
            "acc_application.list",
            &format!("acc_call:{call_id}"),
        )
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let s = by_app.get(&row.id).map(Vec::as_slice).unwrap_or_default();
                let sum: i64 = s.iter().map(|m| i64::from(m.total)).sum();
                let n = i64::try_from(s.len()).unwrap_or(1).max(1);
                ApplicationSummary {
                    marks: s.len(),
                    mean_tenths: (!s.is_empty()).then(|| (sum * 10 + n / 2) / n),
                    own: s.iter().find(|m| m.person_id == viewer).map(|m| m.total),
                    row,
                }
            })
            .collect())
    }

    /// One application with every jury mark, for the team or a juror of its call. The
    /// read is logged.
    pub async fn acc_application(
        &self,
        scope: Scope,
        viewer: i64,
        id: i64,
        juror: bool,
    ) -> Result<(ApplicationRow, Vec<JuryMark>), StoreError> {
        let a = application_in(&self.db, scope, id).await?;
        if juror && !is_jury(&self.db, a.call_id, viewer).await? {
            return Err(StoreError::NotFound);
        }
        let scores = acc_score::Entity::find()
            .filter(acc_score::Column::ApplicationId.eq(id))
            .order_by_asc(acc_score::Column::Id)
            .all(&self.db)
            .await?;
        let names: HashMap<i64, String> = person::Entity::find()
            .filter(person::Column::Id.is_in(scores.iter().map(|s| s.person_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| (p.id, p.display_name))
            .collect();
        self.log_access(
            viewer,
            Some(scope.territory_id()),
            "acc_application.read",
            &format!("acc_application:{id}"),
        )
        .await?;
        let marks = scores
            .into_iter()
            .map(|s| JuryMark {
                person_id: s.person_id,
                name: names.get(&s.person_id).cloned().unwrap_or_default(),
                marks: [s.motivation, s.utilite, s.ancrage, s.faisabilite],
                total: s.total,
                comment: s.comment,
            })
            .collect();
        Ok((a, marks))
    }

    /// The project a selected application became.
    pub async fn acc_project_of_application(
        &self,
        scope: Scope,
        application_id: i64,
    ) -> Result<Option<i64>, StoreError> {
        Ok(acc_project::Entity::find()
            .filter(acc_project::Column::TerritoryId.eq(scope.territory_id()))
            .filter(acc_project::Column::ApplicationId.eq(application_id))
            .first(&self.db)
            .await?
            .map(|p| p.id))
    }

    /// Records (or replaces) a juror's marks on an application still to decide.
    pub async fn score_acc_application(
        &self,
        person_id: i64,
        scope: Scope,
        id: i64,
        score: &Score,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let a = application_in(&tx, scope, id).await?;
        if !is_jury(&tx, a.call_id, person_id).await? {
            return Err(StoreError::NotFound);
        }
        if a.state != ApplicationState::Submitted.code() {
            return Err(conflict(
                "motivation",
                "La décision est prise : les notes ne changent plus.",
            ));
        }
        let m = score.marks.map(i32::from);
        let existing = acc_score::Entity::find()
            .filter(acc_score::Column::ApplicationId.eq(id))
            .filter(acc_score::Column::PersonId.eq(person_id))
            .first(&tx)
            .await?;
        let row = match existing {
            Some(e) => {
                let mut am: acc_score::ActiveModel = e.into();
                am.motivation = Set(m[0]);
                am.utilite = Set(m[1]);
                am.ancrage = Set(m[2]);
                am.faisabilite = Set(m[3]);
                am.total = Set(i32::from(score.total()));
                am.comment = Set(score.comment.clone());
                am.updated_at = Set(now);
                am.update(&tx).await?
            }
            None => {
                acc_score::ActiveModel {
                    territory_id: Set(scope.territory_id()),
                    application_id: Set(id),
                    person_id: Set(person_id),
                    motivation: Set(m[0]),
                    utilite: Set(m[1]),
                    ancrage: Set(m[2]),
                    faisabilite: Set(m[3]),
                    total: Set(i32::from(score.total())),
                    comment: Set(score.comment.clone()),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&tx)
                .await?
            }
        };
        journal(
            &tx,
            now,
            Some(person_id),
            scope,
            action::ACC_SCORE_SET,
            "acc_score",
            row.id,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Decides an application once its call is closed: a conditional update from
    /// « déposée », so two decisions cannot both pass. A selected application becomes a
    /// project of the call's cohort. The applicant is told by email either way. Returns
    /// the project's id when selected.
    pub async fn decide_acc_application(
        &self,
        actor_id: i64,
        scope: Scope,
        id: i64,
        d: &Decision,
    ) -> Result<Option<i64>, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let a = application_in(&tx, scope, id).await?;
        let call = call_in(&tx, scope, a.call_id).await?;
        if window_of(&call, paris_day(now)) != Window::Closed {
            return Err(conflict(
                "decision",
                "Le jury décide après la clôture de l'appel.",
            ));
        }
        let state = if d.selected {
            ApplicationState::Selected
        } else {
            ApplicationState::Declined
        };
        let done = acc_application::Entity::update_many()
            .col_expr(
                acc_application::Column::State,
                sea_orm::sea_query::Expr::value(state.code()),
            )
            .col_expr(
                acc_application::Column::DecisionReason,
                sea_orm::sea_query::Expr::value(Some(d.reason.clone())),
            )
            .col_expr(
                acc_application::Column::DecidedBy,
                sea_orm::sea_query::Expr::value(Some(actor_id)),
            )
            .col_expr(
                acc_application::Column::DecidedAt,
                sea_orm::sea_query::Expr::value(Some(now)),
            )
            .filter(acc_application::Column::Id.eq(id))
            .filter(acc_application::Column::State.eq(ApplicationState::Submitted.code()))
            .exec(&tx)
            .await?;
        if done.rows_affected != 1 {
            return Err(conflict("decision", "Cette candidature est déjà décidée."));
        }
        journal(
            &tx,
            now,
            Some(actor_id),
            scope,
            action::ACC_APPLICATION_DECIDE,
            "acc_application",
            id,
        )
        .await?;
        let project = if d.selected {
            let cohort = cohort_in(&tx, scope, &Team::Territory, call.cohort_id).await?;
            let commune = a.commune_activity.clone().or(a.commune_residence.clone());
            let pid = insert_project(&tx, now, Some(actor_id), scope, &cohort, &a, commune, false)
                .await?;
            journal(
                &tx,
                now,
                Some(actor_id),
                scope,
                action::ACC_PROJECT_STAGE,
                "acc_project",
                pid,
            )
            .await?;
            Some((pid, cohort))
        } else {
            None
        };
        let body = match &project {
            Some((_, cohort)) => format!(
                "Bonjour {},\n\nVotre candidature « {} » est retenue : le projet rejoint la \
                 promotion « {} », du {} au {}. Un conseiller vous contactera pour la première \
                 séance.{}\n",
                a.first_name,
                a.project_name,
                cohort.name,
                french(&cohort.starts_on),
                french(&cohort.ends_on),
                if d.reason.is_empty() {
                    String::new()
                } else {
                    format!("\n\n{}", d.reason)
                }
            ),
            None => format!(
                "Bonjour {},\n\nVotre candidature « {} » à l'appel « {} » n'est pas retenue.\n\n\
                 Motif : {}\n",
                a.first_name, a.project_name, call.title, d.reason
            ),
        };
        queue(
            &tx,
            now,
            Some(actor_id),
            NewEmail {
                territory_id: Some(scope.territory_id()),
                to: &a.email,
                subject: format!(
                    "Décision sur votre candidature : {}",
                    state.label().to_lowercase()
                ),
                body,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(project.map(|(p, _)| p))
    }
}

/// A stored day written in French.
pub(crate) fn french(day: &str) -> String {
    trame_domain::format::parse_iso_date(day)
        .map(trame_domain::format::french_date)
        .unwrap_or_else(|| day.to_owned())
}

/// The stage an application names (the first one when unknown).
pub(crate) fn stage_of(code: &str) -> Stage {
    Stage::from_code(code).unwrap_or(Stage::Idea)
}
