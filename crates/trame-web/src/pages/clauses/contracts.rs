//! The facilitator's pages: contracts with their progress and alerts, a new contract
//! with its target (the calculator shows its formula before saving), a contract's hours
//! to validate or reject, and hours declared on a company's behalf.

use super::{ContractView, LineView, LinesQuery, lines, options};
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::funding::path_id;
use crate::pages::render;
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use trame_domain::clauses::contract::{Contract, ContractInput};
use trame_domain::clauses::hours::{Line, from_invoice};
use trame_domain::clauses::target::Percent;
use trame_domain::clauses::vocab::{BuyerKind, ClauseType, InvoiceConvention, Source, Way};
use trame_domain::format::parse_iso_date;
use trame_domain::money::Euros;
use trame_store::clauses::settings::ClauseSettings;
use trame_store::clauses::{ContractsOf, Declared};
use trame_store::funding::awards::paris_day;

#[derive(Template)]
#[template(path = "clauses/list.html")]
struct ListPage {
    chrome: Chrome,
    slug: String,
    contracts: Vec<ContractView>,
    alerts: usize,
    total: usize,
    page: usize,
    pages: usize,
    buyers: Vec<String>,
    buyer_form: BuyerForm,
    errors: Errors,
    kinds: Vec<(String, String)>,
}

/// The form of a new buyer.
#[derive(Debug, Default, serde::Deserialize)]
pub struct BuyerForm {
    #[serde(default)]
    buyer_name: String,
    #[serde(default)]
    buyer_kind: String,
    #[serde(default)]
    buyer_siret: String,
}

/// The list's page.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    page: String,
}

/// Contracts per page of the list.
const PER_PAGE: usize = 100;

