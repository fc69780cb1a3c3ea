//! The logo of a territory.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "territory_logo")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub territory_id: i64,
    pub mime: String,
    pub bytes: Vec<u8>,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
