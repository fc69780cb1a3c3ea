//! Funding schemes: the ESS call for projects (issue 4) and conventions (issue 5).
//!
//! Today: editions of a call, checked as a whole ([`edition`]), and the committee's
//! default allocation rule ([`allocation`]).

pub mod allocation;
pub mod edition;
