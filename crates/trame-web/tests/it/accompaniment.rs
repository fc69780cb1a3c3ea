//! The ESS accompaniment programme through its pages: a person applies without an
//! account, the jury marks, the team decides after closing and the project joins its
//! cohort; advisers record sessions, stages, milestones and outcomes, each bad value
//! refused at its field with nothing written; private summaries reach only the holder
//! and their advisers; a support provider sees its own cohorts only.

use trame_domain::accompaniment::application::{Application, ApplicationInput};
use trame_domain::accompaniment::programme::{Call, CallInput, Cohort, CohortInput};
use trame_domain::role::Role;
use trame_store::territories::Territory;
use trame_testkit::{TestApp, email_for};

/// What [`programme`] creates.
pub struct Programme {
    /// A cohort run by the given provider, from 2026-09-01 to 2027-02-26.
    pub cohort: i64,
    /// Its call, open from 2026-11-01 to 2026-11-30 (the test clock says 2026-11-26).
    pub call: i64,
    /// An application by the territory's applicant account, selected.
    pub application: i64,
    /// The project it became.
    pub project: i64,
    /// A participant of the project, with FSE+ data.
    pub participant: i64,
}

fn check<T>(r: Result<T, trame_domain::organisation::FieldErrors>) -> anyhow::Result<T> {
    r.map_err(|e| anyhow::anyhow!("{e:?}"))
}

/// A cohort whose provider is `provider`, its call, an application by the territory's
/// applicant account with the committee member on the jury, selected after closing.
pub async fn programme(
    app: &TestApp,
    territory: &Territory,
    provider: Option<i64>,
) -> anyhow::Result<Programme> {
    let scope = territory.scope();
    let agent = app.person_id(territory, Role::Agent);
    let cohort = app
        .store
        .create_acc_cohort(
            agent,
            scope,
            &check(Cohort::parse(&CohortInput {
                name: format!("Promotion 2026 {}", territory.slug),
                format: "parcours".into(),
                starts_on: "2026-09-01".into(),
                ends_on: "2027-02-26".into(),
                allocation: "20".into(),
                provider: provider.map(|p| p.to_string()).unwrap_or_default(),
            }))?,
        )
        .await?;
    let call = app
        .store
        .create_acc_call(
            agent,
            scope,
            &check(Call::parse(&CallInput {
                title: "Appel à candidatures 2026".into(),
                description: "Créer une activité d'ESS sur le territoire.".into(),
                cohort: cohort.to_string(),
                opens_on: "2026-11-01".into(),
                closes_on: "2026-11-30".into(),
            }))?,
        )
        .await?;
    let communes = app.store.communes(scope).await?;
    let code = communes
        .first()
        .map(|c| c.code_insee.clone())
        .unwrap_or_default();
    let a = check(Application::parse(
        &ApplicationInput {
            kind: "personne".into(),
            first_name: "Nadia".into(),
            last_name: "Benali".into(),
            email: email_for(&territory.slug, Role::Applicant),
            commune_residence: code.clone(),
            project_name: "Jeux coopératifs".into(),
            summary: "Des jeux de société coopératifs pour les écoles et les centres sociaux."
                .into(),
            stage: "idee".into(),
            consent: "oui".into(),
            ..Default::default()
        },
        &[code.as_str()],
    ))?;
    let application = app.store.submit_acc_application(scope, call, &a).await?;
    app.store
        .assign_acc_jury(
            agent,
            scope,
            call,
            app.person_id(territory, Role::CommitteeMember),
        )
        .await?;
    let now = app.store.now();
    app.clock.set(now + time::Duration::days(5));
    let project = app
        .store
        .decide_acc_application(
            agent,
            scope,
            application,
            &trame_domain::accompaniment::application::Decision {
                selected: true,
                reason: String::new(),
            },
        )
        .await;
    app.clock.set(now);
    let project = project?.ok_or_else(|| anyhow::anyhow!("no project"))?;
    let entry = check(trame_domain::accompaniment::participant::Entry::parse(
        &trame_domain::accompaniment::participant::EntryInput {
            first_name: "Nadia".into(),
            last_name: "Benali".into(),
            sex: "F".into(),
            birth_year: "1990".into(),
            entered_on: "2026-09-01".into(),
            status: "chomeur".into(),
            education: "cite_5_8".into(),
            disability: "ne_se_prononce_pas".into(),
            homeless: "non".into(),
            consent: "oui".into(),
        },
        app.store.now().date(),
    ))?;
    let participant = app
        .store
        .add_acc_participant(
            agent,
            scope,
            &trame_store::accompaniment::Team::Territory,
            project,
            &entry,
        )
        .await?;
    Ok(Programme {
        cohort,
        call,
        application,
        project,
        participant,
    })
}

