//! The `trame` command: serve the platform, migrate the database, load the demo, add a
//! user, verify the audit journal.

mod clauses;
mod cli;
mod config;
mod db;
mod directory;
mod mail;
mod serve;

use anyhow::Result;
use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    match run(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("erreur : {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: cli::Cli) -> Result<std::process::ExitCode> {
    let cfg = cli.config()?;
    serve::init_tracing(&cfg.log_format);
    cli::dispatch(cli, cfg).await
}
