//! A project's page for the team: where it stands, its hours against its allocation, its
//! history, and the forms that record a session, a stage move, a milestone and an
//! outcome. The holder's page (`holder`) shows the same history without the forms.

use super::fse::ParticipantView;
use super::{TEAM_ROOT, day, fte, hours, label_of, team_of};
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
use trame_domain::accompaniment::journey::{
    Milestone, MilestoneInput, Outcome, OutcomeInput, Session, SessionInput,
};
use trame_domain::accompaniment::participant::{Entry, EntryInput};
use trame_domain::accompaniment::vocab::{Answer, Education, EntryStatus, SEXES};
use trame_domain::accompaniment::vocab::{MilestoneKind, OutcomeMoment, SessionKind, Stage};
use trame_domain::email::Email;
use trame_domain::money::Euros;
use trame_domain::role::Role;
use trame_store::accompaniment::{ProjectView, Reader, span_of};

/// A project's history as the pages show it.
pub struct Journey {
    /// Everything read.
    pub v: ProjectView,
    /// Stage, written out.
    pub stage: String,
    /// Individual hours used.
    pub used: String,
    /// Allotted.
    pub allocation: String,
    /// Collective hours.
    pub collective: String,
    /// Used hours in percent of the allocation, capped at 100, for the bar.
    pub bar: i64,
    /// Whether the allocation is passed.
    pub over: bool,
    /// Cohort days, written out.
    pub cohort_days: String,
    /// Stage changes: (day, from, to, reason).
    pub stages: Vec<(String, String, String, String)>,
    /// Sessions: (day, kind, duration, adviser, summary).
    pub sessions: Vec<(String, String, String, String, Option<String>)>,
    /// Workshops: (day, theme, speaker, duration).
    pub workshops: Vec<(String, String, String, String)>,
    /// Milestones: (day, kind, detail, note).
    pub milestones: Vec<(String, String, String, String)>,
    /// Outcomes: (moment, day, active, jobs, funds).
    pub outcomes: Vec<(String, String, String, String, String)>,
}

impl Journey {
    /// The history of a project, written out.
    pub fn of(v: ProjectView) -> Journey {
        let p = &v.project;
        let alloc = i64::from(p.allocation_tenths).max(1);
        let stage = |c: &str| label_of(c, Stage::from_code, Stage::label);
        Journey {
            stage: stage(&p.stage),
            used: hours(p.individual_tenths),
            allocation: hours(i64::from(p.allocation_tenths)),
            collective: hours(p.collective_tenths),
            bar: (p.individual_tenths * 100 / alloc).min(100),
            over: p.individual_tenths > i64::from(p.allocation_tenths),
            cohort_days: format!(
                "du {} au {}",
                day(&v.cohort.starts_on),
                day(&v.cohort.ends_on)
            ),
            stages: v
                .stages
                .iter()
                .map(|s| {
                    (
                        day(&s.changed_on),
                        s.from_stage.as_deref().map(stage).unwrap_or_default(),
                        stage(&s.to_stage),
                        s.reason.clone(),
                    )
                })
                .collect(),
            sessions: v
                .sessions
                .iter()
                .map(|s| {
                    (
                        day(&s.held_on),
                        label_of(&s.kind, SessionKind::from_code, SessionKind::label),
                        hours(i64::from(s.tenths)),
                        s.adviser.clone(),
                        s.summary.clone(),
                    )
                })
                .collect(),
            workshops: v
                .workshops
                .iter()
                .map(|w| {
                    (
                        day(&w.held_on),
                        w.theme.clone(),
                        w.speaker.clone(),
                        hours(i64::from(w.tenths)),
                    )
                })
                .collect(),
            milestones: v
                .milestones
                .iter()
                .map(|m| {
                    let detail = match (&m.siret, m.amount_cents) {
                        (Some(s), _) => format!("SIRET {s}"),
                        (None, Some(a)) => Euros::from_cents(a).to_string(),
                        _ => String::new(),
                    };
                    (
                        day(&m.reached_on),
                        label_of(&m.kind, MilestoneKind::from_code, MilestoneKind::label),
                        detail,
                        m.note.clone(),
                    )
                })
                .collect(),
            outcomes: v
                .outcomes
                .iter()
                .map(|o| {
                    (
                        label_of(&o.moment, OutcomeMoment::from_code, OutcomeMoment::label),
                        day(&o.observed_on),
                        if o.active { "Oui" } else { "Non" }.to_owned(),
                        fte(i64::from(o.jobs_tenths)),
                        Euros::from_cents(o.funds_cents).to_string(),
                    )
                })
                .collect(),
            v,
        }
    }
}

