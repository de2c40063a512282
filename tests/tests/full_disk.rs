//! (c) Full disk: a clear error, and the previous state intact. The child
//! (`src/bin/full_disk_child.rs`) runs on a 4 MB tmpfs in a mount namespace
//! of its own (`unshare`, which needs no root where user namespaces are
//! allowed), so the kernel's own ENOSPC is what the core meets.

use std::process::Command;

#[test]
fn a_full_disk_is_a_clear_error_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new("unshare")
        .args([
            "--user",
            "--map-root-user",
            "--mount",
            "sh",
            "-c",
            r#"mount -t tmpfs -o size=4m palmgov-full "$1" && exec "$2" "$1""#,
            "sh",
            dir.path().to_str().unwrap(),
            env!("CARGO_BIN_EXE_full_disk_child"),
        ])
        .output()
        .expect("unshare (util-linux) runs");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stdout}\n{stderr}");
    eprint!("{stdout}");
}
