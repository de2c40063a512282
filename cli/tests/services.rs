//! `palmgov services` and `palmgov reminders` as a resident runs them,
//! against the reference backend and the local provider.

use palmgov_server::dev_provider::DevProvider;

mod common;
use common::{against, backend};

#[test]
fn a_resident_finds_a_service_offline_and_sees_what_her_wallet_covers() {
    let provider = DevProvider::start(600);
    let (_rt, server) = backend(&provider);
    let dir = tempfile::tempdir().unwrap();
    let url = server.base_url();
    let data = dir.path().join("resident");
    let on = against(&url, &provider.issuer);

    // Before any catalog: a typed error, not an empty list.
    let (ok, _, err) = on(&data, &["services"], &["search", "sfz"]);
    assert!(!ok);
    assert!(err.contains("[services.catalog_missing]"), "{err}");

    let (ok, out, err) = on(&data, &["services"], &["update"]);
    assert!(ok, "{err}");
    assert!(out.contains("took catalog 330106"), "{out}");
    let (ok, out, _) = on(&data, &["services"], &["update"]);
    assert!(ok && out.contains("kept catalog 330106"), "{out}");

    // Initials, an everyday word, Traditional characters, another language.
    let (ok, out, err) = on(&data, &["services"], &["search", "sfz"]);
    assert!(ok, "{err}");
    assert!(
        out.lines().next().unwrap().contains("[居民身份证]"),
        "{out}"
    );
    let (_, out, _) = on(&data, &["services"], &["search", "低保", "--limit", "1"]);
    assert!(
        out.contains("最低生活保障") && out.contains("Synonym"),
        "{out}"
    );
    let (_, out, _) = on(&data, &["services"], &["search", "身份證", "--limit", "1"]);
    assert!(out.contains("身份证"), "{out}");
    let (_, out, _) = on(
        &data,
        &["services"],
        &["search", "identity card", "--lang", "en", "--limit", "1"],
    );
    assert!(out.contains("[identity card]"), "{out}");

    // A guide, offline.
    let code = out.split_whitespace().next().unwrap().to_string();
    let (ok, out, err) = on(&data, &["services"], &["show", &code]);
    assert!(ok, "{err}");
    assert!(
        out.contains("materials:") && out.contains("time limit"),
        "{out}"
    );
    let (ok, _, err) = on(&data, &["services"], &["show", "NO-SUCH-CODE"]);
    assert!(!ok && err.contains("[not_found]"), "{err}");

    // Signed in with her licences: what the wallet covers.
    let (ok, _, err) = on(&data, &["login"], &["--dev", "--user", "resident-demo"]);
    assert!(ok, "{err}");
    let (ok, _, err) = on(&data, &["wallet"], &["refresh"]);
    assert!(ok, "{err}");
    let (_, out, _) = on(&data, &["services"], &["search", "社保卡", "--limit", "1"]);
    let code = out.split_whitespace().next().unwrap().to_string();
    let (ok, out, err) = on(&data, &["services"], &["show", &code, "--needs"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("[in wallet]") && out.contains("[photograph]"),
        "{out}"
    );

    // Nothing has happened to her applications: no reminder.
    let (ok, out, err) = on(&data, &["reminders"], &[]);
    assert!(ok, "{err}");
    assert!(
        out.contains("no reminders due") || out.contains("LicenceExpiring"),
        "{out}"
    );
    // Her licences may near expiry; none of her applications changed.
    assert!(
        !out.contains("StatusChanged") && !out.contains("MaterialsDue"),
        "{out}"
    );
}
