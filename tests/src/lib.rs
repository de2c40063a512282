//! Cross-crate and system tests live in `tests/tests/`. This library holds
//! what they share.
