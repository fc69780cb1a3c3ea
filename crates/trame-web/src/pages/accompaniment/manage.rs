//! The team's home (cohorts and calls, the forms to create them) and a cohort's page
//! (its projects with their hours, its workshops and who attended). The calls'
//! selection is in `selection`.

use super::public::CallView;
use super::{TEAM_ROOT, day, hours, is_staff, label_of, team_of};
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::clauses::options;
use crate::pages::funding::path_id;
use crate::pages::render;
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;
use trame_domain::accompaniment::journey::{Workshop, WorkshopInput};
use trame_domain::accompaniment::programme::{Call, CallInput, Cohort, CohortInput};
use trame_domain::accompaniment::vocab::{CohortFormat, Stage};
use trame_store::accompaniment::{CohortRow, ProjectRow, WorkshopView};

/// A cohort as the lists show it.
pub struct CohortView {
    /// The cohort.
    pub c: CohortRow,
    /// Its format, written out.
    pub format: String,
    /// First day, written out.
    pub starts: String,
    /// Last day.
    pub ends: String,
    /// Hours allotted to each project.
    pub allocation: String,
    /// The provider's name, if any.
    pub provider: Option<String>,
}

impl CohortView {
    fn of(c: CohortRow, orgs: &HashMap<i64, String>) -> CohortView {
        CohortView {
            format: label_of(&c.format, CohortFormat::from_code, CohortFormat::label),
            starts: day(&c.starts_on),
            ends: day(&c.ends_on),
            allocation: hours(i64::from(c.allocation_tenths)),
            provider: c.provider_org_id.and_then(|p| orgs.get(&p).cloned()),
            c,
        }
    }
}

