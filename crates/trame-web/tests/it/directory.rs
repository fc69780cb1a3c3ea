//! The directory through its pages and its JSON: a data·inclusion file imported all or
//! nothing and idempotently, searched in French with filters, drafts and other
//! territories kept out, a second server's cache kept right, the export accepted by the
//! official validator.

use trame_domain::directory::exchange::{Exchange, read_json};
use trame_domain::directory::listing::Status;
use trame_store::directory::import::{ImportError, ImportOptions};
use trame_testkit::TestApp;

const FILE: &str = r#"{
  "structures": [
    {"source": "essai", "id": "s1", "nom": "Épicerie du Mont-Mesly", "date_maj": "2026-10-01", "code_insee": "94028", "commune": "Créteil"},
    {"source": "essai", "id": "s2", "nom": "Auto-école solidaire d'Alfortville", "date_maj": "2026-10-01", "code_insee": "94002", "commune": "Alfortville"}
  ],
  "services": [
    {"source": "essai", "id": "v1", "structure_id": "s1", "nom": "Épiceries solidaires", "description": "Des courses à petit prix pour les familles.", "date_maj": "2026-10-01", "thematiques": ["equipement-et-alimentation--alimentation"], "publics": ["familles"], "frais": "payant", "code_insee": "94028", "zone_eligibilite": ["94028"]},
    {"source": "essai", "id": "v2", "structure_id": "s2", "nom": "Permis B accompagné", "description": "Préparer le permis de conduire avec un suivi renforcé.", "date_maj": "2026-10-01", "thematiques": ["mobilite--preparer-un-permis"], "publics": ["jeunes"], "frais": "payant", "type": "formation", "code_insee": "94002", "zone_eligibilite": ["94"]},
    {"source": "essai", "id": "v3", "structure_id": "s2", "nom": "Location de scooters", "description": "Un scooter pour aller travailler.", "date_maj": "2026-10-01", "thematiques": ["mobilite--acceder-a-un-vehicule"], "frais": "gratuit", "code_insee": "94002", "zone_eligibilite": ["94002"]}
  ]
}"#;

fn file() -> Exchange {
    read_json(FILE.as_bytes()).expect("the test file reads")
}

const PUBLISH: ImportOptions = ImportOptions {
    publish: true,
    demo: false,
};

async fn imported() -> anyhow::Result<TestApp> {
    let app = TestApp::spawn().await?;
    app.store
        .import_directory(None, app.gpsea.scope(), &file(), PUBLISH, &|_, _| {})
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(app)
}

fn titles(html: &str) -> Vec<String> {
    html.split("<h3><a href=\"/gpsea/annuaire/services/")
        .skip(1)
        .filter_map(|s| {
            s.split_once("\">")
                .and_then(|(_, r)| r.split_once('<'))
                .map(|(t, _)| t.to_owned())
        })
        .collect()
}

