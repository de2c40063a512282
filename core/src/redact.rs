//! Redacted printing for records that carry personal data.
//!
//! `#[derive(Debug)]` on a household or a draft's subject would print names
//! and ID numbers into any log line, panic message or crash report that
//! formats it with `{:?}`; the generated Kotlin `toString()` and Swift
//! `description` would do the same on the shells' side. [`redacted!`]
//! writes a `Debug` that shows only the named fields (ids, states, counts)
//! and a `Display` that says the same, and records export both with
//! `#[uniffi::export(Debug, Display)]` so the shells print the redacted
//! text too.

/// `redacted!(Type { shown, fields })`: `Debug` and `Display` for `Type`
/// that print only the listed fields, then `..`.
macro_rules! redacted {
    ($ty:ident { $($field:ident),* $(,)? }) => {
        impl ::std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($ty))
                    $(.field(stringify!($field), &self.$field))*
                    .finish_non_exhaustive()
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(self, f)
            }
        }
    };
}

pub(crate) use redacted;
