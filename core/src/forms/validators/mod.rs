//! Validators for the identifiers Chinese government forms ask for. The
//! forms engine, `palmgov check` and the shells (through
//! [`check_value`]) all use these, so a value is judged the same everywhere.
//!
//! - [`id_number`]: citizens' ID numbers (GB 11643), residence permits of
//!   Hong Kong, Macao and Taiwan residents, foreigners' permanent
//!   residence ID cards.
//! - [`credit_code`]: unified social credit codes (GB 32100).
//! - [`mobile`]: mainland China mobile numbers.
//! - [`division`]: administrative division codes (GB/T 2260).
//! - [`licence`]: licence numbers, and the national e-licence identifier.
//!
//! Every check first folds what Chinese input methods type (full-width
//! digits and letters, the ideographic space) and drops stray spaces, and
//! returns the normalized form the draft stores.
//!
//! Reasons are stable codes (`checksum`, `birth_date`, …) that the Fluent
//! catalogs translate; they never echo the value, which is personal data.

pub(crate) mod credit_code;
mod division;
mod id_number;
pub(crate) mod licence;
mod mobile;

pub(crate) use credit_code::credit_code;
pub(crate) use division::division;
pub(crate) use id_number::id_number;
pub(crate) use licence::licence_number;
pub(crate) use mobile::mobile;

/// What kind of value to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CheckKind {
    IdNumber,
    CreditCode,
    Mobile,
    Division,
    /// A licence number as printed, or a national e-licence identifier.
    LicenceNumber,
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
    /// A credit code's registration authority or organisation type is not
    /// one GB 32100 defines.
    UnknownAuthority,
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
            Self::UnknownAuthority => "unknown_authority",
        }
    }
}

/// The outcome of [`check_value`]: the normalized value when valid (an
/// uppercase `X`, a bare 11-digit mobile number, full-width characters
/// folded), with what it tells. Prints without the value, which is
/// personal data.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct CheckOutcome {
    pub valid: bool,
    pub normalized: Option<String>,
    pub reason: Option<InvalidReason>,
    /// For a division, its name (西湖区); for an ID number, nothing: the
    /// birth date and sex are personal data the caller already has.
    pub detail: Option<String>,
}

// By hand rather than with `redact::redacted!`: the forms engine uses
// nothing outside itself but the error type.
impl std::fmt::Debug for CheckOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckOutcome")
            .field("valid", &self.valid)
            .field("reason", &self.reason)
            .field("detail", &self.detail)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Display for CheckOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self, f)
    }
}

/// Checks `value` as `kind`, the same way the forms engine does. Cheap and
/// offline, so shells may call it as the person types.
pub fn check_value(kind: CheckKind, value: String) -> CheckOutcome {
    let result = match kind {
        CheckKind::IdNumber => id_number(&value).map(|v| (v.normalized, None)),
        CheckKind::CreditCode => credit_code(&value).map(|v| (v, None)),
        CheckKind::Mobile => mobile(&value).map(|v| (v, None)),
        CheckKind::Division => division(&value).map(|(code, name)| (code, Some(name))),
        CheckKind::LicenceNumber => {
            licence_number(&value).map(|number| (number.as_str().to_owned(), None))
        }
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

pub(crate) fn valid_date(year: u32, month: u32, day: u32) -> bool {
    let date = || {
        let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
        let (year, day) = (i32::try_from(year).ok()?, u8::try_from(day).ok()?);
        time::Date::from_calendar_date(year, month, day).ok()
    };
    date().is_some()
}

/// Today's date (UTC) as `(year, month, day)`.
pub(super) fn today() -> (u32, u32, u32) {
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
    fn check_value_reports_without_echoing() {
        let bad = check_value(CheckKind::IdNumber, "110105194912310021".into());
        assert!(!bad.valid);
        assert_eq!(bad.reason, Some(InvalidReason::Checksum));
        assert_eq!(bad.normalized, None);
        let good = check_value(CheckKind::Division, "330106".into());
        assert_eq!(good.detail.as_deref(), Some("西湖区"));
        let typed = check_value(CheckKind::Mobile, "１３９０５７１２２３３".into());
        assert_eq!(typed.normalized.as_deref(), Some("13905712233"));
        let licence = check_value(
            CheckKind::LicenceNumber,
            "浙（2021）杭州市不动产权第0123456号".into(),
        );
        assert!(licence.valid);
        // A valid ID number's outcome holds it, and prints without it.
        let good = check_value(CheckKind::IdNumber, "11010519491231002X".into());
        let printed = format!("{good:?} {good}");
        assert!(
            printed.contains("valid: true") && !printed.contains("1101051949"),
            "{printed}"
        );
    }
}
