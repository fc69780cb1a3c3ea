//! An application to an edition; its texts are in `dossier_text`.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dossier")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub edition_id: i64,
    pub organisation_id: i64,
    pub reference: String,
    pub state: String,
    pub title: String,
    pub requested_cents: i64,
    pub budget_cents: i64,
    pub jobs_fte_tenths: i32,
    pub envelope_code: Option<String>,
    pub entrepreneur_id: Option<i64>,
    pub submitted_at: Option<TimeDateTimeWithTimeZone>,
    pub labels: String,
    pub checklist: String,
    pub decision_cents: Option<i64>,
    pub deliberation_ref: Option<String>,
    pub decided_at: Option<TimeDateTimeWithTimeZone>,
    pub created_by: Option<i64>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organisation::Entity",
        from = "Column::OrganisationId",
        to = "super::organisation::Column::Id"
    )]
    Organisation,
}

impl Related<super::organisation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organisation.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
