use trame_domain::role::Role;
use trame_testkit::TestApp;

#[tokio::test]
async fn state_changing_requests_need_the_anti_forgery_token() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut c = app.client_as(&app.gpsea, Role::Agent).await?;
    let missing = c.post_raw("/deconnexion", "").await?;
    assert_eq!(missing.status, 403);
    assert!(missing.body.contains("Formulaire expiré"));
    let wrong = c
        .post_raw("/deconnexion", &format!("_csrf={}", "0".repeat(64)))
        .await?;
    assert_eq!(wrong.status, 403);
    assert_eq!(c.get("/compte").await?.status, 200, "still logged in");
    let mut anon = app.client();
    let login = anon
        .post_raw("/connexion", "email=a%40b.fr&password=x")
        .await?;
    assert_eq!(login.status, 403, "the login form is protected too");
    Ok(())
}

#[tokio::test]
async fn a_cross_site_origin_is_refused() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut c = app.client();
    c.get("/connexion").await?;
    let token = c.cookies.get("trame_csrf").cloned().unwrap_or_default();
    let req = axum::http::Request::builder()
        .method("POST")
        .uri("/connexion")
        .header("host", "trame.example")
        .header("origin", "https://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(format!(
            "_csrf={token}&email=a%40b.fr&password=x"
        )))?;
    assert_eq!(c.send(req).await?.status, 403);
    Ok(())
}

#[tokio::test]
async fn responses_carry_the_security_headers_and_safe_cookies() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut c = app.client();
    let r = c.get("/gpsea").await?;
    let csp = r.header("content-security-policy").unwrap_or("");
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(csp.contains("script-src 'self'"));
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(
        r.header("referrer-policy"),
        Some("strict-origin-when-cross-origin")
    );
    assert!(
        r.header("strict-transport-security").is_none(),
        "no HSTS over plain HTTP"
    );
    assert_eq!(r.header("x-request-id").map(str::len), Some(16));
    let cookie = r.header("set-cookie").unwrap_or("");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));

    let tls = TestApp::spawn_with(trame_web::WebConfig {
        tls: true,
        ..Default::default()
    })
    .await?;
    let mut c = tls.client();
    let r = c.get("/gpsea").await?;
    assert!(r.header("strict-transport-security").is_some());
    assert!(r.header("set-cookie").unwrap_or("").contains("; Secure"));
    Ok(())
}

#[tokio::test]
async fn error_pages_are_french_and_carry_the_request_id_only() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut c = app.client_as(&app.gpsea, Role::Agent).await?;
    let r = c.get("/nulle-part").await?;
    assert_eq!(r.status, 404);
    assert!(r.body.contains("Page introuvable"));
    let id = r.header("x-request-id").unwrap_or("?").to_owned();
    assert!(r.body.contains(&format!("<code>{id}</code>")));
    let forbidden = c.get("/gpsea/admin/membres").await?;
    assert_eq!(forbidden.status, 403);
    assert!(forbidden.body.contains("Accès refusé"));
    // The database goes away: the person gets a 500 page with a reference, no details.
    app.store.clone().close().await?;
    let down = c.get("/gpsea").await?;
    assert_eq!(down.status, 500);
    assert!(down.body.contains("Erreur du service"));
    assert!(
        !down.body.to_lowercase().contains("pool"),
        "no internal detail shown"
    );
    assert!(!down.body.to_lowercase().contains("sql"));
    let mut probe = app.client();
    assert_eq!(probe.get("/readyz").await?.status, 503);
    assert_eq!(probe.get("/healthz").await?.status, 200);
    Ok(())
}

#[tokio::test]
async fn extra_fields_cannot_set_the_territory_the_state_or_an_amount() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let other = app.other.id.to_string();
    // An organisation posted with another territory's id and slug lands in this one.
    let mut admin = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    let r = admin
        .post_form(
            "/gpsea/admin/organisations/nouvelle",
            &[
                ("name", "Atelier Mobile"),
                ("legal_form", "public"),
                ("territory_id", &other),
                ("territoire", "controle"),
                ("id", "1"),
                ("created_at", "2001-01-01T00:00:00Z"),
            ],
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let mine = app.store.organisations(scope).await?;
    let created = mine
        .iter()
        .find(|o| o.name == "Atelier Mobile")
        .expect("created here");
    assert_eq!(created.territory_id, app.gpsea.id);
    assert!(created.created_at.year() >= 2026);
    assert!(
        !app.store
            .organisations(app.other.scope())
            .await?
            .iter()
            .any(|o| o.name == "Atelier Mobile")
    );
    // An applicant's draft posted with a state, an awarded amount and another
    // organisation stays a draft of its own organisation, with nothing awarded.
    let org = crate::funding::association(&app, "Ressourcerie", "W941000127").await?;
    let applicant_id = app.person_id(&app.gpsea, Role::Applicant);
    let admin_id = app.person_id(&app.gpsea, Role::TerritoryAdmin);
    app.store
        .add_organisation_member(admin_id, scope, org.id, applicant_id)
        .await?;
    let edition = crate::funding::open_edition_of(&app, &app.gpsea, 2027).await?;
    let mut applicant = app.client_as(&app.gpsea, Role::Applicant).await?;
    let r = applicant
        .post_form(
            &format!("/gpsea/appels/{edition}/deposer"),
            &[("organisation", &org.id.to_string())],
        )
        .await?;
    let dossier = crate::funding::id_after(&r, "/gpsea/mes-dossiers/");
    let mut typed = crate::funding::good_dossier("94028");
    for (k, v) in [
        ("state", "accepte"),
        ("etat", "accepte"),
        ("amount_awarded_cents", "99999999"),
        ("awarded", "99999999"),
        ("organisation_id", "1"),
        ("territory_id", other.as_str()),
    ] {
        typed.push((k.to_owned(), v.to_owned()));
    }
    let r = applicant
        .post_form(
            &format!("/gpsea/mes-dossiers/{dossier}"),
            &crate::funding::pairs(&typed),
        )
        .await?;
    assert!(r.status < 400, "{} {}", r.status, r.body);
    let d = app.store.dossier(scope, dossier).await?;
    assert_eq!(d.state, "brouillon");
    assert_eq!(d.organisation_id, org.id);
    assert_eq!(d.territory_id, app.gpsea.id);
    assert!(app.store.awards(scope, None).await?.is_empty());
    Ok(())
}
