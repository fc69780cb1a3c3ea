//! Server-side sessions. The cookie carries a random 256-bit token; the table keys the
//! session by the token's SHA-256. A session dies after `idle` without a request, at
//! logout (deleted server-side) and when its person is locked out.

use crate::audit::{self, Entry};
use crate::entities::{membership, person, session};
use crate::query::First;
use crate::{Store, StoreError};
use sea_orm::sea_query::{Expr, ExprTrait, IntoCondition};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, JoinType,
    QueryFilter, QuerySelect, RelationTrait,
};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};
use trame_domain::audit::action;
use trame_domain::role::Role;

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
    /// The person's name, as shown in the header.
    pub display_name: String,
    /// The person's email.
    pub email: String,
    /// Whether the person's account is disabled (the session then counts for nothing).
    pub disabled: bool,
    /// The roles the person holds, by territory id (active memberships only), read with
    /// the session: a page checks them without another statement.
    pub roles: Vec<(i64, Role)>,
}

/// A session row with its person's columns, read in one statement.
#[derive(Debug, sea_orm::FromQueryResult)]
struct SessionWithPerson {
    token_hash: String,
    person_id: i64,
    current_territory_id: Option<i64>,
    last_seen_at: OffsetDateTime,
    display_name: String,
    email: String,
    disabled: bool,
    territory_id: Option<i64>,
    role: Option<String>,
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
        // The session, its person and the person's active roles: one row per role (one
        // row without a role for a person who holds none).
        let active_roles = session::Entity::belongs_to(membership::Entity)
            .from(session::Column::PersonId)
            .to(membership::Column::PersonId)
            .on_condition(|_, m| {
                Expr::col((m, membership::Column::DisabledAt))
                    .is_null()
                    .into_condition()
            })
            .into();
        let rows = session::Entity::find_by_id(token_hash(token))
            .select_only()
            .columns([
                session::Column::TokenHash,
                session::Column::PersonId,
                session::Column::CurrentTerritoryId,
                session::Column::LastSeenAt,
            ])
            .columns([
                person::Column::DisplayName,
                person::Column::Email,
                person::Column::Disabled,
            ])
            .columns([membership::Column::TerritoryId, membership::Column::Role])
            .join(JoinType::InnerJoin, session::Relation::Person.def())
            .join(JoinType::LeftJoin, active_roles)
            .into_model::<SessionWithPerson>()
            .all(&self.db)
            .await?;
        let mut roles: Vec<(i64, Role)> = rows
            .iter()
            .filter_map(|r| Some((r.territory_id?, Role::from_code(r.role.as_deref()?)?)))
            .collect();
        roles.sort();
        let Some(s) = rows.into_iter().next() else {
            return Ok(None);
        };
        if s.last_seen_at + idle < now {
            session::Entity::delete_by_id(s.token_hash)
                .exec(&self.db)
                .await?;
            return Ok(None);
        }
        if s.last_seen_at + TOUCH_EVERY < now {
            session::Entity::update_many()
                .col_expr(session::Column::LastSeenAt, Expr::value(now))
                .filter(session::Column::TokenHash.eq(s.token_hash.as_str()))
                .exec(&self.db)
                .await?;
        }
        let info = SessionInfo {
            person_id: s.person_id,
            current_territory_id: s.current_territory_id,
            display_name: s.display_name,
            email: s.email,
            disabled: s.disabled,
            roles,
        };
        Ok(Some(info))
    }

    /// Records the territory a person switched to.
    pub async fn switch_territory(&self, token: &str, territory_id: i64) -> Result<(), StoreError> {
        let tx = self.begin_write().await?;
        let s = session::Entity::find_by_id(token_hash(token))
            .first(&tx)
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
            .first(&tx)
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
