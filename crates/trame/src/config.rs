//! Configuration: defaults, then `trame.toml` (or the file named by `--config` /
//! `TRAME_CONFIG`), then `TRAME_*` environment variables, then command-line flags.
//! Unknown keys in the file and unknown `TRAME_*` variables are errors, so a typo never
//! goes unnoticed.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The settings of a deployment.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address to listen on.
    pub addr: String,
    /// Folder of the embedded database and other files.
    pub data_dir: PathBuf,
    /// Database URL; empty means the SQLite file `trame.db` in `data_dir`.
    pub database_url: String,
    /// Public URL of the site; `https://…` turns on `Secure` cookies and HSTS.
    pub public_url: String,
    /// Minutes of inactivity after which a session ends.
    pub session_idle_minutes: u32,
    /// Login attempts allowed per IP address per rate window.
    pub login_attempts_per_window: u32,
    /// State-changing requests allowed per IP address per rate window.
    pub posts_per_window: u32,
    /// Rate window, in seconds.
    pub rate_window_seconds: u64,
    /// Days the access log of personal-data reads is kept (CNIL: 6 months to 1 year).
    pub access_log_retention_days: u32,
    /// Bits of entropy a new password needs (CNIL: about 80).
    pub min_password_bits: f64,
    /// Load the demo territory when the database holds none.
    pub demo: bool,
    /// Log format: `text` or `json`.
    pub log_format: String,
    /// SMTP relay host; empty keeps emails in the outbox for admins to read.
    pub smtp_host: String,
    /// SMTP relay port.
    pub smtp_port: u16,
    /// SMTP login, when the relay asks for one.
    pub smtp_username: String,
    /// SMTP password.
    pub smtp_password: String,
    /// Sender of the platform's emails.
    pub smtp_from: String,
    /// ProConnect issuer URL; empty turns ProConnect login off.
    pub proconnect_issuer: String,
    /// ProConnect client id.
    pub proconnect_client_id: String,
    /// ProConnect client secret.
    pub proconnect_client_secret: String,
    /// Addresses of the reverse proxies whose `X-Forwarded-For` is believed (comma
    /// separated in `TRAME_TRUSTED_PROXIES`); empty: the header is ignored.
    pub trusted_proxies: Vec<String>,
    /// Socket of the ClamAV daemon that scans every upload; empty: no scan.
    pub clamd_socket: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            addr: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("trame-data"),
            database_url: String::new(),
            public_url: "http://127.0.0.1:8080".into(),
            session_idle_minutes: 60,
            login_attempts_per_window: 20,
            posts_per_window: 120,
            rate_window_seconds: 600,
            access_log_retention_days: 365,
            min_password_bits: trame_domain::password::DEFAULT_MIN_BITS,
            demo: true,
            log_format: "text".into(),
            smtp_host: String::new(),
            smtp_port: 25,
            smtp_username: String::new(),
            smtp_password: String::new(),
            smtp_from: "Trame <ne-pas-repondre@localhost>".into(),
            proconnect_issuer: String::new(),
            proconnect_client_id: String::new(),
            proconnect_client_secret: String::new(),
            trusted_proxies: Vec::new(),
            clamd_socket: String::new(),
        }
    }
}

/// Variables that start with `TRAME_` but are not settings.
const NOT_SETTINGS: &[&str] = &["TRAME_CONFIG", "TRAME_LOG", "TRAME_TEST_DATABASE_URL"];

