//! An award: money the territory grants, after a call's decision (one per accepted
//! dossier) or by a convention with a partner or a commune. Payments hang from it.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "award")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub scheme_id: i64,
    /// The beneficiary organisation (none for a convention with a commune).
    pub organisation_id: Option<i64>,
    /// The beneficiary commune, for a convention with a commune.
    pub commune_code: Option<String>,
    /// The accepted dossier it comes from, for a call for projects.
    pub dossier_id: Option<i64>,
    pub reference: String,
    /// What it is for (`objet` in the open data), at most 256 characters.
    pub title: String,
    pub amount_cents: i64,
    /// The project's budget, for the subsidy's share of it.
    pub budget_cents: i64,
    pub decided_on: TimeDate,
    pub deliberation_ref: String,
    /// A service of general economic interest (de minimis ceiling of 750,000 €).
    pub siege: bool,
    /// Payment schedule, `80:signature,20:bilan`.
    pub schedule: String,
    pub convention_required: bool,
    pub convention_signed_on: Option<TimeDate>,
    pub starts_on: Option<TimeDate>,
    pub ends_on: Option<TimeDate>,
    pub created_at: TimeDateTimeWithTimeZone,
    /// What a convention funds (`trame_domain::funding::convention::Category`); empty
    /// for an award from a call.
    pub category: String,
    /// When the commune's referent put their visa on a convention with their commune.
    pub commune_visa_on: Option<TimeDate>,
    /// Who did.
    pub commune_visa_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The beneficiary organisation.
    #[sea_orm(
        belongs_to = "super::organisation::Entity",
        from = "Column::OrganisationId",
        to = "super::organisation::Column::Id"
    )]
    Organisation,
}

impl ActiveModelBehavior for ActiveModel {}
