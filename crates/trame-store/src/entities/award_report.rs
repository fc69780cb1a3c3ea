//! The final report (CERFA 15059) of one year of an award: its state, the checked
//! content once submitted (`content_json`), who submitted and decided, and how many
//! reminders went out.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "award_report")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub award_id: i64,
    pub year: i32,
    pub due_on: TimeDate,
    pub state: String,
    pub content_json: Option<String>,
    pub submitted_at: Option<TimeDateTimeWithTimeZone>,
    pub submitted_by: Option<i64>,
    pub decided_at: Option<TimeDateTimeWithTimeZone>,
    pub decided_by: Option<i64>,
    /// The instructor's comment when the report is sent back.
    pub comment: String,
    pub reminders: i32,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
