//! Territory administration: settings, organisations, invitations, members.

use time::Duration;
use trame_domain::role::Role;
use trame_testkit::{PASSWORD, TestApp, email_for};

fn link_token(body: &str) -> Option<String> {
    let start = body.find("/invitation/")? + "/invitation/".len();
    Some(
        body[start..]
            .chars()
            .take_while(|c| c.is_ascii_hexdigit())
            .collect(),
    )
}

#[tokio::test]
async fn the_admin_changes_the_name_and_colour_and_bad_values_are_refused_at_the_field()
-> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut admin = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    let light = admin
        .post_form(
            "/gpsea/admin/parametres",
            &[
                ("name", "GPSEA"),
                ("slug", "gpsea"),
                ("primary_color", "#ffbf47"),
                ("awarding_siret", "123"),
            ],
        )
        .await?;
    assert_eq!(light.status, 422);
    assert!(light.body.contains("Cette couleur est trop claire"));
    assert!(
        light
            .body
            .contains("Le SIRET doit compter exactement 14 chiffres")
    );
    assert!(
        light.body.contains(r##"value="#ffbf47""##),
        "what was typed is kept"
    );
    assert_eq!(
        app.store.territory_by_slug("gpsea").await?.name,
        "Grand Paris Sud Est Avenir",
        "nothing written"
    );
    let ok = admin
        .post_form(
            "/gpsea/admin/parametres",
            &[
                ("name", "Grand Paris Sud Est Avenir (GPSEA)"),
                ("slug", "gpsea"),
                ("primary_color", "#0B5A3A"),
                ("awarding_siret", "200 058 006 00012"),
            ],
        )
        .await?;
    assert_eq!(ok.location(), Some("/gpsea/admin/parametres?enregistre=1"));
    let theme = admin.get("/gpsea/theme.css").await?;
    assert!(theme.body.contains("--accent: #0b5a3a"), "{}", theme.body);
    let home = admin.get("/gpsea").await?;
    assert!(
        home.body
            .contains("<h1>Grand Paris Sud Est Avenir (GPSEA)</h1>")
    );
    assert!(
        home.body
            .contains(r#"<link rel="stylesheet" href="/gpsea/theme.css">"#)
    );
    let journal = app.store.audit_list(app.gpsea.scope(), 1).await?;
    assert_eq!(journal[0].action, "territory.update");
    Ok(())
}

#[tokio::test]
async fn organisations_are_created_checked_and_kept_apart() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut admin = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    let bad = admin
        .post_form(
            "/gpsea/admin/organisations/nouvelle",
            &[
                ("name", "Les Jardins"),
                ("legal_form", "association"),
                ("rna", "W12"),
                ("siret", ""),
            ],
        )
        .await?;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body
            .contains("Le numéro RNA s&#39;écrit W suivi de 9 chiffres")
    );
    assert!(bad.body.contains(r#"value="Les Jardins""#));
    let created = admin
        .post_form(
            "/gpsea/admin/organisations/nouvelle",
            &[
                ("name", "Les Jardins de Créteil"),
                ("legal_form", "association"),
                ("rna", "W941234567"),
                ("siret", "732 829 320 00074"),
                ("commune_code", "94028"),
                ("address", "1 rue de la Paix"),
            ],
        )
        .await?;
    assert_eq!(created.status, 303);
    let record = admin.get(created.location().unwrap_or("/")).await?;
    assert!(record.body.contains("<h1>Les Jardins de Créteil</h1>"));
    assert!(record.body.contains("1 rue de la Paix, Créteil"));
    let dup = admin
        .post_form(
            "/gpsea/admin/organisations/nouvelle",
            &[
                ("name", "Doublon"),
                ("legal_form", "entreprise"),
                ("siret", "73282932000074"),
            ],
        )
        .await?;
    assert_eq!(dup.status, 422);
    assert!(
        dup.body
            .contains("Ce SIRET est déjà celui de l&#39;organisation « Les Jardins de Créteil ».")
    );
    let outside = admin
        .post_form(
            "/gpsea/admin/organisations/nouvelle",
            &[
                ("name", "Ailleurs"),
                ("legal_form", "entreprise"),
                ("siret", "35600000000001"),
                ("commune_code", "94081"),
            ],
        )
        .await?;
    assert!(
        outside
            .body
            .contains("Choisissez une commune du territoire.")
    );
    // The same SIRET is free in another territory.
    let mut other_admin = app.client_as(&app.other, Role::TerritoryAdmin).await?;
    let there = other_admin
        .post_form(
            "/controle/admin/organisations/nouvelle",
            &[
                ("name", "Jardins, antenne de Vitry"),
                ("legal_form", "entreprise"),
                ("siret", "73282932000074"),
            ],
        )
        .await?;
    assert_eq!(there.status, 303);
    let mut agent = app.client_as(&app.gpsea, Role::Agent).await?;
    let list = agent.get("/gpsea/admin/organisations").await?;
    assert!(
        list.body.contains("Les Jardins de Créteil") && !list.body.contains("antenne de Vitry")
    );
    assert!(
        !list.body.contains("Ajouter une organisation"),
        "agents read, admins edit"
    );
    Ok(())
}

#[tokio::test]
async fn an_invited_person_creates_an_account_and_gets_the_role() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut admin = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    let sent = admin
        .post_form(
            "/gpsea/admin/invitations",
            &[
                ("email", "Nadia.Benali@Creteil.fr"),
                ("role", "commune_referent"),
            ],
        )
        .await?;
    assert_eq!(
        sent.location(),
        Some("/gpsea/admin/invitations?envoyee=nadia.benali%40creteil.fr")
    );
    let again = admin
        .post_form(
            "/gpsea/admin/invitations",
            &[
                ("email", "nadia.benali@creteil.fr"),
                ("role", "commune_referent"),
            ],
        )
        .await?;
    assert!(
        again
            .body
            .contains("Une invitation est déjà en attente pour cette adresse et ce rôle.")
    );
    let outbox = app.store.outbox(app.gpsea.scope(), 1).await?;
    assert_eq!(outbox[0].recipient, "nadia.benali@creteil.fr");
    let token = link_token(&outbox[0].body).unwrap_or_default();
    assert_eq!(token.len(), 64);
    let mail_page = admin
        .get(&format!("/gpsea/admin/courriels/{}", outbox[0].id))
        .await?;
    assert!(
        mail_page
            .body
            .contains(&format!("http://127.0.0.1:8080/invitation/{token}"))
    );

    let mut nadia = app.client();
    let page = nadia.get(&format!("/invitation/{token}")).await?;
    assert!(page.body.contains("Référent communal") && page.body.contains("Créer votre compte"));
    let weak = nadia
        .post_form(
            &format!("/invitation/{token}"),
            &[
                ("name", "Nadia Benali"),
                ("password", "nadia2026"),
                ("password_confirm", "nadia2026"),
            ],
        )
        .await?;
    assert_eq!(weak.status, 422);
    assert!(weak.body.contains("au moins 12 caractères"));
    assert!(weak.body.contains(r#"value="Nadia Benali""#));
    let phrase = "le pont de la marne au petit matin";
    let ok = nadia
        .post_form(
            &format!("/invitation/{token}"),
            &[
                ("name", "Nadia Benali"),
                ("password", phrase),
                ("password_confirm", phrase),
            ],
        )
        .await?;
    assert_eq!(ok.location(), Some("/connexion?suivant=/gpsea/espace"));
    let login = nadia.login("nadia.benali@creteil.fr", phrase).await?;
    assert_eq!(login.location(), Some("/gpsea/espace"));
    assert!(
        nadia
            .get("/gpsea/espace")
            .await?
            .body
            .contains("Référent communal")
    );
    let used = app.client().get(&format!("/invitation/{token}")).await?;
    assert!(used.body.contains("déjà été acceptée"));
    Ok(())
}

#[tokio::test]
async fn an_expired_or_withdrawn_invitation_changes_nothing() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut admin = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    admin
        .post_form(
            "/gpsea/admin/invitations",
            &[("email", "tard@exemple.fr"), ("role", "partner")],
        )
        .await?;
    let token =
        link_token(&app.store.outbox(app.gpsea.scope(), 1).await?[0].body).unwrap_or_default();
    app.clock.advance(Duration::days(15));
    let mut late = app.client();
    let phrase = "le pont de la marne au petit matin";
    let r = late
        .post_form(
            &format!("/invitation/{token}"),
            &[
                ("name", "En Retard"),
                ("password", phrase),
                ("password_confirm", phrase),
            ],
        )
        .await?;
    assert!(r.body.contains("Cette invitation a expiré"), "{}", r.body);
    let email = trame_domain::email::Email::parse("tard@exemple.fr")
        .map_err(|e| anyhow::anyhow!(e.message))?;
    assert!(
        app.store.person_by_email(&email).await.is_err(),
        "no account was created"
    );

    // Fifteen days later the admin's session has long ended: log in again.
    let mut admin = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    let sent = admin
        .post_form(
            "/gpsea/admin/invitations",
            &[("email", "retire@exemple.fr"), ("role", "partner")],
        )
        .await?;
    assert_eq!(sent.status, 303);
    let token =
        link_token(&app.store.outbox(app.gpsea.scope(), 1).await?[0].body).unwrap_or_default();
    let id = app.store.invitations(app.gpsea.scope(), 1).await?[0].id;
    let revoked = admin
        .post_form(&format!("/gpsea/admin/invitations/{id}/retirer"), &[])
        .await?;
    assert_eq!(revoked.location(), Some("/gpsea/admin/invitations"));
    let page = app.client().get(&format!("/invitation/{token}")).await?;
    assert!(
        page.body.contains("retirée par l&#39;administrateur"),
        "{}",
        page.body
    );
    Ok(())
}

#[tokio::test]
async fn an_existing_account_logs_in_to_accept() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut admin = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    let their_agent = email_for("controle", Role::Agent);
    admin
        .post_form(
            "/gpsea/admin/invitations",
            &[("email", &their_agent), ("role", "committee_member")],
        )
        .await?;
    let token =
        link_token(&app.store.outbox(app.gpsea.scope(), 1).await?[0].body).unwrap_or_default();
    let mut someone_else = app.client_as(&app.gpsea, Role::Partner).await?;
    let wrong = someone_else
        .post_form(&format!("/invitation/{token}"), &[])
        .await?;
    assert!(
        wrong
            .body
            .contains(&format!("Cette invitation est adressée à {their_agent}"))
    );
    let mut anon = app.client();
    assert!(
        anon.get(&format!("/invitation/{token}"))
            .await?
            .body
            .contains("Connectez-vous")
    );
    let mut agent = app.client();
    agent.login(&their_agent, PASSWORD).await?;
    let ok = agent
        .post_form(&format!("/invitation/{token}"), &[])
        .await?;
    assert_eq!(ok.location(), Some("/gpsea/espace"));
    assert!(
        agent
            .get("/compte")
            .await?
            .body
            .contains("Grand Paris Sud Est Avenir")
    );
    Ok(())
}

