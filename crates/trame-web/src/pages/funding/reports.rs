//! Final reports (CERFA 15059) page by page. The beneficiary — a member of the
//! organisation (`/mes-subventions/{id}`) or the commune's referent
//! (`/conventions-commune/{id}`) — sees the award, its years and their reports, and fills
//! in a report: actual against forecast per budget line, a justification beyond 15 %, what
//! was achieved, the indicators. The staff read a submitted report and accept it (which
//! releases the balance) or send it back with what to complete.

use super::{french_date, path_id};
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
use trame_domain::funding::award::needs_justification;
use trame_domain::funding::convention::Category;
use trame_domain::funding::dossier::Budget;
use trame_domain::funding::report::{
    INDICATOR_FIELDS, Indicator, LINE_FIELDS, ReportContent, ReportForm, ReportState,
    account_label, check,
};
use trame_domain::money::Euros;
use trame_store::Scope;
use trame_store::funding::awards::{AwardLine, paris_day};
use trame_store::funding::reports::{ReportRow, report_content, report_state};

/// Who answers for the beneficiary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// A member of the beneficiary organisation.
    Applicant,
    /// The referent of the beneficiary commune.
    Referent,
}

impl Side {
    fn base(self, slug: &str, id: i64) -> String {
        match self {
            Side::Applicant => format!("/{slug}/mes-subventions/{id}"),
            Side::Referent => format!("/{slug}/conventions-commune/{id}"),
        }
    }

    fn list(self, slug: &str) -> (String, &'static str) {
        match self {
            Side::Applicant => (format!("/{slug}/mes-subventions"), "Mes subventions"),
            Side::Referent => (
                format!("/{slug}/conventions-commune"),
                "Conventions de mes communes",
            ),
        }
    }
}

/// The award a person answers for; `NotFound` for anyone else's.
pub(crate) async fn beneficiary_award(
    state: &AppState,
    scope: Scope,
    user: &CurrentUser,
    side: Side,
    id: i64,
) -> Result<AwardLine, AppError> {
    Ok(match side {
        Side::Applicant => {
            state
                .store
                .award_of_person(scope, user.person_id, id)
                .await?
        }
        Side::Referent => {
            state
                .store
                .referent_convention(scope, user.person_id, id)
                .await?
        }
    })
}

/// A year of an award with its report, as listed.
pub struct YearView {
    /// Year.
    pub year: i32,
    /// Amount of the year.
    pub amount: String,
    /// Report state label.
    pub state: &'static str,
    /// Report state code.
    pub code: &'static str,
    /// Due date.
    pub due: String,
    /// Whether it is late (still expected after its due day).
    pub late: bool,
}

/// The years of an award with their reports.
pub(crate) async fn years_of(
    state: &AppState,
    scope: Scope,
    award_id: i64,
) -> Result<Vec<YearView>, AppError> {
    let today = paris_day(state.store.now());
    let reports = state.store.award_reports(scope, award_id).await?;
    Ok(state
        .store
        .award_years(scope, award_id)
        .await?
        .into_iter()
        .map(|y| {
            let r = reports.iter().find(|r| r.year == y.year);
            let s = r.map_or(ReportState::Due, report_state);
            YearView {
                year: y.year,
                amount: Euros::from_cents(y.amount_cents).to_string(),
                state: s.label(),
                code: s.code(),
                due: r.map(|r| french_date(r.due_on)).unwrap_or_default(),
                late: s.open() && r.is_some_and(|r| r.due_on < today),
            }
        })
        .collect())
}

/// The category of an award in words (« Appel à projets » for one from a call).
pub(crate) fn category_label(code: &str) -> &'static str {
    Category::from_code(code).map_or("Appel à projets", Category::label)
}

/// One budget line of the report form.
pub struct LineInput {
    /// Account label.
    pub label: &'static str,
    /// Forecast field.
    pub f_field: &'static str,
    /// Actual field.
    pub r_field: &'static str,
    /// Justification field.
    pub j_field: &'static str,
    /// Forecast as typed or as fixed.
    pub forecast: String,
    /// Whether the forecast comes from the award (read-only).
    pub fixed: bool,
    /// Actual as typed.
    pub actual: String,
    /// Justification as typed.
    pub justification: String,
}

/// An indicator of the report form.
pub struct IndicatorInput {
    /// Field.
    pub field: &'static str,
    /// What is counted.
    pub label: String,
    /// Target.
    pub target: i64,
    /// Achieved, as typed.
    pub value: String,
}

