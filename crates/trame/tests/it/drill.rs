//! The crash drill (issue 7). The real binary serves a database of its own; four clients
//! post forms with idempotency keys and retry each one, with the same key, until it is
//! acknowledged (one creates organisations, one declares insertion hours, one records
//! sessions of an accompanied project, one registers job seekers to a forum); meanwhile the server is killed with SIGKILL at
//! random moments, at least 50 times, and started again. On PostgreSQL the drill runs a throwaway cluster of its
//! own (`initdb` on a free port), which it also stops with `pg_ctl stop -m immediate`
//! now and then, with and without the server, so the shared server is never disturbed.
//! At the end every acknowledged submission must be present exactly once (and nothing
//! else), the database must pass its integrity check (`PRAGMA integrity_check`, or
//! `pg_amcheck`), every audit chain must verify, and the running totals (hours of a
//! contract, hours of a project, places taken at a forum) must equal the sum of their
//! lines.
//!
//! The backend is the one of the pass: PostgreSQL when `TRAME_TEST_DATABASE_URL` is set.
//! `TRAME_DRILL_KILLS` changes the number of kills (50 by default).

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CLIENTS: usize = 4;
const ADMIN: &str = "admin@demo.trame.test";
const FORM: &str = "/gpsea/admin/organisations/nouvelle";
const NAME_PREFIX: &str = "Exercice ";
const SESSION_PREFIX: &str = "Séance de l'exercice ";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// One HTTP/1.1 request on a fresh connection: the status and the raw head.
fn request(
    addr: &str,
    method: &str,
    path: &str,
    cookie: &str,
    body: &str,
) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(15)))?;
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nCookie: {cookie}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut out = Vec::new();
    s.read_to_end(&mut out)?;
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    let head = text.split("\r\n\r\n").next().unwrap_or_default().to_owned();
    Ok((status, head))
}

fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn urlencode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The server under drill, started again after each kill.
struct Server {
    dir: PathBuf,
    database_url: String,
    addr: String,
    child: Option<Child>,
}

impl Server {
    fn start(&mut self, patience: Duration) -> Duration {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("server.log"))
            .expect("server log");
        let child = Command::new(env!("CARGO_BIN_EXE_trame"))
            .current_dir(&self.dir)
            .env_remove("TRAME_CONFIG")
            .env_remove("TRAME_DRILL_KILLS")
            .env("TRAME_LOG", "warn")
            .env("TRAME_POSTS_PER_WINDOW", "1000000")
            .env("TRAME_LOGIN_ATTEMPTS_PER_WINDOW", "1000")
            .arg("--database-url")
            .arg(&self.database_url)
            .args(["serve", "--addr", &self.addr])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("trame serve starts");
        self.child = Some(child);
        let started = Instant::now();
        while started.elapsed() < patience {
            if matches!(request(&self.addr, "GET", "/readyz", "", ""), Ok((200, _))) {
                return started.elapsed();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "the server did not come back within {patience:?}; see {:?}",
            self.dir.join("server.log")
        );
    }

    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            c.kill().expect("SIGKILL");
            c.wait().expect("reaped");
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A throwaway PostgreSQL cluster in a temporary folder, on a free port.
struct Cluster {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    as_postgres: bool,
}

impl Cluster {
    fn pg(&self, tool: &str, args: &[&str]) -> std::process::Output {
        let program = self.bin.join(tool);
        let mut c = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        };
        let out = c.args(args).output().expect("PostgreSQL tool runs");
        assert!(
            out.status.success(),
            "{tool} {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    fn create(root: &Path) -> Cluster {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .expect("PostgreSQL is installed in /usr/lib/postgresql")
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .find(|b| b.join("initdb").exists())
            .expect("initdb");
        let as_postgres = Command::new("id")
            .arg("-u")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
            .unwrap_or(false);
        let data = root.join("pgdata");
        std::fs::create_dir_all(&data).expect("cluster folder");
        if as_postgres {
            // initdb refuses to run as root: the cluster belongs to the postgres account.
            let ok = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(root)
                .status()
                .expect("chown");
            assert!(ok.success());
        }
        let cluster = Cluster {
            bin,
            data,
            port: free_port(),
            as_postgres,
        };
        let data = cluster.data.to_string_lossy().into_owned();
        cluster.pg(
            "initdb",
            &[
                "-D",
                &data,
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-instructions",
            ],
        );
        cluster.start();
        cluster
    }

