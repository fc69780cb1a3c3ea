//! The access log of personal data reads (CNIL délibération 2021-122). Kept apart from the
//! audit journal because it must be purged after its retention period.

use crate::entities::access_log;
use crate::{Store, StoreError};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use time::OffsetDateTime;

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
        access_log::ActiveModel {
            occurred_at: Set(self.now()),
            actor_id: Set(actor_id),
            territory_id: Set(territory_id),
            operation: Set(operation.to_owned()),
            data_ref: Set(data_ref.to_owned()),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        Ok(())
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
