//! Answer values by field type: what a shell may send for each type, and
//! the normalized JSON the draft stores.
//!
//! | type | JSON |
//! |---|---|
//! | text, select_one, image, signature | string |
//! | integer | integer |
//! | decimal | number (or a numeric string) |
//! | date / time | `YYYY-MM-DD` / `HH:MM[:SS]` |
//! | datetime | RFC 3339 with an offset (`Z` or `±HH:MM`) |
//! | select_multiple | array of distinct choice values |
//! | id_number, credit_code, mobile, division | string, normalized |
//! | geopoint | `{"lat", "lon", "accuracy", "alt"?}`, WGS-84, metres |
//! | licence_ref | `{"type", "number"}` |

use serde_json::{Value, json};

use super::field::{Choice, Kind};
use super::text;
use super::validators::{self, InvalidReason};

/// Longest text answer, in characters.
const MAX_TEXT: usize = 10_000;

/// Why an answer does not fit its field; the code is stable and localized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Problem {
    /// The JSON type is wrong for the field.
    Type,
    Format,
    Checksum,
    BirthDate,
    UnknownRegion,
    NotMobile,
    UnknownAuthority,
    NotAChoice,
    OutOfRange,
    TooLong,
}

impl Problem {
    /// Every problem, for the test that each has a message.
    #[cfg(test)]
    pub(crate) const ALL: [Problem; 10] = [
        Self::Type,
        Self::Format,
        Self::Checksum,
        Self::BirthDate,
        Self::UnknownRegion,
        Self::NotMobile,
        Self::UnknownAuthority,
        Self::NotAChoice,
        Self::OutOfRange,
        Self::TooLong,
    ];

    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::Type => "type",
            Self::Format => "format",
            Self::Checksum => "checksum",
            Self::BirthDate => "birth_date",
            Self::UnknownRegion => "unknown_region",
            Self::NotMobile => "not_mobile",
            Self::UnknownAuthority => "unknown_authority",
            Self::NotAChoice => "not_a_choice",
            Self::OutOfRange => "out_of_range",
            Self::TooLong => "too_long",
        }
    }
}

impl From<InvalidReason> for Problem {
    fn from(r: InvalidReason) -> Self {
        match r {
            InvalidReason::Format => Self::Format,
            InvalidReason::Checksum => Self::Checksum,
            InvalidReason::BirthDate => Self::BirthDate,
            InvalidReason::UnknownRegion => Self::UnknownRegion,
            InvalidReason::NotMobile => Self::NotMobile,
            InvalidReason::UnknownAuthority => Self::UnknownAuthority,
        }
    }
}

/// Checks `value` for a field of `kind` and returns its normalized form.
/// `null` (clearing the answer) is always accepted.
pub(crate) fn check(kind: Kind, choices: &[Choice], value: &Value) -> Result<Value, Problem> {
    if value.is_null() {
        return Ok(Value::Null);
    }
    let text = || value.as_str().ok_or(Problem::Type);
    Ok(match kind {
        Kind::Text => {
            let s = text::clean(text()?);
            if s.chars().count() > MAX_TEXT {
                return Err(Problem::TooLong);
            }
            s.into_owned().into()
        }
        Kind::Image | Kind::Signature => {
            // An attachment id the core made: short printable ASCII.
            let s = text()?;
            if s.is_empty() || s.len() > 64 || !s.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(Problem::Format);
            }
            value.clone()
        }
        Kind::Integer => value.as_i64().ok_or(Problem::Type)?.into(),
        Kind::Decimal => {
            let n = match value {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse::<f64>().ok(),
                _ => None,
            }
            .filter(|n| n.is_finite())
            .ok_or(Problem::Type)?;
            json!(n)
        }
        Kind::Date => {
            let s = text()?;
            date(s).ok_or(Problem::Format)?;
            value.clone()
        }
        Kind::Time => {
            let s = text()?;
            clock(s).ok_or(Problem::Format)?;
            value.clone()
        }
        Kind::DateTime => {
            let s = text()?;
            datetime(s).ok_or(Problem::Format)?;
            value.clone()
        }
        Kind::SelectOne => {
            let s = text()?;
            if !choices.iter().any(|c| c.value == s) {
                return Err(Problem::NotAChoice);
            }
            value.clone()
        }
        Kind::SelectMultiple => {
            let items = value.as_array().ok_or(Problem::Type)?;
            let mut seen = Vec::with_capacity(items.len());
            for item in items {
                let s = item.as_str().ok_or(Problem::Type)?;
                if !choices.iter().any(|c| c.value == s) || seen.contains(&s) {
                    return Err(Problem::NotAChoice);
                }
                seen.push(s);
            }
            value.clone()
        }
        Kind::IdNumber => validators::id_number(text()?)?.normalized.into(),
        Kind::CreditCode => validators::credit_code(text()?)?.into(),
        Kind::Mobile => validators::mobile(text()?)?.into(),
        Kind::Division => validators::division(text()?)?.0.into(),
        Kind::Geopoint => geopoint(value)?,
        Kind::LicenceRef => licence_ref(value)?,
        Kind::Note | Kind::Repeat => return Err(Problem::Type),
    })
}

