//! Insertion clauses through their pages: the facilitator records a buyer, a contract
//! and its target, a person; the company declares hours on its own contract; the
//! facilitator validates or rejects; progress follows. Bad hours are refused at their
//! field with nothing written; each side sees only its own.

use trame_domain::clauses::contract::{Contract, ContractInput};
use trame_domain::clauses::person::{Person, PersonInput, reference};
use trame_domain::clauses::vocab::BuyerKind;
use trame_domain::role::Role;
use trame_store::territories::Territory;
use trame_testkit::TestApp;

/// The SIRET of the organisations the tests create.
const SIRET: &str = "73282932000074";

/// A contract awarded to `organisation` (its SIRET is [`SIRET`]) and a person it
/// referred, recorded through the store as the territory's agent.
pub async fn contract_and_person(
    app: &TestApp,
    territory: &Territory,
    organisation: i64,
) -> anyhow::Result<(i64, i64)> {
    let scope = territory.scope();
    let agent = app.person_id(territory, Role::Agent);
    let buyer = app
        .store
        .create_clause_buyer(agent, scope, "Ville de Créteil", None, BuyerKind::Commune)
        .await?;
    let c = Contract::parse(&ContractInput {
        reference: "2026-CRE-007".into(),
        object: "Nettoyage des groupes scolaires".into(),
        cpv: "90919200-4".into(),
        amount: "400 000".into(),
        notified_on: "2026-01-15".into(),
        duration_months: "24".into(),
        awardee_siret: SIRET.into(),
        awardee_name: "Propreté Sud".into(),
        clause_type: "condition_execution".into(),
        labour_share: "60".into(),
        rate: "10".into(),
        hourly_cost: "25".into(),
        ..Default::default()
    })
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let contract = app.store.create_contract(agent, scope, buyer, &c).await?;
    let p = Person::parse(
        &PersonInput {
            first_name: "Awa".into(),
            last_name: "Diallo".into(),
            sex: "F".into(),
            birth_year: "1999".into(),
            ground: "rqth".into(),
            proof: "Notification MDPH du 2 février 2026".into(),
            referring_org: organisation.to_string(),
            ..Default::default()
        },
        2026,
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let person = app.store.create_clause_person(agent, scope, &p).await?;
    Ok((contract, person))
}

async fn organisation(
    app: &TestApp,
    territory: &Territory,
    name: &str,
    siret: &str,
) -> anyhow::Result<i64> {
    let admin = app.person_id(territory, Role::TerritoryAdmin);
    let org = trame_domain::organisation::Organisation::parse(
        &trame_domain::organisation::OrganisationInput {
            name: name.into(),
            siret: siret.into(),
            legal_form: "entreprise".into(),
            ..Default::default()
        },
        app.store.now().date(),
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    Ok(app
        .store
        .create_organisation(Some(admin), territory.scope(), &org)
        .await?
        .id)
}

#[tokio::test]
async fn a_facilitator_sets_a_target_a_company_declares_and_the_hours_count_once_validated()
-> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let company_org = organisation(&app, &app.gpsea, "Bâti Sud", SIRET).await?;
    let admin = app.person_id(&app.gpsea, Role::TerritoryAdmin);
    app.store
        .add_organisation_member(
            admin,
            scope,
            company_org,
            app.person_id(&app.gpsea, Role::Company),
        )
        .await?;
    let mut f = app.client_as(&app.gpsea, Role::Facilitator).await?;
    // A buyer, then a contract whose target the calculator shows before it is saved.
    let r = f
        .post_form(
            "/gpsea/clauses/acheteurs",
            &[("buyer_name", "GPSEA"), ("buyer_kind", "territoire")],
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let buyer = app.store.clause_buyers(scope).await?[0].id.to_string();
    let fields = |extra: &[(&'static str, &'static str)]| {
        let mut v = vec![
            ("buyer", buyer.clone()),
            ("operation", "Gymnase Casalis".to_owned()),
            ("reference", "2026-GPSEA-014".to_owned()),
            (
                "object",
                "Réhabilitation du gymnase, lot 2 maçonnerie".to_owned(),
            ),
            ("cpv", "45262500-6".to_owned()),
            ("amount", "1 000 000".to_owned()),
            ("notified_on", "2026-03-15".to_owned()),
            ("duration_months", "18".to_owned()),
            ("commune_code", "94028".to_owned()),
            ("awardee_siret", SIRET.to_owned()),
            ("awardee_name", "Bâti Sud".to_owned()),
            ("clause_type", "condition_execution".to_owned()),
            ("target_mode", "calcul".to_owned()),
            ("trade", "maconnerie".to_owned()),
            ("rate", "5".to_owned()),
            ("hourly_cost", "30".to_owned()),
        ];
        for (k, val) in extra {
            v.retain(|(key, _)| key != k);
            v.push((k, (*val).to_owned()));
        }
        v
    };
    let owned = |v: &Vec<(&'static str, String)>| {
        v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>()
    };
    let preview = fields(&[("action", "calculer")]);
    let pv: Vec<(&str, &str)> = preview.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = f.post_form("/gpsea/clauses/marches/nouveau", &pv).await?;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains("= 833 h") && r.body.contains("50\u{a0}%"),
        "{}",
        r.body
    );
    assert!(
        app.store
            .contracts(scope, trame_store::clauses::ContractsOf::All)
            .await?
            .is_empty()
    );
    // Bad values, each at its field; nothing written.
    let bad = owned(&fields(&[("action", "enregistrer")]))
        .into_iter()
        .map(|(k, v)| match k {
            "cpv" => (k, "4526".to_owned()),
            "rate" => (k, "120".to_owned()),
            "commune_code" => (k, "94081".to_owned()),
            _ => (k, v),
        })
        .collect::<Vec<_>>();
    let bv: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = f.post_form("/gpsea/clauses/marches/nouveau", &bv).await?;
    assert_eq!(r.status, 422);
    for field in ["cpv", "rate"] {
        assert!(r.body.contains(&format!("id=\"{field}-error\"")), "{field}");
    }
    // A hand-set target without its reason is refused too.
    let manual = fields(&[
        ("action", "enregistrer"),
        ("target_mode", "manuel"),
        ("manual_hours", "900"),
    ]);
    let mv: Vec<(&str, &str)> = manual.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = f.post_form("/gpsea/clauses/marches/nouveau", &mv).await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"reason-error\""));
    let save = fields(&[("action", "enregistrer")]);
    let sv: Vec<(&str, &str)> = save.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = f.post_form("/gpsea/clauses/marches/nouveau", &sv).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = r.location().unwrap().to_owned();
    let id: i64 = page.rsplit('/').next().unwrap().parse()?;
    let c = app
        .store
        .contract(scope, id, trame_store::clauses::ContractsOf::All)
        .await?;
    assert_eq!(c.row.target_hours, 833);
    assert_eq!(c.row.awardee_org_id, Some(company_org));
    assert_eq!(c.row.ends_on, "2027-09-14");
    // The same reference twice is refused at its field.
    let r = f.post_form("/gpsea/clauses/marches/nouveau", &sv).await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"reference-error\""));
    // Two people, eligibility validated by the facilitator.
    let mut people = Vec::new();
    for (first, sex, year) in [("Awa", "F", "1999"), ("Karim", "M", "1972")] {
        let r = f
            .post_form(
                "/gpsea/clauses/personnes",
                &[
                    ("first_name", first),
                    ("last_name", "Test"),
                    ("sex", sex),
                    ("birth_year", year),
                    ("commune_code", "94028"),
                    ("ground", "demandeur_longue_duree"),
                    ("proof", "Attestation France Travail du 3 mars 2026"),
                ],
            )
            .await?;
        assert_eq!(r.status, 303, "{}", r.body);
        people.push(
            r.location()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .parse::<i64>()?,
        );
    }
    let r = f
        .post_form(
            "/gpsea/clauses/personnes",
            &[("first_name", "X"), ("birth_year", "2020")],
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"ground-error\"") && r.body.contains("id=\"birth_year-error\""));
    // The company sees its contract and declares hours for both, by reference.
    let mut co = app.client_as(&app.gpsea, Role::Company).await?;
    let r = co.get("/gpsea/mes-marches").await?;
    assert!(r.body.contains("2026-GPSEA-014"), "{}", r.body);
    let url = format!("/gpsea/mes-marches/{id}/heures");
    let (a, k) = (reference(people[0]), reference(people[1]));
    for (who, hours) in [(&a, "120"), (&k, "80,5")] {
        let r = co
            .post_form(
                &url,
                &[
                    ("person", who),
                    ("month", "2026-10"),
                    ("way", "embauche_directe"),
                    ("hours", hours),
                ],
            )
            .await?;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    // Refused, at their field, nothing written: twice the same line, a month outside the
    // contract, more than 250 hours in the month, an unknown person, negative hours.
    let before = app.store.contract_hours(scope, id).await?.len();
    for (who, month, hours, field, says) in [
        (a.as_str(), "2026-10", "10", "month", "déjà déclarées"),
        (a.as_str(), "2026-02", "10", "month", "hors des dates"),
        (a.as_str(), "2027-10", "10", "month", "hors des dates"),
        (k.as_str(), "2026-11", "251", "hours", "250 heures"),
        ("P99999", "2026-11", "10", "person", "Personne inconnue"),
        (a.as_str(), "2026-11", "-3", "hours", "positif"),
        (a.as_str(), "2026-12", "10", "month", "pas commencé"),
    ] {
        let r = co
            .post_form(
                &url,
                &[
                    ("person", who),
                    ("month", month),
                    ("way", "embauche_directe"),
                    ("hours", hours),
                ],
            )
            .await?;
        assert_eq!(r.status, 422, "{who} {month} {hours}");
        assert!(
            r.body.contains(&format!("id=\"{field}-error\"")),
            "{field}: {}",
            r.body
        );
        assert!(r.body.contains(says), "{says}");
    }
    // 200 h on another way the same month: 320 h for the person, refused.
    let r = co
        .post_form(
            &url,
            &[
                ("person", &a),
                ("month", "2026-10"),
                ("way", "mise_a_disposition"),
                ("hours", "200"),
            ],
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("dépasserait 250 heures"));
    assert_eq!(app.store.contract_hours(scope, id).await?.len(), before);
    // Declared is not done.
    let c = app
        .store
        .contract(scope, id, trame_store::clauses::ContractsOf::All)
        .await?;
    assert_eq!((c.done_tenths, c.pending_tenths), (0, 2_005));
    // The facilitator validates one line and rejects the other with its reason.
    let lines = app.store.contract_hours(scope, id).await?;
    let line_of = |p: i64| {
        lines
            .iter()
            .find(|l| l.row.person_id == p)
            .map(|l| l.row.id.to_string())
            .unwrap()
    };
    let r = f.get(&page).await?;
    assert!(
        r.body.contains("Awa Test") && r.body.contains("2 ligne(s), dont 2 à valider"),
        "{}",
        r.body
    );
    let r = f
        .post_form(
            &format!("{page}/decision"),
            &[("lignes", &line_of(people[1])), ("decision", "rejeter")],
        )
        .await?;
    assert_eq!(r.status, 422, "a rejection needs its reason");
    let r = f
        .post_form(
            &format!("{page}/decision"),
            &[("lignes", &line_of(people[0])), ("decision", "valider")],
        )
        .await?;
    assert_eq!(r.status, 303);
    let r = f
        .post_form(
            &format!("{page}/decision"),
            &[
                ("lignes", &line_of(people[1])),
                ("decision", "rejeter"),
                ("reason", "Contrat de travail manquant"),
            ],
        )
        .await?;
    assert_eq!(r.status, 303);
    let c = app
        .store
        .contract(scope, id, trame_store::clauses::ContractsOf::All)
        .await?;
    assert_eq!((c.done_tenths, c.pending_tenths), (1_200, 0));
    let r = co.get(&format!("/gpsea/mes-marches/{id}")).await?;
    assert!(r.body.contains("Contrat de travail manquant"));
    assert!(
        r.body
            .contains("120\u{a0}h réalisées sur 833\u{a0}h (14 %)"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("Karim"), "the company never reads names");
    // A rejected line may be declared again; it counts once validated.
    let r = co
        .post_form(
            &url,
            &[
                ("person", &k),
                ("month", "2026-10"),
                ("way", "embauche_directe"),
                ("hours", "80,5"),
            ],
        )
        .await?;
    assert_eq!(r.status, 303);
    assert_eq!(app.store.contract_hours(scope, id).await?.len(), 2);
    // Every change is in the journal.
    let journal = app.store.audit_list(scope, 200).await?;
    for act in [
        "clause_contract.create",
        "clause_person.create",
        "clause_hours.declare",
        "clause_hours.validate",
        "clause_hours.reject",
    ] {
        assert!(journal.iter().any(|e| e.action == act), "{act}");
    }
    // Declared, validated, rejected and declared again: the running totals and the
    // report's tallies agree with the lines.
    let faults = app.store.clause_tally_faults().await?;
    assert!(faults.is_empty(), "{faults:?}");
    Ok(())
}

#[tokio::test]
async fn each_side_sees_only_its_own() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let referrer = organisation(&app, &app.gpsea, "Mission locale", SIRET).await?;
    let (contract, person) = contract_and_person(&app, &app.gpsea, referrer).await?;
    let admin = app.person_id(&app.gpsea, Role::TerritoryAdmin);
    // A company of another organisation: the contract is not there for it.
    let mut co = app.client_as(&app.gpsea, Role::Company).await?;
    assert!(
        !co.get("/gpsea/mes-marches")
            .await?
            .body
            .contains("2026-CRE-007")
    );
    assert_eq!(
        co.get(&format!("/gpsea/mes-marches/{contract}"))
            .await?
            .status,
        404
    );
    let r = co
        .post_form(
            &format!("/gpsea/mes-marches/{contract}/heures"),
            &[
                ("person", &reference(person)),
                ("month", "2026-10"),
                ("way", "embauche_directe"),
                ("hours", "10"),
            ],
        )
        .await?;
    assert_eq!(r.status, 404);
    assert!(app.store.contract_hours(scope, contract).await?.is_empty());
    // The partner sees the person it referred only once it acts for the referrer, and
    // each read is logged.
    let partner = app.person_id(&app.gpsea, Role::Partner);
    let mut p = app.client_as(&app.gpsea, Role::Partner).await?;
    assert!(
        !p.get("/gpsea/clauses/personnes")
            .await?
            .body
            .contains("Diallo")
    );
    assert_eq!(
        p.get(&format!("/gpsea/clauses/personnes/{person}"))
            .await?
            .status,
        404
    );
    app.store
        .add_organisation_member(admin, scope, referrer, partner)
        .await?;
    let logged = app.store.access_log_count(partner).await?;
    let r = p.get(&format!("/gpsea/clauses/personnes/{person}")).await?;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Diallo") && r.body.contains("Notification MDPH"));
    assert_eq!(app.store.access_log_count(partner).await?, logged + 1);
    // Nobody of another territory reaches them.
    let mut outsider = app.client_as(&app.other, Role::Facilitator).await?;
    assert_eq!(
        outsider
            .get(&format!("/gpsea/clauses/marches/{contract}"))
            .await?
            .status,
        404
    );
    assert_eq!(
        outsider
            .get(&format!("/controle/clauses/marches/{contract}"))
            .await?
            .status,
        404
    );
    assert_eq!(
        outsider
            .get(&format!("/controle/clauses/personnes/{person}"))
            .await?
            .status,
        404
    );
    Ok(())
}

