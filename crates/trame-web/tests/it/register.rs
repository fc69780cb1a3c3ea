//! The register of the intérêt territorial and the showcase of supported projects, through
//! their pages: what the public reads, what an agent records, what is refused and why.

use std::sync::Arc;
use trame_domain::clock::FrozenClock;
use trame_domain::role::Role;
use trame_store::Store;
use trame_testkit::{Client, TestApp, TestDb};

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

#[tokio::test]
async fn the_demo_register_says_the_interest_is_to_be_specified_and_the_showcase_needs_consent()
-> anyhow::Result<()> {
    let db = TestDb::create().await?;
    let store = Store::connect(
        db.url(),
        Arc::new(FrozenClock::new(trame_testkit::start_instant())),
    )
    .await?;
    store.migrate().await?;
    store.load_demo().await?;
    let router = trame_web::app(trame_web::AppState::new(
        store.clone(),
        trame_web::WebConfig::default(),
    ));
    let mut c = Client::new(router, [127, 0, 0, 1].into());
    let r = c.get("/gpsea/interet-territorial").await?;
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("L'intérêt territorial reste à préciser"),
        "{}",
        r.body
    );
    assert!(r.body.contains("délibération du 13 décembre 2017"));
    assert!(r.body.contains("Aucune politique n'est encore déclarée"));
    let r = c.get("/gpsea/projets-soutenus").await?;
    for name in [
        "Les Archéotrucs",
        "Coop&#39;Cot",
        "Créteil ressourcerie",
        "Facilymode",
        "Union Sportive d&#39;Alfortville Rugby",
        "La Cour Cyclette",
    ] {
        assert!(r.body.contains(name), "{name}");
    }
    // Every laureate but one consented; the one without consent is not shown.
    let t = store.territory_by_slug("gpsea").await?;
    let all = store.showcase(t.scope(), false).await?;
    let public = store.showcase(t.scope(), true).await?;
    let hidden: Vec<_> = all.iter().filter(|p| !p.published).collect();
    assert_eq!(hidden.len(), 1);
    assert!(hidden[0].award_id.is_some() && hidden[0].consent_on.is_none());
    let escaped = hidden[0].mission.replace('\'', "&#39;");
    assert!(
        !r.body.contains(&format!("<p>{escaped}</p>")),
        "{}",
        hidden[0].mission
    );
    // No project twice in a year (Facilymode is both named and a laureate).
    let mut seen = std::collections::BTreeSet::new();
    for p in &all {
        assert!(
            seen.insert((p.name.clone(), p.year, p.mission.clone())),
            "{} {}",
            p.name,
            p.year
        );
    }
    assert_eq!(public.len(), all.len() - 1);
    assert!(all.len() >= 15, "{} projects", all.len());
    assert_eq!(
        r.body.matches("<li class=\"card\">").count(),
        public.len(),
        "one card per published project"
    );
    store.close().await?;
    Ok(())
}

