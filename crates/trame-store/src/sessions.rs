//! Server-side sessions. The cookie carries a random 256-bit token; the table keys the
//! session by the token's SHA-256. A session dies after `idle` without a request, at
//! logout (deleted server-side) and when its person is locked out.

use crate::audit::{self, Entry};
use crate::entities::session;
use crate::{Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};
use trame_domain::audit::action;

/// How stale `last_seen_at` may get before a request refreshes it; saves one write per
/// request.
const TOUCH_EVERY: Duration = Duration::seconds(60);

/// A live session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// The person logged in.
    pub person_id: i64,
    /// The territory the person is working in, if chosen.
    pub current_territory_id: Option<i64>,
}

/// A random 256-bit token from the operating system's generator, as hex.
fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    hex::encode(bytes)
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

impl Store {
    /// Opens a session for a person who just authenticated; returns the cookie token.
    pub async fn open_session(
        &self,
        person_id: i64,
        current_territory_id: Option<i64>,
    ) -> Result<String, StoreError> {
        let token = new_token();
        let now = self.now();
        let tx = self.begin_write().await?;
        session::ActiveModel {
            token_hash: Set(token_hash(&token)),
            person_id: Set(person_id),
            current_territory_id: Set(current_territory_id),
            created_at: Set(now),
            last_seen_at: Set(now),
        }
        .insert(&tx)
        .await?;
        audit::record(
            &tx,
            now,
            Entry::platform(Some(person_id), action::SESSION_OPEN, "person", person_id),
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The live session for a cookie token, refreshing its idle timer; `None` when the
    /// token is unknown or the session has been idle longer than `idle` (it is then
    /// deleted).
    pub async fn session(
        &self,
        token: &str,
        idle: Duration,
    ) -> Result<Option<SessionInfo>, StoreError> {
        let now = self.now();
        let Some(s) = session::Entity::find_by_id(token_hash(token))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        if s.last_seen_at + idle < now {
            session::Entity::delete_by_id(s.token_hash)
                .exec(&self.db)
                .await?;
            return Ok(None);
        }
        let info = SessionInfo {
            person_id: s.person_id,
            current_territory_id: s.current_territory_id,
        };
        if s.last_seen_at + TOUCH_EVERY < now {
            let mut am = s.into_active_model();
            am.last_seen_at = Set(now);
            am.update(&self.db).await?;
        }
        Ok(Some(info))
    }

    /// Records the territory a person switched to.
    pub async fn switch_territory(&self, token: &str, territory_id: i64) -> Result<(), StoreError> {
        let tx = self.begin_write().await?;
        let s = session::Entity::find_by_id(token_hash(token))
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let person_id = s.person_id;
        let mut am = s.into_active_model();
        am.current_territory_id = Set(Some(territory_id));
        am.update(&tx).await?;
        audit::record(
            &tx,
            self.now(),
            Entry::territory(
                Some(person_id),
                territory_id,
                action::SESSION_SWITCH_TERRITORY,
                "territory",
                territory_id,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends a session server-side (logout).
    pub async fn close_session(&self, token: &str) -> Result<(), StoreError> {
        let tx = self.begin_write().await?;
        let Some(s) = session::Entity::find_by_id(token_hash(token))
            .one(&tx)
            .await?
        else {
            return Ok(());
        };
        let person_id = s.person_id;
        session::Entity::delete_by_id(s.token_hash)
            .exec(&tx)
            .await?;
        audit::record(
            &tx,
            self.now(),
            Entry::platform(Some(person_id), action::SESSION_CLOSE, "person", person_id),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Deletes the sessions idle since before `cutoff`, within the job's transaction.
pub(crate) async fn purge_idle<C: sea_orm::ConnectionTrait>(
    tx: &C,
    cutoff: OffsetDateTime,
) -> Result<u64, StoreError> {
    let r = session::Entity::delete_many()
        .filter(session::Column::LastSeenAt.lt(cutoff))
        .exec(tx)
        .await?;
    Ok(r.rows_affected)
}