#[tokio::test]
async fn the_demo_has_forty_contracts_two_years_of_hours_and_some_alerts() -> anyhow::Result<()> {
    use std::sync::Arc;
    use trame_domain::clock::FrozenClock;
    let db = trame_testkit::TestDb::create().await?;
    let store = trame_store::Store::connect(
        db.url(),
        Arc::new(FrozenClock::new(trame_testkit::start_instant())),
    )
    .await?;
    store.migrate().await?;
    store.load_demo().await?;
    let t = store.territory_by_slug("gpsea").await?;
    let contracts = store
        .contracts(t.scope(), trame_store::clauses::ContractsOf::All)
        .await?;
    assert_eq!(contracts.len(), 40);
    let today = trame_store::funding::awards::paris_day(store.now());
    let statuses: std::collections::BTreeSet<_> =
        contracts.iter().map(|c| c.progress(today).status).collect();
    assert!(statuses.iter().any(|s| s.is_alert()), "{statuses:?}");
    assert!(statuses.len() >= 3, "{statuses:?}");
    assert!(
        contracts
            .iter()
            .all(|c| c.done_tenths > 0 || c.row.notified_on.as_str() > "2026-10")
    );
    assert!(contracts.iter().any(|c| c.pending_tenths > 0));
    let (people, total) = store
        .clause_people(1, t.scope(), trame_store::clauses::PeopleOf::All, "", 50)
        .await?;
    assert_eq!((people.len(), total), (50, 80));
    let (found, _) = store
        .clause_people(1, t.scope(), trame_store::clauses::PeopleOf::All, "dia", 50)
        .await?;
    assert!(!found.is_empty() && found.iter().all(|p| p.last_name == "Diallo"));
    let (one, _) = store
        .clause_people(
            1,
            t.scope(),
            trame_store::clauses::PeopleOf::All,
            &reference(people[3].id),
            50,
        )
        .await?;
    assert_eq!(one.first().map(|p| p.id), Some(people[3].id));
    // The demo company sees its own contracts only, through its page.
    let router = trame_web::app(trame_web::AppState::new(
        store.clone(),
        trame_web::WebConfig::default(),
    ));
    let mut c = trame_testkit::Client::new(router, [127, 0, 0, 1].into());
    let r = c
        .login("entreprise@demo.trame.test", trame_testkit::PASSWORD)
        .await?;
    assert_eq!(r.status, 303);
    let r = c.get("/gpsea/mes-marches").await?;
    assert_eq!(r.status, 200);
    let mine = r.body.matches("/gpsea/mes-marches/").count();
    assert!((3..40).contains(&mine), "{mine} contracts");
    // The page of a contract with many months shows the lines waiting and the last three
    // months; the others on demand, every one of them.
    let long = contracts
        .iter()
        .min_by_key(|c| c.row.notified_on.clone())
        .map(|c| c.row.clone())
        .ok_or_else(|| anyhow::anyhow!("no contract"))?;
    let (shown, total) = store.contract_lines(&long, false).await?;
    let (every, _) = store.contract_lines(&long, true).await?;
    assert_eq!(every.len() as u64, total);
    assert!(
        shown.len() < every.len(),
        "{} of {}",
        shown.len(),
        every.len()
    );
    let months: std::collections::BTreeSet<_> = shown
        .iter()
        .filter(|h| h.row.state != "declare")
        .map(|h| h.row.month.clone())
        .collect();
    assert!(months.len() <= 3, "{months:?}");
    assert!(
        every
            .iter()
            .filter(|h| h.row.state == "declare")
            .all(|h| shown.iter().any(|s| s.row.id == h.row.id)),
        "every line waiting is shown"
    );
    let mut f = trame_testkit::Client::new(
        trame_web::app(trame_web::AppState::new(
            store.clone(),
            trame_web::WebConfig::default(),
        )),
        [127, 0, 0, 1].into(),
    );
    assert_eq!(
        f.login("accompagnement@demo.trame.test", trame_testkit::PASSWORD)
            .await?
            .status,
        303
    );
    let url = format!("/gpsea/clauses/marches/{}", long.id);
    let r = f.get(&url).await?;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("ne sont pas affichées"), "{}", r.body);
    let r = f.get(&format!("{url}?lignes=toutes")).await?;
    assert_eq!(r.status, 200);
    assert!(!r.body.contains("ne sont pas affichées"));
    assert_eq!(
        r.body.matches("name=\"lignes\" value=").count(),
        every.iter().filter(|h| h.row.state == "declare").count()
    );
    let faults = store.clause_tally_faults().await?;
    assert!(faults.is_empty(), "{faults:?}");
    store.close().await?;
    Ok(())
}