#[tokio::test]
async fn an_inhabitant_finds_help_in_french_with_filters() -> anyhow::Result<()> {
    let app = imported().await?;
    let mut c = app.client();
    let r = c.get("/gpsea/annuaire?q=epicerie+solidaire").await?;
    assert_eq!(r.status, 200);
    assert_eq!(titles(&r.body), vec!["Épiceries solidaires"]);
    // Category filter: both mobility sub-themes.
    let r = c.get("/gpsea/annuaire?thematique=mobilite").await?;
    assert_eq!(
        titles(&r.body),
        vec!["Location de scooters", "Permis B accompagné"]
    );
    // A Créteil resident: the permit (open to the whole département), not the scooters
    // (Alfortville only).
    let r = c
        .get("/gpsea/annuaire?thematique=mobilite&commune=94028")
        .await?;
    assert_eq!(titles(&r.body), vec!["Permis B accompagné"]);
    assert!(r.body.contains("ouverts aux habitants de Créteil"));
    let r = c.get("/gpsea/annuaire?frais=gratuit").await?;
    assert_eq!(titles(&r.body), vec!["Location de scooters"]);
    let r = c
        .get("/gpsea/annuaire/api/services?thematique=mobilite")
        .await?;
    let v: serde_json::Value = serde_json::from_str(&r.body)?;
    assert_eq!(
        (v["total"].as_u64(), v["services"][0]["id"].as_str()),
        (Some(2), Some("v3"))
    );
    // htmx asks for the results only.
    let r = c
        .send(
            axum::http::Request::get("/gpsea/annuaire?thematique=mobilite")
                .header("HX-Request", "true")
                .body(axum::body::Body::empty())?,
        )
        .await?;
    assert!(
        r.body.starts_with("<section id=\"resultats\""),
        "{}",
        r.body
    );
    // The service page and its JSON.
    let id = app
        .store
        .services_changed_since(app.gpsea.scope(), 0)
        .await?[1]
        .id;
    let r = c.get(&format!("/gpsea/annuaire/services/{id}")).await?;
    assert!(
        r.body.contains("Préparer le permis de conduire"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Département 94"));
    let r = c.get(&format!("/gpsea/annuaire/api/services/{id}")).await?;
    let v: serde_json::Value = serde_json::from_str(&r.body)?;
    assert_eq!(v["id"], "v2");
    assert_eq!(v["type"], "formation");
    // Another territory does not show it.
    let r = c.get(&format!("/controle/annuaire/services/{id}")).await?;
    assert_eq!(r.status, 404);
    Ok(())
}

#[tokio::test]
async fn an_import_is_all_or_nothing_and_idempotent() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let bad = FILE
        .replace(
            "\"zone_eligibilite\": [\"94\"]",
            "\"zone_eligibilite\": [\"99999x\"]",
        )
        .replace("\"id\": \"v3\"", "\"id\": \"v1\"")
        .replace(
            "\"code_insee\": \"94028\", \"commune\"",
            "\"code_insee\": \"94999\", \"commune\"",
        )
        .replace("\"publics\": [\"familles\"]", "\"publics\": [\"martiens\"]");
    let ex = read_json(bad.as_bytes()).expect("reads");
    let Err(ImportError::Rows(rows)) = app
        .store
        .import_directory(None, scope, &ex, PUBLISH, &|_, _| {})
        .await
    else {
        panic!("a faulty file is refused");
    };
    let at: Vec<String> = rows
        .iter()
        .map(|r| format!("{:?}:{}:{}", r.kind, r.row, r.field))
        .collect();
    for expected in [
        "Structures:1:code_insee",
        "Services:1:publics",
        "Services:2:zone_eligibilite",
        "Services:3:id",
    ] {
        assert!(at.contains(&expected.to_owned()), "{expected} in {at:?}");
    }
    assert!(rows.iter().all(|r| !r.message.is_empty()));
    assert_eq!(app.store.directory_revision(scope).await?, 0);
    assert!(app.store.export_directory(scope, true).await?.0.is_empty());

    let first = app
        .store
        .import_directory(None, scope, &file(), PUBLISH, &|_, _| {})
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    assert_eq!((first.structures.created, first.services.created), (2, 3));
    let again = app
        .store
        .import_directory(None, scope, &file(), PUBLISH, &|_, _| {})
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    assert_eq!((again.services.unchanged, again.services.created), (3, 0));
    assert_eq!(again.revision, first.revision, "nothing moved");
    // One field changed: one update, the others unchanged.
    let mut changed = file();
    changed.services[0].nom = "Épicerie solidaire du Mont-Mesly".into();
    let third = app
        .store
        .import_directory(None, scope, &changed, PUBLISH, &|_, _| {})
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    assert_eq!((third.services.updated, third.services.unchanged), (1, 2));
    assert_eq!(third.revision, first.revision + 1);
    let journal = app.store.audit_list(scope, 100).await?;
    assert_eq!(
        journal
            .iter()
            .filter(|e| e.action == "directory.import")
            .count(),
        2
    );
    Ok(())
}

#[tokio::test]
async fn drafts_stay_private_and_a_second_server_follows_the_database() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    // A second server: its own store and search cache on the same database.
    let second_store = trame_store::Store::connect(app.db_url(), app.clock.clone()).await?;
    let second = trame_web::app(trame_web::AppState::new(
        second_store,
        trame_web::WebConfig::default(),
    ));
    let mut other = trame_testkit::Client::new(second, [127, 0, 0, 2].into());
    let r = other.get("/gpsea/annuaire").await?;
    assert!(titles(&r.body).is_empty());
    let drafts = ImportOptions {
        publish: false,
        demo: false,
    };
    app.store
        .import_directory(None, scope, &file(), drafts, &|_, _| {})
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let id = app.store.services_changed_since(scope, 0).await?[0].id;
    let mut c = app.client();
    assert!(titles(&c.get("/gpsea/annuaire").await?.body).is_empty());
    assert_eq!(
        c.get(&format!("/gpsea/annuaire/services/{id}"))
            .await?
            .status,
        404
    );
    assert_eq!(
        c.get(&format!("/gpsea/annuaire/api/services/{id}"))
            .await?
            .status,
        404
    );
    // Published through the first server's store, seen by the second within
    // `search::RECHECK` (its own writes show at once).
    app.store
        .import_directory(None, scope, &Exchange::default(), PUBLISH, &|_, _| {})
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    for s in app.store.directory_structures(scope, false).await? {
        app.store
            .set_structure_status(None, scope, s.id, Status::Publie)
            .await?;
    }
    for s in app.store.services_changed_since(scope, 0).await? {
        app.store
            .set_service_status(None, scope, s.id, Status::Publie)
            .await?;
    }
    let wait = trame_web::search::RECHECK + std::time::Duration::from_millis(50);
    tokio::time::sleep(wait).await;
    assert_eq!(titles(&other.get("/gpsea/annuaire").await?.body).len(), 3);
    app.store
        .set_service_status(None, scope, id, Status::Archive)
        .await?;
    // The first server's own write shows at once on its pages.
    assert_eq!(titles(&c.get("/gpsea/annuaire").await?.body).len(), 2);
    tokio::time::sleep(wait).await;
    assert_eq!(titles(&other.get("/gpsea/annuaire").await?.body).len(), 2);
    Ok(())
}

