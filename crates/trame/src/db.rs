//! Opening the database named by the configuration, with the system clock.

use crate::config::Config;
use anyhow::{Context, Result};
use std::sync::Arc;
use trame_domain::clock::Clock;
use trame_store::Store;

/// The system clock, for production.
#[derive(Debug)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> time::OffsetDateTime {
        time::OffsetDateTime::now_utc()
    }
}

/// Opens the store, creating the data folder for SQLite.
pub async fn open_store(cfg: &Config) -> Result<Store> {
    let url = cfg.database_url();
    if url.starts_with("sqlite:") && cfg.database_url.is_empty() {
        std::fs::create_dir_all(&cfg.data_dir)
            .with_context(|| format!("création du dossier {}", cfg.data_dir.display()))?;
    }
    Store::connect(&url, Arc::new(SystemClock))
        .await
        .with_context(|| "connexion à la base de données".to_string())
}
