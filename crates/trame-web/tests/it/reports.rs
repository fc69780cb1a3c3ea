//! Final reports and conventions through the pages: the balance waits for an accepted
//! report, the report's checks at their fields, the instructor's decision, the reminders;
//! conventions recorded by the staff, visaed by the commune's referent before they are
//! signed, reported on by the commune.

use crate::awards::{awarded, commune_convention};
use time::Duration;
use trame_domain::role::Role;
use trame_testkit::TestApp;

fn report_fields<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![("results", "Quarante ateliers tenus, 120 participants.")];
    f.extend_from_slice(extra);
    f
}

#[tokio::test]
async fn the_balance_waits_for_the_accepted_report() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let org = crate::funding::applicants_association(&app).await?;
    let id = awarded(&app, &app.gpsea, org.id).await?;
    let year = app.store.award_years(scope, id).await?[0].year;
    let forecast = app
        .store
        .award_forecast(scope, &app.store.award(scope, id).await?.row)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the dossier's budget is the forecast"))?;
    let today = trame_store::funding::awards::paris_day(app.store.now()).to_string();
    let mut agent = app.client_as(&app.gpsea, Role::Agent).await?;
    let pay = format!("/gpsea/subventions/{id}/versements");
    let r = agent
        .post_form(
            &pay,
            &[
                ("paid_on", &today),
                ("amount", "8000"),
                ("mandate_ref", "M-1"),
            ],
        )
        .await?;
    assert_eq!(r.status, 303, "the advance is released by the decision");
    // The balance is refused until the report is accepted, at the amount field.
    let r = agent
        .post_form(
            &pay,
            &[
                ("paid_on", &today),
                ("amount", "2000"),
                ("mandate_ref", "M-2"),
            ],
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("le solde suit l&#39;acceptation du compte rendu"),
        "{}",
        r.body
    );
    assert_eq!(app.store.payments(scope, id).await?.len(), 1);
    // The applicant sees the award and its report to come.
    let mut porteur = app.client_as(&app.gpsea, Role::Applicant).await?;
    let page = porteur.get(&format!("/gpsea/mes-subventions/{id}")).await?;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&format!("Compte rendu {year}")));
    let url = format!("/gpsea/mes-subventions/{id}/comptes-rendus/{year}");
    let form = porteur.get(&url).await?;
    assert_eq!(form.status, 200);
    assert!(
        form.body.contains("Prévu : "),
        "the dossier's forecast is shown"
    );
    // Empty: every missing piece at its field.
    let r = porteur.post_form(&url, &[("results", " ")]).await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#r60\""), "{}", r.body);
    assert!(r.body.contains("href=\"#results\""));
    // Personnel (64) far under its forecast without a word: asked at j64.
    let personnel = forecast.line(64);
    let under = (personnel.cents() / 2 / 100).to_string();
    let keep = |acc: u8| (forecast.line(acc).cents() / 100).to_string();
    let (k60, k70, k74) = (keep(60), keep(70), keep(74));
    let mut lines = vec![("r60", k60.as_str()), ("r64", under.as_str())];
    if forecast.line(70).cents() > 0 {
        lines.push(("r70", k70.as_str()));
    }
    lines.push(("r74", k74.as_str()));
    let r = porteur.post_form(&url, &report_fields(&lines)).await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("dépasse 15"), "{}", r.body);
    assert!(r.body.contains("href=\"#j64\""));
    assert!(
        r.body.contains(&format!("value=\"{under}\"")),
        "what was typed is kept"
    );
    lines.push(("j64", "Un poste resté vacant six mois."));
    let r = porteur.post_form(&url, &report_fields(&lines)).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let report = app.store.award_report(scope, id, year).await?;
    assert_eq!(report.state, "depose");
    // Submitted once: it cannot be changed any more.
    let r = porteur.post_form(&url, &report_fields(&lines)).await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("déjà été déposé"));
    // The instructor reads it; sending it back needs a word; accepting releases the
    // balance.
    let list = agent.get("/gpsea/comptes-rendus").await?;
    assert!(list.body.contains("Ressourcerie"), "{}", list.body);
    let review = format!("/gpsea/subventions/{id}/comptes-rendus/{year}");
    let page = agent.get(&review).await?;
    assert!(page.body.contains("Un poste resté vacant six mois."));
    assert!(page.body.contains("au-delà de 15 %"));
    let r = agent
        .post_form(&review, &[("decision", "completer"), ("comment", "")])
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("ce qu&#39;il doit compléter"), "{}", r.body);
    let r = agent
        .post_form(&review, &[("decision", "accepter"), ("comment", "")])
        .await?;
    assert_eq!(r.status, 303);
    let r = agent
        .post_form(
            &pay,
            &[
                ("paid_on", &today),
                ("amount", "2000"),
                ("mandate_ref", "M-2"),
            ],
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(app.store.award(scope, id).await?.remaining().cents(), 0);
    // The applicant was told, and everything is journaled.
    let subjects: Vec<String> = app
        .store
        .outbox(scope, 50)
        .await?
        .into_iter()
        .map(|m| m.subject)
        .collect();
    assert!(
        subjects
            .iter()
            .any(|s| s.starts_with(&format!("Compte rendu {year} déposé")))
    );
    assert!(
        subjects
            .iter()
            .any(|s| s.starts_with(&format!("Compte rendu {year} accepté")))
    );
    let actions: Vec<String> = app
        .store
        .audit_list(scope, 200)
        .await?
        .into_iter()
        .map(|e| e.action)
        .collect();
    for act in ["award_report.submit", "award_report.accept"] {
        assert!(actions.iter().any(|a| a == act), "{act}");
    }
    // Another territory's staff do not see it.
    let mut outsider = app.client_as(&app.other, Role::Agent).await?;
    assert_eq!(
        outsider
            .get(&format!("/controle/subventions/{id}/comptes-rendus/{year}"))
            .await?
            .status,
        404
    );
    Ok(())
}

