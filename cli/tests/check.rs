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
fn every_real_resident_passes_as_typed() {
    for (kind, typed, stored) in [
        // Full-width, as a Chinese input method types them.
        (
            "id-number",
            "１１０１０５１９４９１２３１００２ｘ",
            "11010519491231002X",
        ),
        ("mobile", "１３９　０５７１　２２３３", "13905712233"),
        (
            "credit-code",
            "９１３５０１００Ｍ０００１００Ｙ４３",
            "91350100M000100Y43",
        ),
        // Residence permits of Hong Kong, Macao and Taiwan residents.
        ("id-number", "830000199201300022", "830000199201300022"),
        ("id-number", "810000199408230021", "810000199408230021"),
        // A foreigner's permanent residence ID card (2023).
        ("id-number", "932682198501010017", "932682198501010017"),
        // A licence number as printed on a property certificate.
        (
            "licence-number",
            "浙(2021)杭州市不动产权第0123456号",
            "浙(2021)杭州市不动产权第0123456号",
        ),
    ] {
        let (code, out, err) = check(kind, typed);
        assert_eq!(
            (code, out.trim()),
            (0, format!("valid: {stored}").as_str()),
            "{err}"
        );
    }
}

#[test]
fn invalid_values_exit_1_with_a_reason_and_without_the_value() {
    for (kind, value, reason) in [
        ("id-number", "110105194912310021", "checksum"),
        ("credit-code", "91350100M000100Y44", "checksum"),
        ("mobile", "12012345678", "not_mobile"),
        ("division", "990000", "unknown_region"),
        ("credit-code", "B1350100M000100Y41", "unknown_authority"),
        (
            "licence-number",
            "1.2.156.3005.2.11100000MB03271699022.340100.000000016.001.8",
            "checksum",
        ),
    ] {
        let (code, out, err) = check(kind, value);
        assert_eq!(code, 1, "{kind}");
        assert!(out.is_empty());
        assert_eq!(
            err.trim(),
            format!("palmgov: invalid: {reason} [cli.invalid_value]")
        );
        assert!(!err.contains(value), "the value is personal data");
    }
}
