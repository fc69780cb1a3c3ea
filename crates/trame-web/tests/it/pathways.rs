//! Insertion pathways through the pages: a counsellor's file from entry to exit, the
//! referral a structure accepts or declines, what other organisations see, and the
//! referral that expires unanswered.

use crate::funding::{association, id_after};
use trame_domain::email::Email;
use trame_domain::role::Role;
use trame_testkit::{Client, TestApp};

/// What [`pathway`] creates.
pub struct Pathway {
    /// The counsellors' organisation (the territory's partner account is a member).
    pub plie: i64,
    /// A file held by the PLIE, entered on 2026-03-02, living in Créteil.
    pub file: i64,
    /// Its mobility barrier.
    pub barrier: i64,
    /// The published mobility service open to the whole territory.
    pub service: i64,
    /// The archived mobility service.
    pub archived: i64,
    /// The mobility service open to Sucy-en-Brie only.
    pub elsewhere: i64,
    /// A referral of the file to the service, waiting.
    pub referral: i64,
}

/// A PLIE with the partner account, a structure with mobility services kept by an
/// association of which the applicant and the partner are members, a file with a
/// mobility barrier and a referral to the open service.
pub async fn pathway(
    app: &TestApp,
    territory: &trame_store::territories::Territory,
    receiver: i64,
) -> anyhow::Result<Pathway> {
    let scope = territory.scope();
    let admin = app.person_id(territory, Role::TerritoryAdmin);
    let partner = app.person_id(territory, Role::Partner);
    let org = trame_domain::organisation::Organisation::parse(
        &trame_domain::organisation::OrganisationInput {
            name: format!("PLIE {}", territory.slug),
            rna: "W941000201".into(),
            legal_form: "association".into(),
            ..Default::default()
        },
        app.store.now().date(),
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let plie = app
        .store
        .create_organisation(Some(admin), scope, &org)
        .await?
        .id;
    for (o, p) in [
        (plie, partner),
        (receiver, partner),
        (receiver, app.person_id(territory, Role::Applicant)),
    ] {
        // The matrix's fixture may have made some of these members already.
        let _ = app.store.add_organisation_member(admin, scope, o, p).await;
    }
    app.store
        .import_directory(
            Some(admin),
            scope,
            &trame_domain::directory::exchange::read_json(
                br#"{"structures": [{"source": "p", "id": "ae", "nom": "Auto-ecole sociale", "date_maj": "2026-01-02"}],
                     "services": [
                       {"source": "p", "id": "permis", "structure_id": "ae", "nom": "Permis solidaire", "description": "Preparer le permis B avec un accompagnement.", "date_maj": "2026-01-02", "thematiques": ["mobilite--preparer-un-permis"]},
                       {"source": "p", "id": "velo", "structure_id": "ae", "nom": "Velo-ecole", "description": "Apprendre le velo.", "date_maj": "2026-01-02", "thematiques": ["mobilite--mobilite-douce-partagee-collective"]},
                       {"source": "p", "id": "sucy", "structure_id": "ae", "nom": "Garage solidaire de Sucy", "description": "Reparer son vehicule.", "date_maj": "2026-01-02", "thematiques": ["mobilite--entretenir-reparer-son-vehicule"], "zone_eligibilite": ["94071"]},
                       {"source": "p", "id": "toit", "structure_id": "ae", "nom": "Un toit", "description": "Trouver un logement.", "date_maj": "2026-01-02", "thematiques": ["logement-hebergement--changer-de-logement"]}
                     ]}"#,
            )
            .map_err(|e| anyhow::anyhow!("{e:?}"))?,
            trame_store::directory::import::ImportOptions {
                publish: true,
                demo: false,
            },
            &|_, _| {},
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let services = app.store.services_changed_since(scope, 0).await?;
    let id_of = |name: &str| {
        services
            .iter()
            .find(|s| s.record.nom == name)
            .map(|s| (s.id, s.structure_id))
            .ok_or_else(|| anyhow::anyhow!("no service {name}"))
    };
    let (service, structure) = id_of("Permis solidaire")?;
    let (archived, _) = id_of("Velo-ecole")?;
    let (elsewhere, _) = id_of("Garage solidaire de Sucy")?;
    app.store
        .link_structure(admin, scope, structure, Some(receiver))
        .await?;
    app.store
        .set_service_status(
            Some(admin),
            scope,
            archived,
            trame_domain::directory::listing::Status::Archive,
        )
        .await?;
    let file = trame_domain::pathways::pathway::File::parse(
        &trame_domain::pathways::pathway::FileInput {
            entry: trame_domain::accompaniment::participant::EntryInput {
                first_name: "Samir".into(),
                last_name: "Diallo".into(),
                sex: "M".into(),
                birth_year: "1990".into(),
                entered_on: "2026-03-02".into(),
                status: "chomeur_longue_duree".into(),
                education: "cite_3_4".into(),
                disability: "non".into(),
                homeless: "non".into(),
                consent: "oui".into(),
            },
            commune: "94028".into(),
            ground: "demandeur_longue_duree".into(),
        },
        &["94028", "94071"],
        app.store.now().date(),
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let file = app
        .store
        .create_path_file(
            partner,
            scope,
            &trame_store::pathways::NewFile {
                organisation: plie,
                file,
                max_months: 36,
            },
        )
        .await?;
    let barrier = app
        .store
        .add_path_barrier(
            partner,
            scope,
            file,
            &trame_domain::pathways::pathway::BarrierEntry {
                barrier: trame_domain::pathways::vocab::Barrier::Mobility,
                note: String::new(),
            },
        )
        .await?;
    let referral = app
        .store
        .send_path_referral(
            partner,
            scope,
            file,
            barrier,
            service,
            "Besoin du permis B.",
        )
        .await?;
    Ok(Pathway {
        plie,
        file,
        barrier,
        service,
        archived,
        elsewhere,
        referral,
    })
}

async fn member_of(app: &TestApp, org: i64, email: &str, role: Role) -> anyhow::Result<Client> {
    let scope = app.gpsea.scope();
    let p = app
        .store
        .create_person(
            None,
            &Email::parse(email).map_err(|e| anyhow::anyhow!(e.message))?,
            "Autre conseillère",
            trame_testkit::PASSWORD,
        )
        .await?;
    app.store.add_membership(None, scope, p.id, role).await?;
    app.store
        .add_organisation_member(
            app.person_id(&app.gpsea, Role::TerritoryAdmin),
            scope,
            org,
            p.id,
        )
        .await?;
    let mut c = app.client();
    c.login(email, trame_testkit::PASSWORD).await?;
    Ok(c)
}

async fn journal_has(app: &TestApp, action: &str) -> anyhow::Result<bool> {
    Ok(app
        .store
        .audit_list(app.gpsea.scope(), 500)
        .await?
        .iter()
        .any(|e| e.action == action))
}

#[tokio::test]
async fn a_counsellor_follows_a_pathway_from_entry_to_a_positive_exit() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let receiver = association(&app, "Mobilité solidaire", "W941000202").await?;
    let p = pathway(&app, &app.gpsea, receiver.id).await?;
    let mut counsellor = app.client_as(&app.gpsea, Role::Partner).await?;
    let plie = p.plie.to_string();
    let mut form: Vec<(&str, &str)> = vec![
        ("organisation", &plie),
        ("first_name", "Awa"),
        ("last_name", "Koné"),
        ("sex", "F"),
        ("birth_year", "1985"),
        ("commune", "99999"),
        ("entered_on", "2026-11-02"),
        ("ground", "minima_sociaux"),
        ("status", "chomeur"),
        ("education", "cite_0_2"),
        ("disability", "non"),
        ("homeless", "ne_se_prononce_pas"),
    ];
    // Bad input: no consent, a commune outside the territory; nothing is written.
    let r = counsellor
        .post_form("/gpsea/parcours/nouveau", &form)
        .await?;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("commune de résidence parmi celles du territoire"),
        "{}",
        r.body
    );
    assert!(r.body.contains("consent"));
    assert!(
        !counsellor
            .get("/gpsea/parcours")
            .await?
            .body
            .contains("Koné")
    );
    form[5] = ("commune", "94028");
    form.push(("consent", "oui"));
    let r = counsellor
        .post_form("/gpsea/parcours/nouveau", &form)
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let id = id_after(&r, "/gpsea/parcours/");
    let page = counsellor.get(&format!("/gpsea/parcours/{id}")).await?;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Awa Koné") || page.body.contains("Awa Kon"));
    assert!(page.body.contains("01/11/2029"), "36 months: {}", page.body);
    // A barrier, then the same theme again.
    let base = format!("/gpsea/parcours/{id}");
    let r = counsellor
        .post_form(
            &format!("{base}/freins"),
            &[("barrier", "mobilite"), ("barrier_note", "Pas de permis.")],
        )
        .await?;
    assert_eq!(r.status, 303);
    let r = counsellor
        .post_form(&format!("{base}/freins"), &[("barrier", "mobilite")])
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("déjà noté"));
    let view = app
        .store
        .path_file(
            app.person_id(&app.gpsea, Role::Partner),
            app.gpsea.scope(),
            id,
        )
        .await?;
    let barrier = view.barriers[0].id;
    // The services for the barrier: the open one and the one serving Créteil's
    // territory; not the archived one, nor the one for Sucy only, nor housing.
    let r = counsellor
        .get(&format!("{base}/orientation?frein={barrier}"))
        .await?;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Permis solidaire"));
    assert!(!r.body.contains("Velo-ecole"));
    assert!(!r.body.contains("Garage solidaire de Sucy"));
    assert!(!r.body.contains("Un toit"));
    // A referral to an archived service, or one that does not serve Créteil, is refused.
    for (service, says) in [
        (p.archived, "archivé"),
        (p.elsewhere, "pas ouvert aux habitants"),
    ] {
        let r = counsellor
            .post_form(
                &format!("{base}/orientation"),
                &[
                    ("frein", &barrier.to_string()),
                    ("service", &service.to_string()),
                ],
            )
            .await?;
        assert_eq!(r.status, 422, "{says}");
        assert!(r.body.contains(says), "{says}: {}", r.body);
    }
    let r = counsellor
        .post_form(
            &format!("{base}/orientation"),
            &[
                ("frein", &barrier.to_string()),
                ("service", &p.service.to_string()),
                ("message", "Disponible le matin."),
            ],
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    // The receiving structure's member sees it, must say why to decline, and accepts.
    let mut receiver_member = app.client_as(&app.gpsea, Role::Applicant).await?;
    let list = receiver_member
        .get("/gpsea/ma-structure/orientations")
        .await?;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("Disponible le matin."));
    let referral = app
        .store
        .path_file(
            app.person_id(&app.gpsea, Role::Partner),
            app.gpsea.scope(),
            id,
        )
        .await?
        .referrals[0]
        .row
        .id;
    let answer = format!("/gpsea/ma-structure/orientations/{referral}");
    let r = receiver_member
        .post_form(&answer, &[("answer", "refusee"), ("reason", "Non")])
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Un refus dit pourquoi"));
    let r = receiver_member
        .post_form(&answer, &[("answer", "acceptee")])
        .await?;
    assert_eq!(r.status, 303);
    let r = receiver_member
        .post_form(&answer, &[("answer", "acceptee")])
        .await?;
    assert_eq!(r.status, 422, "answered once");
    let page = counsellor.get(&base).await?;
    assert!(
        page.body.contains("<strong>Acceptée</strong>"),
        "{}",
        page.body
    );
    // A step outside the pathway's days is refused; inside, it is recorded.
    let mut step = vec![
        ("step_kind", "formation"),
        ("title", "Titre professionnel agent de propreté"),
        ("starts_on", "2026-10-01"),
        ("ends_on", ""),
        ("status", "prevue"),
    ];
    let r = counsellor
        .post_form(&format!("{base}/etapes"), &step)
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("comprise dans le parcours"));
    step[2] = ("starts_on", "2026-11-10");
    step[4] = ("status", "en_cours");
    let r = counsellor
        .post_form(&format!("{base}/etapes"), &step)
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    // An exit without a reason is refused; a positive exit is recorded once.
    let r = counsellor
        .post_form(&format!("{base}/sortie"), &[("exited_on", "2026-11-25")])
        .await?;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("une sortie sans motif n&#39;est pas enregistrée"),
        "{}",
        r.body
    );
    let r = counsellor
        .post_form(
            &format!("{base}/sortie"),
            &[
                ("reason", "formation_qualifiante"),
                ("exited_on", "2026-11-25"),
            ],
        )
        .await?;
    assert_eq!(r.status, 303);
    let page = counsellor.get(&base).await?;
    assert!(page.body.contains("sortie positive"));
    // The six-month situation waits for its day.
    let r = counsellor
        .post_form(&format!("{base}/suivi"), &[("situation", "en_emploi")])
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("25/05/2027"), "{}", r.body);
    app.clock.set(time::macros::datetime!(2027-05-26 10:00 UTC));
    let mut counsellor = app.client_as(&app.gpsea, Role::Partner).await?;
    let r = counsellor
        .post_form(&format!("{base}/suivi"), &[("situation", "en_emploi")])
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    for action in [
        "path_file.create",
        "path_barrier.create",
        "path_referral.send",
        "path_referral.answer",
        "path_step.create",
        "path_file.exit",
        "path_file.follow_up",
    ] {
        assert!(journal_has(&app, action).await?, "{action}");
    }
    let reads = app
        .store
        .access_log_of(app.person_id(&app.gpsea, Role::Partner))
        .await?;
    assert!(reads.contains(&("path_file.read".to_owned(), format!("path_file:{id}"))));
    let received = app
        .store
        .access_log_of(app.person_id(&app.gpsea, Role::Applicant))
        .await?;
    assert!(
        received
            .iter()
            .any(|(op, _)| op == "path_referral.received")
    );
    Ok(())
}

