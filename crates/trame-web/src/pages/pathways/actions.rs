//! What a counsellor records on a file: barriers, steps, the exit and the six-month
//! situation, shares, and a forum registration. Each answer is the file's page again,
//! with the form's errors, or a redirect to its section.

use super::file::{Forms, back, file_page};
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::Errors;
use crate::middleware::CurrentUser;
use crate::pages::funding::path_id;
use axum::extract::{Form, Path, State};
use axum::response::Response;
use trame_domain::pathways::pathway::{
    BarrierEntry, BarrierInput, Exit, ExitInput, Step, StepInput, check_follow_up,
};
/// `POST /{territoire}/parcours/{id}/freins`.
pub async fn add_barrier(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<BarrierInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let errors = match BarrierEntry::parse(&input) {
        Ok(b) => match state
            .store
            .add_path_barrier(user.person_id, ctx.territory.scope(), id, &b)
            .await
        {
            Ok(_) => return Ok(back(&ctx, id, "freins")),
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    let f = Forms {
        barrier: input,
        barrier_errors: errors,
        ..Forms::default()
    };
    file_page(&state, &ctx, &user, chrome, id, f).await
}

/// A form that names one row of the file.
#[derive(Debug, Default, serde::Deserialize)]
pub struct RowInput {
    /// The row's id.
    #[serde(default)]
    pub row: String,
}

/// `POST /{territoire}/parcours/{id}/freins/lever`.
pub async fn lift_barrier(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<RowInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let mut errors = Errors::default();
    match input.row.trim().parse::<i64>() {
        Err(_) => errors.add("barrier", "Choisissez le frein levé."),
        Ok(row) => match state
            .store
            .lift_path_barrier(user.person_id, ctx.territory.scope(), id, row)
            .await
        {
            Ok(()) => return Ok(back(&ctx, id, "freins")),
            Err(e) => errors = Errors::from_store(e)?,
        },
    }
    let f = Forms {
        barrier_errors: errors,
        ..Forms::default()
    };
    file_page(&state, &ctx, &user, chrome, id, f).await
}

/// `POST /{territoire}/parcours/{id}/etapes`.
pub async fn add_step(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<StepInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let v = state.store.path_file(user.person_id, scope, id).await?;
    let errors = match Step::parse(&input, v.days(), state.store.today()) {
        Ok(s) => match state
            .store
            .add_path_step(user.person_id, scope, id, &s)
            .await
        {
            Ok(_) => return Ok(back(&ctx, id, "etapes")),
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    let f = Forms {
        step: input,
        step_errors: errors,
        ..Forms::default()
    };
    file_page(&state, &ctx, &user, chrome, id, f).await
}

/// A step's change: which step, and its new values.
#[derive(Debug, Default, serde::Deserialize)]
pub struct StepChange {
    /// The step's id.
    #[serde(default)]
    pub row: String,
    /// Its values.
    #[serde(flatten)]
    pub step: StepInput,
}

/// `POST /{territoire}/parcours/{id}/etapes/modifier`.
pub async fn update_step(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<StepChange>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let v = state.store.path_file(user.person_id, scope, id).await?;
    let Ok(row) = input.row.trim().parse::<i64>() else {
        let mut errors = Errors::default();
        errors.add("step_kind", "Choisissez l'étape à modifier.");
        let f = Forms {
            step_errors: errors,
            ..Forms::default()
        };
        return file_page(&state, &ctx, &user, chrome, id, f).await;
    };
    let errors = match Step::parse(&input.step, v.days(), state.store.today()) {
        Ok(s) => match state
            .store
            .update_path_step(user.person_id, scope, id, row, &s)
            .await
        {
            Ok(()) => return Ok(back(&ctx, id, "etapes")),
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    let f = Forms {
        editing: Some((row, input.step, errors)),
        ..Forms::default()
    };
    file_page(&state, &ctx, &user, chrome, id, f).await
}

/// `POST /{territoire}/parcours/{id}/sortie`.
pub async fn record_exit(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<ExitInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let v = state.store.path_file(user.person_id, scope, id).await?;
    let errors = match Exit::parse(&input, v.days(), state.store.today()) {
        Ok(e) => match state
            .store
            .exit_path_file(user.person_id, scope, id, &e)
            .await
        {
            Ok(()) => return Ok(back(&ctx, id, "sortie")),
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    let f = Forms {
        exit: input,
        exit_errors: errors,
        ..Forms::default()
    };
    file_page(&state, &ctx, &user, chrome, id, f).await
}

/// The six-month situation as typed.
#[derive(Debug, Default, serde::Deserialize)]
pub struct FollowUpInput {
    /// A code of [`ExitStatus`].
    #[serde(default)]
    pub situation: String,
}

/// `POST /{territoire}/parcours/{id}/suivi`.
pub async fn record_follow_up(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<FollowUpInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let v = state.store.path_file(user.person_id, scope, id).await?;
    let exited = v
        .file
        .exited_on
        .as_deref()
        .and_then(trame_domain::format::parse_iso_date);
    let mut errors = Errors::default();
    match exited {
        None => errors.add("situation", "Enregistrez d'abord la sortie du parcours."),
        Some(d) => match check_follow_up(&input.situation, d, state.store.today()) {
            Ok(s) => match state
                .store
                .path_follow_up(user.person_id, scope, id, s)
                .await
            {
                Ok(()) => return Ok(back(&ctx, id, "sortie")),
                Err(e) => errors = Errors::from_store(e)?,
            },
            Err((field, message)) => errors.add(field, message),
        },
    }
    let f = Forms {
        follow_up: input.situation,
        follow_up_errors: errors,
        ..Forms::default()
    };
    file_page(&state, &ctx, &user, chrome, id, f).await
}

/// The organisation to share with, or to stop sharing with.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ShareInput {
    /// The organisation's id.
    #[serde(default)]
    pub organisation: String,
}

/// `POST /{territoire}/parcours/{id}/partage`.
pub async fn share(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<ShareInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let mut errors = Errors::default();
    match input.organisation.trim().parse::<i64>() {
        Err(_) => errors.add("organisation", "Choisissez l'organisation."),
        Ok(org) => match state
            .store
            .share_path_file(user.person_id, ctx.territory.scope(), id, org)
            .await
        {
            Ok(()) => return Ok(back(&ctx, id, "partage")),
            Err(e) => errors = Errors::from_store(e)?,
        },
    }
    let f = Forms {
        share: input.organisation,
        share_errors: errors,
        ..Forms::default()
    };
    file_page(&state, &ctx, &user, chrome, id, f).await
}

/// `POST /{territoire}/parcours/{id}/partage/retirer`.
pub async fn unshare(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<ShareInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let mut errors = Errors::default();
    match input.organisation.trim().parse::<i64>() {
        Err(_) => errors.add("organisation", "Choisissez le partage à retirer."),
        Ok(org) => match state
            .store
            .unshare_path_file(user.person_id, ctx.territory.scope(), id, org)
            .await
        {
            Ok(()) => return Ok(back(&ctx, id, "partage")),
            Err(trame_store::StoreError::NotFound) => {
                errors.add("organisation", "Le dossier n'est pas partagé avec elle.");
            }
            Err(e) => errors = Errors::from_store(e)?,
        },
    }
    let f = Forms {
        share_errors: errors,
        ..Forms::default()
    };
    file_page(&state, &ctx, &user, chrome, id, f).await
}

/// The forum to register the person to.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ForumChoice {
    /// The forum's id.
    #[serde(default)]
    pub forum: String,
}

/// `POST /{territoire}/parcours/{id}/forum`.
pub async fn register_to_forum(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<ForumChoice>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let mut errors = Errors::default();
    match input.forum.trim().parse::<i64>() {
        Err(_) => errors.add("forum", "Choisissez le forum."),
        Ok(forum) => match state
            .store
            .register_file_to_forum(user.person_id, ctx.territory.scope(), id, forum)
            .await
        {
            Ok(_) => return Ok(back(&ctx, id, "forums")),
            Err(trame_store::StoreError::NotFound) => {
                errors.add("forum", "Choisissez un forum de la liste.");
            }
            Err(e) => errors = Errors::from_store(e)?,
        },
    }
    let f = Forms {
        forum: input.forum,
        forum_errors: errors,
        ..Forms::default()
    };
    file_page(&state, &ctx, &user, chrome, id, f).await
}
