use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use trame_testkit::TestDb;

fn trame(dir: &std::path::Path, db: &TestDb) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_trame"));
    c.current_dir(dir)
        .env_remove("TRAME_CONFIG")
        .env("TRAME_LOG", "warn")
        .arg("--database-url")
        .arg(db.url());
    c
}

/// Runs `trame ARGS`: whether it succeeded, and what it printed (stdout then stderr).
fn run_trame(dir: &std::path::Path, db: &TestDb, args: &[&str]) -> anyhow::Result<(bool, String)> {
    let out = trame(dir, db).args(args).output()?;
    Ok((
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    ))
}

fn http_get(addr: &str, path: &str) -> anyhow::Result<String> {
    let mut s = std::net::TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    Ok(out)
}

#[test]
fn serve_loads_the_demo_answers_and_stops_on_sigterm() -> anyhow::Result<()> {
    let rt = tokio::runtime::Runtime::new()?;
    let db = rt.block_on(TestDb::create())?;
    let dir = tempfile::tempdir()?;
    let started = Instant::now();
    let mut child = trame(dir.path(), &db)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow::anyhow!("no stdout"))?;
    let mut lines = BufReader::new(stdout).lines();
    let mut printed = Vec::new();
    let addr = loop {
        let line = lines
            .next()
            .ok_or_else(|| anyhow::anyhow!("serve exited: {printed:?}"))??;
        printed.push(line.clone());
        if let Some(rest) = line.strip_prefix("Trame est servi sur http://") {
            break rest.trim_end_matches('/').to_owned();
        }
    };
    let home = http_get(&addr, "/gpsea")?;
    let first_answer = started.elapsed();
    assert!(home.starts_with("HTTP/1.1 200"), "{home}");
    assert!(home.contains("Grand Paris Sud Est Avenir"));
    // The demo accounts follow the address.
    let rest: Vec<String> = lines.by_ref().take(9).collect::<Result<_, _>>()?;
    assert!(
        rest.iter().any(|l| l.contains("admin@demo.trame.test")),
        "{rest:?}"
    );
    assert!(
        printed
            .iter()
            .any(|l| l.contains("territoire de démonstration GPSEA chargé"))
    );
    eprintln!("serve → first answer: {first_answer:?}");
    let pid = child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status()?;
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(status) = child.try_wait()? {
            assert!(status.success(), "graceful shutdown exits 0: {status}");
            break;
        }
        anyhow::ensure!(Instant::now() < deadline, "serve did not stop within 15 s");
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

#[test]
fn the_maintenance_commands_work_end_to_end() -> anyhow::Result<()> {
    let rt = tokio::runtime::Runtime::new()?;
    let db = rt.block_on(TestDb::create())?;
    let dir = tempfile::tempdir()?;
    let run = |args: &[&str], stdin: Option<&str>| -> anyhow::Result<(bool, String)> {
        let mut child = trame(dir.path(), &db)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        if let Some(mut input) = child.stdin.take() {
            input.write_all(stdin.unwrap_or("").as_bytes())?;
        }
        let out = child.wait_with_output()?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        Ok((out.status.success(), text))
    };
    let (ok, out) = run(&["migrate"], None)?;
    assert!(ok, "{out}");
    let (ok, out) = run(&["demo", "load"], None)?;
    assert!(ok && out.contains("agent@demo.trame.test"), "{out}");
    let (ok, out) = run(&["demo", "load"], None)?;
    assert!(ok && out.contains("rien n'a été chargé"), "{out}");
    let add = [
        "user",
        "add",
        "--email",
        "Marie.Durand@gpsea.fr",
        "--name",
        "Marie Durand",
        "--territory",
        "gpsea",
        "--role",
        "agent",
    ];
    let (ok, out) = run(&add, Some("court\n"))?;
    assert!(!ok && out.contains("au moins 12 caractères"), "{out}");
    let (ok, out) = run(&add, Some("marie durand gpsea"))?;
    assert!(!ok && out.contains("trop facile à deviner"), "{out}");
    let (ok, out) = run(&add, Some("la marne coule sous le pont de créteil\n"))?;
    assert!(
        ok && out.contains("Compte marie.durand@gpsea.fr créé"),
        "{out}"
    );
    let (ok, out) = run(&add, Some("la marne coule sous le pont de créteil\n"))?;
    assert!(!ok && out.contains("Un compte existe déjà"), "{out}");
    let mut bad_role = add.to_vec();
    bad_role[9] = "chef";
    let (ok, out) = run(&bad_role, Some("x"))?;
    assert!(!ok && out.contains("rôles possibles"), "{out}");
    let (ok, out) = run(&["territory", "create", "--ept", "200058007"], None)?;
    assert!(!ok && out.contains("clé de contrôle"), "{out}");
    let (ok, out) = run(&["territory", "create", "--ept", "732829320"], None)?;
    assert!(!ok && out.contains("aucun EPT ni EPCI"), "{out}");
    let (ok, out) = run(&["territory", "create", "--epci", "200000172"], None)?;
    assert!(ok && out.contains("sous /cc-faucigny-glieres"), "{out}");
    let (ok, out) = run(
        &[
            "territory",
            "create",
            "--ept",
            "200058006",
            "--slug",
            "gpsea",
        ],
        None,
    )?;
    assert!(
        !ok && out.contains("Un territoire porte déjà cet identifiant"),
        "{out}"
    );
    let (ok, out) = run(&["territory", "list"], None)?;
    assert!(
        ok && out.contains("cc-faucigny-glieres") && out.contains("gpsea"),
        "{out}"
    );
    let (ok, out) = run(&["audit", "verify"], None)?;
    assert!(
        ok && out.contains("platform : intègre") && !out.contains("ROMPUE"),
        "{out}"
    );
    let (ok, out) = run(&["demo", "reset"], None)?;
    assert!(!ok && out.contains("--yes"), "{out}");
    Ok(())
}