#[tokio::test]
async fn an_agent_records_a_deliberation_its_document_and_its_policies() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut agent = app.client_as(&app.gpsea, Role::Agent).await?;
    let fields = |interest: &'static str| {
        vec![
            ("decided_on", "2017-12-13"),
            ("reference", "CT2017.6/157"),
            ("title", "Action sociale : délibération conservatoire"),
            ("summary", "L'intérêt sera précisé plus tard."),
            ("interest", interest),
        ]
    };
    // A document that is not a PDF is refused at its field, and nothing is written.
    let r = agent
        .post_multipart(
            "/gpsea/admin/interet-territorial",
            &fields("a_preciser"),
            "document",
            "deliberation.pdf",
            "application/pdf",
            b"MZ\x90\x00 not a pdf",
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("n&#39;est pas un PDF"), "{}", r.body);
    assert!(
        app.store
            .interest_register(app.gpsea.scope())
            .await?
            .is_empty()
    );
    // A date to come and a missing reference: each at its field.
    let r = agent
        .post_multipart(
            "/gpsea/admin/interet-territorial",
            &[
                ("decided_on", "2099-01-01"),
                ("title", "x"),
                ("interest", "precise"),
            ],
            "document",
            "",
            "application/octet-stream",
            b"",
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("ne peut pas être datée d&#39;un jour à venir")
    );
    assert!(r.body.contains("id=\"reference-error\""));
    // A file name with a path is refused at the field.
    let r = agent
        .post_multipart(
            "/gpsea/admin/interet-territorial",
            &fields("a_preciser"),
            "document",
            "../../CT2017 157.pdf",
            "application/pdf",
            PDF,
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"document-error\""), "{}", r.body);
    // The conservatory deliberation with its PDF.
    let r = agent
        .post_multipart(
            "/gpsea/admin/interet-territorial",
            &fields("a_preciser"),
            "document",
            "CT2017 157.pdf",
            "application/pdf",
            PDF,
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let first = r.location().unwrap().split('?').next().unwrap().to_owned();
    let first_id: i64 = first.rsplit('/').next().unwrap().parse()?;
    // It declares no policy.
    let r = agent
        .post_form(
            &format!("{first}/politiques"),
            &[
                ("policy_title", "Aide alimentaire"),
                ("policy_description", "Épiceries solidaires"),
                ("effective_from", "2018-01-01"),
            ],
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("laisse l&#39;intérêt territorial à préciser")
    );
    // The public reads it, with its document, and that the interest is to be specified.
    let mut public = app.client();
    let r = public.get("/gpsea/interet-territorial").await?;
    assert!(
        r.body
            .contains("L&#39;intérêt territorial reste à préciser")
            || r.body.contains("L'intérêt territorial reste à préciser")
    );
    let doc = public
        .get(&format!(
            "/gpsea/interet-territorial/deliberations/{first_id}/document"
        ))
        .await?;
    assert_eq!(doc.status, 200);
    assert_eq!(doc.header("content-type"), Some("application/pdf"));
    assert!(
        doc.header("content-disposition")
            .unwrap()
            .contains("CT2017 157.pdf")
            || doc
                .header("content-disposition")
                .unwrap()
                .contains("CT2017%20157.pdf")
    );
    assert!(doc.body.starts_with("%PDF-"));

    // A later deliberation specifies the interest; its policies take effect from its date.
    let r = agent
        .post_multipart(
            "/gpsea/admin/interet-territorial",
            &[
                ("decided_on", "2025-06-25"),
                ("reference", "CT2025.3/088"),
                (
                    "title",
                    "Définition de l'intérêt territorial en matière d'action sociale",
                ),
                ("interest", "precise"),
            ],
            "document",
            "",
            "application/octet-stream",
            b"",
        )
        .await?;
    assert_eq!(r.status, 303);
    let second = r.location().unwrap().split('?').next().unwrap().to_owned();
    let r = agent
        .post_form(
            &format!("{second}/politiques"),
            &[
                ("policy_title", "Aide alimentaire d'urgence"),
                (
                    "policy_description",
                    "Les épiceries solidaires ouvertes à tous les habitants.",
                ),
                ("effective_from", "2025-01-01"),
            ],
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("précède la délibération du 25 juin 2025"));
    let r = agent
        .post_form(
            &format!("{second}/politiques"),
            &[
                ("policy_title", "Aide alimentaire d'urgence"),
                (
                    "policy_description",
                    "Les épiceries solidaires ouvertes à tous les habitants.",
                ),
                ("effective_from", "2026-01-01"),
            ],
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = agent
        .post_form(
            &format!("{second}/politiques"),
            &[
                ("policy_title", "Domiciliation"),
                (
                    "policy_description",
                    "Adresse postale pour les personnes sans domicile stable.",
                ),
                ("effective_from", "2027-01-01"),
            ],
        )
        .await?;
    assert_eq!(r.status, 303);
    let r = public.get("/gpsea/interet-territorial").await?;
    assert!(!r.body.contains("reste à préciser"));
    let pooled = r.body.split("<h2>Les délibérations</h2>").next().unwrap();
    assert!(pooled.contains("Aide alimentaire d&#39;urgence"));
    assert!(pooled.contains("1er janvier 2026"));
    assert!(
        !pooled.contains("Domiciliation"),
        "not in force before 2027"
    );
    assert!(r.body.contains("Domiciliation — À venir"));
    // A deliberation that declares policies cannot go back to « à préciser ».
    let r = agent
        .post_multipart(
            &second,
            &[
                ("decided_on", "2025-06-25"),
                ("reference", "CT2025.3/088"),
                ("title", "Définition"),
                ("interest", "a_preciser"),
            ],
            "document",
            "",
            "application/octet-stream",
            b"",
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("déclare 2 politique(s)"));
    // A policy ends: its last day is recorded.
    let entry = app
        .store
        .interest_register(app.gpsea.scope())
        .await?
        .into_iter()
        .find(|e| e.deliberation.reference == "CT2025.3/088")
        .unwrap();
    let food = entry
        .policies
        .iter()
        .find(|p| p.title.starts_with("Aide"))
        .unwrap();
    let r = agent
        .post_form(
            &format!("{second}/politiques/{}", food.id),
            &[
                ("policy_title", "Aide alimentaire d'urgence"),
                ("policy_description", "Les épiceries solidaires."),
                ("effective_from", "2026-01-01"),
                ("effective_until", "2025-12-31"),
            ],
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("La date de fin précède la date d&#39;effet.")
    );
    // Other territories and the public cannot reach the agents' pages.
    let mut outsider = app.client_as(&app.other, Role::Agent).await?;
    assert_eq!(
        outsider
            .get(&format!("/controle/admin/interet-territorial/{first_id}"))
            .await?
            .status,
        404
    );
    assert_eq!(
        outsider
            .get(&format!(
                "/controle/interet-territorial/deliberations/{first_id}/document"
            ))
            .await?
            .status,
        404
    );
    let mut applicant = app.client_as(&app.gpsea, Role::Applicant).await?;
    assert_eq!(
        applicant
            .get("/gpsea/admin/interet-territorial")
            .await?
            .status,
        403
    );
    // Every step is in the journal.
    let actions: Vec<String> = app
        .store
        .audit_list(app.gpsea.scope(), 100)
        .await?
        .into_iter()
        .map(|e| e.action)
        .collect();
    for a in [
        "interest_deliberation.create",
        "interest_document.update",
        "interest_policy.create",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a}");
    }
    Ok(())
}

