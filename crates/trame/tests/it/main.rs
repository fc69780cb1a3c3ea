//! The `trame` command, run as a person would run it, on the selected backend.

#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

mod cli;
mod drill;
