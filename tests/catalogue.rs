//! Every message key the code names is in the catalogue, in both
//! languages: `say` of a missing key would print the key itself (English
//! under zh, or a bare `plan-not-loaded`), so no key may be missing.
//!
//! The sources are read as Rust tokens: the keys are the string literals
//! given to `Msg::new`, to `InputError::new` as its message and label, to
//! `with_help`, to `with_related`, to `word` and to the desk's
//! `words::named` (`desk.` and the name), and every string literal
//! shaped like a key of one of the catalogue's namespaces (`html.title`,
//! `ledger.file`: a key kept in a table, picked by a match or given to a
//! closure). The desk's pages name their words as `t.name`, which is the
//! catalogue's `desk.name`.

use peitao::report::messages::CATALOGUE;
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use std::collections::BTreeSet;
use std::path::Path;
use std::str::FromStr;

/// A string literal token's text, unquoted (None for other tokens and raw
/// or escaped strings, which keys never are).
fn string(t: &TokenTree) -> Option<String> {
    let TokenTree::Literal(l) = t else {
        return None;
    };
    let s = l.to_string();
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains('\\')).then(|| inner.to_string())
}

/// The arguments of a call's parenthesised group, split at top-level commas.
fn arguments(g: &proc_macro2::Group) -> Vec<Vec<TokenTree>> {
    let mut out = vec![Vec::new()];
    for t in g.stream() {
        match &t {
            TokenTree::Punct(p) if p.as_char() == ',' => out.push(Vec::new()),
            _ => out.last_mut().expect("one").push(t),
        }
    }
    out
}

/// A lone string literal argument.
fn literal(arg: Option<&Vec<TokenTree>>) -> Option<String> {
    match arg.map(Vec::as_slice) {
        Some([t]) => string(t),
        _ => None,
    }
}

/// The message keys named in `tokens`, with their line.
fn keys(tokens: TokenStream, out: &mut Vec<(usize, String)>) {
    let toks: Vec<TokenTree> = tokens.into_iter().collect();
    let ident = |i: usize| match toks.get(i) {
        Some(TokenTree::Ident(id)) => Some(id.to_string()),
        _ => None,
    };
    for (i, t) in toks.iter().enumerate() {
        let TokenTree::Group(g) = t else { continue };
        if g.delimiter() != Delimiter::Parenthesis {
            keys(g.stream(), out);
            continue;
        }
        let line = g.span().start().line;
        let args = arguments(g);
        // `Type::new(…)` is `Type`, `:`, `:`, `new`, (…); `.m(…)` is `.`, `m`, (…).
        let callee = i.checked_sub(1).and_then(ident);
        let owner = i.checked_sub(4).and_then(ident);
        let picked: Vec<Option<String>> = match (owner.as_deref(), callee.as_deref()) {
            (Some("Msg"), Some("new")) => vec![literal(args.first())],
            (Some("InputError"), Some("new")) => vec![literal(args.get(2)), literal(args.get(3))],
            (_, Some("with_help")) => vec![literal(args.first())],
            (_, Some("with_related")) => vec![literal(args.get(1))],
            (_, Some("word")) => vec![literal(args.first())],
            // The desk's `words::named("ledger", …)` is `desk.ledger`.
            (Some("words"), Some("named")) => {
                vec![literal(args.first()).map(|name| format!("desk.{name}"))]
            }
            _ => Vec::new(),
        };
        out.extend(picked.into_iter().flatten().map(|k| (line, k)));
        keys(g.stream(), out);
    }
}

/// Every string literal in `tokens`, with its line.
fn literals(tokens: TokenStream, out: &mut Vec<(usize, String)>) {
    for t in tokens {
        match &t {
            TokenTree::Group(g) => literals(g.stream(), out),
            _ => {
                if let Some(s) = string(&t) {
                    out.push((t.span().start().line, s));
                }
            }
        }
    }
}

/// The files under `src` with the extension `ext`, in order.
fn sources(ext: &str) -> Vec<std::path::PathBuf> {
    fn walk(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).expect("read src") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                walk(&p, ext, out);
            } else if p.extension().is_some_and(|x| x == ext) {
                out.push(p);
            }
        }
    }
    let mut paths = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        ext,
        &mut paths,
    );
    paths.sort();
    paths
}

/// The keys named in the sources, as [`keys`] or [`literals`] finds them.
fn found_in_sources(
    find: impl Fn(TokenStream, &mut Vec<(usize, String)>),
) -> Vec<(String, usize, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for p in sources("rs") {
        let text = std::fs::read_to_string(&p).expect("source");
        let tokens = TokenStream::from_str(&text).expect("Rust tokens");
        let mut found = Vec::new();
        find(tokens, &mut found);
        let rel = p
            .strip_prefix(root)
            .expect("under the crate")
            .display()
            .to_string();
        out.extend(
            found
                .into_iter()
                .map(|(line, key)| (rel.clone(), line, key)),
        );
    }
    out
}

fn named_keys() -> Vec<(String, usize, String)> {
    found_in_sources(keys)
}

fn is_key(key: &str) -> bool {
    CATALOGUE.iter().any(|(k, _, _)| *k == key)
}

