//! Forms: the validators every field type shares. The forms engine
//! (definitions, expressions, drafts) builds on these.

pub(crate) mod divisions;
pub mod validators;