async fn list_page(
    state: &AppState,
    ctx: TerritoryCtx,
    chrome: Chrome,
    buyer_form: BuyerForm,
    errors: Errors,
    page: usize,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let today = paris_day(state.store.now());
    let mut contracts: Vec<ContractView> = state
        .store
        .contracts(scope, ContractsOf::All)
        .await?
        .into_iter()
        .map(|s| ContractView::of(s, today))
        .collect();
    // Alerts first, then by end date.
    contracts.sort_by(|a, b| {
        (!a.p.status.is_alert(), &a.s.row.ends_on).cmp(&(!b.p.status.is_alert(), &b.s.row.ends_on))
    });
    let failed = errors.any();
    let alerts = contracts.iter().filter(|c| c.p.status.is_alert()).count();
    let total = contracts.len();
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let contracts: Vec<ContractView> = contracts
        .into_iter()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .collect();
    let resp = render(&ListPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        alerts,
        total,
        page,
        pages,
        contracts,
        buyers: state
            .store
            .clause_buyers(scope)
            .await?
            .into_iter()
            .map(|b| b.name)
            .collect(),
        buyer_form,
        errors,
        kinds: options(BuyerKind::ALL, BuyerKind::code, BuyerKind::label),
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/clauses`.
pub async fn list(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    axum::extract::Query(q): axum::extract::Query<ListQuery>,
) -> Result<Response, AppError> {
    let page = q.page.trim().parse().unwrap_or(1);
    list_page(
        &state,
        ctx,
        chrome,
        BuyerForm::default(),
        Errors::default(),
        page,
    )
    .await
}

/// `POST /{territoire}/clauses/acheteurs`.
pub async fn create_buyer(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Form(form): Form<BuyerForm>,
) -> Result<Response, AppError> {
    let mut errors = Errors::default();
    let name = form.buyer_name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        errors.add(
            "buyer_name",
            "Indiquez le nom de l'acheteur (200 caractères au plus).",
        );
    }
    let kind = BuyerKind::from_code(form.buyer_kind.trim());
    if kind.is_none() {
        errors.add("buyer_kind", "Choisissez le type d'acheteur.");
    }
    let siret = match form.buyer_siret.trim() {
        "" => None,
        raw => match trame_domain::identifiers::Siret::parse(raw) {
            Ok(s) => Some(s.as_str().to_owned()),
            Err(e) => {
                errors.add("buyer_siret", e.message);
                None
            }
        },
    };
    if let (Some(kind), false) = (kind, errors.any()) {
        match state
            .store
            .create_clause_buyer(
                user.person_id,
                ctx.territory.scope(),
                &name,
                siret.as_deref(),
                kind,
            )
            .await
        {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/{}/clauses", ctx.territory.slug)).into_response()
                );
            }
            Err(e) => errors = Errors::from_store(e)?,
        }
    }
    list_page(&state, ctx, chrome, form, errors, 1).await
}

#[derive(Template)]
#[template(path = "clauses/contract_form.html")]
struct FormPage {
    chrome: Chrome,
    slug: String,
    form: ContractInput,
    errors: Errors,
    buyers: Vec<(String, String)>,
    communes: Vec<(String, String)>,
    clause_types: Vec<(String, String)>,
    trades: Vec<(String, String)>,
    preview: Option<String>,
}

async fn form_page(
    state: &AppState,
    ctx: TerritoryCtx,
    chrome: Chrome,
    form: ContractInput,
    errors: Errors,
    preview: Option<String>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let failed = errors.any();
    let resp = render(&FormPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        form,
        errors,
        buyers: state
            .store
            .clause_buyers(scope)
            .await?
            .into_iter()
            .map(|b| (b.id.to_string(), b.name))
            .collect(),
        communes: state
            .store
            .communes(scope)
            .await?
            .into_iter()
            .map(|c| (c.code_insee, c.name))
            .collect(),
        clause_types: options(ClauseType::ALL, ClauseType::code, ClauseType::label),
        trades: state
            .store
            .clause_settings(scope)
            .await?
            .trades
            .iter()
            .map(|t| {
                (
                    t.code.to_owned(),
                    format!("{} ({})", t.label, t.labour_share),
                )
            })
            .collect(),
        preview,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/clauses/marches/nouveau`.
pub async fn new_form(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let form = ContractInput {
        clause_type: ClauseType::Execution.code().into(),
        rate: "5".into(),
        hourly_cost: "30".into(),
        ..Default::default()
    };
    form_page(&state, ctx, chrome, form, Errors::default(), None).await
}

/// The contract form and the button pressed.
#[derive(Debug, serde::Deserialize)]
pub struct ContractForm {
    #[serde(flatten)]
    input: ContractInput,
    /// `calculer` to see the target without saving.
    #[serde(default)]
    action: String,
}

/// `POST /{territoire}/clauses/marches/nouveau`.
pub async fn create(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Form(f): Form<ContractForm>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let mut errors = Errors::default();
    let mut f = f;
    // The trade's labour share is the territory's.
    if f.input.labour_share.trim().is_empty()
        && let Some(share) = state
            .store
            .clause_settings(scope)
            .await?
            .share_of(f.input.trade.trim())
    {
        f.input.labour_share = share.to_string();
    }
    let parsed = Contract::parse(&f.input);
    let contract = match parsed {
        Ok(c) => Some(c),
        Err(e) => {
            errors = Errors(e);
            None
        }
    };
    if let Some(code) = contract.as_ref().and_then(|c| c.commune_code.as_deref())
        && !state
            .store
            .communes(scope)
            .await?
            .iter()
            .any(|c| c.code_insee == code)
    {
        errors.add("commune_code", "Choisissez une commune du territoire.");
    }
    let buyer = f.input.buyer.trim().parse::<i64>().ok();
    if buyer.is_none() {
        errors.add("buyer", "Choisissez l'acheteur.");
    }
    if f.action == "calculer" {
        // The target alone, whatever the rest of the form says.
        let preview = contract
            .as_ref()
            .map(|c| match &c.target {
                trame_domain::clauses::target::Target::Computed(i) => i.formula(),
                t => format!("{} h, fixé à la main", t.hours()),
            })
            .or_else(|| {
                trame_domain::clauses::target::Inputs::parse(
                    &f.input.amount,
                    &f.input.labour_share,
                    &f.input.rate,
                    &f.input.hourly_cost,
                )
                .ok()
                .map(|i| i.formula())
            });
        let mut target_errors = Errors::default();
        if preview.is_none() {
            for (k, v) in errors.0.iter() {
                if ["amount", "labour_share", "rate", "hourly_cost"].contains(k) {
                    target_errors.add(k, v.clone());
                }
            }
        }
        return form_page(&state, ctx, chrome, f.input, target_errors, preview).await;
    }
    if let (Some(c), Some(buyer), false) = (&contract, buyer, errors.any()) {
        match state
            .store
            .create_contract(user.person_id, scope, buyer, c)
            .await
        {
            Ok(id) => {
                return Ok(
                    Redirect::to(&format!("/{}/clauses/marches/{id}", ctx.territory.slug))
                        .into_response(),
                );
            }
            Err(e) => errors = Errors::from_store(e)?,
        }
    }
    form_page(&state, ctx, chrome, f.input, errors, None).await
}

#[derive(Template)]
#[template(path = "clauses/contract.html")]
struct ContractPage {
    chrome: Chrome,
    slug: String,
    c: ContractView,
    lines: Vec<LineView>,
    waiting: usize,
    /// Lines of the contract not shown (older months, decided).
    hidden: u64,
    /// How many recent months are shown.
    recent: i32,
    ways: Vec<(String, String)>,
    form: HoursForm,
    errors: Errors,
    decision_errors: Errors,
}

/// One line of hours typed in a form.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct HoursForm {
    /// The person: their id (facilitator's select) or reference (company).
    #[serde(default)]
    pub person: String,
    /// Month, `YYYY-MM`.
    #[serde(default)]
    pub month: String,
    /// Way code.
    #[serde(default)]
    pub way: String,
    /// Hours.
    #[serde(default)]
    pub hours: String,
    /// Instead of hours, a SIAE's invoice (euros), when the territory converts invoices.
    #[serde(default)]
    pub invoice: String,
}

impl HoursForm {
    /// Checks the line against the contract's dates; faults at their fields.
    pub fn check(
        &self,
        c: &trame_store::clauses::ContractRow,
        settings: &ClauseSettings,
        errors: &mut Errors,
    ) -> Option<Declared> {
        let hours = match self.hours_or_invoice(c, settings) {
            Ok(h) => h,
            Err((field, message)) => {
                errors.add(field, message);
                return None;
            }
        };
        let person = trame_domain::clauses::person::id_of_reference(&self.person);
        if person.is_none() {
            errors.add(
                "person",
                "Indiquez la personne (sa référence, par exemple P00042).",
            );
        }
        let starts = parse_iso_date(&c.notified_on).unwrap_or(time::Date::MIN);
        let ends = parse_iso_date(&c.ends_on).unwrap_or(time::Date::MIN);
        match Line::parse(&self.month, &self.way, &hours, starts, ends) {
            Ok(line) => person.map(|person_id| Declared {
                contract_id: c.id,
                person_id,
                line,
            }),
            Err(e) => {
                for (k, v) in e {
                    errors.add(k, v);
                }
                None
            }
        }
    }
}

impl HoursForm {
    /// The hours typed, or those an invoice stands for: a SIAE subcontracted or
    /// co-contracted, a territory that converts invoices, a contract with a labour share.
    fn hours_or_invoice(
        &self,
        c: &trame_store::clauses::ContractRow,
        settings: &ClauseSettings,
    ) -> Result<String, (&'static str, String)> {
        let invoice = self.invoice.trim();
        if invoice.is_empty() {
            return Ok(self.hours.clone());
        }
        if !self.hours.trim().is_empty() {
            return Err((
                "invoice",
                "Indiquez les heures ou le montant facturé, pas les deux.".into(),
            ));
        }
        let siae = matches!(
            Way::from_code(self.way.trim()),
            Some(Way::Subcontracting | Way::CoContracting)
        );
        if !siae {
            return Err((
                "invoice",
                "Un montant facturé ne vaut que pour la sous-traitance ou la cotraitance avec une SIAE.".into(),
            ));
        }
        if settings.convention != InvoiceConvention::Invoice {
            return Err((
                "invoice",
                "Le territoire compte les heures réellement travaillées par la SIAE : indiquez ces heures.".into(),
            ));
        }
        let Some(share) = c.labour_share_bp.and_then(|b| u32::try_from(b).ok()) else {
            return Err((
                "invoice",
                "L'objectif de ce marché a été fixé à la main, sans part de main-d'œuvre : indiquez les heures.".into(),
            ));
        };
        let amount = Euros::parse(invoice)
            .ok()
            .filter(|a| a.cents() > 0)
            .ok_or((
                "invoice",
                "Le montant facturé s'écrit en euros, positif (par exemple 12 000).".to_owned(),
            ))?;
        let tenths = from_invoice(amount, Percent::from_bp(share), settings.reference_cost);
        Ok(format!("{},{}", tenths / 10, tenths % 10))
    }
}

/// Declares one line; the faults of the store come back at their fields.
pub async fn declare_one(
    state: &AppState,
    user: &CurrentUser,
    scope: trame_store::Scope,
    contract: &trame_store::clauses::ContractRow,
    form: &HoursForm,
    source: Source,
) -> Result<Errors, AppError> {
    let mut errors = Errors::default();
    let settings = state.store.clause_settings(scope).await?;
    let Some(d) = form.check(contract, &settings, &mut errors) else {
        return Ok(errors);
    };
    if let Err(faults) = state
        .store
        .declare_hours(user.person_id, scope, source, &[d])
        .await?
    {
        for f in faults {
            errors.add(f.field, f.message);
        }
    }
    Ok(errors)
}

#[allow(clippy::too_many_arguments)]
async fn contract_page(
    state: &AppState,
    ctx: TerritoryCtx,
    user: &CurrentUser,
    chrome: Chrome,
    id: i64,
    form: HoursForm,
    errors: Errors,
    decision_errors: Errors,
    all: bool,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let today = paris_day(state.store.now());
    let summary = state.store.contract(scope, id, ContractsOf::All).await?;
    let (rows, total) = state.store.contract_lines(&summary.row, all).await?;
    let hidden = total.saturating_sub(rows.len() as u64);
    let mut ids: Vec<i64> = rows.iter().map(|h| h.row.person_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let people = state
        .store
        .clause_people_by_ids(user.person_id, scope, &ids)
        .await?;
    let name = |pid: i64| {
        people
            .iter()
            .find(|p| p.id == pid)
            .map(|p| format!("{} {}", p.first_name, p.last_name))
    };
    let lines = lines(rows, &name);
    let failed = errors.any() || decision_errors.any();
    let resp = render(&ContractPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        waiting: lines.iter().filter(|l| l.waiting()).count(),
        hidden,
        recent: trame_store::clauses::RECENT_MONTHS,
        lines,
        ways: options(Way::ALL, Way::code, Way::label),
        c: ContractView::of(summary, today),
        form,
        errors,
        decision_errors,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/clauses/marches/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<LinesQuery>,
) -> Result<Response, AppError> {
    contract_page(
        &state,
        ctx,
        &user,
        chrome,
        path_id(&id)?,
        HoursForm::default(),
        Errors::default(),
        Errors::default(),
        q.all(),
    )
    .await
}

/// `POST /{territoire}/clauses/marches/{id}/heures`: hours declared by the facilitator.
pub async fn declare(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<HoursForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let contract = state.store.contract(scope, id, ContractsOf::All).await?.row;
    let errors = declare_one(&state, &user, scope, &contract, &form, Source::Facilitator).await?;
    if !errors.any() {
        return Ok(Redirect::to(&format!(
            "/{}/clauses/marches/{id}#heures",
            ctx.territory.slug
        ))
        .into_response());
    }
    contract_page(
        &state,
        ctx,
        &user,
        chrome,
        id,
        form,
        errors,
        Errors::default(),
        false,
    )
    .await
}

/// `POST /{territoire}/clauses/marches/{id}/decision`: validates or rejects the checked
/// lines.
pub async fn decide(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let value = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    };
    let ids: Vec<i64> = pairs
        .iter()
        .filter(|(k, _)| k == "lignes")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let mut errors = Errors::default();
    let validate = match value("decision") {
        "valider" => Some(true),
        "rejeter" => Some(false),
        _ => None,
    };
    if ids.is_empty() {
        errors.add("lignes", "Cochez les lignes à valider ou à rejeter.");
    }
    if let (Some(validate), false) = (validate, errors.any()) {
        match state
            .store
            .decide_hours(
                user.person_id,
                ctx.territory.scope(),
                id,
                &ids,
                validate,
                Some(value("reason")),
            )
            .await
        {
            Ok(_) => {
                return Ok(Redirect::to(&format!(
                    "/{}/clauses/marches/{id}#heures",
                    ctx.territory.slug
                ))
                .into_response());
            }
            Err(e) => errors = Errors::from_store(e)?,
        }
    } else if validate.is_none() {
        errors.add("lignes", "Choisissez de valider ou de rejeter.");
    }
    contract_page(
        &state,
        ctx,
        &user,
        chrome,
        id,
        HoursForm::default(),
        Errors::default(),
        errors,
        false,
    )
    .await
}