#[tokio::test]
async fn a_deactivated_member_loses_access_at_once_and_the_last_admin_stays() -> anyhow::Result<()>
{
    let app = TestApp::spawn().await?;
    let mut agent = app.client_as(&app.gpsea, Role::Agent).await?;
    let agent_id = app.person_id(&app.gpsea, Role::Agent);
    let admin_id = app.person_id(&app.gpsea, Role::TerritoryAdmin);
    let mut admin = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    let r = admin
        .post_form(&format!("/gpsea/admin/membres/{agent_id}/desactiver"), &[])
        .await?;
    assert_eq!(r.status, 303);
    assert_eq!(
        agent.get("/compte").await?.status,
        303,
        "the session ended at once"
    );
    let again = agent
        .login(&email_for("gpsea", Role::Agent), PASSWORD)
        .await?;
    assert_eq!(
        again.location(),
        Some("/compte"),
        "no territory left to land in"
    );
    assert_eq!(agent.get("/gpsea/espace").await?.status, 404);
    let page = admin
        .get(&format!("/gpsea/admin/membres/{agent_id}"))
        .await?;
    assert!(page.body.contains("désactivé") && page.body.contains("Réactiver"));
    admin
        .post_form(&format!("/gpsea/admin/membres/{agent_id}/reactiver"), &[])
        .await?;
    assert_eq!(agent.get("/gpsea/espace").await?.status, 200);

    let demote = admin
        .post_form(
            &format!("/gpsea/admin/membres/{admin_id}/roles"),
            &[("roles", "agent")],
        )
        .await?;
    assert_eq!(demote.status, 422);
    assert!(demote.body.contains("au moins un administrateur actif"));
    let none = admin
        .post_form(&format!("/gpsea/admin/membres/{agent_id}/roles"), &[])
        .await?;
    assert!(none.body.contains("Cochez au moins un rôle"));
    let both = admin
        .post_form(
            &format!("/gpsea/admin/membres/{agent_id}/roles"),
            &[("roles", "agent"), ("roles", "territory_admin")],
        )
        .await?;
    assert_eq!(both.status, 303);
    assert_eq!(
        app.store.roles_in(app.gpsea.scope(), agent_id).await?,
        vec![Role::TerritoryAdmin, Role::Agent]
    );
    let demote_now = admin
        .post_form(
            &format!("/gpsea/admin/membres/{admin_id}/roles"),
            &[("roles", "agent")],
        )
        .await?;
    assert_eq!(demote_now.status, 303, "another admin exists now");
    Ok(())
}

