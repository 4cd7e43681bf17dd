//! The command line: `libfolio serve` (default), `libfolio migrate`, `libfolio seed-demo`.

use clap::{Parser, Subcommand};

use crate::config::{redact_url, Config, ConfigError};
use crate::startup;

#[derive(Debug, Parser)]
#[command(
    name = "libfolio",
    version,
    about = "Libfolio: pupils' projects for school information and library centres"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply migrations and serve the site (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Fill an empty database with the demo district (Sovetskaya Gavan, six schools).
    SeedDemo,
    /// Create an administrator account; the password is read from standard input (or asked for).
    CreateAdmin {
        /// The new administrator's username (Latin letters, digits, `.`, `_`, `-`).
        #[arg(long)]
        username: String,
        /// The name shown in the interface; the username when omitted.
        #[arg(long)]
        display_name: Option<String>,
    },
    /// Import a catalogue file (ISO 2709 RUSMARC or MARC21 in UTF-8 or windows-1251, or
    /// MARCXML, as 1С:Библиотека and ИРБИС export them) into a school's catalogue; records the
    /// school already has (same record id, else same ISBN) are updated.
    ImportCatalog {
        /// The school's short address name, as in `/schools/{slug}`, or `district` for the
        /// district's e-resources shared by every school.
        #[arg(long)]
        school: String,
        /// The exported file.
        file: std::path::PathBuf,
    },
}

/// A failure of a command, worded for the person who ran it.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("DATABASE_URL: cannot open {url}: {source}")]
    Database { url: String, source: sqlx::Error },
    #[error("DATABASE_URL: migrations failed on {url}: {source}")]
    Migrate {
        url: String,
        source: sqlx::migrate::MigrateError,
    },
    #[error("DATABASE_URL: indexing projects for search failed on {url}: {source}")]
    Index { url: String, source: sqlx::Error },
    #[error("LIBFOLIO_DATA_DIR: cannot create {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("LIBFOLIO_ADDR: cannot listen on {addr}: {source}")]
    Listen {
        addr: String,
        source: std::io::Error,
    },
    #[error("seed-demo: {0}")]
    Seed(sqlx::Error),
    #[error("seed-demo: the demo password: {0}")]
    DemoPassword(String),
    #[error("create-admin: {0}")]
    CreateAdmin(String),
    #[error("server stopped: {0}")]
    Serve(std::io::Error),
    #[error("import-catalog: {0}")]
    Import(String),
}

/// Parses the command line and runs the command.
pub async fn run() -> Result<(), CliError> {
    let cli = Cli::parse();
    let config = Config::from_env()?;
    crate::telemetry::init(config.log_format);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => startup::serve(config).await,
        Command::Migrate => {
            let pool = startup::open_database(&config).await?;
            tracing::info!(database = %redact_url(&config.database_url), "migrations applied");
            pool.close().await;
            Ok(())
        }
        Command::CreateAdmin {
            username,
            display_name,
        } => {
            let pool = startup::open_database(&config).await?;
            let password = read_password()?;
            let created = app::accounts::admin::create_admin(
                &pool,
                &username,
                display_name.as_deref(),
                password,
            )
            .await
            .map_err(CliError::CreateAdmin)?;
            tracing::info!(username = %created, "administrator created");
            pool.close().await;
            Ok(())
        }
        Command::ImportCatalog { school, file } => {
            let pool = startup::open_database(&config).await?;
            let result = import_catalog(&pool, &school, &file).await;
            pool.close().await;
            result
        }
        Command::SeedDemo => {
            let pool = startup::open_database(&config).await?;
            // One password for every demo account: chosen by LIBFOLIO_DEMO_PASSWORD, else
            // generated here and printed once, when the demo is created.
            let chosen = std::env::var("LIBFOLIO_DEMO_PASSWORD")
                .ok()
                .filter(|p| !p.trim().is_empty());
            let password = match &chosen {
                Some(p) => p.clone(),
                None => app::roster::readable_password()
                    .map_err(|e| CliError::DemoPassword(e.to_string()))?,
            };
            let hash = app::demo::password_hash(&password)
                .await
                .map_err(CliError::DemoPassword)?;
            let seeded = app::demo::seed_if_empty(&pool, &hash)
                .await
                .map_err(CliError::Seed)?;
            if seeded {
                tracing::info!("demo district created");
                if chosen.is_none() {
                    // For the operator at the terminal, not for the log.
                    use std::io::Write as _;
                    let _ = writeln!(
                        std::io::stdout(),
                        "Demo accounts ({}) share the password: {password}\n\
                         (set LIBFOLIO_DEMO_PASSWORD to choose it; it is not shown again)",
                        app::demo::DEMO_USERNAMES
                            .iter()
                            .map(|(_, name)| *name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                }
            } else {
                tracing::info!("the database already has a district; demo content not added");
            }
            pool.close().await;
            Ok(())
        }
    }
}

/// The new password: asked for (twice, without echo) on a terminal, else one line of stdin.
fn read_password() -> Result<String, CliError> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")
            .map_err(|e| CliError::CreateAdmin(e.to_string()))?;
        let again = rpassword::prompt_password("Password again: ")
            .map_err(|e| CliError::CreateAdmin(e.to_string()))?;
        if first != again {
            return Err(CliError::CreateAdmin("the passwords do not match".into()));
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|e| CliError::CreateAdmin(e.to_string()))?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

/// Reads the file, imports it with a progress bar on the terminal, and prints the report.
async fn import_catalog(
    pool: &app::db::Pool,
    school: &str,
    file: &std::path::Path,
) -> Result<(), CliError> {
    use std::io::Write as _;
    // `district`: the district's e-resources shared by every school.
    let (school_id, fund_name) = if school == app::catalog::DISTRICT_FUND {
        (None, "district e-resources".to_owned())
    } else {
        let found = app::people::db::find_school(pool, school)
            .await
            .map_err(|e| CliError::Import(e.to_string()))?
            .ok_or_else(|| CliError::Import(format!("no school with the address name {school}")))?;
        (Some(found.id), found.short_name)
    };
    let bytes = std::fs::read(file)
        .map_err(|e| CliError::Import(format!("cannot read {}: {e}", file.display())))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} records {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let (report, _) = app::catalog::import::import_file(
        pool,
        school_id.as_deref(),
        &name,
        None,
        &bytes,
        |done, total| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        },
    )
    .await
    .map_err(|e| CliError::Import(e.to_string()))?;
    bar.finish();
    let mut out = std::io::stdout();
    let _ = writeln!(
        out,
        "{}: {} created, {} updated, {} skipped",
        fund_name,
        report.created,
        report.updated,
        report.skipped.len()
    );
    for skipped in &report.skipped {
        let _ = writeln!(out, "  record {}: {:?}", skipped.index, skipped.reason);
    }
    Ok(())
}
