//! What the CLI's end-to-end tests share: running the binary as a user
//! does, and the reference backend they run it against.

use std::process::Command;

use palmgov_server::RunningServer;
use palmgov_server::dev_provider::{DevProvider, backend_auth};

/// Runs `palmgov` with `args` (China's time zone for its times): whether it
/// succeeded, its standard output and its standard error.
pub fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_palmgov"))
        .args(args)
        .env("TZ_OFFSET_MIN", "480")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The reference backend on loopback, trusting `provider`, on a runtime
/// the caller keeps alive with it.
pub fn backend(provider: &DevProvider) -> (tokio::runtime::Runtime, RunningServer) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt
        .block_on(palmgov_server::start(
            "127.0.0.1:0".parse().unwrap(),
            palmgov_server::ServerOptions {
                auth: Some(backend_auth(&provider.issuer)),
                ..Default::default()
            },
        ))
        .unwrap();
    (rt, server)
}

/// A runner of `palmgov CMD… --data-dir DATA --server URL --issuer ISSUER
/// TAIL…`: one person's (or one phone's) commands against one backend and
/// provider, as [`run`] reports them.
#[allow(dead_code)] // not every test binary that shares this module uses it
pub fn against<'a>(
    url: &'a str,
    issuer: &'a str,
) -> impl Fn(&std::path::Path, &[&str], &[&str]) -> (bool, String, String) + 'a {
    move |data, cmd, tail| {
        let data = data.to_str().unwrap();
        let mut args: Vec<&str> = cmd.to_vec();
        args.extend_from_slice(&["--data-dir", data, "--server", url, "--issuer", issuer]);
        args.extend_from_slice(tail);
        run(&args)
    }
}
