//! Login through ProConnect, the State's identity federation for public agents (OpenID
//! Connect, authorization code with PKCE). The state and the nonce are 43 random
//! characters, kept server-side and used once; the ID token's signature, issuer, audience,
//! expiry and nonce are checked by the `openidconnect` crate. An account is found by
//! (issuer, subject), or else by the verified email, which links the identity to it.

use super::render;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::middleware::{CSRF_COOKIE, SESSION_COOKIE, set_cookie};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use serde::Deserialize;
use trame_domain::email::Email;
use trame_store::oidc::{MatchError, PendingLogin};

/// ProConnect settings of a deployment.
#[derive(Debug, Clone)]
pub struct ProConnectSettings {
    /// Issuer URL (discovery at `{issuer}/.well-known/openid-configuration`).
    pub issuer: String,
    /// Client id given by ProConnect.
    pub client_id: String,
    /// Client secret given by ProConnect.
    pub client_secret: String,
}

/// Path of the callback, under `public_url`.
pub const CALLBACK_PATH: &str = "/connexion/proconnect/retour";

#[derive(Template)]
#[template(path = "proconnect_error.html")]
struct ErrorPage {
    chrome: Chrome,
    message: String,
}

fn refuse(
    chrome: Chrome,
    status: StatusCode,
    message: impl Into<String>,
) -> Result<Response, AppError> {
    let mut resp = render(&ErrorPage {
        chrome,
        message: message.into(),
    })?;
    *resp.status_mut() = status;
    Ok(resp)
}

fn http_client() -> Result<openidconnect::reqwest::Client, AppError> {
    openidconnect::reqwest::ClientBuilder::new()
        // Following redirects would open the door to SSRF.
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| AppError::Internal(format!("http client: {e}")))
}

async fn provider(
    settings: &ProConnectSettings,
    http: &openidconnect::reqwest::Client,
) -> Result<CoreProviderMetadata, String> {
    let issuer = IssuerUrl::new(settings.issuer.clone()).map_err(|e| e.to_string())?;
    CoreProviderMetadata::discover_async(issuer, http)
        .await
        .map_err(|e| format!("{e:?}"))
}

/// Query of the start.
#[derive(Debug, Deserialize)]
pub struct StartQuery {
    suivant: Option<String>,
}

/// `GET /connexion/proconnect`: redirects to ProConnect.
pub async fn start(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(q): Query<StartQuery>,
) -> Result<Response, AppError> {
    let Some(settings) = state.config.proconnect.clone() else {
        return Err(AppError::NotFound);
    };
    let http = http_client()?;
    let metadata = match provider(&settings, &http).await {
        Ok(m) => m,
        Err(e) => {
            tracing::warn!(error = %e, "ProConnect discovery");
            return refuse(
                chrome,
                StatusCode::BAD_GATEWAY,
                "ProConnect ne répond pas pour le moment. Réessayez dans quelques minutes, ou connectez-vous avec votre mot de passe.",
            );
        }
    };
    let redirect = RedirectUrl::new(format!(
        "{}{CALLBACK_PATH}",
        state.config.public_url.trim_end_matches('/')
    ))
    .map_err(|e| AppError::Internal(format!("redirect url: {e}")))?;
    let client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(settings.client_id),
        Some(ClientSecret::new(settings.client_secret)),
    )
    .set_redirect_uri(redirect);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            || CsrfToken::new_random_len(32),
            || Nonce::new_random_len(32),
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("given_name".into()))
        .add_scope(Scope::new("usual_name".into()))
        .set_pkce_challenge(challenge)
        .url();
    let next = q
        .suivant
        .filter(|n| n.starts_with('/') && !n.starts_with("//"))
        .unwrap_or_default();
    state
        .store
        .begin_oidc_login(
            csrf.secret(),
            &PendingLogin {
                nonce: nonce.secret().clone(),
                pkce_verifier: verifier.secret().clone(),
                next,
            },
        )
        .await?;
    let mut resp = StatusCode::SEE_OTHER.into_response();
    resp.headers_mut().insert(
        header::LOCATION,
        HeaderValue::from_str(url.as_str())
            .map_err(|_| AppError::Internal("authorize url".into()))?,
    );
    Ok(resp)
}

