//! The instructor's view of `/api/v1/instruction`: every dossier of the territory, every
//! award with its beneficiary, payments and de minimis ledger, every payment. Called
//! with a staff member's personal token (`Access::StaffToken`), whose roles are checked
//! at each call.

use super::v1::{AwardOut, DossierOut, award_out, dossier_out};
use super::{ApiError, Page, PageQuery};
use crate::AppState;
use axum::Json;
use axum::extract::{FromRequestParts, Path, RawQuery, State};
use axum::http::request::Parts;
use serde::Serialize;
use trame_store::funding::dossiers::DossierFilter;
use trame_store::staff_tokens::StaffCaller;
use utoipa::ToSchema;

/// The staff token's caller, as the route's rule found it.
#[derive(Debug, Clone, Copy)]
pub struct Staff(pub StaffCaller);

impl<S: Send + Sync> FromRequestParts<S> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<StaffCaller>()
            .copied()
            .map(Staff)
            .ok_or(ApiError::Unauthorized)
    }
}

/// A dossier as the instructors list it.
#[derive(Debug, Serialize, ToSchema)]
pub struct InstructionDossierOut {
    /// Id.
    pub id: i64,
    /// Reference.
    pub reference: String,
    /// Project title.
    pub title: String,
    /// State code.
    pub state: String,
    /// The applicant organisation.
    pub organisation: String,
    /// Amount requested, in cents.
    pub requested_cents: i64,
    /// First submission, RFC 3339.
    pub submitted_at: Option<String>,
    /// The instructors' labels.
    pub labels: Vec<String>,
}

/// One dossier, for the instructors: the applicant's view plus the communes concerned,
/// the labels and the eligibility checklist.
#[derive(Debug, Serialize, ToSchema)]
pub struct InstructionDossierDetail {
    /// What the applicant sees.
    pub dossier: DossierOut,
    /// The applicant organisation's id.
    pub organisation_id: i64,
    /// INSEE codes of the communes concerned.
    pub communes: Vec<String>,
    /// The instructors' labels.
    pub labels: Vec<String>,
    /// Eligibility items checked (`famille`, `territoire`, `budget`, `pieces`).
    pub checklist: Vec<String>,
}

/// A payment.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentOut {
    /// Id.
    pub id: i64,
    /// The award.
    pub award_id: i64,
    /// Date, `YYYY-MM-DD`.
    pub paid_on: String,
    /// Amount, in cents.
    pub amount_cents: i64,
    /// The treasury's mandate reference.
    pub mandate_ref: String,
}

/// The de minimis ledger of the beneficiary on the award's date.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeMinimisOut {
    /// First day of the rolling three years, `YYYY-MM-DD`.
    pub since: String,
    /// Aid counted, in cents.
    pub total_cents: i64,
    /// Ceiling, in cents.
    pub ceiling_cents: i64,
}

/// An award, for the instructors: beneficiary, payments, de minimis.
#[derive(Debug, Serialize, ToSchema)]
pub struct InstructionAwardOut {
    /// What the beneficiary sees.
    pub award: AwardOut,
    /// The beneficiary (organisation or commune).
    pub beneficiary: String,
    /// Its SIRET, when known.
    pub siret: Option<String>,
    /// The commune, for a convention with a commune.
    pub commune_code: Option<String>,
    /// Payments, in date order.
    pub payments: Vec<PaymentOut>,
    /// The de minimis ledger, when the beneficiary has a SIRET.
    pub de_minimis: Option<DeMinimisOut>,
}

fn labels(stored: &str) -> Vec<String> {
    stored
        .split(['|', ','])
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn payment_out(p: trame_store::funding::awards::PaymentRow) -> PaymentOut {
    PaymentOut {
        id: p.id,
        award_id: p.award_id,
        paid_on: p.paid_on.to_string(),
        amount_cents: p.amount_cents,
        mandate_ref: p.mandate_ref,
    }
}

/// The territory's submitted dossiers, latest submitted first; `etat` and `commune`
/// filter them as in the instructors' list.
#[utoipa::path(get, path = "/api/v1/instruction/dossiers", tag = "instruction",
    params(PageQuery,
        ("etat" = Option<String>, Query, description = "Code d'état (depose, en_instruction, accepte…)"),
        ("commune" = Option<String>, Query, description = "Code INSEE d'une commune concernée")),
    responses((status = 200, body = Page<InstructionDossierOut>), (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody)),
    security(("jeton_agent" = [])))]
