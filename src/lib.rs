//! peitao (配套): checks planning submissions against the rules of Chinese
//! 一老一小 (elderly care and childcare) plans.
//!
//! Stages, in order: [`input`] reads a YAML submission with spans,
//! [`plan`] holds the rule packs, [`engine`] runs their rhai scripts, and
//! [`report`] renders the findings.

// No library code prints: a closed pipe would make `eprint!` panic.
#![deny(clippy::print_stderr, clippy::print_stdout)]

#[doc(hidden)]
pub mod answers;
pub mod check;
pub mod config;
#[doc(hidden)]
pub mod corpus;
pub mod desk;
pub mod engine;
pub mod fixture;
pub mod input;
pub mod lsp;
pub mod plan;
pub mod report;
pub mod review;
