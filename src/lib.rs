//! Conformance Viewer: read, compare and explain Kubernetes conformance results.
//!
//! The library holds everything but the thin `main`: the data model
//! ([`model`]), the readers ([`ingest`]), the caveat catalog ([`caveats`])
//! and the Markdown sectioning of caveat documents ([`markdown`]), pure
//! analysis ([`analysis`]) and the desktop app ([`app`], behind the
//! default `gui` feature). The synthetic-results generator (`generate`) is
//! behind the `testing` feature, which `cargo test` and `cargo bench` turn
//! on.

#![warn(missing_docs)]

pub mod analysis;
#[cfg(feature = "gui")]
pub mod app;
pub mod caveats;
pub mod check;
pub mod compare;
pub mod conformance_list;
pub mod export;
#[cfg(feature = "testing")]
pub mod generate;
pub mod ingest;
pub mod markdown;
pub mod model;
pub mod sample;
