//! The company's pages: its own contracts (those awarded to an organisation it acts
//! for), their progress, and its monthly declarations. People are named by the reference
//! the facilitator gave them, never by their personal data.

use super::contracts::{HoursForm, declare_one};
use super::{ContractView, LineView, LinesQuery, lines, options};
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::funding::path_id;
use crate::pages::render;
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use trame_domain::clauses::vocab::{Source, Way};
use trame_store::clauses::ContractsOf;
use trame_store::funding::awards::paris_day;

#[derive(Template)]
#[template(path = "clauses/mine.html")]
struct MinePage {
    chrome: Chrome,
    slug: String,
    contracts: Vec<ContractView>,
}

/// `GET /{territoire}/mes-marches`.
pub async fn list(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let orgs = state.store.organisations_of(scope, user.person_id).await?;
    let today = paris_day(state.store.now());
    let contracts = state
        .store
        .contracts(scope, ContractsOf::Awardees(&orgs))
        .await?
        .into_iter()
        .map(|s| ContractView::of(s, today))
        .collect();
    render(&MinePage {
        chrome,
        slug: ctx.territory.slug.clone(),
        contracts,
    })
}

#[derive(Template)]
#[template(path = "clauses/my_contract.html")]
struct MyContractPage {
    chrome: Chrome,
    slug: String,
    c: ContractView,
    lines: Vec<LineView>,
    /// Lines of the contract not shown (older months, decided).
    hidden: u64,
    /// How many recent months are shown.
    recent: i32,
    ways: Vec<(String, String)>,
    form: HoursForm,
    errors: Errors,
}

#[allow(clippy::too_many_arguments)]
async fn page(
    state: &AppState,
    ctx: TerritoryCtx,
    user: &CurrentUser,
    chrome: Chrome,
    id: i64,
    form: HoursForm,
    errors: Errors,
    all: bool,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let orgs = state.store.organisations_of(scope, user.person_id).await?;
    let today = paris_day(state.store.now());
    let summary = state
        .store
        .contract(scope, id, ContractsOf::Awardees(&orgs))
        .await?;
    let failed = errors.any();
    let (rows, total) = state.store.contract_lines(&summary.row, all).await?;
    let resp = render(&MyContractPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        hidden: total.saturating_sub(rows.len() as u64),
        recent: trame_store::clauses::RECENT_MONTHS,
        lines: lines(rows, &|_| None),
        ways: options(Way::ALL, Way::code, Way::label),
        c: ContractView::of(summary, today),
        form,
        errors,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/mes-marches/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<LinesQuery>,
) -> Result<Response, AppError> {
    page(
        &state,
        ctx,
        &user,
        chrome,
        path_id(&id)?,
        HoursForm::default(),
        Errors::default(),
        q.all(),
    )
    .await
}

/// `POST /{territoire}/mes-marches/{id}/heures`.
pub async fn declare(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<HoursForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let orgs = state.store.organisations_of(scope, user.person_id).await?;
    let contract = state
        .store
        .contract(scope, id, ContractsOf::Awardees(&orgs))
        .await?
        .row;
    let errors = declare_one(&state, &user, scope, &contract, &form, Source::Company).await?;
    if !errors.any() {
        return Ok(
            Redirect::to(&format!("/{}/mes-marches/{id}#heures", ctx.territory.slug))
                .into_response(),
        );
    }
    page(&state, ctx, &user, chrome, id, form, errors, false).await
}
