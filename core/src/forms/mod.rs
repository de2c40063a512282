//! The forms engine: definitions ([`definition`]) of fields ([`field`]),
//! CEL expressions ([`expr`]), typed answers ([`answer`]), evaluation
//! ([`engine`]), the validators every field type shares ([`validators`])
//! and the rules for text people type ([`text`]).

pub(crate) mod answer;
pub(crate) mod definition;
pub(crate) mod divisions;
pub(crate) mod engine;
pub(crate) mod expr;
pub(crate) mod field;
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod licence_types;
pub(crate) mod material;
pub(crate) mod prefill;
pub mod submission;
pub mod text;
pub mod validators;
