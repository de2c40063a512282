//! The region's service catalog (办事指南), served as the region's tooling
//! publishes it: a directory holding `manifest.json` and
//! `chunks/<sha256hex>.zlib`, each chunk named by the SHA-256 of its bytes.
//!
//! The app pins the manifest's hash in the signed region profile
//! (`catalog.manifest_sha256`) and fetches the chunks the manifest names,
//! so the backend only hands out bytes: it signs and parses nothing. The
//! catalog is public information, so neither route asks who calls.
//!
//! Both routes read the directory at every request: a new publication (a
//! new manifest beside new chunks) is served at once, without a restart,
//! and a test can swap the files between two requests.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::store::sha256;
use crate::{AppState, error};

/// Where the catalog is read from when the server's options name no
/// directory ([`crate::ServerOptions::catalog_dir`]): the demo region's
/// bundled catalog, so the demo and the tests serve what the app bundles.
pub const DEFAULT_CATALOG_DIR: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../regions/330106/catalog");

/// The manifest's file name in a catalog directory.
const MANIFEST: &str = "manifest.json";

/// A chunk never changes under its name (the name is its hash), so caches
/// on the way and the app may keep it for good.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The lowercase hex SHA-256 of `dir`'s `manifest.json`: what a signed
/// region profile pins as `catalog.manifest_sha256`. `None` when the
/// directory holds no readable manifest.
pub fn catalog_manifest_sha256(dir: &Path) -> Option<String> {
    std::fs::read(dir.join(MANIFEST))
        .ok()
        .map(|bytes| sha256(&bytes))
}

/// `GET /v1/catalog/manifest.json`: the manifest exactly as stored.
/// `no-cache` with an ETag: a new publication must reach the app at its
/// next refresh, and an unchanged one costs a 304.
pub(crate) async fn manifest(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let dir = state.catalog_dir.clone();
    let bytes = match read(dir.join(MANIFEST)).await {
        Ok(bytes) => bytes,
        // A directory without a manifest publishes nothing either.
        Err(e) if e.kind() == ErrorKind::NotFound => return no_catalog(),
        Err(e) => return unreadable(&dir, &e),
    };
    let etag = format!("\"{}\"", sha256(&bytes));
    let Ok(etag_value) = HeaderValue::from_str(&etag) else {
        return error(StatusCode::INTERNAL_SERVER_ERROR, "internal");
    };
    let cache = [
        (header::ETAG, etag_value),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
    ];
    if none_match(&headers, &etag) {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    let json = [(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    )];
    (cache, json, bytes).into_response()
}

/// `GET /v1/catalog/chunks/{name}`: one chunk, as stored. The route takes
/// everything after `chunks/` (`../x` included), so that every name that
/// is not a chunk's gets the same `unknown_chunk`; a name is checked
/// before it comes near the filesystem.
pub(crate) async fn chunk(
    State(state): State<Arc<AppState>>,
    UrlPath(name): UrlPath<String>,
) -> Response {
    let Some(hash) = chunk_hash(&name) else {
        return error(StatusCode::NOT_FOUND, "unknown_chunk");
    };
    let dir = state.catalog_dir.clone();
    if !is_dir(dir.clone()).await {
        return no_catalog();
    }
    let bytes = match read(dir.join("chunks").join(&name)).await {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return error(StatusCode::NOT_FOUND, "unknown_chunk");
        }
        Err(e) => return unreadable(&dir, &e),
    };
    // Served as immutable under its hash: bytes that are not that hash (a
    // publication copied in half, a disk fault) would be kept by every
    // cache for a year, so they are not served at all.
    if sha256(&bytes) != hash {
        tracing::error!(chunk = %name, "a catalog chunk does not match its name");
        return error(StatusCode::INTERNAL_SERVER_ERROR, "internal");
    }
    (
        [
            (header::CONTENT_TYPE, "application/octet-stream"),
            (header::CACHE_CONTROL, IMMUTABLE),
        ],
        bytes,
    )
        .into_response()
}

/// The hash a chunk name stands for: exactly 64 lowercase hex digits and
/// `.zlib`, nothing else (no path separator, dot or other case can pass).
fn chunk_hash(name: &str) -> Option<&str> {
    let hash = name.strip_suffix(".zlib")?;
    let hex = |b: &u8| b.is_ascii_digit() || (b'a'..=b'f').contains(b);
    (hash.len() == 64 && hash.as_bytes().iter().all(hex)).then_some(hash)
}

