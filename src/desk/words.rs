//! The desk's words: the pages' part of the catalogue
//! ([`crate::base::text`]), its keys `desk.name`. A page template says
//! `t.name`; tests/catalogue.rs checks every `t.name` of the pages is a key.

use crate::base::text::{lookup, CATALOGUE};
use crate::plan::Lang;
use std::collections::BTreeMap;

/// Every word of the desk in one language, by its name without `desk.`,
/// for a template's `t`.
pub fn table(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    CATALOGUE
        .iter()
        .filter_map(|&(k, en, zh)| Some((k.strip_prefix("desk.")?, lang.pick(zh, en))))
        .collect()
}

/// One word, by its name without `desk.` (a status, a decision: names
/// the desk's values give); empty for a name the desk has no word for.
pub fn named(name: &str, lang: Lang) -> &'static str {
    lookup(&format!("desk.{name}")).map_or("", |(en, zh)| lang.pick(zh, en))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_desk_words_are_the_catalogues() {
        assert_eq!(named("approve", Lang::Zh), "通过");
        assert_eq!(named("approve", Lang::En), "Approve");
        assert_eq!(table(Lang::En).get("approve"), Some(&"Approve"));
        assert!(table(Lang::Zh).len() > 100);
        assert_eq!(named("no such word", Lang::En), "");
    }
}
