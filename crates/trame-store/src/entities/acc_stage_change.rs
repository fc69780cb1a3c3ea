//! A move of a project from one stage to another.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "acc_stage_change")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub project_id: i64,
    pub from_stage: Option<String>,
    pub to_stage: String,
    pub changed_on: String,
    pub reason: String,
    pub actor_id: Option<i64>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