impl Config {
    /// Loads the file (if present) then applies the environment `vars`.
    pub fn load(file: Option<&Path>, vars: impl Iterator<Item = (String, String)>) -> Result<Self> {
        let mut cfg = match file {
            Some(path) if path.exists() => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("lecture de {}", path.display()))?;
                toml::from_str(&text)
                    .with_context(|| format!("fichier de configuration {}", path.display()))?
            }
            Some(path) if path != Path::new("trame.toml") => {
                bail!(
                    "le fichier de configuration {} n'existe pas",
                    path.display()
                )
            }
            _ => Config::default(),
        };
        for (key, value) in vars {
            let Some(name) = key.strip_prefix("TRAME_") else {
                continue;
            };
            if NOT_SETTINGS.contains(&key.as_str()) {
                continue;
            }
            cfg.set(&name.to_lowercase(), &value)
                .with_context(|| format!("variable d'environnement {key}"))?;
        }
        Ok(cfg)
    }

    fn set(&mut self, key: &str, value: &str) -> Result<()> {
        fn num<T: std::str::FromStr>(v: &str) -> Result<T> {
            v.trim()
                .parse()
                .map_err(|_| anyhow::anyhow!("« {v} » n'est pas un nombre valide"))
        }
        match key {
            "addr" => self.addr = value.into(),
            "data_dir" => self.data_dir = value.into(),
            "database_url" => self.database_url = value.into(),
            "public_url" => self.public_url = value.into(),
            "session_idle_minutes" => self.session_idle_minutes = num(value)?,
            "login_attempts_per_window" => self.login_attempts_per_window = num(value)?,
            "posts_per_window" => self.posts_per_window = num(value)?,
            "rate_window_seconds" => self.rate_window_seconds = num(value)?,
            "access_log_retention_days" => self.access_log_retention_days = num(value)?,
            "min_password_bits" => self.min_password_bits = num(value)?,
            "demo" => self.demo = matches!(value.trim(), "1" | "true" | "oui" | "yes"),
            "log_format" => self.log_format = value.into(),
            "smtp_host" => self.smtp_host = value.into(),
            "smtp_port" => self.smtp_port = num(value)?,
            "smtp_username" => self.smtp_username = value.into(),
            "smtp_password" => self.smtp_password = value.into(),
            "smtp_from" => self.smtp_from = value.into(),
            "proconnect_issuer" => self.proconnect_issuer = value.into(),
            "proconnect_client_id" => self.proconnect_client_id = value.into(),
            "proconnect_client_secret" => self.proconnect_client_secret = value.into(),
            "clamd_socket" => self.clamd_socket = value.into(),
            "trusted_proxies" => {
                self.trusted_proxies = value
                    .split(',')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_owned)
                    .collect();
            }
            other => bail!("réglage inconnu « {other} »"),
        }
        Ok(())
    }

    /// The database URL, defaulting to the SQLite file in the data folder.
    pub fn database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!("sqlite://{}/trame.db?mode=rwc", self.data_dir.display())
        } else {
            self.database_url.clone()
        }
    }

    /// The web layer's settings; fails on a proxy address that is not an IP address.
    pub fn web(&self) -> Result<trame_web::WebConfig> {
        let trusted_proxies = self
            .trusted_proxies
            .iter()
            .map(|a| {
                a.parse().map_err(|_| {
                    anyhow::anyhow!("trusted_proxies : « {a} » n'est pas une adresse IP")
                })
            })
            .collect::<Result<Vec<std::net::IpAddr>>>()?;
        Ok(trame_web::WebConfig {
            trusted_proxies,
            clamd_socket: (!self.clamd_socket.is_empty())
                .then(|| std::path::PathBuf::from(&self.clamd_socket)),
            session_idle: time::Duration::minutes(i64::from(self.session_idle_minutes)),
            tls: self.public_url.starts_with("https://"),
            login_attempts_per_window: self.login_attempts_per_window,
            posts_per_window: self.posts_per_window,
            rate_window: std::time::Duration::from_secs(self.rate_window_seconds),
            min_password_bits: self.min_password_bits,
            public_url: self.public_url.clone(),
            proconnect: (!self.proconnect_issuer.is_empty()).then(|| {
                trame_web::pages::proconnect::ProConnectSettings {
                    issuer: self.proconnect_issuer.clone(),
                    client_id: self.proconnect_client_id.clone(),
                    client_secret: self.proconnect_client_secret.clone(),
                }
            }),
        })
    }

    /// The SMTP settings, when a relay is configured.
    pub fn smtp(&self) -> Option<crate::mail::SmtpSettings> {
        if self.smtp_host.is_empty() {
            return None;
        }
        Some(crate::mail::SmtpSettings {
            host: self.smtp_host.clone(),
            port: self.smtp_port,
            credentials: (!self.smtp_username.is_empty())
                .then(|| (self.smtp_username.clone(), self.smtp_password.clone())),
            from: self.smtp_from.clone(),
        })
    }

    /// The job runner's settings.
    pub fn jobs(&self) -> trame_store::jobs::JobSettings {
        trame_store::jobs::JobSettings {
            session_idle: time::Duration::minutes(i64::from(self.session_idle_minutes)),
            access_log_retention: time::Duration::days(i64::from(self.access_log_retention_days)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(v: &[(&str, &str)]) -> impl Iterator<Item = (String, String)> {
        v.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn environment_overrides_and_unknown_keys_fail() {
        let cfg = Config::load(
            None,
            vars(&[("TRAME_ADDR", "0.0.0.0:9000"), ("PATH", "/bin")]),
        );
        assert_eq!(cfg.map(|c| c.addr).ok(), Some("0.0.0.0:9000".into()));
        assert!(Config::load(None, vars(&[("TRAME_ADRR", "x")])).is_err());
        assert!(Config::load(None, vars(&[("TRAME_SESSION_IDLE_MINUTES", "soixante")])).is_err());
    }

    #[test]
    fn unknown_file_keys_fail() {
        let dir = tempfile::tempdir().ok();
        let Some(dir) = dir else { return };
        let path = dir.path().join("trame.toml");
        assert!(std::fs::write(&path, "addr = \"127.0.0.1:1\"\nsesion_idle_minutes = 5\n").is_ok());
        let err = Config::load(Some(&path), vars(&[]))
            .err()
            .map(|e| format!("{e:#}"));
        assert!(err.is_some_and(|e| e.contains("sesion_idle_minutes")));
        assert!(std::fs::write(&path, "addr = \"127.0.0.1:1\"\n").is_ok());
        assert_eq!(
            Config::load(Some(&path), vars(&[])).map(|c| c.addr).ok(),
            Some("127.0.0.1:1".into())
        );
    }
}