#[test]
fn an_unknown_setting_is_an_error() -> anyhow::Result<()> {
    let rt = tokio::runtime::Runtime::new()?;
    let db = rt.block_on(TestDb::create())?;
    let dir = tempfile::tempdir()?;
    std::fs::write(dir.path().join("trame.toml"), "adr = \"127.0.0.1:1\"\n")?;
    let out = trame(dir.path(), &db).arg("migrate").output()?;
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown field `adr`"));
    let out = trame(dir.path(), &db)
        .env("TRAME_SESION_IDLE_MINUTES", "5")
        .arg("migrate")
        .output()?;
    assert!(!out.status.success());
    Ok(())
}

#[test]
fn backup_then_restore_into_an_empty_folder() -> anyhow::Result<()> {
    let rt = tokio::runtime::Runtime::new()?;
    let db = rt.block_on(TestDb::create())?;
    let dir = tempfile::tempdir()?;
    if db.is_postgres() {
        let out = trame(dir.path(), &db).args(["backup", "x.db"]).output()?;
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("pg_dump"));
        return Ok(());
    }
    // SQLite in a data folder, as `serve` uses it.
    let run = |args: &[&str]| -> anyhow::Result<(bool, String)> {
        let out = Command::new(env!("CARGO_BIN_EXE_trame"))
            .current_dir(dir.path())
            .env_remove("TRAME_CONFIG")
            .env_remove("TRAME_DATABASE_URL")
            .env("TRAME_LOG", "warn")
            .args(args)
            .output()?;
        Ok((
            out.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        ))
    };
    let (ok, out) = run(&["demo", "load", "--data-dir", "prod"])?;
    assert!(ok, "{out}");
    let (ok, out) = run(&["backup", "--data-dir", "prod", "sauvegarde.db"])?;
    assert!(ok && out.contains("Sauvegarde écrite"), "{out}");
    let digest = out
        .split("empreinte du contenu ")
        .nth(1)
        .unwrap_or("")
        .trim_end_matches([')', '.', '\n'])
        .to_owned();
    assert_eq!(digest.len(), 64, "{out}");
    let (ok, out) = run(&["backup", "--data-dir", "prod", "sauvegarde.db"])?;
    assert!(!ok && out.contains("existe déjà"), "{out}");
    let (ok, out) = run(&["restore", "--data-dir", "prod", "sauvegarde.db"])?;
    assert!(!ok && out.contains("dossier de données vide"), "{out}");
    let (ok, out) = run(&["restore", "--data-dir", "secours", "sauvegarde.db"])?;
    assert!(ok && out.contains(&digest), "{out}");
    let (ok, out) = run(&["audit", "verify", "--data-dir", "secours"])?;
    assert!(ok && !out.contains("ROMPUE"), "{out}");
    std::fs::write(dir.path().join("abime.db"), b"pas une base")?;
    let (ok, out) = run(&["restore", "--data-dir", "autre", "abime.db"])?;
    assert!(!ok, "{out}");
    assert!(
        !dir.path().join("autre/trame.db").exists(),
        "nothing half written"
    );
    Ok(())
}

