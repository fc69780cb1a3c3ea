//! The committee's page for an edition: the ranking (weighted scores, eligibility, commune
//! opinions, reviewers' progress), the scenarios side by side (the default rule, the
//! optimal selection, overrides with their reason), and the decisions.

use super::{eur, path_id};
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
use trame_domain::funding::allocation::Rule;
use trame_domain::funding::dossier::State as DState;
use trame_domain::money::Euros;
use trame_store::funding::committee::{ScenarioKind, ScenarioView, outcome_label};
use trame_store::funding::editions::EditionFull;
use trame_store::funding::instruction::opinion_status;
use trame_store::funding::review::ReviewStatus;

/// A scenario's cell for one dossier.
pub struct Cell {
    /// Amount.
    pub amount: String,
    /// Outcome.
    pub outcome: &'static str,
    /// The committee's reason, when overridden.
    pub reason: Option<String>,
}

/// A ranked dossier with one cell per scenario.
pub struct RankLine {
    /// Rank, from 1.
    pub rank: usize,
    /// Dossier id.
    pub id: i64,
    /// Reference.
    pub reference: String,
    /// Title.
    pub title: String,
    /// State label.
    pub state: &'static str,
    /// Requested.
    pub requested: String,
    /// Sub-envelope.
    pub envelope: String,
    /// Weighted score out of 20.
    pub score: String,
    /// Eligible.
    pub eligible: bool,
    /// Reviews scored / assigned (recused apart).
    pub progress: String,
    /// Commune opinions.
    pub opinions: String,
    /// One cell per scenario.
    pub cells: Vec<Cell>,
}

/// A scenario's column head and foot.
pub struct ScenarioHead {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Kind label.
    pub kind: &'static str,
    /// Total granted.
    pub total: String,
    /// Sum of the weighted scores funded.
    pub score: String,
    /// Dossiers funded.
    pub funded: usize,
}

#[derive(Template)]
#[template(path = "funding/committee.html")]
struct Page {
    chrome: Chrome,
    slug: String,
    e: EditionFull,
    total: String,
    envelopes: Vec<(String, String)>,
    lines: Vec<RankLine>,
    scenarios: Vec<ScenarioHead>,
    default_minimum: i32,
    default_step: String,
    errors: Errors,
    decided: Option<String>,
}

