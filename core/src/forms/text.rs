//! Text as people type it on a phone, made safe to store and to show.
//!
//! - Chinese input methods often produce full-width digits and letters
//!   (`１３８`, `ＡＢ`) and the ideographic space; identifiers are folded to
//!   ASCII before they are checked ([`fold_width`], [`compact`]).
//! - A free-text answer may arrive with terminal escape sequences, other
//!   C0/C1 controls or bidi overrides pasted from elsewhere. Stored as is,
//!   they clear a terminal (`ESC [2J`) or reorder what a reviewer reads
//!   (U+202E turns `0.02` into `20.0`). [`clean`] drops them and keeps the
//!   marks that Uyghur and other scripts need: ZWJ, ZWNJ, the Arabic
//!   letter mark and the directional marks.
//! - Whatever reaches a terminal goes through [`printable`], so text stored
//!   before these rules, or sent by a server, is shown escaped, never raw.

use std::borrow::Cow;

/// Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069):
/// they change how the text around them is ordered. The marks (LRM U+200E,
/// RLM U+200F, ALM U+061C) only state a direction and stay.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A character that must never be stored in an answer or printed raw: a
/// C0 or C1 control (including DEL) or a bidi control.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// A full-width ASCII form (U+FF01–U+FF5E) as its ASCII character, the
/// ideographic space as a space; anything else unchanged.
pub(crate) fn narrow(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// `s` with full-width ASCII forms folded to ASCII.
pub(crate) fn fold_width(s: &str) -> Cow<'_, str> {
    if s.chars().all(|c| narrow(c) == c) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().map(narrow).collect())
    }
}

/// An identifier as typed, folded to ASCII and upper-cased, with every
/// space (ASCII, no-break, ideographic) removed: what the ID number, credit
/// code and division checks see.
pub(crate) fn compact(s: &str) -> String {
    s.chars()
        .map(narrow)
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A free-text answer made safe to store: line breaks become `\n` (CR LF,
/// CR and the Unicode line and paragraph separators), a tab becomes a
/// space, and every other control and every bidi control is dropped.
pub(crate) fn clean(s: &str) -> Cow<'_, str> {
    let needs = |c: char| is_unsafe(c) && c != '\n' || matches!(c, '\u{2028}' | '\u{2029}');
    if !s.chars().any(needs) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\n' | '\u{2028}' | '\u{2029}' => out.push('\n'),
            '\t' => out.push(' '),
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `s` for a terminal: every control and bidi control written as a
/// `\u{…}` escape, except the newline and the tab when `layout` (a
/// program's own line and column breaks).
pub fn printable(s: &str, layout: bool) -> Cow<'_, str> {
    let shown = |c: char| !is_unsafe(c) || (layout && matches!(c, '\n' | '\t'));
    if s.chars().all(shown) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if shown(c) {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_input_folds_to_ascii() {
        assert_eq!(fold_width("１３８０　ＡＢｃ－"), "1380 ABc-");
        assert!(matches!(fold_width("王秀英 138"), Cow::Borrowed(_)));
        assert_eq!(
            compact(" ３３０１０６ １９９０\u{a0}０１０１ｘ "),
            "33010619900101X"
        );
    }

    #[test]
    fn answers_lose_controls_and_overrides_but_keep_script_marks() {
        // A terminal escape: ESC goes, the harmless rest stays as text.
        assert_eq!(clean("王秀英\u{1b}[2J"), "王秀英[2J");
        assert_eq!(clean("a\u{7}b\u{0}c\u{7f}d\u{85}e\u{9b}f"), "abcdef");
        // Line breaks of every origin become one newline; a tab a space.
        assert_eq!(
            clean("一\r\n二\r三\u{2028}四\n五\t六"),
            "一\n二\n三\n四\n五 六"
        );
        // Overrides and isolates go (U+202E would show 0.02 as 20.0).
        assert_eq!(
            clean("金额\u{202E}20.0\u{202C}元\u{2066}x\u{2069}"),
            "金额20.0元x"
        );
        // ZWJ, ZWNJ, ALM, LRM and RLM are part of how scripts are written.
        let uyghur = "ئا\u{200C}ب\u{200D}ت\u{061C}1\u{200F}2\u{200E}";
        assert_eq!(clean(uyghur), uyghur);
        assert!(matches!(clean("普通文本\n第二行"), Cow::Borrowed(_)));
    }

    #[test]
    fn printing_escapes_what_a_terminal_would_obey() {
        assert_eq!(printable("x\u{1b}[2Jy", false), "x\\u{1b}[2Jy");
        assert_eq!(printable("a\nb", false), "a\\u{a}b");
        assert_eq!(printable("a\nb\tc", true), "a\nb\tc");
        assert_eq!(printable("a\tb", false), "a\\u{9}b");
        assert_eq!(printable("\u{202e}abc", true), "\\u{202e}abc");
        assert_eq!(printable("ئۇيغۇر\u{200C}", false), "ئۇيغۇر\u{200C}");
    }
}
