//! One signed-document envelope for everything the app trusts by
//! configuration rather than by a certificate: the licence trust list now,
//! the region profile later. Modelled on TUF's root and metadata rules,
//! cut down to what an offline phone needs.
//!
//! # Wire format
//!
//! ```json
//! {"signed": "<base64url of the payload bytes>",
//!  "signatures": [{"kid": "<JWK thumbprint>", "alg": "EdDSA", "sig": "<base64url>"}]}
//! ```
//!
//! The payload is canonical JSON of
//! `{"body": {...}, "expires": <unix seconds>, "kind": "palmgov.trust-list", "version": n}`,
//! and each signature covers
//! `b"palmgov-envelope-v1\n" ‖ kind ‖ b"\n" ‖ payload`
//! ([`signing_input`]). The domain prefix keeps a signature made for one
//! kind from verifying as another kind, or as any other protocol's message
//! (a JWS signing input starts with `ey`, never with `palmgov-`). The
//! payload travels as base64 of its exact bytes, so a verifier checks the
//! bytes that were signed and never re-serialises before verifying.
//!
//! # Canonical JSON
//!
//! Objects have their members sorted by key in UTF-8 byte order (Rust's
//! `str` order; not RFC 8785's UTF-16 order), no whitespace anywhere,
//! strings escaped as `serde_json` escapes them (`"`, `\` and control
//! characters only, everything else as raw UTF-8), numbers as `serde_json`
//! prints them (integers in decimal; a float in its shortest round-trip
//! form, though bodies should not need floats). The writer here sorts
//! keys itself, so the bytes do not depend on whether `serde_json`'s
//! `preserve_order` feature is on somewhere in the build (today it is
//! not: `cargo tree -e features -i serde_json` shows it only under
//! `tree-sitter`'s build-dependencies, which resolver 2+ keeps apart).
//! [`open`] refuses a payload that is not in this form, which also
//! refuses duplicate keys: the shells and a region's tools read the same
//! JSON, and must not be able to see a different member than Rust did.
//!
//! # Trust
//!
//! A [`Root`] is a set of keys and a threshold, pinned by the app's
//! configuration ([`Root::pinned`]) and rotated by root documents (kind
//! [`ROOT_KIND`]), each signed by a threshold of the old root's keys and a
//! threshold of its own, with a version exactly one above the old one
//! ([`update_root`]). As in TUF, rotation may start from an expired root,
//! so an app that was offline for a year catches up through the chain of
//! roots it missed. A root may delegate a kind to other keys (`roles`);
//! kinds it does not delegate are signed by the root keys themselves.
//!
//! Keys are counted, not signatures: a signature counts toward a threshold
//! only when its `kid` (the RFC 7638 thumbprint, which names the key
//! itself) is one of the trusted keys and it verifies under that key; a
//! key signing twice counts once, and signatures by unknown keys, under
//! unknown algorithms or in a shape we cannot read count zero (so a
//! document may carry signatures for newer apps without breaking older
//! ones).
//!
//! A document past its `expires` is stale, not refused: offline, the
//! last good trust list is better than none, and the result says
//! `stale: true` so the app can say so and fetch a fresh one. What is
//! refused is going backwards: the caller passes the version and digest
//! it last accepted for the kind, and a lower version, or the same
//! version with other bytes, is an error.
//!
//! Persisting trust: keep the root documents [`update_root`] accepted and
//! replay them from the pinned root at start-up (a few signature checks
//! per step); then nothing in storage is trusted that a threshold of keys
//! did not sign.

use std::collections::{BTreeMap, HashMap, HashSet};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::keys::{Alg, PublicKey, Signer};

/// The domain prefix every envelope signature starts with; `v1` names this
/// layout, so a future layout cannot be confused with it.
pub const DOMAIN: &[u8] = b"palmgov-envelope-v1\n";

/// The kind of root documents.
pub const ROOT_KIND: &str = "palmgov.root";

/// The largest envelope accepted, as text.
pub const MAX_ENVELOPE_BYTES: usize = 1024 * 1024;

/// The most signatures an envelope may carry; bounds the verification work
/// an envelope can ask for (64 SM2 checks are about 16 ms).
pub const MAX_SIGNATURES: usize = 64;

