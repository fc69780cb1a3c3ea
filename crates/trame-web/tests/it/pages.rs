use trame_domain::role::Role;
use trame_testkit::TestApp;

#[tokio::test]
async fn the_home_lists_territories_and_a_territory_shows_its_communes() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut c = app.client();
    let home = c.get("/").await?;
    assert_eq!(home.status, 200, "two territories: a list, no redirect");
    assert!(
        home.body
            .contains(r#"<a href="/gpsea">Grand Paris Sud Est Avenir</a>"#)
    );
    assert!(
        home.body
            .contains(r#"<a href="/controle">Territoire de contrôle</a>"#)
    );
    let t = c.get("/gpsea").await?;
    assert_eq!(t.status, 200);
    assert!(t.body.contains("<h1>Grand Paris Sud Est Avenir</h1>"));
    assert_eq!(
        t.body.matches(r#"<th scope="row">"#).count(),
        16,
        "16 communes"
    );
    assert!(t.body.contains(
        "<th scope=\"row\">Créteil</th><td>94028</td><td class=\"num\">93\u{202f}397</td>"
    ));
    assert!(t.body.contains("16 communes"));
    Ok(())
}

#[tokio::test]
async fn the_communes_download_is_a_csv_file() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let r = app.client().get("/gpsea/communes.csv").await?;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/csv; charset=utf-8"));
    let lines: Vec<&str> = r.body.lines().collect();
    assert_eq!(lines.len(), 17);
    assert_eq!(lines[0], "code_insee,nom,population,latitude,longitude");
    assert!(lines.contains(&"94028,Créteil,93397,48.7836,2.4548"));
    Ok(())
}

#[tokio::test]
async fn the_admin_sees_members_and_the_read_is_logged() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let admin_id = app.person_id(&app.gpsea, Role::TerritoryAdmin);
    let mut c = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    assert_eq!(app.store.access_log_count(admin_id).await?, 0);
    let r = c.get("/gpsea/admin/membres").await?;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("<caption>8 membre(s)</caption>"));
    assert!(r.body.contains("agent@gpsea.test"));
    assert!(
        !r.body.contains("@controle.test"),
        "no member of another territory"
    );
    assert_eq!(app.store.access_log_count(admin_id).await?, 1);
    Ok(())
}

#[tokio::test]
async fn the_journal_shows_the_territorys_changes() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut c = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    let r = c.get("/gpsea/admin/journal").await?;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("<td>Création du territoire</td>"));
    assert_eq!(
        r.body.matches("<td>Attribution d&#39;un rôle</td>").count(),
        8
    );
    // The test clock reads 26/11/2026 09:00 UTC: 10:00 in Paris.
    assert!(r.body.contains("<td>26/11/2026 à 10:00</td>"));
    let first = app.store.audit_list(app.gpsea.scope(), 200).await?;
    let oldest = first.last().map(|e| e.id).unwrap_or_default();
    let detail = c.get(&format!("/gpsea/admin/journal/{oldest}")).await?;
    assert!(
        detail
            .body
            .contains("0000000000000000000000000000000000000000000000000000000000000000")
    );
    Ok(())
}

#[tokio::test]
async fn pages_carry_the_accessible_frame() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut c = app.client_as(&app.gpsea, Role::TerritoryAdmin).await?;
    for path in ["/gpsea", "/gpsea/espace", "/compte", "/gpsea/admin/journal"] {
        let r = c.get(path).await?;
        assert!(
            r.body.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"),
            "{path}"
        );
        assert!(
            r.body
                .contains(r##"<a class="skip-link" href="#contenu">Aller au contenu</a>"##)
        );
        assert!(r.body.contains(r#"<main id="contenu""#));
        assert_eq!(r.body.matches("<h1>").count(), 1, "{path} has one h1");
        assert!(
            r.body
                .contains(r#"content='{"includeIndicatorStyles":false,"allowEval":false"#)
        );
    }
    let nav = c.get("/gpsea/admin/journal").await?;
    assert!(
        nav.body
            .contains(r#"<a href="/gpsea/admin/journal" aria-current="page">"#)
    );
    Ok(())
}

#[tokio::test]
async fn health_and_readiness_answer() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let mut c = app.client();
    assert_eq!(c.get("/healthz").await?.body, "ok");
    assert_eq!(c.get("/readyz").await?.status, 200);
    let css = c.get("/static/trame.css").await?;
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    let js = c
        .get(&format!("/static/{}", trame_web::assets::HTMX_FILE))
        .await?;
    assert!(js.body.starts_with("var htmx="));
    Ok(())
}
