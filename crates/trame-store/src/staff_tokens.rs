//! Personal API tokens of the staff: an agent or a territory admin creates tokens for
//! their own tools (a finance spreadsheet, a dashboard) that read the instructor's view of
//! the JSON API. A token acts with its person's roles, checked at every call: it stops
//! working when the person loses the role or is disabled. Shown once, stored as SHA-256.

use crate::api_tokens::{new_token, token_hash};
use crate::audit::{self, Entry};
use crate::entities::{person, staff_token};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use time::Duration;
use trame_domain::audit::action;
use trame_domain::role::Role;

pub use crate::entities::staff_token::Model as StaffToken;

/// Prefix of every staff token.
pub const STAFF_TOKEN_PREFIX: &str = "trame_agent_";

/// Who a valid staff token acts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaffCaller {
    /// The territory.
    pub scope: Scope,
    /// The staff member.
    pub person_id: i64,
    /// The token's id.
    pub token_id: i64,
}

fn is_staff(roles: &[Role]) -> bool {
    roles.iter().any(|r| r.is_staff())
}

impl Store {
    /// Creates a personal token for a staff member of the territory; returns it in clear,
    /// once.
    pub async fn create_staff_token(
        &self,
        person_id: i64,
        scope: Scope,
        name: &str,
    ) -> Result<String, StoreError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 120 {
            return Err(StoreError::Conflict {
                field: "token_name",
                message: "Donnez au jeton un nom de 1 à 120 caractères (par exemple l'outil qui l'utilisera).".into(),
            });
        }
        if !is_staff(&self.roles_in(scope, person_id).await?) {
            return Err(StoreError::NotFound);
        }
        let now = self.now();
        let token = new_token(STAFF_TOKEN_PREFIX);
        let tx = self.begin_write().await?;
        let row = staff_token::ActiveModel {
            territory_id: Set(scope.territory_id()),
            person_id: Set(person_id),
            name: Set(name.to_owned()),
            prefix: Set(token.chars().take(18).collect()),
            token_hash: Set(token_hash(&token)),
            created_at: Set(now),
            last_used_at: Set(None),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        audit::record(
            &tx,
            now,
            Entry::territory(
                Some(person_id),
                scope.territory_id(),
                action::STAFF_TOKEN_CREATE,
                "staff_token",
                row.id,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// A person's tokens in the territory, newest first.
    pub async fn staff_tokens(
        &self,
        scope: Scope,
        person_id: i64,
    ) -> Result<Vec<StaffToken>, StoreError> {
        Ok(staff_token::Entity::find()
            .filter(staff_token::Column::TerritoryId.eq(scope.territory_id()))
            .filter(staff_token::Column::PersonId.eq(person_id))
            .order_by_desc(staff_token::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// Revokes one of the person's own tokens.
    pub async fn revoke_staff_token(
        &self,
        person_id: i64,
        scope: Scope,
        id: i64,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let t = staff_token::Entity::find_by_id(id)
            .filter(staff_token::Column::TerritoryId.eq(scope.territory_id()))
            .filter(staff_token::Column::PersonId.eq(person_id))
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if t.revoked_at.is_none() {
            let mut am = t.into_active_model();
            am.revoked_at = Set(Some(now));
            am.update(&tx).await?;
            audit::record(
                &tx,
                now,
                Entry::territory(
                    Some(person_id),
                    scope.territory_id(),
                    action::STAFF_TOKEN_REVOKE,
                    "staff_token",
                    id,
                ),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Who a staff token acts for; `None` when it is unknown or revoked, or when its
    /// person is disabled or no longer staff of the territory. Records the use at most
    /// once a minute.
    pub async fn staff_caller(&self, token: &str) -> Result<Option<StaffCaller>, StoreError> {
        if !token.starts_with(STAFF_TOKEN_PREFIX) {
            return Ok(None);
        }
        let Some(t) = staff_token::Entity::find()
            .filter(staff_token::Column::TokenHash.eq(token_hash(token)))
            .first(&self.db)
            .await?
        else {
            return Ok(None);
        };
        if t.revoked_at.is_some() {
            return Ok(None);
        }
        let scope = Scope {
            territory_id: t.territory_id,
        };
        let active = person::Entity::find_by_id(t.person_id)
            .first(&self.db)
            .await?
            .is_some_and(|p| !p.disabled);
        if !active || !is_staff(&self.roles_in(scope, t.person_id).await?) {
            return Ok(None);
        }
        let caller = StaffCaller {
            scope,
            person_id: t.person_id,
            token_id: t.id,
        };
        let now = self.now();
        if t.last_used_at
            .is_none_or(|at| at + Duration::minutes(1) < now)
        {
            let mut am = t.into_active_model();
            am.last_used_at = Set(Some(now));
            am.update(&self.db).await?;
        }
        Ok(Some(caller))
    }
}
