//! `--lang zh` speaks Chinese everywhere: every message of the catalogue
//! and every command's output is scanned for English sentences. Ids, field
//! names, paths, units and `quoted` text may stay as they are; three or
//! more English words in a row may not.

mod common;

use common::{peitao, tempdir};
use peitao::plan::Lang;
use peitao::report::messages::{say, CATALOGUE};

/// The field names and values of the submission format (from `peitao
/// schema`): names, not English, wherever they appear.
fn format_words() -> &'static std::collections::HashSet<String> {
    static WORDS: std::sync::OnceLock<std::collections::HashSet<String>> =
        std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        fn walk(v: &serde_json::Value, out: &mut std::collections::HashSet<String>) {
            match v {
                serde_json::Value::Object(m) => {
                    for (k, v) in m {
                        if k == "properties" {
                            if let Some(p) = v.as_object() {
                                out.extend(p.keys().cloned());
                            }
                        }
                        if k == "enum" {
                            if let Some(e) = v.as_array() {
                                out.extend(e.iter().filter_map(|e| e.as_str().map(str::to_string)));
                            }
                        }
                        walk(v, out);
                    }
                }
                serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
                _ => {}
            }
        }
        let (schema, _, _) = peitao(&["schema"]);
        let mut out = std::collections::HashSet::new();
        walk(&serde_json::from_str(&schema).unwrap(), &mut out);
        assert!(out.contains("floor_area") && out.contains("childcare"));
        out
    })
}

/// The first run of three or more English words in `line`, outside
/// backticks. An id, a path, a field name or value of the format (anything
/// with `.`, `-`, `_`, `/`, `:` inside, or digits, or a word of the format)
/// is not a word and breaks a run.
fn english_sentence(line: &str) -> Option<String> {
    let mut outside = String::new();
    for (i, part) in line.split('`').enumerate() {
        if i % 2 == 0 {
            outside.push_str(part);
        }
        outside.push(' ');
    }
    let mut run: Vec<&str> = Vec::new();
    for token in outside.split(|c: char| c.is_whitespace() || !c.is_ascii()) {
        let word = token.trim_matches(|c: char| ",;:?!()\"“”'".contains(c));
        if !word.is_empty()
            && word.chars().all(|c| c.is_ascii_alphabetic())
            && !format_words().contains(word)
        {
            run.push(word);
            if run.len() >= 3 {
                return Some(run.join(" "));
            }
        } else if !token.is_empty() {
            run.clear();
        }
    }
    None
}

/// Every line of `text` that holds an English sentence, except the lines
/// of a submission miette quotes (`12 │ …`): those are the applicant's.
fn english_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| {
            let t = l.trim_start();
            let quoted_source = t.split_once('│').is_some_and(|(n, _)| {
                !n.trim().is_empty() && n.trim().chars().all(|c| c.is_ascii_digit())
            });
            !quoted_source
        })
        .filter_map(|l| english_sentence(l).map(|s| format!("{s:?} in: {l}")))
        .collect()
}

#[test]
fn the_scan_catches_english_and_lets_ids_pass() {
    assert!(english_sentence("the file holds no submission").is_some());
    assert!(english_sentence("应为整数, 实际是 a string value").is_some());
    assert_eq!(
        english_sentence("`facilities[0]` 中有未知的键 `floor_aera`"),
        None
    );
    assert_eq!(
        english_sentence("shiyan.elderly-space-new error 养老服务用房"),
        None
    );
    assert_eq!(
        english_sentence("共 1 个文件: examples/shiyan-violating.yaml m² km"),
        None
    );
    assert_eq!(
        english_sentence("YAML 语法错误 (解析器原文: `did not find expected key`)"),
        None
    );
}

#[test]
fn every_message_of_the_catalogue_is_chinese_under_zh() {
    let mut keys = std::collections::HashSet::new();
    for (key, en, zh) in CATALOGUE {
        assert!(
            keys.insert(key),
            "message key `{key}` is twice in the catalogue"
        );
        // The same placeholders in both languages.
        let names = |t: &str| {
            let mut n: Vec<String> = t
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
                .collect();
            n.sort();
            n
        };
        assert_eq!(names(en), names(zh), "`{key}`: placeholders differ");
        let mut m = peitao::input::Msg::new(key);
        for name in names(en) {
            m.args.push((
                Box::leak(name.into_boxed_str()),
                peitao::input::Arg::Value("7".into()),
            ));
        }
        let text = say(&m, Lang::Zh);
        assert!(!text.contains('{'), "`{key}`: {text}");
        assert_eq!(english_sentence(&text), None, "`{key}` in zh: {text}");
        assert_ne!(say(&m, Lang::En), "", "`{key}` has no English");
    }
}