#[tokio::test]
async fn a_territory_admin_opens_a_second_territory_from_its_siren() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut admin = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    assert!(
        admin
            .get("/compte")
            .await?
            .body
            .contains("Ouvrir un nouveau territoire")
    );
    let bad = admin
        .post_form("/territoires/nouveau", &[("siren", "200058007")])
        .await?;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("clé de contrôle"));
    let unknown = admin
        .post_form("/territoires/nouveau", &[("siren", "732829320")])
        .await?;
    assert!(
        unknown
            .body
            .contains("Aucun EPT ni EPCI ne porte le SIREN 732829320")
    );
    let taken = admin
        .post_form(
            "/territoires/nouveau",
            &[("siren", "200058006"), ("slug", "gpsea")],
        )
        .await?;
    assert!(
        taken
            .body
            .contains("Un territoire porte déjà cet identifiant.")
    );
    // Paris Est Marne et Bois, an EPT of the Val-de-Marne.
    let ok = admin
        .post_form("/territoires/nouveau", &[("siren", "200057941")])
        .await?;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let target = ok.location().unwrap_or_default().to_owned();
    assert!(target.ends_with("/admin/parametres"), "{target}");
    assert_eq!(
        admin.get(&target).await?.status,
        200,
        "the creator administers it"
    );
    let slug = target
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    let t = app.store.territory_by_slug(&slug).await?;
    let communes = app.store.communes(t.scope()).await?;
    assert!(communes.len() > 5, "{} communes", communes.len());
    assert!(
        communes
            .iter()
            .all(|c| c.lat.is_none() && !c.postal_codes.is_empty())
    );
    let mut agent = app.client_as(&app.gpsea, Role::Agent).await?;
    assert_eq!(agent.get("/territoires/nouveau").await?.status, 403);
    Ok(())
}

