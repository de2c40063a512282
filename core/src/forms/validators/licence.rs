//! Licence numbers as forms and the e-licence wallet see them.
//!
//! A licence number is whatever the issuer printed: `浙(2021)杭州市不动产权
//! 第0123456号`, `JY13301060012345`, `粤交运管许可穗字440100123456号`. So
//! any printable text of up to 64 characters is accepted.
//!
//! One shape is checked further: the national e-licence identifier (证照
//! 标识, GB/T 36904), `1.2.156.3005.2.<type>.<issuer>.<serial>.<version>.
//! <check>`, whose last character is an ISO/IEC 7064 MOD 37,36 check over
//! the four middle parts joined without dots. A mistyped identifier would
//! otherwise send a form's material to the wrong licence.

use super::super::text;
use super::InvalidReason;

/// The root every national e-licence identifier starts with.
const ROOT: &str = "1.2.156.3005.2.";

/// Longest licence number, in characters.
const MAX_CHARS: usize = 64;

/// A checked licence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LicenceNumber {
    /// A national e-licence identifier, folded to ASCII and upper case.
    Identifier(LicenceIdentifier),
    /// Any other printed number, trimmed, inner runs of space made one.
    Printed(String),
}

impl LicenceNumber {
    /// The form in which the number is stored and compared.
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Self::Identifier(id) => &id.text,
            Self::Printed(text) => text,
        }
    }
}

/// The parts of a national e-licence identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LicenceIdentifier {
    /// The whole identifier.
    pub text: String,
    /// The defining authority's credit code and a 3-digit type number.
    pub type_code: String,
    /// The issuing authority's credit code, or a 6-digit division code.
    pub issuer: String,
    pub serial: String,
    pub version: String,
}

/// Checks a licence number: printable text of 1–64 characters, and an
/// intact identifier when it starts with the national root.
pub(crate) fn licence_number(value: &str) -> Result<LicenceNumber, InvalidReason> {
    let trimmed = value.trim();
    let folded = text::fold_width(trimmed);
    if folded.starts_with(ROOT) || folded.to_ascii_uppercase().starts_with(ROOT) {
        return identifier(&text::compact(&folded)).map(LicenceNumber::Identifier);
    }
    let count = trimmed.chars().count();
    if count == 0 || count > MAX_CHARS || trimmed.chars().any(text::is_unsafe) {
        return Err(InvalidReason::Format);
    }
    // One space between words, whatever was typed or pasted.
    let printed = trimmed.split_whitespace().collect::<Vec<_>>().join(" ");
    Ok(LicenceNumber::Printed(printed))
}

/// A national e-licence identifier (already folded, upper case, no spaces).
fn identifier(id: &str) -> Result<LicenceIdentifier, InvalidReason> {
    let rest = id.strip_prefix(ROOT).ok_or(InvalidReason::Format)?;
    let parts: Vec<&str> = rest.split('.').collect();
    let [type_code, issuer, serial, version, check] = parts[..] else {
        return Err(InvalidReason::Format);
    };
    let alphanumeric = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let well_formed = type_code.len() == 21
        && alphanumeric(type_code)
        && digits(&type_code[18..])
        && ((issuer.len() == 18 && alphanumeric(issuer)) || (issuer.len() == 6 && digits(issuer)))
        && (1..=32).contains(&serial.len())
        && alphanumeric(serial)
        && !version.is_empty()
        && version.len() <= 3
        && digits(version)
        && check.len() == 1
        && alphanumeric(check)
        && id.len() <= MAX_CHARS * 2;
    if !well_formed {
        return Err(InvalidReason::Format);
    }
    let body = [type_code, issuer, serial, version].concat();
    if mod_37_36(&body) != Some(check.as_bytes()[0]) {
        return Err(InvalidReason::Checksum);
    }
    Ok(LicenceIdentifier {
        text: id.to_string(),
        type_code: type_code.to_string(),
        issuer: issuer.to_string(),
        serial: serial.to_string(),
        version: version.to_string(),
    })
}

/// The identifier of the given parts (upper case ASCII), with its check
/// character: what an issuer prints. Parts this parser would refuse give an
/// identifier it refuses.
pub(crate) fn make_identifier(
    type_code: &str,
    issuer: &str,
    serial: &str,
    version: &str,
) -> String {
    let body = [type_code, issuer, serial, version].concat();
    let check = mod_37_36(&body).map_or('?', char::from);
    format!("{ROOT}{type_code}.{issuer}.{serial}.{version}.{check}")
}

