//! Photo and signature attachments ([`attachments`]) over the image
//! pipeline of the `palmgov-media` crate.
//!
//! The pipeline lives in its own crate for one reason: speed. Its hot loops
//! are generic code of the codec and resizer crates, which Rust compiles in
//! the crate that instantiates them. Inside the core they were built at the
//! core's size-first opt-level (`"z"` when measured, `"s"` now), and a
//! photo ingest took 1.5× as long; `palmgov-media` is built at opt-level 3
//! (see `Cargo.toml`).
//!
//! This capability owns the `attachments` table, the capture directory and
//! the sealed `att-` files. It knows attachments by the draft id they
//! belong to and nothing else of drafts: the drafts capability, above it,
//! decides which field may hold a photo and sets the answer.

pub mod attachments;

pub(crate) use attachments::MediaService;