#[tokio::test]
async fn the_admin_adds_and_removes_communes_from_the_official_list() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut admin = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    let bad = admin
        .post_form("/gpsea/admin/communes", &[("code_insee", "9402")])
        .await?;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("5 caractères"));
    let unknown = admin
        .post_form("/gpsea/admin/communes", &[("code_insee", "99999")])
        .await?;
    assert!(
        unknown
            .body
            .contains("Aucune commune ne porte le code INSEE 99999")
    );
    let dup = admin
        .post_form("/gpsea/admin/communes", &[("code_insee", "94028")])
        .await?;
    assert!(
        dup.body
            .contains("Cette commune fait déjà partie du territoire.")
    );
    let ok = admin
        .post_form("/gpsea/admin/communes", &[("code_insee", "94081")])
        .await?;
    assert_eq!(ok.status, 303);
    let communes = app.store.communes(app.gpsea.scope()).await?;
    let vitry = communes
        .iter()
        .find(|c| c.code_insee == "94081")
        .map(|c| (c.id, c.name.clone(), c.postal_codes.clone()));
    assert_eq!(
        vitry.as_ref().map(|v| v.1.as_str()),
        Some("Vitry-sur-Seine")
    );
    assert_eq!(vitry.as_ref().map(|v| v.2.as_str()), Some("94400"));
    let id = vitry.map(|v| v.0).unwrap_or_default();
    let removed = admin
        .post_form(&format!("/gpsea/admin/communes/{id}/retirer"), &[])
        .await?;
    assert_eq!(removed.status, 303);
    assert_eq!(app.store.communes(app.gpsea.scope()).await?.len(), 16);
    let journal = app.store.audit_list(app.gpsea.scope(), 2).await?;
    assert_eq!(journal[0].action, "commune.delete");
    assert_eq!(journal[1].action, "commune.create");
    Ok(())
}

