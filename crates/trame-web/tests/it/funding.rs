//! The call for projects through the pages, on both backends: publish an edition, apply as
//! an association, instruct, request and answer a correction, get a commune's opinion,
//! declare a conflict, score, run the committee with two scenarios, decide. And who may
//! see what.

use time::Duration;
use trame_domain::email::Email;
use trame_domain::funding::dossier::{DossierContent, DossierForm, DossierRules, Transition};
use trame_domain::funding::edition::{Edition, default_grid, ess_families};
use trame_domain::money::Euros;
use trame_domain::role::Role;
use trame_store::funding::committee::ScenarioKind;
use trame_store::funding::editions::EditionInput;
use trame_store::territories::Territory;
use trame_testkit::{Client, Resp, TestApp};

/// A tiny valid PDF.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/// The objects of a dossier in instruction, for the authorization matrix.
pub struct FundingIds {
    pub edition: i64,
    pub dossier: i64,
    pub piece: i64,
    pub opinion: i64,
    pub review: i64,
    pub scenario: i64,
}

fn eur(e: i64) -> Euros {
    Euros::from_cents(e * 100)
}

/// An edition of the territory open now, published.
pub async fn open_edition(app: &TestApp, t: &Territory) -> anyhow::Result<i64> {
    open_edition_of(app, t, app.store.now().year()).await
}

