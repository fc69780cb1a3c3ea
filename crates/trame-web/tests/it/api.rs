//! The JSON API: a partner reads its own data and nothing else.

use axum::body::Body;
use axum::http::Request;
use trame_domain::role::Role;
use trame_testkit::{Client, Resp, TestApp};

async fn get(client: &mut Client, path: &str, token: Option<&str>) -> anyhow::Result<Resp> {
    let mut req = Request::builder().uri(path);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    client.send(req.body(Body::empty())?).await
}

fn json(r: &Resp) -> anyhow::Result<serde_json::Value> {
    Ok(serde_json::from_str(&r.body)?)
}

async fn organisation(
    app: &TestApp,
    territory: &trame_store::territories::Territory,
    name: &str,
    siret: &str,
) -> anyhow::Result<i64> {
    let org = trame_domain::organisation::Organisation::parse(
        &trame_domain::organisation::OrganisationInput {
            name: name.into(),
            siret: siret.into(),
            legal_form: "scic".into(),
            commune_code: String::new(),
            ..Default::default()
        },
        app.store.now().date(),
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    Ok(app
        .store
        .create_organisation(None, territory.scope(), &org)
        .await?
        .id)
}

#[tokio::test]
async fn a_partner_token_reads_its_own_organisation_and_nothing_else() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mine = organisation(
        &app,
        &app.gpsea,
        "Coopérative Mobilité Solidaire",
        "73282932000074",
    )
    .await?;
    let theirs = organisation(&app, &app.gpsea, "Autre structure", "35600000000001").await?;
    let elsewhere = organisation(&app, &app.other, "Structure de Vitry", "73282932000074").await?;
    // The admin creates the token in the interface; it is shown once.
    let mut admin = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    let page = admin
        .post_form(
            &format!("/gpsea/admin/organisations/{mine}/jetons"),
            &[("token_name", "Tableau de bord")],
        )
        .await?;
    assert_eq!(page.status, 200);
    let start = page.body.find("trame_").unwrap_or(0);
    let token: String = page.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    assert_eq!(token.len(), 46, "{token}");
    assert!(
        !admin
            .get(&format!("/gpsea/admin/organisations/{mine}"))
            .await?
            .body
            .contains(&token),
        "shown once"
    );

    let mut c = app.client();
    let t = get(&mut c, "/api/v1/territoire", Some(&token)).await?;
    assert_eq!(t.status, 200);
    assert_eq!(json(&t)?["slug"], "gpsea");
    let communes = json(&get(&mut c, "/api/v1/communes?per_page=5&page=2", Some(&token)).await?)?;
    assert_eq!(communes["total"], 16);
    assert_eq!(communes["items"].as_array().map(Vec::len), Some(5));
    assert_eq!(communes["page"], 2);
    let orgs = json(&get(&mut c, "/api/v1/organisations", Some(&token)).await?)?;
    assert_eq!(orgs["total"], 1);
    assert_eq!(orgs["items"][0]["name"], "Coopérative Mobilité Solidaire");
    assert_eq!(
        get(
            &mut c,
            &format!("/api/v1/organisations/{mine}"),
            Some(&token)
        )
        .await?
        .status,
        200
    );
    for other in [theirs, elsewhere] {
        let r = get(
            &mut c,
            &format!("/api/v1/organisations/{other}"),
            Some(&token),
        )
        .await?;
        assert_eq!(r.status, 404);
        assert_eq!(json(&r)?["error"]["code"], "not_found");
    }
    let bad = get(
        &mut c,
        "/api/v1/communes?per_page=1000&page=0",
        Some(&token),
    )
    .await?;
    assert_eq!(bad.status, 400);
    let body = json(&bad)?;
    assert_eq!(body["error"]["code"], "invalid_parameters");
    assert!(
        body["error"]["fields"]["per_page"]
            .as_str()
            .unwrap_or("")
            .contains("1 à 200")
    );
    assert!(body["error"]["fields"]["page"].is_string());

    // Revoked in the interface: the token stops working at once.
    let id = app.store.api_tokens(app.gpsea.scope(), mine).await?[0].id;
    admin
        .post_form(
            &format!("/gpsea/admin/organisations/{mine}/jetons/{id}/retirer"),
            &[],
        )
        .await?;
    let r = get(&mut c, "/api/v1/territoire", Some(&token)).await?;
    assert_eq!(r.status, 401);
    assert_eq!(r.header("www-authenticate"), Some("Bearer"));
    assert_eq!(json(&r)?["error"]["code"], "unauthorized");
    Ok(())
}

