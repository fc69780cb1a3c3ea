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