#[tokio::test]
async fn the_export_passes_the_official_validator_and_reimports_unchanged() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    app.store
        .load_demo_directory(app.gpsea.scope(), &app.gpsea.siren)
        .await?;
    let (structures, services) = app.store.export_directory(app.gpsea.scope(), false).await?;
    assert!(services.len() > 100);
    trame_testkit::tools::data_inclusion_validate(
        "structure",
        &serde_json::to_value(&structures)?,
    )?;
    trame_testkit::tools::data_inclusion_validate("service", &serde_json::to_value(&services)?)?;
    let again = app
        .store
        .import_directory(
            None,
            app.gpsea.scope(),
            &Exchange {
                structures,
                services,
            },
            PUBLISH,
            &|_, _| {},
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    assert_eq!(again.services.created + again.services.updated, 0);
    Ok(())
}

#[tokio::test]
async fn a_service_not_updated_for_a_year_is_flagged_once_and_an_edit_clears_it()
-> anyhow::Result<()> {
    let app = imported().await?;
    let scope = app.gpsea.scope();
    let settings = trame_store::jobs::JobSettings {
        session_idle: time::Duration::hours(1),
        access_log_retention: time::Duration::days(365),
    };
    let stale = |subject: &'static str| {
        let store = app.store.clone();
        async move {
            Ok::<usize, anyhow::Error>(
                store
                    .outbox(scope, 200)
                    .await?
                    .iter()
                    .filter(|m| m.subject.contains(subject))
                    .count(),
            )
        }
    };
    // The file's services were updated on 2026-10-01: fresh until 2027-10-01.
    app.store.run_due_jobs(app.store.now(), settings).await?;
    assert_eq!(stale("à mettre à jour").await?, 0);
    let later = time::macros::datetime!(2027-10-05 08:00 UTC);
    app.clock.set(later);
    app.store.run_due_jobs(later, settings).await?;
    // One digest per staff member (admin and agent), none twice.
    assert_eq!(
        stale("3 service(s) de l'annuaire à mettre à jour").await?,
        2
    );
    let next_day = later + time::Duration::days(1);
    app.clock.set(next_day);
    app.store.run_due_jobs(next_day, settings).await?;
    assert_eq!(stale("à mettre à jour").await?, 2, "flagged once");
    // The agent's list shows them; an edit updates the date and clears the flag.
    let mut agent = app
        .client_as(&app.gpsea, trame_domain::role::Role::Agent)
        .await?;
    let list = agent.get("/gpsea/admin/annuaire?ancien=1").await?;
    assert!(list.body.contains("3 service(s)"), "{}", list.body);
    let id = app.store.services_changed_since(scope, 0).await?[0].id;
    let path = format!("/gpsea/admin/annuaire/services/{id}");
    let mut fields = vec![
        ("nom", "Épiceries solidaires"),
        (
            "description",
            "Des courses à petit prix, le mardi et le jeudi.",
        ),
        ("thematiques", "equipement-et-alimentation--alimentation"),
        ("publics", "familles"),
        ("frais", "payant"),
        ("zone_eligibilite", "94028, 94002"),
        ("code_insee", "94028"),
    ];
    fields.push(("publics", "tous-publics"));
    let r = agent.post_form(&path, &fields).await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("ne se combine pas"), "{}", r.body);
    fields.pop();
    let r = agent.post_form(&path, &fields).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let s = app.store.directory_service(scope, id, false).await?;
    assert_eq!(s.record.date_maj, "2027-10-06");
    assert_eq!(
        s.record.zone_eligibilite,
        Some(vec!["94028".to_owned(), "94002".to_owned()])
    );
    assert_eq!(s.record.id, "v1", "the id and source stay");
    let list = agent.get("/gpsea/admin/annuaire?ancien=1").await?;
    assert!(list.body.contains("2 service(s)"), "{}", list.body);
    // An Alfortville resident now finds it.
    let r = app
        .client()
        .get("/gpsea/annuaire?commune=94002&q=courses")
        .await?;
    assert_eq!(titles(&r.body), vec!["Épiceries solidaires"]);
    // Archived by the agent, it leaves the public search; the journal has each step.
    let r = agent
        .post_form(&format!("{path}/etat"), &[("etat", "archive")])
        .await?;
    assert_eq!(r.status, 303);
    assert!(titles(&app.client().get("/gpsea/annuaire?q=courses").await?.body).is_empty());
    let actions: Vec<String> = app
        .store
        .audit_list(scope, 200)
        .await?
        .into_iter()
        .map(|e| e.action)
        .collect();
    for a in [
        "dir_service.stale",
        "dir_service.update",
        "dir_service.status",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a}");
    }
    // Another territory's agent cannot open it.
    let mut outsider = app
        .client_as(&app.other, trame_domain::role::Role::Agent)
        .await?;
    assert_eq!(
        outsider
            .get(&format!("/controle/admin/annuaire/services/{id}"))
            .await?
            .status,
        404
    );
    Ok(())
}

