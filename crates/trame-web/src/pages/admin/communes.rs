//! The communes of a territory: add one from the official list, remove one.

use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use trame_domain::identifiers::CodeInsee;
use trame_store::StoreError;
use trame_store::territories::Commune;

#[derive(Template)]
#[template(path = "admin/communes.html")]
struct Page {
    chrome: Chrome,
    slug: String,
    communes: Vec<Commune>,
    code: String,
    errors: Errors,
}

async fn page(
    state: &AppState,
    ctx: TerritoryCtx,
    chrome: Chrome,
    code: String,
    errors: Errors,
) -> Result<Response, AppError> {
    let failed = errors.any();
    let communes = state.store.communes(ctx.territory.scope()).await?;
    let resp = render(&Page {
        chrome,
        slug: ctx.territory.slug,
        communes,
        code,
        errors,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/admin/communes`.
pub async fn list(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
) -> Result<Response, AppError> {
    page(&state, ctx, chrome, String::new(), Errors::default()).await
}

/// The form.
#[derive(Debug, Deserialize)]
pub struct AddForm {
    #[serde(default)]
    code_insee: String,
}

/// `POST /{territoire}/admin/communes`: adds the commune with this INSEE code.
pub async fn add(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Form(form): Form<AddForm>,
) -> Result<Response, AppError> {
    let mut errors = Errors::default();
    match CodeInsee::parse(&form.code_insee) {
        Err(e) => errors.add("code_insee", e.message),
        Ok(code) => match trame_store::cog::find_commune(&code) {
            Err(StoreError::NotFound) => errors.add(
                "code_insee",
                format!("Aucune commune ne porte le code INSEE {code} dans la liste officielle."),
            ),
            Err(e) => return Err(e.into()),
            Ok(c) => match state
                .store
                .add_commune(user.person_id, ctx.territory.scope(), &c)
                .await
            {
                Ok(_) => {
                    return Ok(
                        Redirect::to(&format!("/{}/admin/communes", ctx.territory.slug))
                            .into_response(),
                    );
                }
                Err(e) => errors = Errors::from_store(e)?,
            },
        },
    }
    page(&state, ctx, chrome, form.code_insee, errors).await
}

/// `POST /{territoire}/admin/communes/{id}/retirer`.
pub async fn remove(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    state
        .store
        .remove_commune(user.person_id, ctx.territory.scope(), id)
        .await?;
    Ok(Redirect::to(&format!("/{}/admin/communes", ctx.territory.slug)).into_response())
}
