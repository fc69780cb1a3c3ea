//! Hours of one person on one contract in one month by one way, in tenths.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clause_hours")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub contract_id: i64,
    pub person_id: i64,
    pub month: String,
    pub way: String,
    pub tenths: i32,
    pub state: String,
    pub reject_reason: Option<String>,
    pub source: String,
    pub declared_by: Option<i64>,
    pub decided_by: Option<i64>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