fn geopoint(value: &Value) -> Result<Value, Problem> {
    let object = value.as_object().ok_or(Problem::Type)?;
    if object
        .keys()
        .any(|k| !matches!(k.as_str(), "lat" | "lon" | "accuracy" | "alt"))
    {
        return Err(Problem::Format);
    }
    let number = |key: &str| {
        object
            .get(key)
            .and_then(Value::as_f64)
            .filter(|n| n.is_finite())
    };
    let (lat, lon) = (
        number("lat").ok_or(Problem::Format)?,
        number("lon").ok_or(Problem::Format)?,
    );
    let accuracy = number("accuracy").ok_or(Problem::Format)?;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) || accuracy < 0.0 {
        return Err(Problem::OutOfRange);
    }
    let mut point = json!({"lat": lat, "lon": lon, "accuracy": accuracy});
    if let Some(alt) = object.get("alt") {
        point["alt"] = json!(
            alt.as_f64()
                .filter(|n| n.is_finite())
                .ok_or(Problem::Format)?
        );
    }
    Ok(point)
}

/// A licence reference until the e-licence wallet resolves it: a type
/// code (`[a-z0-9_]`, as in the region's licence catalogue) and a licence
/// number as [`validators::licence_number`] reads it.
fn licence_ref(value: &Value) -> Result<Value, Problem> {
    let object = value.as_object().ok_or(Problem::Type)?;
    let kind = object
        .get("type")
        .and_then(Value::as_str)
        .ok_or(Problem::Format)?;
    let number = object
        .get("number")
        .and_then(Value::as_str)
        .ok_or(Problem::Format)?;
    let kind_ok = !kind.is_empty()
        && kind.len() <= 64
        && kind
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if object.len() != 2 || !kind_ok {
        return Err(Problem::Format);
    }
    let number = validators::licence_number(number)?;
    Ok(json!({"type": kind, "number": number.as_str()}))
}

/// `YYYY-MM-DD`, a real calendar date.
pub(crate) fn date(s: &str) -> Option<()> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (digits(&s[0..4])?, digits(&s[5..7])?, digits(&s[8..10])?);
    validators::valid_date(y, m, d).then_some(())
}

