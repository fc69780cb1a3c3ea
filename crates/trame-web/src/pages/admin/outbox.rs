//! The territory's outbox: the emails the platform wrote, readable by the administrator
//! when no SMTP server is configured.

use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::middleware::CurrentUser;
use crate::pages::render;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use trame_domain::format::paris_datetime;
use trame_store::outbox::OutboxEmail;

struct Row {
    id: i64,
    at: String,
    to: String,
    subject: String,
    body: String,
    sent: bool,
}

impl From<OutboxEmail> for Row {
    fn from(e: OutboxEmail) -> Self {
        Row {
            id: e.id,
            at: paris_datetime(e.created_at),
            to: e.recipient,
            subject: e.subject,
            body: e.body,
            sent: e.sent_at.is_some(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
struct OutboxPage {
    chrome: Chrome,
    slug: String,
    emails: Vec<Row>,
}

/// `GET /{territoire}/admin/courriels`.
pub async fn list(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let emails = state.store.outbox(ctx.territory.scope(), 200).await?;
    render(&OutboxPage {
        chrome,
        slug: ctx.territory.slug,
        emails: emails.into_iter().map(Row::from).collect(),
    })
}

#[derive(Template)]
#[template(path = "admin/outbox_email.html")]
struct EmailPage {
    chrome: Chrome,
    slug: String,
    email: Row,
}

/// `GET /{territoire}/admin/courriels/{id}`: reading a message is logged (it names a person).
pub async fn show(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let scope = ctx.territory.scope();
    let email = state.store.outbox_email(scope, id).await?;
    state
        .store
        .log_access(
            user.person_id,
            Some(scope.territory_id()),
            "outbox.show",
            &format!("outbox_email:{id}"),
        )
        .await?;
    render(&EmailPage {
        chrome,
        slug: ctx.territory.slug,
        email: email.into(),
    })
}
