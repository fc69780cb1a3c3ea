//! Login through ProConnect, against a mock provider on loopback, including the ways an
//! answer must be refused.

use trame_testkit::mock_oidc::{Identity, MockProvider};
use trame_testkit::{Client, Resp, TestApp};
use trame_web::WebConfig;
use trame_web::pages::proconnect::ProConnectSettings;

async fn setup() -> anyhow::Result<(TestApp, MockProvider)> {
    let provider = MockProvider::start("trame-gpsea").await?;
    let app = TestApp::spawn_with(WebConfig {
        public_url: "https://trame.gpsea.fr".into(),
        proconnect: Some(ProConnectSettings {
            issuer: provider.issuer.clone(),
            client_id: "trame-gpsea".into(),
            client_secret: "secret-de-test".into(),
        }),
        ..WebConfig::default()
    })
    .await?;
    Ok((app, provider))
}

/// Runs the whole dance; returns the callback's answer and the query it used.
async fn login(
    client: &mut Client,
    provider: &MockProvider,
    who: Identity,
) -> anyhow::Result<(Resp, String)> {
    provider.login_as(who);
    let start = client.get("/connexion/proconnect").await?;
    anyhow::ensure!(start.status == 303, "start: {}", start.status);
    let location = start.location().unwrap_or_default().to_owned();
    assert!(
        location.contains(
            "redirect_uri=https%3A%2F%2Ftrame.gpsea.fr%2Fconnexion%2Fproconnect%2Fretour"
        )
    );
    let query = provider.authorize(&location)?;
    let back = client
        .get(&format!("/connexion/proconnect/retour?{query}"))
        .await?;
    Ok((back, query))
}

#[tokio::test]
async fn an_agent_logs_in_with_proconnect_and_is_recognised_next_time() -> anyhow::Result<()> {
    let (app, provider) = setup().await?;
    assert!(
        app.client()
            .get("/connexion")
            .await?
            .body
            .contains("Se connecter avec ProConnect")
    );
    let mut c = app.client();
    let (back, query) = login(
        &mut c,
        &provider,
        Identity::agent("sub-123", "agent@gpsea.test"),
    )
    .await?;
    assert_eq!(back.status, 303, "{}", back.body);
    assert_eq!(back.location(), Some("/gpsea/espace"));
    assert!(
        c.get("/gpsea/espace")
            .await?
            .body
            .contains("Agent instructeur")
    );
    // The callback cannot be replayed.
    let replay = app
        .client()
        .get(&format!("/connexion/proconnect/retour?{query}"))
        .await?;
    assert_eq!(replay.status, 400);
    assert!(replay.body.contains("déjà utilisée"));
    // Next time the identity is found by (issuer, subject), whatever the email says.
    let mut again = app.client();
    let (back, _) = login(
        &mut again,
        &provider,
        Identity::agent("sub-123", "autre.adresse@gpsea.fr"),
    )
    .await?;
    assert_eq!(back.location(), Some("/gpsea/espace"));
    let journal = app.store.audit_verify().await?;
    assert!(journal.iter().all(|c| c.broken.is_none()));
    Ok(())
}

#[tokio::test]
async fn answers_that_cannot_be_trusted_are_refused() -> anyhow::Result<()> {
    let (app, provider) = setup().await?;
    let cases: Vec<(&str, Identity, u16, &str)> = vec![
        (
            "unknown email",
            Identity::agent("sub-1", "inconnu@ailleurs.fr"),
            403,
            "Aucun compte Trame",
        ),
        (
            "unverified email",
            Identity {
                email_verified: false,
                ..Identity::agent("sub-2", "agent@gpsea.test")
            },
            403,
            "n&#39;a pas confirmé votre adresse",
        ),
        (
            "wrong audience",
            Identity {
                audience: Some("autre-client".into()),
                ..Identity::agent("sub-3", "agent@gpsea.test")
            },
            403,
            "n&#39;a pas pu être vérifiée",
        ),
        (
            "wrong issuer",
            Identity {
                issuer: Some("https://faux.example".into()),
                ..Identity::agent("sub-4", "agent@gpsea.test")
            },
            403,
            "n&#39;a pas pu être vérifiée",
        ),
        (
            "nonce mismatch",
            Identity {
                nonce: Some("x".repeat(43)),
                ..Identity::agent("sub-5", "agent@gpsea.test")
            },
            403,
            "n&#39;a pas pu être vérifiée",
        ),
        (
            "expired token",
            Identity {
                expired: true,
                ..Identity::agent("sub-6", "agent@gpsea.test")
            },
            403,
            "n&#39;a pas pu être vérifiée",
        ),
        (
            "unsigned token",
            Identity {
                unsigned: true,
                ..Identity::agent("sub-7", "agent@gpsea.test")
            },
            403,
            "n&#39;a pas pu être vérifiée",
        ),
    ];
    for (case, who, status, text) in cases {
        let mut c = app.client();
        let (back, _) = login(&mut c, &provider, who).await?;
        assert_eq!(back.status, status, "{case}: {}", back.body);
        assert!(back.body.contains(text), "{case}: {}", back.body);
        assert_eq!(c.get("/compte").await?.status, 303, "{case}: no session");
    }
    // A made-up state is refused before anything is asked of the provider.
    let bad = app
        .client()
        .get(&format!(
            "/connexion/proconnect/retour?code=x&state={}",
            "y".repeat(43)
        ))
        .await?;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("inconnue"));
    // No identity was linked by any refused answer.
    let email = trame_domain::email::Email::parse("agent@gpsea.test")
        .map_err(|e| anyhow::anyhow!(e.message))?;
    let agent = app.store.person_by_email(&email).await?;
    let linked = app
        .store
        .match_identity(&provider.issuer, "sub-3", None, false)
        .await?;
    assert!(linked.is_err(), "sub-3 was never linked to {}", agent.id);
    Ok(())
}

#[tokio::test]
async fn without_settings_proconnect_is_absent() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut c = app.client();
    assert!(!c.get("/connexion").await?.body.contains("ProConnect"));
    assert_eq!(c.get("/connexion/proconnect").await?.status, 404);
    Ok(())
}
