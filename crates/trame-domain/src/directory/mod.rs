//! The public directory (issue 6): structures and services that lift barriers to
//! employment, described with the data·inclusion v1 schema.
//!
//! - [`vocab`]: the schema's vocabularies (thématiques on two levels, publics, types,
//!   frais, modes d'accueil and de mobilisation, who may mobilise, réseaux porteurs);
//! - [`record`]: a structure and a service as the schema exchanges them, and their check.

pub mod record;
pub mod vocab;
