//! Thin handlers, one module per area: extract, (authorization is the route's rule), call
//! the store, render.

pub mod accompaniment;
pub mod account;
pub mod admin;
pub mod agent_tokens;
pub mod auth;
pub mod clauses;
pub mod directory;
pub mod forums;
pub mod funding;
pub mod home;
pub mod invitation;
pub mod pathways;
pub mod proconnect;
pub mod register;
pub mod showcase;
pub mod space;
pub mod territories;

use crate::access::TerritoryCtx;
use crate::error::AppError;
use crate::middleware::CurrentUser;
use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};

/// Renders a template as an HTML response.
pub fn render<T: Template>(t: &T) -> Result<Response, AppError> {
    Ok(Html(t.render()?).into_response())
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or_else(|| {
                AppError::Internal("route without Authenticated rule reads the user".into())
            })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for TerritoryCtx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<TerritoryCtx>()
            .cloned()
            .ok_or_else(|| {
                AppError::Internal("route without territory rule reads the territory".into())
            })
    }
}

/// The logged-in person, if any, for pages open to everyone.
pub struct MaybeUser(pub Option<CurrentUser>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeUser(parts.extensions.get::<CurrentUser>().cloned()))
    }
}