#[tokio::test]
async fn the_upload_page_reports_each_faulty_row_and_writes_nothing() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut agent = app
        .client_as(&app.gpsea, trame_domain::role::Role::Agent)
        .await?;
    let csv = "source;id;structure_id;nom;description;date_maj;thematiques;zone_eligibilite\n\
               essai;v1;absente;Atelier vélo;Réparer son vélo.;2026-10-01;mobilite--voler;94\n";
    let r = agent
        .post_file(
            "/gpsea/admin/annuaire/import",
            "fichier",
            "services.csv",
            "text/csv",
            csv.as_bytes(),
        )
        .await?;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("structure_id") && r.body.contains("thematiques"),
        "{}",
        r.body
    );
    assert!(r.body.contains("rien n&#39;a été importé") || r.body.contains("rien n'a été importé"));
    assert_eq!(app.store.directory_revision(app.gpsea.scope()).await?, 0);
    let r = agent
        .post_file(
            "/gpsea/admin/annuaire/import",
            "fichier",
            "annuaire.json",
            "application/json",
            FILE.as_bytes(),
        )
        .await?;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("3 créé(s)"), "{}", r.body);
    Ok(())
}

#[tokio::test]
async fn the_map_and_the_equity_dashboard_count_services_by_zone() -> anyhow::Result<()> {
    let app = imported().await?;
    let mut c = app.client();
    // Mobility: the permit (département) is open to every commune, the scooters only to
    // Alfortville.
    let r = c.get("/gpsea/carte?thematique=mobilite").await?;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("<svg"), "{}", r.body);
    assert!(
        r.body.contains("aria-label=\"Alfortville : 2\""),
        "{}",
        r.body
    );
    assert!(r.body.contains("aria-label=\"Créteil : 1\""), "{}", r.body);
    // The table: services open to residents, then structures standing in the commune.
    assert!(
        r.body
            .contains("Alfortville</a></th><td class=\"num\">2</td><td class=\"num\">1</td>"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("href=\"/gpsea/annuaire?thematique=mobilite&#38;commune=94028\"")
    );
    let r = c.get("/gpsea/equite?indicateur=mobilite").await?;
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("écart"),
        "Créteil's food offer is under half the rate"
    );
    let csv = c.get("/gpsea/equite.csv").await?;
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    let alfortville = csv
        .body
        .lines()
        .find(|l| l.starts_with("94002,"))
        .expect("Alfortville's line");
    // Two services open to 45,531 inhabitants (the permit and the scooters).
    assert!(
        alfortville.starts_with("94002,Alfortville,45531,0.44,"),
        "{alfortville}"
    );
    Ok(())
}

