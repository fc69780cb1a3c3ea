//! The public pages of the calls for projects: the published editions, and one edition
//! with its rules, its calendar, its laureates once decided, and the way to apply.

use super::editions::status;
use super::{eur, path_id};
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::pages::{MaybeUser, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use trame_domain::format::paris_datetime;
use trame_domain::role::Role;
use trame_store::funding::editions::{EditionFull, EditionRow};
use trame_store::organisations::OrganisationRow;

/// An edition as the public list shows it.
pub struct CallLine {
    /// Row.
    pub row: EditionRow,
    /// Envelope.
    pub total: String,
    /// Status.
    pub status: &'static str,
    /// Closing, Paris time.
    pub closes: String,
}

#[derive(Template)]
#[template(path = "funding/calls.html")]
struct ListPage {
    chrome: Chrome,
    slug: String,
    territory_name: String,
    calls: Vec<CallLine>,
}

/// `GET /{territoire}/appels`.
pub async fn list(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let now = state.store.now();
    let calls = state
        .store
        .published_editions(ctx.territory.scope())
        .await?
        .into_iter()
        .map(|row| CallLine {
            total: eur(row.total_cents),
            status: status(&row, now),
            closes: paris_datetime(row.closes_at),
            row,
        })
        .collect();
    render(&ListPage {
        chrome,
        slug: ctx.territory.slug,
        territory_name: ctx.territory.name,
        calls,
    })
}

/// A laureate as the public page lists it.
pub struct LaureateLine {
    /// Organisation.
    pub organisation: String,
    /// Project.
    pub project: String,
    /// Communes.
    pub communes: String,
    /// Amount.
    pub amount: String,
}

#[derive(Template)]
#[template(path = "funding/call.html")]
struct ShowPage {
    chrome: Chrome,
    slug: String,
    e: EditionFull,
    status: &'static str,
    opens: String,
    closes: String,
    total: String,
    ceiling: String,
    envelopes: Vec<(String, String)>,
    forms: Vec<&'static str>,
    open: bool,
    logged_in: bool,
    is_applicant: bool,
    organisations: Vec<OrganisationRow>,
    laureates: Vec<LaureateLine>,
    laureates_total: String,
    errors: Errors,
}

/// The page of one published edition, with `errors` from a failed attempt to apply.
pub(crate) async fn show_page(
    state: &AppState,
    ctx: TerritoryCtx,
    chrome: Chrome,
    user: MaybeUser,
    id: i64,
    errors: Errors,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let e = state.store.edition(scope, id).await?;
    if e.row.published_at.is_none() {
        return Err(AppError::NotFound);
    }
    let now = state.store.now();
    let organisations = match &user.0 {
        Some(u) if ctx.roles.contains(&Role::Applicant) => {
            state.store.person_organisations(scope, u.person_id).await?
        }
        _ => Vec::new(),
    };
    let communes = state.store.communes(scope).await?;
    let mut laureates = Vec::new();
    let mut sum = 0;
    for d in state.store.laureates(scope, id).await? {
        let org = state.store.organisation(scope, d.organisation_id).await?;
        let codes = state.store.dossier_communes(scope, d.id).await?;
        sum += d.decision_cents.unwrap_or(0);
        laureates.push(LaureateLine {
            organisation: org.name,
            project: d.title.clone(),
            communes: codes
                .iter()
                .filter_map(|c| communes.iter().find(|x| &x.code_insee == c))
                .map(|c| c.name.clone())
                .collect::<Vec<_>>()
                .join(", "),
            amount: eur(d.decision_cents.unwrap_or(0)),
        });
    }
    let failed = errors.any();
    let resp = render(&ShowPage {
        status: status(&e.row, now),
        opens: paris_datetime(e.row.opens_at),
        closes: paris_datetime(e.row.closes_at),
        total: eur(e.row.total_cents),
        ceiling: format!(
            "{} et {} % du budget du projet",
            eur(e.row.ceiling_cents),
            e.row.ceiling_share_percent
        ),
        envelopes: e
            .envelopes
            .iter()
            .map(|v| (v.label.clone(), eur(v.amount_cents)))
            .collect(),
        forms: e.allowed_forms().iter().map(|f| f.label()).collect(),
        open: e.accepts_submissions(now),
        logged_in: user.0.is_some(),
        is_applicant: ctx.roles.contains(&Role::Applicant),
        organisations,
        laureates_total: eur(sum),
        laureates,
        slug: ctx.territory.slug,
        chrome,
        e,
        errors,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/appels/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    user: MaybeUser,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    show_page(&state, ctx, chrome, user, path_id(&id)?, Errors::default()).await
}
