use time::Duration;
use trame_domain::role::Role;
use trame_store::jobs::{Job, JobSettings};
use trame_testkit::TestApp;

fn settings() -> JobSettings {
    JobSettings {
        session_idle: Duration::hours(1),
        access_log_retention: Duration::days(365),
    }
}

#[tokio::test]
async fn one_runner_holds_the_lease_until_it_expires() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let ttl = Duration::minutes(3);
    let now = app.store.now();
    assert!(app.store.acquire_runner_lease("a", now, ttl).await?);
    assert!(!app.store.acquire_runner_lease("b", now, ttl).await?);
    assert!(
        app.store
            .acquire_runner_lease("a", now + Duration::minutes(1), ttl)
            .await?,
        "renewal"
    );
    assert!(
        !app.store
            .acquire_runner_lease("b", now + Duration::minutes(3), ttl)
            .await?
    );
    assert!(
        app.store
            .acquire_runner_lease("b", now + Duration::minutes(5), ttl)
            .await?,
        "expired"
    );
    Ok(())
}

#[tokio::test]
async fn each_job_runs_once_per_period_and_purges_only_what_is_due() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let admin = app.person_id(&app.gpsea, Role::TerritoryAdmin);
    app.store
        .log_access(
            admin,
            Some(app.gpsea.id),
            "members.list",
            "territory:1/members",
        )
        .await?;
    let old_session = app.store.open_session(admin, None).await?;
    app.clock.advance(Duration::days(200));
    app.store
        .log_access(
            admin,
            Some(app.gpsea.id),
            "members.list",
            "territory:1/members",
        )
        .await?;
    let fresh_session = app.store.open_session(admin, None).await?;

    let first = app.store.run_due_jobs(app.store.now(), settings()).await?;
    let rows = |job: Job| first.iter().find(|r| r.job == job).map(|r| r.rows);
    assert_eq!(
        rows(Job::PurgeIdleSessions),
        Some(1),
        "the 200-day-old session"
    );
    assert_eq!(
        rows(Job::PurgeAccessLog),
        Some(0),
        "nothing older than a year yet"
    );
    assert!(
        app.store
            .run_due_jobs(app.store.now(), settings())
            .await?
            .is_empty(),
        "same period"
    );

    app.clock.advance(Duration::days(200));
    let later = app.store.run_due_jobs(app.store.now(), settings()).await?;
    let purged = later
        .iter()
        .find(|r| r.job == Job::PurgeAccessLog)
        .map(|r| r.rows);
    assert_eq!(purged, Some(1), "only the entry older than 365 days");
    assert_eq!(app.store.access_log_count(admin).await?, 1);
    assert!(
        app.store
            .session(&old_session, Duration::hours(1))
            .await?
            .is_none()
    );
    let _ = fresh_session;
    let checks = app.store.audit_verify().await?;
    assert!(checks.iter().all(|c| c.broken.is_none()));
    Ok(())
}