    fn start(&self) {
        let data = self.data.to_string_lossy().into_owned();
        let log = self.data.join("server.log").to_string_lossy().into_owned();
        let opts = format!(
            "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories={}",
            self.port, data
        );
        self.pg(
            "pg_ctl",
            &["-D", &data, "-o", &opts, "-l", &log, "-w", "start"],
        );
    }

    /// Runs a client program (`createdb`, `pg_amcheck`…) against the cluster.
    fn client(&self, tool: &str, args: &[&str]) {
        let port = self.port.to_string();
        let mut all = vec!["-h", "127.0.0.1", "-p", port.as_str(), "-U", "postgres"];
        all.extend_from_slice(args);
        self.pg(tool, &all);
    }

    /// A crash of the database: no checkpoint, recovery from the WAL at the next start.
    fn crash(&self) {
        let data = self.data.to_string_lossy().into_owned();
        self.pg("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]);
    }

    fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data.to_string_lossy().into_owned();
        let _ = Command::new(if self.as_postgres { "runuser" } else { "true" })
            .args(if self.as_postgres {
                vec!["-u", "postgres", "--"]
            } else {
                vec![]
            })
            .arg(self.bin.join("pg_ctl"))
            .args(["-D", &data, "-m", "immediate", "stop"])
            .output();
    }
}

/// What the clients did.
#[derive(Default)]
struct Tally {
    acknowledged: Vec<String>,
    retries: u64,
    /// Retries answered as repeats: the first attempt had been written before the kill.
    replayed: u64,
}

/// What a client posts.
#[derive(Clone)]
enum Kind {
    /// New organisations, each with its own name.
    Organisations,
    /// Lines of insertion hours on one contract: each its own person, month and way.
    Hours { contract: i64, people: Vec<i64> },
    /// Half-hour sessions of an accompanied project, each with its own summary.
    Sessions { project: i64, held_on: String },
    /// Registrations to a forum, each with its own email.
    Registrations { forum: i64 },
}

const WAYS: [&str; 5] = [
    "embauche_directe",
    "mise_a_disposition",
    "sous_traitance_siae",
    "cotraitance_siae",
    "marche_reserve",
];

/// The label and the form of a client's `n`-th submission.
fn submission(kind: &Kind, id: usize, n: u32, csrf: &str, key: &str) -> (String, String, String) {
    match kind {
        Kind::Organisations => {
            let name = format!("{NAME_PREFIX}{id}-{n}");
            let body = form(&[
                ("_csrf", csrf),
                ("_cle", key),
                ("name", &name),
                ("legal_form", "public"),
                ("commune_code", "94028"),
            ]);
            (name, FORM.to_owned(), body)
        }
        Kind::Hours { contract, people } => {
            let n = n as usize;
            let person = people.get(n % people.len()).copied().unwrap_or_default();
            let month = n / people.len() % 120;
            let month = format!("{}-{:02}", 2016 + month / 12, month % 12 + 1);
            let way = WAYS
                .get(n / (people.len() * 120) % WAYS.len())
                .copied()
                .unwrap_or("embauche_directe");
            let body = form(&[
                ("_csrf", csrf),
                ("_cle", key),
                ("person", &format!("P{person:05}")),
                ("month", &month),
                ("way", way),
                ("hours", "1"),
            ]);
            (
                format!("{person}|{month}-01|{way}"),
                format!("/gpsea/clauses/marches/{contract}/heures"),
                body,
            )
        }
        Kind::Registrations { forum } => {
            let email = format!("exercice-{id}-{n}@exemple.fr");
            let body = form(&[
                ("_csrf", csrf),
                ("_cle", key),
                ("first_name", "Personne"),
                ("last_name", "Exercice"),
                ("email", &email),
                ("consent", "oui"),
            ]);
            (email, format!("/gpsea/forums/{forum}"), body)
        }
        Kind::Sessions { project, held_on } => {
            let summary = format!("{SESSION_PREFIX}{id}-{n}");
            let body = form(&[
                ("_csrf", csrf),
                ("_cle", key),
                ("held_on", held_on),
                ("duration", "0,5"),
                ("session_kind", "individuel"),
                ("summary", &summary),
            ]);
            (
                summary,
                format!("/gpsea/suivi-accompagnement/projets/{project}/seances"),
                body,
            )
        }
    }
}

fn client(
    addr: String,
    cookie: String,
    csrf: String,
    id: usize,
    kind: Kind,
    stop: Arc<AtomicBool>,
    tally: Arc<Mutex<Tally>>,
) {
    let mut n = 0u32;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let key = format!("{:032x}", rand::random::<u128>());
        let (name, path, body) = submission(&kind, id, n, &csrf, &key);
        // The same request again, until the server acknowledges it: a redirect, or the
        // page that says it was already recorded.
        loop {
            match request(&addr, "POST", &path, &cookie, &body) {
                Ok((status @ (303 | 409), head)) => {
                    let mut t = tally.lock().expect("tally");
                    if status == 409 || head.contains("idempotent-replayed: true") {
                        t.replayed += 1;
                    }
                    t.acknowledged.push(name);
                    break;
                }
                Ok((500 | 503, _)) | Err(_) => {
                    tally.lock().expect("tally").retries += 1;
                    std::thread::sleep(Duration::from_millis(25));
                }
                Ok((status, head)) => panic!("unexpected answer {status} to {name}: {head}"),
            }
        }
    }
}

