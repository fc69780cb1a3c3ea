//! The texts of a dossier: the form as typed (`draft_json`) and the checked content at
//! submission (`content_json`), apart from the dossier so that lists read small rows.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dossier_text")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub dossier_id: i64,
    pub draft_json: String,
    pub content_json: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
