//! The authorization matrix: every route × anonymous, every role of the territory, every
//! role of another territory. It walks the router's own table, so a new route is covered
//! the day it is added, and a route whose path it cannot fill in makes it fail.

use trame_domain::role::Role;
use trame_testkit::{Client, TestApp};
use trame_web::access::Access;
use trame_web::routes::{RouteSpec, specs};

/// Objects of the GPSEA territory that the routes' parameters name.
struct Ids {
    journal: i64,
    organisation: i64,
    member: i64,
    invitation: i64,
    email: i64,
    token: String,
    api_token: i64,
    commune: i64,
    edition: i64,
    award: i64,
    award_year: i32,
    convention: i64,
    convention_year: i32,
    scheme: i64,
    staff_token: i64,
    refused: i64,
    dossier: i64,
    piece: i64,
    opinion: i64,
    review: i64,
    scenario: i64,
    dir_service: i64,
    dir_structure: i64,
    deliberation: i64,
    policy: i64,
    project: i64,
    contract: i64,
    clause_person: i64,
    acc: crate::accompaniment::Programme,
    path: crate::pathways::Pathway,
    forum: i64,
}

/// Creates one object of each kind in `territory`, as its admin would.
async fn objects(
    app: &TestApp,
    territory: &trame_store::territories::Territory,
) -> anyhow::Result<Ids> {
    let scope = territory.scope();
    let admin = app.person_id(territory, Role::TerritoryAdmin);
    let org = trame_domain::organisation::Organisation::parse(
        &trame_domain::organisation::OrganisationInput {
            name: format!("Régie de quartier {}", territory.slug),
            siret: "73282932000074".into(),
            legal_form: "insertion".into(),
            insertion_kind: "aci".into(),
            ..Default::default()
        },
        app.store.now().date(),
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let organisation = app
        .store
        .create_organisation(Some(admin), scope, &org)
        .await?
        .id;
    let target_email = format!("cible@{}.test", territory.slug);
    let target = app
        .store
        .create_person(
            None,
            &trame_domain::email::Email::parse(&target_email)
                .map_err(|e| anyhow::anyhow!(e.message))?,
            "Personne cible",
            trame_testkit::PASSWORD,
        )
        .await?;
    app.store
        .add_membership(None, scope, target.id, Role::Partner)
        .await?;
    app.store
        .add_organisation_member(admin, scope, organisation, target.id)
        .await?;
    let invite = |email: &'static str| trame_store::invitations::NewInvitation {
        email: Box::leak(Box::new(
            trame_domain::email::Email::parse(email).unwrap_or_else(|_| unreachable!()),
        )),
        role: Role::Agent,
        organisation_id: None,
        link_base: "http://trame.test",
    };
    let token = app
        .store
        .invite(admin, scope, invite("invitee@nouveau.test"))
        .await?;
    app.store
        .invite(admin, scope, invite("autre@nouveau.test"))
        .await?;
    let invitation = app.store.invitations(scope, 1).await?[0].id;
    let email = app.store.outbox(scope, 1).await?[0].id;
    app.store
        .create_api_token(admin, scope, organisation, "outil")
        .await?;
    let api_token = app.store.api_tokens(scope, organisation).await?[0].id;
    let journal = app.store.audit_list(scope, 1).await?[0].id;
    let commune = app.store.communes(scope).await?[0].id;
    app.store
        .set_logo(admin, scope, "image/png", b"\x89PNG\r\n\x1a\nlogo".to_vec())
        .await?;
    let funding = crate::funding::dossier_in_instruction(app, territory, organisation).await?;
    let award = crate::awards::awarded(app, territory, organisation).await?;
    let refused = crate::awards::refused(app, territory, organisation).await?;
    let award_year = app.store.award_years(scope, award).await?[0].year;
    let (convention, convention_year) = crate::awards::commune_convention(app, territory).await?;
    let scheme = app.store.convention_scheme(None, scope).await?.id;
    // The agent's personal token (a person revokes only their own).
    let agent = app.person_id(territory, Role::Agent);
    app.store
        .create_staff_token(agent, scope, "tableur")
        .await?;
    let staff_token = app.store.staff_tokens(scope, agent).await?[0].id;
    app.store
        .import_directory(
            Some(admin),
            scope,
            &trame_domain::directory::exchange::read_json(
                br#"{"structures": [{"source": "m", "id": "s", "nom": "Structure", "date_maj": "2026-01-02"}],
                     "services": [{"source": "m", "id": "v", "structure_id": "s", "nom": "Service", "description": "Un service.", "date_maj": "2026-01-02"}]}"#,
            )
            .map_err(|e| anyhow::anyhow!("{e:?}"))?,
            trame_store::directory::import::ImportOptions { publish: true, demo: false },
            &|_, _| {},
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let dir_service = app.store.services_changed_since(scope, 0).await?[0].id;
    let dir_structure = app.store.directory_structures(scope, false).await?[0].id;
    // The applicant's organisation keeps the structure up to date.
    app.store
        .link_structure(admin, scope, dir_structure, Some(organisation))
        .await?;
    let deliberation = app
        .store
        .create_deliberation(
            admin,
            scope,
            &trame_domain::interest::Deliberation {
                decided_on: time::macros::date!(2025 - 06 - 25),
                reference: "CT2025/1".into(),
                title: "Intérêt territorial".into(),
                summary: String::new(),
                interest: trame_domain::interest::Interest::Specified,
            },
            Some(trame_store::interest::NewDocument {
                filename: "d.pdf".into(),
                bytes: b"%PDF-1.4 d".to_vec(),
            }),
        )
        .await?;
    let policy = app
        .store
        .add_policy(
            admin,
            scope,
            deliberation,
            &trame_domain::interest::Policy {
                title: "Aide alimentaire".into(),
                description: "Épiceries".into(),
                effective_from: time::macros::date!(2026 - 01 - 01),
                effective_until: None,
            },
        )
        .await?;
    let project = app
        .store
        .create_showcase_project(
            admin,
            scope,
            &trame_domain::showcase::Project {
                name: "Projet".into(),
                mission: "Mission".into(),
                website: None,
                commune_code: None,
                scheme: "Appel à projets ESS".into(),
                year: 2025,
                consent_on: None,
                consent_note: String::new(),
                published: false,
            },
        )
        .await?;
    // Insertion clauses: a contract awarded to the organisation, which the company's and
    // the partner's test members act for, and a person it referred.
    let (contract, clause_person) =
        crate::clauses::contract_and_person(app, territory, organisation).await?;
    for role in [Role::Company, Role::Partner] {
        app.store
            .add_organisation_member(admin, scope, organisation, app.person_id(territory, role))
            .await?;
    }
    // The accompaniment programme: a cohort run by the organisation (the partner's), an
    // application by the applicant account, marked by the committee member, selected.
    let acc = crate::accompaniment::programme(app, territory, Some(organisation)).await?;
    // A pathway file held by a PLIE the partner's test member belongs to, referred to a
    // structure the organisation keeps.
    let path = crate::pathways::pathway(app, territory, organisation).await?;
    let forum = crate::forums::forum(app, territory, 50).await?;
    // The awarding body is known, so the open data is published.
    app.store
        .update_territory_settings(
            admin,
            scope,
            &trame_store::territories::TerritorySettings {
                name: territory.name.clone(),
                slug: trame_domain::territory::TerritorySlug::parse(&territory.slug)
                    .map_err(|e| anyhow::anyhow!(e.message))?,
                color: trame_domain::brand::BrandColor::parse(&territory.primary_color)
                    .map_err(|e| anyhow::anyhow!(e.message))?,
                awarding_siret: Some(
                    trame_domain::identifiers::Siret::parse("20005800600012")
                        .map_err(|e| anyhow::anyhow!(e.message))?,
                ),
            },
        )
        .await?;
    Ok(Ids {
        edition: funding.edition,
        dossier: funding.dossier,
        piece: funding.piece,
        opinion: funding.opinion,
        review: funding.review,
        scenario: funding.scenario,
        award,
        award_year,
        convention,
        convention_year,
        scheme,
        staff_token,
        refused,
        commune,
        dir_service,
        dir_structure,
        deliberation,
        policy,
        project,
        contract,
        clause_person,
        acc,
        path,
        forum,
        api_token,
        journal,
        organisation,
        member: target.id,
        invitation,
        email,
        token,
    })
}