/// The report form's content.
pub struct FormView {
    /// « Charges » and « Produits », with their lines.
    pub sections: Vec<(&'static str, Vec<LineInput>)>,
    /// Indicators.
    pub indicators: Vec<IndicatorInput>,
    /// What was achieved, as typed.
    pub results: String,
}

fn is_expense(account: u8) -> bool {
    (60..=69).contains(&account) || account == 86
}

fn form_view(form: &ReportForm, forecast: Option<&Budget>, indicators: &[Indicator]) -> FormView {
    let mut expenses = Vec::new();
    let mut revenues = Vec::new();
    for (account, f_field, r_field, j_field) in LINE_FIELDS {
        let typed = |m: &std::collections::BTreeMap<u8, String>| {
            m.get(&account).cloned().unwrap_or_default()
        };
        let line = LineInput {
            label: account_label(account),
            f_field,
            r_field,
            j_field,
            forecast: match forecast {
                Some(b) => b.line(account).to_string(),
                None => typed(&form.forecast),
            },
            fixed: forecast.is_some(),
            actual: typed(&form.actual),
            justification: typed(&form.justification),
        };
        if is_expense(account) {
            expenses.push(line);
        } else {
            revenues.push(line);
        }
    }
    FormView {
        sections: vec![("Charges", expenses), ("Produits", revenues)],
        indicators: indicators
            .iter()
            .zip(INDICATOR_FIELDS)
            .enumerate()
            .map(|(k, (i, field))| IndicatorInput {
                field,
                label: i.label.clone(),
                target: i.target,
                value: form.achieved.get(k).cloned().unwrap_or_default(),
            })
            .collect(),
        results: form.results.clone(),
    }
}

/// A line of a submitted report, as read.
pub struct LineRead {
    /// Account label.
    pub label: &'static str,
    /// Forecast.
    pub forecast: String,
    /// Actual.
    pub actual: String,
    /// Gap, `+12 %`.
    pub gap: String,
    /// Whether the gap passes 15 %.
    pub beyond: bool,
    /// Justification.
    pub justification: String,
}

/// A submitted report, as read.
pub struct ReadView {
    /// Lines.
    pub lines: Vec<LineRead>,
    /// Totals: forecast and actual expenses, actual revenues.
    pub totals: (String, String, String),
    /// What was achieved.
    pub results: String,
    /// Indicators: label, target, achieved.
    pub indicators: Vec<(String, i64, i64)>,
}

fn gap(forecast: Euros, actual: Euros) -> String {
    if forecast.cents() == 0 {
        return if actual.cents() == 0 {
            "—".into()
        } else {
            "non prévu".into()
        };
    }
    let pct = (actual.cents() - forecast.cents()) * 100 / forecast.cents();
    format!("{pct:+} %")
}

fn read_view(c: &ReportContent) -> ReadView {
    ReadView {
        lines: c
            .lines
            .iter()
            .map(|l| LineRead {
                label: account_label(l.account),
                forecast: l.forecast.to_string(),
                actual: l.actual.to_string(),
                gap: gap(l.forecast, l.actual),
                beyond: needs_justification(l.forecast, l.actual),
                justification: l.justification.clone(),
            })
            .collect(),
        totals: (
            c.forecast_expenses().to_string(),
            c.actual_expenses().to_string(),
            c.actual_revenues().to_string(),
        ),
        results: c.results.clone(),
        indicators: c
            .indicators
            .iter()
            .map(|i| (i.label.clone(), i.target, i.achieved))
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "funding/my_award.html")]
struct AwardPage {
    chrome: Chrome,
    base: String,
    back: (String, &'static str),
    a: super::awards::AwardView,
    category: &'static str,
    years: Vec<YearView>,
    indicators: Vec<Indicator>,
    visa: Option<String>,
    can_visa: bool,
    errors: Errors,
}

async fn award_page(
    state: &AppState,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    side: Side,
    id: i64,
    errors: Errors,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let a = beneficiary_award(state, scope, &user, side, id).await?;
    let slug = ctx.territory.slug;
    let failed = errors.any();
    let resp = render(&AwardPage {
        base: side.base(&slug, id),
        back: side.list(&slug),
        category: category_label(&a.row.category),
        years: years_of(state, scope, id).await?,
        indicators: state.store.award_indicators(scope, id).await?,
        visa: a.row.commune_visa_on.map(french_date),
        can_visa: side == Side::Referent && a.row.commune_visa_on.is_none(),
        a: super::awards::view(&a),
        chrome,
        errors,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/mes-subventions/{id}`.
pub async fn my_award(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    award_page(
        &state,
        ctx,
        user,
        chrome,
        Side::Applicant,
        id,
        Errors::default(),
    )
    .await
}

/// `GET /{territoire}/conventions-commune/{id}`.
pub async fn commune_award(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    award_page(
        &state,
        ctx,
        user,
        chrome,
        Side::Referent,
        id,
        Errors::default(),
    )
    .await
}

/// `POST /{territoire}/conventions-commune/{id}/visa`: the referent's visa.
pub async fn visa(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    match state
        .store
        .visa_convention(user.person_id, ctx.territory.scope(), id)
        .await
    {
        Ok(()) => Ok(
            Redirect::to(&format!("/{}/conventions-commune/{id}", ctx.territory.slug))
                .into_response(),
        ),
        Err(e) => {
            let errors = Errors::from_store(e)?;
            award_page(&state, ctx, user, chrome, Side::Referent, id, errors).await
        }
    }
}

#[derive(Template)]
#[template(path = "funding/report_form.html")]
struct ReportPage {
    chrome: Chrome,
    base: String,
    a: super::awards::AwardView,
    year: i32,
    state: &'static str,
    due: String,
    comment: String,
    open: bool,
    form: FormView,
    read: Option<ReadView>,
    errors: Errors,
}

fn year_of(raw: &str) -> Result<i32, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

#[allow(clippy::too_many_arguments)]
async fn report_page(
    state: &AppState,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    side: Side,
    id: i64,
    year: i32,
    typed: Option<ReportForm>,
    errors: Errors,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let a = beneficiary_award(state, scope, &user, side, id).await?;
    let r = state.store.award_report(scope, id, year).await?;
    let forecast = state.store.award_forecast(scope, &a.row).await?;
    let indicators = state.store.award_indicators(scope, id).await?;
    let content = report_content(&r);
    let form = typed
        .or_else(|| content.as_ref().map(ReportForm::of))
        .unwrap_or_default();
    let s = report_state(&r);
    let failed = errors.any();
    let resp = render(&ReportPage {
        base: side.base(&ctx.territory.slug, id),
        a: super::awards::view(&a),
        year,
        state: s.label(),
        due: french_date(r.due_on),
        comment: r.comment.clone(),
        open: s.open(),
        form: form_view(&form, forecast.as_ref(), &indicators),
        read: content.as_ref().filter(|_| !s.open()).map(read_view),
        chrome,
        errors,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

#[allow(clippy::too_many_arguments)]
async fn submit(
    state: &AppState,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    side: Side,
    id: i64,
    year: i32,
    pairs: &[(String, String)],
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let a = beneficiary_award(state, scope, &user, side, id).await?;
    let forecast = state.store.award_forecast(scope, &a.row).await?;
    let indicators = state.store.award_indicators(scope, id).await?;
    let form = ReportForm::from_pairs(pairs);
    let errors = match check(&form, forecast.as_ref(), &indicators) {
        Ok(content) => match state
            .store
            .submit_report(user.person_id, scope, id, year, &content)
            .await
        {
            Ok(()) => {
                return Ok(Redirect::to(&format!(
                    "{}/comptes-rendus/{year}",
                    side.base(&ctx.territory.slug, id)
                ))
                .into_response());
            }
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    report_page(state, ctx, user, chrome, side, id, year, Some(form), errors).await
}

/// `GET /{territoire}/mes-subventions/{id}/comptes-rendus/{annee}`.
pub async fn my_report(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id, year)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let (id, year) = (path_id(&id)?, year_of(&year)?);
    report_page(
        &state,
        ctx,
        user,
        chrome,
        Side::Applicant,
        id,
        year,
        None,
        Errors::default(),
    )
    .await
}

/// `POST /{territoire}/mes-subventions/{id}/comptes-rendus/{annee}`.
pub async fn submit_mine(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id, year)): Path<(String, String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (id, year) = (path_id(&id)?, year_of(&year)?);
    submit(&state, ctx, user, chrome, Side::Applicant, id, year, &pairs).await
}

/// `GET /{territoire}/conventions-commune/{id}/comptes-rendus/{annee}`.
pub async fn commune_report(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id, year)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let (id, year) = (path_id(&id)?, year_of(&year)?);
    report_page(
        &state,
        ctx,
        user,
        chrome,
        Side::Referent,
        id,
        year,
        None,
        Errors::default(),
    )
    .await
}

/// `POST /{territoire}/conventions-commune/{id}/comptes-rendus/{annee}`.
pub async fn submit_commune(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id, year)): Path<(String, String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (id, year) = (path_id(&id)?, year_of(&year)?);
    submit(&state, ctx, user, chrome, Side::Referent, id, year, &pairs).await
}

#[derive(Template)]
#[template(path = "funding/report_review.html")]
struct ReviewPage {
    chrome: Chrome,
    slug: String,
    a: super::awards::AwardView,
    year: i32,
    state: &'static str,
    due: String,
    submitted: String,
    comment: String,
    can_decide: bool,
    read: Option<ReadView>,
    typed_comment: String,
    errors: Errors,
}

async fn review_page(
    state: &AppState,
    ctx: TerritoryCtx,
    chrome: Chrome,
    id: i64,
    year: i32,
    typed_comment: String,
    errors: Errors,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let a = state.store.award(scope, id).await?;
    let r: ReportRow = state.store.award_report(scope, id, year).await?;
    let s = report_state(&r);
    let failed = errors.any();
    let resp = render(&ReviewPage {
        chrome,
        slug: ctx.territory.slug,
        a: super::awards::view(&a),
        year,
        state: s.label(),
        due: french_date(r.due_on),
        submitted: r
            .submitted_at
            .map(trame_domain::format::paris_datetime)
            .unwrap_or_default(),
        comment: r.comment.clone(),
        can_decide: s == ReportState::Submitted,
        read: report_content(&r).as_ref().map(read_view),
        typed_comment,
        errors,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/subventions/{id}/comptes-rendus/{annee}`.
pub async fn review(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Path((_, id, year)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let (id, year) = (path_id(&id)?, year_of(&year)?);
    review_page(
        &state,
        ctx,
        chrome,
        id,
        year,
        String::new(),
        Errors::default(),
    )
    .await
}

/// The decision form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    comment: String,
}

/// `POST /{territoire}/subventions/{id}/comptes-rendus/{annee}`: accept or send back.
pub async fn decide(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id, year)): Path<(String, String, String)>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, AppError> {
    let (id, year) = (path_id(&id)?, year_of(&year)?);
    let accept = match form.decision.as_str() {
        "accepter" => true,
        "completer" => false,
        _ => {
            let mut errors = Errors::default();
            errors.add(
                "decision",
                "Choisissez d'accepter le compte rendu ou de le renvoyer.",
            );
            return review_page(&state, ctx, chrome, id, year, form.comment, errors).await;
        }
    };
    match state
        .store
        .decide_report(
            user.person_id,
            ctx.territory.scope(),
            id,
            year,
            accept,
            &form.comment,
        )
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "/{}/subventions/{id}#comptes-rendus",
            ctx.territory.slug
        ))
        .into_response()),
        Err(e) => {
            let errors = Errors::from_store(e)?;
            review_page(&state, ctx, chrome, id, year, form.comment, errors).await
        }
    }
}

