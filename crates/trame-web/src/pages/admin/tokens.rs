//! API tokens of an organisation, created and revoked on its record.

use super::organisations::{org_id, show_page};
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::Errors;
use crate::middleware::CurrentUser;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// The token form.
#[derive(Debug, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    token_name: String,
}

/// `POST /{territoire}/admin/organisations/{id}/jetons`: creates a token and shows it once.
pub async fn create_token(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<TokenForm>,
) -> Result<Response, AppError> {
    let id = org_id(&id)?;
    match state
        .store
        .create_api_token(user.person_id, ctx.territory.scope(), id, &form.token_name)
        .await
    {
        Ok(token) => show_page(&state, ctx, chrome, id, Some(token), Errors::default()).await,
        Err(e) => {
            let errors = Errors::from_store(e)?;
            show_page(&state, ctx, chrome, id, None, errors).await
        }
    }
}

/// `POST /{territoire}/admin/organisations/{id}/jetons/{token}/retirer`.
pub async fn revoke_token(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    Path((_, id, token)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let id = org_id(&id)?;
    let token: i64 = token.parse().map_err(|_| AppError::NotFound)?;
    state
        .store
        .revoke_api_token(user.person_id, ctx.territory.scope(), id, token)
        .await?;
    Ok(Redirect::to(&format!("/{}/admin/organisations/{id}", ctx.territory.slug)).into_response())
}
