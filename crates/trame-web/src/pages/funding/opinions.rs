//! Commune opinions, for the commune referents: the requests for their communes, and the
//! answer — favourable, reserved or unfavourable, with a comment — before the deadline.

use super::{DossierView, dossier_view, path_id};
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
use trame_domain::format::paris_datetime;
use trame_store::funding::instruction::{ANSWERS, opinion_status};

/// A request as listed.
pub struct OpinionLine {
    /// Request id.
    pub id: i64,
    /// Dossier reference.
    pub reference: String,
    /// Project title.
    pub title: String,
    /// Commune name.
    pub commune: String,
    /// Status.
    pub status: String,
}

#[derive(Template)]
#[template(path = "funding/opinions.html")]
struct ListPage {
    chrome: Chrome,
    slug: String,
    communes: Vec<String>,
    opinions: Vec<OpinionLine>,
}

/// `GET /{territoire}/avis`.
pub async fn list(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let now = state.store.now();
    let communes = state.store.communes(scope).await?;
    let name = |code: &str| {
        communes
            .iter()
            .find(|c| c.code_insee == code)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| code.to_owned())
    };
    let mut opinions = Vec::new();
    for (o, d) in state.store.referent_opinions(scope, user.person_id).await? {
        let ed = state.store.edition(scope, d.edition_id).await?;
        opinions.push(OpinionLine {
            id: o.id,
            reference: d.reference,
            title: d.title,
            commune: name(&o.commune_code),
            status: opinion_status(&o, ed.row.deemed_favourable, now),
        });
    }
    let mine = state
        .store
        .referent_communes(scope, user.person_id)
        .await?
        .iter()
        .map(|c| name(c))
        .collect();
    render(&ListPage {
        chrome,
        slug: ctx.territory.slug,
        communes: mine,
        opinions,
    })
}

#[derive(Template)]
#[template(path = "funding/opinion.html")]
struct ShowPage {
    chrome: Chrome,
    slug: String,
    id: i64,
    d: DossierView,
    att_base: String,
    commune: String,
    due: String,
    status: String,
    open: bool,
    answers: [(&'static str, &'static str); 3],
    answer: String,
    comment: String,
    errors: Errors,
}

impl ShowPage {
    fn is_answer(&self, code: &str) -> bool {
        self.answer == code
    }
}

async fn show_page(
    state: &AppState,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    id: i64,
    typed: Option<AnswerForm>,
    errors: Errors,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let (o, d) = state
        .store
        .referent_opinion(scope, user.person_id, id)
        .await?;
    let ed = state.store.edition(scope, d.edition_id).await?;
    let now = state.store.now();
    let commune = state
        .store
        .communes(scope)
        .await?
        .into_iter()
        .find(|c| c.code_insee == o.commune_code)
        .map(|c| c.name)
        .unwrap_or_default();
    let typed = typed.unwrap_or_default();
    let failed = errors.any();
    let resp = render(&ShowPage {
        id,
        commune,
        due: paris_datetime(o.due_at),
        status: opinion_status(&o, ed.row.deemed_favourable, now),
        open: o.answer.is_none() && now <= o.due_at,
        answers: ANSWERS,
        answer: typed.answer,
        comment: typed.comment,
        att_base: String::new(),
        d: dossier_view(state, scope, d).await?,
        chrome,
        slug: ctx.territory.slug,
        errors,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/avis/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    show_page(
        &state,
        ctx,
        user,
        chrome,
        path_id(&id)?,
        None,
        Errors::default(),
    )
    .await
}

/// The answer form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
    #[serde(default)]
    comment: String,
}

/// `POST /{territoire}/avis/{id}`.
pub async fn answer(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    match state
        .store
        .answer_opinion(user.person_id, scope, id, &form.answer, &form.comment)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/{}/avis/{id}", ctx.territory.slug)).into_response()),
        Err(e) => {
            let errors = Errors::from_store(e)?;
            show_page(&state, ctx, user, chrome, id, Some(form), errors).await
        }
    }
}