/// Query of the callback.
#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /connexion/proconnect/retour`: checks everything, then opens a session.
pub async fn callback(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(q): Query<CallbackQuery>,
) -> Result<Response, AppError> {
    let Some(settings) = state.config.proconnect.clone() else {
        return Err(AppError::NotFound);
    };
    if let Some(e) = q.error {
        tracing::info!(error = %e, "ProConnect returned an error");
        return refuse(
            chrome,
            StatusCode::BAD_REQUEST,
            "La connexion avec ProConnect a été annulée ou refusée.",
        );
    }
    let (Some(code), Some(csrf)) = (q.code, q.state) else {
        return refuse(
            chrome,
            StatusCode::BAD_REQUEST,
            "Le retour de ProConnect est incomplet. Recommencez la connexion.",
        );
    };
    let pending = match state.store.take_oidc_login(&csrf).await {
        Ok(p) => p,
        Err(trame_store::StoreError::NotFound) => {
            return refuse(
                chrome,
                StatusCode::BAD_REQUEST,
                "Cette tentative de connexion est inconnue, expirée ou déjà utilisée. Recommencez la connexion.",
            );
        }
        Err(e) => return Err(e.into()),
    };
    let http = http_client()?;
    let metadata = match provider(&settings, &http).await {
        Ok(m) => m,
        Err(e) => {
            tracing::warn!(error = %e, "ProConnect discovery");
            return refuse(
                chrome,
                StatusCode::BAD_GATEWAY,
                "ProConnect ne répond pas pour le moment.",
            );
        }
    };
    let issuer = metadata.issuer().to_string();
    let redirect = RedirectUrl::new(format!(
        "{}{CALLBACK_PATH}",
        state.config.public_url.trim_end_matches('/')
    ))
    .map_err(|e| AppError::Internal(format!("redirect url: {e}")))?;
    let client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(settings.client_id),
        Some(ClientSecret::new(settings.client_secret)),
    )
    .set_redirect_uri(redirect);
    let exchange = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| AppError::Internal(format!("token endpoint: {e}")))?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
        .request_async(&http)
        .await;
    let tokens = match exchange {
        Ok(t) => t,
        Err(e) => {
            tracing::warn!(error = ?e, "ProConnect token exchange");
            return refuse(
                chrome,
                StatusCode::BAD_GATEWAY,
                "ProConnect n'a pas confirmé la connexion. Recommencez.",
            );
        }
    };
    let Some(id_token) = tokens.id_token() else {
        return refuse(
            chrome,
            StatusCode::BAD_GATEWAY,
            "ProConnect n'a pas fourni d'identité. Recommencez.",
        );
    };
    let verifier = client.id_token_verifier();
    let claims = match id_token.claims(&verifier, &Nonce::new(pending.nonce.clone())) {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = ?e, "ProConnect ID token refused");
            return refuse(
                chrome,
                StatusCode::FORBIDDEN,
                "L'identité transmise par ProConnect n'a pas pu être vérifiée. Recommencez la connexion.",
            );
        }
    };
    let subject = claims.subject().to_string();
    let email = claims.email().and_then(|e| Email::parse(e.as_str()).ok());
    let verified = claims.email_verified().unwrap_or(false);
    let person_id = match state
        .store
        .match_identity(&issuer, &subject, email.as_ref(), verified)
        .await?
    {
        Ok(id) => id,
        Err(MatchError::NoAccount) => {
            return refuse(
                chrome,
                StatusCode::FORBIDDEN,
                "Aucun compte Trame ne correspond à cette identité. Demandez une invitation à l'administrateur de votre territoire.",
            );
        }
        Err(MatchError::EmailNotVerified) => {
            return refuse(
                chrome,
                StatusCode::FORBIDDEN,
                "ProConnect n'a pas confirmé votre adresse électronique : la connexion ne peut pas être rattachée à un compte.",
            );
        }
        Err(MatchError::Disabled) => {
            return refuse(
                chrome,
                StatusCode::FORBIDDEN,
                "Ce compte est désactivé. Adressez-vous à l'administrateur du territoire.",
            );
        }
    };
    let memberships = state.store.memberships_of(person_id).await?;
    let first = memberships.first().map(|m| m.territory.clone());
    let token = state
        .store
        .open_session(person_id, first.as_ref().map(|t| t.id))
        .await?;
    let target = Some(pending.next)
        .filter(|n| !n.is_empty())
        .or_else(|| first.map(|t| format!("/{}/espace", t.slug)))
        .unwrap_or_else(|| "/compte".to_owned());
    let mut resp = StatusCode::SEE_OTHER.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::LOCATION,
        HeaderValue::from_str(&target).map_err(|_| AppError::BadRequest("next"))?,
    );
    for c in [
        set_cookie(SESSION_COOKIE, &token, "Lax", state.config.tls, None),
        set_cookie(
            CSRF_COOKIE,
            &hex::encode(rand::random::<[u8; 32]>()),
            "Strict",
            state.config.tls,
            None,
        ),
    ] {
        if let Ok(v) = HeaderValue::from_str(&c) {
            h.append(header::SET_COOKIE, v);
        }
    }
    Ok(resp)
}