/// Fills in a route's path for the GPSEA territory.
fn instantiate(spec: &RouteSpec, ids: &Ids) -> anyhow::Result<String> {
    let mut path = spec.path.replace("{territoire}", "gpsea");
    let id = if path.ends_with("/lettre-refus.pdf") {
        ids.refused
    } else if path.contains("/ma-structure/orientations/") {
        ids.path.referral
    } else if path.contains("forums/") {
        ids.forum
    } else if path.contains("/parcours/") {
        ids.path.file
    } else if path.contains("/ma-structure/services/") {
        ids.dir_service
    } else if path.contains("/ma-structure/") {
        ids.dir_structure
    } else if path.contains("/annuaire/") && path.contains("/services/") {
        ids.dir_service
    } else if path.contains("/annuaire/") && path.contains("/structures/") {
        ids.dir_structure
    } else if path.contains("/accompagnement/appels/") || path.contains("-accompagnement/appels/") {
        ids.acc.call
    } else if path.contains("/participants/") {
        ids.acc.participant
    } else if path.contains("/promotions/") {
        ids.acc.cohort
    } else if path.contains("/candidatures/") {
        ids.acc.application
    } else if path.contains("-accompagnement/projets/") || path.contains("/mon-accompagnement/") {
        ids.acc.project
    } else if path.contains("/clauses/marches/") || path.contains("/mes-marches/") {
        ids.contract
    } else if path.contains("/clauses/personnes/") {
        ids.clause_person
    } else if path.contains("interet-territorial/") {
        ids.deliberation
    } else if path.contains("/projets-soutenus/") {
        ids.project
    } else if path.contains("/appels/") {
        ids.edition
    } else if path.contains("/mes-dossiers/") || path.contains("/instruction/") {
        ids.dossier
    } else if path.contains("/conventions-commune/") {
        ids.convention
    } else if path.contains("/dispositifs/") {
        ids.scheme
    } else if path.contains("/subventions/") || path.contains("/mes-subventions/") {
        ids.award
    } else if path.contains("/avis/") {
        ids.opinion
    } else if path.contains("/evaluation/") {
        ids.review
    } else if path.contains("/journal/") {
        ids.journal
    } else if path.contains("/organisations/") {
        ids.organisation
    } else if path.contains("/membres/") {
        ids.member
    } else if path.contains("/communes/") {
        ids.commune
    } else if path.contains("/invitations/") {
        ids.invitation
    } else if path.contains("/jetons/") {
        ids.staff_token
    } else {
        ids.email
    };
    path = path.replace("{id}", &id.to_string());
    let year = if path.contains("/conventions-commune/") {
        ids.convention_year
    } else {
        ids.award_year
    };
    path = path.replace("{annee}", &year.to_string());
    path = path.replace("{person}", &ids.member.to_string());
    path = path.replace("{piece}", &ids.piece.to_string());
    path = path.replace("{politique}", &ids.policy.to_string());
    path = path.replace("{review}", &ids.review.to_string());
    path = path.replace("{scenario}", &ids.scenario.to_string());
    if path.contains("/jetons/") {
        path = path.replace("{token}", &ids.api_token.to_string());
    }
    path = path.replace("{token}", &ids.token);
    path = path.replace("{file}", "trame.css");
    path = path.replace("{format}", "xlsx");
    anyhow::ensure!(
        !path.contains('{'),
        "the matrix cannot fill in {}: add it",
        spec.path
    );
    Ok(path)
}

