//! Backups taken while the database is being written restore to an identical database:
//! `VACUUM INTO` on SQLite, `pg_dump`/`pg_restore` on PostgreSQL.

use sea_orm::ConnectionTrait;
use std::sync::Arc;
use trame_domain::clock::FrozenClock;
use trame_domain::role::Role;
use trame_store::{Backend, Store};
use trame_testkit::{TestApp, TestDb};

async fn open(url: &str) -> anyhow::Result<Store> {
    Ok(Store::connect(
        url,
        Arc::new(FrozenClock::new(trame_testkit::start_instant())),
    )
    .await?)
}

#[tokio::test]
async fn a_backup_taken_under_load_restores_identically() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let admin = app.person_id(&app.gpsea, Role::TerritoryAdmin);
    let scope = app.gpsea.scope();
    // A writer journals changes continuously while the backup is taken.
    let writer = {
        let store = app.store.clone();
        tokio::spawn(async move {
            for _ in 0..60 {
                store
                    .log_access(admin, Some(scope.territory_id()), "members.list", "load")
                    .await?;
                store.open_session(admin, None).await?;
                tokio::task::yield_now().await;
            }
            anyhow::Ok(())
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let dir = tempfile::tempdir()?;
    let mut guards = Vec::new();
    let (backup, restored) = match app.store.backend() {
        Backend::Sqlite => {
            let file = dir.path().join("sauvegarde.db");
            app.store.backup_sqlite(&file).await?;
            writer.await??;
            let backup = open(&format!("sqlite://{}?mode=ro", file.display())).await?;
            let started = std::time::Instant::now();
            let copy = dir.path().join("restauree.db");
            std::fs::copy(&file, &copy)?;
            let restored = open(&format!("sqlite://{}?mode=rwc", copy.display())).await?;
            restored.integrity_check().await?;
            eprintln!(
                "SQLite restore (copy, integrity check): {:?} for {} bytes",
                started.elapsed(),
                std::fs::metadata(&copy)?.len()
            );
            (backup, restored)
        }
        Backend::Postgres => {
            let source = app.store.connection();
            let url = source_url(source).await?;
            let dump = dir.path().join("sauvegarde.dump");
            let status = std::process::Command::new("pg_dump")
                .args(["-Fc", "-f"])
                .arg(&dump)
                .arg(&url)
                .status()?;
            anyhow::ensure!(status.success(), "pg_dump failed");
            writer.await??;
            let started = std::time::Instant::now();
            let target = TestDb::create_empty().await?;
            let status = std::process::Command::new("pg_restore")
                .args(["--no-owner", "-d", target.url()])
                .arg(&dump)
                .status()?;
            anyhow::ensure!(status.success(), "pg_restore failed");
            eprintln!(
                "PostgreSQL restore (createdb, pg_restore): {:?} for a {} byte dump",
                started.elapsed(),
                std::fs::metadata(&dump)?.len()
            );
            let restored = open(target.url()).await?;
            // The dump is the backup: compare it with a second restore of the same dump.
            let again = TestDb::create_empty().await?;
            let status = std::process::Command::new("pg_restore")
                .args(["--no-owner", "-d", again.url()])
                .arg(&dump)
                .status()?;
            anyhow::ensure!(status.success(), "pg_restore failed");
            let backup = open(again.url()).await?;
            guards.push(target);
            guards.push(again);
            (backup, restored)
        }
    };
    let digest = backup.content_digest().await?;
    assert_eq!(restored.content_digest().await?, digest);
    // The copy is one consistent instant: every chain verifies.
    let checks = restored.audit_verify().await?;
    assert!(checks.iter().all(|c| c.broken.is_none()), "{checks:?}");
    // And the live database kept going after the backup.
    assert_ne!(app.store.content_digest().await?, digest);
    // The restored database is writable and its journal goes on.
    restored.migrate().await?;
    backup.close().await?;
    restored.close().await?;
    drop(guards);
    Ok(())
}

async fn source_url(db: &sea_orm::DatabaseConnection) -> anyhow::Result<String> {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT current_database()",
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("no database name"))?;
    let name: String = row.try_get_by_index(0)?;
    let base = std::env::var("TRAME_TEST_DATABASE_URL")?;
    let (prefix, _) = base
        .rsplit_once('/')
        .ok_or_else(|| anyhow::anyhow!("bad url"))?;
    Ok(format!("{prefix}/{name}"))
}

#[tokio::test]
async fn the_digest_covers_every_table() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let db = app.store.connection();
    let sql = match app.store.backend() {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'seaql_migrations' ORDER BY table_name"
        }
    };
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            sql,
        ))
        .await?;
    let tables: Vec<String> = rows
        .iter()
        .map(|r| r.try_get_by_index::<String>(0))
        .collect::<Result<_, _>>()?;
    let source = include_str!("../../src/backup.rs");
    for t in &tables {
        assert!(
            source.contains(&format!("table!({t},")),
            "content_digest does not read table {t}"
        );
    }
    assert_eq!(tables.len(), 84);
    Ok(())
}
