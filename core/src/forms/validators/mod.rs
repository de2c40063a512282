//! Validators for the identifiers Chinese government forms ask for. The
//! forms engine, `palmgov check` and the shells (through
//! [`check_value`]) all use these, so a value is judged the same everywhere.
//!
//! - Resident ID number, GB 11643-1999: 18 characters (address code, birth
//!   date, sequence, check character) or the legacy 15-digit form, which has
//!   no check character. The address code is only checked for a real
//!   province: codes are abolished and merged, and an ID number stays valid
//!   for life.
//! - Unified social credit code, GB 32100-2015: 18 characters over a
//!   31-character alphabet with a mod-31 check character.
//! - Chinese mobile numbers: `+86`, `0086`, spaces and dashes stripped, then
//!   libphonenumber's CN mobile pattern.
//! - Administrative divisions, GB/T 2260: a 6-digit code must be in the
//!   bundled table; a 12-digit village code needs a known county prefix.
//!
//! Reasons are stable codes (`checksum`, `birth_date`, …) that the Fluent
//! catalogs translate; they never echo the value, which is personal data.

use super::divisions;

/// What kind of value to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CheckKind {
    IdNumber,
    CreditCode,
    Mobile,
    Division,
}

/// Why a value is invalid: a stable code for translations and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum InvalidReason {
    /// Wrong length or characters.
    Format,
    /// The check character does not match.
    Checksum,
    /// Not a real date, or in the future.
    BirthDate,
    /// Not a province (ID numbers) or not in the division table.
    UnknownRegion,
    /// A mobile number outside the CN mobile ranges.
    NotMobile,
}

impl InvalidReason {
    /// The stable code, such as `checksum`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Format => "format",
            Self::Checksum => "checksum",
            Self::BirthDate => "birth_date",
            Self::UnknownRegion => "unknown_region",
            Self::NotMobile => "not_mobile",
        }
    }
}

/// The outcome of [`check_value`]: the normalized value when valid (an
/// uppercase `X`, a bare 11-digit mobile number), with what it tells.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CheckOutcome {
    pub valid: bool,
    pub normalized: Option<String>,
    pub reason: Option<InvalidReason>,
    /// For a division, its name (西湖区); for an ID number, nothing: the
    /// birth date and sex are personal data the caller already has.
    pub detail: Option<String>,
}

/// Checks `value` as `kind`, the same way the forms engine does. Cheap and
/// offline, so shells may call it as the person types.
pub fn check_value(kind: CheckKind, value: String) -> CheckOutcome {
    let result = match kind {
        CheckKind::IdNumber => id_number(&value).map(|v| (v.normalized, None)),
        CheckKind::CreditCode => credit_code(&value).map(|v| (v, None)),
        CheckKind::Mobile => mobile(&value).map(|v| (v, None)),
        CheckKind::Division => division(&value).map(|(code, name)| (code, Some(name))),
    };
    match result {
        Ok((normalized, detail)) => CheckOutcome {
            valid: true,
            normalized: Some(normalized),
            reason: None,
            detail,
        },
        Err(reason) => CheckOutcome {
            valid: false,
            normalized: None,
            reason: Some(reason),
            detail: None,
        },
    }
}

/// A valid resident ID number and what it encodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IdNumber {
    pub normalized: String,
    /// `(year, month, day)`.
    pub birth_date: (u32, u32, u32),
    /// The sequence number is odd for men.
    pub male: bool,
}

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: &[u8; 11] = b"10X98765432";

/// Province-level prefixes of GB/T 2260 (including 71 Taiwan, 81 Hong Kong,
/// 82 Macao, which appear on residence permits for compatriots).
const PROVINCES: [u8; 34] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
];

pub(crate) fn id_number(value: &str) -> Result<IdNumber, InvalidReason> {
    let v = value.trim().to_ascii_uppercase();
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let number = |r: std::ops::Range<usize>| v[r].parse::<u32>().map_err(|_| InvalidReason::Format);
    let (year, month, day, seq) = match b.len() {
        18 if digits(0..17) && (b[17].is_ascii_digit() || b[17] == b'X') => {
            let sum: u32 = b[..17]
                .iter()
                .zip(ID_WEIGHTS)
                .map(|(d, w)| u32::from(d - b'0') * w)
                .sum();
            if ID_CHECK[(sum % 11) as usize] != b[17] {
                return Err(InvalidReason::Checksum);
            }
            (
                number(6..10)?,
                number(10..12)?,
                number(12..14)?,
                number(14..17)?,
            )
        }
        // Issued until 1999 to people born in the 1900s.
        15 if digits(0..15) => (
            1900 + number(6..8)?,
            number(8..10)?,
            number(10..12)?,
            number(12..15)?,
        ),
        _ => return Err(InvalidReason::Format),
    };
    if !PROVINCES.contains(&(number(0..2)? as u8)) {
        return Err(InvalidReason::UnknownRegion);
    }
    if year < 1900 || !valid_date(year, month, day) || (year, month, day) > today() {
        return Err(InvalidReason::BirthDate);
    }
    Ok(IdNumber {
        normalized: v,
        birth_date: (year, month, day),
        male: seq % 2 == 1,
    })
}