/// Whether `If-None-Match` names `etag` (or is `*`). The comparison is
/// weak (RFC 9110 section 13.1.2): a `W/` tag from a cache on the way
/// still matches.
fn none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

/// Reads a file on the blocking pool: a slow disk holds no runtime worker.
async fn read(path: PathBuf) -> std::io::Result<Vec<u8>> {
    tokio::task::spawn_blocking(move || std::fs::read(path))
        .await
        .unwrap_or_else(|_| Err(std::io::Error::other("the read task failed")))
}

async fn is_dir(path: PathBuf) -> bool {
    tokio::task::spawn_blocking(move || path.is_dir())
        .await
        .unwrap_or(false)
}

fn no_catalog() -> Response {
    error(StatusCode::NOT_FOUND, "no_catalog")
}

fn unreadable(dir: &Path, e: &std::io::Error) -> Response {
    tracing::error!(dir = %dir.display(), "the catalog cannot be read: {e}");
    error(StatusCode::INTERNAL_SERVER_ERROR, "internal")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_http::{exchange, header};
    use serde_json::{Value, json};

    /// A catalog directory as the region's tooling writes it: a manifest
    /// naming one chunk, and the chunk under its hash. Returns the chunk's
    /// name and bytes.
    fn publish(dir: &Path, manifest: &str, chunk: &[u8]) -> String {
        let name = format!("{}.zlib", sha256(chunk));
        std::fs::create_dir_all(dir.join("chunks")).unwrap();
        std::fs::write(dir.join("chunks").join(&name), chunk).unwrap();
        std::fs::write(dir.join(MANIFEST), manifest).unwrap();
        name
    }

    async fn serving(dir: &Path) -> crate::RunningServer {
        crate::start(
            "127.0.0.1:0".parse().unwrap(),
            crate::ServerOptions {
                catalog_dir: Some(dir.to_path_buf()),
                ..Default::default()
            },
        )
        .await
        .unwrap()
    }

    fn json_of(body: &[u8]) -> Value {
        serde_json::from_slice(body).unwrap_or(Value::Null)
    }

    #[tokio::test]
    async fn the_manifest_is_served_as_stored_with_its_etag() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = r#"{"version": 1, "chunks": ["a"]}"#;
        publish(dir.path(), manifest, b"chunk one");
        let server = serving(dir.path()).await;
        let path = "/v1/catalog/manifest.json";

        let (status, headers, body) = exchange(server.addr, "GET", path, &[], "").await;
        assert_eq!(status, 200);
        assert_eq!(body, manifest.as_bytes());
        assert_eq!(header(&headers, "content-type"), Some("application/json"));
        assert_eq!(header(&headers, "cache-control"), Some("no-cache"));
        let pinned = catalog_manifest_sha256(dir.path()).unwrap();
        assert_eq!(pinned, sha256(manifest.as_bytes()));
        let etag = format!("\"{pinned}\"");
        assert_eq!(header(&headers, "etag"), Some(etag.as_str()));

        // The app holds it: 304, no body, the same validators.
        for held in [
            etag.clone(),
            format!("W/{etag}"),
            format!("\"other\", {etag}"),
            "*".into(),
        ] {
            let (status, headers, body) =
                exchange(server.addr, "GET", path, &[("if-none-match", &held)], "").await;
            assert_eq!(status, 304, "{held}");
            assert!(body.is_empty());
            assert_eq!(header(&headers, "etag"), Some(etag.as_str()));
            assert_eq!(header(&headers, "cache-control"), Some("no-cache"));
        }
        // It holds another: the whole manifest.
        let (status, _, body) = exchange(
            server.addr,
            "GET",
            path,
            &[("if-none-match", "\"old\"")],
            "",
        )
        .await;
        assert_eq!((status, body.as_slice()), (200, manifest.as_bytes()));
        // Public: no credentials asked, none needed.
        assert!(header(&headers, "www-authenticate").is_none());
    }

    #[tokio::test]
    async fn a_chunk_is_served_under_its_hash_and_nothing_else_is() {
        let dir = tempfile::tempdir().unwrap();
        let chunk = b"x\x9c\x01\x02\x03 not really zlib";
        let name = publish(dir.path(), "{}", chunk);
        // A file beside the catalog, which no chunk name may reach.
        std::fs::write(dir.path().join("secret"), "no").unwrap();
        let server = serving(dir.path()).await;

        let (status, headers, body) = exchange(
            server.addr,
            "GET",
            &format!("/v1/catalog/chunks/{name}"),
            &[],
            "",
        )
        .await;
        assert_eq!((status, body.as_slice()), (200, chunk.as_slice()));
        assert_eq!(
            header(&headers, "content-type"),
            Some("application/octet-stream")
        );
        assert_eq!(header(&headers, "cache-control"), Some(IMMUTABLE));

        let hash = &name[..64];
        let missing = format!("{}.zlib", sha256(b"never published"));
        for bad in [
            "../x".to_string(),
            "..%2Fx".into(),
            "..%2F..%2Fsecret".into(),
            "../../secret".into(),
            format!("{}.zlib", hash.to_ascii_uppercase()),
            format!("{}.zlib", &hash[..63]),
            format!("{hash}0.zlib"),
            hash.to_string(),
            format!("{hash}.zip"),
            format!("{hash}.zlib/"),
            format!("sub/{name}"),
            format!("{}g.zlib", &hash[..63]),
            missing,
        ] {
            let (status, _, body) = exchange(
                server.addr,
                "GET",
                &format!("/v1/catalog/chunks/{bad}"),
                &[],
                "",
            )
            .await;
            assert_eq!(
                (status, json_of(&body)),
                (404, json!({"error": "unknown_chunk"})),
                "{bad}"
            );
        }
        assert!(chunk_hash(&name).is_some());
        assert!(chunk_hash(&format!("..{}", &name[2..])).is_none());

        // Bytes that are not their name's are never served as immutable.
        std::fs::write(dir.path().join("chunks").join(&name), b"tampered").unwrap();
        let (status, _, body) = exchange(
            server.addr,
            "GET",
            &format!("/v1/catalog/chunks/{name}"),
            &[],
            "",
        )
        .await;
        assert_eq!(
            (status, json_of(&body)),
            (500, json!({"error": "internal"}))
        );
    }

    #[tokio::test]
    async fn a_new_publication_is_served_at_the_next_request() {
        let dir = tempfile::tempdir().unwrap();
        let first = r#"{"version": 1}"#;
        publish(dir.path(), first, b"one");
        let server = serving(dir.path()).await;
        let path = "/v1/catalog/manifest.json";
        let (_, headers, body) = exchange(server.addr, "GET", path, &[], "").await;
        assert_eq!(body, first.as_bytes());
        let old = header(&headers, "etag").unwrap().to_string();

        let second = r#"{"version": 2}"#;
        let name = publish(dir.path(), second, b"two");
        let (status, headers, body) =
            exchange(server.addr, "GET", path, &[("if-none-match", &old)], "").await;
        assert_eq!((status, body.as_slice()), (200, second.as_bytes()));
        assert_ne!(header(&headers, "etag"), Some(old.as_str()));
        let new = format!("\"{}\"", catalog_manifest_sha256(dir.path()).unwrap());
        assert_eq!(header(&headers, "etag"), Some(new.as_str()));
        let (status, _, body) = exchange(
            server.addr,
            "GET",
            &format!("/v1/catalog/chunks/{name}"),
            &[],
            "",
        )
        .await;
        assert_eq!((status, body.as_slice()), (200, b"two".as_slice()));
    }

    #[tokio::test]
    async fn without_a_catalog_both_routes_say_so() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("not-published");
        let server = serving(&gone).await;
        let chunk = format!("/v1/catalog/chunks/{}.zlib", sha256(b"any"));
        for path in ["/v1/catalog/manifest.json", chunk.as_str()] {
            let (status, _, body) = exchange(server.addr, "GET", path, &[], "").await;
            assert_eq!(
                (status, json_of(&body)),
                (404, json!({"error": "no_catalog"})),
                "{path}"
            );
        }
        // A directory without its manifest publishes nothing either.
        std::fs::create_dir_all(gone.join("chunks")).unwrap();
        let (status, _, body) =
            exchange(server.addr, "GET", "/v1/catalog/manifest.json", &[], "").await;
        assert_eq!(
            (status, json_of(&body)),
            (404, json!({"error": "no_catalog"}))
        );
        assert_eq!(catalog_manifest_sha256(&gone), None);
    }
}
