//! Funding I: the call for projects from edition to committee decision.
//!
//! - [`editions`]: schemes and editions (calendar, envelopes, grid, rules), copy from last
//!   year's, publication;
//! - [`dossiers`]: the applicant's dossier, its draft, submission and attachments;
//! - [`instruction`]: states, messages and annotations, labels, checklist, commune opinions
//!   and their reminders, commune referents;
//! - [`review`]: reviewers, conflict-of-interest declarations, scores;
//! - [`committee`]: ranking, scenarios (default rule, optimal), overrides, decisions;
//! - [`awards`]: awards, payments, de minimis, open data;
//! - [`conventions`]: awards granted directly to partners and communes, the commune's visa;
//! - [`reports`]: an award's years and final reports, their reminders, what may be paid.
//!
//! Every change writes its audit entry in its transaction; every read takes a [`Scope`].

pub mod awards;
pub mod committee;
pub mod conventions;
pub mod dossiers;
pub mod editions;
pub mod instruction;
pub mod reports;
pub mod review;

use crate::entities::dossier;
use crate::query::First;
use crate::{Scope, StoreError};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use trame_domain::funding::dossier::State;

pub use crate::entities::dossier::Model as DossierRow;

/// A dossier of the territory, read inside a transaction; `NotFound` otherwise.
pub(crate) async fn dossier_in<C: ConnectionTrait>(
    tx: &C,
    scope: Scope,
    id: i64,
) -> Result<DossierRow, StoreError> {
    dossier::Entity::find_by_id(id)
        .filter(dossier::Column::TerritoryId.eq(scope.territory_id()))
        .first(tx)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Copies a dossier's state and submission time onto its commune rows, inside the
/// caller's transaction: the list filtered by commune reads them there (migration 8).
/// Every change of state calls it.
pub(crate) async fn sync_communes<C: ConnectionTrait>(
    tx: &C,
    row: &DossierRow,
) -> Result<(), StoreError> {
    use crate::entities::dossier_commune;
    use sea_orm::sea_query::Expr;
    dossier_commune::Entity::update_many()
        .col_expr(
            dossier_commune::Column::State,
            Expr::value(row.state.clone()),
        )
        .col_expr(
            dossier_commune::Column::SubmittedAt,
            Expr::value(row.submitted_at),
        )
        .filter(dossier_commune::Column::DossierId.eq(row.id))
        .exec(tx)
        .await?;
    Ok(())
}

/// Writes a dossier's texts (insert or replace), inside the caller's transaction.
pub(crate) async fn write_texts<C: ConnectionTrait>(
    tx: &C,
    dossier_id: i64,
    draft_json: String,
    content_json: Option<String>,
) -> Result<(), StoreError> {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let am = crate::entities::dossier_text::ActiveModel {
        dossier_id: Set(dossier_id),
        draft_json: Set(draft_json),
        content_json: Set(content_json),
    };
    if crate::entities::dossier_text::Entity::find_by_id(dossier_id)
        .first(tx)
        .await?
        .is_some()
    {
        am.update(tx).await?;
    } else {
        am.insert(tx).await?;
    }
    Ok(())
}

/// The state of a stored dossier.
pub fn state_of(row: &DossierRow) -> State {
    State::from_code(&row.state).unwrap_or(State::Draft)
}

pub(crate) use crate::audit::journal;

/// A conflict on `field` with a French message.
pub(crate) fn conflict(field: &'static str, message: impl Into<String>) -> StoreError {
    StoreError::Conflict {
        field,
        message: message.into(),
    }
}
