//! The person's own account: identity, territories and roles, territory switch.

use super::render;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::middleware::CurrentUser;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use trame_store::accounts::MembershipView;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    name: String,
    email: String,
    memberships: Vec<MembershipView>,
    current_territory_id: Option<i64>,
}

impl AccountPage {
    fn is_admin_somewhere(&self) -> bool {
        self.memberships
            .iter()
            .any(|m| m.roles.contains(&trame_domain::role::Role::TerritoryAdmin))
    }

    fn is_current(&self, id: &i64) -> bool {
        self.current_territory_id == Some(*id)
    }
}

/// `GET /compte`.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let memberships = state.store.memberships_of(user.person_id).await?;
    render(&AccountPage {
        chrome,
        name: user.display_name,
        email: user.email,
        memberships,
        current_territory_id: user.current_territory_id,
    })
}

/// The territory switch form.
#[derive(Debug, Deserialize)]
pub struct SwitchForm {
    #[serde(default)]
    territoire: String,
}

/// `POST /compte/territoire`: works in another of the person's territories.
pub async fn switch(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<SwitchForm>,
) -> Result<Response, AppError> {
    let territory = state.store.territory_by_slug(&form.territoire).await?;
    let roles = state
        .store
        .roles_in(territory.scope(), user.person_id)
        .await?;
    if roles.is_empty() {
        return Err(AppError::NotFound);
    }
    state
        .store
        .switch_territory(&user.token, territory.id)
        .await?;
    Ok(Redirect::to(&format!("/{}/espace", territory.slug)).into_response())
}
