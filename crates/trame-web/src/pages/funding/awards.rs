//! Awards after the decision. For the staff: the list (by year of decision), and one award
//! with its schedule, its payments (recorded here, never above what remains) and the
//! beneficiary's de minimis ledger. For applicants: their organisations' awards.

use super::{eur, french_date, path_id};
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use trame_domain::format::parse_iso_date;
use trame_domain::money::Euros;
use trame_store::funding::awards::{AwardLine, paris_day};

/// An award as listed.
pub struct AwardView {
    /// Id.
    pub id: i64,
    /// Reference.
    pub reference: String,
    /// Beneficiary.
    pub beneficiary: String,
    /// What it is for.
    pub title: String,
    /// Decided on.
    pub decided_on: String,
    /// Amount.
    pub amount: String,
    /// Paid.
    pub paid: String,
    /// Remaining.
    pub remaining: String,
    /// Convention: « requise », « facultative », « signée le … ».
    pub convention: String,
    /// Schedule in words.
    pub schedule: String,
}

pub(crate) fn view(a: &AwardLine) -> AwardView {
    AwardView {
        id: a.row.id,
        reference: a.row.reference.clone(),
        beneficiary: a.beneficiary.clone(),
        title: a.row.title.clone(),
        decided_on: french_date(a.row.decided_on),
        amount: a.amount().to_string(),
        paid: a.paid.to_string(),
        remaining: a.remaining().to_string(),
        convention: match (a.row.convention_signed_on, a.row.convention_required) {
            (Some(d), _) => format!("signée le {}", french_date(d)),
            (None, true) => "requise, non signée".into(),
            (None, false) => "facultative".into(),
        },
        schedule: a.schedule().describe(),
    }
}

/// Filters of the list.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    annee: String,
}

#[derive(Template)]
#[template(path = "funding/awards.html")]
struct ListPage {
    chrome: Chrome,
    slug: String,
    awards: Vec<AwardView>,
    year: String,
    total: String,
    paid: String,
}

/// `GET /{territoire}/subventions`.
pub async fn list(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let year: Option<i32> = q.annee.trim().parse().ok();
    let awards = state.store.awards(ctx.territory.scope(), year).await?;
    let total = Euros::from_cents(awards.iter().map(|a| a.row.amount_cents).sum());
    let paid = Euros::from_cents(awards.iter().map(|a| a.paid.cents()).sum());
    render(&ListPage {
        chrome,
        slug: ctx.territory.slug,
        awards: awards.iter().map(view).collect(),
        year: year.map(|y| y.to_string()).unwrap_or_default(),
        total: total.to_string(),
        paid: paid.to_string(),
    })
}

/// A payment as shown.
pub struct PaymentView {
    /// Date.
    pub paid_on: String,
    /// Amount.
    pub amount: String,
    /// Mandate reference.
    pub mandate_ref: String,
}

/// A line of the de minimis ledger.
pub struct LedgerLine {
    /// Date.
    pub on: String,
    /// Amount.
    pub amount: String,
    /// What.
    pub label: String,
}

#[derive(Template)]
#[template(path = "funding/award.html")]
struct ShowPage {
    chrome: Chrome,
    slug: String,
    a: AwardView,
    deliberation: String,
    installments: Vec<(String, String)>,
    payments: Vec<PaymentView>,
    ledger: Option<(Vec<LedgerLine>, String, String, String)>,
    warning: Option<String>,
    can_pay: bool,
    form: PaymentForm,
    errors: Errors,
    category: &'static str,
    years: Vec<super::reports::YearView>,
    indicators: Vec<trame_domain::funding::report::Indicator>,
    report_base: String,
    visa: Option<String>,
    commune: bool,
}

