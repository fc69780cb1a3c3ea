//! A supported ESS project of the showcase; public only when published, which needs a consent.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "showcase_project")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub name: String,
    pub mission: String,
    pub website: Option<String>,
    pub commune_code: Option<String>,
    pub scheme: String,
    pub year: i32,
    pub consent_on: Option<String>,
    pub consent_note: String,
    pub published: bool,
    pub award_id: Option<i64>,
    pub is_demo: bool,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
