use time::Duration;
use trame_domain::role::Role;
use trame_testkit::{PASSWORD, TestApp, email_for};
use trame_web::WebConfig;

#[tokio::test]
async fn each_role_logs_in_sees_its_roles_and_logs_out() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    for role in Role::ALL {
        let mut c = app.client();
        let r = c.login(&email_for("gpsea", role), PASSWORD).await?;
        assert_eq!(r.status, 303);
        assert_eq!(r.location(), Some("/gpsea/espace"));
        let space = c.get("/gpsea/espace").await?;
        assert_eq!(space.status, 200);
        let label = role.label().replace('\'', "&#39;");
        assert!(space.body.contains(&label), "{role:?} sees its role");
        let account = c.get("/compte").await?;
        assert!(account.body.contains("Grand Paris Sud Est Avenir"));
        assert!(account.body.contains(&format!("<li>{label}</li>")));
        let old_cookies = c.cookies.clone();
        let out = c.post_form("/deconnexion", &[]).await?;
        assert_eq!(out.location(), Some("/"));
        // The old cookie no longer opens anything: the session died on the server.
        let mut replay = app.client();
        replay.cookies = old_cookies;
        let again = replay.get("/compte").await?;
        assert_eq!(again.status, 303, "logout kills the session server-side");
    }
    Ok(())
}

#[tokio::test]
async fn login_errors_are_told_at_the_field_and_keep_what_was_typed() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut c = app.client();
    let r = c.login("pas-une-adresse", "").await?;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("L&#39;adresse électronique doit avoir la forme nom@domaine.fr.")
    );
    assert!(r.body.contains("Saisissez votre mot de passe."));
    assert!(r.body.contains(r#"value="pas-une-adresse""#));
    assert!(
        r.body
            .contains(r#"aria-invalid="true" aria-describedby="email-error""#)
    );
    let wrong = c
        .login(&email_for("gpsea", Role::Agent), "mauvais mot de passe")
        .await?;
    assert_eq!(wrong.status, 422);
    assert!(
        wrong
            .body
            .contains("Adresse électronique ou mot de passe incorrect.")
    );
    Ok(())
}

#[tokio::test]
async fn the_sixth_failure_locks_the_account_and_says_so() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut c = app.client();
    let email = email_for("gpsea", Role::Partner);
    for _ in 0..5 {
        c.login(&email, "mauvais mot de passe").await?;
    }
    let sixth = c.login(&email, "mauvais mot de passe").await?;
    assert!(
        sixth.body.contains("verrouillé pendant une heure"),
        "{}",
        sixth.body
    );
    assert!(sixth.body.contains("dans 60 minute(s)"));
    assert_eq!(c.login(&email, PASSWORD).await?.status, 422);
    app.clock.advance(Duration::minutes(61));
    assert_eq!(c.login(&email, PASSWORD).await?.status, 303);
    Ok(())
}

#[tokio::test]
async fn too_many_logins_from_one_address_get_429() -> anyhow::Result<()> {
    let app = TestApp::spawn_with(WebConfig {
        login_attempts_per_window: 3,
        ..WebConfig::default()
    })
    .await?;
    let mut c = app.client();
    for _ in 0..3 {
        assert_eq!(c.login("x@y.fr", "mauvais mot de passe").await?.status, 422);
    }
    let r = c.login("x@y.fr", "mauvais mot de passe").await?;
    assert_eq!(r.status, 429);
    assert!(r.body.contains("Trop de tentatives"));
    let mut other_ip = trame_testkit::Client::new(app.router.clone(), [127, 0, 0, 9].into());
    assert_eq!(
        other_ip
            .login("x@y.fr", "mauvais mot de passe")
            .await?
            .status,
        422
    );
    Ok(())
}

#[tokio::test]
async fn an_idle_session_ends_after_an_hour() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut c = app.client_as(&app.gpsea, Role::Agent).await?;
    app.clock.advance(Duration::minutes(59));
    assert_eq!(c.get("/compte").await?.status, 200);
    app.clock.advance(Duration::minutes(61));
    let r = c.get("/compte").await?;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), Some("/connexion?suivant=/compte"));
    Ok(())
}

#[tokio::test]
async fn login_returns_to_the_page_asked_for_but_never_to_another_site() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut c = app.client();
    let page = c.get("/connexion?suivant=/gpsea/admin/journal").await?;
    assert!(
        page.body
            .contains(r#"name="suivant" value="/gpsea/admin/journal""#)
    );
    let email = email_for("gpsea", Role::TerritoryAdmin);
    let r = c
        .post_form(
            "/connexion",
            &[
                ("email", &email),
                ("password", PASSWORD),
                ("suivant", "/gpsea/admin/journal"),
            ],
        )
        .await?;
    assert_eq!(r.location(), Some("/gpsea/admin/journal"));
    let mut c2 = app.client();
    let r2 = c2
        .post_form(
            "/connexion",
            &[
                ("email", &email),
                ("password", PASSWORD),
                ("suivant", "//evil.example/"),
            ],
        )
        .await?;
    assert_eq!(r2.location(), Some("/gpsea/espace"));
    Ok(())
}

