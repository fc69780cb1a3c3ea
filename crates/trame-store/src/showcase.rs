//! The showcase of supported ESS projects. A project is written by the agents, or
//! proposed from an award of a call for projects (a laureate), and is public only once
//! published, which needs its structure's consent (checked by
//! `trame_domain::showcase::Project::parse` and again here).

use crate::entities::{award, dossier, dossier_commune, organisation, scheme, showcase_project};
use crate::{Scope, Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::HashSet;
use trame_domain::audit::action;
use trame_domain::showcase::{NO_CONSENT, Project};

/// A project as stored.
pub type ProjectRow = showcase_project::Model;

fn consent_checked(p: &Project) -> Result<(), StoreError> {
    if p.published && p.consent_on.is_none() {
        return Err(StoreError::Conflict {
            field: "consent_on",
            message: NO_CONSENT.into(),
        });
    }
    Ok(())
}

/// Writes a new project, journaled; used by the pages, the laureates' proposal and the
/// demo.
pub(crate) async fn insert_project<C: ConnectionTrait>(
    tx: &C,
    now: time::OffsetDateTime,
    actor: Option<i64>,
    scope: Scope,
    p: &Project,
    award_id: Option<i64>,
    is_demo: bool,
) -> Result<i64, StoreError> {
    consent_checked(p)?;
    let row = showcase_project::ActiveModel {
        territory_id: Set(scope.territory_id()),
        name: Set(p.name.clone()),
        mission: Set(p.mission.clone()),
        website: Set(p.website.clone()),
        commune_code: Set(p.commune_code.clone()),
        scheme: Set(p.scheme.clone()),
        year: Set(p.year),
        consent_on: Set(p.consent_on.map(|d| d.to_string())),
        consent_note: Set(p.consent_note.clone()),
        published: Set(p.published),
        award_id: Set(award_id),
        is_demo: Set(is_demo),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    crate::audit::journal(
        tx,
        now,
        actor,
        scope,
        action::SHOWCASE_CREATE,
        "showcase_project",
        row.id,
    )
    .await?;
    Ok(row.id)
}

impl Store {
    /// The projects, latest year first: all of them for the agents, the published ones
    /// for the public.
    pub async fn showcase(
        &self,
        scope: Scope,
        published_only: bool,
    ) -> Result<Vec<ProjectRow>, StoreError> {
        let mut q = showcase_project::Entity::find()
            .filter(showcase_project::Column::TerritoryId.eq(scope.territory_id()));
        if published_only {
            q = q
                .filter(showcase_project::Column::Published.eq(true))
                .filter(showcase_project::Column::ConsentOn.is_not_null());
        }
        Ok(q.order_by_desc(showcase_project::Column::Year)
            .order_by_asc(showcase_project::Column::Name)
            .all(&self.db)
            .await?)
    }

    /// One project, for the agents.
    pub async fn showcase_project(&self, scope: Scope, id: i64) -> Result<ProjectRow, StoreError> {
        showcase_project::Entity::find_by_id(id)
            .filter(showcase_project::Column::TerritoryId.eq(scope.territory_id()))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Adds a project written by an agent.
    pub async fn create_showcase_project(
        &self,
        actor_id: i64,
        scope: Scope,
        p: &Project,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let id = insert_project(&tx, now, Some(actor_id), scope, p, None, false).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a project: its text, its consent, its publication.
    pub async fn update_showcase_project(
        &self,
        actor_id: i64,
        scope: Scope,
        id: i64,
        p: &Project,
    ) -> Result<(), StoreError> {
        consent_checked(p)?;
        let now = self.now();
        let tx = self.begin_write().await?;
        let row = showcase_project::Entity::find_by_id(id)
            .filter(showcase_project::Column::TerritoryId.eq(scope.territory_id()))
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut am: showcase_project::ActiveModel = row.into();
        am.name = Set(p.name.clone());
        am.mission = Set(p.mission.clone());
        am.website = Set(p.website.clone());
        am.commune_code = Set(p.commune_code.clone());
        am.scheme = Set(p.scheme.clone());
        am.year = Set(p.year);
        am.consent_on = Set(p.consent_on.map(|d| d.to_string()));
        am.consent_note = Set(p.consent_note.clone());
        am.published = Set(p.published);
        am.updated_at = Set(now);
        am.update(&tx).await?;
        crate::audit::journal(
            &tx,
            now,
            Some(actor_id),
            scope,
            action::SHOWCASE_UPDATE,
            "showcase_project",
            id,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Proposes every laureate of a call for projects not yet in the showcase, as an
    /// unpublished project (no consent yet): the organisation's name, the project's
    /// title as its mission, its first commune, the scheme and the year of the decision.
    /// Returns how many were added.
    pub async fn propose_laureates(
        &self,
        actor_id: i64,
        scope: Scope,
    ) -> Result<usize, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let added = propose_in(&tx, now, Some(actor_id), scope, false).await?;
        // The agent's request is journaled even when no laureate was new.
        crate::audit::journal(
            &tx,
            now,
            Some(actor_id),
            scope,
            action::SHOWCASE_PROPOSE,
            "territory",
            scope.territory_id(),
        )
        .await?;
        tx.commit().await?;
        Ok(added)
    }
}

/// Proposes the laureates not yet in the showcase, inside the caller's transaction.
pub(crate) async fn propose_in<C: ConnectionTrait>(
    tx: &C,
    now: time::OffsetDateTime,
    actor: Option<i64>,
    scope: Scope,
    is_demo: bool,
) -> Result<usize, StoreError> {
    let t = scope.territory_id();
    let known: HashSet<i64> = showcase_project::Entity::find()
        .filter(showcase_project::Column::TerritoryId.eq(t))
        .filter(showcase_project::Column::AwardId.is_not_null())
        .all(tx)
        .await?
        .into_iter()
        .filter_map(|p| p.award_id)
        .collect();
    let awards = award::Entity::find()
        .filter(award::Column::TerritoryId.eq(t))
        .filter(award::Column::DossierId.is_not_null())
        .order_by_asc(award::Column::Id)
        .all(tx)
        .await?;
    let mut added = 0;
    for a in awards.into_iter().filter(|a| !known.contains(&a.id)) {
        let (Some(dossier_id), Some(org_id)) = (a.dossier_id, a.organisation_id) else {
            continue;
        };
        let org = organisation::Entity::find_by_id(org_id).one(tx).await?;
        let d = dossier::Entity::find_by_id(dossier_id).one(tx).await?;
        let s = scheme::Entity::find_by_id(a.scheme_id).one(tx).await?;
        let (Some(org), Some(d), Some(s)) = (org, d, s) else {
            continue;
        };
        let commune = dossier_commune::Entity::find()
            .filter(dossier_commune::Column::DossierId.eq(d.id))
            .order_by_asc(dossier_commune::Column::Id)
            .one(tx)
            .await?
            .map(|c| c.commune_code)
            .or(org.commune_code.clone());
        let p = Project {
            name: org.name.chars().take(150).collect(),
            mission: d.title.clone(),
            website: None,
            commune_code: commune,
            scheme: s.name.chars().take(120).collect(),
            year: a.decided_on.year(),
            consent_on: None,
            consent_note: String::new(),
            published: false,
        };
        insert_project(tx, now, actor, scope, &p, Some(a.id), is_demo).await?;
        added += 1;
    }
    Ok(added)
}
