//! Logging in and out.

use super::render;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::middleware::{CSRF_COOKIE, CurrentUser, SESSION_COOKIE, ip_of, set_cookie};
use crate::ratelimit::Purpose;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{Extensions, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use trame_domain::email::Email;
use trame_store::accounts::LoginOutcome;

/// A local path to go to after login; anything else (other sites, `//host`) is dropped.
fn safe_next(next: Option<&str>) -> Option<String> {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .map(str::to_owned)
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    proconnect: bool,
    email: String,
    next: String,
    email_error: Option<String>,
    password_error: Option<String>,
    form_error: Option<String>,
}

impl LoginPage {
    fn has_errors(&self) -> bool {
        self.email_error.is_some() || self.password_error.is_some() || self.form_error.is_some()
    }
}

/// Query of the login page.
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    suivant: Option<String>,
}

/// `GET /connexion`.
pub async fn login_form(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(q): Query<LoginQuery>,
) -> Result<Response, AppError> {
    render(&LoginPage {
        chrome,
        proconnect: state.config.proconnect.is_some(),
        email: String::new(),
        next: safe_next(q.suivant.as_deref()).unwrap_or_default(),
        email_error: None,
        password_error: None,
        form_error: None,
    })
}

/// The login form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    suivant: String,
}

/// `POST /connexion`.
pub async fn login_submit(
    State(state): State<AppState>,
    chrome: Chrome,
    extensions: Extensions,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    if !state.limiter.allow(
        Purpose::Login,
        ip_of(&extensions),
        state.config.login_attempts_per_window,
    ) {
        return Err(AppError::TooManyRequests);
    }
    let mut page = LoginPage {
        chrome,
        proconnect: state.config.proconnect.is_some(),
        email: form.email.trim().to_owned(),
        next: safe_next(Some(&form.suivant)).unwrap_or_default(),
        email_error: None,
        password_error: None,
        form_error: None,
    };
    let email = Email::parse(&form.email);
    if let Err(e) = &email {
        page.email_error = Some(e.message.clone());
    }
    if form.password.is_empty() {
        page.password_error = Some("Saisissez votre mot de passe.".to_owned());
    }
    let Ok(email) = email else {
        return rerender(page);
    };
    if page.has_errors() {
        return rerender(page);
    }
    match state.store.authenticate(&email, &form.password).await? {
        LoginOutcome::Success(person) => {
            // A new session at every login; the one this browser had, if any, ends.
            if let Some(previous) = extensions.get::<CurrentUser>() {
                state.store.close_session(&previous.token).await?;
            }
            let memberships = state.store.memberships_of(person.id).await?;
            let first = memberships.first().map(|m| m.territory.clone());
            let token = state
                .store
                .open_session(person.id, first.as_ref().map(|t| t.id))
                .await?;
            let target = safe_next(Some(&form.suivant))
                .or_else(|| first.map(|t| format!("/{}/espace", t.slug)))
                .unwrap_or_else(|| "/compte".to_owned());
            let mut resp = StatusCode::SEE_OTHER.into_response();
            let h = resp.headers_mut();
            h.insert(
                header::LOCATION,
                HeaderValue::from_str(&target).map_err(|_| AppError::BadRequest("next"))?,
            );
            append_cookie(
                h,
                &set_cookie(SESSION_COOKIE, &token, "Lax", state.config.tls, None),
            );
            // A fresh anti-forgery token for the new session.
            let csrf = hex::encode(rand::random::<[u8; 32]>());
            append_cookie(
                h,
                &set_cookie(CSRF_COOKIE, &csrf, "Strict", state.config.tls, None),
            );
            Ok(resp)
        }
        LoginOutcome::BadCredentials => {
            page.form_error = Some("Adresse électronique ou mot de passe incorrect.".to_owned());
            rerender(page)
        }
        LoginOutcome::Locked(until) => {
            let minutes = ((until - state.store.now()).whole_seconds().max(0) + 59) / 60;
            page.form_error = Some(format!(
                "Ce compte est verrouillé pendant une heure après {} échecs de connexion. Réessayez dans {} minute(s), ou demandez à l'administrateur du territoire de le débloquer.",
                trame_store::accounts::MAX_FAILED_LOGINS,
                minutes.max(1)
            ));
            rerender(page)
        }
        LoginOutcome::Disabled => {
            page.form_error = Some(
                "Ce compte est désactivé. Adressez-vous à l'administrateur du territoire."
                    .to_owned(),
            );
            rerender(page)
        }
    }
}

fn append_cookie(h: &mut axum::http::HeaderMap, cookie: &str) {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        h.append(header::SET_COOKIE, v);
    }
}

fn rerender(page: LoginPage) -> Result<Response, AppError> {
    let mut resp = render(&page)?;
    *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(resp)
}

/// `POST /deconnexion`: ends the session server-side and drops the cookie.
pub async fn logout(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    state.store.close_session(&user.token).await?;
    let mut resp = StatusCode::SEE_OTHER.into_response();
    let h = resp.headers_mut();
    h.insert(header::LOCATION, HeaderValue::from_static("/"));
    append_cookie(
        h,
        &set_cookie(SESSION_COOKIE, "", "Lax", state.config.tls, Some(0)),
    );
    Ok(resp)
}