/// The forms of the project page, with their errors.
#[derive(Default)]
pub struct Forms {
    session: SessionInput,
    session_errors: Errors,
    stage: StageInput,
    stage_errors: Errors,
    milestone: MilestoneInput,
    milestone_errors: Errors,
    outcome: OutcomeInput,
    outcome_errors: Errors,
    participant: EntryInput,
    participant_errors: Errors,
    showcase_errors: Errors,
    people: PeopleInput,
    people_errors: Errors,
}

/// The form of the project's holder email and referent adviser.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PeopleInput {
    /// The email of the account that follows the project.
    #[serde(default)]
    pub holder_email: String,
    /// The referent adviser's person id, or empty.
    #[serde(default)]
    pub adviser: String,
}

/// The stage form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct StageInput {
    /// Code of the new stage.
    #[serde(default)]
    pub stage: String,
    /// Why, when a stage is skipped or the project steps back.
    #[serde(default)]
    pub reason: String,
}

#[derive(Template)]
#[template(path = "accompaniment/project.html")]
struct ProjectPage {
    chrome: Chrome,
    slug: String,
    root: &'static str,
    j: Journey,
    commune: String,
    staff: bool,
    /// The dossier at the call for projects, once the holder passed the project to it.
    dossier: Option<super::holder::DossierLink>,
    /// Whether the viewer instructs dossiers (and may open this one).
    instructor: bool,
    f: Forms,
    session_kinds: Vec<(String, String)>,
    stages: Vec<(String, String)>,
    milestones: Vec<(String, String)>,
    moments: Vec<(String, String)>,
    participants: Vec<ParticipantView>,
    sexes: Vec<(String, String)>,
    entry_statuses: Vec<(String, String)>,
    educations: Vec<(String, String)>,
    answers: Vec<(String, String)>,
    advisers: Vec<(String, String)>,
}

