//! Base45 (RFC 9285): two bytes as three characters of the 45 a QR code's
//! alphanumeric mode holds (5.5 bits a character against byte mode's 8),
//! a last odd byte as two.
//!
//! Written here rather than taken from the `base45` crate (3.2): that
//! decoder takes a final pair above 255 modulo 256 (`::` reads as `0xe8`),
//! so several strings decode to the same bytes, and it uses
//! `slice::as_chunks`, stable only since Rust 1.88. This one refuses every
//! string that is not the encoding of some bytes: a character off the
//! alphabet, a length of 1 modulo 3, a triple above 65535 or a pair above
//! 255.

const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// The Base45 string of `bytes`.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(2) * 3);
    for chunk in bytes.chunks(2) {
        let (mut n, digits) = match *chunk {
            [a, b] => (u32::from(a) << 8 | u32::from(b), 3),
            [a] => (u32::from(a), 2),
            _ => continue,
        };
        for _ in 0..digits {
            // `n % 45` is below 45: always in the alphabet.
            out.push(char::from(ALPHABET[(n % 45) as usize]));
            n /= 45;
        }
    }
    out
}

/// The bytes `text` encodes; `None` unless it is exactly the encoding of
/// some bytes.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let text = text.as_bytes();
    if text.len() % 3 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() / 3 * 2 + 1);
    for chunk in text.chunks(3) {
        let mut n = 0u32;
        for &c in chunk.iter().rev() {
            n = n * 45 + value(c)?;
        }
        if chunk.len() == 3 {
            out.extend_from_slice(&u16::try_from(n).ok()?.to_be_bytes());
        } else {
            out.push(u8::try_from(n).ok()?);
        }
    }
    Some(out)
}

/// A character's value, `None` off the alphabet.
fn value(c: u8) -> Option<u32> {
    let at = ALPHABET.iter().position(|&a| a == c)?;
    u32::try_from(at).ok()
}

/// Whether every character of `text` is one a QR code's alphanumeric mode
/// holds (the Base45 alphabet is exactly that set).
pub fn is_qr_alphanumeric(text: &str) -> bool {
    text.bytes().all(|c| ALPHABET.contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_9285_examples() {
        for (bytes, text) in [
            (&b"AB"[..], "BB8"),
            (b"Hello!!", "%69 VD92EX0"),
            (b"base-45", "UJCLQE7W581"),
            (b"ietf!", "QED8WEX0"),
            (b"", ""),
            (&[0xff, 0xff], "FGW"),
            (&[0xff], "U5"),
            (&[0], "00"),
        ] {
            assert_eq!(encode(bytes), text);
            assert_eq!(decode(text).as_deref(), Some(bytes), "{text}");
        }
    }

    #[test]
    fn only_encodings_decode() {
        // A triple above 65535 ("GGW" is 16 + 16·45 + 32·2025 = 65536), a
        // pair above 255 (":6" is 44 + 6·45 = 314), a lone character, a
        // character off the alphabet (lower case among them).
        for text in [
            "GGW", ":::", ":6", "::", "A", "BB8A", "bb8", "BB=", "BB8\n", "中文",
        ] {
            assert_eq!(decode(text), None, "{text:?}");
        }
        for n in 0..=u16::MAX {
            let bytes = n.to_be_bytes();
            assert_eq!(decode(&encode(&bytes)).as_deref(), Some(&bytes[..]));
        }
        for b in 0..=u8::MAX {
            assert_eq!(decode(&encode(&[b])), Some(vec![b]));
        }
        assert!(is_qr_alphanumeric("PG1:%69 VD92EX0"));
        assert!(!is_qr_alphanumeric("pg1:"));
    }
}