async fn show_page(
    state: &AppState,
    ctx: TerritoryCtx,
    chrome: Chrome,
    id: i64,
    form: PaymentForm,
    errors: Errors,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let a = state.store.award(scope, id).await?;
    let payments = state
        .store
        .payments(scope, id)
        .await?
        .into_iter()
        .map(|p| PaymentView {
            paid_on: french_date(p.paid_on),
            amount: eur(p.amount_cents),
            mandate_ref: p.mandate_ref,
        })
        .collect();
    let schedule = a.schedule();
    let installments = schedule
        .installments()
        .iter()
        .zip(schedule.amounts(a.amount()))
        .map(|(i, amount)| {
            (
                format!("{} % {}", i.percent, i.trigger.phrase()),
                amount.to_string(),
            )
        })
        .collect();
    let ledger = state.store.de_minimis_of(scope, &a).await?;
    // The warning looks at the ledger without this award: would it have passed?
    let warning = ledger.as_ref().and_then(|l| {
        let others = trame_domain::money::Euros::from_cents(l.total.cents() - a.row.amount_cents);
        let before = trame_domain::funding::award::Ledger {
            total: others,
            ..l.clone()
        };
        before.warning_for(a.amount())
    });
    let ledger = ledger.map(|l| {
        (
            l.counted
                .iter()
                .map(|c| LedgerLine {
                    on: french_date(c.decided_on),
                    amount: c.amount.to_string(),
                    label: c.label.clone(),
                })
                .collect(),
            french_date(l.since),
            l.total.to_string(),
            l.ceiling.to_string(),
        )
    });
    let failed = errors.any();
    let resp = render(&ShowPage {
        category: super::reports::category_label(&a.row.category),
        years: super::reports::years_of(state, scope, id).await?,
        indicators: state.store.award_indicators(scope, id).await?,
        report_base: format!("/{}/subventions/{id}", ctx.territory.slug),
        visa: a.row.commune_visa_on.map(french_date),
        commune: a.row.commune_code.is_some(),
        chrome,
        slug: ctx.territory.slug,
        deliberation: a.row.deliberation_ref.clone(),
        can_pay: a.remaining().cents() > 0,
        a: view(&a),
        installments,
        payments,
        ledger,
        warning,
        form,
        errors,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/subventions/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let today = paris_day(state.store.now()).to_string();
    let form = PaymentForm {
        paid_on: today,
        ..PaymentForm::default()
    };
    show_page(&state, ctx, chrome, path_id(&id)?, form, Errors::default()).await
}

/// The payment form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PaymentForm {
    #[serde(default)]
    paid_on: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    mandate_ref: String,
}

/// `POST /{territoire}/subventions/{id}/versements`.
pub async fn pay(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<PaymentForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let mut errors = Errors::default();
    let paid_on = parse_iso_date(&form.paid_on);
    if paid_on.is_none() {
        errors.add(
            "paid_on",
            "La date doit s'écrire AAAA-MM-JJ, par exemple 2026-11-26.",
        );
    }
    let amount = Euros::parse(&form.amount)
        .map_err(|_| {
            errors.add(
                "amount",
                "Montant illisible : écrivez par exemple 8 000 ou 8000,50.",
            )
        })
        .ok();
    if let (Some(paid_on), Some(amount)) = (paid_on, amount) {
        match state
            .store
            .record_payment(
                user.person_id,
                scope,
                id,
                paid_on,
                amount,
                &form.mandate_ref,
            )
            .await
        {
            Ok(_) => {
                return Ok(Redirect::to(&format!(
                    "/{}/subventions/{id}#versements",
                    ctx.territory.slug
                ))
                .into_response());
            }
            Err(e) => errors = Errors::from_store(e)?,
        }
    }
    show_page(&state, ctx, chrome, id, form, errors).await
}

#[derive(Template)]
#[template(path = "funding/my_awards.html")]
struct MinePage {
    chrome: Chrome,
    slug: String,
    awards: Vec<AwardView>,
}

/// `GET /{territoire}/mes-subventions`: the awards of the organisations the person acts
/// for (amounts and schedule; payments are the staff's).
pub async fn mine(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let awards = state
        .store
        .awards_of_person(ctx.territory.scope(), user.person_id)
        .await?;
    render(&MinePage {
        chrome,
        slug: ctx.territory.slug,
        awards: awards.iter().map(view).collect(),
    })
}

/// The signature form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SignForm {
    #[serde(default)]
    signed_on: String,
}

/// `POST /{territoire}/subventions/{id}/convention`: the convention's signature date.
pub async fn sign(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<SignForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let mut errors = Errors::default();
    match parse_iso_date(&form.signed_on) {
        None => errors.add(
            "signed_on",
            "La date doit s'écrire AAAA-MM-JJ, par exemple 2026-11-26.",
        ),
        Some(d) => match state
            .store
            .sign_convention(user.person_id, ctx.territory.scope(), id, d)
            .await
        {
            Ok(()) => {
                return Ok(
                    Redirect::to(&format!("/{}/subventions/{id}", ctx.territory.slug))
                        .into_response(),
                );
            }
            Err(e) => errors = Errors::from_store(e)?,
        },
    }
    let today = paris_day(state.store.now()).to_string();
    let form = PaymentForm {
        paid_on: today,
        ..PaymentForm::default()
    };
    show_page(&state, ctx, chrome, id, form, errors).await
}
