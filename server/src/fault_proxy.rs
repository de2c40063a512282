//! A fault-injecting HTTP/1.1 proxy on loopback, between the core and the
//! reference backend, for the reliability tests and `palmgov bench sync`.
//! One request per connection; whether a request is faulted is drawn from a
//! seeded generator (so a failing run can be replayed), and the faulted ones
//! take the kinds of fault in turn. Test tooling: it panics on
//! a loopback bind failure rather than reporting it.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the proxy does to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fault {
    /// Forward and relay the reply.
    None,
    /// Close the connection before forwarding.
    DropBefore,
    /// Forward (the backend acts on it), then close without a reply.
    DropAfter,
    /// Hold the connection open without answering, past the client's timeout.
    Timeout,
    /// Forward (the backend stores it), then answer 500.
    ErrorAfter,
    /// Forward the request twice; relay the second reply.
    Duplicate,
    /// Forward once and write the reply twice on the connection, as a
    /// misbehaving middlebox can.
    DuplicateReply,
    /// Answer 200 with an HTML login page, as a captive portal does.
    CaptivePortal,
    /// Forward, then hold the reply for the proxy's hold time before
    /// relaying it (a slow provider; a caller may give up meanwhile).
    Delay,
    /// Forward and relay the reply without its `Date` header, as some
    /// providers answer.
    StripDate,
    /// Answer 503 with `Retry-After: 3600` without forwarding: an
    /// overloaded backend asking every phone to come back in an hour.
    BusyForAnHour,
}

/// Chooses the fault for a request from its bytes (head and body), for
/// tests that fault particular requests: the second refresh, every reply
/// of one endpoint.
pub type Rule = Arc<dyn Fn(&[u8]) -> Fault + Send + Sync>;

/// Every kind of fault, drawn in turn.
pub const FAULTS: [Fault; 7] = [
    Fault::DropBefore,
    Fault::DropAfter,
    Fault::Timeout,
    Fault::ErrorAfter,
    Fault::Duplicate,
    Fault::DuplicateReply,
    Fault::CaptivePortal,
];

/// A running proxy; stops when dropped.
pub struct FaultProxy {
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
    pub counts: Arc<Mutex<std::collections::HashMap<Fault, u32>>>,
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FaultProxy {
    /// A loopback listener for the proxy, bound first so the backend can
    /// be told the public origin its clients use (DPoP proofs name it).
    pub async fn bind() -> TcpListener {
        TcpListener::bind("127.0.0.1:0").await.unwrap()
    }

    /// Proxies `listener` to `upstream`, faulting `percent`% of requests
    /// (spread over every kind of fault), with `hold` as the timeout
    /// fault's hold.
    pub fn start(
        listener: TcpListener,
        upstream: SocketAddr,
        percent: u64,
        seed: u64,
        hold: Duration,
    ) -> Self {
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(AtomicU64::new(seed));
        let turn = AtomicUsize::new(0);
        let counts: Arc<Mutex<std::collections::HashMap<Fault, u32>>> = Default::default();
        let c = counts.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                // Whether to fault is drawn; which fault takes the next in
                // turn, so every kind shows up in a short run.
                let fault = if next(&state) % 100 < percent {
                    FAULTS[turn.fetch_add(1, Ordering::Relaxed) % FAULTS.len()]
                } else {
                    Fault::None
                };
                *c.lock().unwrap().entry(fault).or_default() += 1;
                tokio::spawn(serve(client, upstream, fault, hold));
            }
        });
        Self { addr, task, counts }
    }

    /// Proxies `listener` to `upstream`, faulting each request as `rule`
    /// says once the request has been read.
    pub fn start_with_rule(
        listener: TcpListener,
        upstream: SocketAddr,
        hold: Duration,
        rule: Rule,
    ) -> Self {
        let addr = listener.local_addr().unwrap();
        let counts: Arc<Mutex<std::collections::HashMap<Fault, u32>>> = Default::default();
        let c = counts.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let (rule, c) = (rule.clone(), c.clone());
                tokio::spawn(async move {
                    let Some(request) = read_request(&mut client).await else {
                        return;
                    };
                    let fault = rule(&request);
                    *c.lock().unwrap().entry(fault).or_default() += 1;
                    answer(client, upstream, request, fault, hold).await;
                });
            }
        });
        Self { addr, task, counts }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Faults injected so far, by kind (`Fault::None` counts clean requests).
    pub fn injected(&self) -> u32 {
        self.counts
            .lock()
            .unwrap()
            .iter()
            .filter(|(f, _)| **f != Fault::None)
            .map(|(_, n)| n)
            .sum()
    }
}

