//! A person working clause hours: minimal personal data, eligibility, referrer.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clause_person")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub sex: String,
    pub birth_year: i32,
    pub commune_code: Option<String>,
    pub ground: String,
    pub proof: String,
    pub validated_by: Option<i64>,
    pub validated_on: Option<String>,
    pub referring_org_id: Option<i64>,
    pub is_demo: bool,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