#[tokio::test]
async fn a_structure_s_members_keep_their_own_structure_up_to_date_and_no_other()
-> anyhow::Result<()> {
    use trame_domain::role::Role;
    let app = imported().await?;
    let scope = app.gpsea.scope();
    let structures = app.store.directory_structures(scope, false).await?;
    let grocery = structures.iter().find(|s| s.record.id == "s1").unwrap().id;
    let school = structures.iter().find(|s| s.record.id == "s2").unwrap().id;
    let org = crate::funding::association(&app, "Épicerie du Mont-Mesly", "W941000099").await?;
    let admin = app.person_id(&app.gpsea, Role::TerritoryAdmin);
    let applicant = app.person_id(&app.gpsea, Role::Applicant);
    app.store
        .add_organisation_member(admin, scope, org.id, applicant)
        .await?;
    let mut member = app.client_as(&app.gpsea, Role::Applicant).await?;
    // Before the link, the member has no structure and cannot open it.
    let r = member.get("/gpsea/ma-structure").await?;
    assert!(
        r.body.contains("Aucune structure de l&#39;annuaire")
            || r.body.contains("Aucune structure de l'annuaire")
    );
    assert_eq!(
        member
            .get(&format!("/gpsea/ma-structure/{grocery}"))
            .await?
            .status,
        404
    );
    // An agent links the grocery to the organisation.
    let mut agent = app.client_as(&app.gpsea, Role::Agent).await?;
    let r = agent
        .post_form(
            &format!("/gpsea/admin/annuaire/structures/{grocery}/organisation"),
            &[("organisation_id", &org.id.to_string())],
        )
        .await?;
    assert_eq!(r.status, 303);
    // An organisation of another territory is refused at its field.
    let r = agent
        .post_form(
            &format!("/gpsea/admin/annuaire/structures/{school}/organisation"),
            &[("organisation_id", "999999")],
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("Choisissez une organisation du territoire.")
    );
    let r = member.get("/gpsea/ma-structure").await?;
    assert!(r.body.contains("Épicerie du Mont-Mesly"));
    assert!(!r.body.contains("Auto-école"));
    // The member edits the structure: a bad postal code is refused at its field.
    let form = |cp: &'static str| {
        vec![
            ("nom", "Épicerie solidaire du Mont-Mesly"),
            ("description", "Une épicerie pour les familles du quartier."),
            ("code_postal", cp),
            ("commune", "Créteil"),
            ("code_insee", "94028"),
            ("reseaux_porteurs", "restos-du-coeur"),
        ]
    };
    let path = format!("/gpsea/ma-structure/{grocery}");
    let r = member.post_form(&path, &form("9400")).await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"code_postal-error\""), "{}", r.body);
    let r = member.post_form(&path, &form("94000")).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let s = app.store.directory_structure(scope, grocery, false).await?;
    assert_eq!(s.record.nom, "Épicerie solidaire du Mont-Mesly");
    assert_eq!(
        s.record.reseaux_porteurs,
        Some(vec!["restos-du-coeur".to_owned()])
    );
    assert_eq!(s.record.source, "essai", "source and id stay");
    // The public page follows (the search shows the new structure name).
    let r = app
        .client()
        .get(&format!("/gpsea/annuaire/structures/{grocery}"))
        .await?;
    assert!(r.body.contains("Épicerie solidaire du Mont-Mesly"));
    // Its service, edited by the member and set to draft.
    let service = app.store.structure_services(scope, grocery, false).await?[0].clone();
    let r = member
        .get(&format!("/gpsea/ma-structure/services/{}", service.id))
        .await?;
    assert_eq!(r.status, 200);
    assert!(r.body.contains(&format!(
        "action=\"/gpsea/ma-structure/services/{}\"",
        service.id
    )));
    let r = member
        .post_form(
            &format!("/gpsea/ma-structure/services/{}/etat", service.id),
            &[("etat", "brouillon")],
        )
        .await?;
    assert_eq!(r.status, 303);
    assert_eq!(
        app.client()
            .get(&format!("/gpsea/annuaire/services/{}", service.id))
            .await?
            .status,
        404
    );
    // The other structure and its services stay out of reach.
    let other_service = app.store.structure_services(scope, school, false).await?[0].id;
    assert_eq!(
        member
            .get(&format!("/gpsea/ma-structure/{school}"))
            .await?
            .status,
        404
    );
    assert_eq!(
        member
            .post_form(&format!("/gpsea/ma-structure/{school}"), &form("94000"))
            .await?
            .status,
        404
    );
    assert_eq!(
        member
            .post_form(
                &format!("/gpsea/ma-structure/services/{other_service}/etat"),
                &[("etat", "archive")],
            )
            .await?
            .status,
        404
    );
    let actions: Vec<String> = app
        .store
        .audit_list(scope, 100)
        .await?
        .into_iter()
        .map(|e| e.action)
        .collect();
    for a in [
        "dir_structure.link",
        "dir_structure.update",
        "dir_service.status",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a}");
    }
    Ok(())
}