const USCC_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [usize; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// GB 32100-2015. The check is `(31 - sum mod 31) mod 31` (several blog
/// posts get this wrong); the standard's own example `91350100M000100Y43`
/// is in the tests.
pub(crate) fn credit_code(value: &str) -> Result<String, InvalidReason> {
    let v = value.trim().to_ascii_uppercase();
    let b = v.as_bytes();
    if b.len() != 18 {
        return Err(InvalidReason::Format);
    }
    let index = |c: &u8| USCC_ALPHABET.iter().position(|a| a == c);
    let values: Vec<usize> = b
        .iter()
        .map(index)
        .collect::<Option<_>>()
        .ok_or(InvalidReason::Format)?;
    // Characters 3–8 are the registering authority's division code: digits.
    if !b[2..8].iter().all(u8::is_ascii_digit) {
        return Err(InvalidReason::Format);
    }
    let sum: usize = values[..17]
        .iter()
        .zip(USCC_WEIGHTS)
        .map(|(v, w)| v * w)
        .sum();
    if values[17] != (31 - sum % 31) % 31 {
        return Err(InvalidReason::Checksum);
    }
    Ok(v)
}

/// A CN mobile number, returned as its 11 digits.
///
/// Matches libphonenumber's pattern
/// `1(?:610\d|740[0-5])\d{6}|1(?:[38]\d|4[57]|[59][0-35-9]|6[25-7]|7[0-35-8])\d{8}`
/// by hand: the core links no regex engine, and one fixed pattern does not
/// justify adding one to every phone's binary.
pub(crate) fn mobile(value: &str) -> Result<String, InvalidReason> {
    // Separators dropped into a stack buffer: every autosave of a phone
    // field comes here, and collecting into a String char by char cost more
    // than the check. "0086" and 11 digits is the longest that can pass.
    let mut kept = [0u8; 15];
    let mut n = 0;
    for c in value.chars() {
        if matches!(c, ' ' | '-' | '\u{a0}') {
            continue;
        }
        if n == kept.len() || !(c.is_ascii_digit() || c == '+') {
            return Err(InvalidReason::Format);
        }
        kept[n] = c as u8;
        n += 1;
    }
    let kept = &kept[..n];
    let b = (kept.strip_prefix(b"+86"))
        .or_else(|| kept.strip_prefix(b"0086"))
        .unwrap_or(kept);
    if b.len() != 11 || !b.iter().all(u8::is_ascii_digit) || b[0] != b'1' {
        return Err(InvalidReason::Format);
    }
    let (c1, c2) = (b[1], b[2]);
    let ok = matches!(
        (c1, c2),
        (b'3' | b'8', _)
            | (b'4', b'5' | b'7')
            | (b'5' | b'9', b'0'..=b'3' | b'5'..=b'9')
            | (b'6', b'2' | b'5'..=b'7')
            | (b'7', b'0'..=b'3' | b'5'..=b'8')
    ) || b.starts_with(b"1610")
        || (b.starts_with(b"1740") && (b'0'..=b'5').contains(&b[4]));
    if ok {
        std::str::from_utf8(b)
            .map(str::to_owned)
            .map_err(|_| InvalidReason::Format)
    } else {
        Err(InvalidReason::NotMobile)
    }
}

/// A 6-digit GB/T 2260 code from the bundled table, or a 12-digit village
/// code under a known county; returns the code and the county's name.
pub(crate) fn division(value: &str) -> Result<(String, String), InvalidReason> {
    let v = value.trim();
    if !v.bytes().all(|b| b.is_ascii_digit()) || !matches!(v.len(), 6 | 12) {
        return Err(InvalidReason::Format);
    }
    let name = divisions::name(&v[..6]).ok_or(InvalidReason::UnknownRegion)?;
    // A village code's township (3 digits) and village (3 digits) parts are
    // never zero: those would name the county or the township itself.
    if v.len() == 12 && (&v[6..9] == "000" || &v[9..12] == "000") {
        return Err(InvalidReason::Format);
    }
    Ok((v.to_string(), name.to_string()))
}

pub(crate) fn valid_date(year: u32, month: u32, day: u32) -> bool {
    let date = || {
        let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
        let (year, day) = (i32::try_from(year).ok()?, u8::try_from(day).ok()?);
        time::Date::from_calendar_date(year, month, day).ok()
    };
    date().is_some()
}

/// Today's date (UTC) as `(year, month, day)`.
fn today() -> (u32, u32, u32) {
    let today = time::OffsetDateTime::now_utc().date();
    (
        u32::try_from(today.year()).unwrap_or(0),
        u32::from(u8::from(today.month())),
        u32::from(today.day()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers() {
        // The GB 11643 worked example: 11010519491231002X.
        let id = id_number("11010519491231002x").unwrap();
        assert_eq!(id.normalized, "11010519491231002X");
        assert_eq!(id.birth_date, (1949, 12, 31));
        assert!(!id.male);
        assert_eq!(
            id_number("110105194912310021"),
            Err(InvalidReason::Checksum)
        );
        // Legacy 15 digits: no check character; born 1949-12-31, male.
        let old = id_number("110105491231001").unwrap();
        assert_eq!(old.birth_date, (1949, 12, 31));
        assert!(old.male);
        assert_eq!(id_number("11010519491231002"), Err(InvalidReason::Format));
        assert_eq!(id_number("11010519491231002Y"), Err(InvalidReason::Format));
        assert_eq!(id_number("1101054912310011"), Err(InvalidReason::Format));
        // Not a province; a 30 February; a birth in the future.
        assert_eq!(
            id_number("990105491231001"),
            Err(InvalidReason::UnknownRegion)
        );
        assert_eq!(id_number("110105490230001"), Err(InvalidReason::BirthDate));
        let future = with_check("11010521000101001");
        assert_eq!(id_number(&future), Err(InvalidReason::BirthDate));
        // An abolished county code (330103 下城区, merged in 2021) stays valid.
        assert!(id_number(&with_check("33010319900101001")).is_ok());
    }

    fn with_check(first17: &str) -> String {
        let sum: u32 = first17
            .bytes()
            .zip(ID_WEIGHTS)
            .map(|(d, w)| u32::from(d - b'0') * w)
            .sum();
        format!("{first17}{}", ID_CHECK[(sum % 11) as usize] as char)
    }

    #[test]
    fn credit_codes() {
        assert_eq!(
            credit_code("91350100M000100Y43").unwrap(),
            "91350100M000100Y43"
        );
        assert_eq!(
            credit_code(" 91350100m000100y43 ").unwrap(),
            "91350100M000100Y43"
        );
        assert_eq!(
            credit_code("91350100M000100Y44"),
            Err(InvalidReason::Checksum)
        );
        // I, O, S, V and Z are not in the alphabet.
        assert_eq!(
            credit_code("91350100M000100I43"),
            Err(InvalidReason::Format)
        );
        assert_eq!(credit_code("9135010"), Err(InvalidReason::Format));
        assert_eq!(
            credit_code("913A0100M000100Y43"),
            Err(InvalidReason::Format)
        );
    }

    #[test]
    fn mobiles() {
        for ok in [
            "13800138000",
            "+86 138-0013-8000",
            "0086 15912345678",
            "16212345678",
            "17400123456",
            "19912345678",
        ] {
            assert!(mobile(ok).is_ok(), "{ok}");
        }
        assert_eq!(mobile("+86 138 0013 8000").unwrap(), "13800138000");
        assert_eq!(mobile("12012345678"), Err(InvalidReason::NotMobile));
        assert_eq!(mobile("15412345678"), Err(InvalidReason::NotMobile));
        assert_eq!(mobile("17406123456"), Err(InvalidReason::NotMobile));
        assert_eq!(mobile("1380013800"), Err(InvalidReason::Format));
        assert_eq!(mobile("0571-87654321"), Err(InvalidReason::Format));
        // Anything but digits, separators and a leading +86 is refused,
        // however long.
        assert_eq!(mobile("138OO138000"), Err(InvalidReason::Format));
        assert_eq!(mobile("+86+8613800138000"), Err(InvalidReason::Format));
        assert_eq!(mobile("138001380001380013800"), Err(InvalidReason::Format));
        assert_eq!(mobile("0086 0086 13800138000"), Err(InvalidReason::Format));
        assert_eq!(mobile("1380013800０"), Err(InvalidReason::Format));
    }

    #[test]
    fn divisions() {
        assert_eq!(division("330106").unwrap().1, "西湖区");
        assert_eq!(division("330000").unwrap().1, "浙江省");
        assert_eq!(division("330106001001").unwrap().0, "330106001001");
        assert_eq!(division("990106"), Err(InvalidReason::UnknownRegion));
        assert_eq!(division("990106001001"), Err(InvalidReason::UnknownRegion));
        assert_eq!(division("330106000001"), Err(InvalidReason::Format));
        assert_eq!(division("3301"), Err(InvalidReason::Format));
        assert_eq!(division("33010６"), Err(InvalidReason::Format));
    }

    #[test]
    fn check_value_reports_without_echoing() {
        let bad = check_value(CheckKind::IdNumber, "110105194912310021".into());
        assert!(!bad.valid);
        assert_eq!(bad.reason, Some(InvalidReason::Checksum));
        assert_eq!(bad.normalized, None);
        let good = check_value(CheckKind::Division, "330106".into());
        assert_eq!(good.detail.as_deref(), Some("西湖区"));
    }
}
