//! Libfolio's server process: configuration, command line, router and its layers.
//! `main.rs` is thin so that integration tests build the same router as production.

pub mod cli;
pub mod config;
pub mod prefs;
pub mod reactive;
pub mod security;
pub mod startup;
pub mod telemetry;
