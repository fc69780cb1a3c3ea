//! The `trame` command, run as a person would run it, on the selected backend.

mod cli;
