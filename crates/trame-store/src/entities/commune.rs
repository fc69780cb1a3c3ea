//! A member commune of a territory.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "commune")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub code_insee: String,
    pub name: String,
    pub population: i64,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub siren: Option<String>,
    /// Postal codes, comma-separated.
    pub postal_codes: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
