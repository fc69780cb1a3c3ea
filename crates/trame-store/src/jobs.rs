//! The scheduled-job runner, kept in the database: one active runner per deployment (a
//! lease row), and each job runs at most once per period (a unique `(job, period)` row
//! written in the same transaction as the job's work, so a crash leaves nothing).
//!
//! The runner never reads the clock itself: [`Store::run_due_jobs`] takes `now`, so tests
//! freeze time and move it.

use crate::entities::{job_lease, job_run};
use crate::query::First;
use crate::{Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel, QuerySelect, TransactionTrait,
};
use time::{Duration, OffsetDateTime};
use trame_domain::audit::action;

/// The jobs the platform runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// Deletes sessions idle for longer than the idle timeout.
    PurgeIdleSessions,
    /// Deletes access-log entries older than the retention period.
    PurgeAccessLog,
    /// Reminds commune referents of opinions due within three days.
    RemindOpinions,
    /// Reminds beneficiaries of final reports due within a month, and of late ones.
    RemindReports,
    /// Flags the directory's services not updated for a year to their structures and the
    /// agents.
    FlagStaleServices,
    /// Tells the facilitators and the awardees of the insertion-clause contracts behind
    /// their pace or ending short (weekly).
    AlertClauses,
    /// Anonymises the pathway files two years after their last contact, and writes the
    /// elimination register (daily).
    AnonymisePathways,
    /// Refreshes the query planner's statistics (SQLite).
    Optimize,
}

impl Job {
    /// Every job, in the order a tick runs them.
    pub const ALL: [Job; 8] = [
        Job::PurgeIdleSessions,
        Job::PurgeAccessLog,
        Job::RemindOpinions,
        Job::RemindReports,
        Job::FlagStaleServices,
        Job::AlertClauses,
        Job::AnonymisePathways,
        Job::Optimize,
    ];

    /// Stable name, stored in `job_run`.
    pub const fn name(self) -> &'static str {
        match self {
            Job::PurgeIdleSessions => "purge_idle_sessions",
            Job::PurgeAccessLog => "purge_access_log",
            Job::RemindOpinions => "remind_opinions",
            Job::RemindReports => "remind_reports",
            Job::FlagStaleServices => "flag_stale_services",
            Job::AlertClauses => "alert_clauses",
            Job::AnonymisePathways => "anonymise_pathways",
            Job::Optimize => "optimize",
        }
    }

    /// The period a run covers: hourly for sessions, daily for the access log.
    pub fn period_key(self, now: OffsetDateTime) -> String {
        let d = now.date();
        match self {
            Job::PurgeIdleSessions | Job::RemindOpinions => format!("{d}T{:02}", now.hour()),
            Job::PurgeAccessLog
            | Job::RemindReports
            | Job::FlagStaleServices
            | Job::AnonymisePathways
            | Job::Optimize => d.to_string(),
            Job::AlertClauses => {
                let (year, week, _) = d.to_iso_week_date();
                format!("{year}-S{week:02}")
            }
        }
    }
}

/// Settings the jobs need.
#[derive(Debug, Clone, Copy)]
pub struct JobSettings {
    /// Session idle timeout.
    pub session_idle: Duration,
    /// How long access-log entries are kept.
    pub access_log_retention: Duration,
}

/// What one job did during a tick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobReport {
    /// Which job.
    pub job: Job,
    /// Rows it deleted.
    pub rows: u64,
}

const LEASE: &str = "runner";

impl Store {
    /// Takes or renews the runner lease for `holder` until `now + ttl`; `false` when
    /// another live runner holds it.
    pub async fn acquire_runner_lease(
        &self,
        holder: &str,
        now: OffsetDateTime,
        ttl: Duration,
    ) -> Result<bool, StoreError> {
        let tx = self.begin_write().await?;
        let mut q = job_lease::Entity::find_by_id(LEASE.to_owned());
        if self.is_postgres() {
            q = q.lock_exclusive();
        }
        let won = match q.first(&tx).await? {
            None => {
                let inserted = job_lease::ActiveModel {
                    name: Set(LEASE.to_owned()),
                    holder: Set(holder.to_owned()),
                    expires_at: Set(now + ttl),
                }
                .insert(&tx)
                .await;
                match inserted {
                    Ok(_) => true,
                    // Another runner inserted it first (PostgreSQL): it holds the lease.
                    Err(e) if e.sql_err().is_some() => return Ok(false),
                    Err(e) => return Err(e.into()),
                }
            }
            Some(l) if l.holder == holder || l.expires_at <= now => {
                let mut am = l.into_active_model();
                am.holder = Set(holder.to_owned());
                am.expires_at = Set(now + ttl);
                am.update(&tx).await?;
                true
            }
            Some(_) => false,
        };
        tx.commit().await?;
        Ok(won)
    }