/// The most keys in the root set or in one role.
pub const MAX_KEYS: usize = 64;

/// The most delegated roles in a root.
pub const MAX_ROLES: usize = 64;

const MAX_KIND_LEN: usize = 64;

/// The deepest nesting the canonical writer accepts; below `serde_json`'s
/// parse limit of 128, so whatever [`sign`] writes, [`open`] can read.
const MAX_DEPTH: usize = 100;

/// Why an envelope or a root was refused. The reasons
/// ([`EnvelopeError::reason`]) are stable; none carries document content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    #[error("the envelope is not well-formed")]
    Malformed,
    #[error("the signed payload is not canonical JSON")]
    NotCanonical,
    #[error("the envelope is larger than allowed")]
    TooLarge,
    #[error("the envelope is not of the expected kind")]
    WrongKind,
    #[error("{valid} distinct trusted keys signed, {needed} are needed")]
    ThresholdNotMet { valid: usize, needed: usize },
    #[error("version {got} is older than version {last}, already accepted")]
    Rollback { last: u64, got: u64 },
    #[error("version {version} was already accepted with other content")]
    SameVersionOtherBytes { version: u64 },
    #[error("root version {got} does not follow the trusted root version {trusted}")]
    RootVersionSkipped { trusted: u64, got: u64 },
    #[error("the root's keys, threshold or roles are unusable")]
    BadRoot,
    #[error("a signer could not sign, or none was given")]
    SignFailed,
}

impl EnvelopeError {
    /// A stable, lower-case reason for logs and the FFI layer.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Malformed => "malformed",
            Self::NotCanonical => "not_canonical",
            Self::TooLarge => "too_large",
            Self::WrongKind => "wrong_kind",
            Self::ThresholdNotMet { .. } => "threshold_not_met",
            Self::Rollback { .. } => "rollback",
            Self::SameVersionOtherBytes { .. } => "same_version_other_bytes",
            Self::RootVersionSkipped { .. } => "root_version_skipped",
            Self::BadRoot => "bad_root",
            Self::SignFailed => "sign_failed",
        }
    }
}

/// A set of keys and how many of them must sign.
///
/// Fields are private so that every role in use has at least one key, no
/// key twice, and a threshold between 1 and the number of keys: a
/// threshold of 0 would accept an unsigned document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    keys: HashMap<String, PublicKey>,
    threshold: usize,
}

impl Role {
    /// A role of `keys`, any `threshold` of which sign. Refused
    /// ([`EnvelopeError::BadRoot`]) when empty, larger than [`MAX_KEYS`],
    /// listing a key twice, or with a threshold it cannot meet.
    pub fn new(keys: Vec<PublicKey>, threshold: usize) -> Result<Self, EnvelopeError> {
        if keys.is_empty() || keys.len() > MAX_KEYS {
            return Err(EnvelopeError::BadRoot);
        }
        let count = keys.len();
        let keys: HashMap<String, PublicKey> = keys
            .into_iter()
            .map(|key| (key.thumbprint(), key))
            .collect();
        // A key listed twice would look like two keys to a reader of the
        // document, and the threshold would not mean what it says.
        if keys.len() != count || threshold == 0 || threshold > keys.len() {
            return Err(EnvelopeError::BadRoot);
        }
        Ok(Self { keys, threshold })
    }

    /// The keys, by key id (JWK thumbprint).
    pub fn keys(&self) -> &HashMap<String, PublicKey> {
        &self.keys
    }

    pub fn threshold(&self) -> usize {
        self.threshold
    }

    /// `{"keys": [jwk…], "threshold": n}`, keys in key id order.
    fn to_body(&self) -> Value {
        let sorted: BTreeMap<&String, &PublicKey> = self.keys.iter().collect();
        let keys: Vec<Value> = sorted.values().map(|key| key.to_jwk()).collect();
        json!({"keys": keys, "threshold": self.threshold})
    }

