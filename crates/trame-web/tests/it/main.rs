//! The web layer's tests, in process, each on its own database (SQLite, or PostgreSQL
//! with `TRAME_TEST_DATABASE_URL`).

#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

mod accompaniment;
mod admin;
mod api;
mod auth;
mod awards;
mod clauses;
mod directory;
mod forums;
mod funding;
mod matrix;
mod pages;
mod pathways;
mod proconnect;
mod register;
mod reliability;
mod reports;
mod scenario;
mod security;
mod uploads;
