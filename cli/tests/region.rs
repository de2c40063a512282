//! `palmgov region`: a region team's keys, roots and signed profiles, and
//! the check of a region folder before a build.

use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde_json::Value;

/// Runs `palmgov` with `args`: whether it succeeded, its standard output
/// and its standard error.
fn run(args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_palmgov"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn regions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../regions")
}

/// Runs `palmgov region ARGS`, expecting success; its standard output.
fn ok(args: &[&str]) -> String {
    let mut all = vec!["region"];
    all.extend_from_slice(args);
    let (success, out, err) = run(&all);
    assert!(success, "palmgov {all:?} failed:\n{out}\n{err}");
    out
}

/// Runs `palmgov region ARGS`, expecting failure; stdout and stderr.
fn fails(args: &[&str]) -> (String, String) {
    let mut all = vec!["region"];
    all.extend_from_slice(args);
    let (success, out, err) = run(&all);
    assert!(!success, "palmgov {all:?} succeeded:\n{out}\n{err}");
    (out, err)
}

struct Keys {
    dir: tempfile::TempDir,
}

impl Keys {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn at(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn s(&self, name: &str) -> String {
        path(&self.at(name)).to_string()
    }

    fn keygen(&self, name: &str, alg: &str) -> Value {
        let out = ok(&["keygen", "--alg", alg, "--out", &self.s(name)]);
        serde_json::from_str(out.trim()).unwrap()
    }
}

/// The bundled Xihu profile body, in a region of the test's own.
fn body(keys: &Keys) -> String {
    let body = keys.s("profile.body.json");
    std::fs::copy(regions().join("330106/profile.body.json"), &body).unwrap();
    body
}

#[test]
fn keygen_root_sign_verify_round_trip_and_refusals() {
    let k = Keys::new();
    let public = k.keygen("k1.json", "es256");
    k.keygen("k2.json", "sm2");
    k.keygen("k3.json", "ed25519");
    // The public JWK is printed, the private one written 0600 and never
    // overwritten.
    assert!(
        public.get("d").is_none() && public["kty"] == "EC",
        "{public}"
    );
    let private: Value =
        serde_json::from_str(&std::fs::read_to_string(k.at("k1.json")).unwrap()).unwrap();
    assert_eq!(private["x"], public["x"]);
    assert!(private["d"].is_string());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(k.at("k1.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let before = std::fs::read(k.at("k1.json")).unwrap();
    let (_, err) = fails(&["keygen", "--alg", "es256", "--out", &k.s("k1.json")]);
    assert!(err.trim_end().ends_with("[cli.file]"), "{err}");
    assert_eq!(std::fs::read(k.at("k1.json")).unwrap(), before);

    // The pinned root: the three keys, two to sign.
    let (k1, k2, k3) = (k.s("k1.json"), k.s("k2.json"), k.s("k3.json"));
    let root = k.s("profile-root.json");
    ok(&[
        "root",
        "--key",
        &k1,
        "--key",
        &k2,
        "--key",
        &k3,
        "--threshold",
        "2",
        "--out",
        &root,
    ]);
    let root_file: Value = serde_json::from_str(&std::fs::read_to_string(&root).unwrap()).unwrap();
    assert_eq!(root_file["threshold"], 2);
    assert_eq!(root_file["keys"].as_array().unwrap().len(), 3);
    assert!(!root_file.to_string().contains("\"d\""));
    let (_, err) = fails(&[
        "root",
        "--key",
        &k1,
        "--key",
        &k1,
        "--threshold",
        "1",
        "--out",
        &root,
    ]);
    assert!(err.contains("[cli.usage]"), "{err}");

    // Signed by two of three, verified.
    let body = body(&k);
    let profile = k.s("profile.json");
    ok(&[
        "sign",
        "--body",
        &body,
        "--version",
        "3",
        "--expires",
        "2030-06-30",
        "--key",
        &k1,
        "--key",
        &k2,
        "--root",
        &root,
        "--out",
        &profile,
    ]);
    let shown = ok(&["verify", "--root", &root, &profile]);
    for line in [
        "version: 3",
        "expires: 2030-06-30T23:59:59Z",
        "stale: no",
        "region: 330106 (",
        "base_url: https://api.xihu.example.gov.cn/",
        "issuer: https://id.zj.example.gov.cn",
        "languages: zh-Hans (default zh-Hans",
    ] {
        assert!(shown.contains(line), "no {line:?} in:\n{shown}");
    }

    // One key of a threshold of two: refused by `verify`, and by `sign`
    // under the root (nothing written) unless --partial, for a cosigner.
    let one = k.s("one.json");
    ok(&[
        "sign",
        "--body",
        &body,
        "--version",
        "3",
        "--expires",
        "2030-06-30",
        "--key",
        &k1,
        "--out",
        &one,
    ]);
    let (_, err) = fails(&["verify", "--root", &root, &one]);
    assert!(err.contains("profile.threshold_not_met"), "{err}");
    assert!(err.trim_end().ends_with("[cli.region_refused]"), "{err}");
    let unwritten = k.s("unwritten.json");
    let (_, err) = fails(&[
        "sign",
        "--body",
        &body,
        "--version",
        "3",
        "--expires",
        "2030-06-30",
        "--key",
        &k1,
        "--root",
        &root,
        "--out",
        &unwritten,
    ]);
    assert!(err.contains("profile.threshold_not_met"), "{err}");
    assert!(!k.at("unwritten.json").exists());
    ok(&[
        "sign",
        "--body",
        &body,
        "--version",
        "3",
        "--expires",
        "2030-06-30",
        "--key",
        &k1,
        "--root",
        &root,
        "--partial",
        "--out",
        &unwritten,
    ]);
    fails(&["verify", "--root", &root, &unwritten]);
    ok(&["cosign", "--key", &k3, &unwritten]);
    ok(&["verify", "--root", &root, &unwritten]);

    // Tampered: the payload changed after signing.
    let mut envelope: Value =
        serde_json::from_str(&std::fs::read_to_string(&profile).unwrap()).unwrap();
    let mut payload: Value =
        serde_json::from_slice(&B64.decode(envelope["signed"].as_str().unwrap()).unwrap()).unwrap();
    payload["body"]["api"]["base_url"] = "https://api.evil.example.cn/".into();
    let canonical = palmgov_credentials::envelope::canonical_json(&payload).unwrap();
    envelope["signed"] = B64.encode(canonical).into();
    let tampered = k.s("tampered.json");
    std::fs::write(&tampered, envelope.to_string()).unwrap();
    let (_, err) = fails(&["verify", "--root", &root, &tampered]);
    assert!(err.contains("profile.threshold_not_met"), "{err}");

    // Under keys that did not sign it.
    k.keygen("w1.json", "es256");
    k.keygen("w2.json", "es256");
    let wrong = k.s("wrong-root.json");
    ok(&[
        "root",
        "--key",
        &k.s("w1.json"),
        "--key",
        &k.s("w2.json"),
        "--threshold",
        "1",
        "--out",
        &wrong,
    ]);
    let (_, err) = fails(&["verify", "--root", &wrong, &profile]);
    assert!(err.contains("profile.threshold_not_met"), "{err}");

    // A body the core refuses is never signed.
    let bad_body = k.s("bad.body.json");
    let mut b: Value = serde_json::from_str(&std::fs::read_to_string(&body).unwrap()).unwrap();
    b["region"]["code"] = "33010".into();
    std::fs::write(&bad_body, b.to_string()).unwrap();
    let bad = k.s("bad.json");
    let (_, err) = fails(&[
        "sign",
        "--body",
        &bad_body,
        "--version",
        "3",
        "--expires",
        "2030-06-30",
        "--key",
        &k1,
        "--key",
        &k2,
        "--out",
        &bad,
    ]);
    assert!(err.contains("profile.region_code"), "{err}");
    assert!(!k.at("bad.json").exists());
    let (_, err) = fails(&[
        "sign",
        "--body",
        &body,
        "--version",
        "3",
        "--expires",
        "2030-02-30",
        "--key",
        &k1,
    ]);
    assert!(err.contains("[cli.usage]"), "{err}");
}

#[test]
fn root_rotation_is_followed_from_the_pinned_root() {
    let k = Keys::new();
    for name in ["k1", "k2", "k3", "n1", "n2", "n3"] {
        k.keygen(&format!("{name}.json"), "es256");
    }
    let key = |name: &str| k.s(&format!("{name}.json"));
    let root = k.s("profile-root.json");
    ok(&[
        "root",
        "--key",
        &key("k1"),
        "--key",
        &key("k2"),
        "--key",
        &key("k3"),
        "--threshold",
        "2",
        "--out",
        &root,
    ]);
    // Version 2: two old keys and two of the new (the third new key is
    // named by its public part only).
    let public_n3 = k.s("n3.pub.json");
    let mut n3: Value = serde_json::from_str(&std::fs::read_to_string(key("n3")).unwrap()).unwrap();
    n3.as_object_mut().unwrap().remove("d");
    std::fs::write(&public_n3, n3.to_string()).unwrap();
    let root2 = k.s("root-2.json");
    let rotate = |old: &[&str], new: &[&str], out: &str, partial: bool| {
        let mut args = vec!["root-rotate".to_string()];
        for o in old {
            args.extend(["--old-key".into(), key(o)]);
        }
        for n in new {
            args.extend(["--new-key".into(), n.to_string()]);
        }
        args.extend(
            [
                "--threshold",
                "2",
                "--version",
                "2",
                "--expires",
                "2031-01-01",
                "--root",
                &root,
                "--out",
                out,
            ]
            .map(String::from),
        );
        if partial {
            args.push("--partial".into());
        }
        args
    };
    let args = rotate(
        &["k1", "k2"],
        &[&key("n1"), &key("n2"), &public_n3],
        &root2,
        false,
    );
    ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    // One old key of two is refused, unless --partial writes it for the
    // other holder to cosign.
    let lone = k.s("lone.json");
    let args = rotate(&["k1"], &[&key("n1"), &key("n2"), &public_n3], &lone, false);
    let (_, err) = fails(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(err.contains("root.threshold_not_met"), "{err}");
    assert!(!k.at("lone.json").exists());
    let args = rotate(&["k1"], &[&key("n1"), &key("n2"), &public_n3], &lone, true);
    ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    ok(&["cosign", "--key", &key("k3"), &lone]);

    // A profile signed by the new keys verifies through root 2 only.
    let body = body(&k);
    let profile = k.s("profile.json");
    ok(&[
        "sign",
        "--body",
        &body,
        "--version",
        "5",
        "--expires",
        "2030-06-30",
        "--key",
        &key("n1"),
        "--key",
        &key("n3"),
        "--root",
        &root,
        "--roots",
        &root2,
        "--out",
        &profile,
    ]);
    let shown = ok(&["verify", "--root", &root, "--roots", &root2, &profile]);
    assert!(shown.contains("version: 5"), "{shown}");
    ok(&["verify", "--root", &root, "--roots", &lone, &profile]);
    let (_, err) = fails(&["verify", "--root", &root, &profile]);
    assert!(err.contains("profile.threshold_not_met"), "{err}");
}

#[test]
fn check_passes_for_each_bundled_region() {
    for code in ["330106", "653101", "440106"] {
        let dir = regions().join(code);
        let out = ok(&["check", path(&dir)]);
        assert!(!out.contains("FAIL"), "{out}");
        for check in [
            "ok    profile.json: version ",
            "ok    trust-list.json: ",
            "ok    catalog/manifest.json: region ",
            "ok    catalog/chunks: ",
            "ok    catalog: pinned by the profile",
            "ok    region_code",
            "ok    app_id",
            "ok    redirect",
            "ok    languages",
            "ok    default_language",
            "ok    names",
        ] {
            assert!(out.contains(check), "{code}: no {check:?} in:\n{out}");
        }
        // The bundled profile verifies under the build's root.
        ok(&[
            "verify",
            "--root",
            path(&dir.join("profile-root.json")),
            path(&dir.join("profile.json")),
        ]);
    }
}

/// Region 653101 copied to a temporary folder (its service catalog
/// too), with `edit` applied to its build.json.
fn region_with(edit: impl FnOnce(&mut Value)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let region = regions().join("653101");
    for file in [
        "build.json",
        "profile-root.json",
        "profile.json",
        "trust-list.json",
        "catalog/manifest.json",
    ] {
        std::fs::create_dir_all(dir.path().join(file).parent().unwrap()).unwrap();
        std::fs::copy(region.join(file), dir.path().join(file)).unwrap();
    }
    std::fs::create_dir(dir.path().join("catalog/chunks")).unwrap();
    for chunk in std::fs::read_dir(region.join("catalog/chunks")).unwrap() {
        let chunk = chunk.unwrap();
        std::fs::copy(
            chunk.path(),
            dir.path().join("catalog/chunks").join(chunk.file_name()),
        )
        .unwrap();
    }
    let build = dir.path().join("build.json");
    let mut b: Value = serde_json::from_str(&std::fs::read_to_string(&build).unwrap()).unwrap();
    edit(&mut b);
    std::fs::write(&build, b.to_string()).unwrap();
    dir
}

#[test]
fn check_fails_naming_the_first_mismatch() {
    type Edit = fn(&mut Value);
    let cases: [(&str, Edit); 5] = [
        ("app_id", |b| b["app_id"] = "cn.gov.xj.other.palmgov".into()),
        ("region_code", |b| b["region_code"] = "653121".into()),
        ("redirect", |b| {
            b["redirect"] = serde_json::json!({"scheme": "cn.gov.xj.other.palmgov"})
        }),
        ("languages", |b| {
            b["languages"] = serde_json::json!(["ug", "zh-Hans", "en"])
        }),
        ("default_language", |b| {
            b["default_language"] = "zh-Hans".into()
        }),
    ];
    for (what, edit) in cases {
        let dir = region_with(edit);
        let (out, err) = fails(&["check", path(dir.path())]);
        assert!(out.contains(&format!("FAIL  {what}: ")), "{what}:\n{out}");
        assert!(
            err.contains(&format!(": {what}: "))
                && err.trim_end().ends_with("[cli.region_mismatch]"),
            "{what}: {err}"
        );
    }
    // A profile root the profile was not signed under.
    let dir = region_with(|_| {});
    let k = Keys::new();
    k.keygen("k.json", "es256");
    let root = path(&dir.path().join("profile-root.json")).to_string();
    ok(&[
        "root",
        "--key",
        &k.s("k.json"),
        "--threshold",
        "1",
        "--out",
        &root,
    ]);
    let (out, err) = fails(&["check", path(dir.path())]);
    assert!(
        out.contains("FAIL  profile.json: refused: profile.threshold_not_met"),
        "{out}"
    );
    assert!(err.trim_end().ends_with("[cli.region_refused]"), "{err}");
    // A trust list that does not open under the profile's licence roots.
    let dir = region_with(|_| {});
    std::fs::copy(
        regions().join("653101/profile.json"),
        dir.path().join("trust-list.json"),
    )
    .unwrap();
    let (out, _) = fails(&["check", path(dir.path())]);
    assert!(
        out.contains("FAIL  trust-list.json: refused: trust_list.wrong_kind"),
        "{out}"
    );
}

/// The first chunk of the copied catalog's manifest (the index): its path.
fn first_chunk(dir: &Path) -> (String, PathBuf) {
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dir.join("catalog/manifest.json")).unwrap()).unwrap();
    let name = format!("{}.zlib", manifest["chunks"][0]["sha256"].as_str().unwrap());
    let path = dir.join("catalog/chunks").join(&name);
    (format!("catalog/chunks/{name}"), path)
}

#[test]
fn check_fails_on_a_catalog_the_app_would_refuse() {
    // The copy passes as the original does.
    let dir = region_with(|_| {});
    let out = ok(&["check", path(dir.path())]);
    assert!(
        out.contains("ok    catalog: pinned by the profile"),
        "{out}"
    );

    // One byte of a chunk changed: its hash no longer is its name.
    let (chunk, file) = first_chunk(dir.path());
    let mut bytes = std::fs::read(&file).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    std::fs::write(&file, &bytes).unwrap();
    let (out, err) = fails(&["check", path(dir.path())]);
    assert!(
        out.contains(&format!("FAIL  {chunk}: refused: catalog.chunk_hash")),
        "{out}"
    );
    assert!(!out.contains("ok    catalog/chunks"), "{out}");
    assert!(
        err.contains(&chunk) && err.trim_end().ends_with("[cli.region_refused]"),
        "{err}"
    );

    // A chunk missing, and a file the manifest does not list.
    let dir = region_with(|_| {});
    let (chunk, file) = first_chunk(dir.path());
    std::fs::remove_file(&file).unwrap();
    std::fs::write(dir.path().join("catalog/chunks/extra.zlib"), b"x").unwrap();
    let (out, err) = fails(&["check", path(dir.path())]);
    assert!(
        out.contains(&format!("FAIL  {chunk}: listed by the manifest")),
        "{out}"
    );
    assert!(
        out.contains("FAIL  catalog/chunks/extra.zlib: not listed by the manifest"),
        "{out}"
    );
    assert!(err.trim_end().ends_with("[cli.file]"), "{err}");

    // A manifest the profile does not pin (the chunks all still sound).
    let dir = region_with(|_| {});
    let manifest = dir.path().join("catalog/manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    assert!(text.contains("\"version\": 1,"), "{text}");
    std::fs::write(
        &manifest,
        text.replacen("\"version\": 1,", "\"version\": 2,", 1),
    )
    .unwrap();
    let (out, err) = fails(&["check", path(dir.path())]);
    assert!(out.contains("ok    catalog/chunks: "), "{out}");
    assert!(
        out.contains("FAIL  catalog: the profile pins manifest SHA-256 "),
        "{out}"
    );
    assert!(err.trim_end().ends_with("[cli.region_mismatch]"), "{err}");
}
