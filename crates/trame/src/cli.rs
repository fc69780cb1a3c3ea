//! Command-line parsing and the maintenance commands.

use crate::config::Config;
use crate::db::open_store;
use crate::serve;
use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use trame_domain::email::Email;
use trame_domain::role::Role;

/// Trame: the platform of a territory's social action, insertion and ESS policies.
#[derive(Debug, Parser)]
#[command(name = "trame", version)]
pub struct Cli {
    /// Configuration file (default: ./trame.toml when present).
    #[arg(long, env = "TRAME_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// Database URL: sqlite://FILE?mode=rwc or postgres://…
    #[arg(long, global = true)]
    database_url: Option<String>,
    /// Folder of the embedded database.
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the web application (creates the schema; loads the demo into an empty database).
    Serve {
        /// Address to listen on, HOST:PORT.
        #[arg(long)]
        addr: Option<String>,
    },
    /// Apply the database migrations.
    Migrate,
    /// The demonstration territory.
    Demo {
        #[command(subcommand)]
        action: DemoAction,
    },
    /// Accounts.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Territories.
    Territory {
        #[command(subcommand)]
        action: TerritoryAction,
    },
    /// Take a consistent copy of an embedded (SQLite) deployment while it serves.
    Backup {
        /// The file to write; it must not exist.
        file: PathBuf,
    },
    /// Restore a backup into an empty data folder.
    Restore {
        /// The backup file.
        file: PathBuf,
    },
    /// The audit journal.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Open-data files.
    Export {
        #[command(subcommand)]
        action: ExportAction,
    },
    /// Bring data in.
    Import {
        #[command(subcommand)]
        action: ImportAction,
    },
    /// Insertion clauses in public procurement.
    Clauses {
        #[command(subcommand)]
        action: crate::clauses::ClausesAction,
    },
}

#[derive(Debug, Subcommand)]
enum ImportAction {
    /// Structures and services in data·inclusion v1 (JSON or CSV), into the directory: all
    /// or nothing, idempotent on (source, id).
    DataInclusion {
        /// Files (`.json` or `.csv`), or a folder holding `structures.json|csv` and
        /// `services.json|csv` (what `export data-inclusion` writes).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The territory (its slug); optional when there is only one.
        #[arg(long)]
        territoire: Option<String>,
        /// Create new records as drafts instead of publishing them.
        #[arg(long)]
        brouillon: bool,
    },
}

