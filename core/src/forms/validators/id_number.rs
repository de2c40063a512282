//! The 18-digit numbers that identify a person to a Chinese government
//! service, and the legacy 15-digit form.
//!
//! | starts with | holder | structure |
//! |---|---|---|
//! | a province code | a citizen (GB 11643-1999) | address (6), birth date (8), sequence (3, odd for men), check |
//! | `810000`, `820000`, `830000` | a Hong Kong, Macao or Taiwan resident with a residence permit (国办发〔2018〕81号) | the same, with that address code |
//! | `9` | a foreigner with the 2023 permanent residence ID card | `9`, province that accepted the application (2), nationality (3, GB/T 2659 numeric), birth date (8), sequence (3), check |
//!
//! All three use the GB 11643 check character (the National Immigration
//! Administration's card notes say the foreigner's number is checked "the
//! same way as a citizen's"). The legacy 15-digit citizen number has no
//! check character and a two-digit year in the 1900s.
//!
//! The address code is checked only at province level: an ID number keeps
//! the county code it was issued under for life, counties are merged and
//! abolished, codes were reused, and no open list can be shown to hold
//! every code ever issued (see `core/data/README.md`).

use super::InvalidReason;
use crate::forms::text;

/// Whose number it is, by its structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holder {
    Citizen,
    /// A Hong Kong, Macao or Taiwan resident's residence permit.
    ResidencePermit,
    /// A foreigner's permanent residence ID card (2023).
    ForeignPermanentResident,
}

/// A valid ID number and what it encodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IdNumber {
    /// Folded to ASCII, spaces removed, a check `X` in upper case.
    pub normalized: String,
    pub holder: Holder,
    /// `(year, month, day)`.
    pub birth_date: (u32, u32, u32),
    /// The sequence number is odd for men.
    pub male: bool,
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

/// Province-level prefixes of GB/T 2260 that public security offices issue
/// numbers under. Taiwan's 71 is in the table but no office issues it;
/// Taiwan residents' permits use `830000`.
const PROVINCES: [u8; 31] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65,
];

/// The address codes of residence permits for Hong Kong, Macao and Taiwan
/// residents: the whole code, never a district under it.
const PERMIT_CODES: [&str; 3] = ["810000", "820000", "830000"];

/// The earliest birth year accepted. The oldest residents on record were
/// born in the 1880s.
const EARLIEST_BIRTH_YEAR: u32 = 1880;

/// The check character for the first 17 digits.
pub(crate) fn check_character(first17: &[u8]) -> u8 {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize]
}

pub(crate) fn id_number(value: &str) -> Result<IdNumber, InvalidReason> {
    let v = text::compact(value);
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let number = |r: std::ops::Range<usize>| v[r].parse::<u32>().map_err(|_| InvalidReason::Format);
    let province = |code: u32| u8::try_from(code).is_ok_and(|p| PROVINCES.contains(&p));
    let (holder, year, month, day, seq) = match b.len() {
        18 if digits(0..17) && (b[17].is_ascii_digit() || b[17] == b'X') => {
            if check_character(&b[..17]) != b[17] {
                return Err(InvalidReason::Checksum);
            }
            let holder = if b[0] == b'9' {
                // 9, the accepting province, a nationality (never China's 156).
                if !province(number(1..3)?) || matches!(&v[3..6], "000" | "156") {
                    return Err(InvalidReason::UnknownRegion);
                }
                Holder::ForeignPermanentResident
            } else if PERMIT_CODES.contains(&&v[..6]) {
                Holder::ResidencePermit
            } else if province(number(0..2)?) {
                Holder::Citizen
            } else {
                return Err(InvalidReason::UnknownRegion);
            };
            // Every 18-digit form has the birth date in the same place.
            (
                holder,
                number(6..10)?,
                number(10..12)?,
                number(12..14)?,
                number(14..17)?,
            )
        }
        // Issued to citizens until 1999, with the year's last two digits.
        15 if digits(0..15) => {
            if !province(number(0..2)?) {
                return Err(InvalidReason::UnknownRegion);
            }
            (
                Holder::Citizen,
                1900 + number(6..8)?,
                number(8..10)?,
                number(10..12)?,
                number(12..15)?,
            )
        }
        _ => return Err(InvalidReason::Format),
    };
    if year < EARLIEST_BIRTH_YEAR
        || !super::valid_date(year, month, day)
        || (year, month, day) > super::today()
    {
        return Err(InvalidReason::BirthDate);
    }
    Ok(IdNumber {
        normalized: v,
        holder,
        birth_date: (year, month, day),
        male: seq % 2 == 1,
    })
}

