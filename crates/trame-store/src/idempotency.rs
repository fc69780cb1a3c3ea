//! Idempotency keys: a request that carries a key changes the database at most once.
//!
//! The web layer runs such a request inside [`scope`]. The first journal entry the
//! request writes ([`crate::audit::record`], which every state change calls in its own
//! transaction) also inserts the key's row, so the key commits or rolls back with the
//! change itself: a crash can never leave a change without its key, nor a key without its
//! change. A second request with the same key either finds the row before it starts
//! ([`Store::idempotency_find`]) or, when both run at once, fails on the row's primary key
//! inside its own transaction, which then writes nothing; [`Outcome::Duplicate`] tells the
//! web layer to answer as the first request did.

use crate::entities::idempotency_key;
use crate::query::First;
use crate::{Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    SqlErr,
};
use sha2::{Digest, Sha256};
use std::future::Future;
use std::sync::Mutex;
use time::OffsetDateTime;

/// How long a key is remembered: a retry comes within seconds, a double click at once.
pub const KEEP: time::Duration = time::Duration::hours(24);

/// One keyed request.
#[derive(Debug, Clone)]
pub struct Key {
    /// SHA-256 of who sent it, the key, the method, the path and the body.
    pub hash: String,
    /// The person who sent it, when logged in.
    pub person_id: Option<i64>,
    /// HTTP method.
    pub method: String,
    /// Path, cut to 500 characters.
    pub path: String,
}

impl Key {
    /// The key of a request: the same `key` from the same person for the same form content
    /// is the same request; the same key with other content is another one (a form filled
    /// again after the back button).
    pub fn new(
        person_id: Option<i64>,
        key: &str,
        method: &str,
        path: &str,
        body_digest: &[u8],
    ) -> Key {
        let mut h = Sha256::new();
        h.update(person_id.map(|p| p.to_string()).unwrap_or_default());
        for part in [key, method, path] {
            h.update([0]);
            h.update(part.as_bytes());
        }
        h.update([0]);
        h.update(body_digest);
        Key {
            hash: hex::encode(h.finalize()),
            person_id,
            method: method.to_owned(),
            path: path.chars().take(500).collect(),
        }
    }
}

/// What a keyed request did to the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It wrote nothing (a form with errors, a page).
    Nothing,
    /// It wrote its change and its key (unless that transaction then rolled back).
    Written,
    /// Another request with the same key wrote first; this one wrote nothing.
    Duplicate,
}

#[derive(Debug)]
struct Current {
    key: Key,
    outcome: Mutex<Outcome>,
}

tokio::task_local! {
    static CURRENT: Current;
}

/// Runs `f` (a request's handler) with `key`; returns its output and what it wrote.
pub async fn scope<F: Future>(key: Key, f: F) -> (F::Output, Outcome) {
    let current = Current {
        key,
        outcome: Mutex::new(Outcome::Nothing),
    };
    CURRENT
        .scope(current, async move {
            let out = f.await;
            let outcome =
                CURRENT.with(|c| c.outcome.lock().map(|o| *o).unwrap_or(Outcome::Nothing));
            (out, outcome)
        })
        .await
}

/// Within a write transaction: inserts the current request's key the first time the
/// request writes. Outside [`scope`] (jobs, the command line) it does nothing.
pub(crate) async fn claim<C: ConnectionTrait>(
    tx: &C,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let Ok(Some(key)) = CURRENT.try_with(|c| {
        let outcome = c.outcome.lock().map(|o| *o).unwrap_or(Outcome::Written);
        (outcome == Outcome::Nothing).then(|| c.key.clone())
    }) else {
        return Ok(());
    };
    let inserted = idempotency_key::ActiveModel {
        key_hash: Set(key.hash),
        person_id: Set(key.person_id),
        method: Set(key.method),
        path: Set(key.path),
        created_at: Set(now),
        location: Set(None),
    }
    .insert(tx)
    .await;
    let outcome = match &inserted {
        Ok(_) => Outcome::Written,
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Outcome::Duplicate
        }
        Err(_) => Outcome::Nothing,
    };
    let _ = CURRENT.try_with(|c| {
        if let Ok(mut o) = c.outcome.lock() {
            *o = outcome;
        }
    });
    match inserted {
        Ok(_) => Ok(()),
        Err(_) if outcome == Outcome::Duplicate => Err(StoreError::Duplicate),
        Err(e) => Err(e.into()),
    }
}

/// Deletes the keys older than `before` (the hourly purge).
pub(crate) async fn purge_before<C: ConnectionTrait>(
    tx: &C,
    before: OffsetDateTime,
) -> Result<u64, StoreError> {
    Ok(idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::CreatedAt.lt(before))
        .exec(tx)
        .await?
        .rows_affected)
}

impl Store {
    /// A key already written: `Some(location)`, where `location` is the first answer's
    /// redirect when it was recorded.
    pub async fn idempotency_find(&self, hash: &str) -> Result<Option<Option<String>>, StoreError> {
        Ok(idempotency_key::Entity::find_by_id(hash.to_owned())
            .first(&self.db)
            .await?
            .map(|k| k.location))
    }

    /// Records where the first answer sent the person, for the requests that repeat it.
    pub async fn idempotency_answered(&self, hash: &str, location: &str) -> Result<(), StoreError> {
        idempotency_key::Entity::update_many()
            .col_expr(
                idempotency_key::Column::Location,
                sea_orm::sea_query::Expr::value(location.chars().take(2000).collect::<String>()),
            )
            .filter(idempotency_key::Column::KeyHash.eq(hash))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}
