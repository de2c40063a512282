//! Administrative divisions, GB/T 2260: a 6-digit code must be in the
//! bundled table; a 12-digit village code needs a known county prefix.

use super::InvalidReason;
use crate::forms::{divisions, text};

/// A 6-digit GB/T 2260 code from the bundled table, or a 12-digit village
/// code under a known county; returns the code and the county's name.
pub(crate) fn division(value: &str) -> Result<(String, String), InvalidReason> {
    let v = text::compact(value);
    if !v.bytes().all(|b| b.is_ascii_digit()) || !matches!(v.len(), 6 | 12) {
        return Err(InvalidReason::Format);
    }
    let name = divisions::name(&v[..6]).ok_or(InvalidReason::UnknownRegion)?;
    // A village code's township (3 digits) and village (3 digits) parts are
    // never zero: those would name the county or the township itself.
    if v.len() == 12 && (&v[6..9] == "000" || &v[9..12] == "000") {
        return Err(InvalidReason::Format);
    }
    Ok((v, name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn divisions() {
        assert_eq!(division("330106").unwrap().1, "西湖区");
        assert_eq!(division("330000").unwrap().1, "浙江省");
        assert_eq!(division("330106001001").unwrap().0, "330106001001");
        assert_eq!(division("990106"), Err(InvalidReason::UnknownRegion));
        assert_eq!(division("990106001001"), Err(InvalidReason::UnknownRegion));
        assert_eq!(division("330106000001"), Err(InvalidReason::Format));
        assert_eq!(division("3301"), Err(InvalidReason::Format));
        // Full-width and spaced, as a Chinese input method types it.
        assert_eq!(division("33010６").unwrap().0, "330106");
        assert_eq!(
            division(" ３３０１０６ ００１ ００１").unwrap().0,
            "330106001001"
        );
    }
}
