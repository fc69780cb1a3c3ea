//! The holder's pages: the projects whose application gave the viewer's email, with
//! their sessions (summaries included), workshops, stages, milestones and outcomes.

use super::day;
use super::projects::Journey;
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::middleware::CurrentUser;
use crate::pages::funding::path_id;
use crate::pages::render;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
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
            let since = day(&p.created_at.date().to_string());
            (p, since)
        })
        .collect();
    render(&MinePage {
        chrome,
        slug: ctx.territory.slug.clone(),
        projects,
    })
}

#[derive(Template)]
#[template(path = "accompaniment/my_project.html")]
struct MyProjectPage {
    chrome: Chrome,
    slug: String,
    j: Journey,
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
    let v = state
        .store
        .acc_project_view(
            ctx.territory.scope(),
            &Reader::Holder(user.person_id, user.email.clone()),
            id,
        )
        .await?;
    render(&MyProjectPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        j: Journey::of(v),
    })
}
