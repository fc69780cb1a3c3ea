//! Review, for committee members: their assignments; for each, the declaration of
//! interests first (a conflict recuses them: no dossier, no scores), then the dossier and
//! the scoring grid.

use super::{DossierView, dossier_view, download, path_id};
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
use std::collections::BTreeMap;
use trame_store::funding::review::{MAX_SCORE, ReviewStatus};

/// An assignment as listed.
pub struct AssignmentLine {
    /// Review id.
    pub id: i64,
    /// Dossier reference.
    pub reference: String,
    /// Project title.
    pub title: String,
    /// Status.
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "funding/reviews.html")]
struct ListPage {
    chrome: Chrome,
    slug: String,
    lines: Vec<AssignmentLine>,
    done: usize,
}

/// `GET /{territoire}/evaluation`.
pub async fn list(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let rows = state
        .store
        .reviewer_assignments(ctx.territory.scope(), user.person_id)
        .await?;
    let lines: Vec<AssignmentLine> = rows
        .into_iter()
        .map(|(r, d)| {
            let status = ReviewStatus::of(&r);
            AssignmentLine {
                id: r.id,
                reference: d.reference,
                // Before the declaration, only the reference and the title.
                title: d.title,
                status: status.label(),
            }
        })
        .collect();
    let done = lines
        .iter()
        .filter(|l| {
            l.status != ReviewStatus::ToDeclare.label() && l.status != ReviewStatus::ToScore.label()
        })
        .count();
    render(&ListPage {
        chrome,
        slug: ctx.territory.slug,
        lines,
        done,
    })
}

/// A criterion of the grid with the reviewer's score.
pub struct ScoreInput {
    /// Code.
    pub code: String,
    /// Label.
    pub label: String,
    /// Weight.
    pub weight: i32,
    /// Score as typed or stored.
    pub value: String,
}

#[derive(Template)]
#[template(path = "funding/review.html")]
struct ShowPage {
    chrome: Chrome,
    slug: String,
    id: i64,
    status: ReviewStatus,
    reference: String,
    title: String,
    organisation: String,
    d: Option<DossierView>,
    att_base: String,
    grid: Vec<ScoreInput>,
    comment: String,
    max: i32,
    errors: Errors,
}

async fn show_page(
    state: &AppState,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    id: i64,
    typed: Option<BTreeMap<String, String>>,
    errors: Errors,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let (review, d) = state
        .store
        .reviewer_assignment(scope, user.person_id, id)
        .await?;
    let status = ReviewStatus::of(&review.row);
    let ed = state.store.edition(scope, d.edition_id).await?;
    let organisation = state
        .store
        .organisation(scope, d.organisation_id)
        .await?
        .name;
    let grid = ed
        .criteria
        .iter()
        .map(|c| ScoreInput {
            code: c.code.clone(),
            label: c.label.clone(),
            weight: c.weight_percent,
            value: typed
                .as_ref()
                .and_then(|t| t.get(&c.code).cloned())
                .or_else(|| review.scores.get(&c.code).map(ToString::to_string))
                .unwrap_or_default(),
        })
        .collect();
    let open = matches!(status, ReviewStatus::ToScore | ReviewStatus::Scored);
    let failed = errors.any();
    let resp = render(&ShowPage {
        id,
        status,
        reference: d.reference.clone(),
        title: d.title.clone(),
        organisation,
        att_base: format!("/{}/evaluation/{id}/pieces", ctx.territory.slug),
        d: if open {
            Some(dossier_view(state, scope, d).await?)
        } else {
            None
        },
        grid,
        comment: typed
            .as_ref()
            .and_then(|t| t.get("comment").cloned())
            .unwrap_or(review.row.comment),
        max: MAX_SCORE,
        chrome,
        slug: ctx.territory.slug,
        errors,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/evaluation/{id}`.
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

/// The declaration form.
#[derive(Debug, Default, serde::Deserialize)]
pub struct DeclarationForm {
    #[serde(default)]
    conflict: String,
    #[serde(default)]
    note: String,
}

/// `POST /{territoire}/evaluation/{id}/declaration`.
pub async fn declare(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<DeclarationForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let conflict = match form.conflict.as_str() {
        "oui" => true,
        "non" => false,
        _ => {
            let mut errors = Errors::default();
            errors.add(
                "conflict",
                "Indiquez si vous avez un lien d'intérêt avec ce projet ou cette structure.",
            );
            return show_page(&state, ctx, user, chrome, id, None, errors).await;
        }
    };
    match state
        .store
        .declare_interests(user.person_id, scope, id, conflict, &form.note)
        .await
    {
        Ok(()) => {
            Ok(Redirect::to(&format!("/{}/evaluation/{id}", ctx.territory.slug)).into_response())
        }
        Err(e) => {
            let errors = Errors::from_store(e)?;
            show_page(&state, ctx, user, chrome, id, None, errors).await
        }
    }
}

/// `POST /{territoire}/evaluation/{id}/notes`.
pub async fn score(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let typed: BTreeMap<String, String> = pairs
        .into_iter()
        .filter_map(|(k, v)| {
            if k == "comment" {
                Some((k, v))
            } else {
                k.strip_prefix("score_").map(|c| (c.to_owned(), v))
            }
        })
        .collect();
    let mut scores = BTreeMap::new();
    let mut errors = Errors::default();
    for (k, v) in &typed {
        if k == "comment" {
            continue;
        }
        match v.trim().replace(',', ".").parse::<i32>() {
            Ok(s) if (0..=MAX_SCORE).contains(&s) => {
                scores.insert(k.clone(), s);
            }
            _ => errors.add(
                "scores",
                format!("Chaque note est un nombre entier de 0 à {MAX_SCORE}."),
            ),
        }
    }
    if errors.any() {
        return show_page(&state, ctx, user, chrome, id, Some(typed), errors).await;
    }
    let comment = typed.get("comment").cloned().unwrap_or_default();
    match state
        .store
        .score_dossier(user.person_id, scope, id, &scores, &comment)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/{}/evaluation", ctx.territory.slug)).into_response()),
        Err(e) => {
            let errors = Errors::from_store(e)?;
            show_page(&state, ctx, user, chrome, id, Some(typed), errors).await
        }
    }
}

/// `GET /{territoire}/evaluation/{id}/pieces/{piece}`: only once declared without conflict.
pub async fn attachment(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    Path((_, id, piece)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let (review, d) = state
        .store
        .reviewer_assignment(scope, user.person_id, path_id(&id)?)
        .await?;
    if !matches!(
        ReviewStatus::of(&review.row),
        ReviewStatus::ToScore | ReviewStatus::Scored
    ) {
        return Err(AppError::NotFound);
    }
    let (a, bytes) = state
        .store
        .attachment_content(scope, d.id, path_id(&piece)?)
        .await?;
    Ok(download(&a, bytes))
}