fn log_in(addr: &str, csrf: &str) -> String {
    let cookie = format!("trame_csrf={csrf}");
    let body = form(&[
        ("_csrf", csrf),
        ("email", ADMIN),
        ("password", trame_store::demo::DEMO_PASSWORD),
    ]);
    let (status, head) = request(addr, "POST", "/connexion", &cookie, &body).expect("login");
    assert_eq!(status, 303, "{head}");
    let session = head
        .lines()
        .filter_map(|l| l.strip_prefix("set-cookie: "))
        .find(|c| c.starts_with("trame_session="))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned();
    format!("{cookie}; {session}")
}

#[test]
fn acknowledged_submissions_survive_fifty_kills_exactly_once() {
    let kills: u32 = std::env::var("TRAME_DRILL_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let postgres =
        std::env::var("TRAME_TEST_DATABASE_URL").is_ok_and(|u| u.starts_with("postgres"));
    let root = tempfile::tempdir().expect("temporary folder");
    let cluster = postgres.then(|| Cluster::create(root.path()));
    let database_url = match &cluster {
        Some(c) => {
            c.client("createdb", &["trame"]);
            c.url("trame")
        }
        None => format!(
            "sqlite://{}?mode=rwc",
            root.path().join("trame.db").display()
        ),
    };
    let mut server = Server {
        dir: root.path().to_owned(),
        database_url: database_url.clone(),
        addr: format!("127.0.0.1:{}", free_port()),
        child: None,
    };
    // The first start loads the demo territory.
    server.start(Duration::from_secs(120));
    let csrf = format!("{:064x}", rand::random::<u128>());
    let cookie = log_in(&server.addr, &csrf);

    // One client declares insertion hours on a contract of ten years with a hundred
    // people, written beside the running server.
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let hours = rt.block_on(async {
        let clock = Arc::new(trame_domain::clock::FrozenClock::new(
            time::OffsetDateTime::now_utc(),
        ));
        let store = trame_store::Store::connect(&database_url, clock)
            .await
            .expect("the database opens");
        let scope = store
            .territory_by_slug("gpsea")
            .await
            .expect("gpsea")
            .scope();
        let admin = store
            .person_by_email(&trame_domain::email::Email::parse(ADMIN).expect("an address"))
            .await
            .expect("the admin account")
            .id;
        let buyer = store.clause_buyers(scope).await.expect("buyers")[0].id;
        let contract = trame_domain::clauses::contract::Contract::parse(
            &trame_domain::clauses::contract::ContractInput {
                reference: "EXERCICE-HEURES".into(),
                object: "Marché de l'exercice".into(),
                cpv: "45000000-7".into(),
                amount: "10 000 000".into(),
                notified_on: "2016-01-01".into(),
                duration_months: "120".into(),
                awardee_siret: "73282932000074".into(),
                awardee_name: "Titulaire de l'exercice".into(),
                clause_type: "condition_execution".into(),
                labour_share: "50".into(),
                rate: "10".into(),
                hourly_cost: "30".into(),
                ..Default::default()
            },
        )
        .expect("a contract");
        let contract = store
            .create_contract(admin, scope, buyer, &contract)
            .await
            .expect("contract");
        let mut people = Vec::new();
        for i in 0..100 {
            let p = trame_domain::clauses::person::Person::parse(
                &trame_domain::clauses::person::PersonInput {
                    first_name: format!("Personne {i}"),
                    last_name: "Exercice".into(),
                    sex: "F".into(),
                    birth_year: "1990".into(),
                    ground: "rqth".into(),
                    proof: "Exercice".into(),
                    ..Default::default()
                },
                2026,
            )
            .expect("a person");
            people.push(
                store
                    .create_clause_person(admin, scope, &p)
                    .await
                    .expect("person"),
            );
        }
        // A project of the demo's cohort in progress, for the sessions, dated on the
        // cohort's first day (inside its days, never in the future).
        let team = trame_store::accompaniment::Team::Territory;
        let cohort = store
            .acc_cohorts(scope, &team)
            .await
            .expect("cohorts")
            .into_iter()
            .find(|c| c.name == "Promotion 2026")
            .expect("the demo's cohort in progress");
        let project = store
            .acc_projects(scope, &team, cohort.id)
            .await
            .expect("projects")
            .first()
            .expect("a project")
            .id;
        // A forum with room for every registration the drill sends.
        let forum = trame_domain::pathways::forum::Forum::parse(
            &trame_domain::pathways::forum::ForumInput {
                title: "Forum de l'exercice".into(),
                held_on: "2099-06-01".into(),
                place: "Salle de l'exercice".into(),
                commune: "94028".into(),
                theme: "Exercice".into(),
                capacity: "10000".into(),
            },
            &["94028"],
            store.now().date(),
        )
        .expect("a forum");
        let forum = store
            .create_forum(admin, scope, &forum)
            .await
            .expect("forum");
        store.close().await.expect("close");
        (
            Kind::Hours { contract, people },
            Kind::Sessions {
                project,
                held_on: cohort.starts_on,
            },
            Kind::Registrations { forum },
        )
    });
    let (hours, sessions, registrations) = hours;
    let stop = Arc::new(AtomicBool::new(false));
    let tally = Arc::new(Mutex::new(Tally::default()));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|id| {
            let (addr, cookie, csrf) = (server.addr.clone(), cookie.clone(), csrf.clone());
            let (stop, tally) = (stop.clone(), tally.clone());
            let kind = match id {
                0 => hours.clone(),
                1 => sessions.clone(),
                2 => registrations.clone(),
                _ => Kind::Organisations,
            };
            std::thread::spawn(move || client(addr, cookie, csrf, id, kind, stop, tally))
        })
        .collect();
    let slowest_restart = AtomicU64::new(0);
    let mut database_crashes = 0;
    let drill = Instant::now();
    for i in 0..kills {
        std::thread::sleep(Duration::from_millis(50 + rand::random::<u64>() % 400));
        server.kill();
        if let Some(c) = &cluster {
            // Every fifth kill takes the database down with the server; every seventh,
            // the database alone goes down under the running server.
            if i % 5 == 4 {
                c.crash();
                c.start();
                database_crashes += 1;
            }
        }
        let took = server.start(Duration::from_secs(60));
        slowest_restart.fetch_max(took.as_millis() as u64, Ordering::Relaxed);
        if let Some(c) = &cluster
            && i % 7 == 6
        {
            std::thread::sleep(Duration::from_millis(100 + rand::random::<u64>() % 200));
            c.crash();
            c.start();
            database_crashes += 1;
        }
    }
    // Let every client finish (retrying) the request it has in hand.
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().expect("client thread");
    }
    server.kill();
    let elapsed = drill.elapsed();
    let tally = std::mem::take(&mut *tally.lock().expect("tally"));

    rt.block_on(async {
        let clock = Arc::new(trame_domain::clock::FrozenClock::new(
            time::OffsetDateTime::now_utc(),
        ));
        let store = trame_store::Store::connect(&database_url, clock)
            .await
            .expect("the database opens");
        let territory = store
            .territory_by_slug("gpsea")
            .await
            .expect("the demo territory");
        let mut present: BTreeMap<String, usize> = BTreeMap::new();
        if let Kind::Hours { contract, .. } = &hours {
            for h in store
                .contract_hours(territory.scope(), *contract)
                .await
                .expect("hours")
            {
                *present
                    .entry(format!("{}|{}|{}", h.row.person_id, h.row.month, h.row.way))
                    .or_default() += 1;
            }
        }
        if let Kind::Sessions { project, .. } = &sessions {
            let admin = store
                .person_by_email(&trame_domain::email::Email::parse(ADMIN).expect("an address"))
                .await
                .expect("the admin account")
                .id;
            let team = trame_store::accompaniment::Team::Territory;
            let view = store
                .acc_project_view(
                    territory.scope(),
                    &trame_store::accompaniment::Reader::Team(team, admin),
                    *project,
                )
                .await
                .expect("the project");
            let sum: i64 = view.sessions.iter().map(|s| i64::from(s.tenths)).sum();
            assert_eq!(
                view.project.individual_tenths, sum,
                "the project's running total of hours differs from its sessions"
            );
            for s in view.sessions {
                if let Some(summary) = s.summary.filter(|t| t.starts_with(SESSION_PREFIX)) {
                    *present.entry(summary).or_default() += 1;
                }
            }
        }
        if let Kind::Registrations { forum } = &registrations {
            let admin = store
                .person_by_email(&trame_domain::email::Email::parse(ADMIN).expect("an address"))
                .await
                .expect("the admin account")
                .id;
            let seats = store
                .forum_registrations(admin, territory.scope(), *forum)
                .await
                .expect("registrations");
            let taken = store
                .forum_view(territory.scope(), *forum)
                .await
                .expect("the forum")
                .forum
                .registered;
            assert_eq!(
                i64::from(taken),
                seats.len() as i64,
                "the forum's count of places taken differs from its registrations"
            );
            for r in seats {
                if let Some(e) = r.email {
                    *present.entry(e).or_default() += 1;
                }
            }
        }
        for o in store
            .organisations(territory.scope())
            .await
            .expect("organisations")
        {
            if o.name.starts_with(NAME_PREFIX) {
                *present.entry(o.name).or_default() += 1;
            }
        }
        let expected: BTreeMap<String, usize> =
            tally.acknowledged.iter().map(|n| (n.clone(), 1)).collect();
        assert!(
            tally.acknowledged.len() >= 20,
            "too few submissions: {}",
            tally.acknowledged.len()
        );
        assert!(
            tally
                .acknowledged
                .iter()
                .filter(|n| n.contains('|'))
                .count()
                >= 5,
            "too few hour declarations"
        );
        assert!(
            tally
                .acknowledged
                .iter()
                .filter(|n| n.starts_with(SESSION_PREFIX))
                .count()
                >= 5,
            "too few sessions"
        );
        assert!(
            tally
                .acknowledged
                .iter()
                .filter(|n| n.starts_with("exercice-"))
                .count()
                >= 5,
            "too few forum registrations"
        );
        assert_eq!(expected.len(), tally.acknowledged.len(), "names are unique");
        let missing: Vec<_> = expected
            .keys()
            .filter(|n| !present.contains_key(*n))
            .collect();
        let doubled: Vec<_> = present.iter().filter(|(_, c)| **c > 1).collect();
        let unknown: Vec<_> = present
            .keys()
            .filter(|n| !expected.contains_key(*n))
            .collect();
        assert!(missing.is_empty(), "acknowledged but lost: {missing:?}");
        assert!(doubled.is_empty(), "written twice: {doubled:?}");
        assert!(
            unknown.is_empty(),
            "written but never acknowledged: {unknown:?}"
        );
        for chain in store.audit_verify().await.expect("verify") {
            assert!(
                chain.broken.is_none(),
                "audit chain {} broken: {:?}",
                chain.chain,
                chain.broken
            );
        }
        let faults = store.clause_tally_faults().await.expect("tallies");
        assert!(
            faults.is_empty(),
            "running totals differ from the lines: {faults:?}"
        );
        let journaled = store
            .audit_list(territory.scope(), 100_000)
            .await
            .expect("journal")
            .iter()
            .filter(|e| {
                e.action == "organisation.create"
                    || e.action == "clause_hours.declare"
                    || e.action == "acc_session.create"
                    || e.action == "forum_registration.create"
            })
            .count();
        assert!(journaled >= tally.acknowledged.len());
        if cluster.is_none() {
            store
                .integrity_check()
                .await
                .expect("PRAGMA integrity_check");
        }
        store.close().await.expect("close");
    });
    if let Some(c) = &cluster {
        c.client(
            "pg_amcheck",
            &["--install-missing", "--heapallindexed", "trame"],
        );
    }
    eprintln!(
        "crash drill ({}): {kills} SIGKILLs{} in {:.1} s; {} submissions acknowledged ({} of them lines of hours, {} sessions, {} forum registrations), each present once; \
         {} retries, {} answered as repeats of a write made before a kill; slowest restart {} ms; integrity, audit chains and running totals verified",
        if postgres { "PostgreSQL" } else { "SQLite" },
        if postgres {
            format!(" and {database_crashes} database crashes")
        } else {
            String::new()
        },
        elapsed.as_secs_f64(),
        tally.acknowledged.len(),
        tally
            .acknowledged
            .iter()
            .filter(|n| n.contains('|'))
            .count(),
        tally
            .acknowledged
            .iter()
            .filter(|n| n.starts_with(SESSION_PREFIX))
            .count(),
        tally
            .acknowledged
            .iter()
            .filter(|n| n.starts_with("exercice-"))
            .count(),
        tally.retries,
        tally.replayed,
        slowest_restart.load(Ordering::Relaxed),
    );
}
