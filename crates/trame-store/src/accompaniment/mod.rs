//! The ESS accompaniment programme: cohorts and the calls that recruit them, the
//! applications, the jury's marks and the decisions, the projects accompanied (stages,
//! sessions, workshops, milestones, outcomes) and the participants' FSE+ data.
//!
//! Who reaches what is decided here, never by a page: the territory's team (admins,
//! agents, facilitators) reaches every cohort; an external support provider's members
//! reach the cohorts their organisation runs, and nothing else (`NotFound`); a project's
//! holder (the account whose email the application gave) reaches their own project; a
//! session's private summary is read only by the holder, the adviser who ran the session
//! and the project's referent adviser.

pub(crate) mod applications;
mod dashboard;
mod handover;
mod participants;
mod projects;
mod referents;

pub use applications::{ApplicationRow, ApplicationSummary, JuryMark};
pub(crate) use dashboard::refresh_latest_outcome;
pub use dashboard::{Dashboard, Sums};
pub use participants::{FseLine, ParticipantRow};
pub(crate) use projects::names;
pub use projects::{ProjectRow, ProjectView, Reader, SessionView, StageRow, WorkshopView};

use crate::audit::journal;
use crate::entities::{acc_call, acc_cohort, organisation};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use trame_domain::accompaniment::journey::Span;
use trame_domain::accompaniment::programme::{Call, Cohort, Window};
use trame_domain::audit::action;
use trame_domain::format::paris_day;
use trame_domain::format::parse_iso_date;

/// A cohort as stored.
pub type CohortRow = acc_cohort::Model;
/// A call as stored.
pub type CallRow = acc_call::Model;

/// Who is asking, on the team's side.
#[derive(Debug, Clone)]
pub enum Team {
    /// The territory's own team: every cohort.
    Territory,
    /// Members of these support-provider organisations: their cohorts only.
    Provider(Vec<i64>),
}

impl Team {
    /// Whether this team reaches `cohort`.
    pub fn reaches(&self, cohort: &CohortRow) -> bool {
        match self {
            Team::Territory => true,
            Team::Provider(orgs) => cohort.provider_org_id.is_some_and(|p| orgs.contains(&p)),
        }
    }
}

/// The days of a stored cohort.
pub fn span_of(c: &CohortRow) -> Span {
    let starts_on = parse_iso_date(&c.starts_on).unwrap_or(time::Date::MIN);
    Span {
        starts_on,
        ends_on: parse_iso_date(&c.ends_on).unwrap_or(starts_on),
    }
}

/// Where a call stands on `today`: closed once the team closed it early.
pub fn window_of(c: &CallRow, today: time::Date) -> Window {
    if c.closed_early_at.is_some() {
        return Window::Closed;
    }
    let opens = parse_iso_date(&c.opens_on).unwrap_or(today);
    let closes = parse_iso_date(&c.closes_on).unwrap_or(today);
    Window::of(opens, closes, today)
}

pub(crate) fn conflict(field: &'static str, message: impl Into<String>) -> StoreError {
    StoreError::Conflict {
        field,
        message: message.into(),
    }
}

pub(crate) async fn cohort_in<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    team: &Team,
    id: i64,
) -> Result<CohortRow, StoreError> {
    acc_cohort::Entity::find_by_id(id)
        .filter(acc_cohort::Column::TerritoryId.eq(scope.territory_id()))
        .first(db)
        .await?
        .filter(|c| team.reaches(c))
        .ok_or(StoreError::NotFound)
}