async fn project_page(
    state: &AppState,
    ctx: &TerritoryCtx,
    user: &CurrentUser,
    chrome: Chrome,
    id: i64,
    mut f: Forms,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let team = team_of(state, ctx, user).await?;
    let v = state
        .store
        .acc_project_view(scope, &Reader::Team(team.clone(), user.person_id), id)
        .await?;
    let participants = state
        .store
        .acc_participants(user.person_id, scope, &team, id)
        .await?
        .into_iter()
        .map(ParticipantView::of)
        .collect();
    let commune = match &v.project.commune_code {
        Some(code) => state
            .store
            .communes(scope)
            .await?
            .into_iter()
            .find(|c| &c.code_insee == code)
            .map_or_else(|| code.clone(), |c| c.name),
        None => "—".into(),
    };
    let dossier = super::holder::DossierLink::of(state, scope, &v.project).await?;
    let instructor = ctx
        .roles
        .iter()
        .any(|r| matches!(r, Role::TerritoryAdmin | Role::Agent));
    if f.session.session_kind.is_empty() {
        f.session.session_kind = SessionKind::Individual.code().into();
    }
    let failed = f.session_errors.any()
        || f.stage_errors.any()
        || f.milestone_errors.any()
        || f.outcome_errors.any()
        || f.participant_errors.any()
        || f.showcase_errors.any()
        || f.people_errors.any();
    let advisers = state
        .store
        .acc_advisers(scope, &team, v.cohort.id)
        .await?
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    if !f.people_errors.any() {
        f.people = PeopleInput {
            holder_email: v.project.holder_email.clone(),
            adviser: v
                .project
                .adviser_id
                .map(|a| a.to_string())
                .unwrap_or_default(),
        };
    }
    let resp = render(&ProjectPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        root: TEAM_ROOT,
        j: Journey::of(v),
        commune,
        staff: super::is_staff(ctx),
        dossier,
        instructor,
        f,
        session_kinds: options(SessionKind::ALL, SessionKind::code, SessionKind::label),
        stages: options(Stage::ALL, Stage::code, Stage::label),
        milestones: options(
            MilestoneKind::ALL,
            MilestoneKind::code,
            MilestoneKind::label,
        ),
        moments: options(
            OutcomeMoment::ALL,
            OutcomeMoment::code,
            OutcomeMoment::label,
        ),
        participants,
        sexes: SEXES
            .iter()
            .map(|(c, l)| ((*c).to_owned(), (*l).to_owned()))
            .collect(),
        entry_statuses: options(EntryStatus::ALL, EntryStatus::code, EntryStatus::label),
        educations: options(Education::ALL, Education::code, Education::label),
        answers: options(Answer::ALL, Answer::code, Answer::label),
        advisers,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/suivi-accompagnement/projets/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    project_page(&state, &ctx, &user, chrome, id, Forms::default()).await
}

fn back(ctx: &TerritoryCtx, id: i64, anchor: &str) -> Response {
    Redirect::to(&format!(
        "/{}/{TEAM_ROOT}/projets/{id}#{anchor}",
        ctx.territory.slug
    ))
    .into_response()
}

/// `POST /{territoire}/suivi-accompagnement/projets/{id}/seances`.
pub async fn record_session(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<SessionInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let team = team_of(&state, &ctx, &user).await?;
    let v = state
        .store
        .acc_project_view(scope, &Reader::Team(team.clone(), user.person_id), id)
        .await?;
    let errors = match Session::parse(&input, span_of(&v.cohort), state.store.today()) {
        Ok(s) => match state
            .store
            .record_acc_session(user.person_id, scope, &team, id, &s)
            .await
        {
            Ok(_) => return Ok(back(&ctx, id, "seances")),
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    let f = Forms {
        session: input,
        session_errors: errors,
        ..Forms::default()
    };
    project_page(&state, &ctx, &user, chrome, id, f).await
}

/// `POST /{territoire}/suivi-accompagnement/projets/{id}/etape`.
pub async fn move_stage(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<StageInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let team = team_of(&state, &ctx, &user).await?;
    let errors = match Stage::from_code(input.stage.trim()) {
        None => {
            let mut e = Errors::default();
            e.add("stage", "Choisissez l'étape.");
            e
        }
        Some(to) => match state
            .store
            .move_acc_stage(user.person_id, scope, &team, id, to, &input.reason)
            .await
        {
            Ok(()) => return Ok(back(&ctx, id, "etapes")),
            Err(trame_store::StoreError::Stale) => {
                let mut e = Errors::default();
                e.add(
                    "stage",
                    "L'étape a changé entre-temps : vérifiez-la avant de recommencer.",
                );
                e
            }
            Err(e) => Errors::from_store(e)?,
        },
    };
    let f = Forms {
        stage: input,
        stage_errors: errors,
        ..Forms::default()
    };
    project_page(&state, &ctx, &user, chrome, id, f).await
}

/// `POST /{territoire}/suivi-accompagnement/projets/{id}/jalons`.
pub async fn record_milestone(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<MilestoneInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let team = team_of(&state, &ctx, &user).await?;
    let errors = match Milestone::parse(&input, state.store.today()) {
        Ok(m) => match state
            .store
            .record_acc_milestone(user.person_id, scope, &team, id, &m)
            .await
        {
            Ok(_) => return Ok(back(&ctx, id, "jalons")),
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    let f = Forms {
        milestone: input,
        milestone_errors: errors,
        ..Forms::default()
    };
    project_page(&state, &ctx, &user, chrome, id, f).await
}

/// `POST /{territoire}/suivi-accompagnement/projets/{id}/resultats`.
pub async fn record_outcome(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<OutcomeInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let team = team_of(&state, &ctx, &user).await?;
    let v = state
        .store
        .acc_project_view(scope, &Reader::Team(team.clone(), user.person_id), id)
        .await?;
    let errors = match Outcome::parse(&input, span_of(&v.cohort).ends_on, state.store.today()) {
        Ok(o) => match state
            .store
            .set_acc_outcome(user.person_id, scope, &team, id, &o)
            .await
        {
            Ok(()) => return Ok(back(&ctx, id, "resultats")),
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    let f = Forms {
        outcome: input,
        outcome_errors: errors,
        ..Forms::default()
    };
    project_page(&state, &ctx, &user, chrome, id, f).await
}

/// `POST /{territoire}/suivi-accompagnement/projets/{id}/participants`.
pub async fn add_participant(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<EntryInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let team = team_of(&state, &ctx, &user).await?;
    let errors = match Entry::parse(&input, state.store.today()) {
        Ok(e) => match state
            .store
            .add_acc_participant(user.person_id, scope, &team, id, &e)
            .await
        {
            Ok(_) => return Ok(back(&ctx, id, "participants")),
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    let f = Forms {
        participant: input,
        participant_errors: errors,
        ..Forms::default()
    };
    project_page(&state, &ctx, &user, chrome, id, f).await
}

/// `POST /{territoire}/suivi-accompagnement/projets/{id}/vitrine`: proposes the project
/// for the showcase, then opens its showcase entry, where the consent is recorded and the
/// entry published.
pub async fn propose_showcase(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    match state
        .store
        .propose_acc_showcase(user.person_id, ctx.territory.scope(), id)
        .await
    {
        Ok(entry) => Ok(Redirect::to(&format!(
            "/{}/admin/projets-soutenus/{entry}",
            ctx.territory.slug
        ))
        .into_response()),
        Err(e) => {
            let f = Forms {
                showcase_errors: Errors::from_store(e)?,
                ..Forms::default()
            };
            project_page(&state, &ctx, &user, chrome, id, f).await
        }
    }
}

/// `POST /{territoire}/suivi-accompagnement/projets/{id}/porteur`: the holder's email
/// (the account that follows the project) and the referent adviser.
pub async fn update_people(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<PeopleInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let team = team_of(&state, &ctx, &user).await?;
    let mut errors = Errors::default();
    let email = match Email::parse(&input.holder_email) {
        Ok(e) => Some(e),
        Err(e) => {
            errors.add("holder_email", e.message);
            None
        }
    };
    let adviser = match input.adviser.trim() {
        "" => Some(None),
        raw => match raw.parse::<i64>() {
            Ok(a) => Some(Some(a)),
            Err(_) => {
                errors.add(
                    "adviser",
                    "Choisissez un conseiller de l'équipe de cette promotion.",
                );
                None
            }
        },
    };
    if let (Some(email), Some(adviser)) = (email, adviser) {
        match state
            .store
            .set_acc_project_people(user.person_id, scope, &team, id, &email, adviser)
            .await
        {
            Ok(()) => return Ok(back(&ctx, id, "porteur")),
            Err(e) => errors = Errors::from_store(e)?,
        }
    }
    let f = Forms {
        people: input,
        people_errors: errors,
        ..Forms::default()
    };
    project_page(&state, &ctx, &user, chrome, id, f).await
}
