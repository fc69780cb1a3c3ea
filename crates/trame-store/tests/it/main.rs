//! The store's conformance suite: every test runs on the backend selected by
//! `TRAME_TEST_DATABASE_URL` (SQLite when unset), so CI runs it on both.

mod accounts;
mod audit;
mod jobs;
