//! Trame's persistence: one entity model and one migration set for SQLite (embedded, the
//! default) and PostgreSQL (production and scale-out), and the repositories the web layer
//! and the command line call.
//!
//! Guided tour:
//! - [`Store`] holds the connection pool and the clock; [`Store::connect`] tunes SQLite
//!   (WAL, `synchronous=FULL`, foreign keys, 5 s busy timeout) and every write transaction
//!   begins `IMMEDIATE` on SQLite so concurrent writers queue instead of failing.
//! - [`Scope`] is the territory a call is restricted to; every territory-owned read and
//!   write takes one.
//! - Repositories: [`territories`], [`accounts`], [`sessions`], [`audit`], [`access_log`],
//!   [`jobs`]; [`demo`] loads the GPSEA demonstration territory.
//! - Every state change writes its audit entry in the same transaction ([`audit::record`]).

pub mod access_log;
pub mod accompaniment;
pub mod accounts;
pub mod api_tokens;
pub mod audit;
pub mod backup;
pub mod clauses;
pub mod cog;
pub mod demo;
pub mod demo_accompaniment;
pub mod demo_clauses;
mod demo_conventions;
mod demo_directory;
pub mod demo_funding;
pub mod demo_pathways;
mod demo_register;
pub mod directory;
pub mod entities;
pub mod equity;
pub mod forums;
pub mod funding;
pub mod hasher;
pub mod idempotency;
pub mod interest;
pub mod invitations;
pub mod jobs;
pub mod members;
pub mod migration;
pub mod oidc;
pub mod organisations;
pub mod outbox;
pub mod outlines;
pub mod pathways;
pub mod sessions;
pub mod showcase;
pub mod staff_tokens;
pub mod territories;

mod cache;
mod error;
mod query;

pub use error::StoreError;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use std::time::Duration;
use time::OffsetDateTime;
use trame_domain::clock::SharedClock;

/// The territory a repository call is restricted to. Built only from a territory that was
/// loaded from the database, so holding one means the territory exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    territory_id: i64,
}

impl Scope {
    /// The territory's id.
    pub fn territory_id(self) -> i64 {
        self.territory_id
    }
}

/// Which database engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

impl Backend {
    /// The backend a database URL names, or an error for any other scheme.
    pub fn of_url(url: &str) -> Result<Backend, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::Config(
                "l'adresse de la base de données doit commencer par sqlite:// ou postgres://"
                    .into(),
            ))
        }
    }
}

/// How long a statement waits for another writer's lock (SQLite's busy timeout,
/// PostgreSQL's `lock_timeout`) or for a pooled connection before giving up with
/// [`StoreError::Busy`].
pub const LOCK_WAIT: Duration = Duration::from_secs(5);

/// The persistence handle shared by every request.
#[derive(Debug, Clone)]
pub struct Store {
    db: DatabaseConnection,
    clock: SharedClock,
    backend: Backend,
    cache: std::sync::Arc<cache::Cache>,
    access: std::sync::Arc<access_log::Batch>,
}

impl Store {
    /// Opens a pool on `url` (`sqlite://path?mode=rwc` or `postgres://…`).
    pub async fn connect(url: &str, clock: SharedClock) -> Result<Self, StoreError> {
        let backend = Backend::of_url(url)?;
        let mut opts = ConnectOptions::new(url.to_owned());
        opts.sqlx_logging(false)
            .connect_timeout(Duration::from_secs(10))
            // A request waits at most 5 s for a connection or a lock, then answers 503.
            .acquire_timeout(LOCK_WAIT);
        match backend {
            Backend::Sqlite => {
                // Few connections: each is a thread, and writers queue anyway.
                opts.max_connections(4).min_connections(1);
                // A read-only file (a backup being checked) cannot switch journal mode.
                let read_only = url.contains("mode=ro");
                opts.map_sqlx_sqlite_opts(move |o| {
                    let o = o.foreign_keys(true).busy_timeout(LOCK_WAIT);
                    if read_only {
                        o.read_only(true)
                    } else {
                        o.create_if_missing(true)
                            .journal_mode(SqliteJournalMode::Wal)
                            .synchronous(SqliteSynchronous::Full)
                    }
                });
            }
            Backend::Postgres => {
                opts.max_connections(16).min_connections(1);
                opts.map_sqlx_postgres_opts(|o| o.options([("lock_timeout", "5s")]));
            }
        }
        let db = Database::connect(opts).await?;
        Ok(Self {
            db,
            clock,
            backend,
            cache: std::sync::Arc::new(cache::Cache::new()),
            access: std::sync::Arc::default(),
        })
    }

    /// Applies the pending migrations.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        migration::Migrator::up(&self.db, None).await?;
        Ok(())
    }

    /// Refreshes the query planner's statistics where they went stale (SQLite's
    /// `PRAGMA optimize`, keeping `sqlite_stat1` only; PostgreSQL's autovacuum does it by
    /// itself). Run at start-up,
    /// daily by the job runner, and after bulk loads: without statistics SQLite may walk
    /// the wrong index of a long list.
    pub async fn optimize(&self) -> Result<(), StoreError> {
        if self.backend == Backend::Sqlite {
            use sea_orm::ConnectionTrait;
            self.db
                .execute_unprepared("PRAGMA optimize=0x10002")
                .await?;
            // Keep the per-index statistics (sqlite_stat1), drop the samples: with STAT4
            // samples SQLite re-prepares every statement whose bound values might change
            // its plan, which is most of ours (measured: a sixth of the list page's time).
            let stat4 = self
                .db
                .query_one_raw(sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Sqlite,
                    "SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat4'",
                ))
                .await?;
            if stat4.is_some() {
                self.db
                    .execute_unprepared("DELETE FROM sqlite_stat4; ANALYZE sqlite_schema;")
                    .await?;
            }
        }
        Ok(())
    }

    /// Whether the database answers; for `/readyz`.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.db.ping().await?;
        Ok(())
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The raw connection, for the test kit and the command line's maintenance commands.
    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }

    /// The current instant from the injected clock, truncated to the second so that it
    /// reads back identically on both backends.
    pub fn now(&self) -> OffsetDateTime {
        let now = self.clock.now();
        now.replace_nanosecond(0).unwrap_or(now)
    }

    /// Today in Paris, from the injected clock: the day every date rule of the territory
    /// (calls open, steps not in the future, forums past) is judged on.
    pub fn today(&self) -> time::Date {
        trame_domain::format::paris_day(self.now())
    }

    /// The clock.
    pub fn clock(&self) -> &SharedClock {
        &self.clock
    }

    /// Begins a write transaction: `BEGIN IMMEDIATE` on SQLite, a plain `BEGIN` on
    /// PostgreSQL (rows that must be serialised are locked with `FOR UPDATE`).
    pub(crate) async fn begin_write(&self) -> Result<DatabaseTransaction, StoreError> {
        let options = TransactionOptions {
            sqlite_transaction_mode: match self.backend {
                Backend::Sqlite => Some(SqliteTransactionMode::Immediate),
                Backend::Postgres => None,
            },
            ..Default::default()
        };
        Ok(self.db.begin_with_options(options).await?)
    }

    pub(crate) fn is_postgres(&self) -> bool {
        self.db.get_database_backend() == DbBackend::Postgres
    }

    /// Closes the pool (graceful shutdown).
    pub async fn close(self) -> Result<(), StoreError> {
        self.db.close().await?;
        Ok(())
    }
}
