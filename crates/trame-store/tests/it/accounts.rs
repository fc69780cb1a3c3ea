use time::Duration;
use trame_domain::email::Email;
use trame_domain::role::Role;
use trame_store::StoreError;
use trame_store::accounts::LoginOutcome;
use trame_testkit::{PASSWORD, TestApp, email_for};

fn email(s: &str) -> anyhow::Result<Email> {
    Email::parse(s).map_err(|e| anyhow::anyhow!(e.message))
}

#[tokio::test]
async fn a_duplicate_email_is_a_conflict_on_the_email_field() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let existing = email(&email_for("gpsea", Role::Agent))?;
    let err = app
        .store
        .create_person(None, &existing, "Doublon", PASSWORD)
        .await;
    match err {
        Err(StoreError::Conflict { field, message }) => {
            assert_eq!(field, "email");
            assert_eq!(
                message,
                "Un compte existe déjà avec cette adresse électronique."
            );
        }
        other => anyhow::bail!("expected a conflict, got {other:?}"),
    }
    let scope = app.gpsea.scope();
    let id = app.person_id(&app.gpsea, Role::Agent);
    let dup = app.store.add_membership(None, scope, id, Role::Agent).await;
    assert!(matches!(
        dup,
        Err(StoreError::Conflict { field: "role", .. })
    ));
    Ok(())
}

#[tokio::test]
async fn six_failures_lock_the_account_for_an_hour() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let e = email(&email_for("gpsea", Role::Agent))?;
    for _ in 0..5 {
        assert_eq!(
            app.store.authenticate(&e, "mauvais mot de passe").await?,
            LoginOutcome::BadCredentials
        );
    }
    let locked = app.store.authenticate(&e, "mauvais mot de passe").await?;
    assert!(matches!(locked, LoginOutcome::Locked(_)));
    // The right password does not open a locked account.
    assert!(matches!(
        app.store.authenticate(&e, PASSWORD).await?,
        LoginOutcome::Locked(_)
    ));
    app.clock.advance(Duration::minutes(59));
    assert!(matches!(
        app.store.authenticate(&e, PASSWORD).await?,
        LoginOutcome::Locked(_)
    ));
    app.clock.advance(Duration::minutes(2));
    assert!(matches!(
        app.store.authenticate(&e, PASSWORD).await?,
        LoginOutcome::Success(_)
    ));
    Ok(())
}

#[tokio::test]
async fn an_unknown_email_is_indistinguishable_from_a_wrong_password() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let outcome = app
        .store
        .authenticate(&email("personne@inconnu.test")?, PASSWORD)
        .await?;
    assert_eq!(outcome, LoginOutcome::BadCredentials);
    Ok(())
}

#[tokio::test]
async fn sessions_expire_after_the_idle_timeout() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let id = app.person_id(&app.gpsea, Role::Agent);
    let token = app.store.open_session(id, Some(app.gpsea.id)).await?;
    let idle = Duration::hours(1);
    app.clock.advance(Duration::minutes(50));
    assert!(
        app.store.session(&token, idle).await?.is_some(),
        "activity refreshes the session"
    );
    app.clock.advance(Duration::minutes(50));
    assert!(
        app.store.session(&token, idle).await?.is_some(),
        "50 min after the last request"
    );
    app.clock.advance(Duration::minutes(61));
    assert!(
        app.store.session(&token, idle).await?.is_none(),
        "61 min idle"
    );
    app.store.close_session(&token).await?;
    Ok(())
}

#[tokio::test]
async fn memberships_are_listed_per_territory() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let id = app.person_id(&app.gpsea, Role::Agent);
    app.store
        .add_membership(None, app.other.scope(), id, Role::CommitteeMember)
        .await?;
    app.store
        .add_membership(None, app.gpsea.scope(), id, Role::Facilitator)
        .await?;
    let views = app.store.memberships_of(id).await?;
    let summary: Vec<(String, Vec<Role>)> = views
        .into_iter()
        .map(|v| (v.territory.slug, v.roles))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("gpsea".to_string(), vec![Role::Agent, Role::Facilitator]),
            ("controle".to_string(), vec![Role::CommitteeMember]),
        ]
    );
    let members = app.store.members(app.other.scope()).await?;
    assert_eq!(
        members.len(),
        9,
        "8 accounts of the territory and the newcomer"
    );
    Ok(())
}
