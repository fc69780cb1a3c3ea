//! A contract or lot carrying an insertion clause, with its target.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clause_contract")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub buyer_id: i64,
    pub operation_id: Option<i64>,
    pub reference: String,
    pub object: String,
    pub cpv: String,
    pub amount_cents: i64,
    pub notified_on: String,
    pub duration_months: i32,
    pub ends_on: String,
    pub commune_code: Option<String>,
    pub awardee_siret: String,
    pub awardee_name: String,
    pub awardee_org_id: Option<i64>,
    pub clause_type: String,
    pub target_hours: i64,
    pub labour_share_bp: Option<i32>,
    pub rate_bp: Option<i32>,
    pub hourly_cost_cents: Option<i64>,
    pub target_reason: Option<String>,
    pub decp_considerations: Option<String>,
    pub is_demo: bool,
    pub revision: i64,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
    /// Validated hours, tenths (a running total).
    pub done_tenths: i64,
    /// Hours declared and waiting, tenths (a running total).
    pub pending_tenths: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
