//! One way down through the modules. Each top-level module of `src/` has a
//! rank; code may name a module of a lower rank, never one of its own rank
//! or above (an "upward" reference), so the crate has no import cycle and
//! every stage can be read knowing only the stages below it:
//!
//! ```text
//! base → input → plan → engine → review → check → config
//!      → fixture, corpus → report → answers, lsp, desk (and main.rs, the CLI)
//! ```
//!
//! `review` sits below `check`: the marks a baseline and the waivers give
//! (`review::FileReview`) travel in each file's result. The order is also
//! written in `src/lib.rs`. And rhai, the rule scripts' language, is named
//! only in `src/engine/**`.
//!
//! The sources are read as Rust tokens (comments and doc text are not
//! code), `use` trees and paths inside macro calls included; `super::`
//! is resolved through files and inline modules.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The top-level modules of the library, lowest first; modules of one
/// rank may not name each other.
const RANKS: &[&[&str]] = &[
    &["base"],
    &["input"],
    &["plan"],
    &["engine"],
    &["review"],
    &["check"],
    &["config"],
    &["fixture", "corpus"],
    &["report"],
    &["answers", "lsp", "desk"],
];

/// Where rhai may be named.
const RHAI_HOME: &str = "engine";

fn rank(module: &str) -> Option<usize> {
    RANKS.iter().position(|r| r.contains(&module))
}

/// The module path of a source file: `src/report/sarif.rs` is
/// `[report, sarif]`, `src/input/mod.rs` is `[input]`, `src/check.rs` is
/// `[check]`.
fn module_path(rel: &str) -> Vec<String> {
    let rel = rel.strip_prefix("src/").unwrap_or(rel);
    let rel = rel.strip_suffix(".rs").unwrap_or(rel);
    let mut parts: Vec<String> = rel.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The top-level modules a token stream names, with `here` the module the
/// tokens are in. Follows `crate::x`, `super::…::x` and `use crate::{x, …}`.
fn references(tokens: TokenStream, here: &[String], out: &mut Vec<(usize, String)>) {
    let toks: Vec<TokenTree> = tokens.into_iter().collect();
    let is_ident =
        |t: Option<&TokenTree>, s: &str| matches!(t, Some(TokenTree::Ident(i)) if i == s);
    // `::` is two `:` puncts.
    let is_colons = |i: usize| {
        matches!(toks.get(i), Some(TokenTree::Punct(p)) if p.as_char() == ':')
            && matches!(toks.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':')
    };
    let mut i = 0;
    while i < toks.len() {
        // An inline module: `mod name { … }` resolves `super` one deeper.
        if is_ident(toks.get(i), "mod") {
            if let (Some(TokenTree::Ident(name)), Some(TokenTree::Group(g))) =
                (toks.get(i + 1), toks.get(i + 2))
            {
                if g.delimiter() == Delimiter::Brace {
                    let mut inner = here.to_vec();
                    inner.push(name.to_string());
                    references(g.stream(), &inner, out);
                    i += 3;
                    continue;
                }
            }
        }
        // The start of a path: `crate::` or a chain of `super::`. (A
        // `super` right after `::` is inside a path already.)
        let after_colons = i >= 2 && is_colons(i - 2);
        let start = match toks.get(i) {
            Some(TokenTree::Ident(id)) if !after_colons && (id == "crate" || id == "super") => {
                Some(id.span().start().line)
            }
            _ => None,
        };
        if let Some(line) = start {
            let mut base: Vec<String> = if is_ident(toks.get(i), "crate") {
                i += 1;
                Vec::new()
            } else {
                let mut b = here.to_vec();
                while is_ident(toks.get(i), "super") {
                    b.pop();
                    i += 1;
                    if is_colons(i) && is_ident(toks.get(i + 2), "super") {
                        i += 2;
                    }
                }
                b
            };
            if is_colons(i) {
                i += 2;
                match toks.get(i) {
                    Some(TokenTree::Ident(name)) if base.is_empty() => {
                        out.push((line, name.to_string()));
                    }
                    Some(TokenTree::Ident(name)) => {
                        base.push(name.to_string());
                    }
                    // `use crate::{a, b::c}`: the first name of each part.
                    Some(TokenTree::Group(g))
                        if base.is_empty() && g.delimiter() == Delimiter::Brace =>
                    {
                        let mut first = true;
                        for t in g.stream() {
                            match &t {
                                TokenTree::Ident(name) if first => {
                                    out.push((line, name.to_string()));
                                    first = false;
                                }
                                TokenTree::Punct(p) if p.as_char() == ',' => first = true,
                                _ => first = false,
                            }
                        }
                    }
                    _ => {}
                }
            }
            continue;
        }
        if let Some(TokenTree::Group(g)) = toks.get(i) {
            references(g.stream(), here, out);
        }
        i += 1;
    }
}

/// Does a token stream name `rhai` (as code: comments are not tokens)?
fn names_rhai(tokens: TokenStream) -> Option<usize> {
    tokens.into_iter().find_map(|t| match t {
        TokenTree::Ident(i) if i == "rhai" => Some(i.span().start().line),
        TokenTree::Group(g) => names_rhai(g.stream()),
        _ => None,
    })
}

/// Every breach of the layering in `files` (`(path under the crate, text)`).
fn breaches(files: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (rel, text) in files {
        let here = module_path(rel);
        let tokens = match TokenStream::from_str(text) {
            Ok(t) => t,
            Err(e) => {
                out.push(format!("{rel}: not Rust tokens: {e}"));
                continue;
            }
        };
        let top = here.first().cloned().unwrap_or_default();
        let Some(mine) = rank(&top) else {
            out.push(format!(
                "{rel}: module `{top}` has no place in the layering (add it to RANKS here and in src/lib.rs)"
            ));
            continue;
        };
        if top != RHAI_HOME {
            if let Some(line) = names_rhai(tokens.clone()) {
                out.push(format!("{rel}:{line}: names rhai outside src/{RHAI_HOME}/"));
            }
        }
        let mut refs = Vec::new();
        references(tokens, &here, &mut refs);
        for (line, to) in refs {
            if to == top {
                continue;
            }
            match rank(&to) {
                Some(theirs) if theirs < mine => {}
                Some(_) => out.push(format!(
                    "{rel}:{line}: `{top}` names `{to}`, which is not below it"
                )),
                // Not a module: `crate::Foo` of something lib.rs declares.
                None => {}
            }
        }
    }
    out
}

fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
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
    paths
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(root)
                .expect("under the crate")
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&p).expect("read source");
            (rel, text)
        })
        // The crate root and the binary sit above every module.
        .filter(|(rel, _)| rel != "src/lib.rs" && rel != "src/main.rs")
        .collect()
}

