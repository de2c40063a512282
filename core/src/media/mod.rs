//! Photo attachments of drafts ([`attachments`]) over the image pipeline
//! of the `palmgov-media` crate.
//!
//! The pipeline lives in its own crate for one reason: speed. Its hot loops
//! are generic code of the codec and resizer crates, which Rust compiles in
//! the crate that instantiates them. Inside the core they were built at the
//! core's size-first opt-level (`"z"` when measured, `"s"` now), and a
//! photo ingest took 1.5× as long; `palmgov-media` is built at opt-level 3
//! (see `Cargo.toml`).

pub mod attachments;

pub(crate) use palmgov_media::{MediaError, Wiped, reencode_jpeg};