#[tokio::test]
async fn a_cae_names_its_hosted_entrepreneurs() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut admin = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    let cae = admin
        .post_form(
            "/gpsea/admin/organisations/nouvelle",
            &[
                ("name", "Coopaname Est"),
                ("legal_form", "cae"),
                ("siret", "73282932000074"),
            ],
        )
        .await?;
    let cae_id: i64 = cae
        .location()
        .unwrap_or("")
        .rsplit('/')
        .next()
        .unwrap_or("")
        .parse()?;
    let assoc = admin
        .post_form(
            "/gpsea/admin/organisations/nouvelle",
            &[
                ("name", "Amicale"),
                ("legal_form", "association"),
                ("rna", "W941234567"),
            ],
        )
        .await?;
    let assoc_id: i64 = assoc
        .location()
        .unwrap_or("")
        .rsplit('/')
        .next()
        .unwrap_or("")
        .parse()?;
    // Invitations attach two people: one to the CAE, one to the association.
    for (email, org) in [("lea@exemple.fr", cae_id), ("sam@exemple.fr", assoc_id)] {
        let r = admin
            .post_form(
                "/gpsea/admin/invitations",
                &[
                    ("email", email),
                    ("role", "applicant"),
                    ("organisation", &org.to_string()),
                ],
            )
            .await?;
        assert_eq!(r.status, 303);
        let token =
            link_token(&app.store.outbox(app.gpsea.scope(), 1).await?[0].body).unwrap_or_default();
        let phrase = "la marne coule sous le pont de créteil";
        let mut c = app.client();
        let ok = c
            .post_form(
                &format!("/invitation/{token}"),
                &[
                    ("name", email),
                    ("password", phrase),
                    ("password_confirm", phrase),
                ],
            )
            .await?;
        assert_eq!(ok.status, 303, "{}", ok.body);
    }
    let members = app
        .store
        .organisation_members(app.gpsea.scope(), cae_id)
        .await?;
    let lea = members[0].0.id;
    let r = admin
        .post_form(
            &format!("/gpsea/admin/organisations/{cae_id}/membres/{lea}"),
            &[("hosted_entrepreneur", "1")],
        )
        .await?;
    assert_eq!(r.status, 303);
    let page = admin
        .get(&format!("/gpsea/admin/organisations/{cae_id}"))
        .await?;
    assert!(page.body.contains("entrepreneur hébergé par la CAE"));
    let sam = app
        .store
        .organisation_members(app.gpsea.scope(), assoc_id)
        .await?[0]
        .0
        .id;
    let refused = admin
        .post_form(
            &format!("/gpsea/admin/organisations/{assoc_id}/membres/{sam}"),
            &[("hosted_entrepreneur", "1")],
        )
        .await?;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains(
        "Seule une coopérative d&#39;activité et d&#39;emploi (CAE) héberge des entrepreneurs."
    ));
    Ok(())
}

