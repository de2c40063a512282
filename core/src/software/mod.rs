//! Software implementations of every platform hook, for tests, the CLI and the
//! JVM tests. They offer no hardware protection: a key file on disk is only
//! as safe as the disk. Apps ship the Android and iOS implementations.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, KeyPair};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::crypto::{DataKey, KEY_LEN, random_bytes};
use crate::hooks::{AppLock, AppLockOutcome, HookError, Keystore, LogLevel, LogRecord, LogSink};

/// A keystore whose wrapping key is a 32-byte secret held in memory, and
/// optionally persisted to a file so the CLI can reopen its data.
pub struct SoftwareKeystore {
    wrapping: DataKey,
    state: Mutex<KeystoreState>,
    path: Option<PathBuf>,
}

#[derive(Default, Serialize, Deserialize)]
struct KeystoreState {
    /// The wrapping secret, base64; only persisted for file-backed keystores.
    secret: String,
    /// PKCS#8 signing keys by alias, base64.
    signing: HashMap<String, String>,
}

impl SoftwareKeystore {
    /// An in-memory keystore. Two keystores made from the same secret can
    /// unwrap each other's keys, which is how tests simulate a process restart;
    /// a different secret simulates a reset hardware key.
    pub fn from_secret(secret: &[u8]) -> Result<Self, HookError> {
        let wrapping = DataKey::from_bytes(secret).map_err(|_| HookError::Failed {
            reason: format!("the secret must be {KEY_LEN} bytes"),
        })?;
        Ok(Self {
            wrapping,
            state: Mutex::new(KeystoreState::default()),
            path: None,
        })
    }

    /// A keystore persisted in `path`, created with a random secret on first
    /// use. Written only when it changes (created, or a key added), so a
    /// start on a nearly full disk does not fail on it; copies a killed
    /// write left behind (`*.tmp-*`, holding the secret) are removed.
    pub fn open_file(path: PathBuf) -> Result<Self, HookError> {
        if let (Some(dir), Some(name)) = (path.parent(), path.file_name()) {
            let prefix = format!("{}.tmp-", name.to_string_lossy());
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                if entry.file_name().to_string_lossy().starts_with(&prefix) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        let mut created = false;
        let state: KeystoreState = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|_| failed("keystore file"))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                created = true;
                let secret = random_bytes(KEY_LEN).map_err(|_| failed("rng"))?;
                KeystoreState {
                    secret: B64.encode(&secret[..]),
                    signing: HashMap::new(),
                }
            }
            Err(_) => return Err(failed("keystore file")),
        };
        let secret = Zeroizing::new(
            B64.decode(&state.secret)
                .map_err(|_| failed("keystore file"))?,
        );
        let store = Self {
            wrapping: DataKey::from_bytes(&secret).map_err(|_| failed("keystore file"))?,
            state: Mutex::new(state),
            path: Some(path),
        };
        if created {
            store.persist()?;
        }
        Ok(store)
    }

    fn persist(&self) -> Result<(), HookError> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let state = self.state.lock().map_err(|_| failed("lock"))?;
        let bytes = serde_json::to_vec(&*state).map_err(|_| failed("keystore file"))?;
        crate::store::files::write_atomic(path, &bytes).map_err(|_| failed("keystore file"))
    }

    fn signing_key(&self, alias: &str) -> Result<EcdsaKeyPair, HookError> {
        let rng = SystemRandom::new();
        let pkcs8 = {
            let mut state = self.state.lock().map_err(|_| failed("lock"))?;
            match state.signing.get(alias) {
                Some(b64) => Zeroizing::new(B64.decode(b64).map_err(|_| failed("keystore file"))?),
                None => {
                    let doc = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng)
                        .map_err(|_| failed("keygen"))?;
                    state
                        .signing
                        .insert(alias.to_string(), B64.encode(doc.as_ref()));
                    drop(state);
                    self.persist()?;
                    Zeroizing::new(doc.as_ref().to_vec())
                }
            }
        };
        EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &pkcs8, &rng)
            .map_err(|_| failed("signing key"))
    }
}

impl Keystore for SoftwareKeystore {
    fn wrap_key(&self, alias: String, key: Vec<u8>) -> Result<Vec<u8>, HookError> {
        let key = Zeroizing::new(key);
        self.wrapping
            .seal(alias.as_bytes(), &key)
            .map_err(|_| failed("wrap"))
    }