#[tokio::test]
async fn a_person_of_two_territories_switches_between_them() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let id = app.person_id(&app.gpsea, Role::Agent);
    app.store
        .add_membership(None, app.other.scope(), id, Role::CommitteeMember)
        .await?;
    let mut c = app.client_as(&app.gpsea, Role::Agent).await?;
    let account = c.get("/compte").await?;
    assert!(account.body.contains("Changer de territoire"));
    let r = c
        .post_form("/compte/territoire", &[("territoire", "controle")])
        .await?;
    assert_eq!(r.location(), Some("/controle/espace"));
    let space = c.get("/controle/espace").await?;
    assert!(space.body.contains("Membre de comité de sélection"));
    let after = c.get("/compte").await?;
    let marker = "Territoire de contrôle</a> <span class=\"badge\">territoire en cours</span>";
    assert!(after.body.contains(marker), "{}", after.body);
    Ok(())
}

#[tokio::test]
async fn logging_in_again_ends_the_previous_session() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut c = app.client_as(&app.gpsea, Role::Agent).await?;
    let first = c.cookies.clone();
    let r = c
        .login(&email_for("gpsea", Role::Partner), PASSWORD)
        .await?;
    assert_eq!(r.status, 303);
    assert_ne!(
        c.cookies.get("trame_session"),
        first.get("trame_session"),
        "a new token"
    );
    let mut stale = app.client();
    stale.cookies = first;
    assert_eq!(
        stale.get("/compte").await?.status,
        303,
        "the agent's session ended"
    );
    let space = c.get("/gpsea/espace").await?;
    assert!(space.body.contains("Organisation partenaire"));
    Ok(())
}

/// A login attempt from the test client's address with an `X-Forwarded-For` header.
async fn login_forwarded(c: &mut trame_testkit::Client, forwarded: &str) -> anyhow::Result<u16> {
    if !c.cookies.contains_key("trame_csrf") {
        c.get("/connexion").await?;
    }
    let token = c.cookies.get("trame_csrf").cloned().unwrap_or_default();
    let body = serde_urlencoded::to_string([
        ("_csrf", token.as_str()),
        ("email", "x@y.fr"),
        ("password", "mauvais mot de passe"),
    ])?;
    let req = axum::http::Request::builder()
        .method("POST")
        .uri("/connexion")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-forwarded-for", forwarded)
        .body(axum::body::Body::from(body))?;
    Ok(c.send(req).await?.status)
}

#[tokio::test]
async fn a_forged_forwarded_address_does_not_dodge_the_login_limit() -> anyhow::Result<()> {
    // No proxy configured: the header is ignored, the connection's address counts.
    let app = TestApp::spawn_with(WebConfig {
        login_attempts_per_window: 3,
        ..WebConfig::default()
    })
    .await?;
    let mut c = app.client();
    for i in 0..3 {
        assert_eq!(
            login_forwarded(&mut c, &format!("203.0.113.{i}")).await?,
            422
        );
    }
    assert_eq!(login_forwarded(&mut c, "203.0.113.77").await?, 429);

    // Behind a trusted proxy (the test client's 127.0.0.1), the address the proxy saw
    // (the last entry) counts; what the client wrote to its left does not.
    let app = TestApp::spawn_with(WebConfig {
        login_attempts_per_window: 3,
        trusted_proxies: vec![[127, 0, 0, 1].into()],
        ..WebConfig::default()
    })
    .await?;
    let mut c = app.client();
    for i in 0..3 {
        let forged = format!("10.9.9.{i}, 198.51.100.7");
        assert_eq!(login_forwarded(&mut c, &forged).await?, 422);
    }
    assert_eq!(
        login_forwarded(&mut c, "10.9.9.99, 198.51.100.7").await?,
        429
    );
    // Another client behind the same proxy has its own count.
    assert_eq!(login_forwarded(&mut c, "198.51.100.8").await?, 422);
    Ok(())
}

#[tokio::test]
async fn a_session_token_planted_before_login_is_never_adopted() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut c = app.client();
    let planted = "a".repeat(64);
    c.cookies.insert("trame_session".into(), planted.clone());
    let r = c.login(&email_for("gpsea", Role::Agent), PASSWORD).await?;
    assert_eq!(r.status, 303);
    let issued = c.cookies.get("trame_session").cloned().unwrap_or_default();
    assert_ne!(issued, planted);
    assert_eq!(issued.len(), 64);
    let mut attacker = app.client();
    attacker.cookies.insert("trame_session".into(), planted);
    assert_eq!(attacker.get("/compte").await?.status, 303);
    assert_eq!(c.get("/compte").await?.status, 200);
    Ok(())
}
