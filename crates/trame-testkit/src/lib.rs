//! Test helpers: an application on a fresh database per test (SQLite by default,
//! PostgreSQL when `TRAME_TEST_DATABASE_URL` names a server), two territories with one
//! account per role each, a frozen clock, and a cookie-keeping client that fills in the
//! anti-forgery token like a browser would.

mod client;
mod db;
pub mod mock_oidc;
pub mod tools;

pub use client::{Client, Resp};
pub use db::TestDb;

use std::collections::BTreeMap;
use std::sync::Arc;
use trame_domain::clock::FrozenClock;
use trame_domain::email::Email;
use trame_domain::role::Role;
use trame_domain::territory::{TerritoryRef, TerritorySlug};
use trame_store::Store;
use trame_store::territories::Territory;
use trame_web::{AppState, WebConfig};

/// The password of every test account.
pub const PASSWORD: &str = trame_store::demo::DEMO_PASSWORD;

/// The instant the test clock starts at.
pub fn start_instant() -> time::OffsetDateTime {
    time::macros::datetime!(2026-11-26 09:00 UTC)
}

/// A second territory, to prove that nothing crosses from one to the other.
const OTHER_TERRITORY: &str = r#"{
  "nom": "Territoire de contrôle",
  "code": "200058014",
  "departement": "94",
  "communes": [
    {"code_insee": "94081", "nom": "Vitry-sur-Seine", "population": 95510, "centroide": {"lat": 48.7875, "lon": 2.3928}},
    {"code_insee": "94041", "nom": "Ivry-sur-Seine", "population": 64526, "centroide": {"lat": 48.8128, "lon": 2.3872}}
  ]
}"#;

/// A running application on its own database.
pub struct TestApp {
    /// The store, for arranging data and checking what was written.
    pub store: Store,
    /// The frozen clock the store and the web layer read.
    pub clock: Arc<FrozenClock>,
    /// The router under test.
    pub router: axum::Router,
    /// The GPSEA territory.
    pub gpsea: Territory,
    /// The control territory.
    pub other: Territory,
    /// Account ids: (territory slug, role) → (person id, email).
    pub accounts: BTreeMap<(String, Role), (i64, String)>,
    _db: TestDb,
}

impl std::fmt::Debug for TestApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestApp").finish_non_exhaustive()
    }
}

/// The email of the test account holding `role` in territory `slug`.
pub fn email_for(slug: &str, role: Role) -> String {
    format!("{}@{slug}.test", role.code().replace('_', "-"))
}

impl TestApp {
    /// A fresh application with the default web settings.
    pub async fn spawn() -> anyhow::Result<Self> {
        Self::spawn_with(WebConfig::default()).await
    }

    /// A fresh application with these web settings.
    pub async fn spawn_with(config: WebConfig) -> anyhow::Result<Self> {
        let clock = Arc::new(FrozenClock::new(start_instant()));
        let db = TestDb::create().await?;
        let store = Store::connect(db.url(), clock.clone()).await?;
        store.migrate().await?;
        let gpsea_ref = trame_store::demo::gpsea_reference()?;
        let other_ref: TerritoryRef = serde_json_from(OTHER_TERRITORY)?;
        let gpsea = store
            .create_territory(None, &slug("gpsea")?, &gpsea_ref)
            .await?;
        let other = store
            .create_territory(None, &slug("controle")?, &other_ref)
            .await?;
        let mut accounts = BTreeMap::new();
        for t in [&gpsea, &other] {
            for role in Role::ALL {
                let email = email_for(&t.slug, role);
                let parsed = Email::parse(&email).map_err(|e| anyhow::anyhow!(e.message))?;
                let p = store
                    .create_person(
                        None,
                        &parsed,
                        &format!("{} {}", role.label(), t.slug),
                        PASSWORD,
                    )
                    .await?;
                store.add_membership(None, t.scope(), p.id, role).await?;
                accounts.insert((t.slug.clone(), role), (p.id, email));
            }
        }
        let router = trame_web::app(AppState::new(store.clone(), config));
        Ok(Self {
            store,
            clock,
            router,
            gpsea,
            other,
            accounts,
            _db: db,
        })
    }

    /// The test database's URL, for a second store on the same database (another
    /// server).
    pub fn db_url(&self) -> &str {
        self._db.url()
    }

    /// A client with no cookies, from 127.0.0.1.
    pub fn client(&self) -> Client {
        Client::new(self.router.clone(), [127, 0, 0, 1].into())
    }

    /// A client logged in as the account holding `role` in `territory`.
    pub async fn client_as(&self, territory: &Territory, role: Role) -> anyhow::Result<Client> {
        let mut c = self.client();
        let email = email_for(&territory.slug, role);
        let r = c.login(&email, PASSWORD).await?;
        anyhow::ensure!(r.status == 303, "login as {email} failed: {}", r.status);
        Ok(c)
    }

    /// Takes the database's write lock from another connection and keeps it until the
    /// returned transaction is dropped: SQLite's `BEGIN IMMEDIATE`; on PostgreSQL, every
    /// audit chain head `FOR UPDATE` (each change appends to a chain, so every writer
    /// waits for them).
    pub async fn hold_write_lock(&self) -> anyhow::Result<sea_orm::DatabaseTransaction> {
        use sea_orm::{ConnectionTrait, TransactionTrait};
        let other = Store::connect(self.db_url(), self.clock.clone()).await?;
        let conn = other.connection();
        if conn.get_database_backend() == sea_orm::DbBackend::Postgres {
            let tx = conn.begin().await?;
            tx.execute_unprepared("SELECT chain FROM audit_chain_head FOR UPDATE")
                .await?;
            Ok(tx)
        } else {
            let tx = conn
                .begin_with_options(sea_orm::TransactionOptions {
                    sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
                    ..Default::default()
                })
                .await?;
            Ok(tx)
        }
    }

    /// The person id of an account.
    pub fn person_id(&self, territory: &Territory, role: Role) -> i64 {
        self.accounts
            .get(&(territory.slug.clone(), role))
            .map(|(id, _)| *id)
            .unwrap_or_default()
    }
}

fn slug(s: &str) -> anyhow::Result<TerritorySlug> {
    TerritorySlug::parse(s).map_err(|e| anyhow::anyhow!(e.message))
}

fn serde_json_from(s: &str) -> anyhow::Result<TerritoryRef> {
    Ok(serde_json::from_str(s)?)
}
