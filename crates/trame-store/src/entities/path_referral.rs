//! A referral (orientation) of a participant to a service of the directory.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "path_referral")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub file_id: i64,
    pub barrier_id: i64,
    pub service_id: i64,
    pub structure_id: i64,
    pub message: String,
    pub sent_by: i64,
    pub sent_at: TimeDateTimeWithTimeZone,
    pub state: String,
    pub answered_by: Option<i64>,
    pub answered_at: Option<TimeDateTimeWithTimeZone>,
    pub reason: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
