//! Reliability under repeats, concurrency and locks (issue 7): a keyed form posted ten
//! times at once writes once, a limited amount is never exceeded by concurrent requests,
//! and a request that meets another writer's lock answers 503 within 6 s.

use std::time::{Duration, Instant};
use trame_domain::money::Euros;
use trame_domain::role::Role;
use trame_store::StoreError;
use trame_testkit::TestApp;

async fn organisations_named(app: &TestApp, name: &str) -> anyhow::Result<usize> {
    Ok(app
        .store
        .organisations(app.gpsea.scope())
        .await?
        .iter()
        .filter(|o| o.name == name)
        .count())
}

async fn journal_count(app: &TestApp, action: &str) -> anyhow::Result<usize> {
    Ok(app
        .store
        .audit_list(app.gpsea.scope(), 1000)
        .await?
        .iter()
        .filter(|e| e.action == action)
        .count())
}

fn organisation_form<'a>(name: &'a str, key: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("name", name),
        ("legal_form", "public"),
        ("rna", ""),
        ("siret", ""),
        ("commune_code", "94028"),
    ];
    if !key.is_empty() {
        form.push(("_cle", key));
    }
    form
}

const NEW: &str = "/gpsea/admin/organisations/nouvelle";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_form_posted_ten_times_at_once_creates_one_record() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let agent = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    // The key the page gave the form.
    let mut page_client = agent.clone();
    let page = page_client.get(NEW).await?;
    let key = page
        .body
        .split(r#"name="_cle" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(key.len(), 32, "the form carries a fresh key");
    let before = journal_count(&app, "organisation.create").await?;
    let posts = (0..10).map(|_| {
        let mut c = agent.clone();
        let key = key.clone();
        tokio::spawn(async move {
            c.post_form(NEW, &organisation_form("Les Mille Mains", &key))
                .await
        })
    });
    let mut locations = Vec::new();
    for p in posts {
        let r = p.await??;
        assert_eq!(r.status, 303, "{}", r.body);
        locations.push(r.location().unwrap_or_default().to_owned());
    }
    assert_eq!(organisations_named(&app, "Les Mille Mains").await?, 1);
    assert_eq!(
        journal_count(&app, "organisation.create").await?,
        before + 1
    );
    assert!(
        locations
            .iter()
            .all(|l| l == &locations[0] && l.contains("/organisations/")),
        "every repeat goes where the first answer went: {locations:?}"
    );
    // Later, the same post again: the same answer, marked as a repeat, nothing written.
    let mut c = agent.clone();
    let again = c
        .post_form(NEW, &organisation_form("Les Mille Mains", &key))
        .await?;
    assert_eq!(again.status, 303);
    assert_eq!(again.location(), Some(locations[0].as_str()));
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(organisations_named(&app, "Les Mille Mains").await?, 1);
    // The same key with other content (the form filled again after going back) is a
    // new request; so are two posts without a key.
    c.post_form(NEW, &organisation_form("Les Mille Mains bis", &key))
        .await?;
    assert_eq!(organisations_named(&app, "Les Mille Mains bis").await?, 1);
    for _ in 0..2 {
        let r = c.post_form(NEW, &organisation_form("Sans clé", "")).await?;
        assert_eq!(r.status, 303);
    }
    assert_eq!(organisations_named(&app, "Sans clé").await?, 2);
    // Another person cannot replay someone's key to learn where it led.
    let agent_id = app.person_id(&app.gpsea, Role::Agent);
    app.store
        .add_membership(None, app.gpsea.scope(), agent_id, Role::TerritoryAdmin)
        .await?;
    let mut other = app.client_as(&app.gpsea, Role::Agent).await?;
    let r = other
        .post_form(NEW, &organisation_form("Les Mille Mains", &key))
        .await?;
    assert_eq!(r.status, 303);
    assert_eq!(r.header("idempotent-replayed"), None);
    assert_eq!(organisations_named(&app, "Les Mille Mains").await?, 2);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_payments_never_exceed_what_may_be_paid() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let org = crate::funding::applicants_association(&app).await?;
    let award = crate::awards::awarded(&app, &app.gpsea, org.id).await?;
    let agent = app.person_id(&app.gpsea, Role::Agent);
    let today = trame_store::funding::awards::paris_day(app.store.now());
    // 10,000 € without convention: the 80 % advance, 8,000 €, may be paid now. Ten
    // payments of 1,500 € at once: five fit.
    let each = Euros::from_cents(150_000);
    let tasks = (0..10).map(|i| {
        let store = app.store.clone();
        tokio::spawn(async move {
            store
                .record_payment(agent, scope, award, today, each, &format!("MDT-{i}"))
                .await
        })
    });
    let mut ok = 0;
    for t in tasks {
        match t.await? {
            Ok(_) => ok += 1,
            Err(StoreError::Conflict { field, .. }) => assert_eq!(field, "amount"),
            Err(e) => panic!("a payment failed otherwise than on its amount: {e}"),
        }
    }
    assert_eq!(ok, 5);
    let a = app.store.award(scope, award).await?;
    assert_eq!(a.paid, Euros::from_cents(750_000));
    assert_eq!(app.store.payments(scope, award).await?.len(), 5);
    assert_eq!(journal_count(&app, "payment.create").await?, 5);
    Ok(())
}

