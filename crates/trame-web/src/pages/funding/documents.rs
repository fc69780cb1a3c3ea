//! PDF documents (typst, see `trame_docs::pdf`): an award's convention and acceptance
//! letter for the staff, the convention for the beneficiary, the receipt of a submitted
//! dossier for the applicant. Every value goes to the template as data.

use super::reports::{Side, beneficiary_award};
use super::{french_date, path_id};
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::error::AppError;
use crate::middleware::CurrentUser;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use trame_docs::pdf::{Template, render};
use trame_domain::format::paris_datetime;
use trame_domain::funding::report::Indicator;
use trame_store::funding::awards::{AwardLine, paris_day};
use trame_store::funding::reports::{YearRow, due_for};
use trame_store::territories::Territory;

pub(crate) fn pdf(bytes: Vec<u8>, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}.pdf\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

pub(crate) fn render_pdf(
    state: &AppState,
    template: Template,
    data: &serde_json::Value,
) -> Result<Vec<u8>, AppError> {
    render(template, data, paris_day(state.store.now()))
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// The data of an award's documents: the award, its years (amount and report due) and
/// its indicators.
fn award_data(
    state: &AppState,
    t: &Territory,
    a: &AwardLine,
    title: &str,
    years: &[YearRow],
    indicators: &[Indicator],
) -> serde_json::Value {
    let schedule = a.schedule();
    let installments: Vec<serde_json::Value> = schedule
        .installments()
        .iter()
        .zip(schedule.amounts(a.amount()))
        .map(|(i, amount)| {
            json!({
                "label": format!("{} % {}", i.percent, i.trigger.phrase()),
                // Over several years, each year's amount follows the schedule.
                "amount": if years.len() > 1 {
                    format!("{} % du montant de l’année", i.percent)
                } else {
                    amount.to_string()
                },
            })
        })
        .collect();
    // The share of the project's budget, for an award from a dossier (a convention has
    // no project budget of its own).
    let share = (a.row.budget_cents > 0 && a.row.dossier_id.is_some()).then(|| {
        let percent = a.row.amount_cents * 100 / a.row.budget_cents;
        format!("{percent} %")
    });
    // Each year's report is due six months after its 31 December.
    let years_data: Vec<serde_json::Value> = years
        .iter()
        .map(|y| {
            json!({
                "year": y.year.to_string(),
                "amount": trame_domain::money::Euros::from_cents(y.amount_cents).to_string(),
                "due": french_date(due_for(y.year)),
            })
        })
        .collect();
    let report_due = years
        .first()
        .map(|y| french_date(due_for(y.year)))
        .unwrap_or_default();
    let indicators_data: Vec<serde_json::Value> = indicators
        .iter()
        .map(|i| json!({"label": i.label, "target": i.target.to_string()}))
        .collect();
    let id = match (&a.siret, &a.rna) {
        (Some(s), _) => format!("SIRET {s}"),
        (None, Some(r)) => format!("RNA {r}"),
        (None, None) => String::new(),
    };
    let period = match (a.row.starts_on, a.row.ends_on) {
        (Some(s), Some(e)) => format!("du {} au {}", french_date(s), french_date(e)),
        _ => String::new(),
    };
    json!({
        "title_document": format!("{title} {}", a.row.reference),
        "issuer": t.name,
        "issuer_siret": t.awarding_siret.clone().unwrap_or_default(),
        "date": french_date(paris_day(state.store.now())),
        "reference": a.row.reference,
        "beneficiary": a.beneficiary,
        "beneficiary_id": id,
        "object": a.row.title,
        "decided_on": french_date(a.row.decided_on),
        "deliberation": a.row.deliberation_ref,
        "amount": a.amount().to_string(),
        "share": share.unwrap_or_default(),
        "budget": trame_domain::money::Euros::from_cents(a.row.budget_cents).to_string(),
        "installments": installments,
        "schedule": schedule.describe(),
        "convention": if a.row.convention_required { "oui" } else { "non" },
        "report_due": report_due,
        "years": years_data,
        "indicators": indicators_data,
        "period": period,
    })
}

/// An award's document as a PDF response.
pub(crate) async fn award_pdf(
    state: &AppState,
    t: &Territory,
    a: &AwardLine,
    template: Template,
) -> Result<Response, AppError> {
    let (title, stem) = match template {
        Template::Acceptance => ("Notification", "notification"),
        _ => ("Convention", "convention"),
    };
    let scope = t.scope();
    let years = state.store.award_years(scope, a.row.id).await?;
    let indicators = state.store.award_indicators(scope, a.row.id).await?;
    let data = award_data(state, t, a, title, &years, &indicators);
    let bytes = render_pdf(state, template, &data)?;
    Ok(pdf(bytes, &format!("{stem}-{}", a.row.reference)))
}

/// `GET /{territoire}/subventions/{id}/convention.pdf`.
pub async fn convention(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let a = state
        .store
        .award(ctx.territory.scope(), path_id(&id)?)
        .await?;
    award_pdf(&state, &ctx.territory, &a, Template::Convention).await
}

/// `GET /{territoire}/subventions/{id}/lettre.pdf`: the acceptance letter.
pub async fn acceptance(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let a = state
        .store
        .award(ctx.territory.scope(), path_id(&id)?)
        .await?;
    award_pdf(&state, &ctx.territory, &a, Template::Acceptance).await
}

/// The beneficiary's copy of a convention: an award the person answers for, or 404.
async fn beneficiary_convention(
    state: &AppState,
    ctx: &TerritoryCtx,
    user: &CurrentUser,
    side: Side,
    id: &str,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let a = beneficiary_award(state, scope, user, side, path_id(id)?).await?;
    award_pdf(state, &ctx.territory, &a, Template::Convention).await
}

/// `GET /{territoire}/mes-subventions/{id}/convention.pdf`: the organisation's copy.
pub async fn my_convention(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    beneficiary_convention(&state, &ctx, &user, Side::Applicant, &id).await
}

/// `GET /{territoire}/conventions-commune/{id}/convention.pdf`: the commune's copy.
pub async fn commune_convention(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    beneficiary_convention(&state, &ctx, &user, Side::Referent, &id).await
}

/// `GET /{territoire}/mes-dossiers/{id}/recepisse.pdf`: the receipt of a submitted dossier.
pub async fn receipt(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let d = state
        .store
        .applicant_dossier(scope, user.person_id, path_id(&id)?)
        .await?;
    let Some(submitted) = d.submitted_at else {
        return Err(AppError::NotFound);
    };
    let edition = state.store.edition(scope, d.edition_id).await?.row.title;
    let organisation = state
        .store
        .organisation(scope, d.organisation_id)
        .await?
        .name;
    let attachments: Vec<serde_json::Value> = state
        .store
        .attachments(scope, d.id)
        .await?
        .into_iter()
        .map(|a| json!({"name": a.filename, "sha256": a.sha256}))
        .collect();
    let data = json!({
        "title_document": format!("Accusé de dépôt {}", d.reference),
        "issuer": ctx.territory.name,
        "issuer_siret": ctx.territory.awarding_siret.clone().unwrap_or_default(),
        "date": french_date(paris_day(state.store.now())),
        "reference": d.reference,
        "object": d.title,
        "beneficiary": organisation,
        "submitted_at": paris_datetime(submitted),
        "scheme": edition,
        "attachments": attachments,
    });
    let bytes = render_pdf(&state, Template::Receipt, &data)?;
    Ok(pdf(bytes, &format!("accuse-{}", d.reference)))
}

/// `GET /{territoire}/instruction/{id}/lettre-refus.pdf`: the letter to a refused applicant.
pub async fn refusal(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let d = state.store.dossier(scope, path_id(&id)?).await?;
    if d.state != trame_domain::funding::dossier::State::Refused.code() {
        return Err(AppError::NotFound);
    }
    let edition = state.store.edition(scope, d.edition_id).await?.row.title;
    let organisation = state
        .store
        .organisation(scope, d.organisation_id)
        .await?
        .name;
    let data = json!({
        "title_document": format!("Notification {}", d.reference),
        "issuer": ctx.territory.name,
        "issuer_siret": ctx.territory.awarding_siret.clone().unwrap_or_default(),
        "date": french_date(paris_day(state.store.now())),
        "reference": d.reference,
        "object": d.title,
        "beneficiary": organisation,
        "decided_on": d.decided_at.map(|t| french_date(paris_day(t))).unwrap_or_default(),
        "deliberation": d.deliberation_ref.clone().unwrap_or_default(),
        "scheme": edition,
        "reason": "",
    });
    let bytes = render_pdf(&state, Template::Refusal, &data)?;
    Ok(pdf(bytes, &format!("refus-{}", d.reference)))
}
