//! The directory's repository: structures and services stored with their whole
//! data·inclusion record, the codes lists filter on, and the territory's directory
//! revision that every write moves in its own transaction.
//!
//! - [`import`]: a data·inclusion file in, all or nothing, idempotent on (source, id);
//! - this module: reading for the pages, the API, the export and the search caches.

pub mod import;
pub mod members;
pub(crate) mod stale;

use crate::audit::{self, Entry};
use crate::entities::{dir_code, dir_revision, dir_service, dir_structure};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use std::collections::HashMap;
use trame_domain::audit::action;
use trame_domain::directory::exchange;
use trame_domain::directory::listing::Status;
use trame_domain::directory::record::{Service, Structure};

pub use crate::entities::dir_service::Model as ServiceRow;
pub use crate::entities::dir_structure::Model as StructureRow;

/// A service as the pages show it: its row, its record and its structure's name.
#[derive(Debug, Clone)]
pub struct ListedService {
    /// Trame's id.
    pub id: i64,
    /// The state.
    pub status: Status,
    /// The data·inclusion record.
    pub record: Service,
    /// Trame's id of its structure.
    pub structure_id: i64,
    /// Its structure's name.
    pub structure_nom: String,
    /// Its structure's state.
    pub structure_status: Status,
    /// Directory revision of its last change (its own or its structure's).
    pub revision: i64,
    /// Demonstration data.
    pub is_demo: bool,
}

/// A structure with its record.
#[derive(Debug, Clone)]
pub struct ListedStructure {
    /// Trame's id.
    pub id: i64,
    /// The state.
    pub status: Status,
    /// The data·inclusion record.
    pub record: Structure,
    /// The Trame organisation whose members edit it.
    pub organisation_id: Option<i64>,
    /// Directory revision of its last change.
    pub revision: i64,
    /// Demonstration data.
    pub is_demo: bool,
}

fn status_of(code: &str) -> Status {
    Status::parse(code).unwrap_or(Status::Brouillon)
}

fn parse<T: serde::de::DeserializeOwned>(json: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Internal(format!("{what} record: {e}")))
}

impl ListedStructure {
    fn of(row: StructureRow) -> Result<Self, StoreError> {
        Ok(ListedStructure {
            id: row.id,
            status: status_of(&row.status),
            record: parse(&row.record, "structure")?,
            organisation_id: row.organisation_id,
            revision: row.revision,
            is_demo: row.is_demo,
        })
    }
}

