//! A structure of the directory: its data·inclusion record and what lists read.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dir_structure")]
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
    /// The Trame organisation whose members may edit it.
    pub organisation_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
