//! A data·inclusion file into the directory: checked as a whole first (nothing is written
//! when one row is at fault), then written in one transaction. Idempotent on
//! (source, id): a record already stored with the same content is left alone, a changed
//! one is updated and keeps its state, a new one is created (published, or as a draft).
//! The import moves the directory revision once and writes one journal entry; every
//! record it changed carries that revision.

use super::{bump_revision, code_rows, rewrite_service, rewrite_structure};
use crate::audit::{self, Entry};
use crate::cog::Places;
use crate::entities::{dir_code, dir_service, dir_structure};
use crate::{Scope, Store, StoreError};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;
use trame_domain::audit::action;
use trame_domain::directory::exchange::{self, Context, Exchange, RowError};
use trame_domain::directory::listing::Status;
use trame_domain::directory::record::Service;

/// Rows per multi-row insert of records: 16 columns each, well within SQLite's 32,766
/// and PostgreSQL's 65,535 bind parameters.
const ROWS_PER_INSERT: usize = 1000;

/// Rows per multi-row insert of filter codes (4 columns each).
const CODES_PER_INSERT: usize = 5000;

/// How new records are created.
#[derive(Debug, Clone, Copy)]
pub struct ImportOptions {
    /// Publish new records (otherwise they are drafts).
    pub publish: bool,
    /// Mark them as demonstration data.
    pub demo: bool,
}

/// What one kind of record became.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// New records.
    pub created: usize,
    /// Records whose content changed.
    pub updated: usize,
    /// Records already stored as they are in the file.
    pub unchanged: usize,
}

/// The result of an import that was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ImportOutcome {
    /// Structures.
    pub structures: Counts,
    /// Services.
    pub services: Counts,
    /// The directory revision the changed records carry (unchanged when nothing moved).
    pub revision: i64,
}

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Rows at fault, each with its reason.
    #[error("{} erreur(s) dans le fichier", .0.len())]
    Rows(Vec<RowError>),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for ImportError {
    fn from(e: sea_orm::DbErr) -> Self {
        ImportError::Store(e.into())
    }
}

struct Known<'a> {
    today: time::Date,
    places: &'a Places,
    structures: &'a HashMap<(String, String), (i64, String)>,
}

impl Context for Known<'_> {
    fn is_commune(&self, code: &str) -> bool {
        self.places.is_commune(code)
    }
    fn is_zone(&self, code: &str) -> bool {
        self.places.is_zone(code)
    }
    fn has_structure(&self, source: &str, id: &str) -> bool {
        self.structures
            .contains_key(&(source.to_owned(), id.to_owned()))
    }
    fn today(&self) -> time::Date {
        self.today
    }
}

fn json<T: serde::Serialize>(t: &T) -> Result<String, StoreError> {
    serde_json::to_string(t).map_err(|e| StoreError::Internal(format!("record: {e}")))
}

impl Store {
    async fn stored_keys(
        &self,
        scope: Scope,
        structures: bool,
    ) -> Result<HashMap<(String, String), (i64, String)>, StoreError> {
        let t = scope.territory_id();
        let rows: Vec<(i64, String, String, String)> = if structures {
            dir_structure::Entity::find()
                .select_only()
                .columns([
                    dir_structure::Column::Id,
                    dir_structure::Column::Source,
                    dir_structure::Column::ExtId,
                    dir_structure::Column::Record,
                ])
                .filter(dir_structure::Column::TerritoryId.eq(t))
                .into_tuple()
                .all(&self.db)
                .await?
        } else {
            dir_service::Entity::find()
                .select_only()
                .columns([
                    dir_service::Column::Id,
                    dir_service::Column::Source,
                    dir_service::Column::ExtId,
                    dir_service::Column::Record,
                ])
                .filter(dir_service::Column::TerritoryId.eq(t))
                .into_tuple()
                .all(&self.db)
                .await?
        };
        Ok(rows
            .into_iter()
            .map(|(id, source, ext, record)| ((source, ext), (id, record)))
            .collect())
    }

