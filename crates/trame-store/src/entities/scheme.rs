//! A funding scheme of a territory: a call for projects (`appel`) or conventions.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "scheme")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub kind: String,
    pub name: String,
    pub description: String,
    pub created_at: TimeDateTimeWithTimeZone,
    /// Whether a convention is required below the legal threshold too (migration 9).
    pub convention_always: bool,
    /// Default payment schedule of its awards, `80:signature,20:bilan`.
    pub schedule: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
