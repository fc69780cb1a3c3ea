//! Members of a territory: list, roles, deactivation and reactivation.

use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::render;
use askama::Template;
use axum::extract::{Path, RawForm, State};
use axum::response::{IntoResponse, Redirect, Response};
use trame_domain::role::Role;
use trame_store::accounts::MemberView;

#[derive(Template)]
#[template(path = "admin/members.html")]
struct MembersPage {
    chrome: Chrome,
    slug: String,
    territory_name: String,
    members: Vec<MemberView>,
}

/// `GET /{territoire}/admin/membres`: a read of personal data, written to the access log.
pub async fn list(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let members = state.store.members(scope).await?;
    state
        .store
        .log_access(
            user.person_id,
            Some(scope.territory_id()),
            "members.list",
            &format!("territory:{}/members", scope.territory_id()),
        )
        .await?;
    render(&MembersPage {
        chrome,
        slug: ctx.territory.slug,
        territory_name: ctx.territory.name,
        members,
    })
}

#[derive(Template)]
#[template(path = "admin/member.html")]
struct MemberPage {
    chrome: Chrome,
    slug: String,
    member: MemberView,
    errors: Errors,
    all_roles: [Role; 8],
    is_self: bool,
    communes: Vec<trame_store::territories::Commune>,
    referent_of: Vec<String>,
}

impl MemberPage {
    fn has(&self, role: &Role) -> bool {
        self.member.roles.contains(role)
    }

    fn is_referent(&self) -> bool {
        self.member.roles.contains(&Role::CommuneReferent)
    }

    fn refers_to(&self, code: &str) -> bool {
        self.referent_of.iter().any(|c| c == code)
    }
}

async fn member_page(
    state: &AppState,
    ctx: &TerritoryCtx,
    user: &CurrentUser,
    chrome: Chrome,
    person_id: i64,
    errors: Errors,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let member = state
        .store
        .members(scope)
        .await?
        .into_iter()
        .find(|m| m.person.id == person_id)
        .ok_or(AppError::NotFound)?;
    state
        .store
        .log_access(
            user.person_id,
            Some(scope.territory_id()),
            "member.show",
            &format!("person:{person_id}"),
        )
        .await?;
    let communes = state.store.communes(scope).await?;
    let referent_of = state.store.referent_communes(scope, person_id).await?;
    let failed = errors.any();
    let page = render(&MemberPage {
        communes,
        referent_of,
        chrome,
        slug: ctx.territory.slug.clone(),
        member,
        errors,
        all_roles: Role::ALL,
        is_self: person_id == user.person_id,
    })?;
    Ok(if failed { unprocessable(page) } else { page })
}

fn person_id(raw: &str) -> Result<i64, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// `GET /{territoire}/admin/membres/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    member_page(
        &state,
        &ctx,
        &user,
        chrome,
        person_id(&id)?,
        Errors::default(),
    )
    .await
}

/// `POST /{territoire}/admin/membres/{id}/roles`: the checked roles become the member's.
pub async fn set_roles(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let id = person_id(&id)?;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&body).map_err(|_| AppError::BadRequest("form"))?;
    let roles: Vec<Role> = pairs
        .iter()
        .filter(|(k, _)| k == "roles")
        .filter_map(|(_, v)| Role::from_code(v))
        .collect();
    match state
        .store
        .set_member_roles(user.person_id, ctx.territory.scope(), id, &roles)
        .await
    {
        Ok(()) => Ok(
            Redirect::to(&format!("/{}/admin/membres/{id}", ctx.territory.slug)).into_response(),
        ),
        Err(e) => {
            let errors = Errors::from_store(e)?;
            member_page(&state, &ctx, &user, chrome, id, errors).await
        }
    }
}

/// `POST /{territoire}/admin/membres/{id}/desactiver`.
pub async fn disable(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = person_id(&id)?;
    match state
        .store
        .disable_member(user.person_id, ctx.territory.scope(), id)
        .await
    {
        Ok(()) => Ok(
            Redirect::to(&format!("/{}/admin/membres/{id}", ctx.territory.slug)).into_response(),
        ),
        Err(e) => {
            let errors = Errors::from_store(e)?;
            member_page(&state, &ctx, &user, chrome, id, errors).await
        }
    }
}

/// `POST /{territoire}/admin/membres/{id}/reactiver`.
pub async fn enable(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = person_id(&id)?;
    state
        .store
        .enable_member(user.person_id, ctx.territory.scope(), id)
        .await?;
    Ok(Redirect::to(&format!("/{}/admin/membres/{id}", ctx.territory.slug)).into_response())
}

/// `POST /{territoire}/admin/membres/{id}/communes`: the communes a commune referent
/// answers for.
pub async fn set_communes(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let id = person_id(&id)?;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&body).map_err(|_| AppError::BadRequest("form"))?;
    let codes: Vec<String> = pairs
        .into_iter()
        .filter(|(k, _)| k == "communes")
        .map(|(_, v)| v)
        .collect();
    let scope = ctx.territory.scope();
    if !state
        .store
        .members(scope)
        .await?
        .iter()
        .any(|m| m.person.id == id)
    {
        return Err(AppError::NotFound);
    }
    match state
        .store
        .set_referent_communes(user.person_id, scope, id, &codes)
        .await
    {
        Ok(()) => Ok(
            Redirect::to(&format!("/{}/admin/membres/{id}", ctx.territory.slug)).into_response(),
        ),
        Err(e) => {
            let errors = Errors::from_store(e)?;
            member_page(&state, &ctx, &user, chrome, id, errors).await
        }
    }
}
