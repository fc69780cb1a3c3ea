//! The territory's clause settings: the labour share of each trade (the calculator's
//! default), the reference hourly cost and how a SIAE's hours are counted.

use super::options;
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::render;
use askama::Template;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use trame_domain::clauses::target::Percent;
use trame_domain::clauses::vocab::InvoiceConvention;
use trame_domain::money::Euros;

/// A trade's line on the form.
pub struct TradeLine {
    /// Field name, `part_<code>`.
    pub field: String,
    /// Label.
    pub label: String,
    /// Value typed or stored.
    pub value: String,
    /// Its error.
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "clauses/settings.html")]
struct SettingsPage {
    chrome: Chrome,
    slug: String,
    trades: Vec<TradeLine>,
    reference_cost: String,
    convention: String,
    conventions: Vec<(String, String)>,
    errors: Errors,
    saved: bool,
}

async fn page(
    state: &AppState,
    ctx: &TerritoryCtx,
    chrome: Chrome,
    typed: Option<&[(String, String)]>,
    errors: Errors,
    saved: bool,
) -> Result<Response, AppError> {
    let s = state.store.clause_settings(ctx.territory.scope()).await?;
    let typed_value =
        |k: &str| typed.and_then(|t| t.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()));
    let trades = s
        .trades
        .iter()
        .map(|t| {
            let field = format!("part_{}", t.code);
            TradeLine {
                value: typed_value(&field).unwrap_or_else(|| t.labour_share.to_string()),
                error: errors.get(t.code).map(str::to_owned),
                label: t.label.to_owned(),
                field,
            }
        })
        .collect();
    let failed = errors.any();
    let resp = render(&SettingsPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        trades,
        reference_cost: typed_value("reference_cost")
            .unwrap_or_else(|| s.reference_cost.to_string()),
        convention: typed_value("convention").unwrap_or_else(|| s.convention.code().to_owned()),
        conventions: options(
            InvoiceConvention::ALL,
            InvoiceConvention::code,
            InvoiceConvention::label,
        ),
        errors,
        saved,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// The query after saving.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Saved {
    #[serde(default)]
    enregistre: Option<String>,
}

/// `GET /{territoire}/clauses/parametres`.
pub async fn show(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    axum::extract::Query(q): axum::extract::Query<Saved>,
) -> Result<Response, AppError> {
    page(
        &state,
        &ctx,
        chrome,
        None,
        Errors::default(),
        q.enregistre.is_some(),
    )
    .await
}

/// `POST /{territoire}/clauses/parametres`.
pub async fn save(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let value = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    };
    let mut errors = Errors::default();
    let mut shares = Vec::new();
    for t in trame_domain::clauses::target::TRADES {
        match Percent::parse(value(&format!("part_{}", t.code))) {
            Some(p) if p.bp() > 0 => shares.push((t.code.to_owned(), p)),
            _ => errors.add(
                t.code,
                format!(
                    "La part de main-d'œuvre de « {} » s'écrit en pourcentage, de plus de 0 à 100.",
                    t.label
                ),
            ),
        }
    }
    let cost = match Euros::parse(value("reference_cost")) {
        Ok(c) if (100..=100_000).contains(&c.cents()) => Some(c),
        _ => {
            errors.add(
                "reference_cost",
                "Le coût horaire de référence doit être compris entre 1 € et 1 000 €.",
            );
            None
        }
    };
    let convention = InvoiceConvention::from_code(value("convention"));
    if convention.is_none() {
        errors.add(
            "convention",
            "Choisissez comment compter les heures d'une SIAE.",
        );
    }
    if let (Some(cost), Some(convention), false) = (cost, convention, errors.any()) {
        state
            .store
            .save_clause_settings(
                user.person_id,
                ctx.territory.scope(),
                &shares,
                cost,
                convention,
            )
            .await?;
        return Ok(Redirect::to(&format!(
            "/{}/clauses/parametres?enregistre=1",
            ctx.territory.slug
        ))
        .into_response());
    }
    page(&state, &ctx, chrome, Some(&pairs), errors, false).await
}
