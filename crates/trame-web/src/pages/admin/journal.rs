//! The audit journal of a territory.

use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::pages::render;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use trame_domain::audit::{action_label, object_label};
use trame_domain::format::paris_datetime;
use trame_store::entities::audit_event;

/// One journal entry as shown.
struct EntryRow {
    id: i64,
    seq: i64,
    at: String,
    actor: String,
    label: String,
    action: String,
    object: String,
    hash: String,
    prev_hash: String,
}

impl From<audit_event::Model> for EntryRow {
    fn from(e: audit_event::Model) -> Self {
        EntryRow {
            id: e.id,
            seq: e.seq,
            at: paris_datetime(e.occurred_at),
            actor: e
                .actor_id
                .map(|a| format!("personne n° {a}"))
                .unwrap_or_else(|| "système".to_owned()),
            label: action_label(&e.action).to_owned(),
            action: e.action,
            object: format!("{} n° {}", object_label(&e.object_type), e.object_id),
            hash: e.hash,
            prev_hash: e.prev_hash,
        }
    }
}

#[derive(Template)]
#[template(path = "admin/journal.html")]
struct JournalPage {
    chrome: Chrome,
    slug: String,
    territory_name: String,
    entries: Vec<EntryRow>,
}

/// `GET /{territoire}/admin/journal`: the latest 200 entries.
pub async fn journal(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let entries = state.store.audit_list(ctx.territory.scope(), 200).await?;
    render(&JournalPage {
        chrome,
        slug: ctx.territory.slug,
        territory_name: ctx.territory.name,
        entries: entries.into_iter().map(EntryRow::from).collect(),
    })
}

#[derive(Template)]
#[template(path = "admin/journal_entry.html")]
struct JournalEntryPage {
    chrome: Chrome,
    slug: String,
    entry: EntryRow,
}

/// `GET /{territoire}/admin/journal/{id}`; 404 for another territory's entry.
pub async fn journal_entry(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    Path((_, id)): Path<(String, String)>,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let entry = state.store.audit_get(ctx.territory.scope(), id).await?;
    render(&JournalEntryPage {
        chrome,
        slug: ctx.territory.slug,
        entry: entry.into(),
    })
}