async fn call(
    client: &mut Client,
    spec: &RouteSpec,
    path: &str,
) -> anyhow::Result<trame_testkit::Resp> {
    if spec.method == axum::http::Method::GET {
        client.get(path).await
    } else {
        client.post_form(path, form_for(path)).await
    }
}

/// The form a state-changing route is sent with: the GPSEA territory wherever a
/// territory is chosen.
fn form_for(path: &str) -> &'static [(&'static str, &'static str)] {
    match path {
        "/compte/territoire" => &[("territoire", "gpsea")],
        _ => &[],
    }
}

/// Entries in every chain of the journal.
async fn journal_size(app: &TestApp) -> anyhow::Result<u64> {
    Ok(app
        .store
        .audit_verify()
        .await?
        .iter()
        .map(|c| c.entries)
        .sum())
}

/// Who is calling.
#[derive(Debug, Clone, Copy)]
enum Viewer {
    Anonymous,
    Member(Role),
    Outsider(Role),
}

fn expected(spec: &RouteSpec, viewer: Viewer) -> &'static str {
    // Choosing GPSEA as one's territory is refused to those who are not members of it.
    if spec.path == "/compte/territoire" && matches!(viewer, Viewer::Outsider(_)) {
        return "404";
    }
    // A personal token is revoked by its own person only: the fixture's is the agent's.
    if spec.path == "/{territoire}/jetons/{id}/retirer"
        && matches!(viewer, Viewer::Member(Role::TerritoryAdmin))
    {
        return "404";
    }
    let is_get = spec.method == axum::http::Method::GET;
    match (spec.access, viewer) {
        // A browser session never opens the API: only a bearer token does.
        (Access::ApiToken | Access::StaffToken, _) => "401",
        (Access::AnyTerritoryAdmin, Viewer::Anonymous) => "login",
        (
            Access::AnyTerritoryAdmin,
            Viewer::Member(Role::TerritoryAdmin) | Viewer::Outsider(Role::TerritoryAdmin),
        ) => {
            if is_get {
                "ok"
            } else {
                "answered"
            }
        }
        (Access::AnyTerritoryAdmin, _) => "403",
        (Access::Public, _) => "answered",
        (Access::Authenticated, Viewer::Anonymous) => "login",
        (Access::Authenticated, _) => "answered",
        (Access::TerritoryPublic, _) if is_get => "ok",
        // A public form (an application) answers whoever sends it.
        (Access::TerritoryPublic, _) => "answered",
        (Access::TerritoryMember(_), Viewer::Anonymous) => "login",
        (Access::TerritoryMember(_), Viewer::Outsider(_)) => "404",
        (access @ Access::TerritoryMember(_), Viewer::Member(role)) => {
            match (
                access.allows(&[role]),
                spec.method == axum::http::Method::GET,
            ) {
                (true, true) => "ok",
                (true, false) => "answered",
                (false, _) => "403",
            }
        }
    }
}