fn form<'a>(pairs: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    pairs.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// A 2027 cohort, and its call published by the facilitator through the page, open from
/// `opens_on` to 2026-12-15: (the cohort's id, the call's id).
async fn cohort_and_call(app: &TestApp, title: &str, opens_on: &str) -> anyhow::Result<(i64, i64)> {
    let cohort = app
        .store
        .create_acc_cohort(
            app.person_id(&app.gpsea, Role::Agent),
            app.gpsea.scope(),
            &check(Cohort::parse(&CohortInput {
                name: format!("Promotion de « {title} »"),
                format: "parcours".into(),
                starts_on: "2027-01-04".into(),
                ends_on: "2027-06-30".into(),
                allocation: "15".into(),
                provider: String::new(),
            }))?,
        )
        .await?;
    let mut team = app.client_as(&app.gpsea, Role::Facilitator).await?;
    let r = team
        .post_form(
            "/gpsea/suivi-accompagnement/appels",
            &form(&[
                ("title", title.into()),
                ("cohort", cohort.to_string()),
                ("opens_on", opens_on.into()),
                ("closes_on", "2026-12-15".into()),
                ("description", "Pour les habitants du territoire.".into()),
            ]),
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let call = r.location().unwrap().rsplit('/').next().unwrap().parse()?;
    Ok((cohort, call))
}

#[tokio::test]
async fn a_person_applies_the_jury_marks_and_the_team_decides_after_closing() -> anyhow::Result<()>
{
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let (cohort, call) =
        cohort_and_call(&app, "Créer son activité d'ESS en 2027", "2026-11-02").await?;
    let mut team = app.client_as(&app.gpsea, Role::Facilitator).await?;
    // Anyone may apply, without an account; the page lists the open call.
    let mut public = app.client();
    let r = public.get("/gpsea/accompagnement").await?;
    assert!(
        r.body.contains("Créer son activité d&#39;ESS en 2027"),
        "{}",
        r.body
    );
    let path = format!("/gpsea/accompagnement/appels/{call}");
    let good = [
        ("kind", "personne".to_owned()),
        ("first_name", "Malik".to_owned()),
        ("last_name", "Haddad".to_owned()),
        ("email", "malik@example.org".to_owned()),
        ("commune_residence", String::new()),
        ("commune_activity", "94028".to_owned()),
        ("project_name", "Recyclerie du Mont-Mesly".to_owned()),
        (
            "summary",
            "Collecte, réparation et revente d'objets, avec des emplois d'insertion.".to_owned(),
        ),
        ("stage", "faisabilite".to_owned()),
        ("consent", "oui".to_owned()),
    ];
    // Bad input: neither living nor setting up on the territory, no consent, a bad email.
    let bad: Vec<(&str, String)> = good
        .iter()
        .map(|(k, v)| match *k {
            "commune_activity" | "consent" => (*k, String::new()),
            "email" => (*k, "malik@".to_owned()),
            _ => (*k, v.clone()),
        })
        .collect();
    let r = public.post_form(&path, &form(&bad)).await?;
    assert_eq!(r.status, 422, "{}", r.body);
    for field in ["commune_activity", "consent", "email"] {
        assert!(
            r.body.contains(&format!("id=\"{field}-error\"")),
            "{field}: {}",
            r.body
        );
    }
    assert!(r.body.contains("habitent le territoire"));
    let r = public.post_form(&path, &form(&good)).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let application: i64 = r.location().unwrap().rsplit('=').next().unwrap().parse()?;
    let r = public.get(r.location().unwrap()).await?;
    assert!(r.body.contains("Candidature reçue"));
    let outbox = app.store.outbox(scope, 10).await?;
    assert!(
        outbox
            .iter()
            .any(|m| m.recipient == "malik@example.org"
                && m.subject.starts_with("Candidature reçue"))
    );
    // The jury: a committee member added to the call, who marks; bad marks refused.
    let juror = app.person_id(&app.gpsea, Role::CommitteeMember);
    let r = team
        .post_form(
            &format!("/gpsea/suivi-accompagnement/appels/{call}/jury"),
            &[("person", &juror.to_string())],
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut jury = app.client_as(&app.gpsea, Role::CommitteeMember).await?;
    let r = jury.get("/gpsea/jury-accompagnement").await?;
    assert!(
        r.body.contains("Recyclerie du Mont-Mesly") && r.body.contains("à noter"),
        "{}",
        r.body
    );
    let note = format!("/gpsea/suivi-accompagnement/candidatures/{application}/note");
    let r = jury
        .post_form(
            &note,
            &[
                ("motivation", "6"),
                ("utilite", "4"),
                ("ancrage", "x"),
                ("faisabilite", "3"),
            ],
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"motivation-error\"") && r.body.contains("id=\"ancrage-error\""));
    let r = jury
        .post_form(
            &note,
            &[
                ("motivation", "5"),
                ("utilite", "4"),
                ("ancrage", "4"),
                ("faisabilite", "3"),
            ],
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = team
        .get(&format!("/gpsea/suivi-accompagnement/appels/{call}"))
        .await?;
    assert!(r.body.contains("16,0/20"), "{}", r.body);
    // The jury never sees the applicant's contact details.
    let r = jury
        .get(&format!(
            "/gpsea/suivi-accompagnement/candidatures/{application}"
        ))
        .await?;
    assert_eq!(r.status, 200);
    assert!(!r.body.contains("malik@example.org"));
    // No decision before closing.
    let decide = format!("/gpsea/suivi-accompagnement/candidatures/{application}/decision");
    let r = team.post_form(&decide, &[("decision", "retenue")]).await?;
    assert_eq!(r.status, 422);
    app.clock.set(app.store.now() + time::Duration::days(20));
    // Sessions lapse over 20 days: log in again.
    let mut team = app.client_as(&app.gpsea, Role::Facilitator).await?;
    let mut jury = app.client_as(&app.gpsea, Role::CommitteeMember).await?;
    // A refusal needs a reason; a selection makes the project.
    let r = team
        .post_form(&decide, &[("decision", "non_retenue"), ("reason", "non")])
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"reason-error\""));
    let r = team.post_form(&decide, &[("decision", "retenue")]).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let project: i64 = r.location().unwrap().rsplit('/').next().unwrap().parse()?;
    let r = team
        .post_form(
            &decide,
            &[
                ("decision", "non_retenue"),
                ("reason", "Changement d'avis du jury"),
            ],
        )
        .await?;
    assert_eq!(r.status, 422, "decided once");
    let projects = app
        .store
        .acc_projects(scope, &trame_store::accompaniment::Team::Territory, cohort)
        .await?;
    assert_eq!(projects.len(), 1);
    assert_eq!(projects[0].id, project);
    assert_eq!(projects[0].stage, "faisabilite");
    assert_eq!(projects[0].commune_code.as_deref(), Some("94028"));
    assert_eq!(projects[0].allocation_tenths, 150);
    let outbox = app.store.outbox(scope, 10).await?;
    assert!(
        outbox
            .iter()
            .any(|m| m.recipient == "malik@example.org" && m.body.contains("est retenue"))
    );
    // Marks are frozen once decided.
    let r = jury
        .post_form(
            &note,
            &[
                ("motivation", "1"),
                ("utilite", "1"),
                ("ancrage", "1"),
                ("faisabilite", "1"),
            ],
        )
        .await?;
    assert_eq!(r.status, 422);
    // A closed call takes no more applications.
    let r = public.post_form(&path, &form(&good)).await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Cet appel est clos"));
    Ok(())
}