pub(crate) async fn call_in<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    id: i64,
) -> Result<CallRow, StoreError> {
    acc_call::Entity::find_by_id(id)
        .filter(acc_call::Column::TerritoryId.eq(scope.territory_id()))
        .first(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Writes a cohort, journaled.
pub(crate) async fn insert_cohort<C: ConnectionTrait>(
    tx: &C,
    now: time::OffsetDateTime,
    actor: Option<i64>,
    scope: Scope,
    c: &Cohort,
    is_demo: bool,
) -> Result<i64, StoreError> {
    if let Some(p) = c.provider {
        organisation::Entity::find_by_id(p)
            .filter(organisation::Column::TerritoryId.eq(scope.territory_id()))
            .first(tx)
            .await?
            .ok_or_else(|| conflict("provider", "Choisissez le prestataire dans la liste."))?;
    }
    let row = acc_cohort::ActiveModel {
        territory_id: Set(scope.territory_id()),
        name: Set(c.name.clone()),
        format: Set(c.format.code().to_owned()),
        starts_on: Set(c.starts_on.to_string()),
        ends_on: Set(c.ends_on.to_string()),
        allocation_tenths: Set(c.allocation_tenths),
        provider_org_id: Set(c.provider),
        is_demo: Set(is_demo),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    journal(
        tx,
        now,
        actor,
        scope,
        action::ACC_COHORT_CREATE,
        "acc_cohort",
        row.id,
    )
    .await?;
    Ok(row.id)
}

/// Writes a call, journaled.
pub(crate) async fn insert_call<C: ConnectionTrait>(
    tx: &C,
    now: time::OffsetDateTime,
    actor: Option<i64>,
    scope: Scope,
    c: &Call,
    is_demo: bool,
) -> Result<i64, StoreError> {
    cohort_in(tx, scope, &Team::Territory, c.cohort)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => conflict("cohort", "Choisissez la promotion dans la liste."),
            e => e,
        })?;
    let row = acc_call::ActiveModel {
        territory_id: Set(scope.territory_id()),
        cohort_id: Set(c.cohort),
        title: Set(c.title.clone()),
        description: Set(c.description.clone()),
        opens_on: Set(c.opens_on.to_string()),
        closes_on: Set(c.closes_on.to_string()),
        closed_early_at: Set(None),
        is_demo: Set(is_demo),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    journal(
        tx,
        now,
        actor,
        scope,
        action::ACC_CALL_CREATE,
        "acc_call",
        row.id,
    )
    .await?;
    Ok(row.id)
}

impl Store {
    /// The cohorts `team` reaches, latest first.
    pub async fn acc_cohorts(
        &self,
        scope: Scope,
        team: &Team,
    ) -> Result<Vec<CohortRow>, StoreError> {
        let mut q = acc_cohort::Entity::find()
            .filter(acc_cohort::Column::TerritoryId.eq(scope.territory_id()));
        if let Team::Provider(orgs) = team {
            q = q.filter(acc_cohort::Column::ProviderOrgId.is_in(orgs.iter().copied()));
        }
        Ok(q.order_by_desc(acc_cohort::Column::StartsOn)
            .order_by_desc(acc_cohort::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// One cohort, if `team` reaches it.
    pub async fn acc_cohort(
        &self,
        scope: Scope,
        team: &Team,
        id: i64,
    ) -> Result<CohortRow, StoreError> {
        cohort_in(&self.db, scope, team, id).await
    }

    /// Creates a cohort.
    pub async fn create_acc_cohort(
        &self,
        actor_id: i64,
        scope: Scope,
        c: &Cohort,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let id = insert_cohort(&tx, now, Some(actor_id), scope, c, false).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every call of the territory, latest closing first.
    pub async fn acc_calls(&self, scope: Scope) -> Result<Vec<CallRow>, StoreError> {
        Ok(acc_call::Entity::find()
            .filter(acc_call::Column::TerritoryId.eq(scope.territory_id()))
            .order_by_desc(acc_call::Column::ClosesOn)
            .order_by_desc(acc_call::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// One call.
    pub async fn acc_call(&self, scope: Scope, id: i64) -> Result<CallRow, StoreError> {
        call_in(&self.db, scope, id).await
    }

    /// Closes an open call before its last day (the cohort is full, the jury meets
    /// earlier): no application is taken after, decisions may be made. A conditional
    /// update, so it happens once.
    pub async fn close_acc_call_early(
        &self,
        actor_id: i64,
        scope: Scope,
        id: i64,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let c = call_in(&tx, scope, id).await?;
        if window_of(&c, paris_day(now)) != Window::Open {
            return Err(conflict(
                "call",
                "Seul un appel ouvert peut être clos par anticipation.",
            ));
        }
        let done = acc_call::Entity::update_many()
            .col_expr(
                acc_call::Column::ClosedEarlyAt,
                sea_orm::sea_query::Expr::value(Some(now)),
            )
            .filter(acc_call::Column::Id.eq(id))
            .filter(acc_call::Column::ClosedEarlyAt.is_null())
            .exec(&tx)
            .await?;
        if done.rows_affected != 1 {
            return Err(conflict("call", "L'appel est déjà clos."));
        }
        journal(
            &tx,
            now,
            Some(actor_id),
            scope,
            action::ACC_CALL_CLOSE,
            "acc_call",
            id,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Publishes a call.
    pub async fn create_acc_call(
        &self,
        actor_id: i64,
        scope: Scope,
        c: &Call,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let id = insert_call(&tx, now, Some(actor_id), scope, c, false).await?;
        tx.commit().await?;
        Ok(id)
    }
}