/// What an answer lacks of the security headers and cookie flags, if anything.
fn unsafe_answer(path: &str, resp: &trame_testkit::Resp) -> Option<String> {
    let swagger = !path.starts_with(trame_web::api::doc::DOCS_PATH)
        && resp
            .header("content-security-policy")
            .is_some_and(|c| c.contains("'unsafe-inline'"));
    let wanted = [
        ("content-security-policy", "frame-ancestors 'none'"),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "strict-origin-when-cross-origin"),
    ];
    for (name, value) in wanted {
        if !resp.header(name).is_some_and(|v| v.contains(value)) {
            return Some(format!("no {name}: {value}"));
        }
    }
    if swagger {
        return Some("inline styles allowed outside the API documentation".into());
    }
    for c in resp.headers.get_all("set-cookie") {
        let c = c.to_str().unwrap_or_default();
        if !(c.contains("HttpOnly") && c.contains("SameSite=")) {
            return Some(format!("cookie without HttpOnly or SameSite: {c}"));
        }
    }
    None
}

fn classify(resp: &trame_testkit::Resp) -> &'static str {
    match resp.status {
        200 => "ok",
        303 if resp.location().is_some_and(|l| l.starts_with("/connexion")) => "login",
        401 => "401",
        403 => "403",
        404 => "404",
        s if s >= 500 => "error",
        _ => "other",
    }
}

