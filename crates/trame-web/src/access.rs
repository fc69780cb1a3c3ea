//! Who may call a route. Deny by default: the router is built from [`crate::routes`], whose
//! every row carries an [`Access`]; the route's layer enforces it before the handler runs.
//!
//! Territory routes start with `/{territoire}`. For a person who is not a member of that
//! territory, members-only pages answer 404, exactly as for a territory that does not
//! exist: nothing tells an outsider what is behind.

use crate::AppState;
use crate::error::AppError;
use crate::middleware::CurrentUser;
use axum::extract::{RawPathParams, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use trame_domain::role::Role;
use trame_store::territories::Territory;

/// A route's rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, logged in or not.
    Public,
    /// Any logged-in person.
    Authenticated,
    /// A bearer token of the JSON API (`Authorization: Bearer trame_…`); the answer to
    /// anything else is 401 with the error envelope.
    ApiToken,
    /// A staff member's personal token (`Authorization: Bearer trame_agent_…`), for the
    /// instructor's view of the JSON API; 401 with the error envelope otherwise.
    StaffToken,
    /// A person who administers at least one territory (platform-level actions such as
    /// opening a new territory).
    AnyTerritoryAdmin,
    /// Anyone, on an existing territory (404 otherwise).
    TerritoryPublic,
    /// A member of the territory holding one of these roles; any role when empty.
    TerritoryMember(&'static [Role]),
}

impl Access {
    /// Whether the route is under `/{territoire}`.
    pub fn is_territorial(self) -> bool {
        matches!(self, Access::TerritoryPublic | Access::TerritoryMember(_))
    }

    /// Whether a person with `roles` in the territory may call the route (logged in).
    pub fn allows(self, roles: &[Role]) -> bool {
        match self {
            Access::Public | Access::Authenticated | Access::TerritoryPublic => true,
            Access::AnyTerritoryAdmin => roles.contains(&Role::TerritoryAdmin),
            Access::ApiToken | Access::StaffToken => false,
            Access::TerritoryMember(allowed) => {
                !roles.is_empty()
                    && (allowed.is_empty() || roles.iter().any(|r| allowed.contains(r)))
            }
        }
    }
}

/// The territory of a territorial route, with the viewer's roles there (empty when
/// anonymous or not a member).
#[derive(Debug, Clone)]
pub struct TerritoryCtx {
    /// The territory.
    pub territory: Territory,
    /// The viewer's roles in it.
    pub roles: Vec<Role>,
}

fn login_redirect(req: &Request) -> Response {
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".to_owned());
    let target = format!(
        "/connexion?suivant={}",
        crate::urls::encode_component(&path)
    );
    let mut resp = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(&target) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

/// The layer function that enforces `access` on one route.
pub async fn enforce(
    State((state, access)): State<(AppState, Access)>,
    params: RawPathParams,
    mut req: Request,
    next: Next,
) -> Result<Response, AppError> {
    let user = req.extensions().get::<CurrentUser>().cloned();
    if access == Access::Public {
        return Ok(next.run(req).await);
    }
    if access == Access::Authenticated {
        return Ok(match user {
            Some(_) => next.run(req).await,
            None => login_redirect(&req),
        });
    }
    if matches!(access, Access::ApiToken | Access::StaffToken) {
        let token = req
            .headers()
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .map(str::to_owned);
        let Some(token) = token else {
            return Ok(crate::api::ApiError::Unauthorized.into_response());
        };
        let found = if access == Access::ApiToken {
            state.store.api_caller(&token).await?.map(|c| {
                req.extensions_mut().insert(c);
            })
        } else {
            state.store.staff_caller(&token).await?.map(|c| {
                req.extensions_mut().insert(c);
            })
        };
        return Ok(match found {
            Some(()) => next.run(req).await,
            None => crate::api::ApiError::Unauthorized.into_response(),
        });
    }
    if access == Access::AnyTerritoryAdmin {
        let Some(u) = user else {
            return Ok(login_redirect(&req));
        };
        let memberships = state.store.memberships_of(u.person_id).await?;
        if !memberships
            .iter()
            .any(|m| m.roles.contains(&Role::TerritoryAdmin))
        {
            return Err(AppError::Forbidden);
        }
        return Ok(next.run(req).await);
    }
    let slug = params
        .iter()
        .find(|(k, _)| *k == "territoire")
        .map(|(_, v)| v.to_owned())
        .ok_or(AppError::NotFound)?;
    let territory = state.store.territory_by_slug(&slug).await?;
    let roles = match &user {
        Some(u) => u.roles_in(territory.id),
        None => Vec::new(),
    };
    if let Access::TerritoryMember(_) = access {
        if user.is_none() {
            return Ok(login_redirect(&req));
        }
        if roles.is_empty() {
            return Err(AppError::NotFound);
        }
        if !access.allows(&roles) {
            return Err(AppError::Forbidden);
        }
    }
    req.extensions_mut()
        .insert(TerritoryCtx { territory, roles });
    Ok(next.run(req).await)
}
