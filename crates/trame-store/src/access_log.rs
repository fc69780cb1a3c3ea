//! The access log of personal data reads (CNIL délibération 2021-122). Kept apart from the
//! audit journal because it must be purged after its retention period.

use crate::entities::access_log;
use crate::{Store, StoreError};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use time::OffsetDateTime;

/// The entries waiting to be written, and the right to write them. Concurrent reads are
/// logged by group commit: the first to get the right writes every entry queued so far in
/// one statement (one transaction, one sync to disk); the others find theirs written and
/// return. Every caller returns only once its own entry is committed, so a read is never
/// shown without its log line, and writers do not queue on the database's lock.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    queue: std::sync::Mutex<Vec<(access_log::ActiveModel, Waiter)>>,
    write: tokio::sync::Mutex<()>,
}

type Waiter = tokio::sync::oneshot::Sender<Result<(), String>>;

impl Store {
    /// Records that `actor_id` performed `operation` on `data_ref` (an object reference,
    /// such as `territory:1/members`; never the data itself).
    pub async fn log_access(
        &self,
        actor_id: i64,
        territory_id: Option<i64>,
        operation: &str,
        data_ref: &str,
    ) -> Result<(), StoreError> {
        let entry = access_log::ActiveModel {
            occurred_at: Set(self.now()),
            actor_id: Set(actor_id),
            territory_id: Set(territory_id),
            operation: Set(operation.to_owned()),
            data_ref: Set(data_ref.to_owned()),
            ..Default::default()
        };
        let (done, written) = tokio::sync::oneshot::channel();
        self.access
            .queue
            .lock()
            .map_err(|_| StoreError::Internal("access log queue poisoned".into()))?
            .push((entry, done));
        {
            let _turn = self.access.write.lock().await;
            let batch = std::mem::take(
                &mut *self
                    .access
                    .queue
                    .lock()
                    .map_err(|_| StoreError::Internal("access log queue poisoned".into()))?,
            );
            if !batch.is_empty() {
                // Written by a task of its own: a request cancelled meanwhile does not
                // cancel the others' entries.
                let db = self.db.clone();
                let _ = tokio::spawn(async move {
                    let (entries, waiters): (Vec<_>, Vec<_>) = batch.into_iter().unzip();
                    let outcome = access_log::Entity::insert_many(entries)
                        .exec_without_returning(&db)
                        .await
                        .map(|_| ())
                        .map_err(|e| e.to_string());
                    for w in waiters {
                        // A caller that went away needs no answer.
                        let _ = w.send(outcome.clone());
                    }
                })
                .await;
            }
        }
        match written.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(StoreError::Internal(format!(
                "the access log could not be written: {e}"
            ))),
            Err(_) => Err(StoreError::Internal(
                "the access log writer went away".into(),
            )),
        }
    }

    /// Entries of the access log written by `actor_id`, for tests and audits.
    pub async fn access_log_count(&self, actor_id: i64) -> Result<u64, StoreError> {
        use sea_orm::PaginatorTrait;
        Ok(access_log::Entity::find()
            .filter(access_log::Column::ActorId.eq(actor_id))
            .count(&self.db)
            .await?)
    }
}

impl Store {
    /// The (operation, data reference) of the access-log entries written by `actor_id`,
    /// oldest first, for tests and audits.
    pub async fn access_log_of(&self, actor_id: i64) -> Result<Vec<(String, String)>, StoreError> {
        use sea_orm::QueryOrder;
        Ok(access_log::Entity::find()
            .filter(access_log::Column::ActorId.eq(actor_id))
            .order_by_asc(access_log::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|e| (e.operation, e.data_ref))
            .collect())
    }
}

/// Deletes the access-log entries older than `cutoff`, within the job's transaction.
pub(crate) async fn purge_before<C: sea_orm::ConnectionTrait>(
    tx: &C,
    cutoff: OffsetDateTime,
) -> Result<u64, StoreError> {
    let r = access_log::Entity::delete_many()
        .filter(access_log::Column::OccurredAt.lt(cutoff))
        .exec(tx)
        .await?;
    Ok(r.rows_affected)
}
