//! A call for candidates that recruits a cohort.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "acc_call")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub cohort_id: i64,
    pub title: String,
    pub description: String,
    pub opens_on: String,
    pub closes_on: String,
    pub closed_early_at: Option<TimeDateTimeWithTimeZone>,
    pub is_demo: bool,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
