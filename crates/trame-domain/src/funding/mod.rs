//! Funding schemes: the ESS call for projects (issue 4) and conventions (issue 5).
//!
//! - [`edition`]: an edition of a call checked as a whole, and who may apply;
//! - [`attachment`]: attachment kinds, size limit and format sniffing;
//! - [`dossier`]: the application (CERFA 12156), its budget and its states;
//! - [`allocation`]: the committee's default allocation rule;
//! - [`optimal`]: the scenario with the greatest total weighted score;
//! - [`award`]: after the decision — payment schedule, payments, de minimis;
//! - [`report`]: the final report (CERFA 15059) and what a payment may release;
//! - [`convention`]: subsidies granted directly to partners and communes.

pub mod allocation;
pub mod attachment;
pub mod award;
pub mod convention;
pub mod dossier;
pub mod edition;
pub mod optimal;
pub mod report;
