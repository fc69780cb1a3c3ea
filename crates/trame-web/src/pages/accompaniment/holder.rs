//! The holder's pages: the projects whose application gave the viewer's email, with
//! their sessions (summaries included), workshops, stages, milestones and outcomes; and
//! the hand-over of a project to the call for projects, its dossier pre-filled.

use super::day;
use super::projects::Journey;
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::funding::path_id;
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use trame_domain::format::paris_datetime;
use trame_domain::format::paris_day;
use trame_domain::funding::dossier::State as DState;
use trame_domain::funding::edition::eligibility;
use trame_domain::organisation::LegalForm;
use trame_store::accompaniment::{ProjectRow, Reader};

#[derive(Template)]
#[template(path = "accompaniment/mine.html")]
struct MinePage {
    chrome: Chrome,
    slug: String,
    projects: Vec<(ProjectRow, String)>,
}

/// `GET /{territoire}/mon-accompagnement`.
pub async fn index(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let projects = state
        .store
        .acc_holder_projects(ctx.territory.scope(), &user.email)
        .await?
        .into_iter()
        .map(|p| {
            let since = day(&paris_day(p.created_at).to_string());
            (p, since)
        })
        .collect();
    render(&MinePage {
        chrome,
        slug: ctx.territory.slug.clone(),
        projects,
    })
}

/// The project's dossier at the call for projects, as the holder and the team see it.
pub struct DossierLink {
    /// Id.
    pub id: i64,
    /// Reference.
    pub reference: String,
    /// State, written out.
    pub state: &'static str,
}

impl DossierLink {
    /// The project's dossier, if it was passed to the call for projects.
    pub async fn of(
        state: &AppState,
        scope: trame_store::Scope,
        p: &ProjectRow,
    ) -> Result<Option<DossierLink>, AppError> {
        let Some(id) = p.dossier_id else {
            return Ok(None);
        };
        let d = state.store.acc_project_dossier(scope, id).await?;
        Ok(Some(DossierLink {
            id: d.id,
            reference: d.reference,
            state: DState::from_code(&d.state).unwrap_or(DState::Draft).label(),
        }))
    }
}

/// The hand-over form: an open edition and the organisation that applies.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct HandoverForm {
    /// The edition's id.
    #[serde(default)]
    pub edition: String,
    /// The organisation's id.
    #[serde(default)]
    pub organisation: String,
}

#[derive(Template)]
#[template(path = "accompaniment/my_project.html")]
struct MyProjectPage {
    chrome: Chrome,
    slug: String,
    j: Journey,
    dossier: Option<DossierLink>,
    editions: Vec<(String, String)>,
    organisations: Vec<(String, String)>,
    form: HandoverForm,
    errors: Errors,
}

/// `GET /{territoire}/mon-accompagnement/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    my_project(
        &state,
        &ctx,
        &user,
        chrome,
        id,
        HandoverForm::default(),
        Errors::default(),
    )
    .await
}

/// The editions of the call for projects that accept a dossier today: (id, title).
async fn open_editions(
    state: &AppState,
    scope: trame_store::Scope,
) -> Result<Vec<(String, String)>, AppError> {
    let now = state.store.now();
    Ok(state
        .store
        .published_editions(scope)
        .await?
        .into_iter()
        .filter(|e| e.published_at.is_some() && now >= e.opens_at && now <= e.closes_at)
        .map(|e| {
            let closes = paris_datetime(e.closes_at);
            (e.id.to_string(), format!("{} (jusqu'au {closes})", e.title))
        })
        .collect())
}

async fn my_project(
    state: &AppState,
    ctx: &TerritoryCtx,
    user: &CurrentUser,
    chrome: Chrome,
    id: i64,
    mut form: HandoverForm,
    errors: Errors,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let v = state
        .store
        .acc_project_view(
            scope,
            &Reader::Holder(user.person_id, user.email.clone()),
            id,
        )
        .await?;
    let dossier = DossierLink::of(state, scope, &v.project).await?;
    let (editions, organisations) = if dossier.is_some() {
        (Vec::new(), Vec::new())
    } else {
        let orgs = state
            .store
            .person_organisations(scope, user.person_id)
            .await?
            .into_iter()
            .map(|o| (o.id.to_string(), o.name))
            .collect::<Vec<_>>();
        (open_editions(state, scope).await?, orgs)
    };
    // One choice only: it is the default.
    if form.edition.is_empty() && editions.len() == 1 {
        form.edition = editions.first().map(|e| e.0.clone()).unwrap_or_default();
    }
    if form.organisation.is_empty() && organisations.len() == 1 {
        form.organisation = organisations
            .first()
            .map(|o| o.0.clone())
            .unwrap_or_default();
    }
    let failed = errors.any();
    let resp = render(&MyProjectPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        j: Journey::of(v),
        dossier,
        editions,
        organisations,
        form,
        errors,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `POST /{territoire}/mon-accompagnement/{id}/appel-a-projets`: the holder opens the
/// project's dossier at the call for projects, pre-filled, and goes on to complete it.
pub async fn pass_to_call(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<HandoverForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    // The project first: anyone but its holder gets 404, whatever the form says. A
    // project that has its dossier already (a second click) leads to it.
    let v = state
        .store
        .acc_project_view(
            scope,
            &Reader::Holder(user.person_id, user.email.clone()),
            id,
        )
        .await?;
    if let Some(d) = v.project.dossier_id {
        return Ok(
            Redirect::to(&format!("/{}/mes-dossiers/{d}", ctx.territory.slug)).into_response(),
        );
    }
    let mut errors = Errors::default();
    let open = open_editions(&state, scope).await?;
    let edition = form
        .edition
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|e| open.iter().any(|(id, _)| *id == e.to_string()));
    if edition.is_none() {
        errors.add(
            "edition",
            "Choisissez un appel à projets ouvert aujourd'hui.",
        );
    }
    let orgs = state
        .store
        .person_organisations(scope, user.person_id)
        .await?;
    let org = form
        .organisation
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|id| orgs.iter().find(|o| o.id == id));
    match (edition, org) {
        (Some(edition), Some(org)) => {
            let ed = state.store.edition(scope, edition).await?;
            let legal = LegalForm::from_code(&org.legal_form).unwrap_or(LegalForm::Entreprise);
            if let Err(m) = eligibility(
                legal,
                org.esus_approved_on,
                &ed.allowed_forms(),
                state.store.today(),
            ) {
                errors.add("organisation", m);
            } else {
                match state
                    .store
                    .acc_pass_to_call(user.person_id, &user.email, scope, id, edition, org.id)
                    .await
                {
                    Ok(d) => {
                        return Ok(Redirect::to(&format!(
                            "/{}/mes-dossiers/{}",
                            ctx.territory.slug, d.id
                        ))
                        .into_response());
                    }
                    Err(e) => errors = Errors::from_store(e)?,
                }
            }
        }
        (_, None) => errors.add("organisation", "Choisissez la structure qui dépose."),
        (None, Some(_)) => {}
    }
    my_project(&state, &ctx, &user, chrome, id, form, errors).await
}
