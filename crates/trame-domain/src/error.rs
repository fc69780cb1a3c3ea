//! The error of every parsing constructor: a message for a person, in French.

/// A value typed by a person was refused; `message` says why, in French.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    /// The French message shown next to the field.
    pub message: String,
}

impl ParseError {
    /// Builds an error from its French message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}