#[tokio::test]
async fn every_route_answers_each_role_as_its_rule_says() -> anyhow::Result<()> {
    let provider = trame_testkit::mock_oidc::MockProvider::start("trame").await?;
    let generous = trame_web::WebConfig {
        login_attempts_per_window: 10_000,
        posts_per_window: 10_000,
        proconnect: Some(trame_web::pages::proconnect::ProConnectSettings {
            issuer: provider.issuer.clone(),
            client_id: "trame".into(),
            client_secret: "secret".into(),
        }),
        ..Default::default()
    };
    let app = TestApp::spawn_with(generous).await?;
    let ids = objects(&app, &app.gpsea).await?;
    // The territory's admin comes last: its successful POSTs change what the others see
    // (the logo it removes, the member it deactivates).
    let mut viewers = vec![Viewer::Anonymous];
    viewers.extend(
        Role::ALL
            .iter()
            .filter(|r| **r != Role::TerritoryAdmin)
            .map(|r| Viewer::Member(*r)),
    );
    viewers.extend(Role::ALL.iter().map(|r| Viewer::Outsider(*r)));
    viewers.push(Viewer::Member(Role::TerritoryAdmin));
    let mut failures = Vec::new();
    let routes = specs();
    assert!(routes.len() >= 15, "the table lists every route");
    let login = |viewer: Viewer| {
        let app = &app;
        async move {
            match viewer {
                Viewer::Anonymous => Ok(app.client()),
                Viewer::Member(role) => app.client_as(&app.gpsea, role).await,
                Viewer::Outsider(role) => app.client_as(&app.other, role).await,
            }
        }
    };
    for viewer in viewers {
        let mut session = login(viewer).await?;
        for spec in &routes {
            // Logging out ends the session: that route gets a session of its own.
            let mut own;
            let client = if spec.path == "/deconnexion" {
                own = login(viewer).await?;
                &mut own
            } else {
                &mut session
            };
            let path = instantiate(spec, &ids)?;
            let before = journal_size(&app).await?;
            let resp = call(client, spec, &path).await?;
            // Every state change is journaled: a POST that succeeded grew the journal.
            if spec.method == axum::http::Method::POST
                && resp.status == 303
                && classify(&resp) != "login"
            {
                let after = journal_size(&app).await?;
                if after <= before {
                    failures.push(format!(
                        "{viewer:?} POST {path}: succeeded without a journal entry"
                    ));
                }
            }
            // Every answer, whoever asks, carries the security headers and safe cookies.
            if let Some(missing) = unsafe_answer(&path, &resp) {
                failures.push(format!("{viewer:?} {} {path}: {missing}", spec.method));
            }
            let got = classify(&resp);
            let want = expected(spec, viewer);
            let fine = match want {
                "answered" => !matches!(got, "login" | "403" | "404" | "error"),
                w => got == w,
            };
            if !fine {
                failures.push(format!(
                    "{viewer:?} {} {path}: want {want}, got {} ({got})",
                    spec.method, resp.status
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorization matrix:\n{}",
        failures.join("\n")
    );
    Ok(())
}

#[tokio::test]
async fn another_territorys_objects_are_not_found_even_for_an_admin() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let foreign = app.store.audit_list(app.other.scope(), 1).await?[0].id;
    let own = app.store.audit_list(app.gpsea.scope(), 1).await?[0].id;
    let mut admin = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    assert_eq!(
        admin
            .get(&format!("/gpsea/admin/journal/{own}"))
            .await?
            .status,
        200
    );
    assert_eq!(
        admin
            .get(&format!("/gpsea/admin/journal/{foreign}"))
            .await?
            .status,
        404
    );
    assert_eq!(admin.get("/controle/admin/journal").await?.status, 404);
    assert_eq!(
        admin
            .get(&format!("/controle/admin/journal/{foreign}"))
            .await?
            .status,
        404
    );
    assert_eq!(admin.get("/controle/espace").await?.status, 404);
    // Switching to a territory one does not belong to is refused the same way.
    let r = admin
        .post_form("/compte/territoire", &[("territoire", "controle")])
        .await?;
    assert_eq!(r.status, 404);
    // A territory that does not exist looks the same as one that is closed to you.
    assert_eq!(admin.get("/inexistant/espace").await?.status, 404);
    assert_eq!(admin.get("/inexistant").await?.status, 404);
    Ok(())
}

#[tokio::test]
async fn unknown_paths_are_not_found() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut c = app.client();
    for path in [
        "/gpsea/admin",
        "/static/secret.txt",
        "/a/b/c/d",
        "/gpsea/espace/x",
    ] {
        assert_eq!(c.get(path).await?.status, 404, "{path}");
    }
    Ok(())
}

/// The rules, as a reviewer reads them: any change to who may call what shows in review.
#[test]
fn the_rule_of_every_route_is_on_record() {
    let table: Vec<String> = specs()
        .iter()
        .map(|s| format!("{:<5} {:<38} {:?}", s.method.as_str(), s.path, s.access))
        .collect();
    insta::assert_snapshot!(table.join("\n"));
}

#[tokio::test]
async fn every_state_changing_route_refuses_a_missing_or_wrong_token() -> anyhow::Result<()> {
    // Room for two refused posts per route under the per-IP limit.
    let app = TestApp::spawn_with(trame_web::WebConfig {
        posts_per_window: 10_000,
        ..Default::default()
    })
    .await?;
    let ids = objects(&app, &app.gpsea).await?;
    let mut admin = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    let before = journal_size(&app).await?;
    let mut failures = Vec::new();
    let mut posts = 0;
    for spec in specs()
        .iter()
        .filter(|s| s.method == axum::http::Method::POST)
    {
        posts += 1;
        let path = instantiate(spec, &ids)?;
        for body in [String::new(), format!("_csrf={}", "0".repeat(64))] {
            let r = admin.post_raw(&path, &body).await?;
            if r.status != 403 {
                failures.push(format!("POST {path} with body {body:?}: {}", r.status));
            }
        }
    }
    assert!(posts >= 50, "{posts} state-changing routes");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(journal_size(&app).await?, before, "nothing written");
    Ok(())
}
