//! The store's conformance suite: every test runs on the backend selected by
//! `TRAME_TEST_DATABASE_URL` (SQLite when unset), so CI runs it on both.

#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

mod accounts;
mod audit;
mod backup;
mod jobs;
mod upgrade;
