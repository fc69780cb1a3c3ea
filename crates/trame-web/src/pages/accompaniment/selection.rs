//! The selection: a call with its applications and jury, an application's page (the
//! jury marks it, the team decides after closing), the jury's own list, and closing a
//! call early.

use super::public::CallView;
use super::{TEAM_ROOT, is_staff, label_of};
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::funding::path_id;
use crate::pages::render;
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;
use trame_domain::accompaniment::application::{
    CRITERIA, Decision, DecisionInput, Score, ScoreInput,
};
use trame_domain::accompaniment::vocab::{ApplicantKind, ApplicationState, Stage};
use trame_store::accompaniment::{ApplicationRow, ApplicationSummary, JuryMark};

/// An application in a list.
pub struct ApplicationLine {
    /// The application and its marks.
    pub a: ApplicationSummary,
    /// Its state, written out.
    pub state: String,
    /// Mean mark out of 20, written out.
    pub mean: String,
    /// Who applies, written out.
    pub kind: String,
}

fn lines(list: Vec<ApplicationSummary>) -> Vec<ApplicationLine> {
    list.into_iter()
        .map(|a| ApplicationLine {
            state: label_of(
                &a.row.state,
                ApplicationState::from_code,
                ApplicationState::label,
            ),
            mean: a
                .mean_tenths
                .map_or_else(|| "—".to_owned(), |m| format!("{},{}/20", m / 10, m % 10)),
            kind: label_of(&a.row.kind, ApplicantKind::from_code, ApplicantKind::label),
            a,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "accompaniment/call_team.html")]
struct CallTeamPage {
    chrome: Chrome,
    slug: String,
    root: &'static str,
    call: CallView,
    applications: Vec<ApplicationLine>,
    jury: Vec<(i64, String)>,
    candidates: Vec<(String, String)>,
    no_choice: String,
    errors: Errors,
}

async fn call_team_page(
    state: &AppState,
    ctx: &TerritoryCtx,
    user: &CurrentUser,
    chrome: Chrome,
    id: i64,
    errors: Errors,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let call = CallView::of(state.store.acc_call(scope, id).await?, state.store.today());
    let applications = lines(
        state
            .store
            .acc_applications(scope, user.person_id, id, false)
            .await?,
    );
    let jury = state.store.acc_jury(scope, id).await?;
    let candidates = state
        .store
        .committee_members(scope)
        .await?
        .into_iter()
        .filter(|(p, _)| !jury.iter().any(|(j, _)| j == p))
        .map(|(p, n)| (p.to_string(), n))
        .collect();
    let failed = errors.any();
    let resp = render(&CallTeamPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        root: TEAM_ROOT,
        call,
        applications,
        jury,
        candidates,
        no_choice: String::new(),
        errors,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/suivi-accompagnement/appels/{id}`.
pub async fn call(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    call_team_page(&state, &ctx, &user, chrome, id, Errors::default()).await
}

/// The jury form.
#[derive(Debug, Default, serde::Deserialize)]
pub struct JuryInput {
    /// The person's id.
    #[serde(default)]
    person: String,
}

/// `POST /{territoire}/suivi-accompagnement/appels/{id}/jury`.
pub async fn assign_jury(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<JuryInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    state.store.acc_call(scope, id).await?;
    let errors = match input.person.trim().parse::<i64>() {
        Ok(p) => match state
            .store
            .assign_acc_jury(user.person_id, scope, id, p)
            .await
        {
            Ok(()) => {
                return Ok(Redirect::to(&format!(
                    "/{}/{TEAM_ROOT}/appels/{id}#jury",
                    ctx.territory.slug
                ))
                .into_response());
            }
            Err(e) => Errors::from_store(e)?,
        },
        Err(_) => {
            let mut e = Errors::default();
            e.add("person", "Choisissez un membre de comité de sélection.");
            e
        }
    };
    call_team_page(&state, &ctx, &user, chrome, id, errors).await
}

#[derive(Template)]
#[template(path = "accompaniment/application.html")]
struct ApplicationPage {
    chrome: Chrome,
    slug: String,
    root: &'static str,
    a: ApplicationRow,
    call: CallView,
    kind: String,
    stage: String,
    state_label: String,
    communes: HashMap<String, String>,
    marks: Vec<JuryMark>,
    criteria: Vec<(&'static str, &'static str)>,
    juror: bool,
    staff: bool,
    score: ScoreInput,
    score_errors: Errors,
    decision: DecisionInput,
    decision_errors: Errors,
    project: Option<i64>,
}

impl ApplicationPage {
    fn commune(&self, code: &Option<String>) -> String {
        code.as_ref()
            .map(|c| self.communes.get(c).cloned().unwrap_or_else(|| c.clone()))
            .unwrap_or_else(|| "hors du territoire".into())
    }

    fn submitted(&self) -> bool {
        self.a.state == ApplicationState::Submitted.code()
    }
}

#[allow(clippy::too_many_arguments)]
async fn application_page(
    state: &AppState,
    ctx: &TerritoryCtx,
    user: &CurrentUser,
    chrome: Chrome,
    id: i64,
    score: Option<ScoreInput>,
    score_errors: Errors,
    decision: DecisionInput,
    decision_errors: Errors,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let staff = is_staff(ctx);
    let (a, marks) = state
        .store
        .acc_application(scope, user.person_id, id, !staff)
        .await?;
    let juror = state
        .store
        .acc_jury(scope, a.call_id)
        .await?
        .iter()
        .any(|(p, _)| *p == user.person_id);
    let call = CallView::of(
        state.store.acc_call(scope, a.call_id).await?,
        state.store.today(),
    );
    let own = marks.iter().find(|m| m.person_id == user.person_id);
    let score = score.unwrap_or_else(|| match own {
        Some(m) => ScoreInput {
            motivation: m.marks[0].to_string(),
            utilite: m.marks[1].to_string(),
            ancrage: m.marks[2].to_string(),
            faisabilite: m.marks[3].to_string(),
            comment: m.comment.clone(),
        },
        None => ScoreInput::default(),
    });
    let project = if a.state == ApplicationState::Selected.code() {
        state.store.acc_project_of_application(scope, a.id).await?
    } else {
        None
    };
    let failed = score_errors.any() || decision_errors.any();
    let resp = render(&ApplicationPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        root: TEAM_ROOT,
        kind: label_of(&a.kind, ApplicantKind::from_code, ApplicantKind::label),
        stage: label_of(&a.stage, Stage::from_code, Stage::label),
        state_label: label_of(
            &a.state,
            ApplicationState::from_code,
            ApplicationState::label,
        ),
        communes: state
            .store
            .communes(scope)
            .await?
            .into_iter()
            .map(|c| (c.code_insee, c.name))
            .collect(),
        a,
        call,
        marks,
        criteria: CRITERIA.to_vec(),
        juror,
        staff,
        score,
        score_errors,
        decision,
        decision_errors,
        project,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/suivi-accompagnement/candidatures/{id}`.
pub async fn application(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    application_page(
        &state,
        &ctx,
        &user,
        chrome,
        id,
        None,
        Errors::default(),
        DecisionInput::default(),
        Errors::default(),
    )
    .await
}

/// `POST /{territoire}/suivi-accompagnement/candidatures/{id}/note`: a juror's marks.
pub async fn score(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<ScoreInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let errors = match Score::parse(&input) {
        Ok(s) => match state
            .store
            .score_acc_application(user.person_id, ctx.territory.scope(), id, &s)
            .await
        {
            Ok(()) => {
                return Ok(Redirect::to(&format!(
                    "/{}/{TEAM_ROOT}/candidatures/{id}#notes",
                    ctx.territory.slug
                ))
                .into_response());
            }
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    application_page(
        &state,
        &ctx,
        &user,
        chrome,
        id,
        Some(input),
        errors,
        DecisionInput::default(),
        Errors::default(),
    )
    .await
}

/// `POST /{territoire}/suivi-accompagnement/candidatures/{id}/decision`.
pub async fn decide(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<DecisionInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let errors = match Decision::parse(&input) {
        Ok(d) => match state
            .store
            .decide_acc_application(user.person_id, ctx.territory.scope(), id, &d)
            .await
        {
            Ok(Some(p)) => {
                return Ok(Redirect::to(&format!(
                    "/{}/{TEAM_ROOT}/projets/{p}",
                    ctx.territory.slug
                ))
                .into_response());
            }
            Ok(None) => {
                return Ok(Redirect::to(&format!(
                    "/{}/{TEAM_ROOT}/candidatures/{id}",
                    ctx.territory.slug
                ))
                .into_response());
            }
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    application_page(
        &state,
        &ctx,
        &user,
        chrome,
        id,
        None,
        Errors::default(),
        input,
        errors,
    )
    .await
}

#[derive(Template)]
#[template(path = "accompaniment/jury.html")]
struct JuryPage {
    chrome: Chrome,
    slug: String,
    root: &'static str,
    calls: Vec<(CallView, Vec<ApplicationLine>)>,
}

/// `GET /{territoire}/jury-accompagnement`: the calls whose jury the viewer sits on.
pub async fn jury(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let today = state.store.today();
    let mut calls = Vec::new();
    for c in state.store.acc_jury_calls(scope, user.person_id).await? {
        let list = lines(
            state
                .store
                .acc_applications(scope, user.person_id, c.id, true)
                .await?,
        );
        calls.push((CallView::of(c, today), list));
    }
    render(&JuryPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        root: TEAM_ROOT,
        calls,
    })
}

/// `POST /{territoire}/suivi-accompagnement/appels/{id}/cloture`: closes an open call
/// before its last day.
pub async fn close_call(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    match state
        .store
        .close_acc_call_early(user.person_id, ctx.territory.scope(), id)
        .await
    {
        Ok(()) => Ok(
            Redirect::to(&format!("/{}/{TEAM_ROOT}/appels/{id}", ctx.territory.slug))
                .into_response(),
        ),
        Err(e) => {
            let errors = Errors::from_store(e)?;
            call_team_page(&state, &ctx, &user, chrome, id, errors).await
        }
    }
}
