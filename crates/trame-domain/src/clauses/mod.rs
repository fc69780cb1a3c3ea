//! Insertion clauses in public procurement (issue 8): the contracts that carry a clause
//! and their target of hours, the people who work the hours and their eligibility, the
//! hours declared each month, the contracts' progress and the people's outcomes.

pub mod contract;
pub mod decp;
pub mod hours;
pub mod person;
pub mod progress;
pub mod target;
pub mod vocab;
