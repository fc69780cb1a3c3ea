//! A territory (EPT, EPCI…): the tenant every other row belongs to.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "territory")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    pub siren: String,
    pub departement: String,
    pub created_at: TimeDateTimeWithTimeZone,
    /// Accent colour of the territory's pages, `#rrggbb`, AA contrast on white.
    pub primary_color: String,
    /// SIRET of the body that awards grants (open data).
    pub awarding_siret: Option<String>,
    /// Logo image (PNG or JPEG), served at `/{territoire}/logo`.
    pub logo: Option<Vec<u8>>,
    /// Media type of the logo.
    pub logo_mime: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
