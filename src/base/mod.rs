//! The bottom of the crate: what every stage may name without reaching up
//! to a later one. The reader's language and bilingual texts ([`lang`]),
//! the message catalogue and typed messages ([`text`]), how paths and
//! outside text are shown ([`shown`], [`uri`]), exact numbers ([`num`]) and
//! the version of the JSON report ([`FORMAT_VERSION`], which a baseline
//! reads back). Nothing here names another module of the crate.

pub mod code;
pub mod lang;
pub mod num;
pub mod shown;
pub mod text;
pub mod uri;

pub use lang::{Lang, Text};
pub use text::{Arg, Msg};

/// Bumped when a field changes meaning or goes away (never for additions).
pub const FORMAT_VERSION: u32 = 1;