#[tokio::test]
async fn advisers_record_the_journey_and_bad_values_are_refused_at_their_field()
-> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let p = programme(&app, &app.gpsea, None).await?;
    let mut adviser = app.client_as(&app.gpsea, Role::Facilitator).await?;
    let journal = app
        .store
        .audit_verify()
        .await?
        .iter()
        .map(|c| c.entries)
        .sum::<u64>();
    let base = format!("/gpsea/suivi-accompagnement/projets/{}", p.project);
    let session = |d: &str, dur: &str| {
        vec![
            ("held_on", d.to_owned()),
            ("duration", dur.to_owned()),
            ("session_kind", "individuel".to_owned()),
            (
                "summary",
                "Étude de marché : questionnaire auprès de 40 écoles.".to_owned(),
            ),
        ]
    };
    for (d, dur, field, says) in [
        ("2026-10-05", "-2", "duration", "positive"),
        ("2026-10-05", "14", "duration", "8 heures"),
        ("2026-08-20", "2", "held_on", "comprise dans la promotion"),
        ("2026-12-20", "2", "held_on", "à venir"),
    ] {
        let r = adviser
            .post_form(&format!("{base}/seances"), &form(&session(d, dur)))
            .await?;
        assert_eq!(r.status, 422, "{d} {dur}");
        assert!(
            r.body.contains(&format!("id=\"{field}-error\"")) && r.body.contains(says),
            "{d} {dur}: {says}"
        );
    }
    let after = app
        .store
        .audit_verify()
        .await?
        .iter()
        .map(|c| c.entries)
        .sum::<u64>();
    assert_eq!(journal, after, "nothing written");
    let r = adviser
        .post_form(
            &format!("{base}/seances"),
            &form(&session("2026-10-05", "1,5")),
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = adviser.get(&base).await?;
    assert!(
        r.body
            .contains("1,5\u{a0}h d'accompagnement individuel sur 20\u{a0}h"),
        "{}",
        r.body
    );
    assert!(r.body.contains("questionnaire auprès de 40 écoles"));
    // A stage skipped without a reason is refused; with one it passes.
    let r = adviser
        .post_form(&format!("{base}/etape"), &[("stage", "creation")])
        .await?;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("id=\"reason-error\"")
            && r.body.contains("saute l&#39;étape « Faisabilité »"),
        "{}",
        r.body
    );
    let r = adviser
        .post_form(
            &format!("{base}/etape"),
            &[
                ("stage", "creation"),
                ("reason", "Étude de faisabilité faite avec la CAE"),
            ],
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    // A legal creation needs its SIRET, and gives the project its SIRET.
    let r = adviser
        .post_form(
            &format!("{base}/jalons"),
            &[
                ("milestone", "creation_juridique"),
                ("reached_on", "2026-11-02"),
            ],
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"siret-error\""));
    let r = adviser
        .post_form(
            &format!("{base}/jalons"),
            &[
                ("milestone", "creation_juridique"),
                ("reached_on", "2026-11-02"),
                ("siret", "73282932000074"),
            ],
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = adviser
        .post_form(
            &format!("{base}/jalons"),
            &[
                ("milestone", "creation_juridique"),
                ("reached_on", "2026-11-03"),
                ("siret", "73282932000074"),
            ],
        )
        .await?;
    assert_eq!(r.status, 422, "once");
    // An outcome six months after the end cannot be noted yet.
    let r = adviser
        .post_form(
            &format!("{base}/resultats"),
            &[
                ("moment", "6_mois"),
                ("observed_on", "2026-11-20"),
                ("active", "oui"),
                ("jobs", "1"),
            ],
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"observed_on-error\""));
    // A workshop: the projects present gain its hours.
    let r = adviser
        .post_form(
            &format!(
                "/gpsea/suivi-accompagnement/promotions/{}/ateliers",
                p.cohort
            ),
            &[
                ("held_on", "2026-10-12"),
                ("duration", "3"),
                ("theme", "Gouvernance coopérative"),
                ("speaker", "Union régionale des Scop"),
                ("present", &p.project.to_string()),
            ],
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let v = app
        .store
        .acc_project_view(
            scope,
            &trame_store::accompaniment::Reader::Team(
                trame_store::accompaniment::Team::Territory,
                0,
            ),
            p.project,
        )
        .await?;
    assert_eq!(v.project.individual_tenths, 15);
    assert_eq!(v.project.collective_tenths, 30);
    assert_eq!(v.project.stage, "creation");
    assert_eq!(v.project.siret.as_deref(), Some("73282932000074"));
    assert_eq!(v.workshops.len(), 1);
    // Another member of the team sees the session but not its summary.
    let mut agent = app.client_as(&app.gpsea, Role::Agent).await?;
    let r = agent.get(&base).await?;
    assert_eq!(r.status, 200);
    assert!(!r.body.contains("questionnaire auprès de 40 écoles"));
    assert!(r.body.contains("Compte rendu réservé"));
    // The holder reads it on their own page; the jury and the public cannot reach it.
    let mut holder = app.client_as(&app.gpsea, Role::Applicant).await?;
    let r = holder.get("/gpsea/mon-accompagnement").await?;
    assert!(r.body.contains("Jeux coopératifs"), "{}", r.body);
    let r = holder
        .get(&format!("/gpsea/mon-accompagnement/{}", p.project))
        .await?;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("questionnaire auprès de 40 écoles"));
    let mut jury = app.client_as(&app.gpsea, Role::CommitteeMember).await?;
    assert_eq!(jury.get(&base).await?.status, 403);
    assert_ne!(app.client().get(&base).await?.status, 200);
    // Another territory's holder with the same project id finds nothing.
    let mut other = app.client_as(&app.other, Role::Applicant).await?;
    assert_eq!(
        other
            .get(&format!(
                "/{}/mon-accompagnement/{}",
                app.other.slug, p.project
            ))
            .await?
            .status,
        404
    );
    // The team proposes the project for the showcase: a person shows by first name only,
    // and nothing is public before the consent is recorded there.
    let vitrine = format!("{base}/vitrine");
    let r = adviser.post_form(&vitrine, &[]).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(
        r.location()
            .unwrap()
            .starts_with("/gpsea/admin/projets-soutenus/")
    );
    let shown = app.store.showcase(scope, false).await?;
    let entry = shown
        .iter()
        .find(|e| e.scheme == "Accompagnement ESS")
        .unwrap();
    assert_eq!(entry.name, "Nadia — Jeux coopératifs");
    assert!(!entry.published);
    assert_eq!(adviser.post_form(&vitrine, &[]).await?.status, 422);
    let r = app.client().get("/gpsea/projets-soutenus").await?;
    assert!(!r.body.contains("Jeux coopératifs"));
    Ok(())
}

