//! Conventions, for the staff: the list of the subsidies granted by convention to
//! partners and communes, and the form that records a new one (category, beneficiary,
//! amount per year, decision, indicators). For the commune referents: their communes'
//! conventions. And the schemes' settings (convention below the threshold, default
//! payment schedule).

use super::awards::{AwardView, view};
use super::path_id;
use super::reports::category_label;
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
use trame_domain::funding::award::Schedule;
use trame_domain::funding::convention::{
    AMOUNT_FIELDS, Category, ConventionInput, INDICATOR_FIELDS, check,
};
use trame_store::funding::awards::AwardLine;

/// A convention as listed.
pub struct ConventionView {
    /// The award.
    pub a: AwardView,
    /// Category label.
    pub category: &'static str,
}

fn listed(lines: &[AwardLine]) -> Vec<ConventionView> {
    lines
        .iter()
        .map(|l| ConventionView {
            a: view(l),
            category: category_label(&l.row.category),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "funding/conventions.html")]
struct ListPage {
    chrome: Chrome,
    slug: String,
    conventions: Vec<ConventionView>,
}

/// `GET /{territoire}/conventions`.
pub async fn list(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let lines = state.store.conventions(ctx.territory.scope()).await?;
    render(&ListPage {
        chrome,
        slug: ctx.territory.slug,
        conventions: listed(&lines),
    })
}

/// The new-convention form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct NewForm {
    category: String,
    organisation: String,
    commune: String,
    title: String,
    first_year: String,
    amount_1: String,
    amount_2: String,
    amount_3: String,
    amount_4: String,
    decided_on: String,
    deliberation: String,
    indicator_1: String,
    target_1: String,
    indicator_2: String,
    target_2: String,
    indicator_3: String,
    target_3: String,
    siege: Option<String>,
}

impl NewForm {
    fn input(&self) -> ConventionInput {
        ConventionInput {
            category: self.category.clone(),
            organisation: self.organisation.clone(),
            commune: self.commune.clone(),
            title: self.title.clone(),
            first_year: self.first_year.clone(),
            amounts: vec![
                self.amount_1.clone(),
                self.amount_2.clone(),
                self.amount_3.clone(),
                self.amount_4.clone(),
            ],
            decided_on: self.decided_on.clone(),
            deliberation: self.deliberation.clone(),
            indicators: vec![
                (self.indicator_1.clone(), self.target_1.clone()),
                (self.indicator_2.clone(), self.target_2.clone()),
                (self.indicator_3.clone(), self.target_3.clone()),
            ],
            siege: self.siege.is_some(),
        }
    }
}

