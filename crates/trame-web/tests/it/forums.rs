//! Employment forums: the team's pages, the public registration, a capacity that holds
//! when many register at once, check-in on the day and the hires traced to the forum.

use crate::funding::{association, id_after};
use trame_domain::pathways::forum::{Forum, ForumInput, Registration, RegistrationInput};
use trame_domain::role::Role;
use trame_testkit::TestApp;

/// A forum of `territory` on 2026-12-10 in Créteil with `capacity` places.
pub async fn forum(
    app: &TestApp,
    territory: &trame_store::territories::Territory,
    capacity: i32,
) -> anyhow::Result<i64> {
    let f = Forum::parse(
        &ForumInput {
            title: "Forum de l'emploi de Créteil".into(),
            held_on: "2026-12-10".into(),
            place: "Maison des syndicats, 11 rue des Archives".into(),
            commune: "94028".into(),
            theme: "Métiers du soin et de la propreté".into(),
            capacity: capacity.to_string(),
        },
        &["94028"],
        app.store.now().date(),
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    Ok(app
        .store
        .create_forum(app.person_id(territory, Role::Agent), territory.scope(), &f)
        .await?)
}

fn seeker(n: usize) -> Registration {
    Registration::parse(
        &RegistrationInput {
            first_name: format!("Personne{n}"),
            last_name: "Test".into(),
            email: format!("personne{n}@exemple.fr"),
            phone: String::new(),
            commune: "94028".into(),
            consent: "oui".into(),
        },
        &["94028"],
    )
    .expect("valid")
}

#[tokio::test]
async fn two_hundred_registering_at_once_take_exactly_fifty_places() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let id = forum(&app, &app.gpsea, 50).await?;
    let scope = app.gpsea.scope();
    let mut tasks = Vec::new();
    for n in 0..200 {
        let store = app.store.clone();
        tasks.push(tokio::spawn(async move {
            store.register_to_forum(None, scope, id, &seeker(n)).await
        }));
    }
    let (mut taken, mut full, mut other) = (0, 0, Vec::new());
    for t in tasks {
        match t.await? {
            Ok(_) => taken += 1,
            Err(trame_store::StoreError::Conflict {
                field: "forum",
                message,
            }) if message.contains("complet") => full += 1,
            Err(e) => other.push(e.to_string()),
        }
    }
    assert!(other.is_empty(), "{other:?}");
    assert_eq!((taken, full), (50, 150));
    let v = app.store.forum_view(scope, id).await?;
    assert_eq!(v.forum.registered, 50);
    let admin = app.person_id(&app.gpsea, Role::Agent);
    assert_eq!(
        app.store.forum_registrations(admin, scope, id).await?.len(),
        50
    );
    Ok(())
}

