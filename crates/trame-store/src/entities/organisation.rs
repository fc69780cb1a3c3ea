//! An organisation known to a territory: association, cooperative, SIAE, company…
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub name: String,
    pub siret: Option<String>,
    pub rna: Option<String>,
    /// Code of `trame_domain::organisation::LegalForm`.
    pub legal_form: String,
    /// Code of `trame_domain::organisation::SiaeKind`, for SIAE.
    pub siae_kind: Option<String>,
    /// Date of the ESUS approval, for ESUS companies.
    pub esus_approved_on: Option<TimeDate>,
    pub address: String,
    /// INSEE code of the commune of the address.
    pub commune_code: Option<String>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
