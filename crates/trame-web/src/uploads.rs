//! What every uploaded file goes through before anything is written ([`check_upload`]):
//! its name and format by content, and what the format could hide
//! (`trame_domain::upload::inspect`), then the optional antivirus scan.
//!
//! The antivirus scan is ClamAV's daemon's (`clamd`),
//! through its local socket (`clamd_socket`). When it is configured, a file is written
//! only once clamd has answered that it is clean: a signature found, an error, a timeout
//! or a daemon that does not answer all refuse the file (the scan fails closed), with a
//! French sentence at the file's field. Without it, nothing is scanned (the format checks
//! of `trame_domain::upload::inspect` still apply).

use crate::AppState;
use crate::error::AppError;
use std::path::Path;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use trame_domain::upload::{Format, inspect};

/// The longest a scan may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// What clamd said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// No signature found.
    Clean,
    /// A signature found: its name.
    Infected(String),
}

/// Scans `bytes` with the clamd listening on `socket` (the `INSTREAM` command).
pub async fn scan(socket: &Path, bytes: &[u8]) -> Result<Verdict, String> {
    let exchange = async {
        let mut s = tokio::net::UnixStream::connect(socket)
            .await
            .map_err(|e| format!("connexion à clamd : {e}"))?;
        s.write_all(b"zINSTREAM\0")
            .await
            .map_err(|e| e.to_string())?;
        for chunk in bytes.chunks(64 * 1024) {
            let len = u32::try_from(chunk.len()).map_err(|e| e.to_string())?;
            s.write_all(&len.to_be_bytes())
                .await
                .map_err(|e| e.to_string())?;
            s.write_all(chunk).await.map_err(|e| e.to_string())?;
        }
        s.write_all(&[0, 0, 0, 0])
            .await
            .map_err(|e| e.to_string())?;
        let mut answer = Vec::new();
        s.read_to_end(&mut answer)
            .await
            .map_err(|e| e.to_string())?;
        Ok::<_, String>(
            String::from_utf8_lossy(&answer)
                .trim_end_matches('\0')
                .trim()
                .to_owned(),
        )
    };
    let answer = tokio::time::timeout(TIMEOUT, exchange)
        .await
        .map_err(|_| "clamd n'a pas répondu à temps".to_owned())??;
    // `stream: OK`, `stream: NAME FOUND`, or `… ERROR`.
    let verdict = answer.strip_prefix("stream: ").unwrap_or(&answer);
    if verdict == "OK" {
        Ok(Verdict::Clean)
    } else if let Some(name) = verdict.strip_suffix(" FOUND") {
        Ok(Verdict::Infected(name.to_owned()))
    } else {
        Err(format!("réponse de clamd : {answer}"))
    }
}

/// The upload check: `Ok` when no scan is configured or clamd found the file clean;
/// otherwise the French message for the file's field (the cause is logged).
pub async fn check(state: &AppState, bytes: &[u8]) -> Result<(), String> {
    let Some(socket) = &state.config.clamd_socket else {
        return Ok(());
    };
    match scan(socket, bytes).await {
        Ok(Verdict::Clean) => Ok(()),
        Ok(Verdict::Infected(name)) => {
            tracing::warn!(signature = %name, "upload refused by the antivirus");
            Err(format!(
                "L'antivirus a détecté une menace dans ce fichier ({name}) : il est refusé."
            ))
        }
        Err(cause) => {
            tracing::error!(cause = %cause, "antivirus unavailable: upload refused");
            Err("L'analyse antivirus n'a pas pu être faite : le fichier n'a pas été enregistré. Réessayez dans quelques minutes.".into())
        }
    }
}

/// Checks an uploaded file: [`inspect`] on a blocking thread (a spreadsheet is inflated
/// to be measured), then the antivirus. Gives the bytes back with the format, or with the
/// French message for the file's field.
pub async fn check_upload(
    state: &AppState,
    name: String,
    bytes: Vec<u8>,
    accepted: &'static [Format],
) -> Result<(Vec<u8>, Result<Format, String>), AppError> {
    let (bytes, format) = tokio::task::spawn_blocking(move || {
        let format = inspect(&name, &bytes, accepted);
        (bytes, format)
    })
    .await
    .map_err(|e| AppError::Internal(format!("upload check: {e}")))?;
    let format = match format {
        Ok(f) => check(state, &bytes).await.map(|()| f),
        Err(m) => Err(m),
    };
    Ok((bytes, format))
}
