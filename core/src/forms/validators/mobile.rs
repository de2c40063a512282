//! Mainland China mobile numbers: `+86`, `0086`, spaces and dashes
//! stripped, full-width digits folded, then libphonenumber's CN mobile
//! pattern.

use super::InvalidReason;
use crate::forms::text;

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
    for c in value.chars().map(text::narrow) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn full_width_input_is_folded() {
        // What a Chinese input method types: full-width digits, plus,
        // dash and the ideographic space.
        assert_eq!(mobile("1380013800０").unwrap(), "13800138000");
        assert_eq!(
            mobile("＋８６　１３９－０５７１－２２３３").unwrap(),
            "13905712233"
        );
        assert_eq!(mobile("１３８ＯＯ１３８０００"), Err(InvalidReason::Format));
    }
}
