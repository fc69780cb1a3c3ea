//! The territory administrator's pages: settings, members, invitations, organisations,
//! outbox and the audit journal.

pub mod communes;
pub mod invitations;
pub mod journal;
pub mod members;
pub mod organisations;
pub mod outbox;
pub mod settings;
pub mod tokens;
