//! The public directory (issue 6): structures and services that lift barriers to
//! employment, described with the data·inclusion v1 schema.
//!
//! - [`vocab`]: the schema's vocabularies (thématiques on two levels, publics, types,
//!   frais, modes d'accueil and de mobilisation, who may mobilise, réseaux porteurs);
//! - [`record`]: a structure and a service as the schema exchanges them, and their check;
//! - [`exchange`]: data·inclusion files in JSON and CSV, and the check of a whole file;
//! - [`listing`]: a record's state, the codes a service is filtered on, the places a
//!   commune filter looks for.

pub mod exchange;
pub mod listing;
pub mod record;
pub mod vocab;
