//! The page an invitation link opens: create one's account (or log in) and accept.

use crate::AppState;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::Extensions;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use trame_domain::format::paris_datetime;
use trame_domain::role::Role;
use trame_store::invitations::{InvitationState, InvitationView};

#[derive(Template)]
#[template(path = "invitation.html")]
struct Page {
    chrome: Chrome,
    token: String,
    territory_name: String,
    email: String,
    role: &'static str,
    organisation: Option<String>,
    /// Why it cannot be accepted, when it cannot.
    closed: Option<String>,
    until: String,
    account_exists: bool,
    logged_in_as: Option<String>,
    person_name: String,
    errors: Errors,
}

fn page(
    chrome: Chrome,
    token: String,
    v: InvitationView,
    user: Option<&CurrentUser>,
    name: String,
    errors: Errors,
) -> Result<Response, AppError> {
    let (closed, until) = match v.state {
        InvitationState::Pending(until) => (None, paris_datetime(until)),
        InvitationState::Expired => (Some("Cette invitation a expiré. Demandez à l'administrateur du territoire de vous en envoyer une nouvelle.".to_owned()), String::new()),
        InvitationState::Accepted => (Some("Cette invitation a déjà été acceptée. Connectez-vous pour accéder au territoire.".to_owned()), String::new()),
        InvitationState::Revoked => (Some("Cette invitation a été retirée par l'administrateur du territoire.".to_owned()), String::new()),
    };
    let failed = errors.any();
    let resp = render(&Page {
        chrome,
        token,
        territory_name: v.territory.0,
        email: v.invitation.email,
        role: Role::from_code(&v.invitation.role)
            .map(Role::label)
            .unwrap_or("—"),
        organisation: v.organisation,
        closed,
        until,
        account_exists: v.account_exists,
        logged_in_as: user.map(|u| u.email.clone()),
        person_name: name,
        errors,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /invitation/{token}`.
pub async fn show(
    State(state): State<AppState>,
    chrome: Chrome,
    ext: Extensions,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let v = state.store.invitation_by_token(&token).await?;
    page(
        chrome,
        token,
        v,
        ext.get::<CurrentUser>(),
        String::new(),
        Errors::default(),
    )
}

/// The acceptance form.
#[derive(Debug, Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

/// `POST /invitation/{token}`: accepts, creating the account when the address has none.
pub async fn accept(
    State(state): State<AppState>,
    chrome: Chrome,
    ext: Extensions,
    Path(token): Path<String>,
    Form(form): Form<AcceptForm>,
) -> Result<Response, AppError> {
    let v = state.store.invitation_by_token(&token).await?;
    let user = ext.get::<CurrentUser>();
    let slug = v.territory.1.clone();
    let mut errors = Errors::default();
    let outcome = if let Some(u) = user {
        state
            .store
            .accept_invitation(&token, Some(u.person_id), None)
            .await
    } else if v.account_exists {
        errors.add("password", "Un compte existe déjà avec cette adresse : connectez-vous d'abord, puis acceptez l'invitation.");
        return page(chrome, token, v, user, form.name, errors);
    } else {
        let name = form.name.trim();
        if name.is_empty() {
            errors.add(
                "name",
                "Indiquez votre nom tel qu'il apparaîtra aux autres membres.",
            );
        }
        if let Err(e) = trame_domain::password::check_new_password(
            &form.password,
            &[&v.invitation.email, name],
            state.config.min_password_bits,
        ) {
            errors.add("password", e.message);
        } else if form.password != form.password_confirm {
            errors.add(
                "password_confirm",
                "Les deux mots de passe ne sont pas identiques.",
            );
        }
        if errors.any() {
            return page(chrome, token, v, user, form.name, errors);
        }
        state
            .store
            .accept_invitation(&token, None, Some((name, &form.password)))
            .await
    };
    match outcome {
        Ok(_) if user.is_some() => Ok(Redirect::to(&format!("/{slug}/espace")).into_response()),
        Ok(_) => Ok(Redirect::to(&format!("/connexion?suivant=/{slug}/espace")).into_response()),
        Err(e) => {
            let errors = Errors::from_store(e)?;
            let v = state.store.invitation_by_token(&token).await?;
            page(chrome, token, v, user, form.name, errors)
        }
    }
}
