//! `palmgov-server`: runs the reference backend until SIGINT or SIGTERM.
//! Development use only; see the crate docs and `--help`.

use palmgov_server::serve::{ServerArgs, USAGE, serve_args};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return;
    }
    let args = ServerArgs::parse(args).unwrap_or_else(|problem| {
        eprintln!("palmgov-server: {problem}\n{USAGE}");
        std::process::exit(2)
    });
    if let Err(e) = serve_args(&args, "SIGINT or SIGTERM to stop").await {
        eprintln!("palmgov-server: {e}");
        std::process::exit(1)
    }
}