#[tokio::test]
async fn the_admin_uploads_a_logo_that_shows_in_the_header() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut admin = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    assert_eq!(admin.get("/gpsea/logo").await?.status, 404);
    let svg = admin
        .post_file(
            "/gpsea/admin/parametres/logo",
            "logo",
            "logo.svg",
            "image/svg+xml",
            b"<svg onload='alert(1)'/>",
        )
        .await?;
    assert_eq!(svg.status, 422);
    assert!(
        svg.body
            .contains("Le logo doit être une image PNG ou JPEG.")
    );
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR-un-vrai-logo";
    let ok = admin
        .post_file(
            "/gpsea/admin/parametres/logo",
            "logo",
            "logo.png",
            "image/png",
            png,
        )
        .await?;
    assert_eq!(ok.location(), Some("/gpsea/admin/parametres?enregistre=1"));
    let served = admin.get("/gpsea/logo").await?;
    assert_eq!(served.header("content-type"), Some("image/png"));
    assert_eq!(served.body.len(), String::from_utf8_lossy(png).len());
    let home = app.client().get("/gpsea").await?;
    assert!(
        home.body
            .contains(r#"<img class="brand-logo" src="/gpsea/logo" alt="">"#)
    );
    // Without the token in the query, the upload is refused like any forged form.
    let forged = admin
        .send(
            axum::http::Request::builder()
                .method("POST")
                .uri("/gpsea/admin/parametres/logo")
                .header("content-type", "multipart/form-data; boundary=x")
                .body(axum::body::Body::from("--x--\r\n"))?,
        )
        .await?;
    assert_eq!(forged.status, 403);
    admin
        .post_form("/gpsea/admin/parametres/logo/retirer", &[])
        .await?;
    assert_eq!(admin.get("/gpsea/logo").await?.status, 404);
    Ok(())
}

#[tokio::test]
async fn the_admin_changes_the_slug_and_the_addresses_follow() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut admin = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    let form = |slug: &'static str| {
        vec![
            ("name", "Grand Paris Sud Est Avenir"),
            ("slug", slug),
            ("primary_color", "#1d4f7a"),
            ("awarding_siret", ""),
        ]
    };
    let taken = admin
        .post_form("/gpsea/admin/parametres", &form("controle"))
        .await?;
    assert!(
        taken
            .body
            .contains("Un territoire porte déjà cet identifiant.")
    );
    let reserved = admin
        .post_form("/gpsea/admin/parametres", &form("admin"))
        .await?;
    assert!(reserved.body.contains("réservé"));
    let ok = admin
        .post_form("/gpsea/admin/parametres", &form("gpsea-94"))
        .await?;
    assert_eq!(
        ok.location(),
        Some("/gpsea-94/admin/parametres?enregistre=1")
    );
    assert_eq!(admin.get("/gpsea-94").await?.status, 200);
    assert_eq!(admin.get("/gpsea").await?.status, 404);
    Ok(())
}
