//! `palmgov check`: exit 0 with the normalized value, exit 1 with the reason.

use std::process::Command;

fn check(kind: &str, value: &str) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_palmgov"))
        .args(["check", kind, value])
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn valid_values_exit_0_with_the_normalized_value() {
    let (code, out, _) = check("id-number", "11010519491231002x");
    assert_eq!((code, out.trim()), (0, "valid: 11010519491231002X"));
    let (code, out, _) = check("mobile", "+86 138-0013-8000");
    assert_eq!((code, out.trim()), (0, "valid: 13800138000"));
    let (code, out, _) = check("credit-code", "91350100M000100Y43");
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = check("division", "330106001001");
    assert_eq!((code, out.trim()), (0, "valid: 330106001001 (西湖区)"));
}

#[test]
fn invalid_values_exit_1_with_a_reason_and_without_the_value() {
    for (kind, value, reason) in [
        ("id-number", "110105194912310021", "checksum"),
        ("credit-code", "91350100M000100Y44", "checksum"),
        ("mobile", "12012345678", "not_mobile"),
        ("division", "990000", "unknown_region"),
    ] {
        let (code, out, err) = check(kind, value);
        assert_eq!(code, 1, "{kind}");
        assert!(out.is_empty());
        assert_eq!(err.trim(), format!("palmgov: invalid: {reason}"));
        assert!(!err.contains(value), "the value is personal data");
    }
}
