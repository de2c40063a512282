//! Every CLI failure has a stable code, like the core's: `palmgov: … [code]`.

use std::process::Command;

fn palmgov(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_palmgov"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn failures_of_the_cli_itself_carry_codes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    // `draft fill` without `=`.
    let (code, err) = palmgov(&["draft", "--data-dir", data, "fill", "d1", "head_name"]);
    assert_eq!(code, 1);
    assert!(err.trim_end().ends_with("[cli.usage]"), "{err}");
    // A photo that is missing, and one that is a directory.
    for file in [dir.path().join("missing.jpg"), dir.path().to_path_buf()] {
        let (code, err) = palmgov(&[
            "draft",
            "--data-dir",
            data,
            "photo",
            "d1",
            "door_photo",
            file.to_str().unwrap(),
        ]);
        assert_eq!(code, 1);
        assert!(err.trim_end().ends_with("[cli.file]"), "{err}");
    }
    // A keystore file holding garbage: refused with a code, and kept.
    let keystore = dir.path().join("data").join("software-keystore.json");
    std::fs::write(&keystore, b"{not json").unwrap();
    let (code, err) = palmgov(&["secure", "--data-dir", data, "list", "ns"]);
    assert_eq!(code, 1);
    assert!(err.trim_end().ends_with("[cli.keystore]"), "{err}");
    assert_eq!(std::fs::read(&keystore).unwrap(), b"{not json");
}
