//! Insertion pathways, referrals to services and employment forums (issue 10).
//!
//! A PLIE-style pathway follows a participant furthest from employment: entry criteria
//! (the publics eligible to insertion, shared with the clauses' `Ground`), barriers by
//! theme (the data·inclusion categories), dated steps inside the pathway's days (36
//! months at most by default, with an alert before the end), and an exit coded as PLIE
//! practice codes it, positive or not, with the situation six months later. A counsellor
//! refers a participant to a service of the directory that matches a barrier; the
//! receiving structure accepts or declines with a reason, and a referral left unanswered
//! expires after 30 days. Forums bring job seekers and employers together: their
//! capacity is never exceeded.

pub mod forum;
pub mod pathway;
pub mod referral;
pub mod vocab;
