//! A jury member's marks on an application.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "acc_score")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub application_id: i64,
    pub person_id: i64,
    pub motivation: i32,
    pub utilite: i32,
    pub ancrage: i32,
    pub faisabilite: i32,
    pub total: i32,
    pub comment: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