#[tokio::test]
async fn a_project_is_shown_only_once_its_structure_consented() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut agent = app.client_as(&app.gpsea, Role::Agent).await?;
    let mut fields = vec![
        ("name", "Coop'Cot"),
        ("mission", "Coopérative de couture solidaire."),
        ("website", "https://coopcot.example"),
        ("commune_code", "94011"),
        ("scheme", "Appel à projets ESS"),
        ("year", "2023"),
        ("published", "1"),
    ];
    let r = agent
        .post_form("/gpsea/admin/projets-soutenus/nouveau", &fields)
        .await?;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("qu&#39;avec le consentement de sa structure")
    );
    // A commune of another territory is refused.
    fields.push(("consent_on", "2023-11-20"));
    fields[3] = ("commune_code", "75056");
    let r = agent
        .post_form("/gpsea/admin/projets-soutenus/nouveau", &fields)
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Choisissez une commune du territoire."));
    fields[3] = ("commune_code", "94011");
    let r = agent
        .post_form("/gpsea/admin/projets-soutenus/nouveau", &fields)
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let public = app.client().get("/gpsea/projets-soutenus").await?;
    assert!(public.body.contains("Coop&#39;Cot"));
    assert!(public.body.contains("Bonneuil-sur-Marne"));
    assert!(public.body.contains("href=\"https://coopcot.example\""));
    // Unpublished, it leaves the public page.
    let id = app.store.showcase(app.gpsea.scope(), false).await?[0].id;
    fields.retain(|(k, _)| *k != "published");
    let r = agent
        .post_form(&format!("/gpsea/admin/projets-soutenus/{id}"), &fields)
        .await?;
    assert_eq!(r.status, 303);
    let public = app.client().get("/gpsea/projets-soutenus").await?;
    assert!(!public.body.contains("Coop&#39;Cot"));
    assert!(
        public
            .body
            .contains("Aucun projet n&#39;est encore présenté")
            || public.body.contains("Aucun projet n'est encore présenté")
    );
    // Another territory's agent cannot open it.
    let mut outsider = app.client_as(&app.other, Role::Agent).await?;
    assert_eq!(
        outsider
            .get(&format!("/controle/admin/projets-soutenus/{id}"))
            .await?
            .status,
        404
    );
    let actions: Vec<String> = app
        .store
        .audit_list(app.gpsea.scope(), 100)
        .await?
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.iter().any(|a| a == "showcase_project.create"));
    assert!(actions.iter().any(|a| a == "showcase_project.update"));
    Ok(())
}
