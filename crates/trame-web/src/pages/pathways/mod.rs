//! Insertion pathways: the counsellors' list of files, a file's page (barriers, steps,
//! referrals, exit, sharing), the referral to a service of the directory, and the
//! referrals a structure receives. Who reaches which file is decided by the store.

pub mod actions;
pub mod dashboard;
pub mod eliminations;
pub mod file;
pub mod list;
pub mod referrals;

use crate::AppState;
use crate::error::AppError;
use trame_store::Scope;

/// Where the counsellors' pages live.
pub const ROOT: &str = "parcours";

/// The territory's communes: (INSEE code, name), by name.
pub async fn communes(state: &AppState, scope: Scope) -> Result<Vec<(String, String)>, AppError> {
    let mut out: Vec<(String, String)> = state
        .store
        .communes(scope)
        .await?
        .into_iter()
        .map(|c| (c.code_insee, c.name))
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

/// A commune's name from its code.
pub fn commune_name(communes: &[(String, String)], code: &str) -> String {
    communes
        .iter()
        .find(|(c, _)| c == code)
        .map_or_else(|| code.to_owned(), |(_, n)| n.clone())
}
