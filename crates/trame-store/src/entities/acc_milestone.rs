//! A dated milestone of a project.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "acc_milestone")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub project_id: i64,
    pub kind: String,
    pub reached_on: String,
    pub siret: Option<String>,
    pub amount_cents: Option<i64>,
    pub note: String,
    pub actor_id: Option<i64>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
