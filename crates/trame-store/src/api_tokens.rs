//! Bearer tokens of the JSON API. A token acts for one organisation of one territory; it
//! is shown once when created and stored as its SHA-256.

use crate::audit::{self, Entry};
use crate::entities::{api_token, organisation};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use sha2::{Digest, Sha256};
use time::Duration;
use trame_domain::audit::action;

pub use crate::entities::api_token::Model as ApiToken;

/// Prefix of every token, so that secret scanners recognise them.
pub const TOKEN_PREFIX: &str = "trame_";

/// The stored form of a token: its SHA-256, in hex.
pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new random token with this prefix (160 random bits).
pub(crate) fn new_token(prefix: &str) -> String {
    format!("{prefix}{}", hex::encode(rand::random::<[u8; 20]>()))
}

/// Who a valid token acts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiCaller {
    /// The territory.
    pub scope: Scope,
    /// The organisation.
    pub organisation_id: i64,
    /// The token's id.
    pub token_id: i64,
}

impl Store {
    /// Creates a token for an organisation of the territory; returns it in clear, once.
    pub async fn create_api_token(
        &self,
        actor_id: i64,
        scope: Scope,
        organisation_id: i64,
        name: &str,
    ) -> Result<String, StoreError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 120 {
            return Err(StoreError::Conflict {
                field: "token_name",
                message: "Donnez au jeton un nom de 1 à 120 caractères (par exemple l'outil qui l'utilisera).".into(),
            });
        }
        let now = self.now();
        let tx = self.begin_write().await?;
        organisation::Entity::find_by_id(organisation_id)
            .filter(organisation::Column::TerritoryId.eq(scope.territory_id()))
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let token = new_token(TOKEN_PREFIX);
        let row = api_token::ActiveModel {
            territory_id: Set(scope.territory_id()),
            organisation_id: Set(organisation_id),
            name: Set(name.to_owned()),
            prefix: Set(token.chars().take(12).collect()),
            token_hash: Set(token_hash(&token)),
            created_by: Set(Some(actor_id)),
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
                Some(actor_id),
                scope.territory_id(),
                action::API_TOKEN_CREATE,
                "api_token",
                row.id,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The tokens of an organisation, newest first.
    pub async fn api_tokens(
        &self,
        scope: Scope,
        organisation_id: i64,
    ) -> Result<Vec<ApiToken>, StoreError> {
        Ok(api_token::Entity::find()
            .filter(api_token::Column::TerritoryId.eq(scope.territory_id()))
            .filter(api_token::Column::OrganisationId.eq(organisation_id))
            .order_by_desc(api_token::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// Revokes a token of an organisation of the territory.
    pub async fn revoke_api_token(
        &self,
        actor_id: i64,
        scope: Scope,
        organisation_id: i64,
        id: i64,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let t = api_token::Entity::find_by_id(id)
            .filter(api_token::Column::TerritoryId.eq(scope.territory_id()))
            .filter(api_token::Column::OrganisationId.eq(organisation_id))
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
                    Some(actor_id),
                    scope.territory_id(),
                    action::API_TOKEN_REVOKE,
                    "api_token",
                    id,
                ),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Who a bearer token acts for; `None` when it is unknown or revoked. Records the
    /// use at most once a minute.
    pub async fn api_caller(&self, token: &str) -> Result<Option<ApiCaller>, StoreError> {
        if !token.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        let Some(t) = api_token::Entity::find()
            .filter(api_token::Column::TokenHash.eq(token_hash(token)))
            .first(&self.db)
            .await?
        else {
            return Ok(None);
        };
        if t.revoked_at.is_some() {
            return Ok(None);
        }
        let caller = ApiCaller {
            scope: Scope {
                territory_id: t.territory_id,
            },
            organisation_id: t.organisation_id,
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