#[derive(Debug, Subcommand)]
enum ExportAction {
    /// The awards as SCDL subventions 2.1.1 (CSV), one row per award.
    Scdl {
        /// Only the awards decided this year.
        #[arg(long)]
        year: Option<i32>,
        /// The territory (its slug); optional when there is only one.
        #[arg(long)]
        territoire: Option<String>,
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// The directory in data·inclusion v1: `structures.json`, `services.json` and the same
    /// as CSV, in a folder.
    DataInclusion {
        /// The folder to write (created if needed).
        #[arg(long)]
        out: PathBuf,
        /// The territory (its slug); optional when there is only one.
        #[arg(long)]
        territoire: Option<String>,
        /// Drafts and archived records too (by default, what the public sees).
        #[arg(long)]
        tout: bool,
    },
}

#[derive(Debug, Subcommand)]
enum DemoAction {
    /// Load the GPSEA demo territory and accounts into an empty database.
    Load,
    /// Erase the whole database, then load the demo again.
    Reset {
        /// Confirm the erasure.
        #[arg(long)]
        yes: bool,
    },
    /// Add generated services (and their structures) to the demo territory's directory, for
    /// benchmarks.
    Generate {
        /// How many services.
        #[arg(long, default_value_t = 5000)]
        services: u32,
    },
    /// Add generated insertion clauses to the demo territory (contracts, people, monthly
    /// hour lines), for benchmarks.
    Clauses {
        /// How many contracts.
        #[arg(long, default_value_t = 20_000)]
        contracts: u32,
        /// How many people.
        #[arg(long, default_value_t = 200_000)]
        people: u32,
        /// About how many monthly hour lines.
        #[arg(long, default_value_t = 5_000_000)]
        lines: u64,
    },
    /// Add generated cohorts, projects, sessions and outcomes of the ESS accompaniment
    /// programme to the demo territory, for benchmarks.
    Accompagnement {
        /// How many projects (in cohorts of 20).
        #[arg(long, default_value_t = 1000)]
        projects: u32,
        /// How many individual sessions.
        #[arg(long, default_value_t = 50_000)]
        sessions: u32,
    },
    /// Add generated insertion pathways (files, barriers, steps, referrals) to the demo
    /// PLIE, for benchmarks.
    Parcours {
        /// How many files.
        #[arg(long, default_value_t = 10_000)]
        files: u32,
        /// How many counsellors share them (the demo's three, then generated ones).
        #[arg(long, default_value_t = 30)]
        counsellors: u32,
    },
    /// Add submitted dossiers to the demo territory's open edition, for benchmarks.
    Volume {
        /// How many dossiers.
        #[arg(long, default_value_t = 5000)]
        dossiers: u32,
    },
}

#[derive(Debug, Subcommand)]
enum UserAction {
    /// Create an account and give it a role in a territory. The password is read from
    /// standard input (or asked for on a terminal).
    Add {
        /// Email address.
        #[arg(long)]
        email: String,
        /// Name shown on pages.
        #[arg(long)]
        name: String,
        /// Territory slug, such as gpsea.
        #[arg(long)]
        territory: String,
        /// Role code: territory_admin, agent, committee_member, commune_referent, partner,
        /// applicant, company, facilitator.
        #[arg(long)]
        role: String,
    },
}

#[derive(Debug, Subcommand)]
enum TerritoryAction {
    /// Create a territory from the SIREN of an EPT or an EPCI, with its communes from the
    /// embedded official list (works offline).
    Create {
        /// SIREN of the EPT or EPCI, such as 200058006 for GPSEA.
        #[arg(long, visible_alias = "epci")]
        ept: String,
        /// URL prefix; derived from the name when omitted.
        #[arg(long)]
        slug: Option<String>,
    },
    /// List the territories.
    List,
    /// The communes' outlines, for the map.
    Geometry {
        #[command(subcommand)]
        action: GeometryAction,
    },
}

#[derive(Debug, Subcommand)]
enum GeometryAction {
    /// Import the communes' outlines from a GeoJSON FeatureCollection (IGN ADMIN EXPRESS,
    /// Etalab contours…), in WGS 84 or Lambert-93; replaces the territory's outlines.
    Import {
        /// The GeoJSON file.
        file: PathBuf,
        /// The territory (its slug); optional when there is only one.
        #[arg(long)]
        territoire: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum AuditAction {
    /// Recompute every hash chain of the journal; exit status 1 when one is broken.
    Verify,
}

impl Cli {
    /// The configuration: file, environment, then flags.
    pub fn config(&self) -> Result<Config> {
        let file = self
            .config
            .clone()
            .unwrap_or_else(|| PathBuf::from("trame.toml"));
        let mut cfg = Config::load(Some(&file), std::env::vars())?;
        if let Some(url) = &self.database_url {
            cfg.database_url = url.clone();
        }
        if let Some(dir) = &self.data_dir {
            cfg.data_dir = dir.clone();
        }
        if let Command::Serve { addr: Some(addr) } = &self.command {
            cfg.addr = addr.clone();
        }
        Ok(cfg)
    }
}

/// Runs the command.
pub async fn dispatch(cli: Cli, cfg: Config) -> Result<ExitCode> {
    match cli.command {
        Command::Serve { .. } => serve::serve(cfg).await.map(|()| ExitCode::SUCCESS),
        Command::Clauses { action } => crate::clauses::run(action, &cfg).await,
        Command::Migrate => {
            open_store(&cfg).await?.migrate().await?;
            println!("Base de données à jour.");
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { action } => demo(action, &cfg).await,
        Command::Territory { action } => territory(action, &cfg).await,
        Command::Backup { file } => backup(&cfg, &file).await,
        Command::Restore { file } => restore(&cfg, &file).await,
        Command::User {
            action:
                UserAction::Add {
                    email,
                    name,
                    territory,
                    role,
                },
        } => user_add(&cfg, &email, &name, &territory, &role).await,
        Command::Audit {
            action: AuditAction::Verify,
        } => audit_verify(&cfg).await,
        Command::Export {
            action:
                ExportAction::Scdl {
                    year,
                    territoire,
                    out,
                },
        } => export_scdl(&cfg, year, territoire.as_deref(), &out).await,
        Command::Export {
            action:
                ExportAction::DataInclusion {
                    out,
                    territoire,
                    tout,
                },
        } => crate::directory::export(&cfg, territoire.as_deref(), &out, tout).await,
        Command::Import {
            action:
                ImportAction::DataInclusion {
                    files,
                    territoire,
                    brouillon,
                },
        } => crate::directory::import(&cfg, territoire.as_deref(), &files, !brouillon).await,
    }
}

/// The territory named by `--territoire`, or the only one.
pub(crate) async fn territory_arg(
    store: &trame_store::Store,
    slug: Option<&str>,
) -> Result<trame_store::territories::Territory> {
    Ok(match slug {
        Some(s) => store
            .territory_by_slug(s)
            .await
            .with_context(|| format!("territoire « {s} » introuvable"))?,
        None => {
            let mut all = store.territories().await?;
            if all.len() != 1 {
                bail!(
                    "précisez le territoire avec --territoire (il y en a {})",
                    all.len()
                );
            }
            all.remove(0)
        }
    })
}

async fn export_scdl(
    cfg: &Config,
    year: Option<i32>,
    slug: Option<&str>,
    out: &std::path::Path,
) -> Result<ExitCode> {
    let store = open_store(cfg).await?;
    store.migrate().await?;
    let territory = territory_arg(&store, slug).await?;
    let bytes = trame_web::open_data::scdl_file(&store, &territory, year)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    std::fs::write(out, &bytes).with_context(|| format!("écriture de {}", out.display()))?;
    let rows = bytes
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        .saturating_sub(1);
    println!("{rows} subvention(s) écrite(s) dans {}.", out.display());
    Ok(ExitCode::SUCCESS)
}

async fn demo(action: DemoAction, cfg: &Config) -> Result<ExitCode> {
    if let DemoAction::Reset { yes } = action {
        if !yes {
            bail!("« demo reset » efface toute la base de données : ajoutez --yes pour confirmer");
        }
        erase(cfg).await?;
    }
    let store = open_store(cfg).await?;
    store.migrate().await?;
    if let DemoAction::Generate { services } = action {
        store.load_demo().await?;
        let n = store.generate_directory(services).await?;
        println!("{n} services générés ajoutés à l'annuaire du territoire de démonstration.");
        return Ok(ExitCode::SUCCESS);
    }
    if let DemoAction::Clauses {
        contracts,
        people,
        lines,
    } = action
    {
        store.load_demo().await?;
        let started = std::time::Instant::now();
        let n = store
            .generate_clauses(trame_store::demo_clauses::ClauseVolume {
                contracts,
                people,
                lines,
            })
            .await?;
        println!(
            "{contracts} marchés, {people} personnes et {n} lignes d'heures générés en {:.1} s.",
            started.elapsed().as_secs_f64()
        );
        return Ok(ExitCode::SUCCESS);
    }
    if let DemoAction::Accompagnement { projects, sessions } = action {
        store.load_demo().await?;
        let started = std::time::Instant::now();
        let n = store
            .generate_accompaniment(trame_store::demo_accompaniment::AccVolume {
                projects,
                sessions,
            })
            .await?;
        println!(
            "{projects} projets accompagnés et {n} séances générés en {:.1} s.",
            started.elapsed().as_secs_f64()
        );
        return Ok(ExitCode::SUCCESS);
    }
    if let DemoAction::Parcours { files, counsellors } = action {
        store.load_demo().await?;
        let started = std::time::Instant::now();
        let n = store
            .generate_pathways(trame_store::demo_pathways::PathVolume { files, counsellors })
            .await?;
        println!(
            "{n} dossiers de parcours générés pour {counsellors} conseillers en {:.1} s.",
            started.elapsed().as_secs_f64()
        );
        return Ok(ExitCode::SUCCESS);
    }
    if let DemoAction::Volume { dossiers } = action {
        store.load_demo().await?;
        let n = store.seed_volume(dossiers).await?;
        println!(
            "{n} dossiers déposés ajoutés à l'édition ouverte du territoire de démonstration."
        );
        return Ok(ExitCode::SUCCESS);
    }
    match store.load_demo().await? {
        trame_store::demo::DemoOutcome::Loaded => {
            println!("Territoire de démonstration chargé.");
            serve::print_demo_accounts();
        }
        trame_store::demo::DemoOutcome::AlreadyPresent => {
            println!("La base contient déjà un territoire : rien n'a été chargé.");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Erases the database: the SQLite files, or every table of the PostgreSQL schema.
async fn erase(cfg: &Config) -> Result<()> {
    let url = cfg.database_url();
    if let Some(rest) = url.strip_prefix("sqlite://") {
        let path = rest.split('?').next().unwrap_or(rest);
        for suffix in ["", "-wal", "-shm"] {
            let f = format!("{path}{suffix}");
            if std::path::Path::new(&f).exists() {
                std::fs::remove_file(&f).with_context(|| format!("suppression de {f}"))?;
            }
        }
    } else {
        use sea_orm::ConnectionTrait;
        let store = open_store(cfg).await?;
        store
            .connection()
            .execute_unprepared("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
            .await?;
    }
    Ok(())
}

fn read_password() -> Result<String> {
    if std::io::stdin().is_terminal() {
        Ok(rpassword::prompt_password("Mot de passe : ")?)
    } else {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        Ok(s.trim_end_matches(['\n', '\r']).to_owned())
    }
}

async fn user_add(
    cfg: &Config,
    email: &str,
    name: &str,
    territory: &str,
    role: &str,
) -> Result<ExitCode> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("--email : {e}"))?;
    let role = Role::from_code(role).with_context(|| {
        let codes: Vec<&str> = Role::ALL.iter().map(|r| r.code()).collect();
        format!(
            "--role : rôle inconnu ; rôles possibles : {}",
            codes.join(", ")
        )
    })?;
    if name.trim().is_empty() {
        bail!("--name : le nom est obligatoire");
    }
    let password = read_password()?;
    trame_domain::password::check_new_password(
        &password,
        &[email.as_str(), name],
        cfg.min_password_bits,
    )
    .map_err(|e| anyhow::anyhow!("mot de passe : {e}"))?;
    let store = open_store(cfg).await?;
    store.migrate().await?;
    let t = store
        .territory_by_slug(territory)
        .await
        .map_err(|_| anyhow::anyhow!("--territory : aucun territoire « {territory} »"))?;
    let person = store.create_person(None, &email, name, &password).await?;
    store
        .add_membership(None, t.scope(), person.id, role)
        .await?;
    println!("Compte {} créé : {} dans {}.", email, role.label(), t.name);
    Ok(ExitCode::SUCCESS)
}

async fn territory(action: TerritoryAction, cfg: &Config) -> Result<ExitCode> {
    let store = open_store(cfg).await?;
    store.migrate().await?;
    match action {
        TerritoryAction::List => {
            for t in store.territories().await? {
                let n = store.communes(t.scope()).await?.len();
                println!(
                    "{:<28} {} ({} communes, SIREN {})",
                    t.slug, t.name, n, t.siren
                );
            }
        }
        TerritoryAction::Geometry {
            action: GeometryAction::Import { file, territoire },
        } => {
            let t = territory_arg(&store, territoire.as_deref()).await?;
            let bytes =
                std::fs::read(&file).with_context(|| format!("lecture de {}", file.display()))?;
            let reading = match trame_domain::geometry::read_geojson(&bytes) {
                Ok(r) => r,
                Err(errors) => {
                    for e in &errors {
                        eprintln!("{}: {e}", file.display());
                    }
                    eprintln!("{} erreur(s) : rien n'a été importé.", errors.len());
                    return Ok(ExitCode::FAILURE);
                }
            };
            let report = match store.import_outlines(None, t.scope(), &reading).await {
                Ok(r) => r,
                Err(trame_store::StoreError::Conflict { message, .. }) => {
                    eprintln!("{}: {message}", file.display());
                    return Ok(ExitCode::FAILURE);
                }
                Err(e) => return Err(e.into()),
            };
            println!(
                "{} contour(s) de commune importé(s) pour « {} »{}.",
                report.stored,
                t.name,
                if reading.from_lambert93 {
                    " (coordonnées Lambert-93 converties en WGS 84)"
                } else {
                    ""
                }
            );
            if !report.ignored.is_empty() {
                println!(
                    "Hors du territoire, ignorées : {}.",
                    report.ignored.join(", ")
                );
            }
            if !report.missing.is_empty() {
                println!(
                    "Sans contour dans le fichier (un carré à leur centre sur la carte) : {}.",
                    report.missing.join(", ")
                );
            }
        }
        TerritoryAction::Create { ept, slug } => {
            let siren = trame_domain::identifiers::Siren::parse(&ept)
                .map_err(|e| anyhow::anyhow!("--ept : {e}"))?;
            let found = match trame_store::cog::find_groupement(&siren) {
                Ok(found) => found,
                Err(trame_store::StoreError::NotFound) => bail!(
                    "--ept : aucun EPT ni EPCI ne porte le SIREN {siren} dans la liste officielle ({})",
                    trame_store::cog::source()?
                ),
                Err(e) => return Err(e.into()),
            };
            let slug = slug.unwrap_or_else(|| trame_store::cog::slug_for(&found.reference.nom));
            let slug = trame_domain::territory::TerritorySlug::parse(&slug)
                .map_err(|e| anyhow::anyhow!("--slug : {e}"))?;
            let t = store
                .create_territory(None, &slug, &found.reference)
                .await?;
            println!(
                "Territoire « {} » ({}) créé sous /{} avec {} communes.",
                t.name,
                found.kind,
                t.slug,
                found.reference.communes.len()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn backup(cfg: &Config, file: &std::path::Path) -> Result<ExitCode> {
    let store = open_store(cfg).await?;
    store.backup_sqlite(file).await?;
    let copy = trame_store::Store::connect(
        &format!("sqlite://{}?mode=ro", file.display()),
        std::sync::Arc::new(crate::db::SystemClock),
    )
    .await?;
    copy.integrity_check().await?;
    let digest = copy.content_digest().await?;
    println!(
        "Sauvegarde écrite dans {} (empreinte du contenu {digest}).",
        file.display()
    );
    Ok(ExitCode::SUCCESS)
}

async fn restore(cfg: &Config, file: &std::path::Path) -> Result<ExitCode> {
    if !cfg.database_url.is_empty() {
        bail!(
            "la restauration intégrée concerne SQLite ; pour PostgreSQL, utilisez pg_restore (voir ARCHITECTURE.md)"
        );
    }
    let target = cfg.data_dir.join("trame.db");
    if target.exists() {
        bail!(
            "{} existe déjà : restaurez dans un dossier de données vide (--data-dir)",
            target.display()
        );
    }
    let copy = trame_store::Store::connect(
        &format!("sqlite://{}?mode=ro", file.display()),
        std::sync::Arc::new(crate::db::SystemClock),
    )
    .await
    .with_context(|| format!("ouverture de {}", file.display()))?;
    copy.integrity_check().await?;
    let digest = copy.content_digest().await?;
    copy.close().await?;
    std::fs::create_dir_all(&cfg.data_dir)?;
    std::fs::copy(file, &target).with_context(|| format!("copie vers {}", target.display()))?;
    let store = open_store(cfg).await?;
    store.migrate().await?;
    let checks = store.audit_verify().await?;
    if let Some(broken) = checks.iter().find(|c| c.broken.is_some()) {
        bail!(
            "le journal d'audit de la sauvegarde est rompu ({})",
            broken.chain
        );
    }
    println!(
        "Sauvegarde restaurée dans {} (empreinte du contenu {digest}).",
        target.display()
    );
    Ok(ExitCode::SUCCESS)
}

async fn audit_verify(cfg: &Config) -> Result<ExitCode> {
    let store = open_store(cfg).await?;
    let checks = store.audit_verify().await?;
    let mut ok = true;
    for c in &checks {
        match &c.broken {
            None => println!("{} : intègre ({} entrées)", c.chain, c.entries),
            Some(why) => {
                ok = false;
                println!("{} : ROMPUE — {}", c.chain, why);
            }
        }
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
