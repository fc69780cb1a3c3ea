//! The public forum pages: the list, each forum with its employers and offers, and the
//! registration form (online, or by a counsellor for someone they accompany).

use super::ForumLine;
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::pages::funding::path_id;
use crate::pages::pathways::communes;
use crate::pages::{MaybeUser, render};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use trame_domain::pathways::forum::{Registration, RegistrationInput};
use trame_domain::role::Role;

#[derive(Template)]
#[template(path = "forums/public_list.html")]
struct ListPage {
    chrome: Chrome,
    slug: String,
    coming: Vec<ForumLine>,
    past: Vec<ForumLine>,
}

/// `GET /{territoire}/forums`.
pub async fn index(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let today = state.store.today();
    let communes = communes(&state, scope).await?;
    let (past, coming): (Vec<ForumLine>, Vec<ForumLine>) = state
        .store
        .forums(scope)
        .await?
        .iter()
        .map(|f| ForumLine::of(f, today, &communes))
        .partition(|l| l.past);
    render(&ListPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        coming,
        past,
    })
}

/// An offer as the public page shows it.
pub struct OfferLine {
    /// Job title.
    pub title: String,
    /// Contract.
    pub contract: String,
    /// Positions.
    pub positions: i32,
    /// Whether it comes from an insertion-clause contract.
    pub clause: bool,
}

#[derive(Template)]
#[template(path = "forums/public_show.html")]
struct ShowPage {
    chrome: Chrome,
    slug: String,
    f: ForumLine,
    employers: Vec<(String, Vec<OfferLine>)>,
    positions: i32,
    form: RegistrationInput,
    errors: Errors,
    communes: Vec<(String, String)>,
    done: bool,
    counsellor: bool,
}

/// `?inscrit=1` after a registration.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Done {
    /// Set after a registration.
    #[serde(default)]
    pub inscrit: Option<String>,
}

async fn show_page(
    state: &AppState,
    ctx: &TerritoryCtx,
    chrome: Chrome,
    id: i64,
    form: RegistrationInput,
    errors: Errors,
    done: bool,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let v = state.store.forum_view(scope, id).await?;
    let communes = communes(state, scope).await?;
    let today = state.store.today();
    let employers: Vec<(String, Vec<OfferLine>)> = v
        .employers
        .iter()
        .map(|(e, offers)| {
            (
                e.name.clone(),
                offers
                    .iter()
                    .map(|o| OfferLine {
                        title: o.title.clone(),
                        contract: o.contract.clone(),
                        positions: o.positions,
                        clause: o.clause_contract_id.is_some(),
                    })
                    .collect(),
            )
        })
        .collect();
    let positions = employers
        .iter()
        .flat_map(|(_, o)| o.iter().map(|o| o.positions))
        .sum();
    let failed = errors.any();
    let resp = render(&ShowPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        f: ForumLine::of(&v.forum, today, &communes),
        employers,
        positions,
        form,
        errors,
        communes,
        done,
        counsellor: ctx.roles.contains(&Role::Partner),
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/forums/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<Done>,
) -> Result<Response, AppError> {
    let done = q.inscrit.is_some();
    show_page(
        &state,
        &ctx,
        chrome,
        path_id(&id)?,
        RegistrationInput::default(),
        Errors::default(),
        done,
    )
    .await
}

/// `POST /{territoire}/forums/{id}`: a registration, by the person or a counsellor.
pub async fn register(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    MaybeUser(user): MaybeUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<RegistrationInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let codes: Vec<String> = communes(&state, scope)
        .await?
        .into_iter()
        .map(|c| c.0)
        .collect();
    let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
    // A member registers on someone's behalf; the registration is theirs.
    let actor = user.filter(|_| !ctx.roles.is_empty()).map(|u| u.person_id);
    let errors = match Registration::parse(&input, &codes) {
        Ok(r) => match state.store.register_to_forum(actor, scope, id, &r).await {
            Ok(_) => {
                return Ok(Redirect::to(&format!(
                    "/{}/forums/{id}?inscrit=1#inscription",
                    ctx.territory.slug
                ))
                .into_response());
            }
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    show_page(&state, &ctx, chrome, id, input, errors, false).await
}
