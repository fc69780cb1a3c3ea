//! Validated hours of a person on a contract, in one way, in one year: a tally kept in
//! the transaction that validates the lines, read by the yearly report.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clause_tally_person")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub contract_id: i64,
    pub person_id: i64,
    pub way: String,
    pub year: i32,
    pub lines: i64,
    pub tenths: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
