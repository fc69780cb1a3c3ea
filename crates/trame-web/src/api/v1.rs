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

/// An edition of a call for projects, once published.
#[derive(Debug, Serialize, ToSchema)]
pub struct EditionOut {
    /// Id.
    pub id: i64,
    /// Year.
    pub year: i32,
    /// Title.
    pub title: String,
    /// Opening, RFC 3339.
    pub opens_at: String,
    /// Closing, RFC 3339.
    pub closes_at: String,
    /// Envelope, in cents.
    pub total_cents: i64,
    /// Per-dossier ceiling, in cents.
    pub ceiling_cents: i64,
}

/// A dossier of the token's organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct DossierOut {
    /// Id.
    pub id: i64,
    /// Reference (`AAP-2026-0001`).
    pub reference: String,
    /// Edition id.
    pub edition_id: i64,
    /// State code (`brouillon`, `depose`, `en_instruction`, `accepte`…).
    pub state: String,
    /// Project title.
    pub title: String,
    /// Amount requested, in cents.
    pub requested_cents: i64,
    /// Project budget, in cents.
    pub budget_cents: i64,
    /// First submission, RFC 3339.
    pub submitted_at: Option<String>,
    /// Amount granted, in cents, once decided.
    pub decision_cents: Option<i64>,
    /// Decision, RFC 3339.
    pub decided_at: Option<String>,
}

/// A year of an award and its final report.
#[derive(Debug, Serialize, ToSchema)]
pub struct AwardYearOut {
    /// Year.
    pub year: i32,
    /// Amount of the year, in cents.
    pub amount_cents: i64,
    /// Report state code (`a_rendre`, `depose`, `a_completer`, `accepte`).
    pub report_state: String,
    /// Report due date, `YYYY-MM-DD`.
    pub report_due_on: String,
}

/// An award (subsidy) to the token's organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct AwardOut {
    /// Id.
    pub id: i64,
    /// Reference.
    pub reference: String,
    /// What it funds.
    pub title: String,
    /// Category code of a convention (`mission-locale`, `e2c`…); empty for a call.
    pub category: String,
    /// The dossier it comes from, for a call.
    pub dossier_id: Option<i64>,
    /// Amount awarded, in cents.
    pub amount_cents: i64,
    /// Paid so far, in cents.
    pub paid_cents: i64,
    /// Decision date, `YYYY-MM-DD`.
    pub decided_on: String,
    /// Payment schedule (`80:signature,20:bilan`).
    pub schedule: String,
    /// Whether a convention is required.
    pub convention_required: bool,
    /// Signature date of the convention, `YYYY-MM-DD`.
    pub convention_signed_on: Option<String>,
    /// Its years and their reports.
    pub years: Vec<AwardYearOut>,
}

/// An instant in RFC 3339.
pub(crate) fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// The published editions of the territory's calls, latest first.
#[utoipa::path(get, path = "/api/v1/editions", tag = "financements", params(PageQuery),
    responses((status = 200, body = Page<EditionOut>), (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody)),
    security(("jeton" = [])))]
pub async fn editions(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RawQuery(q): RawQuery,
) -> Result<Json<Page<EditionOut>>, ApiError> {
    let (page, per_page) = PageQuery::parse(q.as_deref())?;
    let all = state
        .store
        .published_editions(caller.scope)
        .await?
        .into_iter()
        .map(|e| EditionOut {
            id: e.id,
            year: e.year,
            title: e.title,
            opens_at: rfc3339(e.opens_at),
            closes_at: rfc3339(e.closes_at),
            total_cents: e.total_cents,
            ceiling_cents: e.ceiling_cents,
        })
        .collect();
    Ok(Json(Page::of(all, page, per_page)))
}

/// A dossier as its applicant sees it.
pub(crate) fn dossier_out(d: trame_store::funding::DossierRow) -> DossierOut {
    DossierOut {
        id: d.id,
        reference: d.reference,
        edition_id: d.edition_id,
        state: d.state,
        title: d.title,
        requested_cents: d.requested_cents,
        budget_cents: d.budget_cents,
        submitted_at: d.submitted_at.map(rfc3339),
        decision_cents: d.decision_cents,
        decided_at: d.decided_at.map(rfc3339),
    }
}

