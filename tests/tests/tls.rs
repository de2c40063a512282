//! TLS trust: the bundled roots alone refuse a private CA; a region's extra
//! root admits it; SPKI pins then narrow it down. A TLS server with a test
//! CA runs on loopback (rcgen and tokio-rustls, both on ring).

use std::sync::Arc;

use base64::Engine as _;
use palmgov::software::{SoftwareAppLock, SoftwareKeystore};
use palmgov::{
    AppLockOutcome, LogLevel, PalmGov, PalmGovConfig, PalmGovError, ServerConfig,
    default_server_config,
};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, PublicKeyData,
};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

struct TestPki {
    ca_pem: String,
    ca_pin: String,
    leaf_pin: String,
    url: String,
}

fn pin(key: &KeyPair) -> String {
    let spki = key.subject_public_key_info();
    base64::engine::general_purpose::STANDARD
        .encode(ring::digest::digest(&ring::digest::SHA256, &spki))
}

/// A CA, a leaf for 127.0.0.1 signed by it, and an HTTPS server answering
/// every request with the health reply.
async fn https_server() -> TestPki {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "palmgov test region CA");
    let ca_key = KeyPair::generate().unwrap();
    let ca_pin = pin(&ca_key);
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();

    let leaf_key = KeyPair::generate().unwrap();
    let leaf_pin = pin(&leaf_key);
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&leaf_key, &ca)
        .unwrap();

    let chain = vec![leaf.der().clone(), ca.der().clone()];
    let key = rustls::pki_types::PrivateKeyDer::try_from(leaf_key.serialize_der()).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A refused handshake is the expected outcome of several tests.
                let Ok(mut tls) = acceptor.accept(socket).await else {
                    return;
                };
                if !palmgov_tests::read_request_head(&mut tls).await {
                    return;
                }
                let body = r#"{"status":"ok","version":"tls","api_version":1}"#;
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(reply.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    TestPki {
        ca_pem: ca.pem(),
        ca_pin,
        leaf_pin,
        url: format!("https://{addr}/"),
    }
}

async fn health(server: ServerConfig) -> Result<String, PalmGovError> {
    let dir = tempfile::tempdir().unwrap();
    let core = PalmGov::open(
        PalmGovConfig {
            wallet: None,
            data_dir: dir.path().to_string_lossy().into_owned(),
            server: ServerConfig {
                max_attempts: 1,
                request_timeout_ms: 5_000,
                ..server
            },
            log_level: LogLevel::Warn,
            log_dependencies: false,
            lock_timeout_secs: 300,
            identity: None,
            region: None,
        },
        Arc::new(SoftwareKeystore::from_secret(&[3; 32]).unwrap()),
        Arc::new(SoftwareAppLock::new(AppLockOutcome::Unlocked)),
        None,
    )?;
    core.region()
        .server_health(None)
        .await
        .map(|h| h.server_version)
}

#[tokio::test]
async fn private_ca_is_refused_by_default() {
    let pki = https_server().await;
    assert_eq!(
        health(default_server_config(pki.url)).await,
        Err(PalmGovError::Tls)
    );
}

#[tokio::test]
async fn extra_root_admits_the_region_ca() {
    let pki = https_server().await;
    let config = ServerConfig {
        extra_root_certs_pem: vec![pki.ca_pem],
        ..default_server_config(pki.url)
    };
    assert_eq!(health(config).await.unwrap(), "tls");
}

#[tokio::test]
async fn a_pin_on_the_ca_or_the_leaf_matches() {
    let pki = https_server().await;
    for pin in [&pki.ca_pin, &pki.leaf_pin] {
        let config = ServerConfig {
            extra_root_certs_pem: vec![pki.ca_pem.clone()],
            spki_pins_sha256: vec![pin.clone()],
            ..default_server_config(pki.url.clone())
        };
        assert_eq!(health(config).await.unwrap(), "tls");
    }
}

#[tokio::test]
async fn a_pin_mismatch_is_refused_even_with_a_trusted_chain() {
    let pki = https_server().await;
    let other = pin(&KeyPair::generate().unwrap());
    let config = ServerConfig {
        extra_root_certs_pem: vec![pki.ca_pem],
        spki_pins_sha256: vec![other],
        ..default_server_config(pki.url)
    };
    assert_eq!(health(config).await, Err(PalmGovError::Tls));
}
