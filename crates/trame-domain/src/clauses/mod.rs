//! Insertion clauses in public procurement (issue 8): the target of insertion hours a
//! contract carries, and, to come, the hours delivered by the people who work them.

pub mod target;