#[tokio::test]
async fn a_timesheet_is_imported_whole_or_not_at_all_with_a_report_line_by_line()
-> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let org = organisation(&app, &app.gpsea, "Propreté Sud", SIRET).await?;
    let (contract, person) = contract_and_person(&app, &app.gpsea, org).await?;
    let p = reference(person);
    let mut f = app.client_as(&app.gpsea, Role::Facilitator).await?;
    let bad = format!(
        "marché;personne;mois;modalité;heures\n\
         2026-CRE-007;{p};2026-09;embauche_directe;35,5\n\
         2026-CRE-999;{p};2026-09;embauche_directe;10\n\
         2026-CRE-007;P99999;2026-09;embauche_directe;10\n\
         2026-CRE-007;{p};2025-09;embauche_directe;10\n\
         2026-CRE-007;{p};2026-10;Embauche directe;300\n\
         2026-CRE-007;{p};2026-09;embauche_directe;4\n"
    );
    let r = f
        .post_multipart(
            "/gpsea/clauses/import",
            &[],
            "fichier",
            "releve.csv",
            "text/csv",
            bad.as_bytes(),
        )
        .await?;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("rien n&#39;a été importé") || r.body.contains("rien n'a été importé"));
    for says in [
        "Marché inconnu : « 2026-CRE-999 »",
        "hors des dates",
        "250 heures",
    ] {
        assert!(r.body.contains(says), "{says}: {}", r.body);
    }
    assert!(
        app.store.contract_hours(scope, contract).await?.is_empty(),
        "nothing written"
    );
    // The unknown person and the same line twice are caught by the store, still by line.
    let bad2 = format!(
        "marche,personne,mois,modalite,heures\n\
         2026-CRE-007,P99999,2026-09,embauche_directe,10\n\
         2026-CRE-007,{p},2026-09,embauche_directe,10\n\
         2026-CRE-007,{p},2026-09,embauche_directe,12\n"
    );
    let r = f
        .post_multipart(
            "/gpsea/clauses/import",
            &[],
            "fichier",
            "releve.csv",
            "text/csv",
            bad2.as_bytes(),
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("Personne inconnue") && r.body.contains("deux fois"),
        "{}",
        r.body
    );
    assert!(app.store.contract_hours(scope, contract).await?.is_empty());
    // A good XLSX: written, waiting for validation.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["Marché", "Personne", "Mois", "Modalité", "Heures"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h)?;
    }
    for (row, (month, hours)) in [("2026-09", 35.5), ("2026-10", 70.0)].iter().enumerate() {
        let r = row as u32 + 1;
        sheet.write_string(r, 0, "2026-CRE-007")?;
        sheet.write_string(r, 1, &p)?;
        sheet.write_string(r, 2, *month)?;
        sheet.write_string(r, 3, "mise_a_disposition")?;
        sheet.write_number(r, 4, *hours)?;
    }
    let xlsx = book.save_to_buffer()?;
    let r = f
        .post_multipart(
            "/gpsea/clauses/import",
            &[],
            "fichier",
            "releve.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &xlsx,
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), Some("/gpsea/clauses/import?importe=2"));
    let lines = app.store.contract_hours(scope, contract).await?;
    assert_eq!(lines.len(), 2);
    assert!(
        lines
            .iter()
            .all(|l| l.row.state == "declare" && l.row.source == "fichier")
    );
    // A company imports only onto its own contracts: another's is « unknown ».
    let mut co = app.client_as(&app.gpsea, Role::Company).await?;
    let r = co
        .post_multipart(
            "/gpsea/mes-marches/import",
            &[],
            "fichier",
            "releve.csv",
            "text/csv",
            format!("marche;personne;mois;modalite;heures\n2026-CRE-007;{p};2026-11;embauche_directe;5\n").as_bytes(),
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Marché inconnu"));
    assert_eq!(app.store.contract_hours(scope, contract).await?.len(), 2);
    Ok(())
}

