//! A request's idempotency key, written with the change it made (see `crate::idempotency`).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_key")]
pub struct Model {
    /// SHA-256 of the person, the key, the method, the path and the form's content.
    #[sea_orm(primary_key, auto_increment = false)]
    pub key_hash: String,
    pub person_id: Option<i64>,
    pub method: String,
    pub path: String,
    pub created_at: TimeDateTimeWithTimeZone,
    /// Where the first answer sent the person (its `Location`), once known.
    pub location: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
