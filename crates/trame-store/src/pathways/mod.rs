//! Insertion pathways: the participants' files, their barriers and steps, the referrals
//! to the directory's services, the exits and the situation six months on.
//!
//! Who reaches what is decided here, never by a page. A file is held by its referent
//! counsellor's organisation: that organisation's members read and write it. The
//! organisations it is shared with read it. Nobody else reaches it, not even the
//! territory's staff (`NotFound`), who see the figures only. Every read of a file is in
//! the access log; every change is in the journal and moves the file's last contact,
//! from which its retention runs.

mod dashboard;
mod files;
mod referrals;
pub(crate) mod retention;
mod steps;

pub use dashboard::{Counts, PathDashboard, PathGroups, Sight};
pub use files::{FileRow, FileView, ListedFile, NewFile, days_of};
pub use referrals::{Matching, ReceivedReferral, ReferralView};
pub use retention::{BASIS, EliminationRow};
pub use steps::{BarrierRow, StepRow};

use crate::entities::{path_file, path_share};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::ActiveModelTrait;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use trame_domain::format::paris_day;

/// What a viewer may do with a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// A member of the holding organisation: reads and writes.
    Holder,
    /// A member of an organisation the file is shared with: reads.
    Shared,
}

/// The organisations the viewer acts for in the territory.
pub(crate) async fn orgs_of<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    viewer: i64,
) -> Result<Vec<i64>, StoreError> {
    use crate::entities::organisation_member;
    Ok(organisation_member::Entity::find()
        .select_only()
        .column(organisation_member::Column::OrganisationId)
        .filter(organisation_member::Column::TerritoryId.eq(scope.territory_id()))
        .filter(organisation_member::Column::PersonId.eq(viewer))
        .into_tuple()
        .all(db)
        .await?)
}

/// A file the viewer reaches, with how; `NotFound` otherwise, and for an anonymised file.
pub(crate) async fn file_in<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    viewer: i64,
    id: i64,
) -> Result<(path_file::Model, Reach), StoreError> {
    let file = path_file::Entity::find_by_id(id)
        .filter(path_file::Column::TerritoryId.eq(scope.territory_id()))
        .filter(path_file::Column::AnonymisedAt.is_null())
        .first(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let orgs = orgs_of(db, scope, viewer).await?;
    if orgs.contains(&file.organisation_id) {
        return Ok((file, Reach::Holder));
    }
    let shared = path_share::Entity::find()
        .filter(path_share::Column::FileId.eq(id))
        .filter(path_share::Column::OrganisationId.is_in(orgs))
        .first(db)
        .await?;
    match shared {
        Some(_) => Ok((file, Reach::Shared)),
        None => Err(StoreError::NotFound),
    }
}

/// A file the viewer may write: its holding organisation's member. A member of an
/// organisation it is shared with reads it only.
pub(crate) async fn file_to_write<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    viewer: i64,
    id: i64,
) -> Result<path_file::Model, StoreError> {
    match file_in(db, scope, viewer, id).await? {
        (file, Reach::Holder) => Ok(file),
        (_, Reach::Shared) => Err(StoreError::Conflict {
            field: "file",
            message: "Ce dossier vous est partagé en lecture : seule l'organisation du \
                      conseiller référent le modifie."
                .into(),
        }),
    }
}

/// Notes that something was recorded on `today`: retention runs from the last contact.
pub(crate) async fn touch<C: ConnectionTrait>(
    tx: &C,
    file: &path_file::Model,
    now: time::OffsetDateTime,
) -> Result<(), StoreError> {
    let mut f: path_file::ActiveModel = file.clone().into();
    f.last_contact_on = Set(paris_day(now).to_string());
    f.updated_at = Set(now);
    f.update(tx).await?;
    Ok(())
}

impl Store {
    /// Ends a write on `file`: notes the contact, journals `change` (action, object type,
    /// object id) as the viewer's, commits, and forgets the dashboard's kept groups.
    pub(crate) async fn end_file_write(
        &self,
        tx: sea_orm::DatabaseTransaction,
        file: &path_file::Model,
        now: time::OffsetDateTime,
        viewer: i64,
        scope: Scope,
        change: (&'static str, &'static str, i64),
    ) -> Result<(), StoreError> {
        touch(&tx, file, now).await?;
        let (act, object, id) = change;
        crate::audit::journal(&tx, now, Some(viewer), scope, act, object, id).await?;
        tx.commit().await?;
        self.cache.forget_pathways(Some(scope.territory_id()));
        Ok(())
    }

    /// The organisations the viewer may open a file for: those they belong to, by name.
    pub async fn path_organisations(
        &self,
        scope: Scope,
        viewer: i64,
    ) -> Result<Vec<crate::entities::organisation::Model>, StoreError> {
        use crate::entities::organisation;
        use sea_orm::QueryOrder;
        let orgs = orgs_of(&self.db, scope, viewer).await?;
        Ok(organisation::Entity::find()
            .filter(organisation::Column::TerritoryId.eq(scope.territory_id()))
            .filter(organisation::Column::Id.is_in(orgs))
            .order_by_asc(organisation::Column::Name)
            .all(&self.db)
            .await?)
    }
}