#[tokio::test]
async fn the_yearly_report_counts_validated_hours_people_and_outcomes_and_goes_out_as_files()
-> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let org = organisation(&app, &app.gpsea, "Propreté Sud", SIRET).await?;
    let (contract, person) = contract_and_person(&app, &app.gpsea, org).await?;
    let mut f = app.client_as(&app.gpsea, Role::Facilitator).await?;
    let page = format!("/gpsea/clauses/marches/{contract}");
    // 120 h validated in October, 30 h waiting in November (not counted).
    for (month, hours) in [("2026-10", "120"), ("2026-11", "30")] {
        let r = f
            .post_form(
                &format!("{page}/heures"),
                &[
                    ("person", &reference(person)),
                    ("month", month),
                    ("way", "mise_a_disposition"),
                    ("hours", hours),
                ],
            )
            .await?;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let october = app
        .store
        .contract_hours(scope, contract)
        .await?
        .into_iter()
        .find(|l| l.row.month == "2026-10-01")
        .map(|l| l.row.id.to_string())
        .unwrap();
    let r = f
        .post_form(
            &format!("{page}/decision"),
            &[("lignes", &october), ("decision", "valider")],
        )
        .await?;
    assert_eq!(r.status, 303);
    // The outcome at the end of the mission; six months later cannot come before it.
    let situations = format!("/gpsea/clauses/personnes/{person}/situations");
    let r = f
        .post_form(
            &situations,
            &[
                ("contract", &contract.to_string()),
                ("moment", "fin"),
                ("outcome", "cdd_6_mois"),
                ("observed_on", "2026-11-02"),
            ],
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = f
        .post_form(
            &situations,
            &[
                ("contract", &contract.to_string()),
                ("moment", "6_mois"),
                ("outcome", "cdi"),
                ("observed_on", "2026-10-01"),
            ],
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"observed_on-error\""));
    let r = f
        .post_form(
            &situations,
            &[
                ("contract", "999999"),
                ("moment", "fin"),
                ("outcome", "cdi"),
                ("observed_on", "2026-11-02"),
            ],
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"contract-error\""));
    // The report: the contract runs from January 2026 to January 2028, 25 months, 12 of
    // them in 2026: 960 h × 12 ÷ 25 = 461 h targeted for the year.
    let rep = app.store.clause_year_report(scope, 2026, None).await?;
    assert_eq!(rep.total.done_tenths, 1_200);
    assert_eq!(rep.total.people, 1);
    assert_eq!((rep.people.women, rep.people.men), (1, 0));
    assert_eq!(rep.ways.get("mise_a_disposition"), Some(&1_200));
    assert_eq!(
        rep.outcomes.get(&("fin".into(), "cdd_6_mois".into())),
        Some(&1)
    );
    let target = app
        .store
        .contract(scope, contract, trame_store::clauses::ContractsOf::All)
        .await?
        .row
        .target_hours;
    assert_eq!(target, 960);
    assert_eq!(rep.total.target_hours, 461);
    // Limited to the contract's buyer, the report holds the same; another buyer's is empty.
    let buyer = app
        .store
        .contract(scope, contract, trame_store::clauses::ContractsOf::All)
        .await?
        .row
        .buyer_id;
    let one = app
        .store
        .clause_year_report(scope, 2026, Some(buyer))
        .await?;
    assert_eq!(
        (
            one.total.done_tenths,
            one.total.people,
            one.months.iter().map(|m| m.1).sum::<i64>(),
            one.buyers.len()
        ),
        (1_200, 1, 1_200, 1)
    );
    assert_eq!(one.companies.first().map(|l| l.people), Some(1));
    let other = app
        .store
        .clause_buyers(scope)
        .await?
        .into_iter()
        .find(|b| b.id != buyer);
    if let Some(other) = other {
        let none = app
            .store
            .clause_year_report(scope, 2026, Some(other.id))
            .await?;
        assert_eq!((none.total.done_tenths, none.total.people), (0, 0));
        assert!(none.months.iter().all(|m| m.1 == 0));
    }
    let r = f.get("/gpsea/clauses/bilan?annee=2026").await?;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("<svg") && r.body.contains("role=\"img\""));
    assert!(r.body.contains("Heures réalisées par mois en 2026"));
    assert!(r.body.contains("CDD de 6 mois ou plus"));
    // The files: a PDF that opens, a workbook, a CSV.
    let pdf = f.get("/gpsea/clauses/bilan.pdf?annee=2026").await?;
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert!(pdf.bytes.starts_with(b"%PDF"));
    let xlsx = f.get("/gpsea/clauses/bilan/export/xlsx?annee=2026").await?;
    assert!(xlsx.bytes.starts_with(b"PK"));
    let csv = f.get("/gpsea/clauses/bilan/export/csv?annee=2026").await?;
    assert!(
        csv.body.contains("2026-CRE-007") && csv.body.contains("120,0"),
        "{}",
        csv.body
    );
    // The equity dashboard counts the hours in the commune of execution, if any.
    let r = app.client().get("/gpsea/equite?indicateur=clauses").await?;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Heures d&#39;insertion") || r.body.contains("Heures d'insertion"));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_declarations_never_count_twice_nor_pass_250_hours() -> anyhow::Result<()> {
    use trame_domain::clauses::hours::Line;
    use trame_store::clauses::Declared;
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let org = organisation(&app, &app.gpsea, "Propreté Sud", SIRET).await?;
    let (first, person) = contract_and_person(&app, &app.gpsea, org).await?;
    let agent = app.person_id(&app.gpsea, Role::Agent);
    let buyer = app.store.clause_buyers(scope).await?[0].id;
    let mut contracts = vec![first];
    for n in 1..6 {
        let c = Contract::parse(&ContractInput {
            reference: format!("2026-CRE-10{n}"),
            object: "Entretien des espaces verts".into(),
            cpv: "77310000-6".into(),
            amount: "300 000".into(),
            notified_on: "2026-01-15".into(),
            duration_months: "24".into(),
            awardee_siret: SIRET.into(),
            awardee_name: "Propreté Sud".into(),
            clause_type: "condition_execution".into(),
            labour_share: "60".into(),
            rate: "10".into(),
            hourly_cost: "25".into(),
            ..Default::default()
        })
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        contracts.push(app.store.create_contract(agent, scope, buyer, &c).await?);
    }
    let line = |contract_id: i64, tenths: i32| -> anyhow::Result<Declared> {
        Ok(Declared {
            contract_id,
            person_id: person,
            line: Line::parse(
                "2026-10",
                "embauche_directe",
                &format!("{}", tenths / 10),
                time::macros::date!(2026 - 01 - 15),
                time::macros::date!(2028 - 01 - 14),
            )
            .map_err(|e| anyhow::anyhow!("{e:?}"))?,
        })
    };
    // Ten identical declarations at once: one line.
    let d = line(first, 400)?;
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let store = app.store.clone();
            tokio::spawn(async move {
                store
                    .declare_hours(
                        agent,
                        scope,
                        trame_domain::clauses::vocab::Source::Facilitator,
                        &[d],
                    )
                    .await
            })
        })
        .collect();
    let mut written = 0;
    for t in tasks {
        if t.await??.is_ok() {
            written += 1;
        }
    }
    assert_eq!(written, 1);
    assert_eq!(app.store.contract_hours(scope, first).await?.len(), 1);
    // 40 h are declared for October; five declarations of 100 h on five other contracts
    // at once: two fit under 250 h.
    let tasks: Vec<_> = contracts
        .iter()
        .skip(1)
        .map(|c| {
            let store = app.store.clone();
            let d = line(*c, 1_000);
            tokio::spawn(async move {
                let d = d?;
                anyhow::Ok(
                    store
                        .declare_hours(
                            agent,
                            scope,
                            trame_domain::clauses::vocab::Source::Facilitator,
                            &[d],
                        )
                        .await?,
                )
            })
        })
        .collect();
    let mut fitted = 0;
    for t in tasks {
        match t.await?? {
            Ok(_) => fitted += 1,
            Err(faults) => assert!(
                faults.iter().all(|f| f.message.contains("250 heures")),
                "{faults:?}"
            ),
        }
    }
    assert_eq!(fitted, 2);
    let mut total = 0;
    for c in &contracts {
        total += app
            .store
            .contract_hours(scope, *c)
            .await?
            .iter()
            .map(|l| i64::from(l.row.tenths))
            .sum::<i64>();
    }
    assert_eq!(total, 2_400);
    // The lines are validated from three sides at once, each line by more than one: each
    // counts once, in the contracts' totals and in the report's tallies.
    let mut tasks = Vec::new();
    for c in &contracts {
        let ids: Vec<i64> = app
            .store
            .contract_hours(scope, *c)
            .await?
            .iter()
            .map(|l| l.row.id)
            .collect();
        for _ in 0..3 {
            let (store, ids, c) = (app.store.clone(), ids.clone(), *c);
            tasks.push(tokio::spawn(async move {
                store.decide_hours(agent, scope, c, &ids, true, None).await
            }));
        }
    }
    let mut validated = 0;
    for t in tasks {
        validated += t.await??;
    }
    assert!(validated >= 3, "{validated}");
    let faults = app.store.clause_tally_faults().await?;
    assert!(faults.is_empty(), "{faults:?}");
    let mut done = 0;
    for c in &contracts {
        done += app
            .store
            .contract(scope, *c, trame_store::clauses::ContractsOf::All)
            .await?
            .done_tenths;
    }
    assert_eq!(done, 2_400);
    let report = app.store.clause_year_report(scope, 2026, None).await?;
    assert_eq!((report.total.done_tenths, report.total.people), (2_400, 1));
    Ok(())
}

