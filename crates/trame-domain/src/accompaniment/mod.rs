//! The ESS accompaniment programme (issue 9): calls for candidates and their
//! applications, the jury's grid and the decision, cohorts with their calendar, the
//! collective workshops and individual sessions, each project's journey through the
//! stages with dated milestones and outcomes, and the participant data European funds
//! (FSE+) require.

pub mod application;
pub mod handover;
pub mod journey;
pub mod participant;
pub mod programme;
pub mod vocab;
