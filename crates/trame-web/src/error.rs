//! The web layer's one error type, rendered as a French page with the request id.
//! Internal errors are logged with their cause; the person sees only the request id.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use trame_store::StoreError;

tokio::task_local! {
    /// The id of the request being served, set by the request-id middleware.
    pub static REQUEST_ID: String;
}

/// The current request's id, or `-` outside a request.
pub fn request_id() -> String {
    REQUEST_ID
        .try_with(Clone::clone)
        .unwrap_or_else(|_| "-".to_owned())
}

/// What a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 404: the page or object does not exist, or belongs to another territory.
    #[error("not found")]
    NotFound,
    /// 403: logged in, but this role may not do this.
    #[error("forbidden")]
    Forbidden,
    /// 403: the form's anti-forgery token is missing or stale.
    #[error("csrf")]
    Csrf,
    /// 429: too many requests from this address.
    #[error("too many requests")]
    TooManyRequests,
    /// 400: the request itself is malformed (not a form field a person typed).
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// 503: the database stayed locked past the wait; nothing was written.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// 409: the record changed since the form was opened (forms that keep a version
    /// show themselves again instead).
    #[error("stale")]
    Stale,
    /// Another request with the same idempotency key wrote first (the idempotency layer
    /// answers in its place).
    #[error("duplicate")]
    Duplicate,
    /// 500: anything else; the cause is logged.
    #[error("internal: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Busy(cause) => AppError::Unavailable(cause),
            StoreError::Duplicate => AppError::Duplicate,
            StoreError::Stale => AppError::Stale,
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    title: &'a str,
    message: &'a str,
    request_id: String,
}

impl AppError {
    fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "Page introuvable",
                "La page demandée n'existe pas, ou vous n'y avez pas accès. Vérifiez l'adresse, ou revenez à l'accueil.",
            ),
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "Accès refusé",
                "Votre rôle dans ce territoire ne permet pas d'ouvrir cette page. Si vous pensez que c'est une erreur, adressez-vous à l'administrateur du territoire.",
            ),
            AppError::Csrf => (
                StatusCode::FORBIDDEN,
                "Formulaire expiré",
                "Le formulaire a expiré ou ne vient pas de ce site. Revenez en arrière, rechargez la page, puis envoyez-le de nouveau.",
            ),
            AppError::TooManyRequests => (
                StatusCode::TOO_MANY_REQUESTS,
                "Trop de tentatives",
                "Trop de demandes ont été envoyées depuis votre connexion. Patientez quelques minutes avant de réessayer.",
            ),
            AppError::BadRequest(_) => (
                StatusCode::BAD_REQUEST,
                "Demande invalide",
                "La demande envoyée n'a pas pu être comprise. Revenez en arrière et réessayez.",
            ),
            AppError::Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Service momentanément occupé",
                "Le service est très sollicité et n'a pas pu traiter votre demande à temps ; rien n'a été enregistré. Réessayez dans quelques secondes.",
            ),
            AppError::Stale => (
                StatusCode::CONFLICT,
                "Fiche modifiée entre-temps",
                "Cette fiche a été modifiée par quelqu'un d'autre depuis que vous l'avez ouverte ; rien n'a été enregistré. Rechargez la page pour voir la version actuelle.",
            ),
            AppError::Duplicate => (
                StatusCode::CONFLICT,
                "Demande déjà enregistrée",
                "Ce formulaire avait déjà été envoyé et il a été enregistré une seule fois. Revenez à la page précédente et rechargez-la pour voir le résultat.",
            ),
            AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Erreur du service",
                "Une erreur inattendue s'est produite ; rien n'a été enregistré. L'équipe technique peut la retrouver grâce à la référence ci-dessous.",
            ),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let request_id = request_id();
        match &self {
            AppError::Internal(cause) => {
                tracing::error!(request_id = %request_id, cause = %cause, "internal error");
            }
            AppError::BadRequest(why) => {
                tracing::info!(request_id = %request_id, why = %why, "bad request");
            }
            AppError::Unavailable(cause) => {
                tracing::warn!(request_id = %request_id, cause = %cause, "database busy");
            }
            _ => {}
        }
        let (status, title, message) = self.parts();
        let page = ErrorPage {
            status: status.as_u16(),
            title,
            message,
            request_id,
        };
        let mut resp = match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, title).into_response(),
        };
        if status == StatusCode::SERVICE_UNAVAILABLE {
            resp.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("5"),
            );
        }
        resp
    }
}
