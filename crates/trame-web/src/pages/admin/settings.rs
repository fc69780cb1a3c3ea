//! The territory's settings: name, colour, body that awards grants.

use crate::AppState;
use crate::access::TerritoryCtx;
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
use trame_domain::brand::BrandColor;
use trame_domain::identifiers::Siret;
use trame_store::territories::TerritorySettings;

/// The settings form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    primary_color: String,
    #[serde(default)]
    awarding_siret: String,
}

#[derive(Template)]
#[template(path = "admin/settings.html")]
struct SettingsPage {
    chrome: Chrome,
    slug: String,
    form: SettingsForm,
    errors: Errors,
    saved: bool,
}

/// `GET /{territoire}/admin/parametres`.
pub async fn show(
    ctx: TerritoryCtx,
    chrome: Chrome,
    query: axum::extract::Query<Saved>,
) -> Result<Response, AppError> {
    let t = ctx.territory;
    render(&SettingsPage {
        chrome,
        form: SettingsForm {
            name: t.name,
            primary_color: t.primary_color,
            awarding_siret: t.awarding_siret.unwrap_or_default(),
        },
        slug: t.slug,
        errors: Errors::default(),
        saved: query.enregistre.is_some(),
    })
}

/// `?enregistre=1` after a successful save.
#[derive(Debug, Deserialize)]
pub struct Saved {
    enregistre: Option<String>,
}

fn parse(form: &SettingsForm) -> Result<TerritorySettings, Errors> {
    let mut errors = Errors::default();
    let name = form.name.trim().to_owned();
    if name.is_empty() {
        errors.add("name", "Le nom du territoire est obligatoire.");
    } else if name.chars().count() > 120 {
        errors.add("name", "Le nom ne peut pas dépasser 120 caractères.");
    }
    let color = BrandColor::parse(&form.primary_color)
        .map_err(|e| errors.add("primary_color", e.message))
        .ok();
    let awarding_siret = if form.awarding_siret.trim().is_empty() {
        None
    } else {
        Siret::parse(&form.awarding_siret)
            .map_err(|e| errors.add("awarding_siret", e.message))
            .ok()
    };
    match color {
        Some(color) if !errors.any() => Ok(TerritorySettings {
            name,
            color,
            awarding_siret,
        }),
        _ => Err(errors),
    }
}

/// `POST /{territoire}/admin/parametres`.
pub async fn save(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Form(form): Form<SettingsForm>,
) -> Result<Response, AppError> {
    let errors = match parse(&form) {
        Ok(settings) => match state
            .store
            .update_territory_settings(user.person_id, ctx.territory.scope(), &settings)
            .await
        {
            Ok(t) => {
                return Ok(
                    Redirect::to(&format!("/{}/admin/parametres?enregistre=1", t.slug))
                        .into_response(),
                );
            }
            Err(e) => Errors::from_store(e)?,
        },
        Err(errors) => errors,
    };
    Ok(unprocessable(render(&SettingsPage {
        chrome,
        slug: ctx.territory.slug,
        form,
        errors,
        saved: false,
    })?))
}