    fn from_body(body: RoleBody) -> Result<Self, EnvelopeError> {
        if body.keys.len() > MAX_KEYS {
            return Err(EnvelopeError::BadRoot);
        }
        let keys = body
            .keys
            .iter()
            .map(PublicKey::from_jwk)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| EnvelopeError::BadRoot)?;
        let threshold = usize::try_from(body.threshold).map_err(|_| EnvelopeError::BadRoot)?;
        Self::new(keys, threshold)
    }

    /// Counts the distinct keys of this role with a valid signature of
    /// `message` among `signatures`, and checks the threshold.
    fn check(&self, message: &[u8], signatures: &[WireSignature]) -> Result<(), EnvelopeError> {
        let mut valid: HashSet<&str> = HashSet::new();
        for entry in signatures {
            let kid = entry.kid.as_str();
            let Some(key) = self.keys.get(kid) else {
                continue;
            };
            if valid.contains(kid) {
                continue;
            }
            let Some(alg) = Alg::parse(&entry.alg) else {
                continue;
            };
            let Ok(signature) = B64.decode(&entry.sig) else {
                continue;
            };
            if key.verify(alg, message, &signature).is_ok() {
                valid.insert(kid);
            }
        }
        // `threshold` is at least 1 by construction; the `max` keeps an
        // unsigned document out even if that ever changed.
        let needed = self.threshold.max(1);
        if valid.len() >= needed {
            Ok(())
        } else {
            Err(EnvelopeError::ThresholdNotMet {
                valid: valid.len(),
                needed,
            })
        }
    }
}

/// The trusted root: its version and expiry, the root keys and threshold
/// (which sign root documents, and every kind not delegated), and the
/// delegated roles by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    version: u64,
    expires: i64,
    root: Role,
    roles: BTreeMap<String, Role>,
}

impl Root {
    /// The root the app's configuration pins: `threshold` of `keys`, at
    /// `version` (the version of the root document it corresponds to, so
    /// the next root is `version + 1`). It has no expiry: it is as fresh
    /// as the app build that carries it.
    pub fn pinned(
        keys: Vec<PublicKey>,
        threshold: usize,
        version: u64,
    ) -> Result<Self, EnvelopeError> {
        Ok(Self {
            version,
            expires: i64::MAX,
            root: Role::new(keys, threshold)?,
            roles: BTreeMap::new(),
        })
    }

    /// The root a root document shipped inside the app build describes
    /// (as TUF clients ship their first `root.json`), with that document's
    /// version and expiry, which may well be past: [`update_root`] starts
    /// from expired roots. The document must be signed by a threshold of
    /// its own keys, which catches a corrupted or mis-built file; its trust
    /// comes from the build, though, so never pass a document received at
    /// run time here: those go through [`update_root`].
    pub fn pinned_document(document: &str) -> Result<Self, EnvelopeError> {
        let parsed = parse(document)?;
        if parsed.fields.kind != ROOT_KIND {
            return Err(EnvelopeError::WrongKind);
        }
        let message = signing_input(ROOT_KIND, &parsed.payload);
        let Payload {
            version,
            expires,
            body,
            ..
        } = parsed.fields;
        let root = Self::from_body(body, version, expires)?;
        root.root.check(&message, &parsed.signatures)?;
        Ok(root)
    }

