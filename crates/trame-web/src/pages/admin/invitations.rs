//! Invitations sent by the territory administrator.

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
use serde::Deserialize;
use trame_domain::email::Email;
use trame_domain::format::paris_datetime;
use trame_domain::role::Role;
use trame_store::invitations::{InvitationState, NewInvitation, state_of};
use trame_store::organisations::OrganisationRow;

struct Row {
    id: i64,
    email: String,
    role: &'static str,
    state: String,
    pending: bool,
}

/// The invitation form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    organisation: String,
}

#[derive(Template)]
#[template(path = "admin/invitations.html")]
struct Page {
    chrome: Chrome,
    slug: String,
    rows: Vec<Row>,
    form: InviteForm,
    errors: Errors,
    roles: [Role; 8],
    organisations: Vec<OrganisationRow>,
    sent_to: Option<String>,
}

/// `?envoyee=adresse` after an invitation was sent.
#[derive(Debug, Deserialize)]
pub struct Sent {
    envoyee: Option<String>,
}

async fn page(
    state: &AppState,
    ctx: TerritoryCtx,
    chrome: Chrome,
    form: InviteForm,
    errors: Errors,
    sent_to: Option<String>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let now = state.store.now();
    let rows = state
        .store
        .invitations(scope, 100)
        .await?
        .into_iter()
        .map(|i| {
            let st = state_of(&i, now);
            Row {
                id: i.id,
                role: Role::from_code(&i.role).map(Role::label).unwrap_or("—"),
                pending: matches!(st, InvitationState::Pending(_)),
                state: match st {
                    InvitationState::Pending(until) => {
                        format!("en attente jusqu'au {}", paris_datetime(until))
                    }
                    InvitationState::Expired => "expirée".into(),
                    InvitationState::Accepted => "acceptée".into(),
                    InvitationState::Revoked => "retirée".into(),
                },
                email: i.email,
            }
        })
        .collect();
    let failed = errors.any();
    let organisations = state.store.organisations(scope).await?;
    let resp = render(&Page {
        chrome,
        slug: ctx.territory.slug,
        rows,
        form,
        errors,
        roles: Role::ALL,
        organisations,
        sent_to,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/admin/invitations`.
pub async fn list(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    q: axum::extract::Query<Sent>,
) -> Result<Response, AppError> {
    page(
        &state,
        ctx,
        chrome,
        InviteForm::default(),
        Errors::default(),
        q.0.envoyee,
    )
    .await
}

/// `POST /{territoire}/admin/invitations`: invites an address, and queues the email.
pub async fn create(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    let mut errors = Errors::default();
    let email = Email::parse(&form.email)
        .map_err(|e| errors.add("email", e.message))
        .ok();
    let role = Role::from_code(&form.role);
    if role.is_none() {
        errors.add("role", "Choisissez le rôle donné à la personne invitée.");
    }
    let organisation_id = if form.organisation.is_empty() {
        None
    } else {
        match form.organisation.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.add("organisation", "Choisissez une organisation de la liste.");
                None
            }
        }
    };
    if let (Some(email), Some(role), false) = (&email, role, errors.any()) {
        let new = NewInvitation {
            email,
            role,
            organisation_id,
            link_base: &state.config.public_url,
        };
        match state
            .store
            .invite(user.person_id, ctx.territory.scope(), new)
            .await
        {
            Ok(_) => {
                let to = crate::urls::encode_component(email.as_str());
                return Ok(Redirect::to(&format!(
                    "/{}/admin/invitations?envoyee={to}",
                    ctx.territory.slug
                ))
                .into_response());
            }
            Err(e) => errors = Errors::from_store(e)?,
        }
    }
    page(&state, ctx, chrome, form, errors, None).await
}

/// `POST /{territoire}/admin/invitations/{id}/retirer`.
pub async fn revoke(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    match state
        .store
        .revoke_invitation(user.person_id, ctx.territory.scope(), id)
        .await
    {
        Ok(()) => {
            Ok(Redirect::to(&format!("/{}/admin/invitations", ctx.territory.slug)).into_response())
        }
        Err(e) => {
            let errors = Errors::from_store(e)?;
            page(&state, ctx, chrome, InviteForm::default(), errors, None).await
        }
    }
}