#[tokio::test]
async fn a_contract_behind_its_pace_is_signalled_once_a_week_to_the_facilitator_and_the_awardee()
-> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let org = organisation(&app, &app.gpsea, "Propreté Sud", SIRET).await?;
    let admin = app.person_id(&app.gpsea, Role::TerritoryAdmin);
    let company = app.person_id(&app.gpsea, Role::Company);
    app.store
        .add_organisation_member(admin, scope, org, company)
        .await?;
    // Notified in January 2026 for 24 months with 960 h to do: by late November, with
    // nothing validated, it is behind.
    let _ = contract_and_person(&app, &app.gpsea, org).await?;
    let settings = trame_store::jobs::JobSettings {
        session_idle: time::Duration::hours(1),
        access_log_retention: time::Duration::days(365),
    };
    let ran = app.store.run_due_jobs(app.store.now(), settings).await?;
    let alerted = ran
        .iter()
        .find(|r| r.job == trame_store::jobs::Job::AlertClauses)
        .map(|r| r.rows);
    assert_eq!(alerted, Some(1));
    let mails = app.store.outbox(scope, 50).await?;
    let to = |who: &str| {
        mails
            .iter()
            .filter(|m| m.recipient == who && m.body.contains("2026-CRE-007"))
            .count()
    };
    assert_eq!(to(&trame_testkit::email_for("gpsea", Role::Facilitator)), 1);
    assert_eq!(to(&trame_testkit::email_for("gpsea", Role::Company)), 1);
    assert!(mails.iter().any(|m| m.body.contains("En retard")));
    // The same week: nothing more. The journal has the alert.
    app.clock.advance(time::Duration::days(1));
    let again = app.store.run_due_jobs(app.store.now(), settings).await?;
    assert!(
        again
            .iter()
            .all(|r| r.job != trame_store::jobs::Job::AlertClauses)
    );
    let journal = app.store.audit_list(scope, 100).await?;
    assert!(
        journal
            .iter()
            .any(|e| e.action == "clause_contract.alert" && e.object_type == "territory")
    );
    Ok(())
}