#[tokio::test]
async fn a_forum_from_announcement_to_hires_through_the_pages() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut agent = app.client_as(&app.gpsea, Role::Agent).await?;
    // Announced in the past: refused; then announced with 2 places.
    let mut form = vec![
        ("title", "Forum de l'emploi de Créteil"),
        ("held_on", "2026-11-01"),
        ("place", "Maison des syndicats"),
        ("commune", "94028"),
        ("theme", "Métiers du soin"),
        ("capacity", "2"),
    ];
    let r = agent.post_form("/gpsea/gestion-forums", &form).await?;
    assert_eq!(r.status, 422);
    form[1] = ("held_on", "2026-12-10");
    let r = agent.post_form("/gpsea/gestion-forums", &form).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let id = id_after(&r, "/gpsea/gestion-forums/");
    let base = format!("/gpsea/gestion-forums/{id}");
    let r = agent
        .post_form(
            &format!("{base}/employeurs"),
            &[("name", "Clinique des Bords de Marne"), ("siret", "123")],
        )
        .await?;
    assert_eq!(r.status, 422);
    let r = agent
        .post_form(
            &format!("{base}/employeurs"),
            &[
                ("name", "Clinique des Bords de Marne"),
                ("siret", "73282932000074"),
            ],
        )
        .await?;
    assert_eq!(r.status, 303);
    let v = app.store.forum_view(app.gpsea.scope(), id).await?;
    let employer = v.employers[0].0.id.to_string();
    let (contract, _) = crate::clauses::contract_and_person(
        &app,
        &app.gpsea,
        association(&app, "Entreprise de propreté", "W941000210")
            .await?
            .id,
    )
    .await?;
    let r = agent
        .post_form(
            &format!("{base}/offres"),
            &[
                ("offer_employer", &employer),
                ("title", "Agent de service hospitalier"),
                ("contract", "CDD de 6 mois"),
                ("positions", "3"),
                ("clause_contract", &contract.to_string()),
            ],
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    // The public page shows the offers; a person registers, once.
    let mut public = app.client();
    let page = public.get(&format!("/gpsea/forums/{id}")).await?;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Agent de service hospitalier"));
    assert!(page.body.contains("clause d'insertion</span>"));
    assert!(page.body.contains("2 libre(s) sur 2"));
    let person = [
        ("first_name", "Inès"),
        ("last_name", "Martin"),
        ("email", "ines.martin@exemple.fr"),
        ("commune", "94028"),
        ("consent", "oui"),
    ];
    let r = public
        .post_form(
            &format!("/gpsea/forums/{id}"),
            &[("first_name", "Inès"), ("email", "pas-une-adresse")],
        )
        .await?;
    assert_eq!(r.status, 422);
    let r = public
        .post_form(&format!("/gpsea/forums/{id}"), &person)
        .await?;
    assert_eq!(r.status, 303);
    assert!(
        public
            .get(
                r.location()
                    .unwrap_or_default()
                    .split('#')
                    .next()
                    .unwrap_or_default()
            )
            .await?
            .body
            .contains("inscription est enregistrée")
    );
    let r = public
        .post_form(&format!("/gpsea/forums/{id}"), &person)
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("déjà inscrite"));
    // A counsellor registers a pathway participant: the last place.
    let receiver = association(&app, "Mobilité solidaire", "W941000202").await?;
    let p = crate::pathways::pathway(&app, &app.gpsea, receiver.id).await?;
    let mut counsellor = app.client_as(&app.gpsea, Role::Partner).await?;
    let r = counsellor
        .post_form(
            &format!("/gpsea/parcours/{}/forum", p.file),
            &[("forum", &id.to_string())],
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    // Full: the next one is refused, and nothing is written.
    let r = public
        .post_form(
            &format!("/gpsea/forums/{id}"),
            &[
                ("first_name", "Léa"),
                ("last_name", "Roux"),
                ("email", "lea@exemple.fr"),
                ("consent", "oui"),
            ],
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Le forum est complet"), "{}", r.body);
    // Before the day, nobody is checked in.
    let regs = app
        .store
        .forum_registrations(
            app.person_id(&app.gpsea, Role::Agent),
            app.gpsea.scope(),
            id,
        )
        .await?;
    assert_eq!(regs.len(), 2);
    let diallo = regs
        .iter()
        .find(|r| r.last_name == "Diallo")
        .expect("registered")
        .id
        .to_string();
    let r = agent
        .post_form(&format!("{base}/presence"), &[("registration", &diallo)])
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("on ne l&#39;enregistre pas avant"));
    // On the day: checked in, then hired; the hire shows on the pathway file.
    app.clock.set(time::macros::datetime!(2026-12-10 09:00 UTC));
    let mut agent = app.client_as(&app.gpsea, Role::Agent).await?;
    let r = agent
        .post_form(&format!("{base}/presence"), &[("registration", &diallo)])
        .await?;
    assert_eq!(r.status, 303);
    let r = agent
        .post_form(
            &format!("{base}/resultats"),
            &[
                ("registration", &diallo),
                ("employer", &employer),
                ("kind", "embauche"),
            ],
        )
        .await?;
    assert_eq!(r.status, 303);
    let page = agent.get(&base).await?;
    assert!(
        page.body.contains("<dt>Embauches</dt><dd>1</dd>"),
        "{}",
        page.body
    );
    let mut counsellor = app.client_as(&app.gpsea, Role::Partner).await?;
    let file = counsellor
        .get(&format!("/gpsea/parcours/{}", p.file))
        .await?;
    assert!(
        file.body.contains("Embauche — Clinique des Bords de Marne"),
        "{}",
        file.body
    );
    // After the day, registration is closed.
    app.clock.set(time::macros::datetime!(2026-12-11 09:00 UTC));
    let r = public
        .post_form(
            &format!("/gpsea/forums/{id}"),
            &[
                ("first_name", "Léa"),
                ("last_name", "Roux"),
                ("email", "lea@exemple.fr"),
                ("consent", "oui"),
            ],
        )
        .await?;
    assert_eq!(r.status, 422);
    Ok(())
}

#[tokio::test]
async fn positive_exits_and_forum_hires_join_the_equity_dashboard() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let agent = app.person_id(&app.gpsea, Role::Agent);
    let id = forum(&app, &app.gpsea, 10).await?;
    let employer = app
        .store
        .add_forum_employer(
            agent,
            scope,
            id,
            &trame_domain::pathways::forum::Employer::parse(
                &trame_domain::pathways::forum::EmployerInput {
                    name: "Régie".into(),
                    siret: "73282932000074".into(),
                },
            )
            .map_err(|e| anyhow::anyhow!("{e:?}"))?,
        )
        .await?;
    let seat = app
        .store
        .register_to_forum(None, scope, id, &seeker(1))
        .await?;
    app.clock.set(time::macros::datetime!(2026-12-10 09:00 UTC));
    app.store
        .record_forum_result(
            agent,
            scope,
            id,
            &trame_domain::pathways::forum::ForumResult {
                registration: seat,
                employer,
                offer: None,
                kind: trame_domain::pathways::forum::ResultKind::Hire,
            },
        )
        .await?;
    let receiver = association(&app, "Mobilité solidaire", "W941000202").await?;
    let p = crate::pathways::pathway(&app, &app.gpsea, receiver.id).await?;
    let partner = app.person_id(&app.gpsea, Role::Partner);
    let e = trame_domain::pathways::pathway::Exit::parse(
        &trame_domain::pathways::pathway::ExitInput {
            reason: "cdd_6_mois".into(),
            exited_on: "2026-12-09".into(),
            note: String::new(),
        },
        trame_domain::pathways::pathway::Days::of(time::macros::date!(2026 - 03 - 02), 36),
        app.store.now().date(),
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    app.store.exit_path_file(partner, scope, p.file, &e).await?;
    let mut public = app.client();
    let csv = public.get("/gpsea/equite.csv").await?;
    let creteil = csv
        .body
        .lines()
        .find(|l| l.starts_with("94028"))
        .unwrap_or_default()
        .to_owned();
    assert!(creteil.ends_with(",1,1"), "{creteil}");
    let page = public.get("/gpsea/equite?indicateur=forums").await?;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("Embauches issues des forums de l&#39;emploi pour 10 000 habitants")
    );
    Ok(())
}
