//! Conformance Viewer: read, compare and explain Kubernetes conformance results.
//!
//! The library holds everything but the thin `main`:
//!
//! - the data model ([`model`]) and the readers that fill it ([`ingest`]:
//!   JUnit, e2e.log, PRODUCT.yaml, tarballs, name derivation);
//! - the caveat catalog and classifier ([`caveats`]) and the Markdown
//!   sectioning of vendor documents ([`markdown`]);
//! - pure analysis: verdicts and summaries ([`analysis`]), history and
//!   diffs ([`compare`]), the certification pre-check ([`check`]) and
//!   Kubernetes' conformance lists ([`conformance_list`]);
//! - exports: charts, CSV, JSON and the HTML report ([`export`]);
//! - the built-in sample ([`sample`]) and the shortening of release labels
//!   ([`labels`]);
//! - the desktop window ([`app`], behind the default `gui` feature).
//!
//! The synthetic-results generator (`generate`) is behind the `testing`
//! feature, which `cargo test` and `cargo bench` turn on.
//!
//! # Where each fact is decided
//!
//! One function decides each fact; every output renders its answer.
//!
//! | fact | decided by |
//! | --- | --- |
//! | the required set (and where it comes from) | [`analysis::required_set`] |
//! | a non-passing test's explanation | [`analysis::explain_in`] |
//! | the verdict and its reason | [`analysis::assess`] |
//! | the same test in another release (renames) | [`defects::find_across`] |

#![warn(missing_docs)]

pub mod analysis;
#[cfg(feature = "gui")]
pub mod app;
pub mod caveats;
pub mod check;
pub mod compare;
pub mod conformance_index;
pub mod conformance_list;
pub mod defects;
pub mod export;
#[cfg(feature = "testing")]
pub mod generate;
pub mod ingest;
pub mod labels;
pub mod lines;
pub mod markdown;
pub mod model;
pub mod sample;
