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

#[tokio::test]
async fn upgrading_copies_states_onto_communes_and_gives_accepted_dossiers_their_awards_and_reports()
-> anyhow::Result<()> {
    use trame_store::funding::dossiers::DossierFilter;
    let db = TestDb::create_empty().await?;
    let conn = Database::connect(db.url()).await?;
    Migrator::up(&conn, Some(7)).await?;
    conn.execute_unprepared(
        "INSERT INTO territory (id, slug, name, siren, departement, created_at)
           VALUES (1, 'gpsea', 'Grand Paris Sud Est Avenir', '200058006', '94', '2026-01-01T00:00:00Z');
         INSERT INTO audit_chain_head (chain, seq, hash)
           VALUES ('territory:1', 0, '0000000000000000000000000000000000000000000000000000000000000000');
         INSERT INTO commune (territory_id, code_insee, name, population, lat, lon)
           VALUES (1, '94028', 'Créteil', 93397, 48.7836, 2.4548);
         INSERT INTO scheme (id, territory_id, kind, name, description, created_at)
           VALUES (1, 1, 'appel', 'Initiatives d''ESS', '', '2026-01-01T00:00:00Z');
         INSERT INTO edition (id, territory_id, scheme_id, year, title, description, opens_at,
             closes_at, total_cents, ceiling_cents, ceiling_share_percent, minimum_share_percent,
             step_cents, allowed_forms, opinion_days, deemed_favourable, reviewer_cap, created_at)
           VALUES (1, 1, 1, 2026, 'Appel 2026', '', '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z',
             6000000, 1500000, 80, 50, 10000, 'association', 15, TRUE, 20, '2026-01-01T00:00:00Z');
         INSERT INTO organisation (id, territory_id, name, legal_form, created_at)
           VALUES (1, 1, 'Ressourcerie', 'association', '2026-01-01T00:00:00Z');
         INSERT INTO dossier (id, territory_id, edition_id, organisation_id, reference, state,
             title, submitted_at, created_at, updated_at)
           VALUES (1, 1, 1, 1, 'AAP-2026-00001', 'en_instruction', 'Recyclerie',
             '2026-02-01T10:00:00Z', '2026-01-15T00:00:00Z', '2026-02-02T00:00:00Z'),
                  (2, 1, 1, 1, 'AAP-2026-00002', 'depose', 'Atelier vélo',
             '2026-02-03T10:00:00Z', '2026-01-16T00:00:00Z', '2026-02-03T10:00:00Z');
         INSERT INTO dossier (id, territory_id, edition_id, organisation_id, reference, state,
             title, budget_cents, decision_cents, deliberation_ref, decided_at, submitted_at,
             created_at, updated_at)
           VALUES (3, 1, 1, 1, 'AAP-2026-00003', 'accepte', 'Ressourcerie', 6000000, 2400000,
             'CT 2026-03-20 n° 7', '2026-03-20T11:00:00Z', '2026-02-04T10:00:00Z',
             '2026-01-17T00:00:00Z', '2026-03-20T11:00:00Z');
         INSERT INTO dossier_commune (territory_id, dossier_id, commune_code)
           VALUES (1, 1, '94028'), (1, 2, '94028');",
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
    let filter = |state: &str| DossierFilter {
        edition_id: None,
        state: Some(state.into()),
        commune: Some("94028".into()),
        text: None,
        label: None,
        page: 1,
        per_page: 50,
    };
    let ids = |p: trame_store::funding::dossiers::DossierPage| -> Vec<i64> {
        p.lines.iter().map(|l| l.row.id).collect()
    };
    assert_eq!(
        ids(store
            .dossier_page(t.scope(), &filter("en_instruction"))
            .await?),
        vec![1]
    );
    assert_eq!(
        ids(store.dossier_page(t.scope(), &filter("depose")).await?),
        vec![2]
    );
    let all = store
        .dossier_page(
            t.scope(),
            &DossierFilter {
                state: None,
                ..filter("")
            },
        )
        .await?;
    assert_eq!(ids(all), vec![2, 1], "latest submitted first");
    // Migration 9 gave the accepted dossier its award: above 23,000 €, with a convention.
    let awards = store.awards(t.scope(), None).await?;
    assert_eq!(awards.len(), 1);
    let a = &awards[0];
    assert_eq!(a.row.dossier_id, Some(3));
    assert_eq!(a.row.amount_cents, 2_400_000);
    assert_eq!(a.row.decided_on, time::macros::date!(2026 - 03 - 20));
    assert_eq!(a.row.deliberation_ref, "CT 2026-03-20 n° 7");
    assert!(a.row.convention_required);
    assert_eq!(a.schedule().stored(), "80:signature,20:bilan");
    // Migration 10 gave it its year (that of the decision) and the report to come, due
    // on 30 June of the next year.
    let years = store.award_years(t.scope(), a.row.id).await?;
    assert_eq!(years.len(), 1);
    assert_eq!((years[0].year, years[0].amount_cents), (2026, 2_400_000));
    let reports = store.award_reports(t.scope(), a.row.id).await?;
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].state, "a_rendre");
    assert_eq!(reports[0].due_on, time::macros::date!(2027 - 06 - 30));
    assert_eq!(a.row.category, "");
    store.close().await?;
    Ok(())
}