    /// This root with `kind` delegated to `threshold` of `keys`; for
    /// building the body of a root document ([`Root::to_body`]), or a
    /// pinned root with delegations. The root kind itself cannot be
    /// delegated.
    pub fn with_role(
        mut self,
        kind: &str,
        keys: Vec<PublicKey>,
        threshold: usize,
    ) -> Result<Self, EnvelopeError> {
        if !valid_kind(kind) || kind == ROOT_KIND {
            return Err(EnvelopeError::BadRoot);
        }
        if !self.roles.contains_key(kind) && self.roles.len() >= MAX_ROLES {
            return Err(EnvelopeError::BadRoot);
        }
        self.roles
            .insert(kind.to_owned(), Role::new(keys, threshold)?);
        Ok(self)
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    /// When this root expires (unix seconds); `i64::MAX` for a pinned root.
    /// Documents opened under an expired root are stale.
    pub fn expires(&self) -> i64 {
        self.expires
    }

    /// The root keys, by key id.
    pub fn keys(&self) -> &HashMap<String, PublicKey> {
        self.root.keys()
    }

    pub fn threshold(&self) -> usize {
        self.root.threshold()
    }

    /// The delegated roles, by kind.
    pub fn roles(&self) -> &BTreeMap<String, Role> {
        &self.roles
    }

    /// The role that signs `kind`: its delegation, or the root keys.
    fn role_for(&self, kind: &str) -> &Role {
        self.roles.get(kind).unwrap_or(&self.root)
    }

    /// The body of a root document for this root:
    /// `{"keys": [jwk…], "threshold": n, "roles": {kind: {"keys", "threshold"}}}`
    /// (`roles` only when there are some). Sign it with
    /// `sign(ROOT_KIND, root.version(), expires, &root.to_body(), …)`.
    pub fn to_body(&self) -> Value {
        let mut body = self.root.to_body();
        if !self.roles.is_empty() {
            let roles: serde_json::Map<String, Value> = self
                .roles
                .iter()
                .map(|(kind, role)| (kind.clone(), role.to_body()))
                .collect();
            body["roles"] = Value::Object(roles);
        }
        body
    }

    fn from_body(body: Value, version: u64, expires: i64) -> Result<Self, EnvelopeError> {
        let body: RootBody = serde_json::from_value(body).map_err(|_| EnvelopeError::BadRoot)?;
        if body.roles.len() > MAX_ROLES {
            return Err(EnvelopeError::BadRoot);
        }
        let mut root = Self {
            version,
            expires,
            root: Role::from_body(RoleBody {
                keys: body.keys,
                threshold: body.threshold,
            })?,
            roles: BTreeMap::new(),
        };
        for (kind, role) in body.roles {
            if !valid_kind(&kind) || kind == ROOT_KIND {
                return Err(EnvelopeError::BadRoot);
            }
            root.roles.insert(kind, Role::from_body(role)?);
        }
        Ok(root)
    }
}

/// What [`open`] returns: the verified body and what the caller must keep
/// (`version` and `digest`, to pass back as `last` next time).
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    pub version: u64,
    pub expires: i64,
    pub body: Value,
    /// Past the document's or the trusted root's expiry: still usable
    /// offline, but the app should say so and fetch a newer one.
    pub stale: bool,
    /// SHA-256 of the payload bytes.
    pub digest: [u8; 32],
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire<'a> {
    /// Borrowed from the envelope's text when it has no escapes (base64
    /// never does): a 16 KiB profile's payload is not copied to be read.
    #[serde(borrow)]
    signed: std::borrow::Cow<'a, str>,
    signatures: Vec<WireSignature>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireSignature {
    kid: String,
    alg: String,
    sig: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Payload {
    kind: String,
    version: u64,
    expires: i64,
    body: Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RootBody {
    keys: Vec<Value>,
    threshold: u64,
    #[serde(default)]
    roles: BTreeMap<String, RoleBody>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleBody {
    keys: Vec<Value>,
    threshold: u64,
}

/// An envelope read and checked for shape, its signatures not yet.
struct Parsed {
    payload: Vec<u8>,
    fields: Payload,
    signatures: Vec<WireSignature>,
}

/// Kinds are short dotted names (`palmgov.trust-list`): no newline can
/// blur where the kind ends in the signing input, and nothing odd reaches
/// logs.
fn valid_kind(kind: &str) -> bool {
    !kind.is_empty()
        && kind.len() <= MAX_KIND_LEN
        && kind
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

/// The bytes each signature covers:
/// `b"palmgov-envelope-v1\n" ‖ kind ‖ b"\n" ‖ payload`. Public so an
/// external signer (an HSM, a region's offline tool) can sign the same
/// bytes.
pub fn signing_input(kind: &str, payload: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(DOMAIN.len() + kind.len() + 1 + payload.len());
    message.extend_from_slice(DOMAIN);
    message.extend_from_slice(kind.as_bytes());
    message.push(b'\n');
    message.extend_from_slice(payload);
    message
}

/// `value` as canonical JSON (see the module documentation).
pub fn canonical_json(value: &Value) -> Result<Vec<u8>, EnvelopeError> {
    let mut out = Vec::new();
    write_canonical(value, &mut out, 0)?;
    Ok(out)
}

/// Whether `bytes` are exactly the canonical form of `value`: written into
/// a sink that compares as it goes, so nothing is allocated and a
/// difference stops the writing at once.
fn is_canonical(value: &Value, bytes: &[u8]) -> Result<bool, EnvelopeError> {
    struct Compare<'a> {
        rest: &'a [u8],
    }
    impl std::io::Write for Compare<'_> {
        fn write(&mut self, chunk: &[u8]) -> std::io::Result<usize> {
            match self.rest.strip_prefix(chunk) {
                Some(rest) => {
                    self.rest = rest;
                    Ok(chunk.len())
                }
                None => Err(std::io::ErrorKind::InvalidData.into()),
            }
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut sink = Compare { rest: bytes };
    match write_canonical(value, &mut sink, 0) {
        Ok(()) => Ok(sink.rest.is_empty()),
        Err(EnvelopeError::Malformed) if !sink.rest.is_empty() => Ok(false),
        Err(e) => Err(e),
    }
}

fn write_canonical<W: std::io::Write>(
    value: &Value,
    out: &mut W,
    depth: usize,
) -> Result<(), EnvelopeError> {
    if depth > MAX_DEPTH {
        return Err(EnvelopeError::Malformed);
    }
    match value {
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            put(out, b"{")?;
            for (i, (key, member)) in members.into_iter().enumerate() {
                if i > 0 {
                    put(out, b",")?;
                }
                serde_json::to_writer(&mut *out, key).map_err(|_| EnvelopeError::Malformed)?;
                put(out, b":")?;
                write_canonical(member, out, depth + 1)?;
            }
            put(out, b"}")?;
        }
        Value::Array(items) => {
            put(out, b"[")?;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    put(out, b",")?;
                }
                write_canonical(item, out, depth + 1)?;
            }
            put(out, b"]")?;
        }
        scalar => {
            serde_json::to_writer(&mut *out, scalar).map_err(|_| EnvelopeError::Malformed)?;
        }
    }
    Ok(())
}

fn put<W: std::io::Write>(out: &mut W, bytes: &[u8]) -> Result<(), EnvelopeError> {
    out.write_all(bytes).map_err(|_| EnvelopeError::Malformed)
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    let mut digest = [0u8; 32];
    digest.copy_from_slice(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref());
    digest
}

/// Reads an envelope: bounded, well-formed, payload canonical. Signatures
/// are checked by the caller, against the role it trusts.
fn parse(envelope: &str) -> Result<Parsed, EnvelopeError> {
    if envelope.len() > MAX_ENVELOPE_BYTES {
        return Err(EnvelopeError::TooLarge);
    }
    let wire: Wire = serde_json::from_str(envelope).map_err(|_| EnvelopeError::Malformed)?;
    if wire.signatures.len() > MAX_SIGNATURES {
        return Err(EnvelopeError::TooLarge);
    }
    let payload = B64
        .decode(wire.signed.as_bytes())
        .map_err(|_| EnvelopeError::Malformed)?;
    let value: Value = serde_json::from_slice(&payload).map_err(|_| EnvelopeError::Malformed)?;
    if !is_canonical(&value, &payload)? {
        return Err(EnvelopeError::NotCanonical);
    }
    let fields: Payload = serde_json::from_value(value).map_err(|_| EnvelopeError::Malformed)?;
    if !valid_kind(&fields.kind) {
        return Err(EnvelopeError::Malformed);
    }
    Ok(Parsed {
        payload,
        fields,
        signatures: wire.signatures,
    })
}

/// Signs `body` as a document of `kind` at `version`, expiring at
/// `expires`, by each of `signers` (a key given twice signs once).
pub fn sign(
    kind: &str,
    version: u64,
    expires: i64,
    body: &Value,
    signers: &[&dyn Signer],
) -> Result<String, EnvelopeError> {
    if !valid_kind(kind) {
        return Err(EnvelopeError::Malformed);
    }
    if signers.is_empty() {
        return Err(EnvelopeError::SignFailed);
    }
    let payload = canonical_json(&json!({
        "kind": kind,
        "version": version,
        "expires": expires,
        "body": body,
    }))?;
    let wire = Wire {
        signed: B64.encode(&payload).into(),
        signatures: Vec::new(),
    };
    add_signatures(wire, kind, &payload, signers)
}

/// Adds signatures by `signers` to an envelope someone else began: root
/// rotations are signed by holders of the old keys and of the new, often
/// on different offline machines. The envelope must be well-formed; its
/// existing signatures are kept as they are (not checked), and a key that
/// already has an entry is not added again.
pub fn cosign(envelope: &str, signers: &[&dyn Signer]) -> Result<String, EnvelopeError> {
    let parsed = parse(envelope)?;
    let wire = Wire {
        signed: B64.encode(&parsed.payload).into(),
        signatures: parsed.signatures,
    };
    add_signatures(wire, &parsed.fields.kind, &parsed.payload, signers)
}

fn add_signatures(
    mut wire: Wire<'_>,
    kind: &str,
    payload: &[u8],
    signers: &[&dyn Signer],
) -> Result<String, EnvelopeError> {
    let message = signing_input(kind, payload);
    let mut seen: HashSet<String> = wire.signatures.iter().map(|s| s.kid.clone()).collect();
    for signer in signers {
        let key = signer.public_key();
        if key.alg() != signer.alg() {
            return Err(EnvelopeError::SignFailed);
        }
        let kid = key.thumbprint();
        if !seen.insert(kid.clone()) {
            continue;
        }
        let signature = signer
            .sign(&message)
            .map_err(|_| EnvelopeError::SignFailed)?;
        wire.signatures.push(WireSignature {
            kid,
            alg: signer.alg().name().to_owned(),
            sig: B64.encode(signature),
        });
    }
    if wire.signatures.len() > MAX_SIGNATURES {
        return Err(EnvelopeError::TooLarge);
    }
    let text = serde_json::to_string(&wire).map_err(|_| EnvelopeError::Malformed)?;
    // Never write what `open` would refuse.
    if text.len() > MAX_ENVELOPE_BYTES {
        return Err(EnvelopeError::TooLarge);
    }
    Ok(text)
}

/// One root rotation: `next` must be a root document with version
/// `trusted.version() + 1`, signed by a threshold of `trusted`'s root keys
/// and by a threshold of its own. `trusted` may have expired (an app
/// catching up after a long time offline walks the chain one root at a
/// time); the new root may have expired too, which only makes the
/// documents opened under it stale. Signatures are checked before the
/// version, so an unsigned document cannot even claim one.
pub fn update_root(trusted: &Root, next: &str) -> Result<Root, EnvelopeError> {
    let parsed = parse(next)?;
    if parsed.fields.kind != ROOT_KIND {
        return Err(EnvelopeError::WrongKind);
    }
    let message = signing_input(ROOT_KIND, &parsed.payload);
    trusted.root.check(&message, &parsed.signatures)?;
    let Payload {
        version,
        expires,
        body,
        ..
    } = parsed.fields;
    let root = Root::from_body(body, version, expires)?;
    root.root.check(&message, &parsed.signatures)?;
    if version <= trusted.version {
        return Err(EnvelopeError::Rollback {
            last: trusted.version,
            got: version,
        });
    }
    if Some(version) != trusted.version.checked_add(1) {
        return Err(EnvelopeError::RootVersionSkipped {
            trusted: trusted.version,
            got: version,
        });
    }
    Ok(root)
}

/// Opens a document of `kind` under `trusted`: signed by a threshold of
/// the kind's role (or of the root keys when the kind is not delegated),
/// not older than `last` (the version and digest the caller last accepted
/// for this kind, if any; the same version with the same digest opens
/// again). `now` (unix seconds) only decides `stale`. Root documents are
/// not opened here: they go through [`update_root`].
pub fn open(
    trusted: &Root,
    kind: &str,
    envelope: &str,
    last: Option<(u64, [u8; 32])>,
    now: i64,
) -> Result<Opened, EnvelopeError> {
    if !valid_kind(kind) || kind == ROOT_KIND {
        return Err(EnvelopeError::WrongKind);
    }
    let parsed = parse(envelope)?;
    if parsed.fields.kind != kind {
        return Err(EnvelopeError::WrongKind);
    }
    let message = signing_input(kind, &parsed.payload);
    trusted.role_for(kind).check(&message, &parsed.signatures)?;
    let digest = sha256(&parsed.payload);
    let Payload {
        version,
        expires,
        body,
        ..
    } = parsed.fields;
    if let Some((last_version, last_digest)) = last {
        if version < last_version {
            return Err(EnvelopeError::Rollback {
                last: last_version,
                got: version,
            });
        }
        if version == last_version && digest != last_digest {
            return Err(EnvelopeError::SameVersionOtherBytes { version });
        }
    }
    Ok(Opened {
        version,
        expires,
        body,
        stale: now >= expires || now >= trusted.expires,
        digest,
    })
}

/// The SHA-256 of an envelope's payload, as [`Opened::digest`] gives it,
/// without verifying anything: to recognise a document already held.
pub fn payload_digest(envelope: &str) -> Result<[u8; 32], EnvelopeError> {
    Ok(sha256(&parse(envelope)?.payload))
}

/// Opens again a document of `kind` the caller accepted earlier with
/// [`open`] and kept, by the digest it kept with it: the bytes must be the
/// ones that were verified (a SHA-256 over the payload), so the signatures
/// need not be checked again at every start. `now` and `root_expires`
/// decide `stale` as [`open`] does.
pub fn reopen(
    kind: &str,
    envelope: &str,
    digest: [u8; 32],
    root_expires: i64,
    now: i64,
) -> Result<Opened, EnvelopeError> {
    let parsed = parse(envelope)?;
    if parsed.fields.kind != kind {
        return Err(EnvelopeError::WrongKind);
    }
    if sha256(&parsed.payload) != digest {
        return Err(EnvelopeError::SameVersionOtherBytes {
            version: parsed.fields.version,
        });
    }
    let Payload {
        version,
        expires,
        body,
        ..
    } = parsed.fields;
    Ok(Opened {
        version,
        expires,
        body,
        stale: now >= expires || now >= root_expires,
        digest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::Ed25519Signer;

    #[test]
    fn canonical_json_sorts_keys_itself_and_has_no_whitespace() {
        let mut map = serde_json::Map::new();
        map.insert("b".into(), json!([1, {"z": null, "a": "é\n"}]));
        map.insert("a".into(), json!(true));
        map.insert("B".into(), json!(-3));
        let bytes = canonical_json(&Value::Object(map)).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            r#"{"B":-3,"a":true,"b":[1,{"a":"é\n","z":null}]}"#
        );
    }

    #[test]
    fn canonical_json_bounds_depth() {
        let mut deep = json!(0);
        for _ in 0..=MAX_DEPTH {
            deep = json!([deep]);
        }
        assert_eq!(canonical_json(&deep), Err(EnvelopeError::Malformed));
    }

    #[test]
    fn kinds_are_short_dotted_names() {
        for good in ["palmgov.trust-list", "palmgov.region_profile", "a1"] {
            assert!(valid_kind(good), "{good}");
        }
        for bad in ["", "Palmgov", "a\nb", "a b", "类", &"a".repeat(65)] {
            assert!(!valid_kind(bad), "{bad:?}");
        }
    }

    #[test]
    fn roles_refuse_zero_unreachable_thresholds_and_repeated_keys() {
        let key = Ed25519Signer::from_seed(&[1; 32]).unwrap().public_key();
        let other = Ed25519Signer::from_seed(&[2; 32]).unwrap().public_key();
        assert_eq!(Role::new(vec![key.clone()], 0), Err(EnvelopeError::BadRoot));
        assert_eq!(Role::new(vec![key.clone()], 2), Err(EnvelopeError::BadRoot));
        assert_eq!(Role::new(vec![], 1), Err(EnvelopeError::BadRoot));
        assert_eq!(
            Role::new(vec![key.clone(), key.clone()], 1),
            Err(EnvelopeError::BadRoot)
        );
        assert!(Role::new(vec![key, other], 2).is_ok());
    }

    #[test]
    fn root_body_round_trips() {
        let a = Ed25519Signer::from_seed(&[1; 32]).unwrap().public_key();
        let b = Ed25519Signer::from_seed(&[2; 32]).unwrap().public_key();
        let root = Root::pinned(vec![a.clone(), b.clone()], 2, 4)
            .unwrap()
            .with_role("palmgov.trust-list", vec![b], 1)
            .unwrap();
        let again = Root::from_body(root.to_body(), 4, i64::MAX).unwrap();
        assert_eq!(again, root);
        assert_eq!(
            Root::pinned(vec![a], 1, 1)
                .unwrap()
                .with_role(ROOT_KIND, vec![], 1),
            Err(EnvelopeError::BadRoot)
        );
    }
}
