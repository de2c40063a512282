//! Signed region profiles against every kind of bad input: each refusal is
//! typed, and the last good profile stays in force.

use std::sync::Arc;

use palmgov_credentials::envelope;
use palmgov_credentials::keys::{Es256Signer, Signer};
use serde_json::{Value, json};

use super::profile::PROFILE_KIND;
use super::signed;
use crate::config::RegionTrust;
use crate::error::PalmGovError;
use crate::store::Store;

const NOW: i64 = 1_800_000_000;
const YEAR: i64 = 365 * 24 * 3600;

struct Keys(Vec<Es256Signer>);

impl Keys {
    fn new(n: usize) -> Self {
        Self((0..n).map(|_| Es256Signer::generate().unwrap()).collect())
    }
    fn jwks(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|k| k.public_key().to_jwk().to_string())
            .collect()
    }
    fn signers(&self, which: &[usize]) -> Vec<&dyn Signer> {
        which.iter().map(|i| &self.0[*i] as &dyn Signer).collect()
    }
}

fn body(region: &str, base_url: &str) -> Value {
    let licence_key = Es256Signer::generate().unwrap().public_key().to_jwk();
    json!({
        "region": {"code": region, "names": {"zh-Hans": "杭州市西湖区", "en": "Xihu District"}},
        "api": {"base_url": base_url},
        "identity": {"issuer": "https://id.xihu.example.gov.cn", "client_id": "palmgov-app",
                     "redirect_uri": "org.palmgov.test:/oauth2redirect",
                     "scopes": ["openid", "profile", "offline_access"],
                     "acr_levels": ["urn:palmgov:loa:2", "urn:palmgov:loa:3",
                                    "urn:palmgov:loa:4", "urn:palmgov:loa:5"]},
        "services": ["drafts", "wallet"],
        "languages": {"offered": ["zh-Hans"], "default": "zh-Hans", "fallback": ["zh-Hans", "en"]},
        "branding": {"colours": {"primary": "#1B5FAA"}, "hotline": "12345",
                     "names": {"zh-Hans": "西湖掌上办", "en": "Xihu Services"}},
        "catalog": {"url": "v1/catalog", "manifest_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
        "reminders": {},
        "licence_trust": {"roots": [licence_key], "threshold": 1},
        "app": {"ids": ["org.palmgov.test"], "min_version": "1.0.0"}
    })
}

fn signed_profile(keys: &Keys, which: &[usize], version: u64, body: &Value) -> String {
    envelope::sign(
        PROFILE_KIND,
        version,
        NOW + YEAR,
        body,
        &keys.signers(which),
    )
    .unwrap()
}

fn trust(keys: &Keys, bundled: String) -> RegionTrust {
    RegionTrust {
        root_keys: keys.jwks(),
        threshold: 2,
        bundled_profile: bundled,
        region_code: "330106".into(),
        app_id: "org.palmgov.test".into(),
        app_version: "1.2.0".into(),
    }
}

fn store(dir: &std::path::Path) -> Arc<Store> {
    let keystore = crate::software::software_keystore(vec![7; 32]).unwrap();
    Arc::new(Store::open(dir, &keystore).unwrap())
}

fn reason(result: crate::error::Result<signed::Active>) -> String {
    match result.map_err(PalmGovError::from) {
        Err(PalmGovError::RegionProfileRefused { reason }) => reason,
        Err(other) => panic!("not a profile refusal: {other:?}"),
        Ok(_) => panic!("accepted"),
    }
}

#[test]
fn a_newer_profile_is_taken_and_every_bad_one_refused_keeping_the_last_good() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let keys = Keys::new(3);
    let v1 = body("330106", "https://api.xihu.example.gov.cn/");
    let trust = trust(&keys, signed_profile(&keys, &[0, 1], 1, &v1));
    let first = signed::in_force(&store, &trust, NOW).unwrap();
    assert_eq!(first.version, 1);

    let moved = body("330106", "https://api2.xihu.example.gov.cn/");
    let v3 = signed_profile(&keys, &[1, 2], 3, &moved);
    let taken = signed::accept(&store, &trust, &v3, NOW).unwrap();
    assert_eq!(taken.version, 3);

    // One key signing twice is one key.
    let twice = signed_profile(&keys, &[0, 0], 4, &moved);
    assert_eq!(
        reason(signed::accept(&store, &trust, &twice, NOW)),
        "profile.threshold_not_met"
    );
    // A key the build does not pin.
    let stranger = Keys::new(2);
    let wrong = signed_profile(&stranger, &[0, 1], 4, &moved);
    assert_eq!(
        reason(signed::accept(&store, &trust, &wrong, NOW)),
        "profile.threshold_not_met"
    );
    // Tampered: another base URL under the old signatures.
    let mut wire: Value = serde_json::from_str(&v3).unwrap();
    let tampered_body = envelope::canonical_json(&json!({
        "body": body("330106", "https://evil.example.com/"),
        "expires": NOW + YEAR, "kind": PROFILE_KIND, "version": 5
    }))
    .unwrap();
    use base64::Engine;
    wire["signed"] = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(tampered_body)
        .into();
    assert_eq!(
        reason(signed::accept(&store, &trust, &wire.to_string(), NOW)),
        "profile.threshold_not_met"
    );
    // A lower version, and the same version with other bytes.
    let v2 = signed_profile(&keys, &[0, 1], 2, &moved);
    assert_eq!(
        reason(signed::accept(&store, &trust, &v2, NOW)),
        "profile.rollback"
    );
    let other_bytes = signed_profile(&keys, &[0, 1], 3, &v1);
    assert_eq!(
        reason(signed::accept(&store, &trust, &other_bytes, NOW)),
        "profile.same_version_other_bytes"
    );
    // Another region's profile, and one for another app.
    let kashgar = signed_profile(
        &keys,
        &[0, 1],
        6,
        &body("653101", "https://api.ks.example.gov.cn/"),
    );
    assert_eq!(
        reason(signed::accept(&store, &trust, &kashgar, NOW)),
        "profile.other_region"
    );
    let mut other_app = moved.clone();
    other_app["app"]["ids"] = json!(["cn.gov.other.palmgov"]);
    let other_app = signed_profile(&keys, &[0, 1], 6, &other_app);
    assert_eq!(
        reason(signed::accept(&store, &trust, &other_app, NOW)),
        "profile.app_id"
    );
    // A setting out of range refuses the whole profile.
    let mut no_backup = moved.clone();
    no_backup["api"]["pins"] = json!(["47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="]);
    let no_backup = signed_profile(&keys, &[0, 1], 6, &no_backup);
    assert_eq!(
        reason(signed::accept(&store, &trust, &no_backup, NOW)),
        "profile.backup_pins"
    );

    // Backup pins with nothing pinned, and a CA certificate that does not
    // parse: either would leave the next start with no network at all.
    let mut backup_only = moved.clone();
    backup_only["api"]["backup_pins"] = json!(["47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="]);
    let backup_only = signed_profile(&keys, &[0, 1], 6, &backup_only);
    assert_eq!(
        reason(signed::accept(&store, &trust, &backup_only, NOW)),
        "profile.backup_pins"
    );
    let mut bad_ca = moved.clone();
    bad_ca["api"]["extra_roots_pem"] =
        json!(["-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"]);
    let bad_ca = signed_profile(&keys, &[0, 1], 6, &bad_ca);
    assert_eq!(
        reason(signed::accept(&store, &trust, &bad_ca, NOW)),
        "profile.api.tls"
    );

    // Through all of it, and after a restart, version 3 is in force.
    let in_force = signed::in_force(&store, &trust, NOW).unwrap();
    assert_eq!(in_force.version, 3);
    assert_eq!(
        in_force.profile.api.base_url,
        "https://api2.xihu.example.gov.cn/"
    );
}

