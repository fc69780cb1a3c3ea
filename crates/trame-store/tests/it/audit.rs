use sea_orm::ConnectionTrait;
use trame_domain::role::Role;
use trame_testkit::TestApp;

#[tokio::test]
async fn the_journal_refuses_updates_and_deletes() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let db = app.store.connection();
    let upd = db
        .execute_unprepared("UPDATE audit_event SET action = 'x' WHERE seq = 1")
        .await;
    assert!(upd.is_err(), "an update of the journal must be refused");
    let del = db.execute_unprepared("DELETE FROM audit_event").await;
    assert!(del.is_err(), "a delete of the journal must be refused");
    let checks = app.store.audit_verify().await?;
    assert!(checks.iter().all(|c| c.broken.is_none()), "{checks:?}");
    Ok(())
}

#[tokio::test]
async fn verify_finds_an_entry_edited_behind_the_triggers() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let db = app.store.connection();
    // Someone with the database owner's rights removes the protection and edits history.
    if app.store.backend() == trame_store::Backend::Postgres {
        db.execute_unprepared("DROP TRIGGER audit_event_append_only ON audit_event")
            .await?;
    } else {
        db.execute_unprepared("DROP TRIGGER audit_event_no_update")
            .await?;
    }
    db.execute_unprepared(&format!(
        "UPDATE audit_event SET object_id = '999' WHERE chain = 'territory:{}' AND seq = 2",
        app.gpsea.id
    ))
    .await?;
    let checks = app.store.audit_verify().await?;
    let gpsea = format!("territory:{}", app.gpsea.id);
    let broken: Vec<_> = checks.iter().filter(|c| c.broken.is_some()).collect();
    assert_eq!(broken.len(), 1, "{checks:?}");
    assert_eq!(broken[0].chain, gpsea);
    assert!(broken[0].broken.as_deref().unwrap_or("").contains("rang 2"));
    Ok(())
}

#[tokio::test]
async fn concurrent_writers_keep_each_chain_linear() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let person = app.person_id(&app.other, Role::Agent);
    let mut tasks = Vec::new();
    for role in Role::ALL {
        let store = app.store.clone();
        tasks.push(tokio::spawn(async move {
            store.add_membership(None, scope, person, role).await
        }));
    }
    for t in tasks {
        t.await??;
    }
    let checks = app.store.audit_verify().await?;
    assert!(checks.iter().all(|c| c.broken.is_none()), "{checks:?}");
    let gpsea = checks
        .iter()
        .find(|c| c.chain == format!("territory:{}", app.gpsea.id))
        .map(|c| c.entries);
    // territory.create + 8 demo memberships + 8 concurrent ones.
    assert_eq!(gpsea, Some(17));
    Ok(())
}

#[tokio::test]
async fn a_failed_territory_creation_writes_nothing() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut reference = trame_store::demo::gpsea_reference()?;
    let first = reference.communes[0].clone();
    reference.communes.push(first);
    let slug = trame_domain::territory::TerritorySlug::parse("doublon")
        .map_err(|e| anyhow::anyhow!(e.message))?;
    let err = app.store.create_territory(None, &slug, &reference).await;
    assert!(matches!(
        err,
        Err(trame_store::StoreError::Conflict {
            field: "communes",
            ..
        })
    ));
    assert!(app.store.territory_by_slug("doublon").await.is_err());
    let checks = app.store.audit_verify().await?;
    assert_eq!(checks.len(), 3, "no chain head left behind: {checks:?}");
    Ok(())
}