#[tokio::test]
async fn a_support_provider_reaches_its_own_cohorts_only() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let admin = app.person_id(&app.gpsea, Role::TerritoryAdmin);
    let org = |name: &str, rna: &str| {
        trame_domain::organisation::Organisation::parse(
            &trame_domain::organisation::OrganisationInput {
                name: name.into(),
                rna: rna.into(),
                legal_form: "association".into(),
                ..Default::default()
            },
            app.store.now().date(),
        )
    };
    let ours = app
        .store
        .create_organisation(
            Some(admin),
            scope,
            &check(org("Coopérative d'accompagnement", "W941000001"))?,
        )
        .await?
        .id;
    let theirs = app
        .store
        .create_organisation(
            Some(admin),
            scope,
            &check(org("Autre prestataire", "W941000002"))?,
        )
        .await?
        .id;
    let partner = app.person_id(&app.gpsea, Role::Partner);
    app.store
        .add_organisation_member(admin, scope, ours, partner)
        .await?;
    let mine = programme(&app, &app.gpsea, Some(ours)).await?;
    let agent = app.person_id(&app.gpsea, Role::Agent);
    let other_cohort = app
        .store
        .create_acc_cohort(
            agent,
            scope,
            &check(Cohort::parse(&CohortInput {
                name: "Heures de conseil 2026".into(),
                format: "conseil".into(),
                starts_on: "2026-09-01".into(),
                ends_on: "2026-12-31".into(),
                allocation: "10".into(),
                provider: theirs.to_string(),
            }))?,
        )
        .await?;
    let mut p = app.client_as(&app.gpsea, Role::Partner).await?;
    let r = p.get("/gpsea/suivi-accompagnement").await?;
    assert!(
        r.body.contains("Promotion 2026 gpsea") && !r.body.contains("Heures de conseil 2026"),
        "{}",
        r.body
    );
    assert_eq!(
        p.get(&format!(
            "/gpsea/suivi-accompagnement/promotions/{}",
            mine.cohort
        ))
        .await?
        .status,
        200
    );
    assert_eq!(
        p.get(&format!(
            "/gpsea/suivi-accompagnement/promotions/{other_cohort}"
        ))
        .await?
        .status,
        404
    );
    let r = p
        .post_form(
            &format!("/gpsea/suivi-accompagnement/promotions/{other_cohort}/ateliers"),
            &[
                ("held_on", "2026-10-12"),
                ("duration", "3"),
                ("theme", "Compta"),
                ("speaker", "X"),
            ],
        )
        .await?;
    assert_eq!(r.status, 404);
    // The provider records a session in its own cohort, and may not create calls.
    let r = p
        .post_form(
            &format!(
                "/gpsea/suivi-accompagnement/projets/{}/seances",
                mine.project
            ),
            &[
                ("held_on", "2026-11-20"),
                ("duration", "2"),
                ("session_kind", "individuel"),
                ("summary", "Statuts de la SCIC."),
            ],
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        p.post_form("/gpsea/suivi-accompagnement/appels", &[("title", "x")])
            .await?
            .status,
        403
    );
    Ok(())
}

