//! The elimination register: the pathway files anonymised at the end of their retention,
//! without any personal data, for the territory's administrators.

use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::pages::render;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use trame_domain::format::french_date;
use trame_domain::format::paris_day;
use trame_domain::pathways::pathway::RETENTION_MONTHS;

/// A line of the register, as shown.
pub struct Line {
    /// The file's number.
    pub file: i64,
    /// The holding organisation.
    pub organisation: String,
    /// Year of entry.
    pub entry_year: i32,
    /// Last contact, written out.
    pub last_contact: String,
    /// Anonymised on, written out.
    pub eliminated: String,
    /// The legal basis.
    pub basis: String,
}

#[derive(Template)]
#[template(path = "pathways/eliminations.html")]
struct RegisterPage {
    chrome: Chrome,
    lines: Vec<Line>,
    years: i32,
}

/// `GET /{territoire}/admin/parcours/eliminations`.
pub async fn page(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let orgs: std::collections::HashMap<i64, String> = state
        .store
        .organisations(scope)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let lines = state
        .store
        .path_eliminations(scope)
        .await?
        .into_iter()
        .map(|e| Line {
            file: e.file_id,
            organisation: orgs.get(&e.organisation_id).cloned().unwrap_or_default(),
            entry_year: e.entry_year,
            last_contact: trame_domain::format::parse_iso_date(&e.last_contact_on)
                .map_or_else(|| e.last_contact_on.clone(), french_date),
            eliminated: french_date(paris_day(e.eliminated_at)),
            basis: e.basis,
        })
        .collect();
    render(&RegisterPage {
        chrome,
        lines,
        years: RETENTION_MONTHS / 12,
    })
}