async fn org_names(state: &AppState, ctx: &TerritoryCtx) -> Result<HashMap<i64, String>, AppError> {
    Ok(state
        .store
        .organisations(ctx.territory.scope())
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}

#[derive(Template)]
#[template(path = "accompaniment/team.html")]
struct TeamPage {
    chrome: Chrome,
    slug: String,
    root: &'static str,
    staff: bool,
    cohorts: Vec<CohortView>,
    calls: Vec<CallView>,
    cohort_form: CohortInput,
    cohort_errors: Errors,
    call_form: CallInput,
    call_errors: Errors,
    formats: Vec<(String, String)>,
    providers: Vec<(String, String)>,
    cohort_options: Vec<(String, String)>,
}

#[allow(clippy::too_many_arguments)]
async fn team_page(
    state: &AppState,
    ctx: &TerritoryCtx,
    user: &CurrentUser,
    chrome: Chrome,
    cohort_form: CohortInput,
    cohort_errors: Errors,
    call_form: CallInput,
    call_errors: Errors,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let team = team_of(state, ctx, user).await?;
    let staff = is_staff(ctx);
    let orgs = org_names(state, ctx).await?;
    let cohorts: Vec<CohortView> = state
        .store
        .acc_cohorts(scope, &team)
        .await?
        .into_iter()
        .map(|c| CohortView::of(c, &orgs))
        .collect();
    let today = state.store.today();
    let calls = if staff {
        state
            .store
            .acc_calls(scope)
            .await?
            .into_iter()
            .map(|c| CallView::of(c, today))
            .collect()
    } else {
        Vec::new()
    };
    let failed = cohort_errors.any() || call_errors.any();
    let mut providers: Vec<(String, String)> = orgs
        .iter()
        .map(|(id, n)| (id.to_string(), n.clone()))
        .collect();
    providers.sort_by(|a, b| a.1.cmp(&b.1));
    let resp = render(&TeamPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        root: TEAM_ROOT,
        staff,
        cohort_options: cohorts
            .iter()
            .map(|c| (c.c.id.to_string(), c.c.name.clone()))
            .collect(),
        cohorts,
        calls,
        cohort_form,
        cohort_errors,
        call_form,
        call_errors,
        formats: options(CohortFormat::ALL, CohortFormat::code, CohortFormat::label),
        providers,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/suivi-accompagnement`.
pub async fn index(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let cohort_form = CohortInput {
        format: CohortFormat::Pathway.code().into(),
        allocation: "20".into(),
        ..Default::default()
    };
    team_page(
        &state,
        &ctx,
        &user,
        chrome,
        cohort_form,
        Errors::default(),
        CallInput::default(),
        Errors::default(),
    )
    .await
}

/// `POST /{territoire}/suivi-accompagnement/promotions`.
pub async fn create_cohort(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Form(input): Form<CohortInput>,
) -> Result<Response, AppError> {
    let errors = match Cohort::parse(&input) {
        Ok(c) => match state
            .store
            .create_acc_cohort(user.person_id, ctx.territory.scope(), &c)
            .await
        {
            Ok(id) => {
                return Ok(Redirect::to(&format!(
                    "/{}/{TEAM_ROOT}/promotions/{id}",
                    ctx.territory.slug
                ))
                .into_response());
            }
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    team_page(
        &state,
        &ctx,
        &user,
        chrome,
        input,
        errors,
        CallInput::default(),
        Errors::default(),
    )
    .await
}

/// `POST /{territoire}/suivi-accompagnement/appels`.
pub async fn create_call(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Form(input): Form<CallInput>,
) -> Result<Response, AppError> {
    let errors = match Call::parse(&input) {
        Ok(c) => match state
            .store
            .create_acc_call(user.person_id, ctx.territory.scope(), &c)
            .await
        {
            Ok(id) => {
                return Ok(Redirect::to(&format!(
                    "/{}/{TEAM_ROOT}/appels/{id}",
                    ctx.territory.slug
                ))
                .into_response());
            }
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    team_page(
        &state,
        &ctx,
        &user,
        chrome,
        CohortInput::default(),
        Errors::default(),
        input,
        errors,
    )
    .await
}

/// A project in a cohort's list.
pub struct ProjectLine {
    /// The project.
    pub p: ProjectRow,
    /// Its stage, written out.
    pub stage: String,
    /// Individual hours used, written out.
    pub used: String,
    /// Hours allotted.
    pub allocation: String,
    /// Collective hours attended.
    pub collective: String,
    /// Whether the individual hours passed the allocation.
    pub over: bool,
}

/// A workshop in a cohort's list.
pub struct WorkshopLine {
    /// The workshop and who came.
    pub w: WorkshopView,
    /// Day, written out.
    pub day: String,
    /// Duration.
    pub duration: String,
}

#[derive(Template)]
#[template(path = "accompaniment/cohort.html")]
struct CohortPage {
    chrome: Chrome,
    slug: String,
    root: &'static str,
    cohort: CohortView,
    projects: Vec<ProjectLine>,
    workshops: Vec<WorkshopLine>,
    form: WorkshopInput,
    present: Vec<i64>,
    errors: Errors,
}

#[allow(clippy::too_many_arguments)]
async fn cohort_page(
    state: &AppState,
    ctx: &TerritoryCtx,
    user: &CurrentUser,
    chrome: Chrome,
    id: i64,
    form: WorkshopInput,
    present: Vec<i64>,
    errors: Errors,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let team = team_of(state, ctx, user).await?;
    let cohort = state.store.acc_cohort(scope, &team, id).await?;
    let orgs = org_names(state, ctx).await?;
    let projects = state
        .store
        .acc_projects(scope, &team, id)
        .await?
        .into_iter()
        .map(|p| ProjectLine {
            stage: label_of(&p.stage, Stage::from_code, Stage::label),
            used: hours(p.individual_tenths),
            allocation: hours(i64::from(p.allocation_tenths)),
            collective: hours(p.collective_tenths),
            over: p.individual_tenths > i64::from(p.allocation_tenths),
            p,
        })
        .collect();
    let workshops = state
        .store
        .acc_workshops(scope, &team, id)
        .await?
        .into_iter()
        .map(|w| WorkshopLine {
            day: day(&w.row.held_on),
            duration: hours(i64::from(w.row.tenths)),
            w,
        })
        .collect();
    let failed = errors.any();
    let resp = render(&CohortPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        root: TEAM_ROOT,
        cohort: CohortView::of(cohort, &orgs),
        projects,
        workshops,
        form,
        present,
        errors,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/suivi-accompagnement/promotions/{id}`.
pub async fn cohort(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    cohort_page(
        &state,
        &ctx,
        &user,
        chrome,
        id,
        WorkshopInput::default(),
        Vec::new(),
        Errors::default(),
    )
    .await
}

/// The workshop form: the workshop, and the projects present (`present` repeated).
fn workshop_form(pairs: Vec<(String, String)>) -> (WorkshopInput, Vec<i64>) {
    let mut w = WorkshopInput::default();
    let mut present = Vec::new();
    for (k, v) in pairs {
        match k.as_str() {
            "held_on" => w.held_on = v,
            "duration" => w.duration = v,
            "theme" => w.theme = v,
            "speaker" => w.speaker = v,
            "present" => present.extend(v.parse::<i64>().ok()),
            _ => {}
        }
    }
    (w, present)
}

/// `POST /{territoire}/suivi-accompagnement/promotions/{id}/ateliers`.
pub async fn create_workshop(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let team = team_of(&state, &ctx, &user).await?;
    let cohort = state.store.acc_cohort(scope, &team, id).await?;
    let (input, present) = workshop_form(pairs);
    let errors = match Workshop::parse(&input, trame_store::accompaniment::span_of(&cohort)) {
        Ok(w) => match state
            .store
            .create_acc_workshop(user.person_id, scope, &team, id, &w, &present)
            .await
        {
            Ok(_) => {
                return Ok(Redirect::to(&format!(
                    "/{}/{TEAM_ROOT}/promotions/{id}#ateliers",
                    ctx.territory.slug
                ))
                .into_response());
            }
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    cohort_page(&state, &ctx, &user, chrome, id, input, present, errors).await
}
