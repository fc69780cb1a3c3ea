//! Contracts imported from a DECP v2 JSON file: those with a social consideration, their
//! flags kept, each target computed with the rate and hourly cost given on the form and
//! the labour share of the trade its CPV code suggests. Every contract is checked; one
//! fault and nothing is imported.

use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::render;
use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use trame_domain::clauses::contract::Contract;
use trame_domain::clauses::target::Inputs;
use trame_store::clauses::DecpImport;

#[derive(Template)]
#[template(path = "clauses/decp.html")]
struct DecpPage {
    chrome: Chrome,
    slug: String,
    buyers: Vec<(String, String)>,
    buyer: String,
    rate: String,
    hourly_cost: String,
    errors: Errors,
    report: Vec<(usize, String, String)>,
    done: Option<(String, String)>,
}

/// The query after an import.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Done {
    #[serde(default)]
    crees: Option<String>,
    #[serde(default)]
    connus: Option<String>,
}

async fn page(state: &AppState, ctx: &TerritoryCtx, chrome: Chrome) -> Result<DecpPage, AppError> {
    Ok(DecpPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        buyers: state
            .store
            .clause_buyers(ctx.territory.scope())
            .await?
            .into_iter()
            .map(|b| (b.id.to_string(), b.name))
            .collect(),
        buyer: String::new(),
        rate: "5".into(),
        hourly_cost: "30".into(),
        errors: Errors::default(),
        report: Vec::new(),
        done: None,
    })
}

fn digits(s: Option<String>) -> String {
    s.filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or_default()
}

/// `GET /{territoire}/clauses/import-decp`.
pub async fn form(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Query(q): Query<Done>,
) -> Result<Response, AppError> {
    let mut p = page(&state, &ctx, chrome).await?;
    let (created, known) = (digits(q.crees), digits(q.connus));
    if !created.is_empty() {
        p.done = Some((created, known));
    }
    render(&p)
}

/// `POST /{territoire}/clauses/import-decp`.
pub async fn import(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let mut p = page(&state, &ctx, chrome).await?;
    let mut bytes = Vec::new();
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "fichier" {
            bytes = field
                .bytes()
                .await
                .map_err(|_| AppError::BadRequest("fichier"))?
                .to_vec();
            continue;
        }
        let value = field.text().await.unwrap_or_default();
        match name.as_str() {
            "buyer" => p.buyer = value,
            "rate" => p.rate = value,
            "hourly_cost" => p.hourly_cost = value,
            _ => {}
        }
    }
    let buyer = p.buyer.trim().parse::<i64>().ok();
    if buyer.is_none() {
        p.errors.add(
            "buyer",
            "Choisissez l'acheteur des marchés dont le SIRET d'acheteur n'est pas connu.",
        );
    }
    // The rate and the cost, checked once with a placeholder amount and share.
    if let Err(e) = Inputs::parse("1", "50", &p.rate, &p.hourly_cost) {
        for (k, v) in e {
            p.errors.add(k, v);
        }
    }
    if bytes.is_empty() {
        p.errors
            .add("fichier", "Choisissez un fichier DECP au format JSON.");
    } else if let Err(m) = crate::uploads::check(&state, &bytes).await {
        p.errors.add("fichier", m);
    }
    if p.errors.any() {
        return Ok(unprocessable(render(&p)?));
    }
    let read = match trame_domain::clauses::decp::read(&bytes) {
        Ok(r) => r,
        Err(m) => {
            p.errors.add("fichier", m);
            return Ok(unprocessable(render(&p)?));
        }
    };
    let communes: Vec<String> = state
        .store
        .communes(scope)
        .await?
        .into_iter()
        .map(|c| c.code_insee)
        .collect();
    let settings = state.store.clause_settings(scope).await?;
    let mut checked = Vec::new();
    for d in read {
        let mut input = d.input.clone();
        if let Some(share) = settings.share_of(&input.trade) {
            input.labour_share = share.to_string();
        }
        input.rate = p.rate.clone();
        input.hourly_cost = p.hourly_cost.clone();
        input.awardee_name = state
            .store
            .organisation_name_by_siret(scope, input.awardee_siret.trim())
            .await?
            .unwrap_or_else(|| format!("Titulaire SIRET {}", input.awardee_siret.trim()));
        // A commune outside the territory is left empty rather than refused.
        if !communes.contains(&input.commune_code) {
            input.commune_code.clear();
        }
        match Contract::parse(&input) {
            Ok(contract) => checked.push(DecpImport {
                contract,
                buyer_siret: d.buyer_siret,
                considerations: d.considerations.join(", "),
            }),
            Err(e) => p.report.push((
                d.position,
                d.input.reference.clone(),
                e.into_values().collect::<Vec<_>>().join(" "),
            )),
        }
    }
    if checked.is_empty() && p.report.is_empty() {
        p.errors.add(
            "fichier",
            "Ce fichier ne contient aucun marché avec une considération sociale.",
        );
        return Ok(unprocessable(render(&p)?));
    }
    if !p.report.is_empty() {
        p.errors.add(
            "fichier",
            format!(
                "{} marché(s) refusé(s) : rien n'a été importé.",
                p.report.len()
            ),
        );
        return Ok(unprocessable(render(&p)?));
    }
    let Some(buyer) = buyer else {
        return Ok(unprocessable(render(&p)?));
    };
    match state
        .store
        .import_decp(user.person_id, scope, buyer, &checked)
        .await
    {
        Ok(o) => Ok(Redirect::to(&format!(
            "/{}/clauses/import-decp?crees={}&connus={}",
            ctx.territory.slug, o.created, o.known
        ))
        .into_response()),
        Err(e) => {
            p.errors = Errors::from_store(e)?;
            Ok(unprocessable(render(&p)?))
        }
    }
}
