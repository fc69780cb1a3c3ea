//! A committee member's review of a dossier: conflict-of-interest declaration, then scores.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub dossier_id: i64,
    pub reviewer_id: i64,
    pub assigned_by: Option<i64>,
    pub assigned_at: TimeDateTimeWithTimeZone,
    pub conflict: Option<bool>,
    pub conflict_note: String,
    pub declared_at: Option<TimeDateTimeWithTimeZone>,
    pub comment: String,
    pub scored_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
