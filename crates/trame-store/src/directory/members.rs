//! A structure's own members: an agent links a directory structure to the Trame
//! organisation that runs it, and the organisation's members then keep the structure and
//! its services up to date (and only theirs). Every change is journaled and moves the
//! directory revision.

use super::{ListedService, ListedStructure, bump_revision, rewrite_structure};
use crate::audit::{self, Entry};
use crate::entities::{dir_structure, organisation};
use crate::funding::dossiers::organisations_of;
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use trame_domain::audit::action;
use trame_domain::directory::record::Structure;

impl Store {
    /// The structures a person keeps up to date: those linked to their organisations.
    pub async fn structures_of_person(
        &self,
        scope: Scope,
        person_id: i64,
    ) -> Result<Vec<ListedStructure>, StoreError> {
        let orgs = organisations_of(&self.db, scope, person_id).await?;
        dir_structure::Entity::find()
            .filter(dir_structure::Column::TerritoryId.eq(scope.territory_id()))
            .filter(dir_structure::Column::OrganisationId.is_in(orgs))
            .order_by_asc(dir_structure::Column::Nom)
            .all(&self.db)
            .await?
            .into_iter()
            .map(ListedStructure::of)
            .collect()
    }

    /// One of the person's structures; `NotFound` for any other.
    pub async fn member_structure(
        &self,
        scope: Scope,
        person_id: i64,
        id: i64,
    ) -> Result<ListedStructure, StoreError> {
        let s = self.directory_structure(scope, id, false).await?;
        let orgs = organisations_of(&self.db, scope, person_id).await?;
        match s.organisation_id {
            Some(o) if orgs.contains(&o) => Ok(s),
            _ => Err(StoreError::NotFound),
        }
    }

    /// A service of one of the person's structures; `NotFound` for any other.
    pub async fn member_service(
        &self,
        scope: Scope,
        person_id: i64,
        id: i64,
    ) -> Result<ListedService, StoreError> {
        let s = self.directory_service(scope, id, false).await?;
        self.member_structure(scope, person_id, s.structure_id)
            .await?;
        Ok(s)
    }

    /// Links a structure to an organisation of the territory (or unlinks it), so that
    /// the organisation's members edit it.
    pub async fn link_structure(
        &self,
        actor_id: i64,
        scope: Scope,
        id: i64,
        organisation_id: Option<i64>,
    ) -> Result<(), StoreError> {
        let t = scope.territory_id();
        let now = self.now();
        let tx = self.begin_write().await?;
        if let Some(o) = organisation_id {
            organisation::Entity::find_by_id(o)
                .filter(organisation::Column::TerritoryId.eq(t))
                .one(&tx)
                .await?
                .ok_or(StoreError::Conflict {
                    field: "organisation_id",
                    message: "Choisissez une organisation du territoire.".into(),
                })?;
        }
        let moved = dir_structure::Entity::update_many()
            .col_expr(
                dir_structure::Column::OrganisationId,
                Expr::value(organisation_id),
            )
            .col_expr(dir_structure::Column::UpdatedAt, Expr::value(now))
            .filter(dir_structure::Column::Id.eq(id))
            .filter(dir_structure::Column::TerritoryId.eq(t))
            .exec(&tx)
            .await?
            .rows_affected;
        if moved == 0 {
            return Err(StoreError::NotFound);
        }
        audit::record(
            &tx,
            now,
            Entry::territory(
                Some(actor_id),
                t,
                action::DIR_STRUCTURE_LINK,
                "dir_structure",
                id,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Saves an agent's or a member's edit of a structure (checked by the caller with
    /// [`Store::check_structure`]; the caller also checked the member's right): its
    /// source and id stay, its date of update becomes today.
    pub async fn save_structure(
        &self,
        actor_id: i64,
        scope: Scope,
        id: i64,
        edit: &Structure,
        seen: Option<i64>,
    ) -> Result<(), StoreError> {
        let current = self.directory_structure(scope, id, false).await?;
        let mut s = edit.clone();
        s.source = current.record.source.clone();
        s.id = current.record.id.clone();
        s.date_maj = crate::funding::awards::paris_day(self.now()).to_string();
        let record = serde_json::to_string(&s)
            .map_err(|e| StoreError::Internal(format!("structure record: {e}")))?;
        let now = self.now();
        let tx = self.begin_write().await?;
        let revision = bump_revision(&tx, scope).await?;
        // The counter row is locked: no other directory write runs until the commit.
        if let Some(seen) = seen {
            let stored = dir_structure::Entity::find_by_id(id)
                .filter(dir_structure::Column::TerritoryId.eq(scope.territory_id()))
                .first(&tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            if stored.revision != seen {
                return Err(StoreError::Stale);
            }
        }
        rewrite_structure(&tx, scope, id, &s, &record, revision, now).await?;
        crate::audit::journal(
            &tx,
            now,
            Some(actor_id),
            scope,
            action::DIR_STRUCTURE_UPDATE,
            "dir_structure",
            id,
        )
        .await?;
        self.commit_directory(tx).await?;
        Ok(())
    }
}
