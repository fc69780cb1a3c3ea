//! `trame import data-inclusion` and `trame export data-inclusion`.

use crate::cli::territory_arg;
use crate::config::Config;
use crate::db::open_store;
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use trame_domain::directory::exchange::{self, Exchange};
use trame_store::directory::import::{ImportError, ImportOptions};

/// The files a path names: itself, or the data·inclusion files of a folder.
fn files_of(path: &Path) -> Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_owned()]);
    }
    let mut out = Vec::new();
    for kind in ["structures", "services"] {
        let json = path.join(format!("{kind}.json"));
        let csv = path.join(format!("{kind}.csv"));
        if json.exists() {
            out.push(json);
        } else if csv.exists() {
            out.push(csv);
        }
    }
    if out.is_empty() {
        bail!(
            "{} ne contient ni structures.json ni services.json (ni leurs versions CSV)",
            path.display()
        );
    }
    Ok(out)
}

fn bar(done: usize, total: usize) {
    let width = 30;
    let filled = (done * width).checked_div(total).unwrap_or(width);
    let pct = (done * 100).checked_div(total).unwrap_or(100);
    let mut err = std::io::stderr();
    let _ = write!(
        err,
        "\r[{}{}] {pct:>3} % — {done} / {total} fiches",
        "#".repeat(filled),
        ".".repeat(width - filled)
    );
    if done == total {
        let _ = writeln!(err);
    }
    let _ = err.flush();
}

pub(crate) async fn import(
    cfg: &Config,
    slug: Option<&str>,
    paths: &[PathBuf],
    publish: bool,
) -> Result<ExitCode> {
    let mut ex = Exchange::default();
    let mut faults = Vec::new();
    for path in paths {
        for file in files_of(path)? {
            let bytes =
                std::fs::read(&file).with_context(|| format!("lecture de {}", file.display()))?;
            let name = file.to_string_lossy();
            match exchange::read_named(&name, &bytes) {
                Ok(part) => ex.extend(part),
                Err(rows) => faults.extend(rows.into_iter().map(|r| format!("{name} : {r}"))),
            }
        }
    }
    if !faults.is_empty() {
        for f in &faults {
            eprintln!("{f}");
        }
        eprintln!("{} erreur(s) : rien n'a été importé.", faults.len());
        return Ok(ExitCode::from(2));
    }
    let store = open_store(cfg).await?;
    store.migrate().await?;
    let territory = territory_arg(&store, slug).await?;
    let started = std::time::Instant::now();
    let outcome = store
        .import_directory(
            None,
            territory.scope(),
            &ex,
            ImportOptions {
                publish,
                demo: false,
            },
            &bar,
        )
        .await;
    match outcome {
        Ok(o) => {
            println!(
                "Structures : {} créée(s), {} modifiée(s), {} inchangée(s).",
                o.structures.created, o.structures.updated, o.structures.unchanged
            );
            println!(
                "Services : {} créé(s), {} modifié(s), {} inchangé(s).",
                o.services.created, o.services.updated, o.services.unchanged
            );
            println!(
                "Import terminé en {:.1} s (révision {} de l'annuaire).",
                started.elapsed().as_secs_f64(),
                o.revision
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(ImportError::Rows(rows)) => {
            for r in &rows {
                eprintln!("{r}");
            }
            eprintln!("{} erreur(s) : rien n'a été importé.", rows.len());
            Ok(ExitCode::from(2))
        }
        Err(ImportError::Store(e)) => Err(e.into()),
    }
}

pub(crate) async fn export(
    cfg: &Config,
    slug: Option<&str>,
    out: &Path,
    all: bool,
) -> Result<ExitCode> {
    let store = open_store(cfg).await?;
    store.migrate().await?;
    let territory = territory_arg(&store, slug).await?;
    let (structures, services) = store.export_directory(territory.scope(), all).await?;
    std::fs::create_dir_all(out).with_context(|| format!("création de {}", out.display()))?;
    let write = |name: &str, bytes: Vec<u8>| -> Result<()> {
        let path = out.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("écriture de {}", path.display()))
    };
    write("structures.json", serde_json::to_vec_pretty(&structures)?)?;
    write("services.json", serde_json::to_vec_pretty(&services)?)?;
    write(
        "structures.csv",
        exchange::structures_csv(&structures).map_err(anyhow::Error::msg)?,
    )?;
    write(
        "services.csv",
        exchange::services_csv(&services).map_err(anyhow::Error::msg)?,
    )?;
    println!(
        "{} structure(s) et {} service(s) écrits dans {} (JSON et CSV).",
        structures.len(),
        services.len(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