#[tokio::test]
async fn contracts_come_from_a_decp_file_with_their_social_flags() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let org = organisation(&app, &app.gpsea, "Bâti Sud", SIRET).await?;
    let mut f = app.client_as(&app.gpsea, Role::Facilitator).await?;
    f.post_form(
        "/gpsea/clauses/acheteurs",
        &[
            ("buyer_name", "GPSEA"),
            ("buyer_kind", "territoire"),
            ("buyer_siret", "20005800600012"),
        ],
    )
    .await?;
    f.post_form(
        "/gpsea/clauses/acheteurs",
        &[
            ("buyer_name", "Ville de Créteil"),
            ("buyer_kind", "commune"),
        ],
    )
    .await?;
    let buyers = app.store.clause_buyers(scope).await?;
    let gpsea = buyers
        .iter()
        .find(|b| b.name == "GPSEA")
        .map(|b| b.id)
        .unwrap();
    let creteil = buyers
        .iter()
        .find(|b| b.name == "Ville de Créteil")
        .map(|b| b.id)
        .unwrap();
    let file = |third_duration: &str| {
        format!(
            r#"{{"marches": {{"marche": [
          {{"id": "2026GPSEA0001", "acheteur": {{"id": "20005800600012"}}, "objet": "Rénovation du gymnase", "codeCPV": "45262500-6",
            "dureeMois": 18, "dateNotification": "2026-03-15", "montant": 1000000,
            "lieuExecution": {{"code": "94028", "typeCode": "Code commune"}},
            "titulaires": [{{"titulaire": {{"typeIdentifiant": "SIRET", "id": "{SIRET}"}}}}],
            "considerationsSociales": {{"considerationSociale": ["Clause sociale"]}}}},
          {{"id": "2026CRE0002", "acheteur": {{"id": "21940028800014"}}, "objet": "Fournitures", "codeCPV": "30192000-1",
            "considerationsSociales": {{"considerationSociale": ["Pas de considération sociale"]}}}},
          {{"id": "2026CRE0003", "acheteur": {{"id": "21940028800014"}}, "objet": "Entretien des espaces verts", "codeCPV": "77310000-6",
            "dureeMois": {third_duration}, "dateNotification": "2025-09-01", "montant": 240000,
            "titulaires": [{{"titulaire": {{"typeIdentifiant": "SIRET", "id": "{SIRET}"}}}}],
            "considerationsSociales": {{"considerationSociale": ["Marché réservé"]}}}}
        ]}}}}"#
        )
    };
    let form = [
        ("buyer", creteil.to_string()),
        ("rate", "5".into()),
        ("hourly_cost", "30".into()),
    ];
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    // A duration of 0 months: refused with its position, nothing imported.
    let r = f
        .post_multipart(
            "/gpsea/clauses/import-decp",
            &fields,
            "fichier",
            "decp.json",
            "application/json",
            file("0").as_bytes(),
        )
        .await?;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("2026CRE0003") && r.body.contains("de 1 à 120"),
        "{}",
        r.body
    );
    assert!(
        app.store
            .contracts(scope, trame_store::clauses::ContractsOf::All)
            .await?
            .is_empty()
    );
    let r = f
        .post_multipart(
            "/gpsea/clauses/import-decp",
            &fields,
            "fichier",
            "decp.json",
            "application/json",
            file("36").as_bytes(),
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.location(),
        Some("/gpsea/clauses/import-decp?crees=2&connus=0")
    );
    let contracts = app
        .store
        .contracts(scope, trame_store::clauses::ContractsOf::All)
        .await?;
    assert_eq!(contracts.len(), 2);
    let gym = contracts
        .iter()
        .find(|c| c.row.reference == "2026GPSEA0001")
        .unwrap();
    assert_eq!(gym.row.buyer_id, gpsea, "the buyer known by its SIRET");
    assert_eq!(gym.row.target_hours, 833);
    assert_eq!(gym.row.awardee_name, "Bâti Sud");
    assert_eq!(gym.row.awardee_org_id, Some(org));
    assert_eq!(gym.row.commune_code.as_deref(), Some("94028"));
    assert_eq!(
        gym.row.decp_considerations.as_deref(),
        Some("Clause sociale")
    );
    let green = contracts
        .iter()
        .find(|c| c.row.reference == "2026CRE0003")
        .unwrap();
    assert_eq!(green.row.buyer_id, creteil, "the default buyer");
    assert_eq!(green.row.clause_type, "reserve_siae");
    // The same file again changes nothing.
    let r = f
        .post_multipart(
            "/gpsea/clauses/import-decp",
            &fields,
            "fichier",
            "decp.json",
            "application/json",
            file("36").as_bytes(),
        )
        .await?;
    assert_eq!(
        r.location(),
        Some("/gpsea/clauses/import-decp?crees=0&connus=2")
    );
    assert_eq!(
        app.store
            .contracts(scope, trame_store::clauses::ContractsOf::All)
            .await?
            .len(),
        2
    );
    Ok(())
}

