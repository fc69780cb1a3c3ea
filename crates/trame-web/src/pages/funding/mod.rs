//! The call for projects, page by page: the public call pages ([`calls`]), the editions
//! the staff set up ([`editions`]), the applicant's dossiers ([`apply`]), instruction
//! ([`instruction`]), commune opinions ([`opinions`]), review ([`review`]) and the
//! committee ([`committee`]).

pub mod apply;
pub mod awards;
pub mod calls;
pub mod committee;
pub mod conventions;
pub mod documents;
pub mod editions;
pub mod exports;
pub mod instruction;
pub mod opinions;
pub mod reports;
pub mod review;

use crate::AppState;
use crate::error::AppError;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use trame_domain::format::paris_datetime;
use trame_domain::funding::attachment::kind_label;
use trame_domain::funding::dossier::{
    DossierContent, EXPENSE_ACCOUNTS, REVENUE_ACCOUNTS, State, format_fte,
};
use trame_domain::money::Euros;
use trame_store::Scope;
use trame_store::funding::DossierRow;
use trame_store::funding::dossiers::AttachmentRow;
use trame_store::territories::Commune;

/// The id in a path; anything else is not found.
pub(crate) fn path_id(raw: &str) -> Result<i64, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// An amount in cents, French format.
pub(crate) fn eur(cents: i64) -> String {
    Euros::from_cents(cents).to_string()
}

pub(crate) use trame_domain::format::french_date;

/// Whether the request comes from htmx.
pub(crate) fn is_htmx(headers: &axum::http::HeaderMap) -> bool {
    headers.get("hx-request").is_some_and(|v| v == "true")
}

/// A budget line as shown.
pub struct BudgetRow {
    /// Account group and label.
    pub label: &'static str,
    /// Amount.
    pub amount: String,
}

/// An attachment as listed.
pub struct AttachmentView {
    /// Id.
    pub id: i64,
    /// Kind label.
    pub kind: &'static str,
    /// File name.
    pub filename: String,
    /// Size, `123 Ko`.
    pub size: String,
    /// First characters of the SHA-256.
    pub sha: String,
}

impl AttachmentView {
    fn of(a: &AttachmentRow) -> AttachmentView {
        let kb = (a.size_bytes + 1023) / 1024;
        AttachmentView {
            id: a.id,
            kind: kind_label(&a.kind),
            filename: a.filename.clone(),
            size: if kb >= 1024 {
                format!("{},{} Mo", kb / 1024, (kb % 1024) * 10 / 1024)
            } else {
                format!("{kb} Ko")
            },
            sha: a.sha256.chars().take(16).collect(),
        }
    }
}

/// A co-funder as shown.
pub struct CofunderView {
    /// Name.
    pub name: String,
    /// « obtenu » or « demandé ».
    pub status: &'static str,
    /// Amount.
    pub amount: String,
}

/// A dossier as the read-only pages show it.
pub struct DossierView {
    /// The row.
    pub row: DossierRow,
    /// State label.
    pub state: &'static str,
    /// Organisation name.
    pub organisation: String,
    /// Names of the communes concerned.
    pub communes: Vec<String>,
    /// Checked content, once submitted.
    pub content: Option<DossierContent>,
    /// Expenses.
    pub expenses: Vec<BudgetRow>,
    /// Revenues.
    pub revenues: Vec<BudgetRow>,
    /// Total expenses.
    pub total_expenses: String,
    /// Total revenues.
    pub total_revenues: String,
    /// Amount requested.
    pub requested: String,
    /// Submitted at, Paris time.
    pub submitted: Option<String>,
    /// Period of the project.
    pub period: String,
    /// Jobs to be created.
    pub jobs: String,
    /// Co-funders.
    pub cofunders: Vec<CofunderView>,
    /// Sub-envelope label.
    pub envelope: Option<String>,
    /// Hosted entrepreneur's name (CAE).
    pub entrepreneur: Option<String>,
    /// Attachments.
    pub attachments: Vec<AttachmentView>,
    /// Decision: amount and deliberation.
    pub decision: Option<String>,
}

