//! Cross-crate and system tests live in `tests/tests/`. This library holds
//! what they share.

use tokio::io::{AsyncRead, AsyncReadExt};

/// Reads one HTTP/1.1 request head from a scripted test server's socket.
/// Returns false if the peer closed or failed first.
pub async fn read_request_head<S: AsyncRead + Unpin>(stream: &mut S) -> bool {
    let mut buf = vec![0u8; 8192];
    let mut seen = Vec::new();
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
    true
}

pub use palmgov_server::dev_provider::{CLIENT_ID, DevProvider as TestProvider, REDIRECT_URI};