#[derive(Template)]
#[template(path = "funding/convention_form.html")]
struct NewPage {
    chrome: Chrome,
    slug: String,
    form: NewForm,
    errors: Errors,
    categories: Vec<(&'static str, &'static str)>,
    organisations: Vec<(String, String)>,
    communes: Vec<(String, String)>,
    amounts: Vec<(&'static str, String, String)>,
    indicators: Vec<(&'static str, &'static str, String, String, usize)>,
}

async fn new_page(
    state: &AppState,
    ctx: TerritoryCtx,
    chrome: Chrome,
    form: NewForm,
    errors: Errors,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let organisations = state
        .store
        .organisations(scope)
        .await?
        .into_iter()
        .map(|o| (o.id.to_string(), o.name))
        .collect();
    let communes = state
        .store
        .communes(scope)
        .await?
        .into_iter()
        .map(|c| (c.code_insee, c.name))
        .collect();
    let typed = form.input();
    let amounts = AMOUNT_FIELDS
        .iter()
        .zip(typed.amounts)
        .enumerate()
        .map(|(k, (f, value))| (*f, format!("Montant de l'année {} (€)", k + 1), value))
        .collect();
    let indicators = INDICATOR_FIELDS
        .iter()
        .zip(typed.indicators)
        .enumerate()
        .map(|(k, ((l, t), (label, target)))| (*l, *t, label, target, k + 1))
        .collect();
    let failed = errors.any();
    let resp = render(&NewPage {
        chrome,
        slug: ctx.territory.slug,
        form,
        errors,
        categories: Category::ALL
            .iter()
            .map(|c| (c.code(), c.label()))
            .collect(),
        organisations,
        communes,
        amounts,
        indicators,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/conventions/nouvelle`.
pub async fn new_form(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let year = state.store.now().year().to_string();
    let form = NewForm {
        first_year: year,
        ..NewForm::default()
    };
    new_page(&state, ctx, chrome, form, Errors::default()).await
}

/// `POST /{territoire}/conventions/nouvelle`.
pub async fn create(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Form(form): Form<NewForm>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let communes: Vec<String> = state
        .store
        .communes(scope)
        .await?
        .into_iter()
        .map(|c| c.code_insee)
        .collect();
    let orgs: Vec<i64> = state
        .store
        .organisations(scope)
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect();
    let errors = match check(&form.input(), &communes, &orgs) {
        Ok(c) => match state
            .store
            .create_convention(Some(user.person_id), scope, &c)
            .await
        {
            Ok(a) => {
                return Ok(
                    Redirect::to(&format!("/{}/subventions/{}", ctx.territory.slug, a.id))
                        .into_response(),
                );
            }
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    new_page(&state, ctx, chrome, form, errors).await
}

#[derive(Template)]
#[template(path = "funding/commune_conventions.html")]
struct CommunePage {
    chrome: Chrome,
    slug: String,
    conventions: Vec<ConventionView>,
}

/// `GET /{territoire}/conventions-commune`: the conventions with the referent's communes.
pub async fn of_communes(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let lines = state
        .store
        .referent_conventions(ctx.territory.scope(), user.person_id)
        .await?;
    render(&CommunePage {
        chrome,
        slug: ctx.territory.slug,
        conventions: listed(&lines),
    })
}

/// A scheme as shown in the settings.
pub struct SchemeView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// What kind.
    pub kind: &'static str,
    /// Convention below the threshold.
    pub convention_always: bool,
    /// Schedule as stored (`80:signature,20:bilan`).
    pub schedule: String,
    /// Schedule in words.
    pub describe: String,
}

#[derive(Template)]
#[template(path = "funding/schemes.html")]
struct SchemesPage {
    chrome: Chrome,
    slug: String,
    schemes: Vec<SchemeView>,
    errors: Errors,
    failed_id: i64,
    typed_schedule: String,
}

async fn schemes_page(
    state: &AppState,
    ctx: TerritoryCtx,
    chrome: Chrome,
    failed: Option<(i64, String)>,
    errors: Errors,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    // Both schemes exist once the page is seen, so that both can be set.
    state.store.call_scheme(None, scope).await?;
    state.store.convention_scheme(None, scope).await?;
    let schemes = state
        .store
        .schemes(scope)
        .await?
        .into_iter()
        .map(|s| SchemeView {
            id: s.id,
            kind: if s.kind == "convention" {
                "Conventions"
            } else {
                "Appel à projets"
            },
            name: s.name,
            convention_always: s.convention_always,
            describe: Schedule::parse(&s.schedule).unwrap_or_default().describe(),
            schedule: s.schedule,
        })
        .collect();
    let (failed_id, typed_schedule) = failed.unwrap_or_default();
    let resp = render(&SchemesPage {
        chrome,
        slug: ctx.territory.slug,
        schemes,
        failed_id,
        typed_schedule,
        errors: errors.clone(),
    })?;
    Ok(if errors.any() {
        unprocessable(resp)
    } else {
        resp
    })
}

/// `GET /{territoire}/dispositifs`.
pub async fn schemes(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
) -> Result<Response, AppError> {
    schemes_page(&state, ctx, chrome, None, Errors::default()).await
}

/// The settings form of a scheme.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct SchemeForm {
    convention_always: Option<String>,
    schedule: String,
}

/// `POST /{territoire}/dispositifs/{id}`.
pub async fn update_scheme(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<SchemeForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let mut errors = Errors::default();
    match Schedule::parse(form.schedule.trim()) {
        Err(m) => errors.add("schedule", m),
        Ok(s) => match state
            .store
            .update_scheme(
                user.person_id,
                ctx.territory.scope(),
                id,
                form.convention_always.is_some(),
                &s,
            )
            .await
        {
            Ok(()) => {
                return Ok(
                    Redirect::to(&format!("/{}/dispositifs", ctx.territory.slug)).into_response(),
                );
            }
            Err(e) => errors = Errors::from_store(e)?,
        },
    }
    schemes_page(&state, ctx, chrome, Some((id, form.schedule)), errors).await
}