/// A string literal that reads as a key of one of the catalogue's
/// namespaces (`html.`, `ledger.`, `desk.` …) is a key: it must be in the
/// catalogue, however the code hands it to the lookup. A file name
/// (`ledger.csv`) is not a key.
#[test]
fn every_literal_in_a_namespace_of_the_catalogue_is_a_key() {
    let namespaces: BTreeSet<&str> = CATALOGUE
        .iter()
        .filter_map(|(k, _, _)| k.split_once('.').map(|(ns, _)| ns))
        .collect();
    assert!(namespaces.contains("html") && namespaces.contains("desk"));
    let shaped = |s: &str| {
        let mut parts = s.split('.');
        let first = parts.next().unwrap_or_default();
        let word = |p: &str| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        };
        s.contains('.') && word(first) && s.split('.').all(word) && namespaces.contains(first)
    };
    let file_name = |s: &str| {
        let ext = s.rsplit('.').next().unwrap_or_default();
        [
            "toml", "html", "csv", "yaml", "yml", "json", "md", "rs", "xlsx", "sqlite3", "txt",
            "rhai", "sarif", "xml", "pipe",
        ]
        .contains(&ext)
    };
    let literal_keys = found_in_sources(literals);
    let named = literal_keys
        .iter()
        .filter(|(_, _, s)| shaped(s) && !file_name(s))
        .count();
    assert!(named > 100, "found only {named} keys among the literals");
    let missing: Vec<String> = literal_keys
        .iter()
        .filter(|(_, _, s)| shaped(s) && !file_name(s) && !is_key(s))
        .map(|(file, line, key)| format!("{file}:{line}: `{key}`"))
        .collect();
    assert!(
        missing.is_empty(),
        "keys not in the catalogue:\n{}",
        missing.join("\n")
    );
}

/// Every word a desk page names (`t.name`, `t['prefix_' ~ …]`) is in the
/// catalogue as `desk.name`.
#[test]
fn every_word_of_the_desk_pages_is_in_the_catalogue() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/desk/templates");
    let mut missing = Vec::new();
    let mut named = 0;
    for e in std::fs::read_dir(&dir).expect("templates") {
        let p = e.expect("entry").path();
        let text = std::fs::read_to_string(&p).expect("template");
        let name = p.file_name().expect("a file").to_string_lossy().to_string();
        for (i, _) in text.match_indices("t.") {
            let before = text[..i].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                continue;
            }
            let word: String = text[i + 2..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if word.is_empty() {
                continue;
            }
            named += 1;
            if !is_key(&format!("desk.{word}")) {
                missing.push(format!("{name}: t.{word}"));
            }
        }
        // `t['st_' ~ f.status]`: some word of the catalogue starts so.
        for (i, _) in text.match_indices("t['") {
            let prefix: String = text[i + 3..].chars().take_while(|c| *c != '\'').collect();
            let key = format!("desk.{prefix}");
            if !CATALOGUE.iter().any(|(k, _, _)| k.starts_with(&key)) {
                missing.push(format!("{name}: t['{prefix}'"));
            }
        }
    }
    assert!(named > 50, "found only {named} words in the desk's pages");
    assert!(
        missing.is_empty(),
        "desk words not in the catalogue: {missing:?}"
    );
}

/// Every key of the catalogue has words in both languages.
#[test]
fn every_key_has_both_languages() {
    let empty: Vec<&str> = CATALOGUE
        .iter()
        .filter(|(_, en, zh)| en.trim().is_empty() || zh.trim().is_empty())
        .map(|(k, _, _)| *k)
        .collect();
    assert!(
        empty.is_empty(),
        "keys without words in a language: {empty:?}"
    );
}

#[test]
fn every_key_the_code_names_is_in_the_catalogue_in_both_languages() {
    let named = named_keys();
    assert!(named.len() > 200, "found only {} keys", named.len());
    let missing: Vec<String> = named
        .iter()
        .filter(|(_, _, key)| {
            !CATALOGUE
                .iter()
                .any(|(k, en, zh)| k == key && !en.is_empty() && !zh.is_empty())
        })
        .map(|(file, line, key)| format!("{file}:{line}: `{key}`"))
        .collect();
    assert!(
        missing.is_empty(),
        "keys not in the catalogue:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_catalogue_has_each_key_once() {
    let mut seen = BTreeSet::new();
    for (key, _, _) in CATALOGUE {
        assert!(seen.insert(*key), "`{key}` twice in the catalogue");
    }
}

/// The scan finds each form of naming a key, and a key the catalogue lacks.
#[test]
fn the_scan_finds_every_form() {
    let text = r#"
        fn f() {
            let m = Msg::new("a.key").arg("x", 1);
            let e = InputError::new(InputCode::BadDate, span, "the.message", "the.label")
                .with_help("the.help")
                .with_related(other, "the.related");
            let n = InputError::new(code, span, Msg::new("built").arg("y", 2), label);
            let w = word("a.word", lang);
            let d = words::named("ledger", lang);
            let not_a_key = format!("{}", "words");
        }
    "#;
    let mut found = Vec::new();
    keys(TokenStream::from_str(text).unwrap(), &mut found);
    let found: Vec<&str> = found.iter().map(|(_, k)| k.as_str()).collect();
    assert_eq!(
        found,
        [
            "a.key",
            "the.message",
            "the.label",
            "the.help",
            "the.related",
            "built",
            "a.word",
            "desk.ledger"
        ]
    );
    assert!(!CATALOGUE.iter().any(|(k, _, _)| *k == "the.related"));
}
