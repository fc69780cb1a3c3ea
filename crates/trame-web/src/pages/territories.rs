//! Opening a new territory from the SIREN of its EPT or EPCI, with its communes from the
//! official list embedded in the binary. The person who opens it becomes its administrator.

use crate::AppState;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use trame_domain::identifiers::Siren;
use trame_domain::territory::TerritorySlug;
use trame_store::StoreError;

/// The form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewTerritoryForm {
    #[serde(default)]
    siren: String,
    #[serde(default)]
    slug: String,
}

#[derive(Template)]
#[template(path = "territory_new.html")]
struct Page {
    chrome: Chrome,
    form: NewTerritoryForm,
    errors: Errors,
    source: String,
}

fn page(chrome: Chrome, form: NewTerritoryForm, errors: Errors) -> Result<Response, AppError> {
    let failed = errors.any();
    let source = trame_store::cog::source().map_err(AppError::from)?;
    let resp = render(&Page {
        chrome,
        form,
        errors,
        source,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /territoires/nouveau`.
pub async fn new_form(chrome: Chrome) -> Result<Response, AppError> {
    page(chrome, NewTerritoryForm::default(), Errors::default())
}

/// `POST /territoires/nouveau`.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    chrome: Chrome,
    Form(form): Form<NewTerritoryForm>,
) -> Result<Response, AppError> {
    let mut errors = Errors::default();
    let found = match Siren::parse(&form.siren) {
        Err(e) => {
            errors.add("siren", e.message);
            None
        }
        Ok(siren) => match trame_store::cog::find_groupement(&siren) {
            Ok(found) => Some(found),
            Err(StoreError::NotFound) => {
                errors.add(
                    "siren",
                    format!(
                        "Aucun EPT ni EPCI ne porte le SIREN {siren} dans la liste officielle."
                    ),
                );
                None
            }
            Err(e) => return Err(e.into()),
        },
    };
    let slug_text = match (&found, form.slug.trim()) {
        (_, s) if !s.is_empty() => s.to_owned(),
        (Some(f), _) => trame_store::cog::slug_for(&f.reference.nom),
        (None, _) => String::new(),
    };
    let slug = if slug_text.is_empty() {
        None
    } else {
        TerritorySlug::parse(&slug_text)
            .map_err(|e| errors.add("slug", e.message))
            .ok()
    };
    if let (Some(found), Some(slug), false) = (found, slug, errors.any()) {
        match state
            .store
            .create_territory_with_admin(
                Some(user.person_id),
                &slug,
                &found.reference,
                Some(user.person_id),
            )
            .await
        {
            Ok(t) => {
                return Ok(Redirect::to(&format!("/{}/admin/parametres", t.slug)).into_response());
            }
            Err(e) => errors = Errors::from_store(e)?,
        }
    }
    page(chrome, form, errors)
}
