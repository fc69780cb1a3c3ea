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

/// Reads logged at once are written together (group commit), each one exactly once, and
/// each caller returns only when its own entry is in the database.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reads_logged_at_once_are_each_written_once() -> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let admin = app.person_id(&app.gpsea, Role::TerritoryAdmin);
    let before = app.store.access_log_count(admin).await?;
    let tasks: Vec<_> = (0..64)
        .map(|n| {
            let store = app.store.clone();
            let territory = app.gpsea.id;
            tokio::spawn(async move {
                store
                    .log_access(
                        admin,
                        Some(territory),
                        "members.list",
                        &format!("territory:{territory}/members?n={n}"),
                    )
                    .await?;
                // Once the call has returned, the entry is there.
                anyhow::Ok(store.access_log_count(admin).await?)
            })
        })
        .collect();
    for t in tasks {
        assert!(t.await?? > before);
    }
    assert_eq!(app.store.access_log_count(admin).await?, before + 64);
    Ok(())
}