#[tokio::test]
async fn the_demo_has_a_finished_cohort_one_in_progress_and_an_open_call() -> anyhow::Result<()> {
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
    let mut public = trame_testkit::Client::new(router.clone(), [127, 0, 0, 1].into());
    let r = public.get("/gpsea/accompagnement").await?;
    assert!(
        r.body.contains("Appel à candidatures 2027") && r.body.contains("Ouvert"),
        "{}",
        r.body
    );
    let login = |email: &'static str| {
        let router = router.clone();
        async move {
            let mut c = trame_testkit::Client::new(router, [127, 0, 0, 2].into());
            let r = c.login(email, trame_store::demo::DEMO_PASSWORD).await?;
            anyhow::ensure!(r.status == 303, "login {email}: {}", r.status);
            anyhow::Ok(c)
        }
    };
    // The facilitator sees both cohorts; the provider's member the 2026 one only.
    let mut f = login("accompagnement@demo.trame.test").await?;
    let r = f.get("/gpsea/suivi-accompagnement").await?;
    assert!(
        r.body.contains("Promotion 2025") && r.body.contains("Promotion 2026"),
        "{}",
        r.body
    );
    let mut p = login("partenaire@demo.trame.test").await?;
    let r = p.get("/gpsea/suivi-accompagnement").await?;
    assert!(
        !r.body.contains("Promotion 2025") && r.body.contains("Promotion 2026"),
        "{}",
        r.body
    );
    let t = store.territory_by_slug("gpsea").await?;
    let team = trame_store::accompaniment::Team::Territory;
    let cohorts = store.acc_cohorts(t.scope(), &team).await?;
    let mut names = Vec::new();
    for c in &cohorts {
        for project in store.acc_projects(t.scope(), &team, c.id).await? {
            names.push(project.name);
        }
    }
    for name in [
        "Les Archéotrucs",
        "Jeux coopératifs",
        "Coop'Cot",
        "Créteil ressourcerie",
        "Facilymode",
        "US Alfortville Rugby « Passe à table »",
    ] {
        assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
    }
    // The games entrepreneur is the demo applicant account, who reads the summaries.
    let mut holder = login("porteur@demo.trame.test").await?;
    let r = holder.get("/gpsea/mon-accompagnement").await?;
    assert!(r.body.contains("Jeux coopératifs"), "{}", r.body);
    let id = store
        .acc_holder_projects(t.scope(), "porteur@demo.trame.test")
        .await?[0]
        .id;
    let r = holder
        .get(&format!("/gpsea/mon-accompagnement/{id}"))
        .await?;
    assert!(
        r.body.contains("Modèle économique : prix, charges"),
        "{}",
        r.body
    );
    // Every demo page answers.
    for c in &cohorts {
        assert_eq!(
            f.get(&format!("/gpsea/suivi-accompagnement/promotions/{}", c.id))
                .await?
                .status,
            200
        );
    }
    // The dashboard: six projects; the finished cohort's latest outcomes say 7,5 jobs.
    let r = f.get("/gpsea/suivi-accompagnement/tableau-de-bord").await?;
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("6 projet(s) accompagné(s)") && r.body.contains("7,5 emploi(s)"),
        "{}",
        r.body
    );
    let r = f
        .get("/gpsea/suivi-accompagnement/tableau-de-bord?annee=2026")
        .await?;
    assert!(r.body.contains("3 projet(s) accompagné(s)"), "{}", r.body);
    // The funder's export holds the six holders, without their names.
    let r = f.get("/gpsea/suivi-accompagnement/fse/export/csv").await?;
    assert_eq!(r.body.lines().count(), 7, "{}", r.body);
    assert!(!r.body.contains("Porteuse"));
    // The equity dashboard counts them per commune, publicly.
    let r = public
        .get("/gpsea/equite?indicateur=accompagnement")
        .await?;
    assert_eq!(r.status, 200);
    assert!(
        r.body
            .contains("Projets d&#39;ESS accompagnés pour 10 000 habitants")
    );
    let r = public.get("/gpsea/equite.csv").await?;
    let header = r.body.lines().next().unwrap_or_default().to_owned();
    assert!(
        header.ends_with(
            "projets_ess_accompagnes,emplois_crees_etp,sorties_positives_parcours,embauches_forums"
        ),
        "{header}"
    );
    let creteil = r
        .body
        .lines()
        .find(|l| l.starts_with("94028"))
        .unwrap_or_default()
        .to_owned();
    assert!(creteil.ends_with(",1,4.0,1,1"), "{creteil}");
    assert_eq!(
        f.get(&format!("/gpsea/suivi-accompagnement/projets/{id}"))
            .await?
            .status,
        200
    );
    Ok(())
}