/// An edition for `year` of the territory, open now, published.
pub async fn open_edition_of(app: &TestApp, t: &Territory, year: i32) -> anyhow::Result<i64> {
    let scope = t.scope();
    let admin = app.person_id(t, Role::TerritoryAdmin);
    let now = app.store.now();
    let scheme = app.store.call_scheme(Some(admin), scope).await?;
    let edition = Edition::check(
        year,
        now - Duration::days(1),
        now + Duration::days(30),
        eur(60_000),
        [("pat".to_owned(), eur(10_000))].into(),
        default_grid(),
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let input = EditionInput {
        edition,
        title: format!("Appel à projets {year}"),
        description: String::new(),
        envelope_labels: vec![("pat".into(), "Projet Alimentaire Territorial".into())],
        rule: trame_domain::funding::allocation::Rule {
            ceiling: eur(15_000),
            ceiling_share_percent: 80,
            ..Default::default()
        },
        allowed_forms: ess_families(),
        opinion_days: 15,
        deemed_favourable: true,
        reviewer_cap: 20,
        demo_amounts: false,
    };
    let e = app
        .store
        .create_edition(Some(admin), scope, scheme.id, &input)
        .await?;
    app.store.publish_edition(admin, scope, e.id).await?;
    Ok(e.id)
}

/// A dossier of `organisation` submitted by the territory's applicant account, put in
/// instruction, with an opinion request to the referent, a scored review and a scenario.
pub async fn dossier_in_instruction(
    app: &TestApp,
    t: &Territory,
    organisation: i64,
) -> anyhow::Result<FundingIds> {
    let scope = t.scope();
    let admin = app.person_id(t, Role::TerritoryAdmin);
    let agent = app.person_id(t, Role::Agent);
    let applicant = app.person_id(t, Role::Applicant);
    let referent = app.person_id(t, Role::CommuneReferent);
    let reviewer = app.person_id(t, Role::CommitteeMember);
    let edition = open_edition(app, t).await?;
    app.store
        .add_organisation_member(admin, scope, organisation, applicant)
        .await?;
    let (d, piece, commune) = submitted_dossier(app, t, edition, organisation).await?;
    app.store
        .set_referent_communes(admin, scope, referent, &[commune])
        .await?;
    app.store
        .instruct(agent, scope, d, Transition::Instruct, "")
        .await?;
    let opinion = app.store.dossier_opinions(scope, d).await?[0].id;
    app.store.assign_reviewer(agent, scope, d, reviewer).await?;
    let review = app.store.dossier_reviews(scope, d).await?[0].row.id;
    app.store
        .declare_interests(reviewer, scope, review, false, "")
        .await?;
    let scores = default_grid().into_iter().map(|c| (c.code, 14)).collect();
    app.store
        .score_dossier(reviewer, scope, review, &scores, "Solide.")
        .await?;
    let scenario = app
        .store
        .create_scenario(
            agent,
            scope,
            edition,
            "Règle",
            ScenarioKind::Rule,
            app.store.edition(scope, edition).await?.rule(),
        )
        .await?
        .id;
    Ok(FundingIds {
        edition,
        dossier: d,
        piece,
        opinion,
        review,
        scenario,
    })
}

/// A complete dossier of `organisation` (whose member the applicant account is) submitted
/// to `edition`: its id, its statutes' attachment id and the commune it concerns.
pub async fn submitted_dossier(
    app: &TestApp,
    t: &Territory,
    edition: i64,
    organisation: i64,
) -> anyhow::Result<(i64, i64, String)> {
    let scope = t.scope();
    let applicant = app.person_id(t, Role::Applicant);
    let d = app
        .store
        .open_dossier(applicant, scope, edition, organisation)
        .await?;
    let piece = app
        .store
        .add_attachment(
            applicant,
            scope,
            d.id,
            "statuts",
            "statuts.pdf",
            "application/pdf",
            PDF.to_vec(),
        )
        .await?
        .id;
    app.store
        .add_attachment(
            applicant,
            scope,
            d.id,
            "rib",
            "rib.pdf",
            "application/pdf",
            PDF.to_vec(),
        )
        .await?;
    let commune = app.store.communes(scope).await?[0].code_insee.clone();
    let form = DossierForm::from_pairs(&good_dossier(&commune));
    let e = app.store.edition(scope, edition).await?;
    let rules = DossierRules {
        communes: vec![commune.clone()],
        envelopes: vec!["pat".into()],
        ceiling: Euros::from_cents(e.row.ceiling_cents),
        ceiling_share_percent: 80,
        hosted_entrepreneurs: None,
    };
    let content = DossierContent::parse(&form, &rules).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    app.store
        .submit_dossier(applicant, scope, d.id, &form, &content, "")
        .await?;
    Ok((d.id, piece, commune))
}

/// The fields of a complete, balanced dossier concerning `commune`.
pub fn good_dossier(commune: &str) -> Vec<(String, String)> {
    [
        ("title", "Recyclerie solidaire"),
        (
            "summary",
            "Collecte, tri et revente d'objets par des salariés en insertion.",
        ),
        (
            "objectives",
            "Créer trois emplois et détourner 40 tonnes de déchets.",
        ),
        ("actions", "Collectes, atelier de réparation, boutique."),
        ("public", "Habitants des quartiers prioritaires."),
        ("communes", commune),
        ("starts_on", "2027-01-15"),
        ("ends_on", "2027-12-31"),
        ("jobs_fte", "3"),
        ("requested", "12 000"),
        ("b60", "6 000"),
        ("b64", "24 000"),
        ("b74", "18 000"),
        ("b70", "12 000"),
        ("cofunder_1_name", "Département du Val-de-Marne"),
        ("cofunder_1_status", "obtenu"),
        ("cofunder_1_amount", "6 000"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

/// An association of the GPSEA territory, created by its admin.
pub async fn association(
    app: &TestApp,
    name: &str,
    rna: &str,
) -> anyhow::Result<trame_store::organisations::OrganisationRow> {
    let org = trame_domain::organisation::Organisation::parse(
        &trame_domain::organisation::OrganisationInput {
            name: name.into(),
            rna: rna.into(),
            legal_form: "association".into(),
            ..Default::default()
        },
        app.store.now().date(),
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let admin = app.person_id(&app.gpsea, Role::TerritoryAdmin);
    Ok(app
        .store
        .create_organisation(Some(admin), app.gpsea.scope(), &org)
        .await?)
}

/// The association « Ressourcerie » (RNA W941000127) with the test applicant among its
/// members.
pub async fn applicants_association(
    app: &TestApp,
) -> anyhow::Result<trame_store::organisations::OrganisationRow> {
    let org = association(app, "Ressourcerie", "W941000127").await?;
    let admin = app.person_id(&app.gpsea, Role::TerritoryAdmin);
    let applicant = app.person_id(&app.gpsea, Role::Applicant);
    app.store
        .add_organisation_member(admin, app.gpsea.scope(), org.id, applicant)
        .await?;
    Ok(org)
}

pub fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

pub fn id_after(resp: &Resp, prefix: &str) -> i64 {
    let loc = resp.location().unwrap_or_default();
    loc.strip_prefix(prefix)
        .and_then(|rest| rest.split(['/', '?', '#']).next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no id after {prefix} in {loc:?}"))
}

async fn second_reviewer(app: &TestApp) -> anyhow::Result<Client> {
    let email = "comite-bis@gpsea.test";
    let p = app
        .store
        .create_person(
            None,
            &Email::parse(email).map_err(|e| anyhow::anyhow!(e.message))?,
            "Second membre du comité",
            trame_testkit::PASSWORD,
        )
        .await?;
    app.store
        .add_membership(None, app.gpsea.scope(), p.id, Role::CommitteeMember)
        .await?;
    let mut c = app.client();
    c.login(email, trame_testkit::PASSWORD).await?;
    Ok(c)
}

#[tokio::test]
async fn from_publication_to_decision_through_the_pages() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let mut admin = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    let mut agent = app.client_as(&app.gpsea, Role::Agent).await?;
    let mut applicant = app.client_as(&app.gpsea, Role::Applicant).await?;
    let mut referent = app.client_as(&app.gpsea, Role::CommuneReferent).await?;

    // The staff publish an edition: a bad grid first, then a good one.
    let mut edition_form: Vec<(&str, &str)> = vec![
        ("year", "2026"),
        ("title", "Appel à projets Initiatives d'ESS 2026"),
        ("opens_at", "2026-11-01T09:00"),
        ("closes_at", "2026-12-15T23:59"),
        ("total", "60 000"),
        ("env_0_code", "pat"),
        ("env_0_label", "Projet Alimentaire Territorial"),
        ("env_0_amount", "10 000"),
        ("ceiling", "15 000"),
        ("ceiling_share", "80"),
        ("minimum_share", "50"),
        ("step", "100"),
        ("opinion_days", "15"),
        ("deemed_favourable", "1"),
        ("reviewer_cap", "10"),
        ("forms", "association"),
        ("forms", "insertion"),
    ];
    let grid: Vec<(String, String, String)> = default_grid()
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            (
                format!("crit_{i}_label"),
                c.label,
                format!("crit_{i}_weight"),
            )
        })
        .collect();
    let weights: Vec<String> = default_grid()
        .iter()
        .map(|c| c.weight_percent.to_string())
        .collect();
    let codes: Vec<(String, String)> = default_grid()
        .into_iter()
        .enumerate()
        .map(|(i, c)| (format!("crit_{i}_code"), c.code))
        .collect();
    for (code_field, code) in &codes {
        edition_form.push((code_field, code));
    }
    for ((label_field, label, weight_field), w) in grid.iter().zip(&weights) {
        edition_form.push((label_field, label));
        edition_form.push((weight_field, w));
    }
    let mut bad = edition_form.clone();
    bad.push(("crit_6_label", "Égalité femmes-hommes"));
    bad.push(("crit_6_weight", "10"));
    let r = admin
        .post_form("/gpsea/admin/appels/nouvelle", &bad)
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("totalisent 110 %"), "{}", r.body);
    let r = admin
        .post_form("/gpsea/admin/appels/nouvelle", &edition_form)
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let edition = id_after(&r, "/gpsea/admin/appels/");
    // Not public before publication.
    assert_eq!(
        app.client()
            .get(&format!("/gpsea/appels/{edition}"))
            .await?
            .status,
        404
    );
    let r = admin
        .post_form(&format!("/gpsea/admin/appels/{edition}/publier"), &[])
        .await?;
    assert_eq!(r.status, 303);
    let public = app
        .client()
        .get(&format!("/gpsea/appels/{edition}"))
        .await?;
    assert_eq!(public.status, 200);
    assert!(
        public
            .body
            .contains("dont 10\u{202f}000,00\u{a0}€ pour « Projet Alimentaire Territorial »")
    );

    // An association, its member, and the referent of Créteil.
    let org = association(&app, "Recyclerie du Mont-Mesly", "W941000123").await?;
    let admin_id = app.person_id(&app.gpsea, Role::TerritoryAdmin);
    app.store
        .add_organisation_member(
            admin_id,
            scope,
            org.id,
            app.person_id(&app.gpsea, Role::Applicant),
        )
        .await?;
    let referent_id = app.person_id(&app.gpsea, Role::CommuneReferent);
    let r = admin
        .post_form(
            &format!("/gpsea/admin/membres/{referent_id}/communes"),
            &[("communes", "94028")],
        )
        .await?;
    assert_eq!(r.status, 303);

    // The applicant opens a dossier, saves as typed (htmx), attaches, submits.
    let r = applicant
        .post_form(
            &format!("/gpsea/appels/{edition}/deposer"),
            &[("organisation", &org.id.to_string())],
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let dossier = id_after(&r, "/gpsea/mes-dossiers/");
    let path = format!("/gpsea/mes-dossiers/{dossier}");
    let mut typed = good_dossier("94028");
    typed.retain(|(k, _)| k != "b70");
    let req = axum::http::Request::builder()
        .method("POST")
        .uri(&path)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("hx-request", "true")
        .header(
            "x-csrf-token",
            applicant
                .cookies
                .get("trame_csrf")
                .cloned()
                .unwrap_or_default(),
        )
        .body(axum::body::Body::from(serde_urlencoded::to_string(pairs(
            &typed,
        ))?))?;
    let r = applicant.send(req).await?;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Brouillon enregistré à"), "{}", r.body);
    // What was typed comes back.
    assert!(
        applicant
            .get(&path)
            .await?
            .body
            .contains("Recyclerie solidaire")
    );
    // Submitting: unbalanced budget and missing attachments, each at its field.
    let r = applicant
        .post_form(&format!("{path}/deposer"), &pairs(&typed))
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Le budget doit être équilibré"));
    assert!(
        r.body
            .contains("Joignez les statuts et le RIB avant de déposer.")
    );
    // An executable disguised as a PDF is refused by its content.
    let r = applicant
        .post_multipart(
            &format!("{path}/pieces"),
            &[("kind", "statuts")],
            "file",
            "statuts.pdf",
            "application/pdf",
            b"MZ\x90\x00not a pdf",
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("ni un PDF"));
    for kind in ["statuts", "rib"] {
        let r = applicant
            .post_multipart(
                &format!("{path}/pieces"),
                &[("kind", kind)],
                "file",
                &format!("{kind}.pdf"),
                "application/pdf",
                PDF,
            )
            .await?;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let good = good_dossier("94028");
    let r = applicant
        .post_form(&format!("{path}/deposer"), &pairs(&good))
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), Some(format!("{path}/recepisse").as_str()));
    let receipt = applicant.get(&format!("{path}/recepisse")).await?;
    assert!(receipt.body.contains("a été déposé le"));
    assert!(receipt.body.contains("26/11/2026"));
    // Locked for the applicant now.
    let r = applicant.post_form(&path, &pairs(&good)).await?;
    assert_eq!(r.status, 422);

    // The agent instructs: the commune is consulted; then asks for a correction.
    let list = agent.get("/gpsea/instruction").await?;
    assert!(list.body.contains("Recyclerie solidaire"));
    let r = agent
        .post_form(
            &format!("/gpsea/instruction/{dossier}/action"),
            &[("action", "instruire")],
        )
        .await?;
    assert_eq!(r.status, 303);
    let r = agent
        .post_form(
            &format!("/gpsea/instruction/{dossier}/action"),
            &[("action", "corriger")],
        )
        .await?;
    assert_eq!(r.status, 422, "a correction needs its message");
    let r = agent
        .post_form(
            &format!("/gpsea/instruction/{dossier}/action"),
            &[
                ("action", "corriger"),
                ("message", "Précisez le nombre d'heures d'accompagnement."),
            ],
        )
        .await?;
    assert_eq!(r.status, 303);

    // The referent of Créteil gives a reserved opinion, with its comment.
    let opinions = referent.get("/gpsea/avis").await?;
    assert!(opinions.body.contains("Recyclerie solidaire"));
    let opinion = app.store.dossier_opinions(scope, dossier).await?[0].id;
    let r = referent
        .post_form(&format!("/gpsea/avis/{opinion}"), &[("answer", "reserve")])
        .await?;
    assert_eq!(r.status, 422);
    let r = referent
        .post_form(
            &format!("/gpsea/avis/{opinion}"),
            &[
                ("answer", "reserve"),
                ("comment", "Local à confirmer avec la mairie."),
            ],
        )
        .await?;
    assert_eq!(r.status, 303);

    // Past the closing date: a first submission is refused, the correction is not.
    app.clock.advance(time::Duration::days(30));
    // Sessions idle for a month are over: everyone logs in again.
    let mut agent = app.client_as(&app.gpsea, Role::Agent).await?;
    let mut applicant = app.client_as(&app.gpsea, Role::Applicant).await?;
    let mut reviewer = app.client_as(&app.gpsea, Role::CommitteeMember).await?;
    let late = app
        .store
        .open_dossier(
            app.person_id(&app.gpsea, Role::Applicant),
            scope,
            edition,
            org.id,
        )
        .await;
    assert!(late.is_err(), "no new dossier after the closing date");
    let page = applicant.get(&path).await?;
    assert!(page.body.contains("Précisez le nombre"));
    let mut corrected = good.clone();
    corrected.push((
        "answer".into(),
        "Deux heures par semaine et par salarié.".into(),
    ));
    let r = applicant
        .post_form(&format!("{path}/deposer"), &pairs(&corrected))
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);

    // Two reviewers: the first declares a conflict and is recused, the second scores.
    let mut other = second_reviewer(&app).await?;
    let members = app.store.committee_members(scope).await?;
    for (id, _) in &members {
        let r = agent
            .post_form(
                &format!("/gpsea/instruction/{dossier}/evaluateurs"),
                &[("reviewer", &id.to_string())],
            )
            .await?;
        assert_eq!(r.status, 303);
    }
    let reviews = app.store.dossier_reviews(scope, dossier).await?;
    let mine = reviews
        .iter()
        .find(|r| r.row.reviewer_id == app.person_id(&app.gpsea, Role::CommitteeMember))
        .unwrap()
        .row
        .id;
    let theirs = reviews.iter().find(|r| r.row.id != mine).unwrap().row.id;
    let before = reviewer.get(&format!("/gpsea/evaluation/{mine}")).await?;
    assert!(before.body.contains("Enregistrer la déclaration"));
    assert!(
        !before.body.contains("Collecte, tri et revente"),
        "no dossier before the declaration"
    );
    let r = reviewer
        .post_form(
            &format!("/gpsea/evaluation/{mine}/declaration"),
            &[
                ("conflict", "oui"),
                ("note", "Administrateur de l'association."),
            ],
        )
        .await?;
    assert_eq!(r.status, 303);
    let after = reviewer.get(&format!("/gpsea/evaluation/{mine}")).await?;
    assert!(after.body.contains("Vous vous êtes récusé"));
    assert!(!after.body.contains("Collecte, tri et revente"));
    let piece = app.store.attachments(scope, dossier).await?[0].id;
    assert_eq!(
        reviewer
            .get(&format!("/gpsea/evaluation/{mine}/pieces/{piece}"))
            .await?
            .status,
        404
    );
    let r = reviewer
        .post_form(
            &format!("/gpsea/evaluation/{mine}/notes"),
            &[("score_emploi", "20")],
        )
        .await?;
    assert_eq!(r.status, 422, "a recused reviewer cannot score");
    // Someone else's review is not found.
    assert_eq!(
        reviewer
            .get(&format!("/gpsea/evaluation/{theirs}"))
            .await?
            .status,
        404
    );
    let r = other
        .post_form(
            &format!("/gpsea/evaluation/{theirs}/declaration"),
            &[("conflict", "non")],
        )
        .await?;
    assert_eq!(r.status, 303);
    let page = other.get(&format!("/gpsea/evaluation/{theirs}")).await?;
    assert!(page.body.contains("Collecte, tri et revente"));
    assert_eq!(
        other
            .get(&format!("/gpsea/evaluation/{theirs}/pieces/{piece}"))
            .await?
            .status,
        200
    );
    let scores: Vec<(String, String)> = default_grid()
        .iter()
        .map(|c| (format!("score_{}", c.code), "16".to_owned()))
        .chain([("comment".to_owned(), "Projet solide et ancré.".to_owned())])
        .collect();
    let r = other
        .post_form(
            &format!("/gpsea/evaluation/{theirs}/notes"),
            &pairs(&scores),
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);

    // The checklist, then the committee with two scenarios, an override, the decision.
    let r = agent
        .post_form(
            &format!("/gpsea/instruction/{dossier}/controle"),
            &[
                ("items", "famille"),
                ("items", "territoire"),
                ("items", "budget"),
                ("items", "pieces"),
            ],
        )
        .await?;
    assert_eq!(r.status, 303);
    let comite = format!("/gpsea/admin/appels/{edition}/comite");
    for (name, kind) in [("Règle", "regle"), ("Optimal", "optimal")] {
        let r = agent
            .post_form(
                &format!("/gpsea/admin/appels/{edition}/scenarios"),
                &[
                    ("scenario_name", name),
                    ("kind", kind),
                    ("minimum_share", "50"),
                    ("step", "100"),
                ],
            )
            .await?;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let page = agent.get(&comite).await?;
    assert!(page.body.contains("Règle par défaut"));
    assert!(page.body.contains("Optimal (meilleur score total"));
    assert!(
        page.body.contains("16,00"),
        "weighted score of the one non-recused review"
    );
    assert!(page.body.contains("12\u{202f}000,00\u{a0}€"));
    let scenarios = app.store.scenarios(scope, edition).await?;
    assert_eq!(scenarios.len(), 2);
    let s = scenarios[0].row.id;
    let r = agent
        .post_form(
            &format!("/gpsea/admin/appels/{edition}/scenarios/{s}/montant"),
            &[("dossier", &dossier.to_string()), ("amount", "10 000")],
        )
        .await?;
    assert_eq!(r.status, 422, "an override needs its reason");
    let r = agent
        .post_form(
            &format!("/gpsea/admin/appels/{edition}/scenarios/{s}/montant"),
            &[
                ("dossier", &dossier.to_string()),
                ("amount", "10 000"),
                (
                    "reason",
                    "Montant aligné sur le cofinancement départemental.",
                ),
            ],
        )
        .await?;
    assert_eq!(r.status, 303);
    let r = agent
        .post_form(
            &format!("/gpsea/admin/appels/{edition}/scenarios/{s}/decider"),
            &[("deliberation_ref", "CT 2026-12-17 n° 42")],
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let d = app.store.dossier(scope, dossier).await?;
    assert_eq!(d.state, "accepte");
    assert_eq!(d.decision_cents, Some(1_000_000));
    // The list filtered by commune and state sees the decision.
    let commune = app.store.dossier_communes(scope, dossier).await?[0].clone();
    let r = agent
        .get(&format!(
            "/gpsea/instruction?etat=accepte&commune={commune}"
        ))
        .await?;
    assert!(r.body.contains("1 dossier(s) — page 1"), "{}", r.body);
    let public = app
        .client()
        .get(&format!("/gpsea/appels/{edition}"))
        .await?;
    assert!(public.body.contains("Recyclerie du Mont-Mesly"));
    assert!(public.body.contains("10\u{202f}000,00\u{a0}€"));
    // Every step is in the journal.
    let actions: Vec<String> = app
        .store
        .audit_list(scope, 500)
        .await?
        .into_iter()
        .map(|e| e.action)
        .collect();
    for a in [
        "edition.publish",
        "dossier.submit",
        "dossier.instruct",
        "dossier.request_correction",
        "dossier.answer_correction",
        "opinion_request.answer",
        "review.declare",
        "review.score",
        "scenario.create",
        "scenario_line.update",
        "dossier.accept",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} is journaled");
    }
    Ok(())
}

#[tokio::test]
async fn each_party_sees_only_its_dossiers() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let admin = app.person_id(&app.gpsea, Role::TerritoryAdmin);
    let org = association(&app, "Atelier vélo", "W941000124").await?;
    let ids = dossier_in_instruction(&app, &app.gpsea, org.id).await?;
    // Another applicant of the territory, member of no organisation.
    let email = "autre-porteur@gpsea.test";
    let p = app
        .store
        .create_person(
            None,
            &Email::parse(email).map_err(|e| anyhow::anyhow!(e.message))?,
            "Autre porteur",
            trame_testkit::PASSWORD,
        )
        .await?;
    app.store
        .add_membership(None, scope, p.id, Role::Applicant)
        .await?;
    let mut other = app.client();
    other.login(email, trame_testkit::PASSWORD).await?;
    assert_eq!(
        other
            .get(&format!("/gpsea/mes-dossiers/{}", ids.dossier))
            .await?
            .status,
        404
    );
    assert_eq!(
        other
            .get(&format!(
                "/gpsea/mes-dossiers/{}/pieces/{}",
                ids.dossier, ids.piece
            ))
            .await?
            .status,
        404
    );
    assert!(
        !other
            .get("/gpsea/mes-dossiers")
            .await?
            .body
            .contains("Recyclerie solidaire")
    );
    // A referent of another commune sees no request.
    let email = "referent-bis@gpsea.test";
    let p = app
        .store
        .create_person(
            None,
            &Email::parse(email).map_err(|e| anyhow::anyhow!(e.message))?,
            "Autre référent",
            trame_testkit::PASSWORD,
        )
        .await?;
    app.store
        .add_membership(None, scope, p.id, Role::CommuneReferent)
        .await?;
    app.store
        .set_referent_communes(admin, scope, p.id, &["94071".into()])
        .await?;
    let mut referent = app.client();
    referent.login(email, trame_testkit::PASSWORD).await?;
    assert_eq!(
        referent
            .get(&format!("/gpsea/avis/{}", ids.opinion))
            .await?
            .status,
        404
    );
    assert!(
        !referent
            .get("/gpsea/avis")
            .await?
            .body
            .contains("Recyclerie solidaire")
    );
    // The other territory's staff do not find it either.
    let mut foreign = app.client_as(&app.other, Role::Agent).await?;
    assert_eq!(
        foreign
            .get(&format!("/controle/instruction/{}", ids.dossier))
            .await?
            .status,
        404
    );
    assert_eq!(
        foreign
            .get(&format!("/gpsea/instruction/{}", ids.dossier))
            .await?
            .status,
        404
    );
    Ok(())
}

#[tokio::test]
async fn attachments_are_kept_by_a_backup_with_their_records() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    if app.store.backend() != trame_store::Backend::Sqlite {
        return Ok(());
    }
    let scope = app.gpsea.scope();
    let org = association(&app, "Atelier couture", "W941000125").await?;
    let ids = dossier_in_instruction(&app, &app.gpsea, org.id).await?;
    let dir = tempfile::tempdir()?;
    let copy = dir.path().join("copie.db");
    app.store.backup_sqlite(&copy).await?;
    let restored = trame_store::Store::connect(
        &format!("sqlite://{}?mode=ro", copy.display()),
        app.store.clock().clone(),
    )
    .await?;
    let (a, bytes) = restored
        .attachment_content(scope, ids.dossier, ids.piece)
        .await?;
    assert_eq!(bytes, PDF);
    assert_eq!(a.filename, "statuts.pdf");
    assert_eq!(
        restored.content_digest().await?,
        app.store.content_digest().await?
    );
    Ok(())
}

