//! What the CLI prints. Names, answers and addresses come from people and
//! servers, so every line goes through [`printable`]: a control character
//! or a bidi override is shown as a `\u{…}` escape, never obeyed by the
//! terminal (`ESC [2J` in an answer would otherwise clear the screen).

pub(crate) use palmgov::forms::text::printable;

/// `println!`, with every control character but the newline and the tab
/// escaped.
macro_rules! say {
    () => { println!() };
    ($($arg:tt)*) => {
        println!("{}", $crate::output::printable(&format!($($arg)*), true))
    };
}

/// `eprintln!`, escaped the same way.
macro_rules! tell {
    () => { eprintln!() };
    ($($arg:tt)*) => {
        eprintln!("{}", $crate::output::printable(&format!($($arg)*), true))
    };
}

/// The terminal's UTC offset, from `TZ_OFFSET_MIN` or UTC: a CLI has no
/// reliable way to read the zone (see `drafts::local_date`).
pub(crate) fn local_offset_min() -> i32 {
    std::env::var("TZ_OFFSET_MIN")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}
