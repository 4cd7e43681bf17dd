//! Generates the `i18n` module from `locales/ru.json` and `locales/en.json` (leptos_i18n).
//! Russian is the default locale: a key missing from English falls back to it, and a unit test
//! (`i18n_keys` in `lib.rs`) fails the build when the two files do not have the same keys.

use std::error::Error;
use std::path::PathBuf;

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};

fn config() -> Result<Config, Box<dyn Error>> {
    // `interpolate_display` lets `td_string!` fill `{{ placeholders }}` on the server.
    let options = ParseOptions::default().interpolate_display(true);
    Ok(Config::new("ru")?.add_locale("en")?.parse_options(options))
}

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=../migrations");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    let infos = TranslationsInfos::parse(config()?)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos.generate_i18n_module(out_dir.join("i18n"))?;
    Ok(())
}
