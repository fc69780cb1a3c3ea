//! After the decision: awards, payments against what remains, the de minimis ledger, and
//! the SCDL open-data file checked by the official validator (`frictionless`).

use std::path::PathBuf;
use std::sync::Arc;
use trame_domain::clock::FrozenClock;
use trame_domain::money::Euros;
use trame_domain::role::Role;
use trame_store::Store;
use trame_testkit::{TestApp, TestDb};

use crate::funding::{dossier_in_instruction, open_edition_of, submitted_dossier};
use trame_domain::funding::dossier::Transition;
use trame_store::funding::committee::ScenarioKind;
use trame_store::territories::Territory;

/// A dossier of `organisation` submitted to the edition of `year`, instructed and decided
/// by the committee's rule, or with `amount` when given: its id.
async fn decided(
    app: &TestApp,
    t: &Territory,
    organisation: i64,
    year: i32,
    amount: Option<Euros>,
) -> anyhow::Result<i64> {
    let scope = t.scope();
    let agent = app.person_id(t, Role::Agent);
    let edition = open_edition_of(app, t, year).await?;
    let (d, _, _) = submitted_dossier(app, t, edition, organisation).await?;
    app.store
        .instruct(agent, scope, d, Transition::Instruct, "")
        .await?;
    let rule = app.store.edition(scope, edition).await?.rule();
    let scenario = app
        .store
        .create_scenario(agent, scope, edition, "Règle", ScenarioKind::Rule, rule)
        .await?
        .id;
    if let Some(amount) = amount {
        app.store
            .override_amount(agent, scope, scenario, d, amount, "Ajusté.")
            .await?;
    }
    app.store
        .decide_from_scenario(agent, scope, scenario, "CT 2026-12-17 n° 43")
        .await?;
    Ok(d)
}

/// A dossier of `organisation` refused by the committee (the edition of the year after
/// next, whose rule grants it nothing): its id.
pub async fn refused(app: &TestApp, t: &Territory, organisation: i64) -> anyhow::Result<i64> {
    let d = decided(app, t, organisation, app.store.now().year() + 2, None).await?;
    anyhow::ensure!(app.store.dossier(t.scope(), d).await?.state == "refuse");
    Ok(d)
}

/// An award of 10,000 € to `organisation` (whose member the applicant account is), from
/// next year's edition decided now: the award's id.
pub async fn awarded(app: &TestApp, t: &Territory, organisation: i64) -> anyhow::Result<i64> {
    let amount = Some(Euros::from_cents(1_000_000));
    let d = decided(app, t, organisation, app.store.now().year() + 1, amount).await?;
    app.store
        .awards(t.scope(), None)
        .await?
        .into_iter()
        .find(|a| a.row.dossier_id == Some(d))
        .map(|a| a.row.id)
        .ok_or_else(|| anyhow::anyhow!("no award for the decided dossier"))
}

/// Validates `csv` against the SCDL subventions 2.1.1 schema of `../shared/schemas`.
/// A one-year convention of 15,000 € with the first commune of `t` (the one the test
/// referent answers for), decided today: its id and year.
pub async fn commune_convention(app: &TestApp, t: &Territory) -> anyhow::Result<(i64, i32)> {
    let scope = t.scope();
    let agent = app.person_id(t, Role::Agent);
    let commune = app.store.communes(scope).await?[0].code_insee.clone();
    let today = trame_store::funding::awards::paris_day(app.store.now());
    let c = trame_domain::funding::convention::Convention {
        category: trame_domain::funding::convention::Category::ForumEmploi,
        organisation_id: None,
        commune_code: Some(commune),
        title: "Forum emploi intercommunal".into(),
        years: vec![(today.year(), Euros::from_cents(1_500_000))],
        decided_on: today,
        deliberation: "CT 2026-11-26 n° 7".into(),
        indicators: vec![trame_domain::funding::report::Indicator {
            label: "Visiteurs".into(),
            target: 800,
        }],
        siege: false,
    };
    let a = app.store.create_convention(Some(agent), scope, &c).await?;
    Ok((a.id, today.year()))
}