/// The dossiers of the token's organisation, latest first (the applicant's view: no
/// internal annotation, review or opinion).
#[utoipa::path(get, path = "/api/v1/dossiers", tag = "financements", params(PageQuery),
    responses((status = 200, body = Page<DossierOut>), (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody)),
    security(("jeton" = [])))]
pub async fn dossiers(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RawQuery(q): RawQuery,
) -> Result<Json<Page<DossierOut>>, ApiError> {
    let (page, per_page) = PageQuery::parse(q.as_deref())?;
    let all = state
        .store
        .organisation_dossiers(caller.scope, caller.organisation_id)
        .await?
        .into_iter()
        .map(dossier_out)
        .collect();
    Ok(Json(Page::of(all, page, per_page)))
}

/// One dossier of the token's organisation, or 404.
#[utoipa::path(get, path = "/api/v1/dossiers/{id}", tag = "financements",
    params(("id" = i64, Path, description = "Identifiant du dossier")),
    responses((status = 200, body = DossierOut), (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)),
    security(("jeton" = [])))]
pub async fn dossier(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Json<DossierOut>, ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError::NotFound)?;
    let d = state.store.dossier(caller.scope, id).await?;
    if d.organisation_id != caller.organisation_id {
        return Err(ApiError::NotFound);
    }
    Ok(Json(dossier_out(d)))
}

/// An award with its years and their reports.
pub(crate) async fn award_out(
    state: &AppState,
    scope: trame_store::Scope,
    a: trame_store::funding::awards::AwardLine,
) -> Result<AwardOut, ApiError> {
    let reports = state.store.award_reports(scope, a.row.id).await?;
    let years = state
        .store
        .award_years(scope, a.row.id)
        .await?
        .into_iter()
        .map(|y| {
            let r = reports.iter().find(|r| r.year == y.year);
            AwardYearOut {
                year: y.year,
                amount_cents: y.amount_cents,
                report_state: r.map(|r| r.state.clone()).unwrap_or_default(),
                report_due_on: r.map(|r| r.due_on.to_string()).unwrap_or_default(),
            }
        })
        .collect();
    Ok(AwardOut {
        id: a.row.id,
        paid_cents: a.paid.cents(),
        reference: a.row.reference,
        title: a.row.title,
        category: a.row.category,
        dossier_id: a.row.dossier_id,
        amount_cents: a.row.amount_cents,
        decided_on: a.row.decided_on.to_string(),
        schedule: a.row.schedule,
        convention_required: a.row.convention_required,
        convention_signed_on: a.row.convention_signed_on.map(|d| d.to_string()),
        years,
    })
}

/// The awards (subsidies) of the token's organisation, latest decided first, with what
/// was paid and the state of each year's report.
#[utoipa::path(get, path = "/api/v1/subventions", tag = "financements", params(PageQuery),
    responses((status = 200, body = Page<AwardOut>), (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody)),
    security(("jeton" = [])))]
pub async fn awards(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RawQuery(q): RawQuery,
) -> Result<Json<Page<AwardOut>>, ApiError> {
    let (page, per_page) = PageQuery::parse(q.as_deref())?;
    let lines = state
        .store
        .awards_of_organisations(caller.scope, &[caller.organisation_id])
        .await?;
    let mut all = Vec::with_capacity(lines.len());
    for a in lines {
        all.push(award_out(&state, caller.scope, a).await?);
    }
    Ok(Json(Page::of(all, page, per_page)))
}

/// One award of the token's organisation, or 404.
#[utoipa::path(get, path = "/api/v1/subventions/{id}", tag = "financements",
    params(("id" = i64, Path, description = "Identifiant de la subvention")),
    responses((status = 200, body = AwardOut), (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)),
    security(("jeton" = [])))]
pub async fn award(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Json<AwardOut>, ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError::NotFound)?;
    let a = state.store.award(caller.scope, id).await?;
    if a.row.organisation_id != Some(caller.organisation_id) {
        return Err(ApiError::NotFound);
    }
    Ok(Json(award_out(&state, caller.scope, a).await?))
}
