//! The embedded database: how every connection is opened, the migrations, and the helper that
//! starts write transactions. Domain SQL lives in each domain's own `db.rs`; this module owns only
//! what all of them share.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, Transaction};

/// The pool type the whole application uses.
pub type Pool = sqlx::SqlitePool;

/// A write transaction (see [`begin_write`]).
pub type WriteTx = Transaction<'static, Sqlite>;

/// The migrations under `migrations/` at the top of the repository, embedded at build time.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// How long a connection waits for another writer before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Connection settings for a database URL: WAL, a busy timeout, foreign keys on and
/// `synchronous=NORMAL`, applied by sqlx to every new connection of the pool.
pub fn connect_options(url: &str) -> Result<SqliteConnectOptions, sqlx::Error> {
    Ok(SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .busy_timeout(BUSY_TIMEOUT)
        .foreign_keys(true)
        .synchronous(SqliteSynchronous::Normal))
}

/// Opens a pool and checks that the database answers.
pub async fn connect(url: &str) -> Result<Pool, sqlx::Error> {
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(10))
        // An embedded file does not drop idle connections: no round trip to check each one
        // before every query.
        .test_before_acquire(false)
        .connect_with(connect_options(url)?)
        .await?;
    ping(&pool).await?;
    Ok(pool)
}

/// Applies every pending migration.
pub async fn migrate(pool: &Pool) -> Result<(), sqlx::migrate::MigrateError> {
    MIGRATOR.run(pool).await
}

/// Answers whether the database can run a query.
pub async fn ping(pool: &Pool) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT 1").execute(pool).await.map(|_| ())
}

/// Starts a write transaction with `BEGIN IMMEDIATE`, so that the write lock is taken at the
/// start and a busy database makes the caller wait (up to the busy timeout) instead of failing
/// halfway through with `SQLITE_BUSY` when a read turns into a write.
pub async fn begin_write(pool: &Pool) -> Result<WriteTx, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// Binds `ids` one after another, separated by commas: the inside of an `IN (…)` list, whose
/// parentheses (and the check that it is not empty) are the caller's.
pub fn push_ids(q: &mut sqlx::QueryBuilder<'_, Sqlite>, ids: &[String]) {
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(id.clone());
    }
}

/// A new identifier: a UUID v7 as text, which sorts by creation time and needs no sequence, so
/// several server processes (and PostgreSQL later) can create rows without coordination.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The current time as stored in the database: RFC 3339 in UTC, portable across databases.
pub fn now() -> String {
    stamp(chrono::Utc::now())
}

/// A moment as stored in the database (see [`now`]).
pub fn stamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
pub(crate) mod testing {
    //! A fresh migrated database in memory for unit tests.
    use super::*;

    pub async fn fresh_pool() -> Pool {
        let options = connect_options("sqlite::memory:")
            .expect("memory url parses")
            .journal_mode(SqliteJournalMode::Memory);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .expect("memory database opens");
        migrate(&pool).await.expect("migrations apply");
        pool
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_connection_gets_the_pragmas() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}/t.db", dir.path().display());
        let pool = connect(&url).await.expect("connects");
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&pool)
            .await
            .expect("pragma");
        assert_eq!(mode, "wal");
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&pool)
            .await
            .expect("fk");
        assert_eq!(fk, 1);
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&pool)
            .await
            .expect("sync");
        assert_eq!(sync, 1, "NORMAL is 1");
        let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
            .fetch_one(&pool)
            .await
            .expect("busy");
        assert!(busy >= 5000);
    }

    #[tokio::test]
    async fn write_transactions_take_the_lock_at_begin() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}/t.db", dir.path().display());
        let pool = connect(&url).await.expect("connects");
        migrate(&pool).await.expect("migrates");
        let tx = begin_write(&pool).await.expect("begins");
        // A second immediate transaction cannot start while the first holds the write lock.
        let mut other = sqlx::SqliteConnection::connect_with(
            &connect_options(&url)
                .expect("url")
                .busy_timeout(Duration::from_millis(50)),
        )
        .await
        .expect("second connection");
        use sqlx::Connection;
        let second = sqlx::query("BEGIN IMMEDIATE").execute(&mut other).await;
        assert!(second.is_err(), "the write lock is held from BEGIN");
        tx.rollback().await.expect("rollback");
    }

    #[test]
    fn ids_are_unique_and_time_is_rfc3339() {
        assert_ne!(new_id(), new_id());
        let t = now();
        assert!(chrono::DateTime::parse_from_rfc3339(&t).is_ok(), "{t}");
    }
}