pub async fn dossiers(
    State(state): State<AppState>,
    Staff(caller): Staff,
    RawQuery(q): RawQuery,
) -> Result<Json<Page<InstructionDossierOut>>, ApiError> {
    let (page, per_page) = PageQuery::parse(q.as_deref())?;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(q.as_deref().unwrap_or("")).unwrap_or_default();
    let param = |name: &str| {
        pairs
            .iter()
            .find(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_owned())
    };
    let filter = DossierFilter {
        state: param("etat"),
        commune: param("commune"),
        page,
        per_page,
        ..DossierFilter::default()
    };
    let p = state.store.dossier_page(caller.scope, &filter).await?;
    Ok(Json(Page {
        items: p
            .lines
            .into_iter()
            .map(|l| InstructionDossierOut {
                id: l.row.id,
                reference: l.row.reference,
                title: l.row.title,
                state: l.row.state,
                organisation: l.organisation,
                requested_cents: l.row.requested_cents,
                submitted_at: l.row.submitted_at.map(super::v1::rfc3339),
                labels: labels(&l.row.labels),
            })
            .collect(),
        page,
        per_page,
        total: p.total,
    }))
}

/// One dossier of the territory, for the instructors.
#[utoipa::path(get, path = "/api/v1/instruction/dossiers/{id}", tag = "instruction",
    params(("id" = i64, Path, description = "Identifiant du dossier")),
    responses((status = 200, body = InstructionDossierDetail), (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)),
    security(("jeton_agent" = [])))]
pub async fn dossier(
    State(state): State<AppState>,
    Staff(caller): Staff,
    Path(id): Path<String>,
) -> Result<Json<InstructionDossierDetail>, ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError::NotFound)?;
    let d = state.store.dossier(caller.scope, id).await?;
    let communes = state.store.dossier_communes(caller.scope, id).await?;
    Ok(Json(InstructionDossierDetail {
        organisation_id: d.organisation_id,
        communes,
        labels: labels(&d.labels),
        checklist: labels(&d.checklist),
        dossier: dossier_out(d),
    }))
}

/// The territory's awards, latest decided first (calls and conventions).
#[utoipa::path(get, path = "/api/v1/instruction/subventions", tag = "instruction", params(PageQuery),
    responses((status = 200, body = Page<AwardOut>), (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody)),
    security(("jeton_agent" = [])))]
pub async fn awards(
    State(state): State<AppState>,
    Staff(caller): Staff,
    RawQuery(q): RawQuery,
) -> Result<Json<Page<AwardOut>>, ApiError> {
    let (page, per_page) = PageQuery::parse(q.as_deref())?;
    let lines = state.store.awards(caller.scope, None).await?;
    let total = lines.len() as u64;
    let skip = usize::try_from((page - 1).saturating_mul(per_page)).unwrap_or(usize::MAX);
    let take = usize::try_from(per_page).unwrap_or(usize::MAX);
    let mut items = Vec::new();
    for a in lines.into_iter().skip(skip).take(take) {
        items.push(award_out(&state, caller.scope, a).await?);
    }
    Ok(Json(Page {
        items,
        page,
        per_page,
        total,
    }))
}

/// One award, with its beneficiary, payments and de minimis ledger.
#[utoipa::path(get, path = "/api/v1/instruction/subventions/{id}", tag = "instruction",
    params(("id" = i64, Path, description = "Identifiant de la subvention")),
    responses((status = 200, body = InstructionAwardOut), (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)),
    security(("jeton_agent" = [])))]
pub async fn award(
    State(state): State<AppState>,
    Staff(caller): Staff,
    Path(id): Path<String>,
) -> Result<Json<InstructionAwardOut>, ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError::NotFound)?;
    let a = state.store.award(caller.scope, id).await?;
    let ledger = state.store.de_minimis_of(caller.scope, &a).await?;
    let payments = state
        .store
        .payments(caller.scope, id)
        .await?
        .into_iter()
        .map(payment_out)
        .collect();
    Ok(Json(InstructionAwardOut {
        beneficiary: a.beneficiary.clone(),
        siret: a.siret.clone(),
        commune_code: a.row.commune_code.clone(),
        payments,
        de_minimis: ledger.map(|l| DeMinimisOut {
            since: l.since.to_string(),
            total_cents: l.total.cents(),
            ceiling_cents: l.ceiling.cents(),
        }),
        award: award_out(&state, caller.scope, a).await?,
    }))
}

/// Every payment of the territory, in date order.
#[utoipa::path(get, path = "/api/v1/instruction/versements", tag = "instruction", params(PageQuery),
    responses((status = 200, body = Page<PaymentOut>), (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody)),
    security(("jeton_agent" = [])))]
pub async fn payments(
    State(state): State<AppState>,
    Staff(caller): Staff,
    RawQuery(q): RawQuery,
) -> Result<Json<Page<PaymentOut>>, ApiError> {
    let (page, per_page) = PageQuery::parse(q.as_deref())?;
    let all = state
        .store
        .all_payments(caller.scope)
        .await?
        .into_iter()
        .map(|(p, _)| payment_out(p))
        .collect();
    Ok(Json(Page::of(all, page, per_page)))
}