async fn page(
    state: &AppState,
    ctx: TerritoryCtx,
    chrome: Chrome,
    edition_id: i64,
    errors: Errors,
    decided: Option<String>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let e = state.store.edition(scope, edition_id).await?;
    let ranking = state.store.ranking(scope, edition_id).await?;
    let scenarios: Vec<ScenarioView> = state.store.scenarios(scope, edition_id).await?;
    let now = state.store.now();
    let communes = state.store.communes(scope).await?;
    let mut lines = Vec::new();
    for (i, r) in ranking.iter().enumerate() {
        let opinions = state.store.dossier_opinions(scope, r.row.id).await?;
        let scored = r
            .reviews
            .iter()
            .filter(|v| ReviewStatus::of(&v.row) == ReviewStatus::Scored)
            .count();
        let active = r
            .reviews
            .iter()
            .filter(|v| ReviewStatus::of(&v.row) != ReviewStatus::Recused)
            .count();
        let recused = r.reviews.len() - active;
        lines.push(RankLine {
            rank: i + 1,
            id: r.row.id,
            reference: r.row.reference.clone(),
            title: r.row.title.clone(),
            state: DState::from_code(&r.row.state)
                .unwrap_or(DState::Draft)
                .label(),
            requested: eur(r.row.requested_cents),
            envelope: r
                .row
                .envelope_code
                .as_ref()
                .and_then(|c| e.envelopes.iter().find(|v| &v.code == c))
                .map(|v| v.label.clone())
                .unwrap_or_else(|| "Générale".into()),
            score: r
                .score
                .map(|s| format!("{s:.2}").replace('.', ","))
                .unwrap_or_else(|| "—".into()),
            eligible: r.eligible,
            progress: format!(
                "{scored}/{active}{}",
                if recused > 0 {
                    format!(" ({recused} récusé(s))")
                } else {
                    String::new()
                }
            ),
            opinions: if opinions.is_empty() {
                "—".into()
            } else {
                opinions
                    .iter()
                    .map(|o| {
                        let name = communes
                            .iter()
                            .find(|c| c.code_insee == o.commune_code)
                            .map(|c| c.name.as_str())
                            .unwrap_or(o.commune_code.as_str());
                        format!(
                            "{name} : {}",
                            opinion_status(o, e.row.deemed_favourable, now)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" ; ")
            },
            cells: scenarios
                .iter()
                .map(|s| match s.line(r.row.id) {
                    Some(l) => Cell {
                        amount: eur(l.amount_cents),
                        outcome: outcome_label(&l.outcome),
                        reason: l.override_reason.clone(),
                    },
                    None => Cell {
                        amount: "—".into(),
                        outcome: "Hors scénario",
                        reason: None,
                    },
                })
                .collect(),
        });
    }
    let heads = scenarios
        .iter()
        .map(|s| {
            let funded: Vec<i64> = s
                .lines
                .iter()
                .filter(|l| l.amount_cents > 0)
                .map(|l| l.dossier_id)
                .collect();
            let score: f64 = ranking
                .iter()
                .filter(|r| funded.contains(&r.row.id))
                .filter_map(|r| r.score)
                .sum();
            ScenarioHead {
                id: s.row.id,
                name: s.row.name.clone(),
                kind: ScenarioKind::from_code(&s.row.kind)
                    .map(ScenarioKind::label)
                    .unwrap_or("—"),
                total: s.total().to_string(),
                score: format!("{score:.2}").replace('.', ","),
                funded: funded.len(),
            }
        })
        .collect();
    let failed = errors.any();
    let resp = render(&Page {
        total: eur(e.row.total_cents),
        envelopes: e
            .envelopes
            .iter()
            .map(|v| (v.label.clone(), eur(v.amount_cents)))
            .collect(),
        default_minimum: e.row.minimum_share_percent,
        default_step: (e.row.step_cents / 100).to_string(),
        lines,
        scenarios: heads,
        chrome,
        slug: ctx.territory.slug,
        e,
        errors,
        decided,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// Query of the page.
#[derive(Debug, Default, serde::Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    decides: Option<String>,
}

/// `GET /{territoire}/admin/appels/{id}/comite`.
pub async fn show(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    axum::extract::Query(q): axum::extract::Query<PageQuery>,
) -> Result<Response, AppError> {
    page(
        &state,
        ctx,
        chrome,
        path_id(&id)?,
        Errors::default(),
        q.decides,
    )
    .await
}

async fn after(
    state: &AppState,
    ctx: TerritoryCtx,
    chrome: Chrome,
    id: i64,
    result: Result<String, trame_store::StoreError>,
) -> Result<Response, AppError> {
    match result {
        Ok(suffix) => Ok(Redirect::to(&format!(
            "/{}/admin/appels/{id}/comite{suffix}",
            ctx.territory.slug
        ))
        .into_response()),
        Err(e) => {
            let errors = Errors::from_store(e)?;
            page(state, ctx, chrome, id, errors, None).await
        }
    }
}

/// The scenario form.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ScenarioForm {
    #[serde(default)]
    scenario_name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    minimum_share: String,
    #[serde(default)]
    step: String,
}

/// `POST /{territoire}/admin/appels/{id}/scenarios`.
pub async fn create(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ScenarioForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let e = state.store.edition(scope, id).await?;
    let mut errors = Errors::default();
    let kind = ScenarioKind::from_code(&form.kind);
    if kind.is_none() {
        errors.add("kind", "Choisissez la règle du scénario.");
    }
    let minimum = match form.minimum_share.trim().parse::<u8>() {
        Ok(m) if m <= 100 => m,
        _ => {
            errors.add("minimum_share", "Une part de 0 à 100 %.");
            0
        }
    };
    let step = match Euros::parse(&form.step) {
        Ok(s) if s.cents() > 0 => s,
        _ => {
            errors.add("step", "Un arrondi positif en euros, par exemple 100.");
            Euros::ZERO
        }
    };
    let Some(kind) = kind.filter(|_| !errors.any()) else {
        return page(&state, ctx, chrome, id, errors, None).await;
    };
    let rule = Rule {
        minimum_share_percent: minimum,
        step,
        ..e.rule()
    };
    let result = state
        .store
        .create_scenario(user.person_id, scope, id, &form.scenario_name, kind, rule)
        .await
        .map(|_| "#scenarios".to_owned());
    after(&state, ctx, chrome, id, result).await
}

/// The override form.
#[derive(Debug, Default, serde::Deserialize)]
pub struct OverrideForm {
    #[serde(default)]
    dossier: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    reason: String,
}

/// `POST /{territoire}/admin/appels/{id}/scenarios/{scenario}/montant`.
pub async fn override_amount(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id, scenario)): Path<(String, String, String)>,
    Form(form): Form<OverrideForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scenario = path_id(&scenario)?;
    let scope = ctx.territory.scope();
    if !state
        .store
        .scenarios(scope, id)
        .await?
        .iter()
        .any(|s| s.row.id == scenario)
    {
        return Err(AppError::NotFound);
    }
    let result = match (form.dossier.parse::<i64>(), Euros::parse(&form.amount)) {
        (Ok(d), Ok(amount)) => state
            .store
            .override_amount(user.person_id, scope, scenario, d, amount, &form.reason)
            .await
            .map(|()| "#scenarios".to_owned()),
        (Err(_), _) => Err(trame_store::StoreError::Conflict {
            field: "dossier",
            message: "Choisissez le dossier.".into(),
        }),
        (_, Err(e)) => Err(trame_store::StoreError::Conflict {
            field: "amount",
            message: e.message,
        }),
    };
    after(&state, ctx, chrome, id, result).await
}

/// The decision form.
#[derive(Debug, Default, serde::Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    deliberation_ref: String,
}

/// `POST /{territoire}/admin/appels/{id}/scenarios/{scenario}/decider`.
pub async fn decide(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id, scenario)): Path<(String, String, String)>,
    Form(form): Form<DecideForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scenario = path_id(&scenario)?;
    let scope = ctx.territory.scope();
    if !state
        .store
        .scenarios(scope, id)
        .await?
        .iter()
        .any(|s| s.row.id == scenario)
    {
        return Err(AppError::NotFound);
    }
    let result = state
        .store
        .decide_from_scenario(user.person_id, scope, scenario, &form.deliberation_ref)
        .await
        .map(|n| format!("?decides={n}"));
    after(&state, ctx, chrome, id, result).await
}
