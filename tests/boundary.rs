//! The trust boundary (issue 20): the office decides the rules, the
//! settings, the waivers, the identity of a filing and the date it is judged
//! on; the applicant decides only the facts inside their submission. Each
//! module reproduces what a hostile applicant tried, on a temporary tree,
//! and asserts the safe outcome.

mod common;

/// The editor side of the language server, for config.rs and output.rs.
#[path = "common/lsp_client.rs"]
mod lsp_client;

/// A `peitao.toml` planted in the checked tree; links out of the tree; a
/// pack replacing a built-in plan.
#[path = "boundary/config.rs"]
mod config;

/// Identity is not self-declared (waivers, baselines, duplicate ids);
/// the date a filing is judged on.
#[path = "boundary/identity.rs"]
mod identity;

/// Output injection (CSV, SARIF, invisible text) and the crashes left.
#[path = "boundary/output.rs"]
mod output;

/// Budgets in total (load, rules, tables, config and baseline sizes);
/// template parameters of the wrong type.
#[path = "boundary/budgets.rs"]
mod budgets;