#[tokio::test]
async fn a_file_is_seen_only_by_its_organisation_and_those_it_shares_with() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let receiver = association(&app, "Mobilité solidaire", "W941000202").await?;
    let p = pathway(&app, &app.gpsea, receiver.id).await?;
    let mission = association(&app, "Mission locale", "W941000203").await?;
    let mut other = member_of(&app, mission.id, "conseillere@ml.test", Role::Partner).await?;
    let path = format!("/gpsea/parcours/{}", p.file);
    assert_eq!(other.get(&path).await?.status, 404);
    assert!(!other.get("/gpsea/parcours").await?.body.contains("Diallo"));
    let r = other
        .post_form(&format!("{path}/freins"), &[("barrier", "sante")])
        .await?;
    assert_eq!(r.status, 404);
    // The territory's staff see figures, never files; another territory sees nothing.
    let mut admin = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    assert_eq!(admin.get(&path).await?.status, 403);
    let mut outsider = app.client_as(&app.other, Role::Partner).await?;
    assert_eq!(outsider.get(&path).await?.status, 404);
    // Shared with the mission locale: it reads the file, without writing to it.
    let mut counsellor = app.client_as(&app.gpsea, Role::Partner).await?;
    let r = counsellor
        .post_form(
            &format!("{path}/partage"),
            &[("organisation", &p.plie.to_string())],
        )
        .await?;
    assert_eq!(r.status, 422, "not with its own organisation");
    let r = counsellor
        .post_form(
            &format!("{path}/partage"),
            &[("organisation", &mission.id.to_string())],
        )
        .await?;
    assert_eq!(r.status, 303);
    let page = other.get(&path).await?;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("vous le consultez sans le modifier"));
    assert!(other.get("/gpsea/parcours").await?.body.contains("Diallo"));
    let r = other
        .post_form(&format!("{path}/freins"), &[("barrier", "sante")])
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("partagé en lecture"));
    let r = counsellor
        .post_form(
            &format!("{path}/partage/retirer"),
            &[("organisation", &mission.id.to_string())],
        )
        .await?;
    assert_eq!(r.status, 303);
    assert_eq!(other.get(&path).await?.status, 404);
    // A member of no receiving structure sees no referral and cannot answer one.
    let r = other
        .post_form(
            &format!("/gpsea/ma-structure/orientations/{}", p.referral),
            &[("answer", "acceptee")],
        )
        .await?;
    assert_eq!(r.status, 404);
    assert!(
        !other
            .get("/gpsea/ma-structure/orientations")
            .await?
            .body
            .contains("Diallo")
    );
    assert!(journal_has(&app, "path_file.share").await?);
    assert!(journal_has(&app, "path_file.unshare").await?);
    Ok(())
}