    /// Imports an exchange; `progress(done, total)` is called as records are written.
    pub async fn import_directory(
        &self,
        actor_id: Option<i64>,
        scope: Scope,
        ex: &Exchange,
        opts: ImportOptions,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<ImportOutcome, ImportError> {
        let places = Places::get()?;
        let mut structures = self.stored_keys(scope, true).await?;
        let services = self.stored_keys(scope, false).await?;
        let errors = exchange::check(
            ex,
            &Known {
                today: crate::funding::awards::paris_day(self.now()),
                places,
                structures: &structures,
            },
        );
        if !errors.is_empty() {
            return Err(ImportError::Rows(errors));
        }
        let total = ex.structures.len() + ex.services.len();
        let now = self.now();
        let t = scope.territory_id();
        let status = if opts.publish {
            Status::Publie
        } else {
            Status::Brouillon
        };
        let tx = self.begin_write().await?;
        let revision = bump_revision(&tx, scope).await?;
        let mut out = ImportOutcome {
            structures: Counts::default(),
            services: Counts::default(),
            revision,
        };
        let mut done = 0;
        // New records go in by batches (one statement per batch, within the bounds of
        // SQLite's and PostgreSQL's bind parameters); their ids are read back by the
        // import's revision, which only this transaction's rows carry.
        let mut new_structures = Vec::new();
        for s in &ex.structures {
            let record = json(s)?;
            let key = (s.source.clone(), s.id.clone());
            match structures.get(&key) {
                Some((_, old)) if *old == record => out.structures.unchanged += 1,
                Some((id, _)) => {
                    let id = *id;
                    rewrite_structure(&tx, scope, id, s, &record, revision, now).await?;
                    structures.insert(key, (id, record));
                    out.structures.updated += 1;
                }
                None => {
                    new_structures.push(dir_structure::ActiveModel {
                        territory_id: Set(t),
                        source: Set(s.source.clone()),
                        ext_id: Set(s.id.clone()),
                        status: Set(status.as_str().to_owned()),
                        nom: Set(s.nom.clone()),
                        code_insee: Set(s.code_insee.clone()),
                        record: Set(record),
                        date_maj: Set(s.date_maj.clone()),
                        is_demo: Set(opts.demo),
                        revision: Set(revision),
                        created_at: Set(now),
                        updated_at: Set(now),
                        organisation_id: Set(None),
                        ..Default::default()
                    });
                    out.structures.created += 1;
                }
            }
            done += 1;
        }
        for batch in new_structures.chunks(ROWS_PER_INSERT) {
            dir_structure::Entity::insert_many(batch.to_vec())
                .exec(&tx)
                .await?;
        }
        progress(done, total);
        if out.structures.created > 0 {
            let created: Vec<(i64, String, String)> = dir_structure::Entity::find()
                .select_only()
                .columns([
                    dir_structure::Column::Id,
                    dir_structure::Column::Source,
                    dir_structure::Column::ExtId,
                ])
                .filter(dir_structure::Column::TerritoryId.eq(t))
                .filter(dir_structure::Column::Revision.eq(revision))
                .into_tuple()
                .all(&tx)
                .await?;
            for (id, source, ext) in created {
                structures
                    .entry((source, ext))
                    .or_insert_with(|| (id, String::new()));
            }
        }
        let mut new_services = Vec::new();
        let mut new_keys: Vec<&Service> = Vec::new();
        for s in &ex.services {
            let record = json(s)?;
            let structure_id = structures
                .get(&(s.source.clone(), s.structure_id.clone()))
                .map(|(id, _)| *id)
                .ok_or_else(|| StoreError::Internal("checked structure missing".into()))?;
            match services.get(&(s.source.clone(), s.id.clone())) {
                Some((_, old)) if *old == record => out.services.unchanged += 1,
                Some((id, _)) => {
                    rewrite_service(&tx, scope, *id, s, Some(structure_id), revision, now).await?;
                    out.services.updated += 1;
                }
                None => {
                    new_services.push(dir_service::ActiveModel {
                        territory_id: Set(t),
                        source: Set(s.source.clone()),
                        ext_id: Set(s.id.clone()),
                        status: Set(status.as_str().to_owned()),
                        nom: Set(s.nom.clone()),
                        code_insee: Set(s.code_insee.clone()),
                        record: Set(record),
                        date_maj: Set(s.date_maj.clone()),
                        is_demo: Set(opts.demo),
                        revision: Set(revision),
                        created_at: Set(now),
                        updated_at: Set(now),
                        structure_id: Set(structure_id),
                        stale_notified_at: Set(None),
                        ..Default::default()
                    });
                    new_keys.push(s);
                    out.services.created += 1;
                }
            }
            done += 1;
            if new_services.len() == ROWS_PER_INSERT {
                dir_service::Entity::insert_many(std::mem::take(&mut new_services))
                    .exec(&tx)
                    .await?;
                progress(done, total);
            }
        }
        if !new_services.is_empty() {
            dir_service::Entity::insert_many(new_services)
                .exec(&tx)
                .await?;
        }
        if !new_keys.is_empty() {
            let ids: HashMap<(String, String), i64> = dir_service::Entity::find()
                .select_only()
                .columns([
                    dir_service::Column::Id,
                    dir_service::Column::Source,
                    dir_service::Column::ExtId,
                ])
                .filter(dir_service::Column::TerritoryId.eq(t))
                .filter(dir_service::Column::Revision.eq(revision))
                .into_tuple::<(i64, String, String)>()
                .all(&tx)
                .await?
                .into_iter()
                .map(|(id, source, ext)| ((source, ext), id))
                .collect();
            let mut codes = Vec::new();
            for s in new_keys {
                let id = ids
                    .get(&(s.source.clone(), s.id.clone()))
                    .copied()
                    .ok_or_else(|| StoreError::Internal("inserted service missing".into()))?;
                codes.extend(code_rows(scope, id, s));
                if codes.len() >= CODES_PER_INSERT {
                    dir_code::Entity::insert_many(std::mem::take(&mut codes))
                        .exec(&tx)
                        .await?;
                }
            }
            if !codes.is_empty() {
                dir_code::Entity::insert_many(codes).exec(&tx).await?;
            }
        }
        progress(total, total);
        let changed = out.structures.created
            + out.structures.updated
            + out.services.created
            + out.services.updated;
        if changed == 0 {
            // Nothing moved: leave the revision where it was.
            tx.rollback().await?;
            out.revision = self.directory_revision(scope).await?;
            return Ok(out);
        }
        audit::record(
            &tx,
            now,
            Entry::territory(
                actor_id,
                t,
                action::DIRECTORY_IMPORT,
                "dir_revision",
                revision,
            ),
        )
        .await?;
        self.commit_directory(tx).await?;
        Ok(out)
    }
}