#[test]
fn the_directory_exports_then_imports_back_unchanged_and_a_bad_file_changes_nothing()
-> anyhow::Result<()> {
    let rt = tokio::runtime::Runtime::new()?;
    let db = rt.block_on(TestDb::create())?;
    let dir = tempfile::tempdir()?;
    let run = |args: &[&str]| run_trame(dir.path(), &db, args);
    let (ok, out) = run(&["demo", "load"])?;
    assert!(ok, "{out}");
    let export = dir.path().join("export");
    let export = export.to_str().unwrap_or_default();
    let (ok, out) = run(&["export", "data-inclusion", "--out", export])?;
    assert!(ok && out.contains("service(s) écrits"), "{out}");
    for f in [
        "structures.json",
        "services.json",
        "structures.csv",
        "services.csv",
    ] {
        assert!(dir.path().join("export").join(f).exists(), "{f}");
    }
    // The folder back in: every record unchanged; the progress bar reaches 100 %.
    let (ok, out) = run(&["import", "data-inclusion", export])?;
    assert!(
        ok && out.contains("0 créé(s), 0 modifié(s)") && out.contains("100 %"),
        "{out}"
    );
    // The CSV files too.
    let csv = format!("{export}/services.csv");
    let (ok, out) = run(&[
        "import",
        "data-inclusion",
        &format!("{export}/structures.csv"),
        &csv,
    ])?;
    assert!(ok && out.contains("0 créé(s), 0 modifié(s)"), "{out}");
    // A faulty row: its line and reason, exit 2, nothing written.
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"[{"source": "x", "id": "1", "structure_id": "nulle-part", "nom": "Atelier", "description": "Un atelier.", "date_maj": "2026-01-01", "frais": "cher"}]"#,
    )?;
    let out = trame(dir.path(), &db)
        .args(["import", "data-inclusion", bad.to_str().unwrap_or_default()])
        .output()?;
    let text = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("services ligne 1")
            && text.contains("frais")
            && text.contains("structure_id"),
        "{text}"
    );
    assert!(text.contains("rien n'a été importé"), "{text}");
    Ok(())
}

/// A GeoJSON of squares around the reference centroids (the real outlines, such as IGN
/// ADMIN EXPRESS, are not in the repository): `skip` communes are left out, and one
/// commune outside the territory is added; in Lambert-93 when `l93`.
fn squares(skip: usize, l93: bool) -> anyhow::Result<String> {
    let reference: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/reference/territoire-gpsea.json"),
    )?)?;
    let mut features = Vec::new();
    let communes = reference["communes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for c in communes.iter().skip(skip) {
        let code = c["code_insee"].as_str().unwrap_or_default();
        let (lat, lon) = (
            c["centroide"]["lat"].as_f64().unwrap_or_default(),
            c["centroide"]["lon"].as_f64().unwrap_or_default(),
        );
        let d = 0.01;
        let ring: Vec<[f64; 2]> = [(-d, -d), (d, -d), (d, d), (-d, d), (-d, -d)]
            .iter()
            .map(|(x, y)| {
                if l93 {
                    // Near Paris, a degree is about 73.5 km east and 111.2 km north.
                    [
                        652_469.0 + (lon + x - 2.352_222) * 73_500.0,
                        6_862_035.0 + (lat + y - 48.856_614) * 111_200.0,
                    ]
                } else {
                    [lon + x, lat + y]
                }
            })
            .collect();
        features.push(serde_json::json!({
            "type": "Feature",
            "properties": {"INSEE_COM": code},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }));
    }
    features.push(serde_json::json!({
        "type": "Feature",
        "properties": {"INSEE_COM": "75056"},
        "geometry": {"type": "Polygon", "coordinates": [[[2.3, 48.8], [2.4, 48.8], [2.4, 48.9], [2.3, 48.8]]]},
    }));
    Ok(serde_json::json!({"type": "FeatureCollection", "features": features}).to_string())
}