#[tokio::test]
async fn a_referral_expires_after_thirty_days_without_an_answer() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let receiver = association(&app, "Mobilité solidaire", "W941000202").await?;
    let p = pathway(&app, &app.gpsea, receiver.id).await?;
    let mut structure = app.client_as(&app.gpsea, Role::Applicant).await?;
    assert!(
        structure
            .get("/gpsea/ma-structure/orientations")
            .await?
            .body
            .contains("expire le 26/12/2026")
    );
    app.clock
        .set(trame_testkit::start_instant() + time::Duration::days(30));
    let mut structure = app.client_as(&app.gpsea, Role::Applicant).await?;
    let r = structure
        .post_form(
            &format!("/gpsea/ma-structure/orientations/{}", p.referral),
            &[("answer", "acceptee")],
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("expiré"), "{}", r.body);
    let mut counsellor = app.client_as(&app.gpsea, Role::Partner).await?;
    let page = counsellor
        .get(&format!("/gpsea/parcours/{}", p.file))
        .await?;
    assert!(page.body.contains("Expirée sans réponse"));
    // A new referral to the same service may then be sent.
    let r = counsellor
        .post_form(
            &format!("/gpsea/parcours/{}/orientation", p.file),
            &[
                ("frein", &p.barrier.to_string()),
                ("service", &p.service.to_string()),
            ],
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = counsellor
        .post_form(
            &format!("/gpsea/parcours/{}/orientation", p.file),
            &[
                ("frein", &p.barrier.to_string()),
                ("service", &p.service.to_string()),
            ],
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("attend déjà sa réponse"));
    Ok(())
}

