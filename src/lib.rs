//! peitao (配套): checks planning submissions against the rules of Chinese
//! 一老一小 (elderly care and childcare) plans.
//!
//! A rule is one clause of a plan, stated either by its figures over a
//! typed template (built in, in Rust, or written in rhai inside the pack
//! with its parameters declared in `pack.yaml`) or as a rhai script of its
//! own; both run in the engine's sandbox.
//!
//! Stages, in order: [`input`] reads a submission (YAML or a workbook)
//! with spans, [`plan`] holds the rule packs, [`engine`] judges their
//! rules, [`check`] runs a batch of files through them, and [`report`]
//! renders the findings.
//!
//! The modules form one way down; each names only modules below it
//! (`tests/layering.rs` fails on any reference upward or sideways):
//!
//! 1. [`base`] — the reader's language, the message catalogue, how paths and
//!    outside text are shown, exact numbers;
//! 2. [`input`] — the submission, read and validated;
//! 3. [`plan`] — rule packs and which apply to a submission;
//! 4. [`engine`] — judging rules (the only module that names rhai);
//! 5. [`review`] — waivers and baselines, the marks a finding carries;
//! 6. [`check`] — one file or a batch through the plans, and its counts;
//! 7. [`config`] — `peitao.toml`;
//! 8. [`fixture`], [`corpus`] — a pack's own cases, the benchmark corpus;
//! 9. [`report`] — every output format, and the words of every message;
//! 10. [`answers`], [`lsp`], [`desk`] (and the command line in
//!     `main.rs`): the programs built on all of it.

// No library code prints: a closed pipe would make `eprint!` panic.
#![deny(clippy::print_stderr, clippy::print_stdout)]

#[doc(hidden)]
pub mod answers;
pub mod base;
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
