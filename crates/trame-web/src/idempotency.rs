//! Idempotent form posts. A state-changing request may carry a key: the `_cle` field of
//! a form (every form of the application has one, fresh at each rendering), `_cle` in the
//! query string of a file upload, or the `Idempotency-Key` header. The same key with the
//! same content from the same person is one request: however many times it arrives —
//! a double click, a retry after a timeout or a crash, ten at once — it changes the
//! database once, and every repeat is sent where the first answer sent the person.
//! The key is written with the change itself (`trame_store::idempotency`). htmx requests
//! (the draft's autosave, which posts the same form again and again) are never keyed.

use crate::AppState;
use crate::error::AppError;
use crate::middleware::CurrentUser;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::time::{Duration, Instant};
use trame_store::idempotency::{Key, Outcome, scope};

/// The form field (and query parameter) that carries the key.
pub const FIELD: &str = "_cle";
/// The header that carries the key.
pub const HEADER: &str = "idempotency-key";

/// A fresh key for a form: 128 random bits.
pub fn fresh() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

fn acceptable(key: &str) -> bool {
    (16..=100).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn field(bytes: &[u8]) -> Option<String> {
    crate::middleware::form_urlencoded_field(bytes, FIELD)
}

/// Runs a keyed request once; answers its repeats as the first one was answered.
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || req.headers().contains_key("hx-request")
    {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let multipart = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let header_key = parts
        .headers
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let query_key = parts.uri.query().and_then(|q| field(q.as_bytes()));
    // The csrf layer has already read a form body into memory (256 KiB at most).
    let (body, key, digest) = if multipart {
        (body, header_key.or(query_key), Vec::new())
    } else {
        let Ok(bytes) = to_bytes(body, usize::MAX).await else {
            return AppError::BadRequest("unreadable body").into_response();
        };
        let key = header_key.or(query_key).or_else(|| field(&bytes));
        let digest = Sha256::digest(&bytes).to_vec();
        (Body::from(bytes), key, digest)
    };
    let Some(key) = key.filter(|k| acceptable(k)) else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    let person_id = parts.extensions.get::<CurrentUser>().map(|u| u.person_id);
    let key = Key::new(
        person_id,
        &key,
        parts.method.as_str(),
        parts.uri.path(),
        &digest,
    );
    match state.store.idempotency_find(&key.hash).await {
        Ok(Some(location)) => return replay(location),
        Ok(None) => {}
        Err(e) => return AppError::from(e).into_response(),
    }
    let hash = key.hash.clone();
    let (resp, outcome) = scope(key, next.run(Request::from_parts(parts, body))).await;
    match outcome {
        Outcome::Nothing => resp,
        Outcome::Written => {
            let location = resp
                .status()
                .is_redirection()
                .then(|| resp.headers().get(header::LOCATION))
                .flatten()
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            if let Some(location) = location
                && let Err(e) = state.store.idempotency_answered(&hash, &location).await
            {
                // The change is written; only the repeat's destination is lost.
                tracing::warn!(error = %e, "idempotency answer not recorded");
            }
            resp
        }
        Outcome::Duplicate => {
            // The first request has committed (its key's row was in the way); give it a
            // moment to record where it sent the person.
            let started = Instant::now();
            loop {
                match state.store.idempotency_find(&hash).await {
                    Ok(Some(Some(location))) => return replay(Some(location)),
                    Ok(_) if started.elapsed() < trame_store::LOCK_WAIT => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    _ => return replay(None),
                }
            }
        }
    }
}

/// The answer to a repeat: where the first answer went, or a page that says the form was
/// already recorded.
fn replay(location: Option<String>) -> Response {
    match location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        Some(v) => {
            let mut resp = StatusCode::SEE_OTHER.into_response();
            resp.headers_mut().insert(header::LOCATION, v);
            resp.headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            resp
        }
        None => AppError::Duplicate.into_response(),
    }
}