    /// Runs every job whose period has not run yet. Call it with the runner lease held.
    pub async fn run_due_jobs(
        &self,
        now: OffsetDateTime,
        settings: JobSettings,
    ) -> Result<Vec<JobReport>, StoreError> {
        let mut reports = Vec::new();
        for job in Job::ALL {
            if let Some(rows) = self.run_job_once(job, now, settings).await? {
                reports.push(JobReport { job, rows });
            }
        }
        Ok(reports)
    }

    async fn run_job_once(
        &self,
        job: Job,
        now: OffsetDateTime,
        settings: JobSettings,
    ) -> Result<Option<u64>, StoreError> {
        let tx = self.begin_write().await?;
        // A savepoint lets a duplicate period fail alone on PostgreSQL, where an error
        // aborts the whole transaction.
        let claim = tx.begin().await?;
        let claimed = job_run::ActiveModel {
            job: Set(job.name().to_owned()),
            period_key: Set(job.period_key(now)),
            started_at: Set(now),
            finished_at: Set(None),
            outcome: Set(None),
            ..Default::default()
        }
        .insert(&claim)
        .await;
        let run = match claimed {
            Ok(run) => {
                claim.commit().await?;
                run
            }
            Err(e) if e.sql_err().is_some() => {
                claim.rollback().await?;
                tx.rollback().await?;
                return Ok(None);
            }
            Err(e) => return Err(e.into()),
        };
        let rows = match job {
            Job::PurgeIdleSessions => {
                crate::sessions::purge_idle(&tx, now - settings.session_idle).await?
                    + crate::idempotency::purge_before(&tx, now - crate::idempotency::KEEP).await?
            }
            Job::PurgeAccessLog => {
                crate::access_log::purge_before(&tx, now - settings.access_log_retention).await?
            }
            Job::RemindOpinions => crate::funding::instruction::remind_opinions(&tx, now).await?,
            Job::RemindReports => crate::funding::reports::remind_reports(&tx, now).await?,
            Job::FlagStaleServices => {
                crate::directory::stale::flag_stale_services(&tx, now).await?
            }
            Job::AlertClauses => crate::clauses::alerts::alert_contracts(&tx, now).await?,
            Job::AnonymisePathways => {
                crate::pathways::retention::anonymise_expired(&tx, now).await?
            }
            Job::Optimize => 0,
        };
        let run_id = run.id;
        let mut am = run.into_active_model();
        am.finished_at = Set(Some(now));
        am.outcome = Set(Some(match job {
            Job::RemindOpinions => format!("{rows} demande(s) d'avis relancée(s)"),
            Job::RemindReports => format!("{rows} compte(s) rendu(s) relancé(s)"),
            Job::FlagStaleServices => {
                format!("{rows} service(s) signalé(s) sans mise à jour depuis un an")
            }
            Job::AlertClauses => format!("{rows} marché(s) avec clause d'insertion signalé(s)"),
            Job::AnonymisePathways => {
                format!("{rows} dossier(s) de parcours ou inscription(s) à un forum anonymisé(s)")
            }
            Job::Optimize => "statistiques du planificateur mises à jour".to_owned(),
            _ => format!("{rows} ligne(s) supprimée(s)"),
        }));
        am.update(&tx).await?;
        crate::audit::record(
            &tx,
            now,
            crate::audit::Entry::platform(None, action::JOB_RUN, "job_run", run_id),
        )
        .await?;
        tx.commit().await?;
        if job == Job::AnonymisePathways {
            self.cache.forget_pathways(None);
        }
        if job == Job::Optimize {
            // Outside the transaction: SQLite refreshes its statistics on its own lock.
            self.optimize().await?;
        }
        Ok(Some(rows))
    }
}