#[tokio::test]
async fn the_territory_sets_its_labour_shares_and_converts_siae_invoices_into_hours()
-> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let org = organisation(&app, &app.gpsea, "Propreté Sud", SIRET).await?;
    let (contract, person) = contract_and_person(&app, &app.gpsea, org).await?;
    let mut f = app.client_as(&app.gpsea, Role::Facilitator).await?;
    let r = f.get("/gpsea/clauses/parametres").await?;
    assert_eq!(r.status, 200);
    assert!(
        r.body
            .contains("name=\"part_maconnerie\" value=\"50\u{a0}%\""),
        "{}",
        r.body
    );
    let mut form: Vec<(String, String)> = trame_domain::clauses::target::TRADES
        .iter()
        .map(|t| (format!("part_{}", t.code), t.labour_share.to_string()))
        .collect();
    form.retain(|(k, _)| k != "part_maconnerie");
    form.push(("part_maconnerie".into(), "60".into()));
    form.push(("reference_cost".into(), "abc".into()));
    form.push(("convention".into(), "facture".into()));
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = f.post_form("/gpsea/clauses/parametres", &fields).await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"reference_cost-error\""));
    form.retain(|(k, _)| k != "reference_cost");
    form.push(("reference_cost".into(), "28".into()));
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = f.post_form("/gpsea/clauses/parametres", &fields).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let s = app.store.clause_settings(scope).await?;
    assert_eq!(s.share_of("maconnerie").map(|p| p.bp()), Some(6_000));
    // The calculator now takes 60 % for masonry: 1,000,000 × 60 % × 5 % ÷ 30 = 1,000 h.
    let r = f
        .post_form(
            "/gpsea/clauses/marches/nouveau",
            &[
                ("action", "calculer"),
                ("amount", "1000000"),
                ("trade", "maconnerie"),
                ("rate", "5"),
                ("hourly_cost", "30"),
            ],
        )
        .await?;
    assert!(r.body.contains("= 1\u{202f}000 h"), "{}", r.body);
    // A SIAE's invoice of 10,000 € on a contract with 60 % of labour, at 28 € an hour:
    // 214.3 h.
    let mut co = app.client_as(&app.gpsea, Role::Company).await?;
    let admin = app.person_id(&app.gpsea, Role::TerritoryAdmin);
    app.store
        .add_organisation_member(admin, scope, org, app.person_id(&app.gpsea, Role::Company))
        .await?;
    let url = format!("/gpsea/mes-marches/{contract}/heures");
    let p = reference(person);
    for (way, hours, invoice, field) in [
        ("embauche_directe", "", "12 000", "invoice"),
        ("sous_traitance_siae", "10", "12 000", "invoice"),
        ("sous_traitance_siae", "", "douze mille", "invoice"),
    ] {
        let r = co
            .post_form(
                &url,
                &[
                    ("person", &p),
                    ("month", "2026-10"),
                    ("way", way),
                    ("hours", hours),
                    ("invoice", invoice),
                ],
            )
            .await?;
        assert_eq!(r.status, 422, "{way} {hours} {invoice}");
        assert!(
            r.body.contains(&format!("id=\"{field}-error\"")),
            "{}",
            r.body
        );
    }
    let r = co
        .post_form(
            &url,
            &[
                ("person", &p),
                ("month", "2026-10"),
                ("way", "sous_traitance_siae"),
                ("hours", ""),
                ("invoice", "10 000"),
            ],
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let lines = app.store.contract_hours(scope, contract).await?;
    assert_eq!(lines.first().map(|l| l.row.tenths), Some(2_143));
    Ok(())
}