#[tokio::test]
async fn referents_are_reminded_once_and_silence_reads_as_favourable() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let org = association(&app, "Jardins partagés", "W941000126").await?;
    let ids = dossier_in_instruction(&app, &app.gpsea, org.id).await?;
    let settings = trame_store::jobs::JobSettings {
        session_idle: Duration::hours(1),
        access_log_retention: Duration::days(365),
    };
    let reminders = |app: &TestApp| {
        let store = app.store.clone();
        async move {
            Ok::<usize, anyhow::Error>(
                store
                    .outbox(scope, 100)
                    .await?
                    .iter()
                    .filter(|m| m.subject.starts_with("Rappel : avis attendu"))
                    .count(),
            )
        }
    };
    // Due in 15 days: no reminder yet.
    app.store.run_due_jobs(app.store.now(), settings).await?;
    assert_eq!(reminders(&app).await?, 0);
    // Two days before the deadline: one reminder, and only one.
    for hours in [13 * 24, 13 * 24 + 1, 13 * 24 + 2] {
        let at = trame_testkit::start_instant() + Duration::hours(hours);
        app.clock.set(at);
        app.store.run_due_jobs(at, settings).await?;
    }
    assert_eq!(reminders(&app).await?, 1);
    // Past the deadline, the silent commune counts as favourable.
    app.clock
        .set(trame_testkit::start_instant() + Duration::days(16));
    let mut agent = app.client_as(&app.gpsea, Role::Agent).await?;
    let page = agent
        .get(&format!("/gpsea/instruction/{}", ids.dossier))
        .await?;
    assert!(page.body.contains("Réputé favorable"), "{}", page.body);
    // And the referent can no longer answer.
    let mut referent = app.client_as(&app.gpsea, Role::CommuneReferent).await?;
    let r = referent
        .post_form(
            &format!("/gpsea/avis/{}", ids.opinion),
            &[("answer", "favorable")],
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Le délai de réponse est passé"));
    Ok(())
}

