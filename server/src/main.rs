//! `palmgov-server [--listen ADDR] [--db PATH]`: runs the reference backend
//! until interrupted. Development use only; see the crate docs.

use std::net::SocketAddr;
use std::path::PathBuf;

use palmgov_server::{ServerOptions, start};

#[tokio::main]
async fn main() {
    let mut listen: SocketAddr = "127.0.0.1:8787".parse().expect("default address");
    let mut options = ServerOptions::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--listen", Some(v)) => listen = v.parse().unwrap_or_else(|_| usage("bad --listen")),
            ("--db", Some(v)) => options.db_path = Some(PathBuf::from(v)),
            ("--issuer", Some(v)) => {
                options.auth = Some(palmgov_server::dev_provider::backend_auth(&v))
            }
            _ => usage("unknown argument"),
        }
    }
    let server = start(listen, options).await.unwrap_or_else(|e| {
        eprintln!("palmgov-server: {e}");
        std::process::exit(1)
    });
    println!("palmgov reference backend on {}", server.base_url());
    let _ = tokio::signal::ctrl_c().await;
}

fn usage(problem: &str) -> ! {
    eprintln!(
        "palmgov-server: {problem}\nusage: palmgov-server [--listen 127.0.0.1:8787] [--db server.db] [--issuer http://127.0.0.1:8788]"
    );
    std::process::exit(2)
}
