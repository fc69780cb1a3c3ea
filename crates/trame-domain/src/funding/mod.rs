//! Funding schemes: the ESS call for projects (issue 4) and conventions (issue 5).
//!
//! Today: the committee's default allocation rule ([`allocation`]).

pub mod allocation;