#[tokio::test]
async fn participants_give_the_funder_its_indicators_without_their_names() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let p = programme(&app, &app.gpsea, None).await?;
    let mut adviser = app.client_as(&app.gpsea, Role::Facilitator).await?;
    let path = format!(
        "/gpsea/suivi-accompagnement/projets/{}/participants",
        p.project
    );
    let entry = [
        ("first_name", "Karim"),
        ("last_name", "Saïdi"),
        ("sex", "M"),
        ("birth_year", "1984"),
        ("entered_on", "2026-09-07"),
        ("status", "chomeur_longue_duree"),
        ("education", "cite_3_4"),
        ("disability", "non"),
        ("homeless", "ne_se_prononce_pas"),
    ];
    // Without the person's consent nothing is recorded.
    let r = adviser.post_form(&path, &entry).await?;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"consent-error\""));
    let mut with = entry.to_vec();
    with.push(("consent", "oui"));
    let r = adviser.post_form(&path, &with).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = adviser
        .get(&format!(
            "/gpsea/suivi-accompagnement/projets/{}",
            p.project
        ))
        .await?;
    assert!(r.body.contains("Karim Saïdi"), "{}", r.body);
    // Six months after cannot come before the exit; the exit then the six months pass.
    let situation = format!(
        "/gpsea/suivi-accompagnement/participants/{}/situation",
        p.participant
    );
    let r = adviser
        .post_form(
            &situation,
            &[
                ("moment", "6_mois"),
                ("observed_on", "2026-11-20"),
                ("status", "activite_creee"),
            ],
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"moment-error\""));
    let r = adviser
        .post_form(
            &situation,
            &[
                ("moment", "sortie"),
                ("observed_on", "2026-11-20"),
                ("status", "activite_creee"),
            ],
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    // The export: one line per participant, indicators without names.
    let r = adviser
        .get("/gpsea/suivi-accompagnement/fse/export/csv?annee=2026")
        .await?;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Situation à l'entrée"), "{}", r.body);
    assert!(r.body.contains("Demandeur d'emploi depuis 12 mois ou plus"));
    assert!(r.body.contains("A créé son activité"));
    assert!(r.body.contains("26 à 49 ans"));
    assert!(!r.body.contains("Saïdi") && !r.body.contains("Benali"));
    assert_eq!(r.body.lines().count(), 3, "{}", r.body);
    let r = adviser
        .get("/gpsea/suivi-accompagnement/fse/export/xlsx")
        .await?;
    assert_eq!(r.status, 200);
    assert!(r.bytes.starts_with(b"PK"));
    // The reads are in the access log.
    assert!(
        app.store
            .access_log_count(app.person_id(&app.gpsea, Role::Facilitator))
            .await?
            >= 3
    );
    // A provider's member cannot export.
    let mut partner = app.client_as(&app.gpsea, Role::Partner).await?;
    assert_eq!(
        partner
            .get("/gpsea/suivi-accompagnement/fse/export/csv")
            .await?
            .status,
        403
    );
    Ok(())
}

