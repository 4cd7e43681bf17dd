//! Configuration from environment variables, each with a documented default (see README).
//! A wrong value stops start-up with one line that names the setting.

use std::net::SocketAddr;
use std::path::PathBuf;

/// A setting that could not be used, named as the user wrote it.
#[derive(Debug, thiserror::Error)]
#[error("{name}: {problem}")]
pub struct ConfigError {
    pub name: &'static str,
    pub problem: String,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines, for a terminal.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Everything the server process reads from its environment.
#[derive(Debug, Clone)]
pub struct Config {
    /// `LIBFOLIO_ADDR`: where to listen.
    pub addr: SocketAddr,
    /// `LIBFOLIO_DATA_DIR`: where the database and uploads live.
    pub data_dir: PathBuf,
    /// `DATABASE_URL`: the database; defaults to `libfolio.db` in the data directory.
    pub database_url: String,
    /// `LIBFOLIO_SITE_ROOT`: the built site (wasm, JS, CSS) that cargo-leptos produced.
    pub site_root: PathBuf,
    /// `LIBFOLIO_PUBLIC_URL`: the address users reach; `https://…` turns on `Secure` cookies.
    pub public_url: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` is believed (`LIBFOLIO_TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// `LIBFOLIO_LOG_FORMAT`: `text` or `json`.
    pub log_format: LogFormat,
    /// `LIBFOLIO_MAX_BODY_BYTES`: the largest request body accepted.
    pub max_body_bytes: usize,
}

pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";
pub const DEFAULT_DATA_DIR: &str = "data";
pub const DEFAULT_SITE_ROOT: &str = "target/site";
pub const DEFAULT_MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };

        let addr_text = get("LIBFOLIO_ADDR").unwrap_or_else(|| DEFAULT_ADDR.to_owned());
        let addr = addr_text.parse::<SocketAddr>().map_err(|_| ConfigError {
            name: "LIBFOLIO_ADDR",
            problem: format!("«{addr_text}» is not an address and port such as {DEFAULT_ADDR}"),
        })?;

        let data_dir =
            PathBuf::from(get("LIBFOLIO_DATA_DIR").unwrap_or_else(|| DEFAULT_DATA_DIR.to_owned()));

        let database_url = match get("DATABASE_URL") {
            Some(url) => {
                if !url.starts_with("sqlite:") {
                    return Err(ConfigError {
                        name: "DATABASE_URL",
                        problem: format!(
                            "«{}» is not a SQLite URL (sqlite://path/to/file.db); PostgreSQL is not supported yet",
                            redact_url(&url)
                        ),
                    });
                }
                url
            }
            None => format!("sqlite://{}", data_dir.join("libfolio.db").display()),
        };

        let site_root = PathBuf::from(
            get("LIBFOLIO_SITE_ROOT")
                .or_else(|| get("LEPTOS_SITE_ROOT"))
                .unwrap_or_else(|| DEFAULT_SITE_ROOT.to_owned()),
        );

        let public_url = match get("LIBFOLIO_PUBLIC_URL") {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                Some(url.trim_end_matches('/').to_owned())
            }
            Some(url) => {
                return Err(ConfigError {
                    name: "LIBFOLIO_PUBLIC_URL",
                    problem: format!("«{url}» must start with http:// or https://"),
                })
            }
            None => None,
        };

        let log_format = match get("LIBFOLIO_LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(ConfigError {
                    name: "LIBFOLIO_LOG_FORMAT",
                    problem: format!("«{other}» is neither text nor json"),
                })
            }
        };

        let max_body_bytes = match get("LIBFOLIO_MAX_BODY_BYTES") {
            None => DEFAULT_MAX_BODY_BYTES,
            Some(text) => text
                .parse::<usize>()
                .ok()
                .filter(|n| *n >= 1024)
                .ok_or_else(|| ConfigError {
                    name: "LIBFOLIO_MAX_BODY_BYTES",
                    problem: format!("«{text}» is not a number of bytes of at least 1024"),
                })?,
        };

        let trusted_proxies = match get("LIBFOLIO_TRUSTED_PROXIES") {
            None => Vec::new(),
            Some(text) => text
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| {
                    p.parse::<std::net::IpAddr>().map_err(|_| ConfigError {
                        name: "LIBFOLIO_TRUSTED_PROXIES",
                        problem: format!("«{p}» is not an IP address"),
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
        };

        Ok(Config {
            addr,
            data_dir,
            database_url,
            site_root,
            public_url,
            log_format,
            max_body_bytes,
            trusted_proxies,
        })
    }

    /// Whether cookies must carry `Secure`.
    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

/// A database URL with any password replaced, safe to print.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &credentials[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_are_documented_ones() {
        let c = config(&[]).expect("defaults");
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.database_url, "sqlite://data/libfolio.db");
        assert_eq!(c.site_root, PathBuf::from("target/site"));
        assert_eq!(c.log_format, LogFormat::Text);
        assert!(!c.secure_cookies());
    }

    #[test]
    fn data_dir_moves_the_default_database() {
        let c = config(&[("LIBFOLIO_DATA_DIR", "/srv/libfolio")]).expect("ok");
        assert_eq!(c.database_url, "sqlite:///srv/libfolio/libfolio.db");
    }

    #[test]
    fn a_bad_address_names_the_setting() {
        let e = config(&[("LIBFOLIO_ADDR", "localhost")]).expect_err("refused");
        assert_eq!(e.name, "LIBFOLIO_ADDR");
        assert!(
            e.to_string().starts_with("LIBFOLIO_ADDR: «localhost»"),
            "{e}"
        );
    }

    #[test]
    fn other_bad_values_name_their_setting() {
        assert_eq!(
            config(&[("LIBFOLIO_LOG_FORMAT", "xml")])
                .expect_err("x")
                .name,
            "LIBFOLIO_LOG_FORMAT"
        );
        assert_eq!(
            config(&[("DATABASE_URL", "mysql://x")])
                .expect_err("x")
                .name,
            "DATABASE_URL"
        );
        assert_eq!(
            config(&[("LIBFOLIO_MAX_BODY_BYTES", "lots")])
                .expect_err("x")
                .name,
            "LIBFOLIO_MAX_BODY_BYTES"
        );
        assert_eq!(
            config(&[("LIBFOLIO_PUBLIC_URL", "example.org")])
                .expect_err("x")
                .name,
            "LIBFOLIO_PUBLIC_URL"
        );
    }

    #[test]
    fn https_public_url_means_secure_cookies() {
        let c = config(&[("LIBFOLIO_PUBLIC_URL", "https://libfolio.example.ru/")]).expect("ok");
        assert!(c.secure_cookies());
        assert_eq!(c.public_url.as_deref(), Some("https://libfolio.example.ru"));
    }

    #[test]
    fn passwords_are_not_printed() {
        assert_eq!(
            redact_url("postgres://user:secret@db/lf"),
            "postgres://user:***@db/lf"
        );
        assert_eq!(redact_url("sqlite://data/x.db"), "sqlite://data/x.db");
    }

    #[test]
    fn trusted_proxies_are_ip_addresses() {
        let c = config(&[("LIBFOLIO_TRUSTED_PROXIES", "10.0.0.1, ::1")]).expect("valid");
        assert_eq!(c.trusted_proxies.len(), 2);
        let e = config(&[("LIBFOLIO_TRUSTED_PROXIES", "proxy.local")])
            .expect_err("a name is not an address");
        assert_eq!(e.name, "LIBFOLIO_TRUSTED_PROXIES");
    }
}
