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
    /// Any other database error; logged, never shown.
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    /// An internal failure with context; logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
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