/// Moves the territory's directory revision on by one, within the write transaction, and
/// returns the new value. The row is locked until the commit, so revisions commit in
/// order and a cache that has seen revision `r` has seen every change up to `r`.
pub(crate) async fn bump_revision<C: ConnectionTrait>(
    tx: &C,
    scope: Scope,
) -> Result<i64, StoreError> {
    let t = scope.territory_id();
    let moved = dir_revision::Entity::update_many()
        .col_expr(
            dir_revision::Column::Revision,
            Expr::col(dir_revision::Column::Revision).add(1),
        )
        .filter(dir_revision::Column::TerritoryId.eq(t))
        .exec(tx)
        .await?;
    if moved.rows_affected == 0 {
        dir_revision::ActiveModel {
            territory_id: Set(t),
            revision: Set(1),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        return Ok(1);
    }
    Ok(dir_revision::Entity::find()
        .filter(dir_revision::Column::TerritoryId.eq(t))
        .first(tx)
        .await?
        .map_or(1, |r| r.revision))
}

impl Store {
    /// The territory's directory revision (0 before any directory write).
    pub async fn directory_revision(&self, scope: Scope) -> Result<i64, StoreError> {
        Ok(dir_revision::Entity::find()
            .filter(dir_revision::Column::TerritoryId.eq(scope.territory_id()))
            .first(&self.db)
            .await?
            .map_or(0, |r| r.revision))
    }

    /// The services changed after revision `since` (every state: a cache removes the
    /// ones no longer public), with their structure.
    pub async fn services_changed_since(
        &self,
        scope: Scope,
        since: i64,
    ) -> Result<Vec<ListedService>, StoreError> {
        let rows = dir_service::Entity::find()
            .filter(dir_service::Column::TerritoryId.eq(scope.territory_id()))
            .filter(dir_service::Column::Revision.gt(since))
            .order_by_asc(dir_service::Column::Id)
            .all(&self.db)
            .await?;
        self.listed(scope, rows).await
    }

    async fn listed(
        &self,
        scope: Scope,
        rows: Vec<ServiceRow>,
    ) -> Result<Vec<ListedService>, StoreError> {
        let mut ids: Vec<i64> = rows.iter().map(|r| r.structure_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut structures: HashMap<i64, (String, Status)> = HashMap::new();
        for chunk in ids.chunks(500) {
            for s in dir_structure::Entity::find()
                .filter(dir_structure::Column::TerritoryId.eq(scope.territory_id()))
                .filter(dir_structure::Column::Id.is_in(chunk.iter().copied()))
                .all(&self.db)
                .await?
            {
                structures.insert(s.id, (s.nom, status_of(&s.status)));
            }
        }
        rows.into_iter()
            .map(|r| {
                let (structure_nom, structure_status) = structures
                    .get(&r.structure_id)
                    .cloned()
                    .unwrap_or((String::new(), Status::Archive));
                Ok(ListedService {
                    id: r.id,
                    status: status_of(&r.status),
                    record: parse(&r.record, "service")?,
                    structure_id: r.structure_id,
                    structure_nom,
                    structure_status,
                    revision: r.revision,
                    is_demo: r.is_demo,
                })
            })
            .collect()
    }

    /// Services by id, in the order given (missing ids skipped).
    pub async fn services_by_ids(
        &self,
        scope: Scope,
        ids: &[i64],
    ) -> Result<Vec<ListedService>, StoreError> {
        let rows = dir_service::Entity::find()
            .filter(dir_service::Column::TerritoryId.eq(scope.territory_id()))
            .filter(dir_service::Column::Id.is_in(ids.iter().copied()))
            .all(&self.db)
            .await?;
        let mut listed: HashMap<i64, ListedService> = self
            .listed(scope, rows)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        Ok(ids.iter().filter_map(|id| listed.remove(id)).collect())
    }

    /// One service, public only when it and its structure are published.
    pub async fn directory_service(
        &self,
        scope: Scope,
        id: i64,
        public: bool,
    ) -> Result<ListedService, StoreError> {
        let s = self
            .services_by_ids(scope, &[id])
            .await?
            .pop()
            .ok_or(StoreError::NotFound)?;
        if public && (s.status != Status::Publie || s.structure_status != Status::Publie) {
            return Err(StoreError::NotFound);
        }
        Ok(s)
    }

    /// One structure, public only when published.
    pub async fn directory_structure(
        &self,
        scope: Scope,
        id: i64,
        public: bool,
    ) -> Result<ListedStructure, StoreError> {
        let row = dir_structure::Entity::find_by_id(id)
            .filter(dir_structure::Column::TerritoryId.eq(scope.territory_id()))
            .first(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let s = ListedStructure::of(row)?;
        if public && s.status != Status::Publie {
            return Err(StoreError::NotFound);
        }
        Ok(s)
    }

    /// The services of a structure, by name; only published ones when `public`.
    pub async fn structure_services(
        &self,
        scope: Scope,
        structure_id: i64,
        public: bool,
    ) -> Result<Vec<ListedService>, StoreError> {
        let mut q = dir_service::Entity::find()
            .filter(dir_service::Column::TerritoryId.eq(scope.territory_id()))
            .filter(dir_service::Column::StructureId.eq(structure_id));
        if public {
            q = q.filter(dir_service::Column::Status.eq(Status::Publie.as_str()));
        }
        let rows = q
            .order_by_asc(dir_service::Column::Nom)
            .all(&self.db)
            .await?;
        self.listed(scope, rows).await
    }

    /// How many published structures stand in each commune (INSEE code), read from the
    /// indexed column rather than each record.
    pub async fn structures_per_commune(
        &self,
        scope: Scope,
    ) -> Result<HashMap<String, usize>, StoreError> {
        use sea_orm::QuerySelect;
        let codes: Vec<Option<String>> = dir_structure::Entity::find()
            .select_only()
            .column(dir_structure::Column::CodeInsee)
            .filter(dir_structure::Column::TerritoryId.eq(scope.territory_id()))
            .filter(dir_structure::Column::Status.eq(Status::Publie.as_str()))
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut out = HashMap::new();
        for c in codes.into_iter().flatten() {
            *out.entry(c).or_default() += 1;
        }
        Ok(out)
    }

    /// Every structure of the territory, by name.
    pub async fn directory_structures(
        &self,
        scope: Scope,
        public: bool,
    ) -> Result<Vec<ListedStructure>, StoreError> {
        let mut q = dir_structure::Entity::find()
            .filter(dir_structure::Column::TerritoryId.eq(scope.territory_id()));
        if public {
            q = q.filter(dir_structure::Column::Status.eq(Status::Publie.as_str()));
        }
        q.order_by_asc(dir_structure::Column::Nom)
            .order_by_asc(dir_structure::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(ListedStructure::of)
            .collect()
    }

    /// The records to export: published ones (a service only when its structure is
    /// published too), or every record when `all`.
    pub async fn export_directory(
        &self,
        scope: Scope,
        all: bool,
    ) -> Result<(Vec<Structure>, Vec<Service>), StoreError> {
        let structures = self.directory_structures(scope, !all).await?;
        let mut q = dir_service::Entity::find()
            .filter(dir_service::Column::TerritoryId.eq(scope.territory_id()));
        if !all {
            q = q.filter(dir_service::Column::Status.eq(Status::Publie.as_str()));
        }
        let published: std::collections::HashSet<i64> = structures.iter().map(|s| s.id).collect();
        let services = q
            .order_by_asc(dir_service::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .filter(|r| published.contains(&r.structure_id))
            .map(|r| parse(&r.record, "service"))
            .collect::<Result<Vec<Service>, _>>()?;
        Ok((structures.into_iter().map(|s| s.record).collect(), services))
    }

    /// How many services of the territory are in each state.
    pub async fn directory_counts(&self, scope: Scope) -> Result<Vec<(Status, u64)>, StoreError> {
        let mut out = Vec::new();
        for s in Status::ALL {
            use sea_orm::PaginatorTrait;
            let n = dir_service::Entity::find()
                .filter(dir_service::Column::TerritoryId.eq(scope.territory_id()))
                .filter(dir_service::Column::Status.eq(s.as_str()))
                .count(&self.db)
                .await?;
            out.push((s, n));
        }
        Ok(out)
    }
}

impl Store {
    /// Moves a service to another state (journaled; the revision moves).
    pub async fn set_service_status(
        &self,
        actor_id: Option<i64>,
        scope: Scope,
        id: i64,
        status: Status,
    ) -> Result<(), StoreError> {
        self.set_status(actor_id, scope, id, status, false).await
    }

    /// Moves a structure to another state (journaled; its services' cached copies move
    /// too, since a service is public only while its structure is).
    pub async fn set_structure_status(
        &self,
        actor_id: Option<i64>,
        scope: Scope,
        id: i64,
        status: Status,
    ) -> Result<(), StoreError> {
        self.set_status(actor_id, scope, id, status, true).await
    }

    async fn set_status(
        &self,
        actor_id: Option<i64>,
        scope: Scope,
        id: i64,
        status: Status,
        structure: bool,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let t = scope.territory_id();
        let tx = self.begin_write().await?;
        let revision = bump_revision(&tx, scope).await?;
        let moved = if structure {
            let moved = dir_structure::Entity::update_many()
                .col_expr(dir_structure::Column::Status, Expr::value(status.as_str()))
                .col_expr(dir_structure::Column::Revision, Expr::value(revision))
                .col_expr(dir_structure::Column::UpdatedAt, Expr::value(now))
                .filter(dir_structure::Column::Id.eq(id))
                .filter(dir_structure::Column::TerritoryId.eq(t))
                .exec(&tx)
                .await?
                .rows_affected;
            dir_service::Entity::update_many()
                .col_expr(dir_service::Column::Revision, Expr::value(revision))
                .filter(dir_service::Column::StructureId.eq(id))
                .filter(dir_service::Column::TerritoryId.eq(t))
                .exec(&tx)
                .await?;
            moved
        } else {
            dir_service::Entity::update_many()
                .col_expr(dir_service::Column::Status, Expr::value(status.as_str()))
                .col_expr(dir_service::Column::Revision, Expr::value(revision))
                .col_expr(dir_service::Column::UpdatedAt, Expr::value(now))
                .filter(dir_service::Column::Id.eq(id))
                .filter(dir_service::Column::TerritoryId.eq(t))
                .exec(&tx)
                .await?
                .rows_affected
        };
        if moved == 0 {
            return Err(StoreError::NotFound);
        }
        let (action, object) = if structure {
            (action::DIR_STRUCTURE_STATUS, "dir_structure")
        } else {
            (action::DIR_SERVICE_STATUS, "dir_service")
        };
        audit::record(&tx, now, Entry::territory(actor_id, t, action, object, id)).await?;
        self.commit_directory(tx).await?;
        Ok(())
    }
}

/// Writes a service's new record over its row (its columns, its revision, its codes), and
/// clears its stale flag; `structure_id` moves it to another structure.
pub(crate) async fn rewrite_service<C: ConnectionTrait>(
    tx: &C,
    scope: Scope,
    id: i64,
    s: &Service,
    structure_id: Option<i64>,
    revision: i64,
    now: time::OffsetDateTime,
) -> Result<(), StoreError> {
    let record = serde_json::to_string(s)
        .map_err(|e| StoreError::Internal(format!("service record: {e}")))?;
    let mut q = dir_service::Entity::update_many()
        .col_expr(dir_service::Column::Nom, Expr::value(s.nom.clone()))
        .col_expr(
            dir_service::Column::CodeInsee,
            Expr::value(s.code_insee.clone()),
        )
        .col_expr(dir_service::Column::Record, Expr::value(record))
        .col_expr(
            dir_service::Column::DateMaj,
            Expr::value(s.date_maj.clone()),
        )
        .col_expr(dir_service::Column::Revision, Expr::value(revision))
        .col_expr(dir_service::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            dir_service::Column::StaleNotifiedAt,
            Expr::value(Option::<time::OffsetDateTime>::None),
        );
    if let Some(structure) = structure_id {
        q = q.col_expr(dir_service::Column::StructureId, Expr::value(structure));
    }
    q.filter(dir_service::Column::Id.eq(id))
        .filter(dir_service::Column::TerritoryId.eq(scope.territory_id()))
        .exec(tx)
        .await?;
    write_codes(tx, scope, id, s).await
}

/// Writes a structure's new record (`record` is its JSON) over its row, and moves its
/// services' revision: they show its name, so their cached copies must move too.
pub(crate) async fn rewrite_structure<C: ConnectionTrait>(
    tx: &C,
    scope: Scope,
    id: i64,
    s: &Structure,
    record: &str,
    revision: i64,
    now: time::OffsetDateTime,
) -> Result<(), StoreError> {
    let t = scope.territory_id();
    dir_structure::Entity::update_many()
        .col_expr(dir_structure::Column::Nom, Expr::value(s.nom.clone()))
        .col_expr(
            dir_structure::Column::CodeInsee,
            Expr::value(s.code_insee.clone()),
        )
        .col_expr(
            dir_structure::Column::Record,
            Expr::value(record.to_owned()),
        )
        .col_expr(
            dir_structure::Column::DateMaj,
            Expr::value(s.date_maj.clone()),
        )
        .col_expr(dir_structure::Column::Revision, Expr::value(revision))
        .col_expr(dir_structure::Column::UpdatedAt, Expr::value(now))
        .filter(dir_structure::Column::Id.eq(id))
        .filter(dir_structure::Column::TerritoryId.eq(t))
        .exec(tx)
        .await?;
    dir_service::Entity::update_many()
        .col_expr(dir_service::Column::Revision, Expr::value(revision))
        .filter(dir_service::Column::StructureId.eq(id))
        .filter(dir_service::Column::TerritoryId.eq(t))
        .exec(tx)
        .await?;
    Ok(())
}

/// A service's filter codes as rows to insert.
pub(crate) fn code_rows(
    scope: Scope,
    service_id: i64,
    service: &Service,
) -> Vec<dir_code::ActiveModel> {
    service
        .codes()
        .into_iter()
        .map(|(kind, code)| dir_code::ActiveModel {
            territory_id: Set(scope.territory_id()),
            service_id: Set(service_id),
            kind: Set(kind.as_str().to_owned()),
            code: Set(code),
            ..Default::default()
        })
        .collect()
}

/// Replaces a service's filter codes.
pub(crate) async fn write_codes<C: ConnectionTrait>(
    tx: &C,
    scope: Scope,
    service_id: i64,
    service: &Service,
) -> Result<(), StoreError> {
    dir_code::Entity::delete_many()
        .filter(dir_code::Column::ServiceId.eq(service_id))
        .exec(tx)
        .await?;
    let rows = code_rows(scope, service_id, service);
    if !rows.is_empty() {
        dir_code::Entity::insert_many(rows).exec(tx).await?;
    }
    Ok(())
}

/// The agents' list of services: every state, or one; by name.
#[derive(Debug, Clone, Default)]
pub struct AdminFilter {
    /// Only this state.
    pub status: Option<Status>,
    /// Words of the name.
    pub q: String,
    /// Only services last updated before this date (`YYYY-MM-DD`): the stale ones.
    pub updated_before: Option<String>,
    /// Page, from 1.
    pub page: u64,
}

/// Rows per page of the agents' list.
pub const ADMIN_PAGE: u64 = 50;

impl Store {
    /// Commits a directory write and tells this process's search caches (see
    /// [`Store::directory_writes`]).
    pub(crate) async fn commit_directory(
        &self,
        tx: sea_orm::DatabaseTransaction,
    ) -> Result<(), StoreError> {
        tx.commit().await?;
        self.cache.directory_written();
        Ok(())
    }

    /// How many directory writes this process has committed: a search cache that saw the
    /// same count a moment ago knows that no write of this process moved the revision
    /// since (writes of other processes show through the revision itself).
    pub fn directory_writes(&self) -> u64 {
        self.cache.directory_writes()
    }

    /// One page of the agents' list and the total.
    pub async fn directory_admin_list(
        &self,
        scope: Scope,
        f: &AdminFilter,
    ) -> Result<(u64, Vec<ListedService>), StoreError> {
        use sea_orm::{PaginatorTrait, QuerySelect};
        let mut q = dir_service::Entity::find()
            .filter(dir_service::Column::TerritoryId.eq(scope.territory_id()));
        if let Some(s) = f.status {
            q = q.filter(dir_service::Column::Status.eq(s.as_str()));
        }
        if let Some(d) = &f.updated_before {
            q = q.filter(dir_service::Column::DateMaj.lt(d.clone()));
        }
        let words = f.q.trim();
        if !words.is_empty() {
            q = q.filter(dir_service::Column::Nom.contains(words));
        }
        let total = q.clone().count(&self.db).await?;
        let rows = q
            .order_by_asc(dir_service::Column::Nom)
            .order_by_asc(dir_service::Column::Id)
            .limit(ADMIN_PAGE)
            .offset(f.page.saturating_sub(1) * ADMIN_PAGE)
            .all(&self.db)
            .await?;
        Ok((total, self.listed(scope, rows).await?))
    }

    /// What a service's edit would break: the schema's rules, the communes and zones
    /// against the official list, a date not in the future. Empty when it can be saved.
    pub fn check_service(&self, service: &Service) -> Result<Vec<exchange::RowError>, StoreError> {
        self.check_records(exchange::Exchange {
            structures: Vec::new(),
            services: vec![service.clone()],
        })
    }

    /// What a structure's edit would break, as [`Store::check_service`] does.
    pub fn check_structure(
        &self,
        structure: &Structure,
    ) -> Result<Vec<exchange::RowError>, StoreError> {
        self.check_records(exchange::Exchange {
            structures: vec![structure.clone()],
            services: Vec::new(),
        })
    }

    fn check_records(&self, ex: exchange::Exchange) -> Result<Vec<exchange::RowError>, StoreError> {
        struct One<'a> {
            places: &'a crate::cog::Places,
            today: time::Date,
        }
        impl exchange::Context for One<'_> {
            fn is_commune(&self, code: &str) -> bool {
                self.places.is_commune(code)
            }
            fn is_zone(&self, code: &str) -> bool {
                self.places.is_zone(code)
            }
            fn has_structure(&self, _: &str, _: &str) -> bool {
                true
            }
            fn today(&self) -> time::Date {
                self.today
            }
        }
        Ok(exchange::check(
            &ex,
            &One {
                places: crate::cog::Places::get()?,
                today: crate::funding::awards::paris_day(self.now()),
            },
        ))
    }

    /// Saves an agent's or a member's edit of a service (checked by the caller with
    /// [`Store::check_service`]): its source, id and structure stay; its date of update
    /// becomes today and its stale flag is cleared. Journaled; the revision moves.
    pub async fn save_service(
        &self,
        actor_id: i64,
        scope: Scope,
        id: i64,
        edit: &Service,
        seen: Option<i64>,
    ) -> Result<(), StoreError> {
        let current = self.directory_service(scope, id, false).await?;
        let mut s = edit.clone();
        s.source = current.record.source.clone();
        s.id = current.record.id.clone();
        s.structure_id = current.record.structure_id.clone();
        s.date_maj = crate::funding::awards::paris_day(self.now()).to_string();
        let now = self.now();
        let tx = self.begin_write().await?;
        let revision = bump_revision(&tx, scope).await?;
        // The counter row is locked: no other directory write runs until the commit.
        if let Some(seen) = seen {
            let stored = dir_service::Entity::find_by_id(id)
                .filter(dir_service::Column::TerritoryId.eq(scope.territory_id()))
                .first(&tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            if stored.revision != seen {
                return Err(StoreError::Stale);
            }
        }
        rewrite_service(&tx, scope, id, &s, None, revision, now).await?;
        audit::record(
            &tx,
            now,
            Entry::territory(
                Some(actor_id),
                scope.territory_id(),
                action::DIR_SERVICE_UPDATE,
                "dir_service",
                id,
            ),
        )
        .await?;
        self.commit_directory(tx).await?;
        Ok(())
    }
}
