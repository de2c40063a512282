//! TLS on rustls with ring: the bundled Mozilla roots, plus the extra roots
//! and SPKI pins a region configures.
//!
//! Pins are checked after normal chain validation, never instead of it: a
//! pinned key with an expired or misnamed certificate is still refused. A
//! pin matches any certificate in the presented chain, so a region can pin
//! its intermediate CA and rotate leaf certificates freely.

use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::error::{PalmGovError, Result};

/// Builds the client TLS configuration for a region.
pub(crate) fn client_config(
    extra_roots_pem: &[String],
    spki_pins_b64: &[String],
) -> Result<ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    for pem in extra_roots_pem {
        let mut any = false;
        for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
            let cert = cert.map_err(|_| invalid("server.extra_root_certs_pem"))?;
            roots
                .add(cert)
                .map_err(|_| invalid("server.extra_root_certs_pem"))?;
            any = true;
        }
        if !any {
            return Err(invalid("server.extra_root_certs_pem").into());
        }
    }
    let pins = spki_pins_b64
        .iter()
        .map(|p| {
            B64.decode(p)
                .ok()
                .filter(|d| d.len() == 32)
                .ok_or_else(|| invalid("server.spki_pins_sha256"))
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|_| invalid("server.extra_root_certs_pem"))?;
    let verifier: Arc<dyn ServerCertVerifier> = if pins.is_empty() {
        webpki
    } else {
        Arc::new(PinningVerifier {
            inner: webpki,
            pins,
        })
    };
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|_| PalmGovError::Internal {
            detail: "tls versions".into(),
        })?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    // The client speaks HTTP/1.1 only (see reqwest's features in Cargo.toml).
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// The SHA-256 of a certificate's SubjectPublicKeyInfo. Regions configure
/// it base64-encoded, the same format as HPKP's `pin-sha256`.
fn spki_sha256(cert: &CertificateDer<'_>) -> Option<Vec<u8>> {
    let parsed = webpki::EndEntityCert::try_from(cert).ok()?;
    let spki = parsed.subject_public_key_info();
    Some(
        ring::digest::digest(&ring::digest::SHA256, spki.as_ref())
            .as_ref()
            .to_vec(),
    )
}

#[derive(Debug)]
struct PinningVerifier {
    inner: Arc<WebPkiServerVerifier>,
    pins: Vec<Vec<u8>>,
}

impl PinningVerifier {
    fn matches(&self, cert: &CertificateDer<'_>) -> bool {
        spki_sha256(cert).is_some_and(|digest| self.pins.contains(&digest))
    }
}

impl ServerCertVerifier for PinningVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let verified = self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        )?;
        if std::iter::once(end_entity)
            .chain(intermediates)
            .any(|c| self.matches(c))
        {
            Ok(verified)
        } else {
            tracing::warn!("server certificate chain matches no configured pin");
            Err(rustls::Error::General("spki pin mismatch".into()))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

fn invalid(field: &str) -> PalmGovError {
    PalmGovError::InvalidInput {
        field: field.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_pins_and_roots_are_input_errors() {
        assert!(matches!(
            client_config(&[], &["not base64!".into()]),
            Err(crate::error::Error::Public(
                PalmGovError::InvalidInput { .. }
            ))
        ));
        assert!(matches!(
            client_config(&[], &[B64.encode([0u8; 16])]),
            Err(crate::error::Error::Public(
                PalmGovError::InvalidInput { .. }
            ))
        ));
        assert!(matches!(
            client_config(&["no pem here".into()], &[]),
            Err(crate::error::Error::Public(
                PalmGovError::InvalidInput { .. }
            ))
        ));
        assert!(client_config(&[], &[B64.encode([0u8; 32])]).is_ok());
    }
}