#[tokio::test]
async fn without_a_valid_token_the_api_answers_401_with_the_envelope() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut logged_in = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    for token in [
        None,
        Some("trame_0000000000000000000000000000000000000000"),
        Some("pas-un-jeton"),
    ] {
        let r = get(&mut logged_in, "/api/v1/communes", token).await?;
        assert_eq!(r.status, 401, "{token:?}");
        assert_eq!(
            json(&r)?["error"]["message"]
                .as_str()
                .map(|m| m.starts_with("Jeton d'accès")),
            Some(true)
        );
    }
    Ok(())
}

#[test]
fn the_openapi_document_is_on_record() {
    use utoipa::OpenApi;
    let doc = trame_web::api::doc::ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_default();
    insta::assert_snapshot!(doc);
}

#[tokio::test]
async fn the_documentation_is_served_without_any_download() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut c = app.client();
    let doc = c.get("/api/v1/openapi.json").await?;
    assert_eq!(doc.status, 200);
    assert!(doc.body.contains("\"/api/v1/organisations/{id}\""));
    assert!(doc.body.contains("\"/{territoire}/annuaire/api/services\""));
    let ui = c.get("/api/docs/").await?;
    assert_eq!(ui.status, 200);
    assert!(ui.body.contains("swagger-ui"));
    assert!(
        ui.header("content-security-policy")
            .unwrap_or("")
            .contains("style-src 'self' 'unsafe-inline'")
    );
    let home = c.get("/gpsea").await?;
    assert!(
        !home
            .header("content-security-policy")
            .unwrap_or("")
            .contains("unsafe-inline")
    );
    Ok(())
}

#[tokio::test]
async fn a_token_reads_its_organisation_s_dossiers_and_awards_only() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let admin = app.person_id(&app.gpsea, Role::TerritoryAdmin);
    let applicant = app.person_id(&app.gpsea, Role::Applicant);
    let mine = crate::funding::association(&app, "Ressourcerie", "W941000127").await?;
    let theirs = crate::funding::association(&app, "Autre", "W941000128").await?;
    for org in [mine.id, theirs.id] {
        app.store
            .add_organisation_member(admin, scope, org, applicant)
            .await?;
    }
    let award = crate::awards::awarded(&app, &app.gpsea, mine.id).await?;
    let other_award = app
        .store
        .create_convention(
            Some(admin),
            scope,
            &trame_domain::funding::convention::Convention {
                category: trame_domain::funding::convention::Category::Aci,
                organisation_id: Some(theirs.id),
                commune_code: None,
                title: "Chantier d'insertion".into(),
                years: vec![(2026, trame_domain::money::Euros::from_cents(3_000_000))],
                decided_on: time::macros::date!(2026 - 01 - 10),
                deliberation: "CT 2026-01-10".into(),
                indicators: Vec::new(),
                siege: false,
            },
        )
        .await?
        .id;
    let (convention, _) = crate::awards::commune_convention(&app, &app.gpsea).await?;
    let token = app
        .store
        .create_api_token(admin, scope, mine.id, "outil")
        .await?;
    let mut c = app.client();
    let editions = json(&get(&mut c, "/api/v1/editions", Some(&token)).await?)?;
    assert!(editions["total"].as_u64().unwrap_or(0) >= 1, "{editions}");
    let dossiers = json(&get(&mut c, "/api/v1/dossiers", Some(&token)).await?)?;
    assert_eq!(dossiers["total"], 1, "{dossiers}");
    assert_eq!(dossiers["items"][0]["state"], "accepte");
    let d = dossiers["items"][0]["id"].as_i64().unwrap_or(0);
    let one = get(&mut c, &format!("/api/v1/dossiers/{d}"), Some(&token)).await?;
    assert_eq!(one.status, 200);
    let awards = json(&get(&mut c, "/api/v1/subventions", Some(&token)).await?)?;
    assert_eq!(awards["total"], 1, "{awards}");
    let a = &awards["items"][0];
    assert_eq!(a["id"], award);
    assert_eq!(a["amount_cents"], 1_000_000);
    assert_eq!(a["years"][0]["report_state"], "a_rendre");
    let one = get(
        &mut c,
        &format!("/api/v1/subventions/{award}"),
        Some(&token),
    )
    .await?;
    assert_eq!(one.status, 200);
    // Another organisation's, a commune's, another territory's: not found.
    for id in [other_award, convention] {
        let r = get(&mut c, &format!("/api/v1/subventions/{id}"), Some(&token)).await?;
        assert_eq!(r.status, 404, "award {id}");
    }
    let theirs_dossier = crate::awards::refused(&app, &app.gpsea, theirs.id).await?;
    let r = get(
        &mut c,
        &format!("/api/v1/dossiers/{theirs_dossier}"),
        Some(&token),
    )
    .await?;
    assert_eq!(r.status, 404);
    Ok(())
}

