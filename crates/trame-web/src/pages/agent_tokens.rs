//! A staff member's personal API tokens (`/{territoire}/jetons`): created for their own
//! tools, shown once, revoked here; they read the instructor's view of the JSON API with
//! the person's roles.

use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::admin::organisations::TokenRow;
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "agent_tokens.html")]
struct TokensPage {
    chrome: Chrome,
    tokens: Vec<TokenRow>,
    new_token: Option<String>,
    token_base: String,
    errors: Errors,
}

async fn page(
    state: &AppState,
    ctx: TerritoryCtx,
    user: &CurrentUser,
    chrome: Chrome,
    new_token: Option<String>,
    errors: Errors,
) -> Result<Response, AppError> {
    let tokens = state
        .store
        .staff_tokens(ctx.territory.scope(), user.person_id)
        .await?
        .into_iter()
        .map(|t| {
            TokenRow::of(
                t.id,
                t.name,
                t.prefix,
                t.created_at,
                t.last_used_at,
                t.revoked_at.is_some(),
            )
        })
        .collect();
    let failed = errors.any();
    let resp = render(&TokensPage {
        chrome,
        tokens,
        new_token,
        token_base: format!("/{}/jetons", ctx.territory.slug),
        errors,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/jetons`.
pub async fn list(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
) -> Result<Response, AppError> {
    page(&state, ctx, &user, chrome, None, Errors::default()).await
}

/// The token form.
#[derive(Debug, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    token_name: String,
}

/// `POST /{territoire}/jetons`: creates a token and shows it once.
pub async fn create(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Form(form): Form<TokenForm>,
) -> Result<Response, AppError> {
    match state
        .store
        .create_staff_token(user.person_id, ctx.territory.scope(), &form.token_name)
        .await
    {
        Ok(token) => page(&state, ctx, &user, chrome, Some(token), Errors::default()).await,
        Err(e) => {
            let errors = Errors::from_store(e)?;
            page(&state, ctx, &user, chrome, None, errors).await
        }
    }
}

/// `POST /{territoire}/jetons/{id}/retirer`.
pub async fn revoke(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    state
        .store
        .revoke_staff_token(user.person_id, ctx.territory.scope(), id)
        .await?;
    Ok(Redirect::to(&format!("/{}/jetons", ctx.territory.slug)).into_response())
}
