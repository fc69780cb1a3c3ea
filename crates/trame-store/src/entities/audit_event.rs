//! One entry of the append-only audit journal. The database refuses updates and deletes.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub chain: String,
    pub seq: i64,
    pub occurred_at: TimeDateTimeWithTimeZone,
    pub actor_id: Option<i64>,
    pub territory_id: Option<i64>,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
