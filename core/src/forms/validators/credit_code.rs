//! The unified social credit code (统一社会信用代码), GB 32100-2015 with its
//! amendment No. 1 (GB 32100-2015/XG1-2016): 18 characters over a
//! 31-character alphabet.
//!
//! | position | part | checked |
//! |---|---|---|
//! | 1 | registration authority | one of the standard's authorities |
//! | 2 | organisation type | one the authority registers |
//! | 3–8 | the authority's division code | digits |
//! | 9–17 | organisation code (GB 11714-1997) | its own check character |
//! | 18 | check | `(31 − Σ mod 31) mod 31` over positions 1–17 |
//!
//! Several blog posts get the check rules wrong; the standard's own
//! example `91350100M000100Y43` is in the tests.

use super::InvalidReason;
use crate::forms::text;

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [usize; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Registration authorities and the organisation types each registers
/// (GB 32100-2015 table 1 as amended by XG1-2016). `9` is "other" where an
/// authority has it; market regulation (`9`) and "other authorities" (`Y`)
/// have none.
const AUTHORITIES: &[(u8, &[u8])] = &[
    (b'1', b"1239"),   // 机构编制: 机关, 事业单位, 群众团体, 其他
    (b'2', b"19"),     // 外交: 外国常驻新闻机构, 其他
    (b'3', b"123459"), // 司法行政: 律师事务所, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
    (b'4', b"19"),     // 文化: 外国在华文化中心, 其他
    (b'5', b"1239"),   // 民政: 社会团体, 民办非企业单位, 基金会, 其他
    (b'6', b"129"),    // 旅游: 外国旅游部门常驻代表机构, 港澳台地区旅游部门常驻内地代表机构, 其他
    (b'7', b"129"),    // 宗教: 宗教活动场所, 宗教院校, 其他
    (b'8', b"19"),     // 工会: 基层工会, 其他
    (b'9', b"123"),    // 工商 (市场监管): 企业, 个体工商户, 农民专业合作社
    (b'A', b"19"),     // 中央军委改革和编制办公室: 军队事业单位, 其他
    (b'N', b"1239"),   // 农业: 组级, 村级, 乡镇级集体经济组织, 其他
    (b'Y', b"1"),      // 其他
];

/// GB 11714-1997 weights over the organisation code's 8 body characters.
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// Checks a credit code and returns it folded to ASCII, upper case.
pub(crate) fn credit_code(value: &str) -> Result<String, InvalidReason> {
    let v = text::compact(value);
    let b = v.as_bytes();
    if b.len() != 18 {
        return Err(InvalidReason::Format);
    }
    let index = |c: &u8| ALPHABET.iter().position(|a| a == c);
    let values: Vec<usize> = b
        .iter()
        .map(index)
        .collect::<Option<_>>()
        .ok_or(InvalidReason::Format)?;
    // Characters 3–8 are the registering authority's division code: digits.
    if !b[2..8].iter().all(u8::is_ascii_digit) {
        return Err(InvalidReason::Format);
    }
    let sum: usize = values[..17].iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    if values[17] != (31 - sum % 31) % 31 {
        return Err(InvalidReason::Checksum);
    }
    let types = AUTHORITIES
        .iter()
        .find(|(authority, _)| *authority == b[0])
        .map(|(_, types)| *types);
    if !types.is_some_and(|types| types.contains(&b[1])) {
        return Err(InvalidReason::UnknownAuthority);
    }
    if organisation_check(&b[8..16]) != Some(b[16]) {
        return Err(InvalidReason::Checksum);
    }
    Ok(v)
}

/// The GB 11714 check character of an organisation code's 8 body
/// characters: `11 − Σ mod 11`, where 10 is written `X` and 11 is `0`.
fn organisation_check(body: &[u8]) -> Option<u8> {
    let mut sum = 0;
    for (c, w) in body.iter().zip(ORG_WEIGHTS) {
        let value = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            _ => return None,
        };
        sum += value * w;
    }
    Some(match 11 - sum % 11 {
        10 => b'X',
        11 => b'0',
        n => b'0' + n as u8,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_codes_pass() {
        for code in [
            "91350100M000100Y43", // the standard's example
            "92141127MA0KD1Y64A", // an individual business
            "12440600MB2C07549J", // a public institution
            "11100000000013338W", // a State Council ministry
        ] {
            assert_eq!(credit_code(code).unwrap(), code);
        }
        assert_eq!(
            credit_code(" 91350100m000100y43 ").unwrap(),
            "91350100M000100Y43"
        );
        // Typed with a Chinese input method.
        assert_eq!(
            credit_code("９１３５０１００Ｍ０００１００Ｙ４３").unwrap(),
            "91350100M000100Y43"
        );
    }

    #[test]
    fn wrong_check_characters_are_refused() {
        assert_eq!(
            credit_code("91350100M000100Y44"),
            Err(InvalidReason::Checksum)
        );
        // A real company's code as printed with a wrong last character.
        assert_eq!(
            credit_code("91350203M0001FUE2P"),
            Err(InvalidReason::Checksum)
        );
        assert!(credit_code("91350203M0001FUE2J").is_ok());
        // The embedded organisation code's check (position 17) is wrong
        // while the code's own check has been made to match.
        let org_wrong = with_check("91350100M000100Y5");
        assert_eq!(credit_code(&org_wrong), Err(InvalidReason::Checksum));
    }

    #[test]
    fn impossible_authorities_and_types_are_refused() {
        // No authority B; market regulation registers no type 9; "other
        // authorities" (Y) only type 1.
        for first17 in [
            "B1350100M000100Y4",
            "99350100M000100Y4",
            "Y2350100M000100Y4",
        ] {
            let code = with_check(first17);
            assert_eq!(
                credit_code(&code),
                Err(InvalidReason::UnknownAuthority),
                "{code}"
            );
        }
        // Every authority and type the amendment lists is accepted.
        for (authority, types) in AUTHORITIES {
            for kind in *types {
                let first17 = format!("{}{}350100M000100Y4", *authority as char, *kind as char);
                assert!(credit_code(&with_check(&first17)).is_ok(), "{first17}");
            }
        }
    }

    #[test]
    fn malformed_codes_are_refused() {
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

    /// `first17` with the credit code's own check character appended.
    fn with_check(first17: &str) -> String {
        let sum: usize = first17
            .bytes()
            .map(|c| ALPHABET.iter().position(|a| *a == c).unwrap())
            .zip(WEIGHTS)
            .map(|(v, w)| v * w)
            .sum();
        format!("{first17}{}", ALPHABET[(31 - sum % 31) % 31] as char)
    }
}
