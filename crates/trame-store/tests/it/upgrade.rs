//! Migrations applied to a database that already holds data keep that data.

use sea_orm::{ConnectionTrait, Database};
use sea_orm_migration::MigratorTrait;
use std::sync::Arc;
use trame_domain::clock::FrozenClock;
use trame_store::Store;
use trame_store::migration::Migrator;
use trame_testkit::TestDb;

#[tokio::test]
async fn upgrading_from_the_core_schema_keeps_territories_and_communes() -> anyhow::Result<()> {
    let db = TestDb::create_empty().await?;
    let conn = Database::connect(db.url()).await?;
    Migrator::up(&conn, Some(1)).await?;
    conn.execute_unprepared(
        "INSERT INTO territory (id, slug, name, siren, departement, created_at)
           VALUES (1, 'gpsea', 'Grand Paris Sud Est Avenir', '200058006', '94', '2026-01-01T00:00:00Z');
         INSERT INTO audit_chain_head (chain, seq, hash)
           VALUES ('territory:1', 0, '0000000000000000000000000000000000000000000000000000000000000000');
         INSERT INTO commune (territory_id, code_insee, name, population, lat, lon)
           VALUES (1, '94028', 'Créteil', 93397, 48.7836, 2.4548);",
    )
    .await?;
    conn.close().await?;
    let store = Store::connect(
        db.url(),
        Arc::new(FrozenClock::new(trame_testkit::start_instant())),
    )
    .await?;
    store.migrate().await?;
    let t = store.territory_by_slug("gpsea").await?;
    assert_eq!(t.primary_color, "#1d4f7a", "the new column has its default");
    let communes = store.communes(t.scope()).await?;
    assert_eq!(communes.len(), 1);
    assert_eq!(communes[0].name, "Créteil");
    assert_eq!(communes[0].lat, Some(48.7836));
    assert_eq!(communes[0].postal_codes, "");
    store.close().await?;
    Ok(())
}
