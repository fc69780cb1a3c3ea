//! The entity model: one Rust description of every table, shared by SQLite and PostgreSQL.
//! Every territory-owned table carries `territory_id`.

pub mod access_log;
pub mod api_token;
pub mod attachment;
pub mod attachment_blob;
pub mod audit_chain_head;
pub mod audit_event;
pub mod commune;
pub mod commune_referent;
pub mod dossier;
pub mod dossier_commune;
pub mod dossier_message;
pub mod dossier_text;
pub mod edition;
pub mod edition_criterion;
pub mod edition_envelope;
pub mod invitation;
pub mod job_lease;
pub mod job_run;
pub mod membership;
pub mod oidc_login;
pub mod opinion_request;
pub mod organisation;
pub mod organisation_member;
pub mod outbox_email;
pub mod person;
pub mod person_identity;
pub mod review;
pub mod review_score;
pub mod scenario;
pub mod scenario_line;
pub mod scheme;
pub mod session;
pub mod territory;
pub mod territory_logo;