#[tokio::test]
async fn imported_outlines_replace_the_discs_of_the_map() -> anyhow::Result<()> {
    let app = imported().await?;
    let scope = app.gpsea.scope();
    let before = app.client().get("/gpsea/carte").await?;
    assert!(before.body.contains("<circle") && !before.body.contains("<path d=\"M"));
    // Créteil and Alfortville outlined; the other communes get a small square.
    let geojson = br#"{"type": "FeatureCollection", "features": [
      {"properties": {"INSEE_COM": "94028"}, "geometry": {"type": "Polygon", "coordinates": [[[2.44, 48.76], [2.48, 48.76], [2.49, 48.80], [2.44, 48.80], [2.44, 48.76]], [[2.45, 48.77], [2.46, 48.77], [2.46, 48.78], [2.45, 48.77]]]}},
      {"properties": {"INSEE_COM": "94002"}, "geometry": {"type": "MultiPolygon", "coordinates": [[[[2.40, 48.78], [2.43, 48.78], [2.43, 48.81], [2.40, 48.81], [2.40, 48.78]]]]}}
    ]}"#;
    let reading =
        trame_domain::geometry::read_geojson(geojson).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let report = app.store.import_outlines(None, scope, &reading).await?;
    assert_eq!((report.stored, report.missing.len()), (2, 14));
    let r = app.client().get("/gpsea/carte").await?;
    assert!(r.body.contains("(contours des communes)"));
    assert_eq!(
        r.body.matches("<path d=\"M").count(),
        16,
        "one shape per commune"
    );
    assert!(!r.body.contains("<circle"));
    // Créteil's outline keeps its hole (two sub-paths) and links to the filtered search.
    assert!(r.body.contains("aria-label=\"Créteil : "));
    let eq = app.client().get("/gpsea/equite").await?;
    assert_eq!(eq.body.matches("<path d=\"M").count(), 16);
    assert!(
        app.store
            .audit_list(scope, 20)
            .await?
            .iter()
            .any(|e| e.action == "commune_outline.import")
    );
    Ok(())
}

