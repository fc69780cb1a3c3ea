//! A service of the directory: its data·inclusion record and what lists read.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dir_service")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    /// data·inclusion `source`.
    pub source: String,
    /// data·inclusion `id` within the source.
    pub ext_id: String,
    /// `brouillon`, `publie` or `archive`.
    pub status: String,
    pub nom: String,
    pub code_insee: Option<String>,
    /// The whole data·inclusion record, JSON.
    pub record: String,
    pub date_maj: String,
    pub is_demo: bool,
    /// The territory's directory revision of its last change.
    pub revision: i64,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
    pub structure_id: i64,
    /// When its structure and the agents were told it had not been updated for a year.
    pub stale_notified_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