    fn unwrap_key(&self, alias: String, wrapped: Vec<u8>) -> Result<Vec<u8>, HookError> {
        self.wrapping
            .open(alias.as_bytes(), &wrapped)
            .map(|k| k.to_vec())
            .map_err(|_| HookError::KeyInvalidated)
    }

    fn device_public_key(&self, alias: String) -> Result<Vec<u8>, HookError> {
        let key = self.signing_key(&alias)?;
        Ok(p256_spki(key.public_key().as_ref()))
    }

    fn sign(&self, alias: String, message: Vec<u8>) -> Result<Vec<u8>, HookError> {
        let key = self.signing_key(&alias)?;
        key.sign(&SystemRandom::new(), &message)
            .map(|s| s.as_ref().to_vec())
            .map_err(|_| failed("sign"))
    }

    fn delete_key(&self, alias: String) -> Result<(), HookError> {
        let removed = {
            let mut state = self.state.lock().map_err(|_| failed("lock"))?;
            state.signing.remove(&alias).is_some()
        };
        if removed {
            self.persist()?;
        }
        Ok(())
    }
}

/// Wraps an uncompressed P-256 point in a DER SubjectPublicKeyInfo, the form
/// Android's `PublicKey.getEncoded()` and iOS's exported keys use.
pub(crate) fn p256_spki(point: &[u8]) -> Vec<u8> {
    // SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING point }
    const PREFIX: [u8; 26] = [
        0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08,
        0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
    ];
    let mut der = PREFIX.to_vec();
    der.extend_from_slice(point);
    der
}

fn failed(reason: &str) -> HookError {
    HookError::Failed {
        reason: reason.to_string(),
    }
}

/// An app lock that answers every prompt the same way, and counts prompts.
pub struct SoftwareAppLock {
    outcome: Mutex<AppLockOutcome>,
    prompts: std::sync::atomic::AtomicU32,
    /// False: a phone with no screen lock set up.
    available: std::sync::atomic::AtomicBool,
}

impl SoftwareAppLock {
    pub fn new(outcome: AppLockOutcome) -> Self {
        Self {
            outcome: Mutex::new(outcome),
            prompts: Default::default(),
            available: std::sync::atomic::AtomicBool::new(true),
        }
    }

    /// A phone with no screen lock: the app PIN is the way in.
    pub fn without_screen_lock() -> Self {
        let lock = Self::new(AppLockOutcome::Denied);
        lock.set_available(false);
        lock
    }

    /// Sets up or removes the phone's screen lock.
    pub fn set_available(&self, available: bool) {
        self.available
            .store(available, std::sync::atomic::Ordering::SeqCst);
    }

    /// Changes the answer to later prompts (to test a failed unlock).
    pub fn set_outcome(&self, outcome: AppLockOutcome) {
        if let Ok(mut o) = self.outcome.lock() {
            *o = outcome;
        }
    }

