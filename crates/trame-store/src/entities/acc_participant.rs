//! A person accompanied, with the data FSE+ requires (given with consent).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "acc_participant")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub project_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub sex: String,
    pub birth_year: i32,
    pub entered_on: String,
    pub entry_status: String,
    pub education: String,
    pub disability: String,
    pub homeless: String,
    pub consent_at: TimeDateTimeWithTimeZone,
    pub exited_on: Option<String>,
    pub exit_status: Option<String>,
    pub six_months_on: Option<String>,
    pub six_months_status: Option<String>,
    pub is_demo: bool,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
