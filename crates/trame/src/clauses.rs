//! `trame clauses …`: insertion clauses in public procurement.

use anyhow::Result;
use clap::Subcommand;
use std::process::ExitCode;
use trame_domain::clauses::target::{Inputs, TRADES, trade};

/// The clause commands.
#[derive(Debug, Subcommand)]
pub enum ClausesAction {
    /// The insertion hours a contract should carry: amount × labour share × insertion
    /// rate ÷ loaded hourly cost, printed with its formula.
    Target {
        /// The contract's amount excluding tax, in euros (`1 000 000`, `250000,50`).
        #[arg(long)]
        amount: String,
        /// The share of labour in the amount, in percent; or give `--metier`.
        #[arg(long, required_unless_present = "metier")]
        labour_share: Option<String>,
        /// A trade whose default labour share to use (`--metier liste` lists them).
        #[arg(long)]
        metier: Option<String>,
        /// The share of the hours reserved to insertion, in percent (often 5 to 20).
        #[arg(long)]
        rate: String,
        /// The loaded hourly cost of labour, in euros (often 25 to 30).
        #[arg(long)]
        hourly_cost: String,
    },
    /// Measures the yearly report of the demo territory against a bare full scan of the
    /// hours table, warm, median of three runs each (the benchmark of `scripts/bench`).
    Mesure {
        /// The report's year.
        #[arg(long)]
        annee: i32,
    },
}

/// Runs a clause command.
pub async fn run(action: ClausesAction, cfg: &crate::config::Config) -> Result<ExitCode> {
    let (amount, labour_share, metier, rate, hourly_cost) = match action {
        ClausesAction::Target {
            amount,
            labour_share,
            metier,
            rate,
            hourly_cost,
        } => (amount, labour_share, metier, rate, hourly_cost),
        ClausesAction::Mesure { annee } => return measure(cfg, annee).await,
    };
    if metier.as_deref() == Some("liste") {
        for t in TRADES {
            println!("{:<22} {:<45} {}", t.code, t.label, t.labour_share);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let share = match (&labour_share, &metier) {
        (Some(s), _) => s.clone(),
        (None, Some(code)) => match trade(code) {
            Some(t) => format!("{:.2}", f64::from(t.labour_share.bp()) / 100.0),
            None => {
                eprintln!(
                    "Métier inconnu « {code} » : `trame clauses target --metier liste` les énumère."
                );
                return Ok(ExitCode::from(2));
            }
        },
        (None, None) => String::new(),
    };
    match Inputs::parse(&amount, &share, &rate, &hourly_cost) {
        Ok(inputs) => {
            println!(
                "Objectif : {} heures d'insertion",
                trame_domain::format::group_digits(inputs.hours().unsigned_abs())
            );
            println!("Calcul : {}", inputs.formula());
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            for (field, message) in errors {
                let option = match field {
                    "amount" => "--amount",
                    "labour_share" => "--labour-share",
                    "rate" => "--rate",
                    _ => "--hourly-cost",
                };
                eprintln!("{option} : {message}");
            }
            Ok(ExitCode::from(2))
        }
    }
}

/// The median of three timed runs, after one to warm the caches.
async fn median_of_three<F, Fut, T>(mut f: F) -> Result<(f64, T)>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    let mut last = f().await?;
    let mut times = Vec::new();
    for _ in 0..3 {
        let started = std::time::Instant::now();
        last = f().await?;
        times.push(started.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    Ok((times.get(1).copied().unwrap_or_default(), last))
}

async fn measure(cfg: &crate::config::Config, year: i32) -> Result<ExitCode> {
    let store = crate::db::open_store(cfg).await?;
    let scope = store.territory_by_slug("gpsea").await?.scope();
    let (scan, (lines, tenths)) =
        median_of_three(|| async { Ok(store.clause_hours_full_scan().await?) }).await?;
    let (report, r) =
        median_of_three(|| async { Ok(store.clause_year_report(scope, year, None).await?) })
            .await?;
    println!(
        "full_scan_s={scan:.4} lines={lines} hours={} report_s={report:.4} report_hours={} contracts={} people={} ratio={:.2}",
        tenths / 10,
        r.total.done_tenths / 10,
        r.contracts.len(),
        r.total.people,
        report / scan.max(1e-9)
    );
    Ok(ExitCode::SUCCESS)
}