#[tokio::test]
async fn next_year_the_statutes_come_back_and_the_staff_act_on_selections() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let org = association(&app, "Ressourcerie", "W941000127").await?;
    let first = dossier_in_instruction(&app, &app.gpsea, org.id).await?;
    // Next year's dossier starts with the statutes and the bank details, not the budget.
    let next = open_edition_of(&app, &app.gpsea, app.store.now().year() + 1).await?;
    let applicant = app.person_id(&app.gpsea, Role::Applicant);
    let d = app
        .store
        .open_dossier(applicant, scope, next, org.id)
        .await?;
    let kinds: Vec<String> = app
        .store
        .attachments(scope, d.id)
        .await?
        .into_iter()
        .map(|a| a.kind)
        .collect();
    assert_eq!(kinds, vec!["statuts".to_owned(), "rib".to_owned()]);
    // A bulk action is all or nothing: a draft in the selection refuses it for all.
    let mut agent = app.client_as(&app.gpsea, Role::Agent).await?;
    let r = agent
        .post_form(
            "/gpsea/instruction/lot",
            &[
                ("dossiers", &first.dossier.to_string()),
                ("dossiers", &d.id.to_string()),
                ("action", "classer"),
            ],
        )
        .await?;
    assert_eq!(r.status, 422);
    assert_eq!(
        app.store.dossier(scope, first.dossier).await?.state,
        "en_instruction"
    );
    let r = agent
        .post_form(
            "/gpsea/instruction/lot",
            &[
                ("dossiers", &first.dossier.to_string()),
                ("action", "classer"),
            ],
        )
        .await?;
    assert_eq!(r.status, 303);
    assert_eq!(
        app.store.dossier(scope, first.dossier).await?.state,
        "classe_sans_suite"
    );
    // A reviewer gets no more dossiers than the edition's cap.
    let reviewer = app.person_id(&app.gpsea, Role::CommitteeMember);
    let e = app.store.edition(scope, first.edition).await?;
    let mut input = trame_store::funding::editions::EditionInput {
        edition: Edition {
            year: e.row.year,
            opens_at: e.row.opens_at,
            closes_at: e.row.closes_at,
            total: Euros::from_cents(e.row.total_cents),
            earmarked: e.envelopes().earmarked,
            grid: e.grid(),
        },
        title: e.row.title.clone(),
        description: String::new(),
        envelope_labels: Vec::new(),
        rule: e.rule(),
        allowed_forms: e.allowed_forms(),
        opinion_days: 15,
        deemed_favourable: true,
        reviewer_cap: 1,
        demo_amounts: false,
    };
    app.store
        .update_edition(
            app.person_id(&app.gpsea, Role::TerritoryAdmin),
            scope,
            first.edition,
            &input,
        )
        .await?;
    let other = association(&app, "Atelier bois", "W941000128").await?;
    app.store
        .add_organisation_member(
            app.person_id(&app.gpsea, Role::TerritoryAdmin),
            scope,
            other.id,
            applicant,
        )
        .await?;
    let (second, _, _) = submitted_dossier(&app, &app.gpsea, first.edition, other.id).await?;
    let refused = app
        .store
        .assign_reviewer(
            app.person_id(&app.gpsea, Role::Agent),
            scope,
            second,
            reviewer,
        )
        .await;
    assert!(
        matches!(
            refused,
            Err(trame_store::StoreError::Conflict {
                field: "reviewer",
                ..
            })
        ),
        "{refused:?}"
    );
    input.reviewer_cap = 2;
    app.store
        .update_edition(
            app.person_id(&app.gpsea, Role::TerritoryAdmin),
            scope,
            first.edition,
            &input,
        )
        .await?;
    app.store
        .assign_reviewer(
            app.person_id(&app.gpsea, Role::Agent),
            scope,
            second,
            reviewer,
        )
        .await?;
    // Drafts are not reviewed.
    let refused = app
        .store
        .assign_reviewer(
            app.person_id(&app.gpsea, Role::Agent),
            scope,
            d.id,
            reviewer,
        )
        .await;
    assert!(
        matches!(
            refused,
            Err(trame_store::StoreError::Conflict {
                field: "reviewer",
                ..
            })
        ),
        "{refused:?}"
    );
    Ok(())
}

