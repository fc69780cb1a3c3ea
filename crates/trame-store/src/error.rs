//! The persistence layer's one error type.

use sea_orm::{DbErr, SqlErr};

/// What can go wrong in a repository call.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule was broken; `field` names the form field, `message` is French.
    #[error("{message}")]
    Conflict {
        /// The field that caused it.
        field: &'static str,
        /// French message for the person.
        message: String,
    },
    /// The object does not exist in this scope.
    #[error("introuvable")]
    NotFound,
    /// A configuration problem (bad URL…), in French.
    #[error("{0}")]
    Config(String),
    /// The database stayed locked by another writer past the wait (SQLite's busy
    /// timeout, PostgreSQL's `lock_timeout`), or no connection came free in time: nothing
    /// was written, the request may be tried again.
    #[error("database busy: {0}")]
    Busy(String),
    /// The record changed since the person opened the form (an edit on a stale
    /// version); nothing was written.
    #[error("stale version")]
    Stale,
    /// Another request with the same idempotency key wrote first; this one wrote nothing.
    #[error("duplicate idempotent request")]
    Duplicate,
    /// Any other database error; logged, never shown.
    #[error("database error: {0}")]
    Db(DbErr),
    /// An internal failure with context; logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<DbErr> for StoreError {
    fn from(err: DbErr) -> Self {
        if is_busy(&err) {
            StoreError::Busy(err.to_string())
        } else {
            StoreError::Db(err)
        }
    }
}

/// Whether `err` means "wait longer": SQLite's `SQLITE_BUSY` (`database is locked`) after
/// the busy timeout, PostgreSQL's `lock_not_available` (55P03, `lock_timeout`) or
/// `query_canceled` (57014, `statement_timeout`), or no pooled connection in time.
fn is_busy(err: &DbErr) -> bool {
    if matches!(
        err,
        DbErr::ConnectionAcquire(sea_orm::ConnAcquireErr::Timeout)
    ) {
        return true;
    }
    let text = err.to_string();
    [
        "database is locked",
        "(code: 5)",
        "55P03",
        "57014",
        "lock timeout",
        "statement timeout",
    ]
    .iter()
    .any(|m| text.contains(m))
        || text.contains("canceling statement due to")
}

impl StoreError {
    /// Turns a unique-constraint violation into a [`StoreError::Conflict`] on `field`.
    pub(crate) fn unique_as(err: DbErr, field: &'static str, message: &str) -> StoreError {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict {
                field,
                message: message.to_owned(),
            },
            _ => StoreError::Db(err),
        }
    }
}
