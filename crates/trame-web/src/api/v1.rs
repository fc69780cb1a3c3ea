//! The `/api/v1` endpoints. Thin handlers: the route's rule has authenticated the token
//! (`Access::ApiToken`) and put its [`ApiCaller`] in the request.

use super::{ApiError, Page, PageQuery};
use crate::AppState;
use axum::Json;
use axum::extract::{FromRequestParts, Path, RawQuery, State};
use axum::http::request::Parts;
use serde::Serialize;
use trame_store::api_tokens::ApiCaller;
use utoipa::ToSchema;

/// The token's caller, as the route's rule found it.
#[derive(Debug, Clone, Copy)]
pub struct Caller(pub ApiCaller);

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<ApiCaller>()
            .copied()
            .map(Caller)
            .ok_or(ApiError::Unauthorized)
    }
}

/// The territory.
#[derive(Debug, Serialize, ToSchema)]
pub struct TerritoryOut {
    /// URL prefix.
    pub slug: String,
    /// Name.
    pub name: String,
    /// SIREN of the EPT or EPCI.
    pub siren: String,
    /// Main département.
    pub departement: String,
}

/// A commune of the territory.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommuneOut {
    /// INSEE code.
    pub code_insee: String,
    /// Name.
    pub name: String,
    /// Legal population.
    pub population: i64,
    /// Postal codes.
    pub postal_codes: Vec<String>,
}

/// An organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationOut {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// SIRET.
    pub siret: Option<String>,
    /// RNA number.
    pub rna: Option<String>,
    /// Legal form code (`association`, `scop`, `insertion`…).
    pub legal_form: String,
    /// Insertion kind code (`aci`, `ei`…), for insertion structures.
    pub insertion_kind: Option<String>,
    /// ESUS approval date, `YYYY-MM-DD`.
    pub esus_approved_on: Option<String>,
    /// Address.
    pub address: String,
    /// INSEE code of the commune.
    pub commune_code: Option<String>,
}

/// The territory the token belongs to.
#[utoipa::path(get, path = "/api/v1/territoire", tag = "territoire",
    responses((status = 200, body = TerritoryOut), (status = 401, body = super::ErrorBody)),
    security(("jeton" = [])))]
pub async fn territory(
    State(state): State<AppState>,
    Caller(caller): Caller,
) -> Result<Json<TerritoryOut>, ApiError> {
    let t = state
        .store
        .territory_by_id(caller.scope.territory_id())
        .await?;
    Ok(Json(TerritoryOut {
        slug: t.slug,
        name: t.name,
        siren: t.siren,
        departement: t.departement,
    }))
}

/// The communes of the territory, by name.
#[utoipa::path(get, path = "/api/v1/communes", tag = "territoire", params(PageQuery),
    responses((status = 200, body = Page<CommuneOut>), (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody)),
    security(("jeton" = [])))]
pub async fn communes(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RawQuery(q): RawQuery,
) -> Result<Json<Page<CommuneOut>>, ApiError> {
    let (page, per_page) = PageQuery::parse(q.as_deref())?;
    let all = state
        .store
        .communes(caller.scope)
        .await?
        .into_iter()
        .map(|c| CommuneOut {
            code_insee: c.code_insee,
            name: c.name,
            population: c.population,
            postal_codes: c
                .postal_codes
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        })
        .collect();
    Ok(Json(Page::of(all, page, per_page)))
}

fn out(o: trame_store::organisations::OrganisationRow) -> OrganisationOut {
    OrganisationOut {
        id: o.id,
        name: o.name,
        siret: o.siret,
        rna: o.rna,
        legal_form: o.legal_form,
        insertion_kind: o.siae_kind,
        esus_approved_on: o.esus_approved_on.map(|d| d.to_string()),
        address: o.address,
        commune_code: o.commune_code,
    }
}

/// The organisations this token may read: its own.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "organisations", params(PageQuery),
    responses((status = 200, body = Page<OrganisationOut>), (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody)),
    security(("jeton" = [])))]
pub async fn organisations(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RawQuery(q): RawQuery,
) -> Result<Json<Page<OrganisationOut>>, ApiError> {
    let (page, per_page) = PageQuery::parse(q.as_deref())?;
    let own = state
        .store
        .organisation(caller.scope, caller.organisation_id)
        .await?;
    Ok(Json(Page::of(vec![out(own)], page, per_page)))
}

/// One organisation: the token's own, or 404.
#[utoipa::path(get, path = "/api/v1/organisations/{id}", tag = "organisations",
    params(("id" = i64, Path, description = "Identifiant de l'organisation")),
    responses((status = 200, body = OrganisationOut), (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)),
    security(("jeton" = [])))]
pub async fn organisation(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Json<OrganisationOut>, ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError::NotFound)?;
    if id != caller.organisation_id {
        return Err(ApiError::NotFound);
    }
    Ok(Json(out(state
        .store
        .organisation(caller.scope, id)
        .await?)))
}