/// The list filtered by commune reads the commune rows, which carry a copy of the
/// dossier's state and submission time: after transitions, every filter and every page
/// must still agree with the dossiers themselves.
#[tokio::test]
async fn the_list_by_commune_agrees_with_the_dossiers_after_transitions() -> anyhow::Result<()> {
    use trame_store::funding::dossiers::DossierFilter;
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let edition = open_edition(&app, &app.gpsea).await?;
    association(&app, "Ressourcerie", "W941000127").await?;
    app.store.seed_volume(90).await?;
    let filter = |commune: Option<&str>, state: Option<&str>, page: u64| DossierFilter {
        edition_id: Some(edition),
        state: state.map(str::to_owned),
        commune: commune.map(str::to_owned),
        text: None,
        label: None,
        page,
        per_page: 7,
    };
    // Move some dossiers along: in instruction, correction requested, closed.
    let agent = app.person_id(&app.gpsea, Role::Agent);
    let all = app
        .store
        .dossier_page(scope, &filter(None, None, 1))
        .await?;
    assert_eq!(all.total, 90);
    for (i, line) in all.lines.iter().enumerate() {
        let id = line.row.id;
        match (i % 3, line.row.state.as_str()) {
            (0, "depose") => {
                app.store
                    .instruct(agent, scope, id, Transition::Instruct, "")
                    .await?;
            }
            (1, "en_instruction") => {
                app.store
                    .instruct(agent, scope, id, Transition::RequestCorrection, "Budget ?")
                    .await?;
            }
            (2, "depose" | "en_instruction") => {
                app.store
                    .instruct(agent, scope, id, Transition::Close, "")
                    .await?;
            }
            _ => {}
        }
    }
    // What each filter should give, from the dossiers themselves, latest submitted first.
    let mut truth = Vec::new();
    for page in 1..=13 {
        for l in app
            .store
            .dossier_page(scope, &filter(None, None, page))
            .await?
            .lines
        {
            let d = app.store.dossier(scope, l.row.id).await?;
            let communes = app.store.dossier_communes(scope, d.id).await?;
            truth.push((d.id, d.state, d.submitted_at, communes));
        }
    }
    assert_eq!(truth.len(), 90);
    let communes: Vec<String> = app
        .store
        .communes(scope)
        .await?
        .into_iter()
        .take(3)
        .map(|c| c.code_insee)
        .collect();
    let states = [
        None,
        Some("depose"),
        Some("en_instruction"),
        Some("correction_demandee"),
        Some("classe_sans_suite"),
    ];
    for c in &communes {
        for s in states {
            let expected: Vec<i64> = truth
                .iter()
                .filter(|(_, st, _, cs)| cs.contains(c) && s.is_none_or(|s| s == st))
                .map(|(id, ..)| *id)
                .collect();
            let mut got = Vec::new();
            let mut page = 1;
            loop {
                let p = app
                    .store
                    .dossier_page(scope, &filter(Some(c), s, page))
                    .await?;
                assert_eq!(
                    p.total,
                    expected.len() as u64,
                    "count for {c} {s:?} page {page}"
                );
                if p.lines.is_empty() {
                    break;
                }
                for l in &p.lines {
                    let (_, st, at, _) = truth
                        .iter()
                        .find(|t| t.0 == l.row.id)
                        .ok_or_else(|| anyhow::anyhow!("unknown dossier"))?;
                    assert_eq!(&l.row.state, st);
                    assert_eq!(&l.row.submitted_at, at);
                }
                got.extend(p.lines.iter().map(|l| l.row.id));
                page += 1;
            }
            assert_eq!(got, expected, "dossiers of {c} in {s:?}, in order");
        }
    }
    Ok(())
}