#[test]
fn the_territory_imports_commune_outlines_for_its_map() -> anyhow::Result<()> {
    let rt = tokio::runtime::Runtime::new()?;
    let db = rt.block_on(TestDb::create())?;
    let dir = tempfile::tempdir()?;
    let run = |args: &[&str]| run_trame(dir.path(), &db, args);
    let (ok, out) = run(&["demo", "load"])?;
    assert!(ok, "{out}");
    // A file that outlines no commune of the territory, or is not GeoJSON: refused.
    let file = dir.path().join("contours.geojson");
    std::fs::write(
        &file,
        r#"{"type": "FeatureCollection", "features": [{"properties": {"code": "75056"}, "geometry": {"type": "Polygon", "coordinates": [[[2.3, 48.8], [2.4, 48.8], [2.4, 48.9], [2.3, 48.8]]]}}]}"#,
    )?;
    let path = file.to_str().unwrap_or_default();
    let (ok, out) = run(&["territory", "geometry", "import", path])?;
    assert!(!ok && out.contains("aucune commune du territoire"), "{out}");
    std::fs::write(
        &file,
        r#"{"features": [{"properties": {}, "geometry": null}]}"#,
    )?;
    let (ok, out) = run(&["territory", "geometry", "import", path])?;
    assert!(
        !ok && out.contains("Entité 1 : pas de code INSEE") && out.contains("rien n'a été importé"),
        "{out}"
    );
    // Lambert-93, two communes left out, Paris set aside.
    std::fs::write(&file, squares(2, true)?)?;
    let (ok, out) = run(&[
        "territory",
        "geometry",
        "import",
        path,
        "--territoire",
        "gpsea",
    ])?;
    assert!(ok, "{out}");
    assert!(
        out.contains("14 contour(s)") && out.contains("Lambert-93 converties"),
        "{out}"
    );
    assert!(
        out.contains("Hors du territoire, ignorées : 75056"),
        "{out}"
    );
    assert!(out.contains("Sans contour dans le fichier"), "{out}");
    // The map draws them.
    let store = rt.block_on(trame_store::Store::connect(
        db.url(),
        std::sync::Arc::new(trame_domain::clock::FrozenClock::new(
            trame_testkit::start_instant(),
        )),
    ))?;
    let t = rt.block_on(store.territory_by_slug("gpsea"))?;
    let outlines = rt.block_on(store.outlines(t.scope()))?;
    assert_eq!(outlines.len(), 14);
    let (lon, lat) = outlines[0].rings[0][0];
    assert!(
        (2.3..2.7).contains(&lon) && (48.6..48.9).contains(&lat),
        "{lon} {lat}"
    );
    // A new file replaces them all.
    std::fs::write(&file, squares(0, false)?)?;
    let (ok, out) = run(&["territory", "geometry", "import", path])?;
    assert!(
        ok && out.contains("16 contour(s)") && !out.contains("Sans contour"),
        "{out}"
    );
    assert_eq!(rt.block_on(store.outlines(t.scope()))?.len(), 16);
    rt.block_on(store.close())?;
    Ok(())
}

#[test]
fn the_clause_target_is_computed_with_its_formula_and_bad_values_are_told() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let rt = tokio::runtime::Runtime::new()?;
    let db = rt.block_on(TestDb::create())?;
    let (ok, out) = run_trame(
        dir.path(),
        &db,
        &[
            "clauses",
            "target",
            "--amount",
            "1 000 000",
            "--labour-share",
            "50",
            "--rate",
            "5",
            "--hourly-cost",
            "30",
        ],
    )?;
    assert!(ok, "{out}");
    assert!(out.contains("Objectif : 833 heures d'insertion"), "{out}");
    assert!(out.contains("= 833 h"), "{out}");
    let (ok, out) = run_trame(
        dir.path(),
        &db,
        &[
            "clauses",
            "target",
            "--amount",
            "500000",
            "--metier",
            "peinture",
            "--rate",
            "10",
            "--hourly-cost",
            "28",
        ],
    )?;
    assert!(ok && out.contains("× 70\u{a0}% × 10\u{a0}%"), "{out}");
    let (ok, out) = run_trame(
        dir.path(),
        &db,
        &[
            "clauses",
            "target",
            "--amount=-3",
            "--labour-share",
            "150",
            "--rate",
            "5",
            "--hourly-cost",
            "30",
        ],
    )?;
    assert!(!ok);
    assert!(
        out.contains("--amount : Le montant du marché doit être positif"),
        "{out}"
    );
    assert!(
        out.contains("--labour-share : La part de main-d'œuvre"),
        "{out}"
    );
    Ok(())
}
