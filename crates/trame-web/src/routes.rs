//! The one table of routes. Each row: method, path, who may call it, handler. The router
//! is built from this table only, and `specs()` gives the authorization-matrix test the
//! same rows.

use crate::AppState;
use crate::access::{Access, enforce};
use crate::middleware;
use crate::pages::{account, admin, auth, home, space};
use axum::Router;
use axum::http::Method;
use axum::routing::{MethodRouter, get, post};
use trame_domain::role::Role;

/// One route and its rule.
#[derive(Debug, Clone)]
pub struct RouteSpec {
    /// HTTP method.
    pub method: Method,
    /// Path, axum syntax (`/{territoire}/…`).
    pub path: &'static str,
    /// Who may call it.
    pub access: Access,
}

const ADMIN: &[Role] = &[Role::TerritoryAdmin];
const ANY_ROLE: &[Role] = &[];

fn table() -> Vec<(RouteSpec, MethodRouter<AppState>)> {
    use Access::*;
    let r = |method: Method, path: &'static str, access: Access, mr: MethodRouter<AppState>| {
        (
            RouteSpec {
                method,
                path,
                access,
            },
            mr,
        )
    };
    vec![
        r(Method::GET, "/", Public, get(home::index)),
        r(Method::GET, "/healthz", Public, get(home::healthz)),
        r(Method::GET, "/readyz", Public, get(home::readyz)),
        r(
            Method::GET,
            "/static/{file}",
            Public,
            get(crate::assets::serve),
        ),
        r(Method::GET, "/connexion", Public, get(auth::login_form)),
        r(Method::POST, "/connexion", Public, post(auth::login_submit)),
        r(
            Method::POST,
            "/deconnexion",
            Authenticated,
            post(auth::logout),
        ),
        r(Method::GET, "/compte", Authenticated, get(account::show)),
        r(
            Method::POST,
            "/compte/territoire",
            Authenticated,
            post(account::switch),
        ),
        r(
            Method::GET,
            "/{territoire}",
            TerritoryPublic,
            get(home::territory),
        ),
        r(
            Method::GET,
            "/{territoire}/communes.csv",
            TerritoryPublic,
            get(home::communes_csv),
        ),
        r(
            Method::GET,
            "/{territoire}/espace",
            TerritoryMember(ANY_ROLE),
            get(space::show),
        ),
        r(
            Method::GET,
            "/{territoire}/admin/membres",
            TerritoryMember(ADMIN),
            get(admin::members),
        ),
        r(
            Method::GET,
            "/{territoire}/admin/journal",
            TerritoryMember(ADMIN),
            get(admin::journal),
        ),
        r(
            Method::GET,
            "/{territoire}/admin/journal/{id}",
            TerritoryMember(ADMIN),
            get(admin::journal_entry),
        ),
    ]
}

/// Every route with its rule, for the authorization-matrix test and the docs.
pub fn specs() -> Vec<RouteSpec> {
    table().into_iter().map(|(spec, _)| spec).collect()
}

/// Builds the router: each route wrapped in its rule, then the layers common to all.
pub fn router(state: AppState) -> Router {
    let mut router: Router<AppState> = Router::new();
    for (spec, mr) in table() {
        let guarded = mr.route_layer(axum::middleware::from_fn_with_state(
            (state.clone(), spec.access),
            enforce,
        ));
        router = router.route(spec.path, guarded);
    }
    router
        .fallback(|| async { crate::error::AppError::NotFound })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::csrf,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::session,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::security_headers,
        ))
        .layer(axum::middleware::from_fn(middleware::request_id))
        .with_state(state)
}