fn validate_scdl(csv: &[u8]) -> anyhow::Result<()> {
    let schema = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/schemas/scdl-subventions-2.1.1.schema.json");
    trame_testkit::tools::frictionless_validate(csv, &schema)
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
    // Conventions with partners and communes, and reports in every state but « à
    // compléter »; no award is paid beyond what its schedule releases.
    let conventions = store.conventions(t.scope()).await?;
    assert_eq!(conventions.len(), 7);
    assert!(conventions.iter().any(|c| c.row.commune_code.is_some()));
    let mut states = std::collections::BTreeSet::new();
    for a in &awards {
        let years = store.award_years(t.scope(), a.row.id).await?;
        let reports = store.award_reports(t.scope(), a.row.id).await?;
        states.extend(reports.iter().map(|r| r.state.clone()));
        // A report is set against the dossier's own budget.
        if let Some(budget) = store.award_forecast(t.scope(), &a.row).await? {
            for r in &reports {
                if let Some(c) = trame_store::funding::reports::report_content(r) {
                    for l in &c.lines {
                        assert_eq!(l.forecast, budget.line(l.account), "{}", a.row.reference);
                    }
                }
            }
        }
        let tranches: Vec<_> = years
            .iter()
            .map(|y| trame_domain::funding::report::Tranche {
                amount: Euros::from_cents(y.amount_cents),
                report_accepted: reports
                    .iter()
                    .any(|r| r.year == y.year && r.state == "accepte"),
            })
            .collect();
        let open = trame_domain::funding::report::releasable(
            &a.schedule(),
            &tranches,
            trame_store::funding::reports::signed(&a.row),
        );
        assert!(
            a.paid <= open,
            "{}: {} paid, {} released",
            a.row.reference,
            a.paid,
            open
        );
    }
    for s in ["a_rendre", "depose", "accepte"] {
        assert!(states.contains(s), "{s} in {states:?}");
    }
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

#[tokio::test]
async fn payments_are_recorded_through_the_pages_and_applicants_see_their_awards()
-> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let org = crate::funding::applicants_association(&app).await?;
    let id = awarded(&app, &app.gpsea, org.id).await?;
    let mut agent = app.client_as(&app.gpsea, Role::Agent).await?;
    let list = agent.get("/gpsea/subventions").await?;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("Ressourcerie"));
    assert!(list.body.contains("10\u{202f}000,00\u{a0}€"));
    let url = format!("/gpsea/subventions/{id}/versements");
    let today = trame_store::funding::awards::paris_day(app.store.now()).to_string();
    // Bad input is told at its field, and nothing is written.
    let r = agent
        .post_form(
            &url,
            &[
                ("paid_on", &today),
                ("amount", "beaucoup"),
                ("mandate_ref", "MDT-1"),
            ],
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Montant illisible"));
    let r = agent
        .post_form(
            &url,
            &[
                ("paid_on", "26/11/2026"),
                ("amount", "100"),
                ("mandate_ref", "MDT-1"),
            ],
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("AAAA-MM-JJ"));
    assert!(app.store.payments(app.gpsea.scope(), id).await?.is_empty());
    // The advance, then too much.
    let r = agent
        .post_form(
            &url,
            &[
                ("paid_on", &today),
                ("amount", "8 000"),
                ("mandate_ref", "MDT-1"),
            ],
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = agent
        .post_form(
            &url,
            &[
                ("paid_on", &today),
                ("amount", "2 000,01"),
                ("mandate_ref", "MDT-2"),
            ],
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("dépasse le reste à verser"));
    let page = agent.get(&format!("/gpsea/subventions/{id}")).await?;
    assert!(page.body.contains("MDT-1"));
    assert!(
        page.body.contains("2\u{202f}000,00\u{a0}€"),
        "remaining shown"
    );
    // The applicant sees the award, not the payments.
    let mut porteur = app.client_as(&app.gpsea, Role::Applicant).await?;
    let mine = porteur.get("/gpsea/mes-subventions").await?;
    assert_eq!(mine.status, 200);
    assert!(mine.body.contains("Recyclerie solidaire"));
    assert!(!mine.body.contains("MDT-1"));
    let copy = porteur
        .get(&format!("/gpsea/mes-subventions/{id}/convention.pdf"))
        .await?;
    assert!(trame_testkit::tools::pdf_text(&copy.bytes)?.contains("Ressourcerie"));
    // The convention's signature: not in the future; then shown.
    let sign = format!("/gpsea/subventions/{id}/convention");
    let r = agent
        .post_form(&sign, &[("signed_on", "2099-01-01")])
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("dans le futur"));
    let r = agent.post_form(&sign, &[("signed_on", &today)]).await?;
    assert_eq!(r.status, 303);
    let list = agent.get("/gpsea/subventions").await?;
    assert!(list.body.contains("signée le"), "{}", list.body);
    // The convention and the letter, as PDF with their text.
    let conv = agent
        .get(&format!("/gpsea/subventions/{id}/convention.pdf"))
        .await?;
    assert_eq!(conv.status, 200);
    assert_eq!(
        conv.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    let text = trame_testkit::tools::pdf_text(&conv.bytes)?;
    for expected in [
        "Ressourcerie",
        "10 000,00 €",
        "80 % à la signature",
        "8 000,00 €",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
    let letter = agent
        .get(&format!("/gpsea/subventions/{id}/lettre.pdf"))
        .await?;
    assert!(trame_testkit::tools::pdf_text(&letter.bytes)?.contains("a retenu votre projet"));
    // Exports: the payment, in the three formats; a name that looks like a formula is
    // written as text.
    let csv = agent.get("/gpsea/versements/export/csv").await?;
    assert_eq!(csv.status, 200);
    assert!(
        csv.body.contains(",Ressourcerie,8000.00,MDT-1"),
        "{}",
        csv.body
    );
    for (format, magic) in [("xlsx", "PK"), ("ods", "PK")] {
        let r = agent
            .get(&format!("/gpsea/subventions/export/{format}"))
            .await?;
        assert_eq!(r.status, 200);
        assert!(r.body.starts_with(magic), "{format} is a zip file");
    }
    assert_eq!(
        agent.get("/gpsea/subventions/export/pdf").await?.status,
        404
    );
    let dossiers = agent
        .get("/gpsea/instruction/export/csv?etat=accepte")
        .await?;
    assert!(dossiers.body.contains("Recyclerie solidaire"));
    assert_eq!(dossiers.body.lines().count(), 2, "{}", dossiers.body);
    // The public open-data file lists it.
    let csv = app.client().get("/gpsea/donnees/subventions.csv").await;
    assert!(
        csv.is_ok_and(|r| r.status == 404),
        "no awarding SIRET yet: not published"
    );
    Ok(())
}

#[tokio::test]
async fn a_refused_applicant_gets_a_letter_and_no_award() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let org = crate::funding::association(&app, "Atelier bois", "W941000128").await?;
    let admin = app.person_id(&app.gpsea, Role::TerritoryAdmin);
    let applicant = app.person_id(&app.gpsea, Role::Applicant);
    app.store
        .add_organisation_member(admin, app.gpsea.scope(), org.id, applicant)
        .await?;
    let d = refused(&app, &app.gpsea, org.id).await?;
    assert!(app.store.awards(app.gpsea.scope(), None).await?.is_empty());
    let mut agent = app.client_as(&app.gpsea, Role::Agent).await?;
    let letter = agent
        .get(&format!("/gpsea/instruction/{d}/lettre-refus.pdf"))
        .await?;
    assert_eq!(letter.status, 200);
    let text = trame_testkit::tools::pdf_text(&letter.bytes)?;
    assert!(text.contains("n’a pas retenu votre projet"), "{text}");
    assert!(text.contains("Atelier bois"), "{text}");
    // The receipt of the same dossier, for the applicant.
    let mut porteur = app.client_as(&app.gpsea, Role::Applicant).await?;
    let receipt = porteur
        .get(&format!("/gpsea/mes-dossiers/{d}/recepisse.pdf"))
        .await?;
    let text = trame_testkit::tools::pdf_text(&receipt.bytes)?;
    assert!(
        text.contains("Accusé de dépôt") && text.contains("statuts.pdf"),
        "{text}"
    );
    Ok(())
}
