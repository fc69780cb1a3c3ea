//! The directory's pages: the public search, the service and structure pages and their
//! JSON (this module's [`public`]), and the agents' pages.

pub mod admin;
pub mod equity;
pub mod public;
pub mod structures;

use crate::error::AppError;
use crate::search::CacheError;

impl From<CacheError> for AppError {
    fn from(e: CacheError) -> Self {
        match e {
            CacheError::Store(s) => s.into(),
            CacheError::Search(s) => AppError::Internal(s.to_string()),
        }
    }
}