#[tokio::test]
async fn an_agent_s_personal_token_reads_the_instructor_s_view() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let admin = app.person_id(&app.gpsea, Role::TerritoryAdmin);
    let applicant = app.person_id(&app.gpsea, Role::Applicant);
    let org = crate::funding::association(&app, "Ressourcerie", "W941000127").await?;
    app.store
        .add_organisation_member(admin, scope, org.id, applicant)
        .await?;
    let award = crate::awards::awarded(&app, &app.gpsea, org.id).await?;
    let agent_id = app.person_id(&app.gpsea, Role::Agent);
    let today = trame_store::funding::awards::paris_day(app.store.now());
    app.store
        .record_payment(
            agent_id,
            scope,
            award,
            today,
            trame_domain::money::Euros::from_cents(800_000),
            "MDT-API-1",
        )
        .await?;
    // The agent creates the token on their page; it is shown once.
    let mut agent = app.client_as(&app.gpsea, Role::Agent).await?;
    let page = agent
        .post_form("/gpsea/jetons", &[("token_name", "Tableur des finances")])
        .await?;
    assert_eq!(page.status, 200);
    let start = page.body.find("trame_agent_").unwrap_or(0);
    let token: String = page.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    assert_eq!(token.len(), 52, "{token}");
    assert!(
        !agent.get("/gpsea/jetons").await?.body.contains(&token),
        "shown once"
    );
    let mut c = app.client();
    let dossiers = json(
        &get(
            &mut c,
            "/api/v1/instruction/dossiers?etat=accepte",
            Some(&token),
        )
        .await?,
    )?;
    assert_eq!(dossiers["total"], 1, "{dossiers}");
    assert_eq!(dossiers["items"][0]["organisation"], "Ressourcerie");
    let d = dossiers["items"][0]["id"].as_i64().unwrap_or(0);
    let one = json(
        &get(
            &mut c,
            &format!("/api/v1/instruction/dossiers/{d}"),
            Some(&token),
        )
        .await?,
    )?;
    assert_eq!(one["dossier"]["state"], "accepte", "{one}");
    assert!(one["communes"].as_array().is_some_and(|a| !a.is_empty()));
    let a = json(
        &get(
            &mut c,
            &format!("/api/v1/instruction/subventions/{award}"),
            Some(&token),
        )
        .await?,
    )?;
    assert_eq!(a["beneficiary"], "Ressourcerie", "{a}");
    assert_eq!(a["payments"][0]["mandate_ref"], "MDT-API-1");
    assert_eq!(a["award"]["paid_cents"], 800_000);
    let payments = json(&get(&mut c, "/api/v1/instruction/versements", Some(&token)).await?)?;
    assert_eq!(payments["total"], 1);
    let awards = json(
        &get(
            &mut c,
            "/api/v1/instruction/subventions?per_page=1",
            Some(&token),
        )
        .await?,
    )?;
    assert_eq!(awards["items"].as_array().map(Vec::len), Some(1));
    // The two kinds of token do not open each other's doors.
    assert_eq!(
        get(&mut c, "/api/v1/subventions", Some(&token))
            .await?
            .status,
        401
    );
    let org_token = app
        .store
        .create_api_token(admin, scope, org.id, "outil")
        .await?;
    assert_eq!(
        get(&mut c, "/api/v1/instruction/versements", Some(&org_token))
            .await?
            .status,
        401,
        "payments are the staff's"
    );
    // Another territory's award is not found; a revoked token is refused.
    let r = get(
        &mut c,
        "/api/v1/instruction/subventions/999999",
        Some(&token),
    )
    .await?;
    assert_eq!(r.status, 404);
    let id = app.store.staff_tokens(scope, agent_id).await?[0].id;
    let r = agent
        .post_form(&format!("/gpsea/jetons/{id}/retirer"), &[])
        .await?;
    assert_eq!(r.status, 303);
    assert_eq!(
        get(&mut c, "/api/v1/instruction/dossiers", Some(&token))
            .await?
            .status,
        401
    );
    // An applicant cannot make one.
    let mut porteur = app.client_as(&app.gpsea, Role::Applicant).await?;
    assert_eq!(porteur.get("/gpsea/jetons").await?.status, 403);
    assert!(
        app.store
            .create_staff_token(applicant, scope, "essai")
            .await
            .is_err()
    );
    Ok(())
}
