//! A project accompanied in a cohort: its holder, its stage, its hours.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "acc_project")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub cohort_id: i64,
    pub application_id: Option<i64>,
    pub name: String,
    pub kind: String,
    pub holder_first_name: String,
    pub holder_last_name: String,
    pub holder_email: String,
    pub structure_name: String,
    pub siret: Option<String>,
    pub commune_code: Option<String>,
    pub activity: String,
    pub stage: String,
    pub year: i32,
    pub allocation_tenths: i32,
    pub individual_tenths: i64,
    pub collective_tenths: i64,
    pub adviser_id: Option<i64>,
    pub showcase_project_id: Option<i64>,
    pub dossier_id: Option<i64>,
    pub outcome_jobs_tenths: Option<i32>,
    pub outcome_active: Option<bool>,
    pub is_demo: bool,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
