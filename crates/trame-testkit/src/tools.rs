//! The real programs tests check generated files with: `pdftotext` (poppler-utils) for PDF
//! text, LibreOffice for spreadsheets, `frictionless` for the open-data files. Each is
//! found through an environment variable or on the PATH, and says how to install it when
//! missing: a test never passes without them.

use std::path::{Path, PathBuf};
use std::process::Command;

fn program(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default))
}

/// The text of a PDF, through `pdftotext -layout` (`PDFTOTEXT_BIN`), with spaces and line
/// breaks collapsed.
pub fn pdf_text(pdf: &[u8]) -> anyhow::Result<String> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("doc.pdf");
    std::fs::write(&file, pdf)?;
    let out = Command::new(program("PDFTOTEXT_BIN", "pdftotext"))
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .map_err(|e| {
            anyhow::anyhow!("pdftotext cannot be run ({e}): apt-get install poppler-utils")
        })?;
    anyhow::ensure!(out.status.success(), "pdftotext refused the file");
    Ok(String::from_utf8(out.stdout)?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" "))
}

/// Converts `file` with LibreOffice headless (`LIBREOFFICE_BIN`) to `to` (`pdf`, or a
/// filter such as `csv:…`) in `out`; the converted file.
pub fn libreoffice_convert(file: &Path, to: &str, out: &Path) -> anyhow::Result<PathBuf> {
    let run = Command::new(program("LIBREOFFICE_BIN", "libreoffice"))
        .arg(format!(
            "-env:UserInstallation=file://{}",
            out.join("profile").display()
        ))
        .args(["--headless", "--convert-to", to, "--outdir"])
        .arg(out)
        .arg(file)
        .output()
        .map_err(|e| {
            anyhow::anyhow!(
                "LibreOffice cannot be run ({e}): apt-get install libreoffice-calc-nogui, or set LIBREOFFICE_BIN"
            )
        })?;
    anyhow::ensure!(
        run.status.success(),
        "conversion failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let ext = to.split(':').next().unwrap_or(to);
    let converted = out.join(format!(
        "{}.{ext}",
        file.file_stem().and_then(|s| s.to_str()).unwrap_or("x")
    ));
    anyhow::ensure!(converted.exists(), "no {} written", converted.display());
    Ok(converted)
}

/// Validates `csv` with `frictionless` (`FRICTIONLESS_BIN`, installed by `scripts/test`)
/// against the table schema at `schema`; the validator's report on failure.
pub fn frictionless_validate(csv: &[u8], schema: &Path) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    std::fs::copy(schema, dir.path().join("schema.json"))?;
    std::fs::write(dir.path().join("data.csv"), csv)?;
    let out = Command::new(program("FRICTIONLESS_BIN", "frictionless"))
        .args(["validate", "--schema", "schema.json", "data.csv"])
        .current_dir(dir.path())
        .output()
        .map_err(|e| {
            anyhow::anyhow!(
                "the frictionless validator cannot be run ({e}): run `scripts/test`, which installs it, or set FRICTIONLESS_BIN"
            )
        })?;
    anyhow::ensure!(
        out.status.success(),
        "refused by the validator:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}

/// The official data·inclusion validator: the PyPI package `data-inclusion-schema`
/// (pinned in `scripts/validators.txt`), run with the Python of `VALIDATORS_PYTHON` (the
/// venv `scripts/test` makes). `kind` is `structure` or `service`; `records` a JSON
/// array. The validator's report on failure, one line per refused record.
pub fn data_inclusion_validate(kind: &str, records: &serde_json::Value) -> anyhow::Result<()> {
    const SCRIPT: &str = r#"
import json, sys
from data_inclusion.schema import v1
model = v1.Structure if sys.argv[1] == "structure" else v1.Service
errors = []
for i, record in enumerate(json.load(sys.stdin)):
    try:
        model.model_validate(record)
    except Exception as e:
        errors.append(f"{i}: {e}")
print("\n".join(errors))
sys.exit(1 if errors else 0)
"#;
    use std::io::Write;
    let mut child = Command::new(program("VALIDATORS_PYTHON", "python3"))
        .args(["-c", SCRIPT, kind])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| {
            anyhow::anyhow!(
                "the data·inclusion validator cannot be run ({e}): run `scripts/test`, which installs it, or set VALIDATORS_PYTHON"
            )
        })?;
    child
        .stdin
        .take()
        .ok_or_else(|| anyhow::anyhow!("no stdin"))?
        .write_all(serde_json::to_string(records)?.as_bytes())?;
    let out = child.wait_with_output()?;
    anyhow::ensure!(
        out.status.success(),
        "refused by the data·inclusion validator:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}

/// The EICAR antivirus test file (every antivirus treats it as a virus; it is harmless).
pub const EICAR: &[u8] = br"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

/// A ClamAV daemon of the test's own, offline: its only signatures are the MD5s of the
/// given files, made by `sigtool --md5` (Debian package `clamav`); `clamd` comes from
/// `clamav-daemon`. Stopped when dropped.
pub struct Clamd {
    /// The daemon's socket.
    pub socket: PathBuf,
    child: std::process::Child,
    _dir: tempfile::TempDir,
}

impl Clamd {
    /// Starts clamd with signatures for `samples` and waits until it answers `PING`.
    pub fn start(samples: &[&[u8]]) -> anyhow::Result<Clamd> {
        use std::io::{Read, Write};
        let dir = tempfile::tempdir()?;
        let db = dir.path().join("db");
        std::fs::create_dir(&db)?;
        let mut signatures = String::new();
        for (i, sample) in samples.iter().enumerate() {
            let file = dir.path().join(format!("echantillon-{i}"));
            std::fs::write(&file, sample)?;
            let out = Command::new(program("SIGTOOL_BIN", "sigtool"))
                .arg("--md5")
                .arg(&file)
                .output()
                .map_err(|e| {
                    anyhow::anyhow!("sigtool cannot be run ({e}): apt-get install clamav")
                })?;
            anyhow::ensure!(out.status.success(), "sigtool --md5 failed");
            signatures.push_str(&String::from_utf8(out.stdout)?);
        }
        std::fs::write(db.join("local.hdb"), signatures)?;
        let socket = dir.path().join("clamd.sock");
        let conf = dir.path().join("clamd.conf");
        std::fs::write(
            &conf,
            format!(
                "LocalSocket {}\nDatabaseDirectory {}\nForeground yes\nLogFile {}\nTemporaryDirectory {}\n",
                socket.display(),
                db.display(),
                dir.path().join("clamd.log").display(),
                dir.path().display()
            ),
        )?;
        let child = Command::new(program("CLAMD_BIN", "clamd"))
            .arg("-c")
            .arg(&conf)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| {
                anyhow::anyhow!("clamd cannot be run ({e}): apt-get install clamav-daemon")
            })?;
        let clamd = Clamd {
            socket,
            child,
            _dir: dir,
        };
        let started = std::time::Instant::now();
        loop {
            let pong = std::os::unix::net::UnixStream::connect(&clamd.socket).and_then(|mut s| {
                s.write_all(b"zPING\0")?;
                let mut answer = Vec::new();
                s.read_to_end(&mut answer)?;
                Ok(answer)
            });
            if matches!(pong, Ok(ref a) if a.starts_with(b"PONG")) {
                return Ok(clamd);
            }
            anyhow::ensure!(
                started.elapsed() < std::time::Duration::from_secs(60),
                "clamd did not start within a minute"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
}

impl Drop for Clamd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