#[tokio::test]
async fn the_holder_passes_the_project_to_the_call_for_projects_pre_filled() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let prog = programme(&app, &app.gpsea, None).await?;
    let agent = app.person_id(&app.gpsea, Role::Agent);
    app.store
        .record_acc_milestone(
            agent,
            scope,
            &trame_store::accompaniment::Team::Territory,
            prog.project,
            &check(trame_domain::accompaniment::journey::Milestone::parse(
                &trame_domain::accompaniment::journey::MilestoneInput {
                    milestone: "premier_client".into(),
                    reached_on: "2026-11-20".into(),
                    ..Default::default()
                },
                app.store.now().date(),
            ))?,
        )
        .await?;
    let mut holder = app.client_as(&app.gpsea, Role::Applicant).await?;
    let page = format!("/gpsea/mon-accompagnement/{}", prog.project);
    let post = format!("{page}/appel-a-projets");
    // No call for projects open: the page says so.
    let r = holder.get(&page).await?;
    assert!(
        r.body
            .contains("Aucun appel à projets n&#39;accepte de dossier aujourd&#39;hui")
            || r.body
                .contains("Aucun appel à projets n'accepte de dossier aujourd'hui"),
        "{}",
        r.body
    );
    let edition = crate::funding::open_edition(&app, &app.gpsea).await?;
    // Open, but the account acts for no structure yet.
    let r = holder.get(&page).await?;
    assert!(r.body.contains("aucune structure"), "{}", r.body);
    let org = crate::funding::applicants_association(&app).await?;
    let stranger = crate::funding::association(&app, "Autre association", "W941000999").await?;
    let r = holder.get(&page).await?;
    assert!(
        r.body.contains("Préparer le dossier prérempli") && r.body.contains("Ressourcerie"),
        "{}",
        r.body
    );
    // Bad input: no edition, an organisation the holder does not act for; nothing written.
    for fields in [
        vec![
            ("edition", "x".to_owned()),
            ("organisation", org.id.to_string()),
        ],
        vec![
            ("edition", edition.to_string()),
            ("organisation", stranger.id.to_string()),
        ],
    ] {
        let r = holder.post_form(&post, &form(&fields)).await?;
        assert_eq!(r.status, 422, "{}", r.body);
        let field = if fields[0].1 == "x" {
            "edition"
        } else {
            "organisation"
        };
        assert!(
            r.body.contains(&format!("id=\"{field}-error\"")),
            "{field}: {}",
            r.body
        );
    }
    let count = |app: &TestApp| {
        let store = app.store.clone();
        async move {
            anyhow::Ok(
                store
                    .audit_list(scope, 1000)
                    .await?
                    .iter()
                    .filter(|e| e.action == "acc_project.dossier" || e.action == "dossier.create")
                    .count(),
            )
        }
    };
    assert_eq!(count(&app).await?, 0);
    // Another account with the applicant's role cannot pass the project: 404.
    let mut other = app.client_as(&app.other, Role::Applicant).await?;
    let r = other
        .post_form(
            &format!(
                "/{}/mon-accompagnement/{}/appel-a-projets",
                app.other.slug, prog.project
            ),
            &[
                ("edition", &edition.to_string()),
                ("organisation", &org.id.to_string()),
            ],
        )
        .await?;
    assert_eq!(r.status, 404, "{}", r.body);
    // The holder passes it: a draft of the association, pre-filled.
    let good = [
        ("edition", edition.to_string()),
        ("organisation", org.id.to_string()),
    ];
    let r = holder.post_form(&post, &form(&good)).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let dossier = crate::funding::id_after(&r, "/gpsea/mes-dossiers/");
    let r = holder
        .get(&format!("/gpsea/mes-dossiers/{dossier}"))
        .await?;
    assert_eq!(r.status, 200);
    for text in [
        "Jeux coopératifs",
        "Des jeux de société coopératifs pour les écoles",
        "Promotion 2026 gpsea",
        "Premier client le 20/11/2026",
    ] {
        assert!(r.body.contains(text), "{text}: {}", r.body);
    }
    let row = app.store.dossier(scope, dossier).await?;
    assert_eq!(
        (
            row.organisation_id,
            row.edition_id,
            row.state.as_str(),
            row.title.as_str()
        ),
        (org.id, edition, "brouillon", "Jeux coopératifs")
    );
    // A second click leads to the same dossier; nothing more is written.
    let r = holder.post_form(&post, &form(&good)).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        crate::funding::id_after(&r, "/gpsea/mes-dossiers/"),
        dossier
    );
    assert_eq!(count(&app).await?, 2);
    let r = holder.get(&page).await?;
    assert!(r.body.contains(&row.reference), "{}", r.body);
    // The team sees where the dossier stands, the instructors with a link to it.
    let mut team = app.client_as(&app.gpsea, Role::Agent).await?;
    let r = team
        .get(&format!(
            "/gpsea/suivi-accompagnement/projets/{}",
            prog.project
        ))
        .await?;
    assert!(
        r.body
            .contains(&format!("/gpsea/instruction/{dossier}\">{}", row.reference)),
        "{}",
        r.body
    );
    Ok(())
}

