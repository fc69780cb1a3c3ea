//! The web layer's tests, in process, each on its own database (SQLite, or PostgreSQL
//! with `TRAME_TEST_DATABASE_URL`).

mod auth;
mod matrix;
mod pages;
mod security;