/// A report as listed for the staff.
pub struct ReportLine {
    /// Award id.
    pub award_id: i64,
    /// Award reference.
    pub reference: String,
    /// Beneficiary.
    pub beneficiary: String,
    /// Year.
    pub year: i32,
    /// Due date.
    pub due: String,
    /// Submitted at.
    pub submitted: String,
    /// Late.
    pub late: bool,
}

/// Filter of the list.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    etat: String,
}

#[derive(Template)]
#[template(path = "funding/reports.html")]
struct ListPage {
    chrome: Chrome,
    slug: String,
    states: Vec<(&'static str, &'static str, bool)>,
    current: &'static str,
    reports: Vec<ReportLine>,
}

/// `GET /{territoire}/comptes-rendus?etat=`: the reports in one state (submitted by
/// default: those waiting for the instructor).
pub async fn list(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let current = ReportState::from_code(&q.etat).unwrap_or(ReportState::Submitted);
    let today = paris_day(state.store.now());
    let rows = state.store.reports_in_state(scope, current).await?;
    let awards = state.store.awards(scope, None).await?;
    let reports = rows
        .iter()
        .filter_map(|r| {
            let a = awards.iter().find(|a| a.row.id == r.award_id)?;
            Some(ReportLine {
                award_id: a.row.id,
                reference: a.row.reference.clone(),
                beneficiary: a.beneficiary.clone(),
                year: r.year,
                due: french_date(r.due_on),
                submitted: r
                    .submitted_at
                    .map(trame_domain::format::paris_datetime)
                    .unwrap_or_default(),
                late: current.open() && r.due_on < today,
            })
        })
        .collect();
    render(&ListPage {
        chrome,
        slug: ctx.territory.slug,
        states: ReportState::ALL
            .iter()
            .map(|s| (s.code(), s.label(), *s == current))
            .collect(),
        current: current.label(),
        reports,
    })
}
