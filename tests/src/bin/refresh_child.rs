//! A second process on the same data directory, for the refresh test
//! (`tests/tests/refresh.rs`): opens the core, makes sure its access token
//! is fresh (refreshing if it is near expiry), and prints `ok` or the
//! error's code.
//!
//! Usage: refresh_child DATA_DIR ISSUER

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (dir, issuer) = (&args[1], &args[2]);
    let gov = palmgov_tests::open_core(std::path::Path::new(dir), issuer, "http://127.0.0.1:9/");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(gov.unlock("refresh".into())).unwrap();
    match runtime.block_on(gov.identity().refresh_session(false, None)) {
        Ok(_) => println!("ok"),
        Err(e) => println!("{}", e.code()),
    }
}