#[cfg(test)]
pub(crate) fn with_check(first17: &str) -> String {
    let check = check_character(first17.as_bytes()) as char;
    format!("{first17}{check}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citizens() {
        // The GB 11643 worked example: 11010519491231002X.
        let id = id_number("11010519491231002x").unwrap();
        assert_eq!(id.normalized, "11010519491231002X");
        assert_eq!(id.holder, Holder::Citizen);
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
        // Taiwan's GB/T 2260 code is never issued; its residents use 830000.
        assert_eq!(
            id_number(&with_check("71000019900101001")),
            Err(InvalidReason::UnknownRegion)
        );
    }

    #[test]
    fn the_oldest_residents_are_accepted() {
        // Born 1886-06-25, as the oldest resident on record (Xinjiang).
        let oldest = with_check("65312118860625002");
        assert_eq!(id_number(&oldest).unwrap().birth_date, (1886, 6, 25));
        assert_eq!(
            id_number(&with_check("65312118790625002")),
            Err(InvalidReason::BirthDate)
        );
    }

    #[test]
    fn residence_permits_for_hong_kong_macao_and_taiwan() {
        // Sample numbers published by the Beijing police.
        for permit in [
            "810000199408230021",
            "830000199201300022",
            "820000199409160020",
        ] {
            let id = id_number(permit).unwrap();
            assert_eq!(id.holder, Holder::ResidencePermit, "{permit}");
        }
        assert_eq!(
            id_number("830000199201300023"),
            Err(InvalidReason::Checksum)
        );
        // A district under 810000 is never issued.
        assert_eq!(
            id_number(&with_check("81010119940823002")),
            Err(InvalidReason::UnknownRegion)
        );
    }

    #[test]
    fn foreign_permanent_residents() {
        // The National Immigration Administration's example: accepted in
        // Jiangsu (32), Saudi Arabia (682), born 1985-01-01.
        let id = id_number("932682198501010017").unwrap();
        assert_eq!(id.holder, Holder::ForeignPermanentResident);
        assert_eq!(id.birth_date, (1985, 1, 1));
        assert!(id.male);
        let kazakh = id_number("911398199012310021").unwrap();
        assert_eq!(kazakh.birth_date, (1990, 12, 31));
        assert_eq!(
            id_number("911398199012310022"),
            Err(InvalidReason::Checksum)
        );
        // No such province; China is not a foreign nationality.
        assert_eq!(
            id_number(&with_check("99968219850101001")),
            Err(InvalidReason::UnknownRegion)
        );
        assert_eq!(
            id_number(&with_check("93215619850101001")),
            Err(InvalidReason::UnknownRegion)
        );
        assert_eq!(
            id_number(&with_check("93268219851301001")),
            Err(InvalidReason::BirthDate)
        );
    }

    #[test]
    fn full_width_and_spaced_input_is_normalized() {
        let typed = "１１０１０５ １９４９１２３１ ００２ｘ";
        assert_eq!(id_number(typed).unwrap().normalized, "11010519491231002X");
        assert_eq!(
            id_number("\u{3000}110105194912310021\u{a0}"),
            Err(InvalidReason::Checksum)
        );
    }
}
