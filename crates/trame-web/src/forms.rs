//! Form plumbing shared by the pages: field errors, and store conflicts turned into the
//! error of the field that caused them.

use crate::error::AppError;
use trame_domain::organisation::FieldErrors;
use trame_store::StoreError;

/// The errors of a submitted form, by field.
#[derive(Debug, Clone, Default)]
pub struct Errors(pub FieldErrors);

impl Errors {
    /// The message of `field`, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    /// Whether there is any error.
    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }

    /// Every (field, message), in field order.
    pub fn all(&self) -> Vec<(&'static str, &str)> {
        self.0.iter().map(|(k, v)| (*k, v.as_str())).collect()
    }

    /// Adds an error.
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.insert(field, message.into());
    }

    /// A store conflict becomes the error of its field; any other failure stays an error.
    pub fn from_store(e: StoreError) -> Result<Errors, AppError> {
        match e {
            StoreError::Conflict { field, message } => {
                let mut errors = Errors::default();
                errors.add(field, message);
                Ok(errors)
            }
            other => Err(other.into()),
        }
    }
}

/// Renders a page with its form errors: 422 so that scripts and tests can tell.
pub fn unprocessable(mut resp: axum::response::Response) -> axum::response::Response {
    *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    resp
}

/// Renders a form shown again because its record changed meanwhile: 409.
pub fn conflict(mut resp: axum::response::Response) -> axum::response::Response {
    *resp.status_mut() = axum::http::StatusCode::CONFLICT;
    resp
}
