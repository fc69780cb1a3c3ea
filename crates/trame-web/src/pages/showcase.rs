//! The showcase of supported ESS projects: the public page (published projects only, and
//! a project is published only with its structure's consent) and the agents' pages
//! (write a project, record the consent, publish, propose the call's laureates).

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
use std::collections::BTreeMap;
use trame_domain::showcase::{Project, ProjectInput};
use trame_store::funding::awards::paris_day;
use trame_store::showcase::ProjectRow;
use trame_store::territories::Commune;

/// A project as the pages show it.
pub struct ProjectView {
    /// The row.
    pub p: ProjectRow,
    /// Its commune's name, if any.
    pub commune: Option<String>,
}

fn with_communes(rows: Vec<ProjectRow>, communes: &[Commune]) -> Vec<ProjectView> {
    let names: BTreeMap<&str, &str> = communes
        .iter()
        .map(|c| (c.code_insee.as_str(), c.name.as_str()))
        .collect();
    rows.into_iter()
        .map(|p| ProjectView {
            commune: p
                .commune_code
                .as_deref()
                .and_then(|c| names.get(c))
                .map(|n| (*n).to_owned()),
            p,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "showcase/public.html")]
struct PublicPage {
    chrome: Chrome,
    territory: String,
    years: Vec<(i32, Vec<ProjectView>)>,
    total: usize,
}

/// `GET /{territoire}/projets-soutenus`.
pub async fn public(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let communes = state.store.communes(scope).await?;
    let projects = with_communes(state.store.showcase(scope, true).await?, &communes);
    let total = projects.len();
    let mut years: Vec<(i32, Vec<ProjectView>)> = Vec::new();
    for v in projects {
        match years.last_mut() {
            Some((y, list)) if *y == v.p.year => list.push(v),
            _ => years.push((v.p.year, vec![v])),
        }
    }
    render(&PublicPage {
        chrome,
        territory: ctx.territory.name.clone(),
        years,
        total,
    })
}

#[derive(Template)]
#[template(path = "showcase/admin.html")]
struct AdminPage {
    chrome: Chrome,
    slug: String,
    projects: Vec<ProjectView>,
    proposed: Option<String>,
}

/// The admin list's query.
#[derive(Debug, Default, serde::Deserialize)]
pub struct AdminQuery {
    /// How many laureates were just proposed.
    #[serde(default)]
    proposes: Option<String>,
}

/// `GET /{territoire}/admin/projets-soutenus`.
pub async fn admin(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    axum::extract::Query(q): axum::extract::Query<AdminQuery>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let communes = state.store.communes(scope).await?;
    render(&AdminPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        projects: with_communes(state.store.showcase(scope, false).await?, &communes),
        proposed: q.proposes.filter(|n| n.chars().all(|c| c.is_ascii_digit())),
    })
}

/// `POST /{territoire}/admin/projets-soutenus/laureats`.
pub async fn propose(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let n = state
        .store
        .propose_laureates(user.person_id, ctx.territory.scope())
        .await?;
    Ok(Redirect::to(&format!(
        "/{}/admin/projets-soutenus?proposes={n}",
        ctx.territory.slug
    ))
    .into_response())
}

#[derive(Template)]
#[template(path = "showcase/form.html")]
struct FormPage {
    chrome: Chrome,
    slug: String,
    id: Option<i64>,
    from_award: bool,
    form: ProjectInput,
    errors: Errors,
    communes: Vec<Commune>,
}

async fn form_page(
    state: &AppState,
    ctx: TerritoryCtx,
    chrome: Chrome,
    id: Option<i64>,
    form: ProjectInput,
    errors: Errors,
) -> Result<Response, AppError> {
    let failed = errors.any();
    let scope = ctx.territory.scope();
    let from_award = match id {
        Some(id) => state
            .store
            .showcase_project(scope, id)
            .await?
            .award_id
            .is_some(),
        None => false,
    };
    let resp = render(&FormPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        id,
        from_award,
        form,
        errors,
        communes: state.store.communes(scope).await?,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/admin/projets-soutenus/nouveau`.
pub async fn new_form(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let year = paris_day(state.store.now()).year().to_string();
    let form = ProjectInput {
        year,
        ..ProjectInput::default()
    };
    form_page(&state, ctx, chrome, None, form, Errors::default()).await
}

/// The form checked, the commune against the territory's.
async fn checked(
    state: &AppState,
    ctx: &TerritoryCtx,
    input: &ProjectInput,
) -> Result<Result<Project, Errors>, AppError> {
    let mut errors = Errors::default();
    let project = match Project::parse(input, paris_day(state.store.now())) {
        Ok(p) => Some(p),
        Err(e) => {
            errors = Errors(e);
            None
        }
    };
    let code = input.commune_code.trim();
    if !code.is_empty()
        && !state
            .store
            .communes(ctx.territory.scope())
            .await?
            .iter()
            .any(|c| c.code_insee == code)
    {
        errors.add("commune_code", "Choisissez une commune du territoire.");
    }
    Ok(match project {
        Some(p) if !errors.any() => Ok(p),
        _ => Err(errors),
    })
}

/// `POST /{territoire}/admin/projets-soutenus/nouveau`.
pub async fn create(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Form(input): Form<ProjectInput>,
) -> Result<Response, AppError> {
    let errors = match checked(&state, &ctx, &input).await? {
        Ok(p) => match state
            .store
            .create_showcase_project(user.person_id, ctx.territory.scope(), &p)
            .await
        {
            Ok(_) => {
                return Ok(Redirect::to(&format!(
                    "/{}/admin/projets-soutenus",
                    ctx.territory.slug
                ))
                .into_response());
            }
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => e,
    };
    form_page(&state, ctx, chrome, None, input, errors).await
}

/// `GET /{territoire}/admin/projets-soutenus/{id}`.
pub async fn edit_form(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let p = state
        .store
        .showcase_project(ctx.territory.scope(), id)
        .await?;
    let form = ProjectInput {
        name: p.name,
        mission: p.mission,
        website: p.website.unwrap_or_default(),
        commune_code: p.commune_code.unwrap_or_default(),
        scheme: p.scheme,
        year: p.year.to_string(),
        consent_on: p.consent_on.unwrap_or_default(),
        consent_note: p.consent_note,
        published: if p.published {
            "1".into()
        } else {
            String::new()
        },
    };
    form_page(&state, ctx, chrome, Some(id), form, Errors::default()).await
}

/// `POST /{territoire}/admin/projets-soutenus/{id}`.
pub async fn update(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<ProjectInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    state
        .store
        .showcase_project(ctx.territory.scope(), id)
        .await?;
    let errors = match checked(&state, &ctx, &input).await? {
        Ok(p) => match state
            .store
            .update_showcase_project(user.person_id, ctx.territory.scope(), id, &p)
            .await
        {
            Ok(()) => {
                return Ok(Redirect::to(&format!(
                    "/{}/admin/projets-soutenus",
                    ctx.territory.slug
                ))
                .into_response());
            }
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => e,
    };
    form_page(&state, ctx, chrome, Some(id), input, errors).await
}