#[tokio::test]
async fn the_counsellor_is_warned_before_the_pathways_end() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let receiver = association(&app, "Mobilité solidaire", "W941000202").await?;
    let p = pathway(&app, &app.gpsea, receiver.id).await?;
    let mut counsellor = app.client_as(&app.gpsea, Role::Partner).await?;
    let path = format!("/gpsea/parcours/{}", p.file);
    assert!(
        !counsellor
            .get(&path)
            .await?
            .body
            .contains("durée maximale dans")
    );
    // Entered on 2 March 2026: the pathway ends by 1 March 2029; 90 days before, a warning.
    app.clock.set(time::macros::datetime!(2028-12-15 10:00 UTC));
    let mut counsellor = app.client_as(&app.gpsea, Role::Partner).await?;
    let page = counsellor.get(&path).await?;
    assert!(
        page.body
            .contains("atteint sa durée maximale dans 76 jour(s)"),
        "{}",
        page.body
    );
    assert!(
        counsellor
            .get("/gpsea/parcours")
            .await?
            .body
            .contains("fin dans 76 jours")
    );
    Ok(())
}

#[tokio::test]
async fn a_file_is_anonymised_two_years_after_the_last_contact() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let receiver = association(&app, "Mobilité solidaire", "W941000202").await?;
    let p = pathway(&app, &app.gpsea, receiver.id).await?;
    let settings = trame_store::jobs::JobSettings {
        session_idle: time::Duration::hours(1),
        access_log_retention: time::Duration::days(365),
    };
    let anonymised = |reports: &[trame_store::jobs::JobReport]| {
        reports
            .iter()
            .find(|r| r.job == trame_store::jobs::Job::AnonymisePathways)
            .map(|r| r.rows)
    };
    // The last contact was the referral, on 26 November 2026: kept until 26 November
    // 2028 included.
    let kept = time::macros::datetime!(2028-11-26 03:00 UTC);
    app.clock.set(kept);
    assert_eq!(
        anonymised(&app.store.run_due_jobs(kept, settings).await?),
        Some(0)
    );
    let mut counsellor = app.client_as(&app.gpsea, Role::Partner).await?;
    assert_eq!(
        counsellor
            .get(&format!("/gpsea/parcours/{}", p.file))
            .await?
            .status,
        200
    );
    let gone = time::macros::datetime!(2028-11-27 03:00 UTC);
    app.clock.set(gone);
    assert_eq!(
        anonymised(&app.store.run_due_jobs(gone, settings).await?),
        Some(1)
    );
    // Run twice the same day: the job does nothing more.
    assert_eq!(
        anonymised(&app.store.run_due_jobs(gone, settings).await?),
        None
    );
    let mut counsellor = app.client_as(&app.gpsea, Role::Partner).await?;
    assert_eq!(
        counsellor
            .get(&format!("/gpsea/parcours/{}", p.file))
            .await?
            .status,
        404
    );
    let list = counsellor.get("/gpsea/parcours").await?;
    assert!(!list.body.contains("Diallo") && !list.body.contains("Samir"));
    let mut structure = app.client_as(&app.gpsea, Role::Applicant).await?;
    let received = structure.get("/gpsea/ma-structure/orientations").await?;
    assert!(!received.body.contains("Diallo") && !received.body.contains("Besoin du permis"));
    // The register says what was eliminated, without any name.
    let mut admin = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    let register = admin.get("/gpsea/admin/parcours/eliminations").await?;
    assert_eq!(register.status, 200);
    assert!(register.body.contains(&format!("<td>{}</td>", p.file)));
    assert!(register.body.contains("26/11/2026"));
    assert!(!register.body.contains("Diallo"));
    let lines = app.store.path_eliminations(app.gpsea.scope()).await?;
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].entry_year, 2026);
    assert!(journal_has(&app, "path_file.anonymise").await?);
    Ok(())
}

