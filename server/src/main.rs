//! `palmgov-server`: runs the reference backend until SIGINT or SIGTERM.
//! Development use only; see the crate docs and `--help`.

use palmgov_server::serve::{ServeConfig, USAGE, serve};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return;
    }
    let config = ServeConfig::parse(args).unwrap_or_else(|problem| {
        eprintln!("palmgov-server: {problem}\n{USAGE}");
        std::process::exit(2)
    });
    if let Err(e) = serve(&config, "SIGINT or SIGTERM to stop").await {
        eprintln!("palmgov-server: {e}");
        std::process::exit(1)
    }
}
