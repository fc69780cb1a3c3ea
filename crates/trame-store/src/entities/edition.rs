//! A yearly edition of a call for projects: calendar, envelopes, ceilings, rules.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "edition")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub territory_id: i64,
    pub scheme_id: i64,
    pub year: i32,
    pub title: String,
    pub description: String,
    pub opens_at: TimeDateTimeWithTimeZone,
    pub closes_at: TimeDateTimeWithTimeZone,
    pub total_cents: i64,
    pub ceiling_cents: i64,
    pub ceiling_share_percent: i32,
    pub minimum_share_percent: i32,
    pub step_cents: i64,
    pub allowed_forms: String,
    pub opinion_days: i32,
    pub deemed_favourable: bool,
    pub reviewer_cap: i32,
    pub published_at: Option<TimeDateTimeWithTimeZone>,
    pub demo_amounts: bool,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
