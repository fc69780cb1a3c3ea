//! After the decision: awards, payments against what remains, the de minimis ledger, and
//! the SCDL open-data file checked by the official validator (`frictionless`).

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use trame_domain::clock::FrozenClock;
use trame_domain::money::Euros;
use trame_domain::role::Role;
use trame_store::Store;
use trame_testkit::{TestApp, TestDb};

use crate::funding::dossier_in_instruction;

/// The validator: `FRICTIONLESS_BIN`, else `frictionless` on the PATH. Installed by
/// `scripts/test` (a virtual environment under `.tools/`) and by CI.
fn frictionless() -> PathBuf {
    std::env::var_os("FRICTIONLESS_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("frictionless"))
}

/// Validates `csv` against the SCDL subventions 2.1.1 schema of `../shared/schemas`;
/// the validator's report on failure.
fn validate_scdl(csv: &[u8]) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let schema = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/schemas/scdl-subventions-2.1.1.schema.json");
    std::fs::copy(&schema, dir.path().join("schema.json"))?;
    std::fs::write(dir.path().join("subventions.csv"), csv)?;
    let out = Command::new(frictionless())
        .args(["validate", "--schema", "schema.json", "subventions.csv"])
        .current_dir(dir.path())
        .output()
        .map_err(|e| {
            anyhow::anyhow!(
                "the frictionless validator cannot be run ({e}): run `scripts/test`, which installs it, or set FRICTIONLESS_BIN"
            )
        })?;
    anyhow::ensure!(
        out.status.success(),
        "the SCDL file is refused by the validator:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}

#[tokio::test]
async fn the_demo_s_awards_make_a_valid_scdl_file() -> anyhow::Result<()> {
    let db = TestDb::create().await?;
    let store = Store::connect(
        db.url(),
        Arc::new(FrozenClock::new(trame_testkit::start_instant())),
    )
    .await?;
    store.migrate().await?;
    store.load_demo().await?;
    let t = store.territory_by_slug("gpsea").await?;
    let awards = store.awards(t.scope(), None).await?;
    // 2019, 2020 (eight structures) and 2024 laureates.
    assert!(awards.len() >= 10, "{} awards", awards.len());
    assert!(awards.iter().all(|a| a.paid.cents() <= a.row.amount_cents));
    assert!(
        awards.iter().any(|a| a.paid.cents() == a.row.amount_cents),
        "some fully paid"
    );
    let csv = trame_web::open_data::scdl_file(&store, &t, None).await?;
    let text = String::from_utf8(csv.clone())?;
    assert_eq!(text.lines().count(), awards.len() + 1);
    assert!(text.contains("La Cour Cyclette"));
    validate_scdl(&csv)?;
    // A broken file is refused: the validator can fail.
    let broken = text.replacen("20005800600012", "2000580060001", 1);
    assert!(validate_scdl(broken.as_bytes()).is_err());
    // One year only.
    let y2020 = trame_web::open_data::scdl_file(&store, &t, Some(2020)).await?;
    assert_eq!(String::from_utf8(y2020)?.lines().count(), 9);
    store.close().await?;
    Ok(())
}

#[tokio::test]
async fn a_decision_makes_awards_that_are_paid_within_what_remains() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let org = crate::funding::association(&app, "Ressourcerie", "W941000127").await?;
    let ids = dossier_in_instruction(&app, &app.gpsea, org.id).await?;
    let agent = app.person_id(&app.gpsea, Role::Agent);
    app.store
        .override_amount(
            agent,
            scope,
            ids.scenario,
            ids.dossier,
            Euros::from_cents(1_000_000),
            "Aligné sur le cofinancement.",
        )
        .await?;
    app.store
        .decide_from_scenario(agent, scope, ids.scenario, "CT 2026-12-17 n° 42")
        .await?;
    let d = app.store.dossier(scope, ids.dossier).await?;
    assert_eq!(d.state, "accepte", "{d:?}");
    let awards = app.store.awards(scope, None).await?;
    assert_eq!(awards.len(), 1);
    let a = &awards[0];
    assert_eq!(a.row.dossier_id, Some(ids.dossier));
    assert_eq!(a.beneficiary, "Ressourcerie");
    assert_eq!(a.schedule().stored(), "80:signature,20:bilan");
    let amount = a.amount();
    let today = trame_store::funding::awards::paris_day(app.store.now());
    let advance = a.schedule().amounts(amount)[0];
    app.store
        .record_payment(agent, scope, a.row.id, today, advance, "MDT-2026-001")
        .await?;
    // More than what remains is refused, at the amount, and nothing is written.
    let over = Euros::from_cents(amount.cents() - advance.cents() + 1);
    let err = app
        .store
        .record_payment(agent, scope, a.row.id, today, over, "MDT-2026-002")
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("dépasse le reste à verser"), "{err}");
    let a = app.store.award(scope, a.row.id).await?;
    assert_eq!(a.paid, advance);
    assert_eq!(app.store.payments(scope, a.row.id).await?.len(), 1);
    // Another territory does not see it.
    assert!(app.store.award(app.other.scope(), a.row.id).await.is_err());
    // Journaled.
    let actions: Vec<String> = app
        .store
        .audit_list(scope, 100)
        .await?
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.iter().any(|x| x == "award.create"));
    assert!(actions.iter().any(|x| x == "payment.create"));
    Ok(())
}