#[test]
fn the_bundled_profile_is_a_floor_and_a_stored_one_is_checked_by_its_digest() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let keys = Keys::new(3);
    let b = body("330106", "https://api.xihu.example.gov.cn/");
    let v2 = signed_profile(&keys, &[0, 1], 2, &b);
    signed::in_force(
        &store,
        &trust(&keys, signed_profile(&keys, &[0, 1], 1, &b)),
        NOW,
    )
    .unwrap();
    signed::accept(
        &store,
        &trust(&keys, signed_profile(&keys, &[0, 1], 1, &b)),
        &v2,
        NOW,
    )
    .unwrap();
    // An app update bundles version 5: it wins over the stored 2, and a
    // fetched 4 is then a rollback.
    let updated = trust(&keys, signed_profile(&keys, &[1, 2], 5, &b));
    assert_eq!(signed::in_force(&store, &updated, NOW).unwrap().version, 5);
    let v4 = signed_profile(&keys, &[0, 1], 4, &b);
    assert_eq!(
        reason(signed::accept(&store, &updated, &v4, NOW)),
        "profile.rollback"
    );
}

#[test]
fn past_its_expiry_a_profile_stays_in_force_marked_stale() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let keys = Keys::new(3);
    let b = body("330106", "https://api.xihu.example.gov.cn/");
    let trust = trust(&keys, signed_profile(&keys, &[0, 1], 1, &b));
    let later = NOW + 2 * YEAR;
    let active = signed::in_force(&store, &trust, later).unwrap();
    assert!(active.stale);
    assert_eq!(
        active.profile.api.base_url,
        "https://api.xihu.example.gov.cn/"
    );
}

