//! A read of personal data (CNIL délibération 2021-122): who, when, what operation, which
//! data. Purged after the retention period by a scheduled job.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "access_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub occurred_at: TimeDateTimeWithTimeZone,
    pub actor_id: i64,
    pub territory_id: Option<i64>,
    pub operation: String,
    pub data_ref: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
