//! A dossier's line in a scenario: rank, proposed amount, amount after override.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "scenario_line")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub scenario_id: i64,
    pub dossier_id: i64,
    pub rank: i32,
    pub outcome: String,
    pub proposed_cents: i64,
    pub amount_cents: i64,
    pub from_earmarked_cents: i64,
    pub override_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
