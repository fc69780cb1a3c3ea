//! An application to a call, by a person or a structure.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "acc_application")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub call_id: i64,
    pub kind: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub structure_name: String,
    pub siret: Option<String>,
    pub commune_residence: Option<String>,
    pub commune_activity: Option<String>,
    pub project_name: String,
    pub summary: String,
    pub stage: String,
    pub needs: String,
    pub state: String,
    pub decision_reason: Option<String>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<TimeDateTimeWithTimeZone>,
    pub consent_at: TimeDateTimeWithTimeZone,
    pub is_demo: bool,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
