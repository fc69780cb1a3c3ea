//! A member's space in a territory: their roles and what each lets them do.

use super::render;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::middleware::CurrentUser;
use askama::Template;
use axum::response::Response;
use trame_domain::role::Role;

#[derive(Template)]
#[template(path = "territory/space.html")]
struct SpacePage {
    chrome: Chrome,
    name: String,
    territory_name: String,
    slug: String,
    roles: Vec<Role>,
}

impl SpacePage {
    fn is_admin(&self) -> bool {
        self.roles.contains(&Role::TerritoryAdmin)
    }
}

/// `GET /{territoire}/espace`.
pub async fn show(
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
) -> Result<Response, AppError> {
    render(&SpacePage {
        chrome,
        name: user.display_name,
        territory_name: ctx.territory.name,
        slug: ctx.territory.slug,
        roles: ctx.roles,
    })
}
