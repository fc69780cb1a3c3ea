//! The platform's home, a territory's public home, its communes as CSV, health probes.

use super::render;
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use trame_domain::format::group_digits;
use trame_store::territories::{Commune, Territory};

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    chrome: Chrome,
    territories: Vec<Territory>,
}

/// `GET /`: the territories, or the only one.
pub async fn index(State(state): State<AppState>, chrome: Chrome) -> Result<Response, AppError> {
    let territories = state.store.territories().await?;
    if let [only] = territories.as_slice() {
        return Ok(Redirect::to(&format!("/{}", only.slug)).into_response());
    }
    render(&IndexPage {
        chrome,
        territories,
    })
}

/// One commune as shown on the territory's home.
struct CommuneRow {
    code_insee: String,
    name: String,
    population: String,
}

#[derive(Template)]
#[template(path = "territory/home.html")]
struct TerritoryPage {
    chrome: Chrome,
    territory: Territory,
    communes: Vec<CommuneRow>,
    population: String,
}

/// `GET /{territoire}`: the territory's public home.
pub async fn territory(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let communes = state.store.communes(ctx.territory.scope()).await?;
    let total: i64 = communes.iter().map(|c| c.population).sum();
    render(&TerritoryPage {
        chrome,
        population: group_digits(total.unsigned_abs()),
        communes: communes
            .into_iter()
            .map(|c: Commune| CommuneRow {
                code_insee: c.code_insee,
                name: c.name,
                population: group_digits(c.population.unsigned_abs()),
            })
            .collect(),
        territory: ctx.territory,
    })
}

/// `GET /{territoire}/communes.csv`: the communes as open data.
pub async fn communes_csv(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
) -> Result<Response, AppError> {
    let communes = state.store.communes(ctx.territory.scope()).await?;
    let lines: Vec<trame_docs::CommuneLine<'_>> = communes
        .iter()
        .map(|c| trame_docs::CommuneLine {
            code_insee: &c.code_insee,
            nom: &c.name,
            population: c.population,
            lat: c.lat,
            lon: c.lon,
        })
        .collect();
    let bytes = trame_docs::communes_csv(&lines).map_err(|e| AppError::Internal(e.to_string()))?;
    let disposition = format!(
        "attachment; filename=\"communes-{}.csv\"",
        ctx.territory.slug
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /{territoire}/donnees/subventions.csv`: the awards as SCDL open data.
pub async fn scdl_csv(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
) -> Result<Response, AppError> {
    use crate::open_data::{OpenDataError, scdl_file};
    let bytes = match scdl_file(&state.store, &ctx.territory, None).await {
        Ok(b) => b,
        Err(OpenDataError::NoAwardingSiret) => return Err(AppError::NotFound),
        Err(OpenDataError::Store(e)) => return Err(e.into()),
        Err(OpenDataError::Docs(e)) => return Err(AppError::Internal(e)),
    };
    let disposition = format!(
        "attachment; filename=\"subventions-{}.csv\"",
        ctx.territory.slug
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /healthz`: the process answers.
pub async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: the database answers.
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "base de données indisponible",
            )
                .into_response()
        }
    }
}

/// `GET /{territoire}/theme.css`: the territory's colours, as CSS custom properties (a
/// stylesheet, since the CSP forbids inline styles).
pub async fn theme_css(ctx: TerritoryCtx) -> Response {
    let accent = trame_domain::brand::BrandColor::parse(&ctx.territory.primary_color)
        .unwrap_or_else(|_| trame_domain::brand::BrandColor::default_accent());
    let css = format!(
        ":root {{ --accent: {}; --accent-dark: {}; }}\n",
        accent.as_str(),
        accent.darker()
    );
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        css,
    )
        .into_response()
}

/// `GET /{territoire}/logo`: the territory's logo, 404 when it has none.
pub async fn logo(State(state): State<AppState>, ctx: TerritoryCtx) -> Result<Response, AppError> {
    let (mime, bytes) = state.store.logo(ctx.territory.scope()).await?;
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "no-cache".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