#[test]
fn every_command_speaks_chinese_under_zh() {
    let dir = tempdir("zh-scan");
    let only_filing = dir.join("only-filing.yaml");
    std::fs::write(
        &only_filing,
        "version: 1\nsubmission: { jurisdiction: 十堰, filed: 2024-03-01 }\n",
    )
    .unwrap();
    let only_filing = only_filing.to_str().unwrap();
    let (rules_out, _, _) = peitao(&["rules", "--lang", "zh"]);
    let ids: Vec<String> = rules_out
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| w.contains('.'))
        .map(str::to_string)
        .collect();
    assert!(ids.len() >= 41, "{rules_out}");
    let mut runs: Vec<Vec<String>> = vec![
        vec![
            "check",
            "tests/input/",
            "examples/",
            "tests/encoding/",
            only_filing,
        ],
        vec!["check", "tests/input/", "examples/", "--format", "json"],
        vec!["plans"],
        vec!["rules"],
        vec!["test", "--coverage"],
        vec!["check", "examples/", "--plan", "武汉"],
        vec!["check", "examples/", "--format", "json", "--width", "80"],
        vec!["explain", "elderly-space-new"],
        vec!["rules", "--plan", "武汉"],
    ]
    .into_iter()
    .map(|v| v.into_iter().map(str::to_string).collect())
    .collect();
    for id in &ids {
        runs.push(vec!["explain".into(), id.clone()]);
    }
    let mut english = Vec::new();
    for args in &runs {
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        args.extend(["--lang", "zh"]);
        let (out, err, _) = peitao(&args);
        let mut text = format!("{out}\n{err}");
        if args[0] == "explain" {
            // What the rule's author wrote after the severity (its doc
            // comment, template parameters and script) is the pack's, in
            // the pack's language: not scanned.
            let mut kept = Vec::new();
            for line in text.lines() {
                kept.push(line);
                if line.starts_with("严重程度") {
                    break;
                }
            }
            text = kept.join("\n");
        }
        if args.contains(&"json") {
            // `required` and `provided` are written by the rules (the
            // engine's verdicts) in English only: not yet in the catalogue.
            text = text
                .lines()
                .filter(|l| {
                    let l = l.trim_start();
                    !l.starts_with("\"required\"") && !l.starts_with("\"provided\"")
                })
                .collect::<Vec<_>>()
                .join("\n");
        }
        if args[0] == "plans" {
            // A manifest's notes are the pack author's words.
            text = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("说明"))
                .collect::<Vec<_>>()
                .join("\n");
        }
        // miette's `help:` label is English: under zh the line says 提示.
        if text.lines().any(|l| l.trim_start().starts_with("help:")) {
            english.push(format!("peitao {}: a `help:` label", args.join(" ")));
        }
        english.extend(
            english_lines(&text)
                .into_iter()
                .map(|l| format!("peitao {}: {l}", args.join(" "))),
        );
    }
    assert!(
        english.is_empty(),
        "English under --lang zh:\n{}",
        english.join("\n")
    );
}

#[test]
fn codes_are_unique_and_docs_codes_md_is_in_step() {
    let mut seen = std::collections::HashSet::new();
    let input = peitao::input::INPUT_CODES
        .iter()
        .map(|(c, _)| format!("input::{c}"));
    let usage = peitao::check::USAGE_CODES
        .iter()
        .map(|(c, _)| c.to_string());
    for code in input.chain(usage) {
        assert!(seen.insert(code.clone()), "code `{code}` declared twice");
    }
    let page = peitao::report::messages::codes_page();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/codes.md");
    if std::env::var_os("PEITAO_WRITE_CODES").is_some() {
        std::fs::write(&path, &page).unwrap();
    }
    let shipped = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        shipped == page,
        "docs/codes.md is stale: PEITAO_WRITE_CODES=1 cargo test --test lang"
    );
    for code in &seen {
        assert!(
            page.contains(&format!("`{code}`")),
            "{code} not on the page"
        );
    }
}

#[test]
fn usage_codes_are_the_ones_declared() {
    use peitao::check::{Usage, USAGE_CODES};
    let all = [
        Usage::UnknownPlan {
            name: String::new(),
            suggestion: None,
            known: String::new(),
        },
        Usage::UnknownRule {
            id: String::new(),
            near: Vec::new(),
        },
        Usage::NoEffect {
            option: "--width",
            format: "json",
        },
        Usage::NoPacks,
    ];
    for u in &all {
        assert!(
            USAGE_CODES.iter().any(|(c, _)| *c == u.code()),
            "{}",
            u.code()
        );
        let zh = peitao::report::messages::usage(u, Lang::Zh);
        assert!(zh.starts_with(&format!("错误[{}]", u.code())), "{zh}");
        assert_eq!(english_sentence(&zh), None, "{zh}");
    }
    assert_eq!(all.len(), USAGE_CODES.len());
}
