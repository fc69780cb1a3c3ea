//! `trame serve`: open the store, migrate, load the demo into an empty database, start the
//! job runner, serve HTTP until SIGINT/SIGTERM, then drain and close.

use crate::config::Config;
use crate::db::open_store;
use anyhow::{Context, Result};
use std::net::SocketAddr;
use std::time::Duration;
use tracing_subscriber::EnvFilter;
use trame_store::Store;

/// Logs to standard error, as text or JSON; `TRAME_LOG` sets the filter.
pub fn init_tracing(format: &str) {
    let filter = EnvFilter::try_from_env("TRAME_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if format == "json" {
        let _ = builder.json().try_init();
    } else {
        let _ = builder.try_init();
    }
}

/// Prints the demo accounts (demo data only).
pub fn print_demo_accounts() {
    println!(
        "Comptes de démonstration (mot de passe : « {} ») :",
        trame_store::demo::DEMO_PASSWORD
    );
    for (email, _, role) in trame_store::demo::DEMO_ACCOUNTS {
        println!("  {:<34} {}", email, role.label());
    }
    for (email, _) in trame_store::demo_pathways::DEMO_COUNSELLORS {
        println!("  {:<34} Conseiller PLIE (organisation partenaire)", email);
    }
}

/// Serves until a shutdown signal.
pub async fn serve(cfg: Config) -> Result<()> {
    let store = open_store(&cfg).await?;
    store.migrate().await.context("migration du schéma")?;
    if cfg.demo && store.load_demo().await? == trame_store::demo::DemoOutcome::Loaded {
        println!("Base vide : territoire de démonstration GPSEA chargé.");
    }
    store
        .optimize()
        .await
        .context("statistiques du planificateur")?;
    let listener = tokio::net::TcpListener::bind(&cfg.addr)
        .await
        .with_context(|| format!("écoute sur {}", cfg.addr))?;
    let local = listener.local_addr()?;
    println!("Trame est servi sur http://{local}/");
    if cfg.demo {
        print_demo_accounts();
    }
    let runner = tokio::spawn(run_jobs(store.clone(), cfg.clone()));
    let app = trame_web::app(trame_web::AppState::new(store.clone(), cfg.web()?));
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("serveur HTTP")?;
    runner.abort();
    store.close().await?;
    tracing::info!("arrêt propre");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("signal d'arrêt reçu : fin des requêtes en cours");
}

/// The job runner: every minute, take or renew the lease, then run the due jobs and hand
/// the outbox to the SMTP relay when one is configured.
async fn run_jobs(store: Store, cfg: Config) {
    let holder = format!("{}-{:08x}", std::process::id(), rand::random::<u32>());
    let smtp = cfg.smtp();
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tick.tick().await;
        let now = store.now();
        let lease = store
            .acquire_runner_lease(&holder, now, time::Duration::minutes(3))
            .await;
        match lease {
            Ok(true) => {}
            Ok(false) => continue,
            Err(e) => {
                tracing::error!(error = %e, "bail du planificateur");
                continue;
            }
        }
        match store.run_due_jobs(now, cfg.jobs()).await {
            Ok(reports) => {
                for r in reports {
                    tracing::info!(
                        job = r.job.name(),
                        rows = r.rows,
                        "tâche planifiée exécutée"
                    );
                }
            }
            Err(e) => tracing::error!(error = %e, "tâches planifiées"),
        }
        if let Some(smtp) = &smtp {
            match crate::mail::send_pending(&store, smtp).await {
                Ok(r) if r.sent + r.failed > 0 => {
                    tracing::info!(sent = r.sent, failed = r.failed, "courriels");
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "envoi des courriels"),
            }
        }
    }
}
