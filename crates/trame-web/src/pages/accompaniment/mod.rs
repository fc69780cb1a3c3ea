//! The ESS accompaniment programme: the public calls for candidates and their form, the
//! team's pages (cohorts, calls, applications and decisions, projects with their
//! sessions, stages, milestones and outcomes, workshops), the jury's and the holder's.

pub mod dashboard;
pub mod fse;
pub mod holder;
pub mod manage;
pub mod projects;
pub mod public;
pub mod selection;

use crate::AppState;
use crate::access::TerritoryCtx;
use crate::error::AppError;
use crate::middleware::CurrentUser;
use trame_domain::clauses::hours::hours_label;
use trame_domain::format::{french_date, parse_iso_date};
use trame_domain::role::Role;
use trame_store::accompaniment::Team;

/// Where the team's pages live.
pub const TEAM_ROOT: &str = "suivi-accompagnement";

/// The team the viewer belongs to: the territory's own (admins, agents, facilitators)
/// or the support providers the viewer's organisations are.
pub async fn team_of(
    state: &AppState,
    ctx: &TerritoryCtx,
    user: &CurrentUser,
) -> Result<Team, AppError> {
    if ctx
        .roles
        .iter()
        .any(|r| matches!(r, Role::TerritoryAdmin | Role::Agent | Role::Facilitator))
    {
        Ok(Team::Territory)
    } else {
        Ok(Team::Provider(
            state
                .store
                .organisations_of(ctx.territory.scope(), user.person_id)
                .await?,
        ))
    }
}

/// Whether the viewer is on the territory's own team (may open calls and decide).
pub fn is_staff(ctx: &TerritoryCtx) -> bool {
    ctx.roles
        .iter()
        .any(|r| matches!(r, Role::TerritoryAdmin | Role::Agent | Role::Facilitator))
}

/// A stored day written in French.
pub fn day(iso: &str) -> String {
    parse_iso_date(iso).map_or_else(|| iso.to_owned(), french_date)
}

/// Tenths of an hour written in French.
pub fn hours(tenths: i64) -> String {
    hours_label(tenths)
}

/// Tenths of a full-time equivalent written in French (`1,5`).
pub fn fte(tenths: i64) -> String {
    if tenths % 10 == 0 {
        (tenths / 10).to_string()
    } else {
        format!("{},{}", tenths / 10, (tenths % 10).abs())
    }
}

/// A label from a vocabulary's code, or the code itself.
pub fn label_of<T: Copy>(
    code: &str,
    from: fn(&str) -> Option<T>,
    label: fn(T) -> &'static str,
) -> String {
    from(code).map_or_else(|| code.to_owned(), |t| label(t).to_owned())
}
