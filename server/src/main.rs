//! The `libfolio` command. All work happens in the `server` library; this only reports failure.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    match server::cli::run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line that names the setting or step that failed; no panic trace.
            eprintln!("libfolio: {error}");
            ExitCode::FAILURE
        }
    }
}