#[test]
fn no_module_names_one_above_it() {
    let files = sources();
    assert!(files.len() > 50, "read {} files", files.len());
    let found = breaches(&files);
    assert!(found.is_empty(), "upward references:\n{}", found.join("\n"));
}

#[test]
fn every_module_of_lib_rs_is_ranked_and_documented() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs"))
        .expect("lib.rs");
    for line in lib.lines() {
        let Some(name) = line
            .strip_prefix("pub mod ")
            .or_else(|| line.strip_prefix("mod "))
            .and_then(|l| l.strip_suffix(';'))
        else {
            continue;
        };
        assert!(
            rank(name).is_some(),
            "src/lib.rs declares `{name}`, which RANKS leaves out"
        );
        assert!(
            lib.contains(&format!("[`{name}`]")),
            "src/lib.rs's order does not mention [`{name}`]"
        );
    }
}

fn one(path: &str, text: &str) -> Vec<String> {
    breaches(&[(path.to_string(), text.to_string())])
}

/// The test catches what it is for: a planted upward `use` in each of its
/// forms, and nothing in code that only looks down.
#[test]
fn a_planted_upward_reference_is_caught() {
    // Downward, sideways within a module, and words in comments: fine.
    assert_eq!(
        one(
            "src/check.rs",
            "use crate::engine::{self, Checked};\nuse crate::{input, plan::Lang};\n// crate::report::Summary\n/// [`crate::report`]\nmod summary;\nfn f() { super::base::x(); }"
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        one("src/report/sarif.rs", "use super::human::sanitize;"),
        Vec::<String>::new()
    );
    // Each form of an upward path.
    for (path, text) in [
        ("src/input/mod.rs", "use crate::report::human::sanitize;"),
        ("src/input/mod.rs", "use crate::{base::Lang, engine::Num};"),
        (
            "src/plan/load.rs",
            "fn f() { let s = crate::check::display_path(p); }",
        ),
        (
            "src/plan/load.rs",
            "fn f() { format!(\"{}\", crate::check::display_path(p)); }",
        ),
        (
            "src/plan/load.rs",
            "fn f() { super::super::check::display_path(p); }",
        ),
        (
            "src/engine/host.rs",
            "mod tests { fn f() { super::super::super::report::x(); } }",
        ),
        ("src/check.rs", "fn f() { super::config::visible(id); }"),
        ("src/fixture.rs", "use crate::corpus::Case;"),
        ("src/base/text.rs", "use crate::input::Span;"),
    ] {
        let found = one(path, text);
        assert_eq!(found.len(), 1, "{path}: {text}: {found:?}");
        assert!(found[0].contains("which is not below it"), "{found:?}");
    }
    // A module the order does not place.
    assert!(one("src/newstage.rs", "fn f() {}")[0].contains("no place in the layering"));
}

#[test]
fn rhai_is_named_only_in_the_engine() {
    assert!(one("src/engine/num.rs", "use rhai::Dynamic;").is_empty());
    // In comments it is a word, not a dependency.
    assert!(one(
        "src/report/human.rs",
        "// rhai's errors\n/// a rhai script\nfn f() {}"
    )
    .is_empty());
    for text in [
        "use rhai::Dynamic;",
        "fn f(v: &rhai::Dynamic) {}",
        "fn f() { g::<rhai::INT>(); }",
    ] {
        let found = one("src/report/human.rs", text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        assert!(found[0].contains("names rhai outside"), "{found:?}");
    }
}
