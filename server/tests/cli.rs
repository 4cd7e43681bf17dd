//! The `libfolio` binary as an operator meets it: wrong settings stop start-up with one line that
//! names the setting, `migrate` and `seed-demo` work on a new data directory, and `serve` stops
//! gracefully on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn libfolio(data_dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_libfolio"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("LIBFOLIO_DATA_DIR", data_dir)
        .env("RUST_LOG", "info");
    command
}

fn assert_one_clear_line(output: &std::process::Output, setting: &str) {
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<_> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line: {stderr}");
    assert!(
        lines[0].starts_with(&format!("libfolio: {setting}:")),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_unparsable_address_stops_start_up_with_one_line() {
    let dir = tempfile::tempdir().expect("dir");
    let output = libfolio(dir.path())
        .env("LIBFOLIO_ADDR", "localhost")
        .arg("serve")
        .output()
        .expect("runs");
    assert_one_clear_line(&output, "LIBFOLIO_ADDR");
}

#[test]
fn an_unreachable_database_stops_start_up_with_one_line() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}/missing/dir/libfolio.db", dir.path().display());
    let output = libfolio(dir.path())
        .env("DATABASE_URL", url)
        .arg("migrate")
        .output()
        .expect("runs");
    assert_one_clear_line(&output, "DATABASE_URL");
}

#[test]
fn migrate_and_seed_demo_prepare_a_new_data_directory() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("new");
    assert!(libfolio(&data)
        .arg("migrate")
        .status()
        .expect("migrate")
        .success());
    assert!(data.join("libfolio.db").is_file());
    let first = libfolio(&data).arg("seed-demo").output().expect("seed");
    assert!(first.status.success());
    assert!(
        String::from_utf8_lossy(&first.stderr).contains("demo district created")
            || String::from_utf8_lossy(&first.stdout).contains("demo district created")
    );
    let second = libfolio(&data)
        .arg("seed-demo")
        .output()
        .expect("seed again");
    assert!(second.status.success(), "seeding twice is harmless");
}

#[test]
fn serve_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().expect("dir");
    let mut child = libfolio(dir.path())
        .env("LIBFOLIO_ADDR", "127.0.0.1:0")
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    // Wait for the "serving" line (logs go to stdout).
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let started = Instant::now();
    loop {
        match lines.next() {
            Some(Ok(line)) if line.contains("is serving on") => break,
            Some(Ok(_)) => {}
            _ => panic!("server ended before serving"),
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "server did not start"
        );
    }
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill")
        .success());
    let status = child.wait().expect("exits");
    assert!(status.success(), "a clean exit after SIGTERM: {status:?}");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(rest.iter().any(|l| l.contains("stopped")), "{rest:?}");
}
