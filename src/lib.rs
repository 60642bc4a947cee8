//! Conformance Viewer: read, compare and explain Kubernetes conformance results.
//!
//! The library holds everything but the thin `main`: the data model
//! ([`model`]), the readers ([`ingest`]), the caveat catalog ([`caveats`]),
//! pure analysis ([`analysis`]) and the desktop app ([`app`]).

#![warn(missing_docs)]

pub mod analysis;
#[cfg(feature = "gui")]
pub mod app;
pub mod caveats;
pub mod check;
pub mod compare;
pub mod conformance_list;
pub mod export;
pub mod generate;
pub mod ingest;
pub mod model;
mod namescan;
pub mod sample;
