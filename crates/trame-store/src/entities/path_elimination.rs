//! A line of the register of pathway files anonymised at the end of their retention.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "path_elimination")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub file_id: i64,
    pub organisation_id: i64,
    pub entry_year: i32,
    pub last_contact_on: String,
    pub eliminated_at: TimeDateTimeWithTimeZone,
    pub basis: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