/// The ISO/IEC 7064 MOD 37,36 check character (the hybrid system over
/// `0-9A-Z`) for `body`, or `None` if it holds another character.
///
/// Hand-written: no maintained crate covers this hybrid system (the
/// `iso7064` crates on crates.io implement MOD 11,2 and MOD 97,10 only),
/// and it is six lines.
fn mod_37_36(body: &str) -> Option<u8> {
    const ALPHABET: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const M: usize = 36;
    let mut p = M;
    for b in body.bytes() {
        let value = ALPHABET.iter().position(|a| *a == b)?;
        let s = match (p + value) % M {
            0 => M,
            s => s,
        };
        p = (s * 2) % (M + 1);
    }
    Some(ALPHABET[(M + 1 - p) % M])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vectors of `shared/design/licences.md`, recomputed there.
    const GOOD: [&str; 4] = [
        "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U",
        "1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F",
        "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0",
        "1.2.156.3005.2.11100000MB03271699022.340100.000000016.001.9",
    ];

    #[test]
    fn national_identifiers_are_checked() {
        for id in GOOD {
            let LicenceNumber::Identifier(parsed) = licence_number(id).unwrap() else {
                panic!("{id} not read as an identifier");
            };
            assert_eq!(parsed.text, id);
        }
        let parsed = identifier(GOOD[3]).unwrap();
        assert_eq!(parsed.type_code, "11100000MB03271699022");
        assert_eq!(parsed.issuer, "340100");
        assert_eq!(parsed.serial, "000000016");
        assert_eq!(parsed.version, "001");
        // Typed on a phone: full-width, lower case, a stray space.
        let typed = "１.2.156.3005.2.11100000mb03271699022.340100. 000000016.001.9";
        assert_eq!(licence_number(typed).unwrap().as_str(), GOOD[3]);
    }

    #[test]
    fn wrong_identifiers_are_refused() {
        // One character changed anywhere, or the check itself changed.
        for id in GOOD {
            let wrong_check = format!(
                "{}{}",
                &id[..id.len() - 1],
                if id.ends_with('0') { '1' } else { '0' }
            );
            assert_eq!(
                licence_number(&wrong_check),
                Err(InvalidReason::Checksum),
                "{wrong_check}"
            );
        }
        let swapped = GOOD[1].replace("2430599", "2430959");
        assert_eq!(licence_number(&swapped), Err(InvalidReason::Checksum));
        // The two wrong identifiers printed in public example code.
        let printed = "1.2.156.3005.2.11100000000013338W011.11430000006122244L.2023000001.001.X";
        assert_eq!(licence_number(printed), Err(InvalidReason::Checksum));
        let right = "1.2.156.3005.2.11100000000013338W011.11430000006122244L.2023000001.001.2";
        assert!(licence_number(right).is_ok());
        // Shapes that are not an identifier at all.
        for bad in [
            "1.2.156.3005.2.",
            "1.2.156.3005.2.111.340100.1.001.9",
            "1.2.156.3005.2.11100000MB03271699022.340100.000000016.001",
            "1.2.156.3005.2.11100000MB03271699022.34010.000000016.001.9",
            "1.2.156.3005.2.11100000MB03271699022.340100.0000-0016.001.9",
            "1.2.156.3005.2.11100000MB03271699022.340100.000000016.0001.9",
        ] {
            assert_eq!(licence_number(bad), Err(InvalidReason::Format), "{bad}");
        }
    }

    #[test]
    fn printed_numbers_are_accepted_as_printed() {
        for number in [
            "浙(2021)杭州市不动产权第0123456号",
            "浙（2021）杭州市不动产权第0123456号",
            "JY13301060012345",
            "粤交运管许可穗字440100123456号",
            "91350100M000100Y43",
        ] {
            assert_eq!(licence_number(number).unwrap().as_str(), number);
        }
        assert_eq!(
            licence_number("  沪房地  浦字(2019)第 012345 号 ")
                .unwrap()
                .as_str(),
            "沪房地 浦字(2019)第 012345 号"
        );
        assert!(licence_number(&"号".repeat(64)).is_ok());
        assert_eq!(licence_number(&"号".repeat(65)), Err(InvalidReason::Format));
        assert_eq!(licence_number("   "), Err(InvalidReason::Format));
        assert_eq!(licence_number("第\u{1b}[2J号"), Err(InvalidReason::Format));
        assert_eq!(
            licence_number("第\u{202e}321号"),
            Err(InvalidReason::Format)
        );
    }
}
