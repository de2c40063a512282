//! The `palmgov` binary as a user runs it.

use std::process::Command;

fn palmgov() -> Command {
    Command::new(env!("CARGO_BIN_EXE_palmgov"))
}

#[test]
fn demo_walks_the_scenario_and_exits_zero() {
    let out = palmgov().arg("demo").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "stdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for expected in [
        "reference backend",
        "no plaintext and no JPEG on disk",
        "the backend grants L4",
        "net.offline",
        "3 households: HH-001 王秀英",
        "1 household and 3 forms delivered; a second sync sent 0",
        "no name, photo or EXIF in clear",
        "storage.wrong_key",
        "the driving licence checks as suspended",
        "the driving licence is suspended (checked offline)",
        "showing only name and age_over_18",
        "valid: 居民身份证 from 浙江省公安厅 (test); name = ",
        ", age_over_18 = true",
        "invalid (presentation.replayed); nothing disclosed",
        "shared name, id_number, address of her 居民户口簿 with 户籍证明申请, for \"核验户籍，开具户籍证明\"",
        "the backend verified the presentation bound to the application (no photo sent)",
        "西湖掌上办 for 杭州市西湖区 (330106): profile v2 verified offline (threshold 2 of 3 pinned root keys)",
        "profile v1 in force (http://127.0.0.1:",
        "v2 applied without reopening: backend http://127.0.0.1:",
        "sign in again (a sync now waits: identity.sign_in_required)",
        "1 visit delivered to the new backend, 0 to the old; a second sync sent 0",
        "v1: region.profile_refused (profile.rollback); v3: region.profile_refused (profile.threshold_not_met); v2 stays in force",
        "demo finished",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
}

#[test]
fn help_documents_every_command() {
    let out = palmgov().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    for command in [
        "demo", "serve", "health", "region", "secure", "provider", "login", "whoami", "logout",
        "step-up", "check", "forms", "draft", "roster", "sync", "bench",
    ] {
        assert!(
            help.contains(command),
            "--help does not mention {command}:\n{help}"
        );
    }
}

#[test]
fn secure_store_round_trip_and_typed_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let put = palmgov()
        .args(["secure", "--data-dir", data, "put", "ns", "k", "值"])
        .output()
        .unwrap();
    assert!(
        put.status.success(),
        "{}",
        String::from_utf8_lossy(&put.stderr)
    );
    let get = palmgov()
        .args(["secure", "--data-dir", data, "get", "ns", "k"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&get.stdout).trim(), "值");
    let missing = palmgov()
        .args(["secure", "--data-dir", data, "get", "ns", "nope"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));

    // A file where the data directory should be: a typed error with its code.
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, b"x").unwrap();
    let out = palmgov()
        .args([
            "secure",
            "--data-dir",
            blocker.to_str().unwrap(),
            "list",
            "ns",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("storage.dir_unwritable"));
}
