//! Every message key the code names is in the catalogue, in both
//! languages: `say` of a missing key would print the key itself (English
//! under zh, or a bare `plan-not-loaded`), so no key may be missing.
//!
//! The sources are read as Rust tokens: the keys are the string literals
//! given to `Msg::new`, to `InputError::new` as its message and label, to
//! `with_help` and to `with_related`.

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
            _ => Vec::new(),
        };
        out.extend(picked.into_iter().flatten().map(|k| (line, k)));
        keys(g.stream(), out);
    }
}

fn named_keys() -> Vec<(String, usize, String)> {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).expect("read src") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    walk(&root.join("src"), &mut paths);
    paths.sort();
    let mut out = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(&p).expect("source");
        let tokens = TokenStream::from_str(&text).expect("Rust tokens");
        let mut found = Vec::new();
        keys(tokens, &mut found);
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
            "built"
        ]
    );
    assert!(!CATALOGUE.iter().any(|(k, _, _)| *k == "the.related"));
}