/// A splitmix64 step: reproducible across platforms.
fn next(state: &AtomicU64) -> u64 {
    let mut z = state
        .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

async fn serve(mut client: TcpStream, upstream: SocketAddr, fault: Fault, hold: Duration) {
    let Some(request) = read_request(&mut client).await else {
        return;
    };
    answer(client, upstream, request, fault, hold).await;
}

/// Answers one read request as `fault` says.
async fn answer(
    mut client: TcpStream,
    upstream: SocketAddr,
    request: Vec<u8>,
    fault: Fault,
    hold: Duration,
) {
    let reply = match fault {
        Fault::DropBefore => return,
        Fault::Timeout => {
            tokio::time::sleep(hold).await;
            return;
        }
        Fault::BusyForAnHour => {
            let body = r#"{"error":"unavailable"}"#;
            format!(
                "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 3600\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            )
            .into_bytes()
        }
        Fault::CaptivePortal => {
            let page = "<html><body>Please sign in to the Wi-Fi</body></html>";
            format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{page}",
                page.len()
            )
            .into_bytes()
        }
        Fault::None
        | Fault::DropAfter
        | Fault::ErrorAfter
        | Fault::Duplicate
        | Fault::DuplicateReply
        | Fault::Delay
        | Fault::StripDate => {
            let Some(mut reply) = forward(upstream, &request).await else {
                return;
            };
            if fault == Fault::Duplicate {
                match forward(upstream, &request).await {
                    Some(second) => reply = second,
                    None => return,
                }
            }
            match fault {
                Fault::DropAfter => return,
                Fault::ErrorAfter => {
                    let body = r#"{"error":"internal"}"#;
                    format!(
                        "HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    )
                    .into_bytes()
                }
                Fault::DuplicateReply => [reply.clone(), reply].concat(),
                Fault::Delay => {
                    tokio::time::sleep(hold).await;
                    reply
                }
                Fault::StripDate => strip_date(&reply),
                _ => reply,
            }
        }
    };
    let _ = client.write_all(&reply).await;
    let _ = client.shutdown().await;
}

/// Reads one request (head and `content-length` body), rewritten to close
/// the connection after it.
async fn read_request(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut data = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    let head_end = loop {
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).to_string();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    while data.len() < head_end + length {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    }
    let mut lines: Vec<&str> = head.trim_end().split("\r\n").collect();
    lines.retain(|l| !l.to_ascii_lowercase().starts_with("connection:"));
    let mut out = lines.join("\r\n").into_bytes();
    out.extend_from_slice(b"\r\nconnection: close\r\n\r\n");
    out.extend_from_slice(&data[head_end..head_end + length]);
    Some(out)
}

/// A reply without its `Date` header line.
fn strip_date(reply: &[u8]) -> Vec<u8> {
    let Some(end) = reply.windows(4).position(|w| w == b"\r\n\r\n") else {
        return reply.to_vec();
    };
    let head = String::from_utf8_lossy(&reply[..end]);
    let kept: Vec<&str> = head
        .split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("date:"))
        .collect();
    let mut out = kept.join("\r\n").into_bytes();
    out.extend_from_slice(&reply[end..]);
    out
}

async fn forward(upstream: SocketAddr, request: &[u8]) -> Option<Vec<u8>> {
    let mut server = TcpStream::connect(upstream).await.ok()?;
    server.write_all(request).await.ok()?;
    let mut reply = Vec::new();
    server.read_to_end(&mut reply).await.ok()?;
    Some(reply)
}
