//! One database per test. SQLite: a file in a temporary folder. PostgreSQL: a database
//! cloned from a template that was migrated once per migration set (under an advisory
//! lock, since nextest runs tests in parallel processes), dropped when the test ends.

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use sea_orm_migration::MigratorTrait;
use std::sync::Arc;
use trame_domain::clock::FrozenClock;
use trame_store::migration::Migrator;

/// The test database; dropped with it.
pub struct TestDb {
    url: String,
    pg: Option<PgCleanup>,
    _dir: Option<tempfile::TempDir>,
}

struct PgCleanup {
    admin_url: String,
    name: String,
}

impl TestDb {
    /// Creates the database for one test on the selected backend.
    pub async fn create() -> anyhow::Result<Self> {
        match std::env::var("TRAME_TEST_DATABASE_URL") {
            Ok(url) if url.starts_with("postgres") => Self::postgres(&url).await,
            _ => {
                let dir = tempfile::tempdir()?;
                let url = format!("sqlite://{}/test.db?mode=rwc", dir.path().display());
                Ok(Self {
                    url,
                    pg: None,
                    _dir: Some(dir),
                })
            }
        }
    }

    /// An empty database, with no migration applied: for upgrade tests.
    pub async fn create_empty() -> anyhow::Result<Self> {
        match std::env::var("TRAME_TEST_DATABASE_URL") {
            Ok(url) if url.starts_with("postgres") => {
                let admin = Database::connect(&url).await?;
                let name = format!("trame_t_{}", hex_suffix());
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await?;
                admin.close().await?;
                Ok(Self {
                    url: replace_db(&url, &name),
                    pg: Some(PgCleanup {
                        admin_url: url,
                        name,
                    }),
                    _dir: None,
                })
            }
            _ => Self::create().await,
        }
    }

    /// The URL to connect to.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Whether this is PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        self.pg.is_some()
    }

    async fn postgres(admin_url: &str) -> anyhow::Result<Self> {
        let admin = Database::connect(admin_url).await?;
        let template = template_name();
        ensure_template(&admin, admin_url, &template).await?;
        let name = format!("trame_t_{}", hex_suffix());
        let mut attempts = 0;
        loop {
            let r = admin
                .execute_unprepared(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
                .await;
            match r {
                Ok(_) => break,
                // Another process is cloning the template at this instant: try again.
                Err(e) if attempts < 50 && e.to_string().contains("being accessed") => {
                    attempts += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
        admin.close().await?;
        Ok(Self {
            url: replace_db(admin_url, &name),
            pg: Some(PgCleanup {
                admin_url: admin_url.to_owned(),
                name,
            }),
            _dir: None,
        })
    }
}

fn hex_suffix() -> String {
    let n: u64 = rand::random();
    format!("{n:016x}")
}

/// Template name from the migration set, so a new migration gets a new template.
fn template_name() -> String {
    let names: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in names.join(",").bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("trame_tpl_{h:016x}")
}

fn replace_db(url: &str, name: &str) -> String {
    match url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => format!("{url}/{name}"),
    }
}

async fn ensure_template(
    admin: &DatabaseConnection,
    admin_url: &str,
    template: &str,
) -> anyhow::Result<()> {
    let backend = admin.get_database_backend();
    admin
        .execute_unprepared("SELECT pg_advisory_lock(727163)")
        .await?;
    let exists = admin
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            "SELECT 1 AS one FROM pg_database WHERE datname = $1",
            [template.into()],
        ))
        .await?
        .is_some();
    let result = if exists {
        Ok(())
    } else {
        build_template(admin, admin_url, template).await
    };
    admin
        .execute_unprepared("SELECT pg_advisory_unlock(727163)")
        .await?;
    result
}

async fn build_template(
    admin: &DatabaseConnection,
    admin_url: &str,
    template: &str,
) -> anyhow::Result<()> {
    let building = format!("{template}_build");
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
        .await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {building}"))
        .await?;
    let store = trame_store::Store::connect(
        &replace_db(admin_url, &building),
        Arc::new(FrozenClock::new(crate::start_instant())),
    )
    .await?;
    store.migrate().await?;
    store.close().await?;
    admin
        .execute_unprepared(&format!("ALTER DATABASE {building} RENAME TO {template}"))
        .await?;
    Ok(())
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(pg) = self.pg.take() else { return };
        // Drop runs outside async; a short-lived runtime on its own thread drops the database.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                if let Ok(admin) = Database::connect(&pg.admin_url).await {
                    let _ = admin
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                            pg.name
                        ))
                        .await;
                    let _ = admin.close().await;
                }
            });
        })
        .join();
    }
}