/// Opens a file for the partner account in `plie`, living in `commune`, entered on
/// `entered_on`, with an exit for `reason` on `exited_on` when given.
async fn another_file(
    app: &TestApp,
    plie: i64,
    name: &str,
    commune: &str,
    entered_on: &str,
    exit: Option<(&str, &str)>,
) -> anyhow::Result<i64> {
    use trame_domain::pathways::pathway::{Days, Exit, ExitInput, File, FileInput};
    let partner = app.person_id(&app.gpsea, Role::Partner);
    let scope = app.gpsea.scope();
    let file = File::parse(
        &FileInput {
            entry: trame_domain::accompaniment::participant::EntryInput {
                first_name: "Prénom".into(),
                last_name: name.into(),
                sex: "F".into(),
                birth_year: "1980".into(),
                entered_on: entered_on.into(),
                status: "chomeur".into(),
                education: "cite_0_2".into(),
                disability: "non".into(),
                homeless: "non".into(),
                consent: "oui".into(),
            },
            commune: commune.into(),
            ground: "minima_sociaux".into(),
        },
        &["94028", "94071"],
        app.store.now().date(),
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let days = Days::of(file.entry.entered_on, 36);
    let id = app
        .store
        .create_path_file(
            partner,
            scope,
            &trame_store::pathways::NewFile {
                organisation: plie,
                file,
                max_months: 36,
            },
        )
        .await?;
    if let Some((reason, on)) = exit {
        let e = Exit::parse(
            &ExitInput {
                reason: reason.into(),
                exited_on: on.into(),
                note: String::new(),
            },
            days,
            app.store.now().date(),
        )
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        app.store.exit_path_file(partner, scope, id, &e).await?;
    }
    Ok(id)
}

#[tokio::test]
async fn the_dashboard_counts_positive_exits_and_the_export_carries_no_name() -> anyhow::Result<()>
{
    let app = TestApp::spawn().await?;
    let receiver = association(&app, "Mobilité solidaire", "W941000202").await?;
    let p = pathway(&app, &app.gpsea, receiver.id).await?;
    another_file(
        &app,
        p.plie,
        "Benali",
        "94071",
        "2025-05-12",
        Some(("cdi_mi_temps", "2026-10-01")),
    )
    .await?;
    another_file(
        &app,
        p.plie,
        "Nguyen",
        "94071",
        "2025-06-02",
        Some(("abandon", "2026-02-01")),
    )
    .await?;
    let mut admin = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    let page = admin.get("/gpsea/parcours/tableau-de-bord").await?;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("<strong>3</strong> dossier(s) : 1 en parcours, 2 sortie(s) dont <strong>1</strong> positive(s) (50 %)"),
        "{}",
        page.body
    );
    // One year, one commune.
    let page = admin
        .get("/gpsea/parcours/tableau-de-bord?annee=2026&commune=94028")
        .await?;
    assert!(
        page.body
            .contains("<strong>1</strong> dossier(s) : 1 en parcours, 0 sortie(s)")
    );
    assert!(
        page.body
            .contains("<td>Envoyée</td><td class=\"num\">1</td>"),
        "{}",
        page.body
    );
    // A counsellor of another organisation counts none of them.
    let mission = association(&app, "Mission locale", "W941000203").await?;
    let mut other = member_of(&app, mission.id, "conseillere@ml.test", Role::Partner).await?;
    let page = other.get("/gpsea/parcours/tableau-de-bord").await?;
    assert!(page.body.contains("<strong>0</strong> dossier(s)"));
    // The funder's export: a line per file, no name.
    let csv = admin.get("/gpsea/parcours/export/csv").await?;
    assert_eq!(csv.status, 200);
    assert!(
        csv.body.starts_with("\u{feff}Numéro") || csv.body.starts_with("Numéro"),
        "{}",
        &csv.body[..40.min(csv.body.len())]
    );
    assert_eq!(csv.body.lines().count(), 4);
    assert!(!csv.body.contains("Diallo") && !csv.body.contains("Benali"));
    assert!(csv.body.contains("CDI d'au moins un mi-temps") || csv.body.contains("CDI d’au moins"));
    let xlsx = admin.get("/gpsea/parcours/export/xlsx?annee=2025").await?;
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.bytes.starts_with(b"PK"));
    Ok(())
}

