//! Layers around every request: request id and log line, security headers, session,
//! CSRF check and per-IP rate limit of state-changing requests.

use crate::AppState;
use crate::error::{AppError, REQUEST_ID};
use crate::ratelimit::Purpose;
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};
use std::time::Instant;
use subtle::ConstantTimeEq;
use trame_domain::role::Role;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "trame_session";
/// Name of the anti-forgery cookie.
pub const CSRF_COOKIE: &str = "trame_csrf";
/// Name of the anti-forgery form field.
pub const CSRF_FIELD: &str = "_csrf";
/// Header htmx sends the anti-forgery token in.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Largest form body read for the CSRF check.
const MAX_FORM_BYTES: usize = 256 * 1024;

/// The logged-in person, set by [`session`].
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// Person id.
    pub person_id: i64,
    /// Name shown in the header.
    pub display_name: String,
    /// Email.
    pub email: String,
    /// The territory the person last switched to.
    pub current_territory_id: Option<i64>,
    /// The session's cookie token (to close or update it).
    pub token: String,
    /// The roles held, by territory id, read with the session.
    pub roles: Vec<(i64, Role)>,
}

impl CurrentUser {
    /// The roles held in one territory, sorted.
    pub fn roles_in(&self, territory_id: i64) -> Vec<Role> {
        self.roles
            .iter()
            .filter(|(t, _)| *t == territory_id)
            .map(|(_, r)| *r)
            .collect()
    }
}

/// The anti-forgery token of this request, set by [`csrf`].
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

/// The value of cookie `name` in `headers`.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value with the house attributes.
pub fn set_cookie(
    name: &str,
    value: &str,
    same_site: &str,
    tls: bool,
    max_age: Option<i64>,
) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite={same_site}");
    if tls {
        c.push_str("; Secure");
    }
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    c
}

fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    hex::encode(bytes)
}

/// Request id, task-local for error pages, `x-request-id` header, one log line.
pub async fn request_id(req: Request, next: Next) -> Response {
    let id = hex::encode(rand::random::<[u8; 8]>());
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let started = Instant::now();
    let mut resp = REQUEST_ID.scope(id.clone(), next.run(req)).await;
    let status = resp.status().as_u16();
    tracing::info!(
        request_id = %id,
        method = %method,
        path = %path,
        status,
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-request-id", v);
    }
    resp
}

/// Security headers on every response.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // The Swagger UI sets inline styles: its pages, and only they, allow them.
    let docs = req.uri().path().starts_with(crate::api::doc::DOCS_PATH);
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(if docs {
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
             form-action 'self'; frame-ancestors 'none'"
        } else {
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
             form-action 'self'; frame-ancestors 'none'"
        }),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if state.config.tls {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    resp
}

