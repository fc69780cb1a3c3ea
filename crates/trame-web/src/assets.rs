//! Static assets, embedded in the binary: nothing is fetched from elsewhere at run time.

use crate::error::AppError;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The htmx release vendored in `static/` (BSD-0 licence), configured by a meta tag in
/// the layout (`includeIndicatorStyles: false`, `allowEval: false`).
pub const HTMX_FILE: &str = "htmx-2.0.11.min.js";

const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "trame.css",
        "text/css; charset=utf-8",
        include_bytes!("../static/trame.css"),
    ),
    (
        HTMX_FILE,
        "text/javascript; charset=utf-8",
        include_bytes!("../static/htmx-2.0.11.min.js"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_bytes!("../static/favicon.svg"),
    ),
];

/// `GET /static/{file}`.
pub async fn serve(Path(file): Path<String>) -> Result<Response, AppError> {
    let (_, mime, bytes) = ASSETS
        .iter()
        .find(|(name, _, _)| *name == file)
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, *mime),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        *bytes,
    )
        .into_response())
}
