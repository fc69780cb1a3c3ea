//! A participant's pathway file, held by the referent counsellor's organisation.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "path_file")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub organisation_id: i64,
    pub referent_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub sex: String,
    pub birth_year: i32,
    pub commune_code: String,
    pub ground: String,
    pub entered_on: String,
    pub ends_by: String,
    pub entry_status: String,
    pub education: String,
    pub disability: String,
    pub homeless: String,
    pub consent_at: TimeDateTimeWithTimeZone,
    pub exited_on: Option<String>,
    pub exit_reason: Option<String>,
    pub exit_note: String,
    pub follow_up_on: Option<String>,
    pub follow_up: Option<String>,
    pub last_contact_on: String,
    pub anonymised_at: Option<TimeDateTimeWithTimeZone>,
    pub is_demo: bool,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
