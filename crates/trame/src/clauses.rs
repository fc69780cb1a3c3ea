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
}

/// Runs a clause command (no database needed).
pub fn run(action: ClausesAction) -> Result<ExitCode> {
    let ClausesAction::Target {
        amount,
        labour_share,
        metier,
        rate,
        hourly_cost,
    } = action;
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