#[tokio::test]
async fn the_team_corrects_the_holder_and_names_the_referent_adviser() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let p = programme(&app, &app.gpsea, None).await?;
    let base = format!("/gpsea/suivi-accompagnement/projets/{}", p.project);
    let mut facilitator = app.client_as(&app.gpsea, Role::Facilitator).await?;
    let mut agent = app.client_as(&app.gpsea, Role::Agent).await?;
    let secret = "Plan de financement : prêt d'honneur de 8 000 euros.";
    let r = facilitator
        .post_form(
            &format!("{base}/seances"),
            &[
                ("held_on", "2026-10-05"),
                ("duration", "2"),
                ("session_kind", "individuel"),
                ("summary", secret),
            ],
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    // The facilitator ran the first session: the referent, the only adviser who reads it.
    let r = agent.get(&base).await?;
    assert!(!r.body.contains("prêt d&#39;honneur") && !r.body.contains("prêt d'honneur"));
    let people = |app: &TestApp| {
        let store = app.store.clone();
        async move {
            anyhow::Ok(
                store
                    .audit_list(app_scope(&store).await?, 1000)
                    .await?
                    .iter()
                    .filter(|e| e.action == "acc_project.people")
                    .count(),
            )
        }
    };
    // Bad input, each at its field; a committee member is not of the team; nothing written.
    let juror = app.person_id(&app.gpsea, Role::CommitteeMember).to_string();
    for (email, adviser, field) in [
        ("pas-une-adresse", "", "holder_email"),
        ("nadia@example.org", "quelqu'un", "adviser"),
        ("nadia@example.org", juror.as_str(), "adviser"),
    ] {
        let r = agent
            .post_form(
                &format!("{base}/porteur"),
                &[("holder_email", email), ("adviser", adviser)],
            )
            .await?;
        assert_eq!(r.status, 422, "{email} {adviser}: {}", r.body);
        assert!(
            r.body.contains(&format!("id=\"{field}-error\"")),
            "{field}: {}",
            r.body
        );
    }
    assert_eq!(people(&app).await?, 0);
    // The agent becomes the referent and reads the summary now.
    let holder = email_for("gpsea", Role::Applicant);
    let me = app.person_id(&app.gpsea, Role::Agent).to_string();
    let r = agent
        .post_form(
            &format!("{base}/porteur"),
            &[("holder_email", holder.as_str()), ("adviser", me.as_str())],
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = agent.get(&base).await?;
    assert!(r.body.contains("prêt d&#39;honneur") || r.body.contains("prêt d'honneur"));
    // The holder's email corrected to another address: the applicant account loses the
    // project, which the new address's account would follow.
    let mut applicant = app.client_as(&app.gpsea, Role::Applicant).await?;
    let mine = format!("/gpsea/mon-accompagnement/{}", p.project);
    assert_eq!(applicant.get(&mine).await?.status, 200);
    let r = agent
        .post_form(
            &format!("{base}/porteur"),
            &[
                ("holder_email", " Nadia.Benali@Example.org "),
                ("adviser", me.as_str()),
            ],
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(applicant.get(&mine).await?.status, 404);
    assert!(
        agent
            .get(&base)
            .await?
            .body
            .contains("nadia.benali@example.org")
    );
    assert_eq!(people(&app).await?, 2);
    Ok(())
}

async fn app_scope(store: &trame_store::Store) -> anyhow::Result<trame_store::Scope> {
    Ok(store.territory_by_slug("gpsea").await?.scope())
}

#[tokio::test]
async fn the_dashboard_counts_each_projects_latest_outcome() -> anyhow::Result<()> {
    use trame_domain::accompaniment::journey::{Outcome, OutcomeInput};
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let p = programme(&app, &app.gpsea, None).await?;
    let agent = app.person_id(&app.gpsea, Role::Agent);
    let team = trame_store::accompaniment::Team::Territory;
    let start = app.store.now();
    let record = |moment: &str, on: &str, active: &str, jobs: &str, today: time::Date| {
        check(Outcome::parse(
            &OutcomeInput {
                moment: moment.into(),
                observed_on: on.into(),
                active: active.into(),
                jobs: jobs.into(),
                funds: String::new(),
            },
            time::macros::date!(2027 - 02 - 26),
            today,
        ))
    };
    let totals = |d: trame_store::accompaniment::Dashboard| {
        (d.total.jobs_tenths, d.total.active, d.total.with_outcome)
    };
    assert_eq!(
        totals(app.store.acc_dashboard(scope, None, None).await?),
        (0, 0, 0)
    );
    // At the end: one job, the activity going on.
    app.clock.set(start + time::Duration::days(110));
    let end = record("fin", "2027-03-05", "oui", "1", app.store.now().date())?;
    app.store
        .set_acc_outcome(agent, scope, &team, p.project, &end)
        .await?;
    assert_eq!(
        totals(app.store.acc_dashboard(scope, None, None).await?),
        (10, 1, 1)
    );
    // Six months later the activity stopped with 2.5 jobs: the latest outcome counts.
    app.clock.set(start + time::Duration::days(290));
    let later = record("6_mois", "2027-09-01", "non", "2,5", app.store.now().date())?;
    app.store
        .set_acc_outcome(agent, scope, &team, p.project, &later)
        .await?;
    assert_eq!(
        totals(app.store.acc_dashboard(scope, None, None).await?),
        (25, 0, 1)
    );
    // Correcting the end's outcome does not replace a later one.
    let end = record("fin", "2027-03-05", "oui", "3", app.store.now().date())?;
    app.store
        .set_acc_outcome(agent, scope, &team, p.project, &end)
        .await?;
    assert_eq!(
        totals(app.store.acc_dashboard(scope, None, None).await?),
        (25, 0, 1)
    );
    app.clock.set(start);
    Ok(())
}

#[tokio::test]
async fn the_territorys_day_begins_at_midnight_in_paris_not_in_greenwich() -> anyhow::Result<()> {
    use time::macros::datetime;
    let app = TestApp::spawn().await?;
    let (_, call) = cohort_and_call(&app, "Appel du 27 novembre", "2026-11-27").await?;
    let path = format!("/gpsea/accompagnement/appels/{call}");
    let fields = [
        ("kind", "personne".into()),
        ("first_name", "Inès".into()),
        ("last_name", "Minuit".into()),
        ("email", "ines@example.org".into()),
        ("commune_residence", String::new()),
        ("commune_activity", "94028".into()),
        ("project_name", "Café associatif".into()),
        (
            "summary",
            "Un café associatif ouvert aux habitants du quartier.".into(),
        ),
        ("stage", "idee".into()),
        ("consent", "oui".into()),
    ];
    let application = form(&fields);
    let mut public = app.client();
    // 23:30 in Paris on the 26th (22:30 UTC): not open yet.
    app.clock.set(datetime!(2026-11-26 22:30 UTC));
    let r = public.post_form(&path, &application).await?;
    assert_ne!(
        r.status, 303,
        "the call is not open before midnight in Paris"
    );
    // 00:30 in Paris on the 27th is still the 26th in UTC: the call is open.
    app.clock.set(datetime!(2026-11-26 23:30 UTC));
    let page = public.get("/gpsea/accompagnement").await?;
    assert!(page.body.contains("Appel du 27 novembre"), "{}", page.body);
    let r = public.post_form(&path, &application).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    Ok(())
}
