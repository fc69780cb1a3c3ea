//! The email outbox: every message the platform sends is first written here, in the same
//! transaction as the change that causes it. Without SMTP settings, territory admins read
//! the messages in the interface.

use crate::audit::{self, Entry};
use crate::entities::outbox_email;
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use time::OffsetDateTime;
use trame_domain::audit::action;

pub use crate::entities::outbox_email::Model as OutboxEmail;

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewEmail<'a> {
    /// Territory the message is about.
    pub territory_id: Option<i64>,
    /// Recipient address.
    pub to: &'a str,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// The addresses of the territory's active members holding one of `roles`, sorted.
pub(crate) async fn emails_of_roles<C: ConnectionTrait>(
    tx: &C,
    scope: Scope,
    roles: &[trame_domain::role::Role],
) -> Result<Vec<String>, StoreError> {
    use crate::entities::{membership, person};
    use sea_orm::{ColumnTrait, QueryFilter};
    let ids: Vec<i64> = membership::Entity::find()
        .filter(membership::Column::TerritoryId.eq(scope.territory_id()))
        .filter(membership::Column::Role.is_in(roles.iter().map(|r| r.code())))
        .filter(membership::Column::DisabledAt.is_null())
        .all(tx)
        .await?
        .into_iter()
        .map(|m| m.person_id)
        .collect();
    let mut emails: Vec<String> = person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .filter(person::Column::Disabled.eq(false))
        .all(tx)
        .await?
        .into_iter()
        .map(|p| p.email)
        .collect();
    emails.sort();
    emails.dedup();
    Ok(emails)
}

/// Queues a message within the caller's transaction, and journals it.
pub(crate) async fn queue<C: ConnectionTrait>(
    tx: &C,
    now: OffsetDateTime,
    actor_id: Option<i64>,
    email: NewEmail<'_>,
) -> Result<i64, StoreError> {
    let row = outbox_email::ActiveModel {
        territory_id: Set(email.territory_id),
        recipient: Set(email.to.to_owned()),
        subject: Set(email.subject),
        body: Set(email.body),
        created_at: Set(now),
        sent_at: Set(None),
        last_error: Set(None),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(
        tx,
        now,
        Entry {
            actor_id,
            territory_id: email.territory_id,
            action: action::EMAIL_QUEUE,
            object_type: "outbox_email",
            object_id: row.id.to_string(),
        },
    )
    .await?;
    Ok(row.id)
}

impl Store {
    /// The latest messages of a territory, newest first.
    pub async fn outbox(&self, scope: Scope, limit: u64) -> Result<Vec<OutboxEmail>, StoreError> {
        Ok(outbox_email::Entity::find()
            .filter(outbox_email::Column::TerritoryId.eq(scope.territory_id()))
            .order_by_desc(outbox_email::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?)
    }

    /// One message of a territory; `NotFound` for another territory's.
    pub async fn outbox_email(&self, scope: Scope, id: i64) -> Result<OutboxEmail, StoreError> {
        outbox_email::Entity::find_by_id(id)
            .filter(outbox_email::Column::TerritoryId.eq(scope.territory_id()))
            .first(&self.db)
            .await?
            .ok_or(StoreError::NotFound)
    }
}

impl Store {
    /// Messages not sent yet, oldest first, for the sender.
    pub async fn pending_emails(&self, limit: u64) -> Result<Vec<OutboxEmail>, StoreError> {
        Ok(outbox_email::Entity::find()
            .filter(outbox_email::Column::SentAt.is_null())
            .order_by_asc(outbox_email::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?)
    }

    /// Records that a message was handed to the SMTP server, and journals it.
    pub async fn mark_email_sent(&self, id: i64) -> Result<(), StoreError> {
        use sea_orm::IntoActiveModel;
        let now = self.now();
        let tx = self.begin_write().await?;
        let row = outbox_email::Entity::find_by_id(id)
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let territory_id = row.territory_id;
        let mut am = row.into_active_model();
        am.sent_at = Set(Some(now));
        am.last_error = Set(None);
        am.update(&tx).await?;
        audit::record(
            &tx,
            now,
            Entry {
                actor_id: None,
                territory_id,
                action: action::EMAIL_SEND,
                object_type: "outbox_email",
                object_id: id.to_string(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records why a message could not be sent; it stays pending for the next attempt.
    pub async fn mark_email_failed(&self, id: i64, error: &str) -> Result<(), StoreError> {
        use sea_orm::IntoActiveModel;
        let tx = self.begin_write().await?;
        let row = outbox_email::Entity::find_by_id(id)
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut am = row.into_active_model();
        am.last_error = Set(Some(error.chars().take(500).collect()));
        am.update(&tx).await?;
        tx.commit().await?;
        Ok(())
    }
}