#[tokio::test]
async fn the_demo_has_three_counsellors_sixty_pathways_and_two_forums() -> anyhow::Result<()> {
    use std::sync::Arc;
    let db = trame_testkit::TestDb::create().await?;
    let store = trame_store::Store::connect(
        db.url(),
        Arc::new(trame_domain::clock::FrozenClock::new(
            trame_testkit::start_instant(),
        )),
    )
    .await?;
    store.migrate().await?;
    store.load_demo().await?;
    let router = trame_web::app(trame_web::AppState::new(
        store.clone(),
        trame_web::WebConfig::default(),
    ));
    let login = |email: &'static str| {
        let router = router.clone();
        async move {
            let mut c = trame_testkit::Client::new(router, [127, 0, 0, 2].into());
            let r = c.login(email, trame_store::demo::DEMO_PASSWORD).await?;
            anyhow::ensure!(r.status == 303, "login {email}: {}", r.status);
            anyhow::Ok(c)
        }
    };
    for (email, _) in trame_store::demo_pathways::DEMO_COUNSELLORS
        .iter()
        .chain([&("partenaire@demo.trame.test", "")])
    {
        let mut c = login(email).await?;
        let list = c.get("/gpsea/parcours").await?;
        assert!(
            list.body.contains("60 dossier(s)"),
            "{email}: {}",
            list.body
        );
    }
    let mut staff = login("admin@demo.trame.test").await?;
    let d = staff.get("/gpsea/parcours/tableau-de-bord").await?;
    assert!(
        d.body.contains("<strong>60</strong> dossier(s)"),
        "{}",
        d.body
    );
    assert!(!d.body.contains("dont <strong>0</strong> positive(s)"));
    // The structure that receives referrals: the applicant's association answers them.
    let mut structure = login("porteur@demo.trame.test").await?;
    let received = structure.get("/gpsea/ma-structure/orientations").await?;
    assert!(
        received.body.contains("Envoyer la réponse"),
        "{}",
        received.body
    );
    // Two forums of 20 employers, one past with hires.
    let mut public = trame_testkit::Client::new(router.clone(), [127, 0, 0, 3].into());
    let forums = public.get("/gpsea/forums").await?;
    assert!(
        forums.body.contains("Forum de l&#39;emploi d&#39;hiver"),
        "{}",
        forums.body
    );
    assert!(
        forums
            .body
            .contains("Forum de l&#39;emploi de l&#39;automne")
    );
    let scope = store.territories().await?[0].scope();
    let all = store.forums(scope).await?;
    assert_eq!(all.len(), 2);
    for f in &all {
        assert_eq!(store.forum_view(scope, f.id).await?.employers.len(), 20);
    }
    let past = all
        .iter()
        .find(|f| f.title.contains("automne"))
        .expect("past forum");
    let results = store.forum_results(scope, past.id).await?;
    assert!(results.iter().any(|r| r.kind == "embauche"));
    // The benchmark's volume adds files for more counsellors; the dashboard counts them.
    let n = store
        .generate_pathways(trame_store::demo_pathways::PathVolume {
            files: 600,
            counsellors: 5,
        })
        .await?;
    assert_eq!(n, 600);
    let d = staff.get("/gpsea/parcours/tableau-de-bord").await?;
    assert!(
        d.body.contains("<strong>660</strong> dossier(s)"),
        "{}",
        d.body
    );
    assert!(d.body.contains("Conseiller généré 2"));
    Ok(())
}
