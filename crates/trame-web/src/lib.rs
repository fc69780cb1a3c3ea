//! Trame's web layer: the axum router, the pages (HTML that works without JavaScript,
//! enhanced by htmx), the templates and the static assets, all served by the binary.
//!
//! Guided tour:
//! - [`routes`] is the one table of routes; each row declares who may call it
//!   ([`access::Access`]). The router is built from that table, so a route cannot exist
//!   without a rule, and the authorization-matrix test walks the same table.
//! - [`middleware`] adds, around every request: a request id, security headers, the
//!   session, CSRF checks on state-changing requests and the per-IP rate limit.
//! - [`pages`] holds thin handlers: extract, authorize (done by the route's rule), call
//!   the store, render a template.
//! - [`error::AppError`] renders failures as French pages carrying the request id;
//!   internal errors are logged, never shown.

pub mod access;

pub mod api;
pub mod assets;
pub mod charts;
pub mod chrome;
pub mod error;
pub mod forms;
pub mod idempotency;
pub mod middleware;
pub mod open_data;
pub mod pages;
pub mod ratelimit;
pub mod routes;
pub mod search;
pub mod uploads;
pub mod urls;

use std::sync::Arc;
use std::time::Duration;
use trame_store::Store;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// A session dies after this long without a request.
    pub session_idle: time::Duration,
    /// The site is served over TLS (directly or behind a proxy): cookies get `Secure`
    /// and responses carry HSTS.
    pub tls: bool,
    /// Login attempts allowed per IP address per window.
    pub login_attempts_per_window: u32,
    /// State-changing requests allowed per IP address per window.
    pub posts_per_window: u32,
    /// The rate-limit window.
    pub rate_window: Duration,
    /// Bits of entropy a new password needs.
    pub min_password_bits: f64,
    /// Public address of the site, for links in emails and the ProConnect callback.
    pub public_url: String,
    /// ProConnect login, when configured.
    pub proconnect: Option<pages::proconnect::ProConnectSettings>,
    /// Addresses of the reverse proxies whose `X-Forwarded-For` is believed. Empty (the
    /// default): the header is ignored and the connection's address is the client's, so
    /// a forged header cannot dodge the per-address limits.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The socket of the ClamAV daemon that scans every upload; `None`: no scan.
    pub clamd_socket: Option<std::path::PathBuf>,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            session_idle: time::Duration::hours(1),
            tls: false,
            login_attempts_per_window: 20,
            posts_per_window: 120,
            rate_window: Duration::from_secs(600),
            min_password_bits: trame_domain::password::DEFAULT_MIN_BITS,
            public_url: "http://127.0.0.1:8080".to_owned(),
            proconnect: None,
            trusted_proxies: Vec::new(),
            clamd_socket: None,
        }
    }
}

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    /// Persistence.
    pub store: Store,
    /// Settings.
    pub config: Arc<WebConfig>,
    /// Per-IP counters.
    pub limiter: Arc<ratelimit::RateLimiter>,
    /// The directory's search indexes.
    pub search: Arc<search::Indexes>,
    /// File uploads read at once ([`UPLOAD_SLOTS`]); the others wait, their bodies
    /// unread, so memory stays bounded however many arrive together.
    pub upload_slots: Arc<tokio::sync::Semaphore>,
}

/// How many file uploads are read and checked at once (each holds up to its size limit
/// in memory, plus the copies the checks and the database make).
pub const UPLOAD_SLOTS: usize = 2;

impl AppState {
    /// State for a store and settings.
    pub fn new(store: Store, config: WebConfig) -> Self {
        let limiter = Arc::new(ratelimit::RateLimiter::new(config.rate_window));
        Self {
            store,
            config: Arc::new(config),
            limiter,
            search: Arc::new(search::Indexes::default()),
            upload_slots: Arc::new(tokio::sync::Semaphore::new(UPLOAD_SLOTS)),
        }
    }
}

/// The whole application as an axum router.
pub fn app(state: AppState) -> axum::Router {
    routes::router(state)
}