#[test]
fn an_expired_root_signs_nothing_new_until_a_rotation_renews_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let old = Keys::new(3);
    let new = Keys::new(3);
    let b = body("330106", "https://api.xihu.example.gov.cn/");
    let trust = trust(&old, signed_profile(&old, &[0, 1], 1, &b));
    signed::in_force(&store, &trust, NOW).unwrap();
    // Root 2 (the new keys) expires a day after NOW.
    let root_body = json!({"keys": new.0.iter().map(|k| k.public_key().to_jwk()).collect::<Vec<_>>(), "threshold": 2});
    let mut both = old.signers(&[0, 1]);
    both.extend(new.signers(&[0, 1]));
    let root2 = envelope::sign(envelope::ROOT_KIND, 2, NOW + 86_400, &root_body, &both).unwrap();
    signed::accept_roots(&store, &trust, &[root2]).unwrap();
    let v2 = signed_profile(&new, &[0, 1], 2, &b);
    let later = NOW + 10 * 86_400;
    assert_eq!(
        reason(signed::accept(&store, &trust, &v2, later)),
        "root.expired"
    );
    // The old keys no longer count at all.
    let by_old = signed_profile(&old, &[0, 1], 2, &b);
    assert_eq!(
        reason(signed::accept(&store, &trust, &by_old, NOW)),
        "profile.threshold_not_met"
    );
    // A rotation to root 3 (from the expired root 2, as TUF allows) renews it.
    let root_body3 = json!({"keys": new.0.iter().map(|k| k.public_key().to_jwk()).collect::<Vec<_>>(), "threshold": 2});
    let root3 = envelope::sign(
        envelope::ROOT_KIND,
        3,
        later + YEAR,
        &root_body3,
        &new.signers(&[1, 2]),
    )
    .unwrap();
    signed::accept_roots(&store, &trust, &[root3]).unwrap();
    assert_eq!(
        signed::accept(&store, &trust, &v2, later).unwrap().version,
        2
    );
    // The last good profile stayed in force meanwhile, and is v2 now.
    assert_eq!(signed::in_force(&store, &trust, later).unwrap().version, 2);
}