#[tokio::test]
async fn a_request_that_meets_a_held_write_lock_answers_503_within_six_seconds()
-> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut agent = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    agent.get(NEW).await?;
    let lock = app.hold_write_lock().await?;
    let started = Instant::now();
    let r = agent
        .post_form(NEW, &organisation_form("Bloquée", ""))
        .await?;
    let waited = started.elapsed();
    eprintln!("held write lock: answered {} after {waited:?}", r.status);
    assert_eq!(r.status, 503, "{} {}", r.status, r.body);
    assert!(waited < Duration::from_secs(6), "answered after {waited:?}");
    assert!(waited >= Duration::from_secs(4), "gave up after {waited:?}");
    assert_eq!(r.header("retry-after"), Some("5"));
    assert!(r.body.contains("rien n&#39;a été enregistré"), "{}", r.body);
    // Pages that only read are still served while the lock is held.
    let started = Instant::now();
    assert_eq!(agent.get("/gpsea/admin/organisations").await?.status, 200);
    assert!(started.elapsed() < Duration::from_secs(1));
    drop(lock);
    assert_eq!(organisations_named(&app, "Bloquée").await?, 0);
    let r = agent
        .post_form(NEW, &organisation_form("Bloquée", ""))
        .await?;
    assert_eq!(r.status, 303);
    assert_eq!(organisations_named(&app, "Bloquée").await?, 1);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_overrides_never_pass_the_edition_s_envelope() -> anyhow::Result<()> {
    use trame_domain::funding::dossier::Transition;
    use trame_store::funding::committee::ScenarioKind;
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let agent = app.person_id(&app.gpsea, Role::Agent);
    let admin = app.person_id(&app.gpsea, Role::TerritoryAdmin);
    let applicant = app.person_id(&app.gpsea, Role::Applicant);
    // Six dossiers asking 12,000 € each of an edition of 60,000 €.
    let edition = crate::funding::open_edition(&app, &app.gpsea).await?;
    let mut dossiers = Vec::new();
    for i in 0..6 {
        let org = crate::funding::association(
            &app,
            &format!("Association {i}"),
            &format!("W94100010{i}"),
        )
        .await?;
        app.store
            .add_organisation_member(admin, scope, org.id, applicant)
            .await?;
        let (d, _, _) =
            crate::funding::submitted_dossier(&app, &app.gpsea, edition, org.id).await?;
        app.store
            .instruct(agent, scope, d, Transition::Instruct, "")
            .await?;
        dossiers.push(d);
    }
    let rule = app.store.edition(scope, edition).await?.rule();
    let scenario = app
        .store
        .create_scenario(agent, scope, edition, "Arbitrage", ScenarioKind::Rule, rule)
        .await?
        .id;
    // Twenty rounds: each sets every line to 1,000 € (6,000 € in all), then raises all
    // six to 12,000 € at once (+11,000 € each): exactly four fit in 60,000 €.
    for round in 0..20 {
        for d in &dossiers {
            app.store
                .override_amount(
                    agent,
                    scope,
                    scenario,
                    *d,
                    Euros::from_cents(100_000),
                    "Base.",
                )
                .await?;
        }
        let tasks = dossiers.iter().map(|d| {
            let (store, d) = (app.store.clone(), *d);
            tokio::spawn(async move {
                store
                    .override_amount(
                        agent,
                        scope,
                        scenario,
                        d,
                        Euros::from_cents(1_200_000),
                        "Relevé.",
                    )
                    .await
            })
        });
        let mut ok = 0;
        for t in tasks {
            match t.await? {
                Ok(()) => ok += 1,
                Err(StoreError::Conflict { field, message }) => {
                    assert_eq!(field, "amount");
                    assert!(message.contains("enveloppe"), "{message}");
                }
                Err(e) => panic!("an override failed otherwise than on the envelope: {e}"),
            }
        }
        let total = app
            .store
            .scenarios(scope, edition)
            .await?
            .into_iter()
            .find(|s| s.row.id == scenario)
            .map(|s| s.total())
            .unwrap_or_default();
        assert_eq!((round, ok, total), (round, 4, Euros::from_cents(5_000_000)));
    }
    Ok(())
}
