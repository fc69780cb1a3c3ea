//! Issue 3's "done when", end to end: a territory admin opens a second territory from its
//! SIREN, invites an agent who logs in through (mock) ProConnect, creates an API token for
//! a partner organisation, and the partner reads its own data and nothing else.

use axum::body::Body;
use axum::http::Request;
use trame_domain::role::Role;
use trame_testkit::TestApp;
use trame_testkit::mock_oidc::{Identity, MockProvider};
use trame_web::WebConfig;
use trame_web::pages::proconnect::ProConnectSettings;

fn token_in(body: &str) -> String {
    let start = body.find("trame_").unwrap_or(0);
    body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

#[tokio::test]
async fn from_a_new_territory_to_a_partner_reading_its_data() -> anyhow::Result<()> {
    let provider = MockProvider::start("trame").await?;
    let app = TestApp::spawn_with(WebConfig {
        public_url: "https://trame.example".into(),
        proconnect: Some(ProConnectSettings {
            issuer: provider.issuer.clone(),
            client_id: "trame".into(),
            client_secret: "s".into(),
        }),
        ..WebConfig::default()
    })
    .await?;
    // 1. The GPSEA admin opens Paris Est Marne et Bois.
    let mut admin = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    let opened = admin
        .post_form(
            "/territoires/nouveau",
            &[("siren", "200057941"), ("slug", "pemb")],
        )
        .await?;
    assert_eq!(opened.location(), Some("/pemb/admin/parametres"));
    // 2. … invites an agent, who creates an account from the link.
    admin
        .post_form(
            "/pemb/admin/invitations",
            &[("email", "ines.agent@pemb.fr"), ("role", "agent")],
        )
        .await?;
    let pemb = app.store.territory_by_slug("pemb").await?;
    let mail = app.store.outbox(pemb.scope(), 1).await?;
    let link = mail[0]
        .body
        .split("https://trame.example")
        .nth(1)
        .unwrap_or("")
        .lines()
        .next()
        .unwrap_or("")
        .to_owned();
    let phrase = "le bois de vincennes sous la neige";
    let accepted = app
        .client()
        .post_form(
            &link,
            &[
                ("name", "Inès Agent"),
                ("password", phrase),
                ("password_confirm", phrase),
            ],
        )
        .await?;
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    // 3. The agent logs in through ProConnect: matched on the verified email.
    provider.login_as(Identity::agent("pc-ines", "ines.agent@pemb.fr"));
    let mut ines = app.client();
    let start = ines.get("/connexion/proconnect").await?;
    let query = provider.authorize(start.location().unwrap_or_default())?;
    let back = ines
        .get(&format!("/connexion/proconnect/retour?{query}"))
        .await?;
    assert_eq!(back.location(), Some("/pemb/espace"));
    assert!(
        ines.get("/pemb/admin/organisations")
            .await?
            .body
            .contains("Organisations"),
        "agents read organisations"
    );
    // 4. The admin records a partner organisation and gives it an API token.
    let org = admin
        .post_form(
            "/pemb/admin/organisations/nouvelle",
            &[
                ("name", "Mission locale des Bords de Marne"),
                ("legal_form", "association"),
                ("rna", "W943000123"),
            ],
        )
        .await?;
    let org_path = org.location().unwrap_or_default().to_owned();
    let org_id: i64 = org_path.rsplit('/').next().unwrap_or("").parse()?;
    let other = admin
        .post_form(
            "/pemb/admin/organisations/nouvelle",
            &[
                ("name", "Autre association"),
                ("legal_form", "association"),
                ("rna", "W943000124"),
            ],
        )
        .await?;
    let other_id: i64 = other
        .location()
        .unwrap_or_default()
        .rsplit('/')
        .next()
        .unwrap_or("")
        .parse()?;
    let page = admin
        .post_form(
            &format!("{org_path}/jetons"),
            &[("token_name", "Outil de suivi")],
        )
        .await?;
    let token = token_in(&page.body);
    // 5. The partner reads its own data, and nothing else.
    let mut partner = app.client();
    let call = |path: String| {
        Request::builder()
            .uri(path)
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
    };
    let own = partner
        .send(call(format!("/api/v1/organisations/{org_id}"))?)
        .await?;
    assert_eq!(own.status, 200);
    assert!(own.body.contains("Mission locale des Bords de Marne"));
    let territory = partner.send(call("/api/v1/territoire".into())?).await?;
    assert!(territory.body.contains("\"slug\":\"pemb\""));
    assert_eq!(
        partner
            .send(call(format!("/api/v1/organisations/{other_id}"))?)
            .await?
            .status,
        404
    );
    let list = partner.send(call("/api/v1/organisations".into())?).await?;
    assert!(list.body.contains("\"total\":1") && !list.body.contains("Autre association"));
    // Every step is journaled and the chains hold.
    let checks = app.store.audit_verify().await?;
    assert!(checks.iter().all(|c| c.broken.is_none()), "{checks:?}");
    Ok(())
}