#[tokio::test]
async fn a_commune_s_convention_is_visaed_then_signed_then_reported_on() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    // The referent answers for the first commune.
    let admin = app.person_id(&app.gpsea, Role::TerritoryAdmin);
    let referent_id = app.person_id(&app.gpsea, Role::CommuneReferent);
    let first = app.store.communes(scope).await?[0].code_insee.clone();
    app.store
        .set_referent_communes(admin, scope, referent_id, &[first])
        .await?;
    let (id, year) = commune_convention(&app, &app.gpsea).await?;
    let today = trame_store::funding::awards::paris_day(app.store.now()).to_string();
    let mut agent = app.client_as(&app.gpsea, Role::Agent).await?;
    let pay = format!("/gpsea/subventions/{id}/versements");
    let r = agent
        .post_form(
            &pay,
            &[
                ("paid_on", &today),
                ("amount", "100"),
                ("mandate_ref", "M-1"),
            ],
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("doit être signée avant le premier versement")
    );
    let sign = format!("/gpsea/subventions/{id}/convention");
    let r = agent.post_form(&sign, &[("signed_on", &today)]).await?;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("La commune doit d&#39;abord viser"),
        "{}",
        r.body
    );
    // The referent sees it, its PDF, and visas it.
    let mut referent = app.client_as(&app.gpsea, Role::CommuneReferent).await?;
    let list = referent.get("/gpsea/conventions-commune").await?;
    assert!(
        list.body.contains("Forum emploi intercommunal"),
        "{}",
        list.body
    );
    let page = referent
        .get(&format!("/gpsea/conventions-commune/{id}"))
        .await?;
    assert!(page.body.contains("Viser la convention"));
    let pdf = referent
        .get(&format!("/gpsea/conventions-commune/{id}/convention.pdf"))
        .await?;
    let text = trame_testkit::tools::pdf_text(&pdf.bytes)?;
    assert!(
        text.contains("Visiteurs"),
        "indicators in the convention: {text}"
    );
    let r = referent
        .post_form(&format!("/gpsea/conventions-commune/{id}/visa"), &[])
        .await?;
    assert_eq!(r.status, 303);
    let r = agent.post_form(&sign, &[("signed_on", &today)]).await?;
    assert_eq!(r.status, 303);
    let r = agent
        .post_form(
            &pay,
            &[
                ("paid_on", &today),
                ("amount", "12000"),
                ("mandate_ref", "M-1"),
            ],
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    // The commune reports: its own forecast, and the indicator.
    let url = format!("/gpsea/conventions-commune/{id}/comptes-rendus/{year}");
    let r = referent
        .post_form(
            &url,
            &report_fields(&[("f62", "15000"), ("r62", "14000"), ("f74", "15000")]),
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#ind_0\""), "{}", r.body);
    let r = referent
        .post_form(
            &url,
            &report_fields(&[
                ("f62", "15000"),
                ("r62", "14000"),
                ("f74", "15000"),
                ("r74", "14000"),
                ("ind_0", "912"),
            ]),
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = agent
        .get(&format!("/gpsea/subventions/{id}/comptes-rendus/{year}"))
        .await?;
    assert!(page.body.contains("912"));
    // Nobody else's: not the applicant's, not another referent's territory.
    let mut porteur = app.client_as(&app.gpsea, Role::Applicant).await?;
    assert_eq!(
        porteur
            .get(&format!("/gpsea/mes-subventions/{id}"))
            .await?
            .status,
        404
    );
    let mut other = app.client_as(&app.other, Role::CommuneReferent).await?;
    assert_eq!(
        other
            .get(&format!("/controle/conventions-commune/{id}"))
            .await?
            .status,
        404
    );
    Ok(())
}

#[tokio::test]
async fn conventions_are_recorded_through_the_form() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let org = crate::funding::association(&app, "Mission locale", "W941000128").await?;
    let mut agent = app.client_as(&app.gpsea, Role::Agent).await?;
    let page = agent.get("/gpsea/conventions/nouvelle").await?;
    assert_eq!(page.status, 200);
    let org_id = org.id.to_string();
    let r = agent
        .post_form(
            "/gpsea/conventions/nouvelle",
            &[
                ("category", "mission-locale"),
                ("organisation", &org_id),
                ("title", "Accompagnement des jeunes"),
                ("first_year", "2026"),
                ("amount_1", "120 000"),
                ("amount_2", ""),
                ("amount_3", "50000"),
                ("decided_on", "2026-01-15"),
                ("deliberation", "CT 2026-01-15 n° 4"),
                ("indicator_1", "Jeunes accompagnés"),
                ("target_1", "beaucoup"),
            ],
        )
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#amount_3\""), "{}", r.body);
    assert!(r.body.contains("href=\"#target_1\""));
    assert!(
        r.body
            .contains("id=\"indicator_2\" name=\"indicator_2\" value=\"\""),
        "an empty row comes back empty"
    );
    assert!(r.body.contains("value=\"Jeunes accompagnés\""));
    assert!(
        app.store.conventions(scope).await?.is_empty(),
        "nothing written"
    );
    let r = agent
        .post_form(
            "/gpsea/conventions/nouvelle",
            &[
                ("category", "mission-locale"),
                ("organisation", &org_id),
                ("title", "Accompagnement des jeunes"),
                ("first_year", "2026"),
                ("amount_1", "120 000"),
                ("amount_2", "125000"),
                ("decided_on", "2026-01-15"),
                ("deliberation", "CT 2026-01-15 n° 4"),
                ("indicator_1", "Jeunes accompagnés"),
                ("target_1", "900"),
            ],
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let c = &app.store.conventions(scope).await?[0];
    assert_eq!(c.row.reference, "CONV-2026-001");
    assert_eq!(c.amount().cents(), 24_500_000);
    assert!(c.row.convention_required);
    let years = app.store.award_years(scope, c.row.id).await?;
    assert_eq!(
        years.iter().map(|y| y.year).collect::<Vec<_>>(),
        vec![2026, 2027]
    );
    assert_eq!(app.store.award_reports(scope, c.row.id).await?.len(), 2);
    let pdf = agent
        .get(&format!("/gpsea/subventions/{}/convention.pdf", c.row.id))
        .await?;
    let text = trame_testkit::tools::pdf_text(&pdf.bytes)?;
    for expected in [
        "2027",
        "125 000,00 €",
        "Jeunes accompagnés",
        "30/06/2028",
        "80 % du montant de l’année",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
    // The scheme's settings: a bad schedule is refused at its field.
    let scheme = app.store.convention_scheme(None, scope).await?.id;
    let url = format!("/gpsea/dispositifs/{scheme}");
    let r = agent
        .post_form(&url, &[("schedule", "70:signature,20:bilan")])
        .await?;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("error-summary"), "{}", r.body);
    assert!(r.body.contains("totalisent 90 %"));
    let r = agent
        .post_form(
            &url,
            &[
                ("schedule", "50:signature, 50:bilan"),
                ("convention_always", "1"),
            ],
        )
        .await?;
    assert_eq!(r.status, 303);
    let s = app.store.convention_scheme(None, scope).await?;
    assert_eq!(s.schedule, "50:signature,50:bilan");
    assert!(s.convention_always);
    Ok(())
}

#[tokio::test]
async fn reports_are_reminded_a_month_before_and_once_late() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let scope = app.gpsea.scope();
    let admin = app.person_id(&app.gpsea, Role::TerritoryAdmin);
    let referent_id = app.person_id(&app.gpsea, Role::CommuneReferent);
    let first = app.store.communes(scope).await?[0].code_insee.clone();
    app.store
        .set_referent_communes(admin, scope, referent_id, &[first])
        .await?;
    let (id, year) = commune_convention(&app, &app.gpsea).await?;
    let due = app.store.award_report(scope, id, year).await?.due_on;
    let settings = trame_store::jobs::JobSettings {
        session_idle: Duration::hours(1),
        access_log_retention: Duration::days(365),
    };
    let count = |prefix: &'static str| {
        let store = app.store.clone();
        async move {
            Ok::<usize, anyhow::Error>(
                store
                    .outbox(scope, 200)
                    .await?
                    .iter()
                    .filter(|m| m.subject.starts_with(prefix))
                    .count(),
            )
        }
    };
    let at = |d: time::Date| d.with_hms(10, 0, 0).map(|t| t.assume_utc());
    // Two months before: nothing. A month before, on two days: one reminder.
    for day in [
        due - Duration::days(60),
        due - Duration::days(29),
        due - Duration::days(28),
    ] {
        let now = at(day)?;
        app.clock.set(now);
        app.store.run_due_jobs(now, settings).await?;
    }
    assert_eq!(count("Rappel : compte rendu").await?, 1);
    assert_eq!(count("Compte rendu").await?, 0);
    // Late, on two days: one more.
    for day in [due + Duration::days(1), due + Duration::days(2)] {
        let now = at(day)?;
        app.clock.set(now);
        app.store.run_due_jobs(now, settings).await?;
    }
    assert_eq!(count("Compte rendu").await?, 1, "one late reminder");
    let mut agent = app.client_as(&app.gpsea, Role::Agent).await?;
    let list = agent.get("/gpsea/comptes-rendus?etat=a_rendre").await?;
    assert!(list.body.contains("en retard"), "{}", list.body);
    Ok(())
}