/// Loads the session named by the cookie; drops a dead session's cookie.
pub async fn session(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Result<Response, AppError> {
    let token = cookie(req.headers(), SESSION_COOKIE).map(str::to_owned);
    let mut dead = false;
    if let Some(token) = token {
        match state
            .store
            .session(&token, state.config.session_idle)
            .await?
        {
            Some(info) if info.disabled => dead = true,
            Some(info) => {
                req.extensions_mut().insert(CurrentUser {
                    person_id: info.person_id,
                    display_name: info.display_name,
                    email: info.email,
                    current_territory_id: info.current_territory_id,
                    token,
                    roles: info.roles,
                });
            }
            None => dead = true,
        }
    }
    let mut resp = next.run(req).await;
    if dead && !resp.headers().contains_key(header::SET_COOKIE) {
        let c = set_cookie(SESSION_COOKIE, "", "Lax", state.config.tls, Some(0));
        if let Ok(v) = HeaderValue::from_str(&c) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    Ok(resp)
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Checks the anti-forgery token of state-changing requests (form field or htmx header
/// against the cookie; the `Origin` header, when sent, must be this site), counts them
/// against the per-IP limit, and gives every response a token cookie.
pub async fn csrf(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Result<Response, AppError> {
    let cookie_token = cookie(req.headers(), CSRF_COOKIE)
        .filter(|t| t.len() == 64)
        .map(str::to_owned);
    let (mut parts, body) = req.into_parts();
    let client = client_ip(
        &parts.headers,
        &parts.extensions,
        &state.config.trusted_proxies,
    );
    parts.extensions.insert(ClientIp(client));
    let body = if is_safe(&parts.method) {
        body
    } else {
        let ip = client;
        if !state
            .limiter
            .allow(Purpose::Post, ip, state.config.posts_per_window)
        {
            return Err(AppError::TooManyRequests);
        }
        if let (Some(origin), Some(host)) = (
            parts
                .headers
                .get(header::ORIGIN)
                .and_then(|v| v.to_str().ok()),
            parts
                .headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok()),
        ) {
            let origin_host = origin.split("://").nth(1).unwrap_or(origin);
            if origin_host != host {
                return Err(AppError::Csrf);
            }
        }
        // A file upload carries its token in the action's query string: the body stays a
        // stream for the handler, which bounds its size.
        let multipart = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if multipart {
            let sent = parts
                .uri
                .query()
                .and_then(|q| form_urlencoded_field(q.as_bytes(), CSRF_FIELD));
            let ok = match (&cookie_token, &sent) {
                (Some(c), Some(s)) => c.as_bytes().ct_eq(s.as_bytes()).into(),
                _ => false,
            };
            if !ok {
                return Err(AppError::Csrf);
            }
            let token = cookie_token.clone().unwrap_or_default();
            parts.extensions.insert(CsrfToken(token));
            // The body is read by the handler: wait for an upload slot first.
            let _slot = state
                .upload_slots
                .acquire()
                .await
                .map_err(|_| AppError::Internal("upload slots closed".into()))?;
            return Ok(next.run(Request::from_parts(parts, body)).await);
        }
        let bytes = to_bytes(body, MAX_FORM_BYTES)
            .await
            .map_err(|_| AppError::BadRequest("form too large"))?;
        let sent = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .or_else(|| form_urlencoded_field(&bytes, CSRF_FIELD));
        let ok = match (&cookie_token, &sent) {
            (Some(c), Some(s)) => c.as_bytes().ct_eq(s.as_bytes()).into(),
            _ => false,
        };
        if !ok {
            return Err(AppError::Csrf);
        }
        Body::from(bytes)
    };
    let token = cookie_token.clone().unwrap_or_else(new_token);
    parts.extensions.insert(CsrfToken(token.clone()));
    let mut resp = next.run(Request::from_parts(parts, body)).await;
    if cookie_token.is_none()
        && !resp
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|v| v.as_bytes().starts_with(CSRF_COOKIE.as_bytes()))
    {
        let c = set_cookie(CSRF_COOKIE, &token, "Strict", state.config.tls, None);
        if let Ok(v) = HeaderValue::from_str(&c) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    Ok(resp.into_response())
}

/// The first value of `name` in an `application/x-www-form-urlencoded` body.
pub(crate) fn form_urlencoded_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// The client's address as [`csrf`] decided it, for the per-address limits.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

/// The client's address, for the login limit.
pub fn ip_of(extensions: &axum::http::Extensions) -> IpAddr {
    extensions
        .get::<ClientIp>()
        .map(|c| c.0)
        .unwrap_or_else(|| peer_of(extensions))
}

fn peer_of(extensions: &axum::http::Extensions) -> IpAddr {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]))
}

/// The client's address: the connection's, unless it comes from a trusted proxy; then
/// the last address of `X-Forwarded-For` that is not itself a trusted proxy (each proxy
/// appends the address it saw, so the entries left of it are the client's own claims).
pub fn client_ip(
    headers: &HeaderMap,
    extensions: &axum::http::Extensions,
    trusted: &[IpAddr],
) -> IpAddr {
    let peer = peer_of(extensions);
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    forwarded
        .into_iter()
        .rev()
        .find(|a| !trusted.contains(a))
        .unwrap_or(peer)
}