/// Builds the read-only view of a dossier.
pub(crate) async fn dossier_view(
    state: &AppState,
    scope: Scope,
    row: DossierRow,
) -> Result<DossierView, AppError> {
    let communes: Vec<Commune> = state.store.communes(scope).await?;
    let codes = state.store.dossier_communes(scope, row.id).await?;
    let org = state.store.organisation(scope, row.organisation_id).await?;
    let ed = state.store.edition(scope, row.edition_id).await?;
    let attachments = state
        .store
        .attachments(scope, row.id)
        .await?
        .iter()
        .map(AttachmentView::of)
        .collect();
    let (_, content) = state.store.dossier_texts(scope, row.id).await?;
    let lines = |accounts: &[(u8, &'static str)]| -> Vec<BudgetRow> {
        accounts
            .iter()
            .filter_map(|(a, label)| {
                let amount = content.as_ref()?.budget.lines.get(a)?;
                Some(BudgetRow {
                    label,
                    amount: amount.to_string(),
                })
            })
            .collect()
    };
    let entrepreneur = match content.as_ref().and_then(|c| c.entrepreneur) {
        Some(id) => Some(state.store.person(id).await?.display_name),
        None => None,
    };
    let st = State::from_code(&row.state).unwrap_or(State::Draft);
    Ok(DossierView {
        state: st.label(),
        organisation: org.name,
        communes: codes
            .iter()
            .map(|code| {
                communes
                    .iter()
                    .find(|c| &c.code_insee == code)
                    .map(|c| c.name.clone())
                    .unwrap_or_else(|| code.clone())
            })
            .collect(),
        expenses: lines(&EXPENSE_ACCOUNTS),
        revenues: lines(&REVENUE_ACCOUNTS),
        total_expenses: content
            .as_ref()
            .map(|c| c.budget.expenses().to_string())
            .unwrap_or_default(),
        total_revenues: content
            .as_ref()
            .map(|c| c.budget.revenues().to_string())
            .unwrap_or_default(),
        requested: eur(row.requested_cents),
        submitted: row.submitted_at.map(paris_datetime),
        period: content
            .as_ref()
            .map(|c| {
                format!(
                    "du {} au {}",
                    french_date(c.starts_on),
                    french_date(c.ends_on)
                )
            })
            .unwrap_or_default(),
        jobs: format_fte(row.jobs_fte_tenths),
        cofunders: content
            .as_ref()
            .map(|c| {
                c.cofunders
                    .iter()
                    .map(|f| CofunderView {
                        name: f.name.clone(),
                        status: if f.obtained { "obtenu" } else { "demandé" },
                        amount: f.amount.to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        envelope: row.envelope_code.as_ref().map(|code| {
            ed.envelopes
                .iter()
                .find(|e| &e.code == code)
                .map(|e| e.label.clone())
                .unwrap_or_else(|| code.clone())
        }),
        entrepreneur,
        attachments,
        decision: match (st, row.decision_cents, &row.deliberation_ref) {
            (State::Accepted, Some(c), Some(r)) => Some(format!("Subvention de {} ({r})", eur(c))),
            (State::Refused, _, Some(r)) => Some(format!("Refus ({r})")),
            _ => None,
        },
        content,
        row,
    })
}

/// Serves an attachment as a download.
pub(crate) fn download(a: &AttachmentRow, bytes: Vec<u8>) -> Response {
    download_named(&a.filename, &a.mime, bytes)
}

/// A stored file sent back as a download: its type, its name (ASCII and UTF-8), never
/// cached by a shared cache.
pub(crate) fn download_named(filename: &str, mime: &str, bytes: Vec<u8>) -> Response {
    let mut resp = bytes.into_response();
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(mime) {
        h.insert(header::CONTENT_TYPE, v);
    }
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        crate::urls::encode_component(filename)
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    resp
}