    /// How many prompts were shown.
    pub fn prompts(&self) -> u32 {
        self.prompts.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl AppLock for SoftwareAppLock {
    fn is_available(&self) -> bool {
        self.available.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn authenticate(&self, _reason: String) -> Result<AppLockOutcome, HookError> {
        self.prompts
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.outcome.lock().map(|o| *o).map_err(|_| failed("lock"))
    }
}

/// Writes log lines to standard error, for the CLI.
pub struct StderrLogSink {
    pub max_level: LogLevel,
}

impl LogSink for StderrLogSink {
    fn log(&self, record: LogRecord) {
        if record.level <= self.max_level {
            eprintln!("[{:?}] {}: {}", record.level, record.target, record.message);
        }
    }
}

/// Keeps every log line in memory, so tests can assert that nothing personal
/// was logged.
#[derive(Default)]
pub struct MemoryLogSink {
    records: Mutex<Vec<LogRecord>>,
}

impl MemoryLogSink {
    /// Everything logged so far.
    pub fn records(&self) -> Vec<LogRecord> {
        self.records.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

impl LogSink for MemoryLogSink {
    fn log(&self, record: LogRecord) {
        if let Ok(mut r) = self.records.lock() {
            r.push(record);
        }
    }
}

/// A software keystore for shells' tests, keyed by a 32-byte secret. The same
/// secret reopens the same data; another secret behaves like a reset device.
#[uniffi::export]
pub fn software_keystore(secret: Vec<u8>) -> Result<Arc<dyn Keystore>, HookError> {
    Ok(Arc::new(SoftwareKeystore::from_secret(&secret)?))
}

/// A software app lock that always gives `outcome`.
#[uniffi::export]
pub fn software_app_lock(outcome: AppLockOutcome) -> Arc<dyn AppLock> {
    Arc::new(SoftwareAppLock::new(outcome))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_unwrap_and_wrong_secret() {
        let a = SoftwareKeystore::from_secret(&[1; 32]).unwrap();
        let b = SoftwareKeystore::from_secret(&[2; 32]).unwrap();
        let wrapped = a.wrap_key("k".into(), vec![9; 32]).unwrap();
        assert_eq!(
            a.unwrap_key("k".into(), wrapped.clone()).unwrap(),
            vec![9; 32]
        );
        assert_eq!(
            b.unwrap_key("k".into(), wrapped.clone()),
            Err(HookError::KeyInvalidated)
        );
        assert_eq!(
            a.unwrap_key("other".into(), wrapped),
            Err(HookError::KeyInvalidated)
        );
    }

    #[test]
    fn signatures_verify_with_the_published_key() {
        let ks = SoftwareKeystore::from_secret(&[1; 32]).unwrap();
        let spki = ks.device_public_key("device".into()).unwrap();
        let sig = ks.sign("device".into(), b"msg".to_vec()).unwrap();
        let point = &spki[26..];
        ring::signature::UnparsedPublicKey::new(&ring::signature::ECDSA_P256_SHA256_ASN1, point)
            .verify(b"msg", &sig)
            .unwrap();
    }

    #[test]
    fn file_keystore_survives_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ks.json");
        let a = SoftwareKeystore::open_file(path.clone()).unwrap();
        let wrapped = a.wrap_key("k".into(), vec![3; 32]).unwrap();
        let pk = a.device_public_key("d".into()).unwrap();
        let b = SoftwareKeystore::open_file(path).unwrap();
        assert_eq!(b.unwrap_key("k".into(), wrapped).unwrap(), vec![3; 32]);
        assert_eq!(b.device_public_key("d".into()).unwrap(), pk);
    }

    #[test]
    fn file_keystore_is_written_only_when_it_changes_and_leaves_no_copies() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ks.json");
        drop(SoftwareKeystore::open_file(path.clone()).unwrap());
        // A copy a killed write left behind, holding the secret.
        let leftover = dir.path().join("ks.json.tmp-0123456789abcdef");
        std::fs::copy(&path, &leftover).unwrap();
        // A rewrite (write a copy, rename it in) would give the file a new
        // inode.
        use std::os::unix::fs::MetadataExt;
        let inode = std::fs::metadata(&path).unwrap().ino();
        SoftwareKeystore::open_file(path.clone()).unwrap();
        assert_eq!(
            std::fs::metadata(&path).unwrap().ino(),
            inode,
            "an unchanged keystore is not rewritten"
        );
        assert!(!leftover.exists(), "no copy of the secret stays behind");
        // Garbage in the file is a clear hook error, not a new secret.
        let garbage = dir.path().join("garbage.json");
        std::fs::write(&garbage, b"not json").unwrap();
        assert!(SoftwareKeystore::open_file(garbage.clone()).is_err());
        assert_eq!(std::fs::read(&garbage).unwrap(), b"not json");
    }
}

/// A core on software hooks with no identity provider and no reachable
/// backend, keyed by `secret`: drafts and storage work, the network does
/// not. For the tests, the benchmarks and the full-disk and crash children.
pub fn offline_core(
    dir: &std::path::Path,
    secret: &[u8; KEY_LEN],
) -> Result<Arc<crate::PalmGov>, crate::PalmGovError> {
    crate::PalmGov::open(
        crate::PalmGovConfig {
            wallet: None,
            data_dir: dir.to_string_lossy().into_owned(),
            server: crate::default_server_config("http://127.0.0.1:9/".into()),
            log_level: LogLevel::Warn,
            log_dependencies: false,
            lock_timeout_secs: 300,
            identity: None,
            region: None,
        },
        Arc::new(SoftwareKeystore::from_secret(secret).expect("a secret of KEY_LEN bytes")),
        Arc::new(SoftwareAppLock::new(AppLockOutcome::Unlocked)),
        None,
    )
}

mod browser;
pub use browser::{DevBrowser, dev_browser};
mod face;
pub use face::{DevFaceCapture, camera_jpeg, dev_face_capture};
