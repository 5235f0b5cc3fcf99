//! `--lang zh` speaks Chinese everywhere: every message of the catalogue
//! and every command's output is scanned for English sentences. Ids, field
//! names, paths, units and `quoted` text may stay as they are; three or
//! more English words in a row may not.

mod common;

use common::{peitao, peitao_with, tempdir};
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

/// What a reader of `text` would find English in it, each line told with
/// the command that printed it; also miette's English `help:` label.
fn english_in(command: &str, text: &str) -> Vec<String> {
    let mut found: Vec<String> = english_lines(&unwrapped(text))
        .into_iter()
        .map(|l| format!("{command}: {l}"))
        .collect();
    if text.lines().any(|l| l.trim_start().starts_with("help:")) {
        found.push(format!("{command}: a `help:` label"));
    }
    found
}

/// `text` with the lines miette wraps a message at (`  │ …`) and the
/// lines a 提示 wraps at (indented 8) put back on one line each, so that a
/// quotation is scanned whole.
fn unwrapped(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut in_help = false;
    for line in text.lines() {
        let more = line
            .strip_prefix("  │ ")
            .or_else(|| line.strip_prefix("        ").filter(|_| in_help));
        match (more, lines.last_mut()) {
            (Some(rest), Some(last)) => {
                last.push(' ');
                last.push_str(rest);
            }
            _ => {
                in_help = line.starts_with("  提示: ");
                lines.push(line.to_string());
            }
        }
    }
    lines.join("\n")
}

/// The cells of one CSV line (RFC 4180 quoting; no line breaks in cells).
fn csv_cells(line: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cells.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => cells.push(String::new()),
            (c, _) => cells.last_mut().unwrap().push(c),
        }
    }
    cells
}

/// The first word of a closed set of the format (`clinic`, `none`, `true`)
/// that `line` shows bare: under zh each is shown as its Chinese term with
/// the YAML word after it, `诊所 (clinic)`. Text in backticks, ids, paths
/// and `key: value` pairs (a token with `.`, `-`, `_`, `/` or `[` inside,
/// where the word is not the whole token) are not bare words; nor is a
/// scenic grade (`4A级`: the plans' own way of writing it).
fn bare_enum_word(line: &str) -> Option<String> {
    use peitao::input::format::{closed_words, term_zh};
    let mut outside = String::new();
    for (i, part) in line.split('`').enumerate() {
        if i % 2 == 0 {
            outside.push_str(part);
        }
        outside.push(' ');
    }
    for w in closed_words() {
        let shown = format!("{} ({w})", term_zh(w).expect("every word has a term"));
        outside = outside.replace(&shown, " ");
    }
    let words = closed_words();
    outside
        .split(|c: char| c.is_whitespace() || !c.is_ascii())
        .map(|t| t.trim_matches(|c: char| ",;:?!()\"“”'".contains(c)))
        .find(|w| words.contains(w) && !w.contains(|c: char| c.is_ascii_digit()))
        .map(str::to_string)
}

/// Every line of `text` (but the submission's own lines miette quotes)
/// that shows a closed set's word bare.
fn bare_enum_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| {
            let t = l.trim_start();
            !t.split_once('│').is_some_and(|(n, _)| {
                !n.trim().is_empty() && n.trim().chars().all(|c| c.is_ascii_digit())
            })
        })
        .filter_map(|l| bare_enum_word(l).map(|w| format!("{w:?} in: {l}")))
        .collect()
}

