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
use trame_domain::territory::TerritorySlug;
use trame_store::territories::TerritorySettings;

/// The settings form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
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
    has_logo: bool,
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
        has_logo: t.logo_mime.is_some(),
        form: SettingsForm {
            name: t.name,
            slug: t.slug.clone(),
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
    let slug = TerritorySlug::parse(&form.slug)
        .map_err(|e| errors.add("slug", e.message))
        .ok();
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
    match (color, slug) {
        (Some(color), Some(slug)) if !errors.any() => Ok(TerritorySettings {
            name,
            slug,
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
        has_logo: ctx.territory.logo_mime.is_some(),
        slug: ctx.territory.slug,
        form,
        errors,
        saved: false,
    })?))
}

/// `POST /{territoire}/admin/parametres/logo` (multipart, field `logo`).
pub async fn upload_logo(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, AppError> {
    let mut bytes = Vec::new();
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("logo") {
            bytes = field
                .bytes()
                .await
                .map_err(|_| AppError::BadRequest("upload"))?
                .to_vec();
        }
    }
    let checked = match trame_domain::image::logo_mime(&bytes) {
        Ok(mime) => crate::uploads::check(&state, &bytes).await.map(|()| mime),
        Err(e) => Err(e.message),
    };
    match checked {
        Ok(mime) => {
            state
                .store
                .set_logo(user.person_id, ctx.territory.scope(), mime, bytes)
                .await?;
            Ok(Redirect::to(&format!(
                "/{}/admin/parametres?enregistre=1",
                ctx.territory.slug
            ))
            .into_response())
        }
        Err(message) => {
            let mut errors = Errors::default();
            errors.add("logo", message);
            let t = ctx.territory;
            Ok(unprocessable(render(&SettingsPage {
                chrome,
                has_logo: t.logo_mime.is_some(),
                form: SettingsForm {
                    name: t.name,
                    slug: t.slug.clone(),
                    primary_color: t.primary_color,
                    awarding_siret: t.awarding_siret.unwrap_or_default(),
                },
                slug: t.slug,
                errors,
                saved: false,
            })?))
        }
    }
}

/// `POST /{territoire}/admin/parametres/logo/retirer`.
pub async fn remove_logo(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
) -> Result<Response, AppError> {
    state
        .store
        .remove_logo(user.person_id, ctx.territory.scope())
        .await?;
    Ok(Redirect::to(&format!(
        "/{}/admin/parametres?enregistre=1",
        ctx.territory.slug
    ))
    .into_response())
}
