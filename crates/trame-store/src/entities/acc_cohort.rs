//! A cohort (promotion) of the accompaniment programme, with its calendar.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "acc_cohort")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub name: String,
    pub format: String,
    pub starts_on: String,
    pub ends_on: String,
    pub allocation_tenths: i32,
    pub provider_org_id: Option<i64>,
    pub is_demo: bool,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
