//! A role held by a person in a territory.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "membership")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub person_id: i64,
    pub role: String,
    pub created_at: TimeDateTimeWithTimeZone,
    /// Set when a territory admin deactivated this person in the territory.
    pub disabled_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::territory::Entity",
        from = "Column::TerritoryId",
        to = "super::territory::Column::Id"
    )]
    Territory,
    #[sea_orm(
        belongs_to = "super::person::Entity",
        from = "Column::PersonId",
        to = "super::person::Column::Id"
    )]
    Person,
}

impl Related<super::territory::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Territory.def()
    }
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
