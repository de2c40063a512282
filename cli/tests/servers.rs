//! `palmgov provider` and `palmgov serve` as long-running processes: how
//! they stop, and what they refuse to start as.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn palmgov() -> Command {
    Command::new(env!("CARGO_BIN_EXE_palmgov"))
}

/// `palmgov provider` on a free port, and the address its node listens on.
fn provider() -> (Child, SocketAddr) {
    let mut child = palmgov()
        .args(["provider", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    // "local OpenID provider on http://127.0.0.1:PORT (Ctrl-C to stop)"
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"));
    let addr = url.trim_start_matches("http://").trim_end_matches('/');
    (child, addr.parse().unwrap())
}

fn answers(addr: SocketAddr) -> bool {
    TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
}

/// Waits up to 15 s for `addr` to stop answering.
fn goes_quiet(addr: SocketAddr) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(15) {
        if !answers(addr) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn the_provider_takes_its_node_with_it_on_sigterm_and_on_sigkill() {
    for name in ["TERM", "KILL"] {
        let (mut child, addr) = provider();
        assert!(answers(addr), "node listens at {addr}");
        signal(&child, name);
        child.wait().unwrap();
        assert!(
            goes_quiet(addr),
            "node still answers at {addr} after SIG{name}"
        );
    }
}

#[test]
fn development_routes_are_refused_off_loopback_and_with_a_weak_token() {
    let out = palmgov()
        .args(["serve", "--dev", "--listen", "0.0.0.0:0"])
        .env(
            "PALMGOV_DEV_ADMIN_TOKEN",
            "an-admin-token-of-forty-characters-ok!!",
        )
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("127.0.0.1 or ::1"), "{stderr}");

    let out = palmgov()
        .args(["serve", "--dev", "--listen", "127.0.0.1:0"])
        .env("PALMGOV_DEV_ADMIN_TOKEN", "short")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("32"), "names the minimum length: {stderr}");
}