#[test]
fn the_scan_catches_a_bare_enum_word() {
    assert_eq!(
        bare_enum_word("必须内设医务室或护理站, 申报为 clinic").as_deref(),
        Some("clinic")
    );
    assert_eq!(
        bare_enum_word("应为 infirmary 或 nursing_station").as_deref(),
        Some("infirmary")
    );
    assert_eq!(
        bare_enum_word("geriatrics_department 为 false").as_deref(),
        Some("false")
    );
    assert_eq!(
        bare_enum_word("应为 医务室 (infirmary) 或 护理站 (nursing_station)"),
        None
    );
    assert_eq!(bare_enum_word("申报为 诊所 (clinic), 应为 是 (true)"), None);
    assert_eq!(bare_enum_word("4A级及以上旅游景区"), None);
    // The wrong term before the word does not make it shown.
    assert!(bare_enum_word("申报为 医务室 (clinic)").is_some());
    assert_eq!(
        bare_enum_word("honghe.childcare-existing-estate `kind: other` institutions[0].medical"),
        None
    );
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

/// Every message of the catalogue is said somewhere: a key no code names
/// is a diagnostic that was taken away and left its words behind.
#[test]
fn every_message_of_the_catalogue_is_used() {
    fn sources(dir: &std::path::Path, out: &mut String) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                // The catalogue's own table does not count as a use.
                match text.split_once("pub const CATALOGUE") {
                    Some((before, rest)) => {
                        out.push_str(before);
                        out.push_str(rest.split_once("\n];\n").map_or("", |(_, after)| after));
                    }
                    None => out.push_str(&text),
                }
            }
        }
    }
    let mut code = String::new();
    sources(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut code,
    );
    // The desk's pages name its words `t.name`, `t['st_' ~ status]`; its
    // code by name, `word("ledger", …)`, or by a prefix, `format!("st_{}", …)`.
    let mut pages = String::new();
    let templates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/desk/templates");
    for entry in std::fs::read_dir(templates).unwrap().flatten() {
        pages.push_str(&std::fs::read_to_string(entry.path()).unwrap());
    }
    let desk_word_used = |name: &str| {
        pages.contains(&format!("t.{name}"))
            || code.contains(&format!("\"{name}\""))
            || name.split_once('_').is_some_and(|(prefix, _)| {
                pages.contains(&format!("t['{prefix}_'"))
                    || code.contains(&format!("\"{prefix}_{{"))
            })
    };
    let unused: Vec<&str> = CATALOGUE
        .iter()
        .map(|(k, _, _)| *k)
        .filter(|k| {
            if code.contains(&format!("\"{k}\"")) {
                return false;
            }
            if let Some(name) = k.strip_prefix("desk.") {
                return !desk_word_used(name);
            }
            // A code's meaning (`code.input::unknown-key`) is used when the
            // code is (`"unknown-key"` where input errors are made).
            if let Some(c) = k.strip_prefix("code.") {
                let name = c.split_once("::").map_or(c, |(_, n)| n);
                return !code.contains(&format!("\"{c}\""))
                    && !code.contains(&format!("\"{name}\""));
            }
            !code.contains(&format!("\"{k}\""))
        })
        .collect();
    assert!(unused.is_empty(), "catalogue keys no code uses: {unused:?}");
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
        // `{n#file|files}` is the word agreeing with `n`: a use of `n`.
        let names = |t: &str| {
            let mut n: Vec<String> = t
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}'))
                .map(|(n, _)| n.split_once('#').map_or(n, |(n, _)| n).to_string())
                .collect();
            n.sort();
            n.dedup();
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
        // Every rule's descriptor and every input code's, in zh.
        vec!["check", "tests/input/", "examples/", "--format", "sarif"],
        vec!["check", "tests/input/", "examples/", "--format", "csv"],
        vec!["explain", "elderly-space-new"],
        vec!["rules", "--plan", "武汉"],
        // The packs' own fixtures reach every branch of their messages.
        vec!["check", "rules/honghe/tests/", "--plan", "honghe"],
        vec!["check", "rules/jiamusi/tests/", "--plan", "jiamusi"],
        vec!["check", "rules/kunming/tests/", "--plan", "kunming"],
        vec!["check", "rules/shiyan/tests/", "--plan", "shiyan"],
        vec!["check", "rules/taizhou/tests/", "--plan", "taizhou"],
    ]
    .into_iter()
    .map(|v| v.into_iter().map(str::to_string).collect())
    .collect();
    // Each word of `peitao rules` with a `.` inside explained (about 220:
    // every rule's id, and a few quoted figures such as “达到4.5个”, which
    // give the unknown-rule error), from what the binary prints, in this
    // process: `report::catalog::explain` on the built-in packs on stdout,
    // or its usage error on stderr. The same text (the binary's own run of
    // the first rule and of the first word that is none is compared to the
    // byte below), without 220 starts of the debug binary, each compiling
    // every pack again.
    let catalog = peitao::engine::load_embedded().unwrap();
    let from_binary: Vec<usize> = [
        Some(0),
        ids.iter().position(|id| catalog.rule(id).is_none()),
    ]
    .into_iter()
    .flatten()
    .collect();
    for &i in &from_binary {
        runs.push(vec!["explain".into(), ids[i].clone()]);
    }
    let explained: Vec<(Vec<String>, (String, String))> = ids
        .iter()
        .map(|id| {
            let printed = match peitao::report::catalog::explain(&catalog, id, Lang::Zh) {
                Ok(text) => (text, String::new()),
                Err(u) => (String::new(), peitao::report::messages::usage(&u, Lang::Zh)),
            };
            (vec!["explain".into(), id.clone()], printed)
        })
        .collect();
    // About 20 runs of the debug binary: spread over the cores.
    let outputs: Vec<(String, String)> = common::on_every_core(&runs, |args| {
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        args.extend(["--lang", "zh"]);
        let (out, err, _) = peitao(&args);
        (out, err)
    });
    // What the binary printed is what the library gives, to the byte.
    let first = runs.len() - from_binary.len();
    for (k, &i) in from_binary.iter().enumerate() {
        assert_eq!(
            outputs[first + k],
            explained[i].1,
            "peitao explain {}",
            ids[i]
        );
    }
    let mut english = Vec::new();
    for (args, (out, err)) in runs.iter().cloned().zip(outputs).chain(explained) {
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        args.extend(["--lang", "zh"]);
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
        if args.contains(&"csv") {
            // The ledger's `result`, `severity` and `status` columns hold
            // the values a spreadsheet filters on (`error`,
            // `invalid_input`; listed in docs/bureau.md), the same in both
            // languages as JSON's.
            text = text
                .lines()
                .map(|l| {
                    let mut cells = csv_cells(l);
                    if cells.len() > 8 {
                        cells[4].clear();
                        cells[7].clear();
                        cells[8].clear();
                    }
                    cells.join(" | ")
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
        english.extend(english_in(&format!("peitao {}", args.join(" ")), &text));
        // A word of a closed set is shown with its Chinese term (issue 23);
        // the machine formats carry the values as data.
        if !args.iter().any(|a| ["json", "sarif"].contains(a)) {
            english.extend(
                bare_enum_lines(&unwrapped(&text))
                    .into_iter()
                    .map(|l| format!("peitao {}: bare word of a closed set {l}", args.join(" "))),
            );
        }
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
    for code in all_codes() {
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

/// Every code peitao declares: input, usage, rule pack, config errors and
/// report notes (one typed list: a code not declared does not compile).
fn all_codes() -> Vec<String> {
    peitao::base::code::Code::all()
        .map(|c| c.qualified().to_string())
        .collect()
}

#[test]
fn every_code_means_something_in_both_languages() {
    use peitao::report::messages::code_meaning;
    for code in all_codes() {
        let en = code_meaning(&code, Lang::En);
        let zh = code_meaning(&code, Lang::Zh);
        assert!(!en.is_empty(), "`{code}` has no meaning in the catalogue");
        assert!(
            !zh.is_empty() && zh != en,
            "`{code}` has no Chinese meaning"
        );
        assert_eq!(english_sentence(&zh), None, "`{code}` in zh: {zh}");
    }
}

#[test]
fn usage_codes_are_the_ones_declared() {
    use peitao::check::{ArgProblem, Usage, USAGE_CODES};
    let usage = Some("peitao check [OPTIONS] <PATHS>...".to_string());
    let arguments = |problem| Usage::Arguments {
        problem: Box::new(problem),
        usage: usage.clone(),
    };
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
        arguments(ArgProblem::UnknownOption {
            arg: "--nope".into(),
            suggestion: Some("--note".into()),
        }),
        arguments(ArgProblem::UnknownCommand {
            name: "chekc".into(),
            suggestions: vec!["check".into()],
        }),
        arguments(ArgProblem::InvalidValue {
            arg: "--width <COLUMNS>".into(),
            value: "5".into(),
            allowed: vec![],
            suggestion: None,
            reason: Some("5 is not in 20..=65535".into()),
        }),
        arguments(ArgProblem::MissingValue {
            arg: "--format <FORMAT>".into(),
            allowed: vec!["human".into(), "json".into()],
        }),
        arguments(ArgProblem::MissingArgument {
            args: vec!["<PATHS>...".into()],
        }),
        arguments(ArgProblem::Conflict {
            arg: "--quiet".into(),
            other: "--summary".into(),
        }),
        Usage::Arguments {
            problem: Box::new(ArgProblem::Other {
                parser: "invalid UTF-8 was detected in one or more arguments".into(),
            }),
            usage: None,
        },
    ];
    for u in &all {
        assert!(USAGE_CODES.contains(&u.code()), "{}", u.code());
        let zh = peitao::report::messages::usage(u, Lang::Zh);
        assert!(zh.starts_with(&format!("错误[{}]", u.code())), "{zh}");
        assert!(
            english_in("usage", &zh).is_empty(),
            "{:?}",
            english_in("usage", &zh)
        );
        let en = peitao::report::messages::usage(u, Lang::En);
        assert!(en.starts_with(&format!("error[{}]", u.code())), "{en}");
    }
    let mut codes: Vec<&str> = all.iter().map(|u| u.code()).collect();
    codes.dedup();
    assert_eq!(codes, USAGE_CODES);
}

/// Run `args` under `--lang zh`; what it printed, its exit code, and the
/// English a reader would find in it.
fn run_zh(args: &[&str]) -> (String, i32, Vec<String>) {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--lang", "zh"]);
    let (out, err, code) = peitao(&all);
    let text = format!("{out}\n{err}");
    let english = english_in(&format!("peitao {}", all.join(" ")), &text);
    (text, code, english)
}

const SEED: &str = "坏市方案。新建住宅小区应配建养老服务用房。\n";
const CLAUSE: &str = "新建住宅小区应配建养老服务用房";

/// A rule script of pack `id` with `meta` added to its metadata map.
fn script(id: &str, meta: &str, body: &str) -> String {
    format!(
        "#{{ id: \"{id}.r\", severity: \"error\", title: #{{ zh: \"规则\", en: \"rule\" }}, clause: \"{CLAUSE}\"{meta} }};\n{body}\n"
    )
}

/// A pack directory `dir/name` of id `name` (alias 坏-name), its
/// pack.yaml ending with `manifest`, and these files beside it.
fn bad_pack(dir: &std::path::Path, name: &str, manifest: &str, files: &[(&str, &str)]) {
    let pack = dir.join(name);
    std::fs::create_dir_all(&pack).unwrap();
    std::fs::write(
        pack.join("pack.yaml"),
        format!("id: {name}\ntitle: 坏市方案\naliases: [坏-{name}]\n{manifest}"),
    )
    .unwrap();
    for (file, text) in files {
        let path = pack.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Every `plan::` code, from broken packs built here, in Chinese under
/// zh: each run is scanned, and between them they give every code.
#[test]
fn every_rule_pack_error_speaks_chinese_under_zh() {
    let root = tempdir("zh-packs");
    let ok = script("x", "", "fn estate(e) { holds() }");
    // Packs whose errors are found together, one or more codes each.
    let many = root.join("many");
    let fine = |name: &str| script(name, "", "fn estate(e) { holds() }");
    bad_pack(
        &many,
        "manifest",
        "seed: seed.txt\nsede: x\n",
        &[("seed.txt", SEED)],
    );
    bad_pack(
        &many,
        "dates",
        "seed: seed.txt\nin_force_from: 2025-13-01\nin_force_until: 2025-02-30\n",
        &[("seed.txt", SEED), ("r.rhai", &fine("dates"))],
    );
    bad_pack(
        &many,
        "replaces",
        "seed: seed.txt\nreplaces: nosuch\n",
        &[("seed.txt", SEED), ("r.rhai", &fine("replaces"))],
    );
    bad_pack(
        &many,
        "hijack",
        "seed: seed.txt\n",
        &[("seed.txt", SEED), ("r.rhai", &fine("hijack"))],
    );
    std::fs::write(
        many.join("hijack/pack.yaml"),
        "id: hijack\ntitle: 坏市方案\naliases: [十堰]\nseed: seed.txt\n",
    )
    .unwrap();
    bad_pack(&many, "noseed", "seed: nothing.txt\n", &[]);
    bad_pack(&many, "escape", "seed: ../../seed.txt\n", &[]);
    bad_pack(
        &many,
        "tables",
        "seed: seed.txt\ndata:\n  beds: beds.csv\n  gone: gone.csv\n",
        &[
            ("seed.txt", SEED),
            ("beds.csv", "county,beds\n甲,1,2\n"),
            ("r.rhai", &fine("tables")),
        ],
    );
    bad_pack(&many, "empty", "seed: seed.txt\n", &[("seed.txt", SEED)]);
    bad_pack(
        &many,
        "twice",
        "seed: seed.txt\n",
        &[
            ("seed.txt", SEED),
            ("a.rhai", &fine("twice")),
            ("b.rhai", &fine("twice")),
        ],
    );
    bad_pack(
        &many,
        "yamlrules",
        "seed: seed.txt\nrules:\n  Bad_Name:\n    severity: fatal\n    title: { zh: 规则, en: rule }\n    section: 一\n    clause: 不在原文中的话\n    checks: nothing\n    template: shrae\n  typo:\n    severity: error\n    title: { zh: 规则, en: rule }\n    section: 一\n    clause: 新建住宅小区应配建养老服务用房\n    checks: nothing\n    template: rate\n    params: { precent: 5 }\n  native:\n    severity: error\n    title: { zh: 规则, en: rule }\n    section: 一\n    clause: 新建住宅小区应配建养老服务用房\n    checks: nothing\n    template: target\n    params: { due: 0, field: beds, figure: 1, name: { zh: 床位 }, op: '=>', scope: town, times: '', unit: '' }\n  lacks:\n    severity: error\n    title: { zh: 规则, en: rule }\n    section: 一\n    clause: 新建住宅小区应配建养老服务用房\n    checks: nothing\n    template: share\n",
        &[("seed.txt", SEED)],
    );
    bad_pack(
        &many,
        "scripts",
        "seed: seed.txt\n",
        &[
            ("seed.txt", SEED),
            (
                "syntax.rhai",
                &script("scripts", "", "fn estate(e) { holds( }"),
            ),
            (
                "fails.rhai",
                &format!("let x = no_such_function(1);\n{}", fine("scripts")),
            ),
            (
                "meta.rhai",
                &script(
                    "scripts",
                    ", colour: 1, in_force_from: \"2025-02-30\"",
                    "fn estate(e) { holds() }",
                )
                .replace("title: #{ zh: \"规则\", en: \"rule\" }", "title: \"规则\"")
                .replace("severity: \"error\"", "severity: \"fatal\"")
                .replace(
                    &format!("clause: \"{CLAUSE}\""),
                    "clause: \"不在原文中的话\"",
                )
                .replace("id: \"scripts.r\"", "id: \"other.r\""),
            ),
            ("nometa.rhai", "fn estate(e) { holds() }\n1\n"),
            (
                "old.rhai",
                &script("scripts", "", "fn check(s) { holds() }"),
            ),
            (
                "twice.rhai",
                &script(
                    "scripts",
                    "",
                    "fn estate(e) { holds() }\nfn estate(a, b, c, d) { holds() }",
                ),
            ),
            (
                "switch.rhai",
                &script(
                    "scripts",
                    "",
                    &format!(
                        "fn estate(e) {{ let x = switch 1 {{ {} _ => 0 }}; holds() }}",
                        (0..1001)
                            .map(|i| format!("{i} => {i},"))
                            .collect::<String>()
                    ),
                ),
            ),
            ("tests/cases.yaml", &"version: 1\n---\n".repeat(1_001)),
        ],
    );
    let dir = |p: &std::path::Path| p.to_str().unwrap().to_string();
    // Errors of reading a directory: each stops the load by itself.
    let bytes = root.join("bytes");
    bad_pack(&bytes, "bytes", "seed: seed.txt\n", &[("r.rhai", &ok)]);
    std::fs::write(bytes.join("bytes/seed.txt"), b"\xff\xfe\x00 not text").unwrap();
    let nothing = root.join("nothing");
    std::fs::create_dir_all(&nothing).unwrap();
    let mut runs: Vec<Vec<String>> = vec![
        vec!["plans".into(), "--rules".into(), dir(&many)],
        vec![
            "plans".into(),
            "--no-builtin-rules".into(),
            "--rules".into(),
            dir(&bytes),
        ],
        vec![
            "plans".into(),
            "--no-builtin-rules".into(),
            "--rules".into(),
            dir(&nothing),
        ],
        vec![
            "plans".into(),
            "--rules".into(),
            dir(&root.join("no-such-dir")),
        ],
        vec![
            "plans".into(),
            "--rules".into(),
            "tests/hostile-packs/replaces-a-built-in-plan-unasked/pack".into(),
        ],
    ];
    #[cfg(unix)]
    {
        let fifo = root.join("fifo");
        bad_pack(&fifo, "fifo", "seed: seed.txt\n", &[("r.rhai", &ok)]);
        let made = std::process::Command::new("mkfifo")
            .arg(fifo.join("fifo/seed.txt"))
            .status()
            .unwrap();
        assert!(made.success());
        let link = root.join("link");
        bad_pack(&link, "link", "seed: seed.txt\n", &[("r.rhai", &ok)]);
        std::os::unix::fs::symlink("/etc/hostname", link.join("link/seed.txt")).unwrap();
        runs.push(vec![
            "plans".into(),
            "--no-builtin-rules".into(),
            "--rules".into(),
            dir(&fifo),
        ]);
        runs.push(vec![
            "plans".into(),
            "--no-builtin-rules".into(),
            "--rules".into(),
            dir(&link),
        ]);
    }
    let mut english = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for args in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (text, code, found) = run_zh(&args);
        assert_eq!(code, 2, "{args:?}\n{text}");
        assert!(text.contains("规则包中共有"), "{args:?}\n{text}");
        english.extend(found);
        for code in peitao::plan::PLAN_CODES {
            if text.contains(&format!("plan::{code}")) {
                seen.insert(*code);
            }
        }
    }
    assert!(
        english.is_empty(),
        "English under --lang zh:\n{}",
        english.join("\n")
    );
    let missed: Vec<&&str> = peitao::plan::PLAN_CODES
        .iter()
        .filter(|c| !seen.contains(**c))
        .collect();
    assert!(missed.is_empty(), "no broken pack gave {missed:?}");
    // The English is as it was: a pack error in English still reads so.
    let (_, err, _) = peitao(&["plans", "--rules", &dir(&many)]);
    assert!(err.contains("seed file `"), "{err}");
    assert!(err.contains("problems in the rule packs"), "{err}");
}

/// The hostile pack corpus (tests/hostile-packs), each case's command
/// under zh: load refusals and rule errors alike are Chinese.
#[test]
fn hostile_packs_are_refused_in_chinese_under_zh() {
    let found = common::on_every_core(&common::hostile_pack_cases(), |case| {
        let expect = std::fs::read_to_string(case.join("expect")).unwrap();
        let rel = format!(
            "tests/hostile-packs/{}",
            case.file_name().unwrap().to_string_lossy()
        );
        let args = expect
            .lines()
            .find_map(|l| l.strip_prefix("args: "))
            .unwrap()
            .replace("{pack}", &format!("{rel}/pack"))
            .replace("{dir}", &rel);
        let args: Vec<&str> = args.split_whitespace().collect();
        run_zh(&args).2
    });
    let english: Vec<String> = found.into_iter().flatten().collect();
    assert!(
        english.is_empty(),
        "English under --lang zh:\n{}",
        english.join("\n")
    );
}

/// A peitao.toml that does not read: every problem located, in Chinese.
#[test]
fn config_errors_speak_chinese_under_zh() {
    let dir = tempdir("zh-config");
    let configs = [
        ("unknown-key", "fial_on = \"error\"\ncolour = \"red\"\n"),
        ("wrong-type", "width = \"wide\"\nquiet = 1\nplans = 3\n[reports]\nhtml = 1\n"),
        ("unknown-value", "format = \"jsn\"\nlang = \"fr\"\n"),
        ("negative", "max_depth = -1\n"),
        ("bad-date", "as_of = \"2026-02-30\"\n"),
        (
            "missing-field",
            "[[waiver]]\nrule = \"\"\nsubmission = \"X\"\nexpires = \"2027-02-30\"\napproved-by = \"me\"\n",
        ),
        ("toml-syntax", "[[waiver]]\nexpires = 2027-06-30\n"),
        ("empty", "[[waiver]]\nrule = \" \"\nsubmission = \"X\"\nreason = \"r\"\napproved_by = \"me\"\nexpires = \"2027-06-30\"\n"),
        ("report-path", "[reports]\ncsv = \"../../ledger.csv\"\n"),
        ("unbound-waiver", "[[waiver]]\nrule = \"a.b\"\nsubmission = \"X\"\nreason = \"r\"\napproved_by = \"me\"\nexpires = \"2027-06-30\"\n"),
        ("bad-digest", "[[waiver]]\nrule = \"a.b\"\ndigest = \"sha256:xyz\"\nreason = \"r\"\napproved_by = \"me\"\nexpires = \"2027-06-30\"\n"),
    ];
    let mut english = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (name, text) in configs {
        let path = dir.join(format!("{name}.toml"));
        std::fs::write(&path, text).unwrap();
        let (out, code, found) = run_zh(&[
            "check",
            "--config",
            path.to_str().unwrap(),
            "examples/shiyan-compliant.yaml",
        ]);
        assert_eq!(code, 2, "{out}");
        assert!(out.contains(&format!("config::{name}")), "{name}: {out}");
        assert!(out.contains("未检查任何文件"), "{out}");
        for code in peitao::config::CONFIG_CODES {
            if out.contains(&format!("config::{code}")) {
                seen.insert(*code);
            }
        }
        english.extend(found);
    }
    // `inside-checked-tree` is a warning, of a config found inside the
    // directory checked: tests/boundary/config.rs runs it under zh.
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), {
        let mut all = peitao::config::CONFIG_CODES.to_vec();
        all.retain(|c| *c != "inside-checked-tree");
        all.sort();
        all
    });
    // A config that cannot be read at all.
    let (out, code, found) = run_zh(&["check", "--config", "no-such.toml", "examples/"]);
    assert_eq!(code, 2);
    assert!(out.contains("错误: 无法读取 `no-such.toml`"), "{out}");
    english.extend(found);
    // The config's own language decides once it reads: a broken one
    // cannot, and the environment's is used.
    let zh = dir.join("zh.toml");
    std::fs::write(&zh, "lang = \"zh\"\nfial_on = \"error\"\n").unwrap();
    let (_, err, _) = peitao(&["check", "--config", zh.to_str().unwrap(), "examples/"]);
    assert!(err.contains("unknown key `fial_on`"), "{err}");
    let (_, err, _) = peitao_with(
        &["check", "--config", zh.to_str().unwrap(), "examples/"],
        &[("LANG", "zh_CN.UTF-8")],
    );
    assert!(err.contains("中有未知的键 `fial_on`"), "{err}");
    assert!(
        english.is_empty(),
        "English under --lang zh:\n{}",
        english.join("\n")
    );
}

/// `-o` and `--report` refusals, and a report that cannot be written.
#[test]
fn report_refusals_speak_chinese_under_zh() {
    let dir = tempdir("zh-refusals");
    let input = dir.join("sub.yaml");
    std::fs::copy("examples/shiyan-compliant.yaml", &input).unwrap();
    let input = input.to_str().unwrap();
    let dir_s = dir.to_str().unwrap();
    let in_dir = dir.join("report.yaml");
    let missing = dir.join("no-such-dir/r.json");
    let baseline = dir.join("not-a-report.json");
    std::fs::write(&baseline, "[]").unwrap();
    let report = format!("json={}", in_dir.display());
    let runs: Vec<(Vec<&str>, &str)> = vec![
        (vec!["check", input, "-o", input], "是本次要检查的文件之一"),
        (
            vec!["check", dir_s, "--report", &report],
            "下次运行会把报告当作申报文件检查",
        ),
        (vec!["check", input, "-o", dir_s], "是目录"),
        (
            vec!["check", input, "-o", missing.to_str().unwrap()],
            "无法访问",
        ),
        (
            vec!["check", input, "--baseline", baseline.to_str().unwrap()],
            "不是 peitao 的 JSON 报告",
        ),
    ];
    let mut english = Vec::new();
    for (args, says) in runs {
        let (text, code, found) = run_zh(&args);
        assert_eq!(code, 2, "{args:?}: {text}");
        assert!(
            text.contains("错误: ") && text.contains(says),
            "{args:?}: {text}"
        );
        english.extend(found);
    }
    assert!(
        english.is_empty(),
        "English under --lang zh:\n{}",
        english.join("\n")
    );
    // In English, as before.
    let (_, err, code) = peitao(&["check", input, "-o", input]);
    assert_eq!(code, 2);
    assert!(
        err.contains(
            "is one of the files being checked: it would be overwritten before it is read"
        ),
        "{err}"
    );
}

/// What the argument parser refuses is a usage error of the catalogue
/// under zh (once, on standard error, exit 2), and clap's own English
/// under en.
#[test]
fn command_lines_the_parser_refuses_speak_chinese_under_zh() {
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["check", "--nope", "examples/"],
            "usage::unknown-option",
            "`--nope`",
        ),
        (
            &["check", "--format", "xml", "examples/"],
            "usage::invalid-value",
            "`xml`",
        ),
        (&["check", "--format"], "usage::missing-value", "`--format"),
        (&["check"], "usage::missing-argument", "<PATHS>"),
        (&["chekc"], "usage::unknown-command", "`chekc`"),
        (
            &["check", "--width", "5", "examples/"],
            "usage::invalid-value",
            "20..=65535",
        ),
        (
            &["check", "--as-of", "2025-13-01", "examples/"],
            "usage::invalid-value",
            "2025-13-01",
        ),
        (
            &["check", "--quiet", "--summary", "examples/"],
            "usage::conflict",
            "`--summary`",
        ),
    ];
    let mut english = Vec::new();
    for (args, code, names) in cases {
        let mut all = args.to_vec();
        // After the command (before it, `--lang` would be taken for one).
        all.extend(["--lang", "zh"]);
        let (out, err, exit) = peitao(&all);
        assert_eq!(exit, 2, "{all:?}: {err}");
        assert_eq!(out, "", "{all:?}");
        assert_eq!(err.matches("错误[").count(), 1, "{all:?}: {err}");
        assert!(err.starts_with(&format!("错误[{code}]")), "{all:?}: {err}");
        assert!(err.contains(names), "{all:?}: {err}");
        assert!(err.contains("提示: "), "{all:?}: {err}");
        english.extend(english_in(&format!("peitao {}", all.join(" ")), &err));
    }
    assert!(
        english.is_empty(),
        "English under --lang zh:\n{}",
        english.join("\n")
    );
    // The suggestion clap makes is kept.
    let (_, err, _) = peitao(&["check", "--format", "htm", "examples/", "--lang", "zh"]);
    assert!(err.contains("是否指 `html`?"), "{err}");
    // The environment's language, when no --lang is given.
    let (_, err, code) = peitao_with(
        &["check", "--nope", "examples/"],
        &[("LANG", "zh_CN.UTF-8")],
    );
    assert_eq!(code, 2);
    assert!(err.starts_with("错误[usage::unknown-option]"), "{err}");
    // English: clap's words, unchanged.
    let (_, err, code) = peitao(&["check", "--nope", "examples/"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: unexpected argument '--nope' found"),
        "{err}"
    );
    let (_, err, _) = peitao(&["check", "--format", "xml", "examples/", "--lang", "en"]);
    assert!(
        err.starts_with("error: invalid value 'xml' for '--format <FORMAT>'"),
        "{err}"
    );
}

/// A field's Chinese name is Chinese throughout: no English word leads it
/// (`employer: 产假延长天数` read as mixed languages; it is
/// `用人单位: 产假延长天数`). Every field of every sheet, nested ones too,
/// and every built-in rule's title.
#[test]
fn field_names_under_zh_are_not_led_by_english() {
    let mut seen = 0;
    for sheet in peitao::input::workbook::SHEETS {
        for column in sheet.columns() {
            let zh = column.field.zh;
            assert!(
                !zh.starts_with(|c: char| c.is_ascii_alphabetic()),
                "{}: {zh}",
                column.key
            );
            assert_eq!(english_sentence(zh), None, "{}: {zh}", column.key);
            seen += 1;
        }
    }
    assert!(seen > 80, "{seen}");
    // And every built-in rule's Chinese title.
    let catalog = peitao::engine::load_embedded().unwrap();
    for rule in &catalog.rules {
        let zh = rule.title.get(Lang::Zh);
        assert!(
            !zh.starts_with(|c: char| c.is_ascii_alphabetic()),
            "{}: {zh}",
            rule.id
        );
    }
    assert!(catalog.rules.len() > 50);
}

/// `peitao init --lang zh` writes its starter with Chinese comments and
/// says what it did in Chinese, and so when the file already exists.
#[test]
fn init_speaks_chinese_under_zh() {
    let dir = tempdir("zh-init");
    let (out, err, code) = common::peitao_in(&dir, &["init", "--lang", "zh"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "已写入 peitao.toml: 编辑后运行 `peitao check`\n");
    let text = std::fs::read_to_string(dir.join("peitao.toml")).unwrap();
    // The comments, less the example values (`reason = "…"`), are scanned.
    let comments: String = text
        .lines()
        .filter(|l| l.starts_with('#') && !l.contains(" = "))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(comments.lines().count() > 20, "{comments}");
    let mut english = english_in("peitao init", &comments);
    english.extend(english_in("peitao init", &out));
    let (_, err, code) = common::peitao_in(&dir, &["init", "--lang", "zh"]);
    assert_eq!(code, 2);
    assert_eq!(err, "错误: peitao.toml 已存在; peitao init 不会改动它\n");
    assert!(english.is_empty(), "{english:?}");
    // In English, English.
    let en = tempdir("en-init");
    let (out, _, _) = common::peitao_in(&en, &["init", "--lang", "en"]);
    assert_eq!(out, "wrote peitao.toml: edit it, then run `peitao check`\n");
    assert!(std::fs::read_to_string(en.join("peitao.toml"))
        .unwrap()
        .starts_with("# peitao.toml: this office's settings"));
}