fn send<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, x)| (*k, x.as_str())).collect()
}

/// The value of the hidden `version` field of the edit form in `html`.
fn version_in(html: &str) -> String {
    html.split(r#"name="version" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn an_edit_on_a_stale_version_answers_409_and_keeps_what_was_typed() -> anyhow::Result<()> {
    use trame_domain::role::Role;
    let app = imported().await?;
    let scope = app.gpsea.scope();
    let id = app.store.services_changed_since(scope, 0).await?[0].id;
    let path = format!("/gpsea/admin/annuaire/services/{id}");
    let mut agent = app.client_as(&app.gpsea, Role::Agent).await?;
    let mut admin = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    // Both open the form.
    let seen_by_agent = version_in(&agent.get(&path).await?.body);
    let seen_by_admin = version_in(&admin.get(&path).await?.body);
    assert!(!seen_by_agent.is_empty());
    assert_eq!(seen_by_agent, seen_by_admin);
    let form = |description: &'static str, version: String| {
        vec![
            ("nom", "Épiceries solidaires".to_owned()),
            ("description", description.to_owned()),
            (
                "thematiques",
                "equipement-et-alimentation--alimentation".to_owned(),
            ),
            ("publics", "familles".to_owned()),
            ("frais", "payant".to_owned()),
            ("code_insee", "94028".to_owned()),
            ("version", version),
        ]
    };
    let pairs = |v: &[(&'static str, String)]| -> Vec<(&'static str, String)> { v.to_vec() };
    // The agent saves first.
    let first = pairs(&form("Le mardi et le jeudi, à petit prix.", seen_by_agent));
    let r = agent.post_form(&path, &send(&first)).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    // The admin saves over the version they opened: 409, nothing overwritten, what they
    // typed shown again with a note, and the form now carries the current version.
    let second = pairs(&form(
        "Ouvert aussi le samedi matin.",
        seen_by_admin.clone(),
    ));
    let r = admin.post_form(&path, &send(&second)).await?;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("modifiée entre-temps"));
    assert!(r.body.contains("Ouvert aussi le samedi matin."));
    let current = version_in(&r.body);
    assert_ne!(current, seen_by_admin);
    let stored = app.store.directory_service(scope, id, false).await?;
    assert_eq!(
        stored.record.description,
        "Le mardi et le jeudi, à petit prix."
    );
    // Saving again, knowingly, replaces it.
    let again = pairs(&form("Ouvert aussi le samedi matin.", current));
    let r = admin.post_form(&path, &send(&again)).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let stored = app.store.directory_service(scope, id, false).await?;
    assert_eq!(stored.record.description, "Ouvert aussi le samedi matin.");

    // The same for a structure.
    let structure = stored.structure_id;
    let path = format!("/gpsea/admin/annuaire/structures/{structure}");
    let seen = version_in(&agent.get(&path).await?.body);
    let structure_form = |nom: &'static str, version: &str| {
        vec![
            ("nom", nom.to_owned()),
            ("code_postal", "94000".to_owned()),
            ("commune", "Créteil".to_owned()),
            ("code_insee", "94028".to_owned()),
            ("version", version.to_owned()),
        ]
    };
    let r = agent
        .post_form(
            &path,
            &send(&structure_form("Épicerie du Mont-Mesly", &seen)),
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = admin
        .post_form(&path, &send(&structure_form("Épicerie solidaire", &seen)))
        .await?;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("Épicerie solidaire"));
    let s = app
        .store
        .directory_structure(scope, structure, false)
        .await?;
    assert_eq!(s.record.nom, "Épicerie du Mont-Mesly");
    Ok(())
}
