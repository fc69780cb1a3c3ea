//! A file's barriers (by theme, once each, lifted when solved) and steps (dated inside
//! the pathway's days).

use super::file_to_write;
use crate::entities::{path_barrier, path_step};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use trame_domain::audit::action;
use trame_domain::format::paris_day;
use trame_domain::pathways::pathway::{BarrierEntry, Step};

/// A barrier as stored.
pub type BarrierRow = path_barrier::Model;
/// A step as stored.
pub type StepRow = path_step::Model;

impl Store {
    /// Records a barrier of a file, found today.
    pub async fn add_path_barrier(
        &self,
        viewer: i64,
        scope: Scope,
        file_id: i64,
        b: &BarrierEntry,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let file = file_to_write(&tx, scope, viewer, file_id).await?;
        let row = path_barrier::ActiveModel {
            territory_id: Set(scope.territory_id()),
            file_id: Set(file_id),
            barrier: Set(b.barrier.code().to_owned()),
            note: Set(b.note.clone()),
            identified_on: Set(paris_day(now).to_string()),
            lifted_on: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await
        .map_err(|e| {
            StoreError::unique_as(e, "barrier", "Ce frein est déjà noté dans le dossier.")
        })?;
        self.end_file_write(
            tx,
            &file,
            now,
            viewer,
            scope,
            (action::PATH_BARRIER_CREATE, "path_barrier", row.id),
        )
        .await?;
        Ok(row.id)
    }

    /// Notes that a barrier is lifted, today.
    pub async fn lift_path_barrier(
        &self,
        viewer: i64,
        scope: Scope,
        file_id: i64,
        barrier_id: i64,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let file = file_to_write(&tx, scope, viewer, file_id).await?;
        let b = path_barrier::Entity::find_by_id(barrier_id)
            .filter(path_barrier::Column::FileId.eq(file_id))
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if b.lifted_on.is_some() {
            return Err(StoreError::Conflict {
                field: "barrier",
                message: "Ce frein est déjà levé.".into(),
            });
        }
        let mut m: path_barrier::ActiveModel = b.into();
        m.lifted_on = Set(Some(paris_day(now).to_string()));
        m.update(&tx).await?;
        self.end_file_write(
            tx,
            &file,
            now,
            viewer,
            scope,
            (action::PATH_BARRIER_LIFT, "path_barrier", barrier_id),
        )
        .await?;
        Ok(())
    }

    /// Records a step (checked against the file's days by the caller).
    pub async fn add_path_step(
        &self,
        viewer: i64,
        scope: Scope,
        file_id: i64,
        s: &Step,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let file = file_to_write(&tx, scope, viewer, file_id).await?;
        let row = path_step::ActiveModel {
            territory_id: Set(scope.territory_id()),
            file_id: Set(file_id),
            kind: Set(s.kind.code().to_owned()),
            title: Set(s.title.clone()),
            starts_on: Set(s.starts_on.to_string()),
            ends_on: Set(s.ends_on.map(|d| d.to_string())),
            status: Set(s.status.code().to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        self.end_file_write(
            tx,
            &file,
            now,
            viewer,
            scope,
            (action::PATH_STEP_CREATE, "path_step", row.id),
        )
        .await?;
        Ok(row.id)
    }

    /// Rewrites a step (checked against the file's days by the caller).
    pub async fn update_path_step(
        &self,
        viewer: i64,
        scope: Scope,
        file_id: i64,
        step_id: i64,
        s: &Step,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let file = file_to_write(&tx, scope, viewer, file_id).await?;
        let row = path_step::Entity::find_by_id(step_id)
            .filter(path_step::Column::FileId.eq(file_id))
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut m: path_step::ActiveModel = row.into();
        m.kind = Set(s.kind.code().to_owned());
        m.title = Set(s.title.clone());
        m.starts_on = Set(s.starts_on.to_string());
        m.ends_on = Set(s.ends_on.map(|d| d.to_string()));
        m.status = Set(s.status.code().to_owned());
        m.updated_at = Set(now);
        m.update(&tx).await?;
        self.end_file_write(
            tx,
            &file,
            now,
            viewer,
            scope,
            (action::PATH_STEP_UPDATE, "path_step", step_id),
        )
        .await?;
        Ok(())
    }
}
