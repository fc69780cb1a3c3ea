//! A commune a submitted dossier concerns, with the dossier's state and submission time
//! copied in (see migration 8).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dossier_commune")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub dossier_id: i64,
    pub commune_code: String,
    /// The dossier's state, kept in step with it (for the list filtered by commune).
    pub state: String,
    /// When the dossier was first submitted, kept in step with it.
    pub submitted_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The dossier.
    #[sea_orm(
        belongs_to = "super::dossier::Entity",
        from = "Column::DossierId",
        to = "super::dossier::Column::Id"
    )]
    Dossier,
}

impl ActiveModelBehavior for ActiveModel {}