/// `HH:MM` or `HH:MM:SS`, the latter optionally with a fraction.
fn clock(s: &str) -> Option<()> {
    let (main, fraction) = match s.split_once('.') {
        Some((main, fraction)) => (main, Some(fraction)),
        None => (s, None),
    };
    if let Some(f) = fraction
        && (main.len() != 8
            || f.is_empty()
            || f.len() > 9
            || !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let b = main.as_bytes();
    let hm = b.len() >= 5 && b[2] == b':' && digits(&main[0..2])? < 24 && digits(&main[3..5])? < 60;
    match b.len() {
        5 => hm.then_some(()),
        8 => (hm && b[5] == b':' && digits(&main[6..8])? < 60).then_some(()),
        _ => None,
    }
}

/// RFC 3339 with an explicit offset: a local time without one is ambiguous
/// on a phone whose timezone may be wrong.
fn datetime(s: &str) -> Option<()> {
    let (day, rest) = s.split_once(['T', 't'])?;
    date(day)?;
    let (time, offset) = if let Some(t) = rest.strip_suffix(['Z', 'z']) {
        (t, None)
    } else {
        let at = rest.rfind(['+', '-'])?;
        (&rest[..at], Some(&rest[at + 1..]))
    };
    if time.len() < 8 {
        return None;
    }
    clock(time)?;
    if let Some(offset) = offset {
        let b = offset.as_bytes();
        if b.len() != 5
            || b[2] != b':'
            || digits(&offset[0..2])? > 23
            || digits(&offset[3..5])? > 59
        {
            return None;
        }
    }
    Some(())
}

fn digits(s: &str) -> Option<u32> {
    s.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| s.parse().ok())?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(kind: Kind, value: Value) -> Value {
        check(kind, &[], &value).unwrap()
    }

    fn err(kind: Kind, value: Value) -> Problem {
        check(kind, &[], &value).unwrap_err()
    }

    #[test]
    fn scalars() {
        assert_eq!(ok(Kind::Integer, json!(3)), json!(3));
        assert_eq!(err(Kind::Integer, json!(3.5)), Problem::Type);
        assert_eq!(err(Kind::Integer, json!("3")), Problem::Type);
        assert_eq!(ok(Kind::Decimal, json!("2.50")), json!(2.5));
        assert_eq!(err(Kind::Decimal, json!("NaN")), Problem::Type);
        assert_eq!(ok(Kind::Text, Value::Null), Value::Null);
        assert_eq!(err(Kind::Text, json!("x".repeat(10_001))), Problem::TooLong);
    }

    #[test]
    fn dates_and_times() {
        ok(Kind::Date, json!("2024-02-29"));
        assert_eq!(err(Kind::Date, json!("2023-02-29")), Problem::Format);
        assert_eq!(err(Kind::Date, json!("2023-2-01")), Problem::Format);
        ok(Kind::Time, json!("23:59"));
        ok(Kind::Time, json!("23:59:59"));
        ok(Kind::Time, json!("23:59:59.250"));
        assert_eq!(err(Kind::Time, json!("24:00")), Problem::Format);
        ok(Kind::DateTime, json!("2026-11-24T09:30:00+08:00"));
        ok(Kind::DateTime, json!("2026-11-24T01:30:00.5Z"));
        // Without an offset the moment is ambiguous.
        assert_eq!(
            err(Kind::DateTime, json!("2026-11-24T09:30:00")),
            Problem::Format
        );
        assert_eq!(
            err(Kind::DateTime, json!("2026-11-24T09:30+08:00")),
            Problem::Format
        );
    }

    #[test]
    fn typed_identifiers_are_normalized() {
        assert_eq!(
            ok(Kind::IdNumber, json!("11010519491231002x")),
            json!("11010519491231002X")
        );
        assert_eq!(
            err(Kind::IdNumber, json!("110105194912310021")),
            Problem::Checksum
        );
        assert_eq!(
            ok(Kind::Mobile, json!("+86 138-0013-8000")),
            json!("13800138000")
        );
        assert_eq!(
            ok(Kind::CreditCode, json!("91350100M000100Y43")),
            json!("91350100M000100Y43")
        );
        assert_eq!(ok(Kind::Division, json!("330106")), json!("330106"));
        // Full-width, as Chinese input methods type it: stored folded.
        assert_eq!(
            ok(
                Kind::IdNumber,
                json!("１１０１０５１９４９１２３１００２ｘ")
            ),
            json!("11010519491231002X")
        );
        assert_eq!(
            ok(
                Kind::CreditCode,
                json!("９１３５０１００Ｍ０００１００Ｙ４３")
            ),
            json!("91350100M000100Y43")
        );
        assert_eq!(err(Kind::Division, json!("339999")), Problem::UnknownRegion);
    }

    #[test]
    fn choices() {
        let choices: Vec<Choice> = serde_json::from_value(json!([
            {"value": "a"}, {"value": "b"}
        ]))
        .unwrap();
        assert!(check(Kind::SelectOne, &choices, &json!("a")).is_ok());
        assert_eq!(
            check(Kind::SelectOne, &choices, &json!("c")),
            Err(Problem::NotAChoice)
        );
        assert!(check(Kind::SelectMultiple, &choices, &json!(["a", "b"])).is_ok());
        assert_eq!(
            check(Kind::SelectMultiple, &choices, &json!(["a", "a"])),
            Err(Problem::NotAChoice)
        );
    }

    #[test]
    fn structured_values() {
        assert_eq!(
            ok(
                Kind::Geopoint,
                json!({"lat": 30.25, "lon": 120.16, "accuracy": 4.5})
            ),
            json!({"lat": 30.25, "lon": 120.16, "accuracy": 4.5})
        );
        assert_eq!(
            err(Kind::Geopoint, json!({"lat": 91, "lon": 0, "accuracy": 1})),
            Problem::OutOfRange
        );
        assert_eq!(
            err(Kind::Geopoint, json!({"lat": 1, "lon": 0})),
            Problem::Format
        );
        assert_eq!(
            ok(
                Kind::LicenceRef,
                json!({"type": "business_licence", "number": " ab-12 "})
            ),
            json!({"type": "business_licence", "number": "ab-12"})
        );
        assert_eq!(
            err(Kind::LicenceRef, json!({"type": "X", "number": "1"})),
            Problem::Format
        );
    }

    #[test]
    fn licence_numbers_as_issuers_print_them() {
        let property =
            json!({"type": "real_estate", "number": "浙(2021)杭州市不动产权第0123456号"});
        assert_eq!(ok(Kind::LicenceRef, property.clone()), property);
        let identifier = "1.2.156.3005.2.11100000MB03271699022.340100.000000016.001.9";
        assert_eq!(
            ok(
                Kind::LicenceRef,
                json!({"type": "x", "number": identifier.to_lowercase()})
            ),
            json!({"type": "x", "number": identifier})
        );
        let mistyped = identifier.replace(".9", ".8");
        assert_eq!(
            err(Kind::LicenceRef, json!({"type": "x", "number": mistyped})),
            Problem::Checksum
        );
    }

    #[test]
    fn text_answers_are_stored_without_controls() {
        assert_eq!(
            ok(Kind::Text, json!("王秀英\u{1b}[2J\u{202e}\r\n第二行")),
            json!("王秀英[2J\n第二行")
        );
        // Stored unchanged when clean, joiners and marks included.
        let uyghur = json!("ئا\u{200C}ب\u{200F}");
        assert_eq!(ok(Kind::Text, uyghur.clone()), uyghur);
        assert_eq!(err(Kind::Image, json!("att-1\u{1b}")), Problem::Format);
    }
}
