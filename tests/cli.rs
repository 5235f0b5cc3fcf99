//! The `peitao` binary end to end: what a user sees and the exit codes.

mod common;

use common::{peitao, tempdir};
use std::path::Path;

#[test]
fn examples_report_and_exit_1() {
    let (out, _, code) = peitao(&["check", "examples/", "--lang", "en"]);
    assert_eq!(code, 1, "{out}");
    let (wide, _, _) = peitao(&[
        "check",
        "examples/shiyan-violating.yaml",
        "--lang",
        "en",
        "--width",
        "200",
    ]);
    assert!(wide.contains("elderly-service space 519 m² < 520 m² required = max(20 m² × 2600 households / 100, 350 m²)"), "{wide}");
    insta::assert_snapshot!("examples_en", out);
}

#[test]
fn examples_in_chinese() {
    let (out, _, code) = peitao(&["check", "examples/", "--lang", "zh"]);
    assert_eq!(code, 1);
    assert!(out.contains("养老服务用房 519 m² < 应有 520 m²"), "{out}");
    insta::assert_snapshot!("examples_zh", out);
}

#[test]
fn every_plan_has_examples_that_pass_and_fail() {
    for plan in ["shiyan", "taizhou", "kunming", "honghe", "jiamusi"] {
        let ok = format!("examples/{plan}-compliant.yaml");
        let bad = format!("examples/{plan}-violating.yaml");
        let (out, _, code) = peitao(&["check", &ok]);
        assert_eq!(code, 0, "{out}");
        let (out, _, code) = peitao(&["check", &bad]);
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains(&format!("{plan}.")),
            "{bad} found nothing of {plan}: {out}"
        );
    }
}

#[test]
fn plan_option_compares_plans_and_resolves_aliases() {
    // The 十堰 estate against 昆明's standards: 520 m² meets 20 m² per 100
    // households, and 昆明 has no 350 m² minimum.
    let (out, _, code) = peitao(&[
        "check",
        "examples/shiyan-compliant.yaml",
        "--plan",
        "昆明市",
        "--plan",
        "shiyan",
        "--lang",
        "en",
    ]);
    assert!(out.contains("kunming.childcare-slots-new"), "{out}");
    assert_eq!(code, 1, "{out}");
}

#[test]
fn an_unknown_plan_is_one_usage_error_not_every_file_invalid() {
    let (out, err, code) = peitao(&["check", "examples/", "--plan", "武汉", "--lang", "en"]);
    assert_eq!(code, 2);
    assert_eq!(out, "", "no file is checked: {out}");
    assert_eq!(err.matches("unknown plan `武汉`").count(), 1, "{err}");
    assert!(err.contains("known plans: honghe"), "{err}");
    assert!(
        !err.contains("did you mean"),
        "no near name for 武汉: {err}"
    );
    let (_, err, code) = peitao(&["check", "examples/", "--plan", "shiyna", "--lang", "zh"]);
    assert_eq!(code, 2);
    assert!(err.contains("未知的规划 `shiyna`"), "{err}");
    assert!(err.contains("是否指 `shiyan`?"), "{err}");
    let (_, err, code) = peitao(&["rules", "--plan", "武汉", "--lang", "en"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("error[usage::unknown-plan]"), "{err}");
}

#[test]
fn meaningless_command_lines_are_refused() {
    let f = "examples/shiyan-compliant.yaml";
    for args in [
        vec!["check", f, "--width", "0"],
        vec!["check", f, "--width", "19"],
        vec!["check", f, "--fail-on", "never", "--deny", "warnings"],
        vec!["check", f, "--fail-on", "error", "--deny", "warnings"],
        vec!["check", f, "--format", "json", "--width", "80"],
        vec!["check", f, "--format", "sarif", "--color", "always"],
        vec!["check", f, "--no-builtin-rules"],
    ] {
        let (out, err, code) = peitao(&args);
        assert_eq!(code, 2, "{args:?} accepted: {out}");
        assert_eq!(out, "", "{args:?}");
        assert!(err.contains("error"), "{args:?}: {err}");
    }
    // The same options where they mean something still run.
    assert_eq!(peitao(&["check", f, "--width", "20"]).2, 0);
    assert_eq!(peitao(&["check", f, "--deny", "warnings"]).2, 0);
}

#[test]
fn explain_suggests_the_rules_of_that_name_in_every_pack() {
    let (out, err, code) = peitao(&["explain", "elderly-space-new", "--lang", "en"]);
    assert_eq!((code, out.as_str()), (2, ""));
    for id in [
        "shiyan.elderly-space-new",
        "kunming.elderly-space-new",
        "jiamusi.elderly-space-new",
    ] {
        assert!(err.contains(id), "{id} not suggested: {err}");
    }
    let (_, err, _) = peitao(&["explain", "shiyan.medical-rom", "--lang", "en"]);
    assert!(err.contains("did you mean `shiyan.medical-room`?"), "{err}");
}

#[test]
fn help_lists_output_options_first() {
    let (out, _, code) = peitao(&["check", "--help"]);
    assert_eq!(code, 0);
    let at = |s: &str| out.find(s).unwrap_or_else(|| panic!("{s} missing: {out}"));
    assert!(at("Output:") < at("Checking:"), "{out}");
    assert!(at("--format") < at("--plan"), "{out}");
    assert!(at("--plan") < at("--max-file-size"), "{out}");
}

#[test]
fn a_filing_outside_the_plan_s_dates_names_the_plan() {
    let (out, _, code) = peitao(&[
        "check",
        "examples/taizhou-compliant.yaml",
        "--as-of",
        "2024-05-01",
        "--lang",
        "en",
    ]);
    assert_eq!(code, 2);
    assert!(out.contains("《2023年泰州市“一老一幼”重点任务清单》泰发改发〔2023〕62号 is not in force on 2024-05-01"), "{out}");
    assert!(out.contains("in force: 2023-03-23 – 2023-12-31"), "{out}");
}

#[test]
fn a_compliant_submission_exits_0() {
    let (out, _, code) = peitao(&["check", "examples/shiyan-compliant.yaml"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.ends_with("1 file: 1 clean, 0 with findings, 0 invalid, 0 unreadable\n"),
        "{out}"
    );
}

#[test]
fn warnings_fail_only_when_denied() {
    let dir = tempdir("warnings");
    let file = dir.join("w.yaml");
    std::fs::write(
        &file,
        "version: 1\nsubmission: { jurisdiction: shiyan, filed: 2025-03-01 }\ninstitutions:\n  - { id: E1, kind: elderly_care, beds: 20, social_workers: 1, medical: none, medical_agreement: false }\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let (out, _, code) = peitao(&["check", f]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 warning"), "{out}");
    assert_eq!(peitao(&["check", f, "--deny", "warnings"]).2, 1);
    assert_eq!(peitao(&["check", f, "--fail-on", "warning"]).2, 1);
    assert_eq!(
        peitao(&[
            "check",
            "examples/shiyan-violating.yaml",
            "--fail-on",
            "never"
        ])
        .2,
        0
    );
}

/// Each file under tests/input is one bad submission: it exits 2, every
/// `# expect-input: CODE` marker is matched on its line, and the rendered
/// errors are snapshotted.
#[test]
fn bad_input_is_located_and_exits_2() {
    insta::glob!("input/*.yaml", |path| {
        let rel = path
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(path).unwrap();
        let catalog = peitao::engine::load_embedded().unwrap();
        let result =
            peitao::check::check_text(&catalog, &rel, text.clone().into(), &Default::default());
        let case = peitao::fixture::cases(&text).remove(0);
        let peitao::check::Outcome::Invalid(errors) = &result.outcome else {
            panic!("{rel} was accepted")
        };
        let mut got: Vec<(usize, &str)> = errors
            .iter()
            .map(|e| {
                (
                    text[..e.span.offset].matches('\n').count() + 1,
                    e.code.as_str(),
                )
            })
            .collect();
        got.sort();
        let mut want: Vec<(usize, &str)> = case
            .expected
            .iter()
            .map(|m| (m.line, m.what.as_str()))
            .collect();
        want.sort();
        // A marker on a comment-only first line stands for "the whole file".
        for w in &mut want {
            if text
                .lines()
                .nth(w.0 - 1)
                .is_some_and(|l| l.trim_start().starts_with('#'))
            {
                w.0 = 1;
            }
        }
        assert_eq!(got, want, "{rel}");
        let (out, _, code) = peitao(&["check", &rel, "--lang", "en"]);
        assert_eq!(code, 2, "{out}");
        insta::assert_snapshot!(out);
    });
}

#[test]
fn a_missing_file_is_reported_and_the_rest_still_checked() {
    let (out, _, code) = peitao(&[
        "check",
        "no/such/file.yaml",
        "examples/shiyan-compliant.yaml",
    ]);
    assert_eq!(code, 2);
    assert!(out.contains("no/such/file.yaml: unreadable"), "{out}");
    assert!(out.contains("examples/shiyan-compliant.yaml: ok"), "{out}");
    assert!(
        out.contains("2 files: 1 clean, 0 with findings, 0 invalid, 1 unreadable"),
        "{out}"
    );
}

#[test]
fn catalogue_commands() {
    let (plans, _, code) = peitao(&["plans", "--lang", "en"]);
    assert_eq!(code, 0);
    // The snapshots hold the five shipped plans: a city added under rules/
    // is listed too, and changes none of them (writing-rules.md, "Adding a
    // city in the repository").
    let shipped = ["honghe", "jiamusi", "kunming", "shiyan", "taizhou"];
    let blocks: Vec<&str> = plans
        .split("\n\n")
        .filter(|b| shipped.iter().any(|id| b.starts_with(&format!("{id}\n"))))
        .collect();
    assert_eq!(blocks.len(), shipped.len(), "{plans}");
    insta::assert_snapshot!("plans_en", blocks.join("\n\n"));
    let catalog = peitao::engine::load_embedded().unwrap();
    assert!(
        plans.ends_with(&format!(
            "{} plans, {} rules\n",
            catalog.packs.len(),
            catalog.rules.len()
        )),
        "{plans}"
    );
    let shiyan = catalog.pack("shiyan").unwrap().rules.len();
    let (rules, _, _) = peitao(&["rules", "--plan", "十堰", "--lang", "en"]);
    assert!(rules.contains("shiyan.medical-room"), "{rules}");
    assert!(rules.ends_with(&format!("{shiyan} rules\n")), "{rules}");
    let (all, _, _) = peitao(&["rules", "--lang", "zh"]);
    assert!(
        all.ends_with(&format!("共 {} 条规则\n", catalog.rules.len())),
        "{all}"
    );
    let mut each = String::new();
    for id in shipped {
        let (one, _, code) = peitao(&["rules", "--plan", id, "--lang", "zh"]);
        assert_eq!(code, 0, "{one}");
        each.push_str(&one);
    }
    insta::assert_snapshot!("rules_zh", each);
    let (explain, _, code) = peitao(&["explain", "shiyan.medical-room", "--lang", "en"]);
    assert_eq!(code, 0);
    assert!(
        explain.contains(
            "【150张以上床位的养老机构或入住50人以上的特困人员供养机构,必须内设医务室或护理站】"
        ),
        "{explain}"
    );
    assert!(explain.contains("fn institution(i)"), "{explain}");
    let (_, unknown, code) = peitao(&["explain", "shiyan.medical-rom"]);
    assert!(unknown.contains("shiyan.medical-room"), "{unknown}");
    assert_eq!(code, 2);
}

#[test]
fn packs_embedded_and_in_rules_dir_agree() {
    let embedded = peitao::engine::load_embedded().unwrap();
    let files = peitao::plan::load_dir(Path::new("rules")).unwrap();
    let from_dir = peitao::engine::load_files(&files).unwrap();
    let ids =
        |c: &peitao::engine::Catalog| c.rules.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&embedded), ids(&from_dir));
}

#[test]
fn a_file_no_rule_applies_to_says_so_and_is_counted_apart() {
    let dir = tempdir("no-rule");
    let f = dir.join("only-filing.yaml");
    std::fs::write(
        &f,
        "version: 1\nsubmission:\n  id: X-1\n  jurisdiction: 十堰\n  filed: 2024-03-01\n",
    )
    .unwrap();
    let f = f.to_str().unwrap();
    let (out, _, code) = peitao(&["check", f, "--lang", "en"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("only-filing.yaml: no rule applies to this submission\n"),
        "{out}"
    );
    assert!(
        out.ends_with(
            "1 file: 0 clean, 0 with findings, 1 with no rule applying, 0 invalid, 0 unreadable\n"
        ),
        "{out}"
    );
    let (out, _, _) = peitao(&["check", f, "--lang", "zh"]);
    assert!(out.contains("没有适用于此申报的规则"), "{out}");
    assert_eq!(peitao(&["check", f, "--fail-on", "warning"]).2, 1);
    let (json, _, _) = peitao(&["check", f, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["files"][0]["status"], "no_rule_applies");
    assert_eq!(v["summary"]["no_rule_applies"], 1);
    assert_eq!(v["summary"]["clean"], 0);
    // A file a rule did check stays clean.
    let (json, _, _) = peitao(&[
        "check",
        "examples/shiyan-compliant.yaml",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["summary"]["no_rule_applies"], 0);
    assert_eq!(v["summary"]["clean"], 1);
}

#[test]
fn a_gbk_file_is_transcoded_and_says_so() {
    let gbk = "tests/encoding/shiyan-violating.gbk.yaml";
    let bytes = std::fs::read(gbk).unwrap();
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture is real GBK"
    );
    let (text, _, had_errors) = encoding_rs::GBK.decode(&bytes);
    assert!(!had_errors);
    let dir = tempdir("gbk");
    let utf8 = dir.join("shiyan-violating.gbk.yaml");
    std::fs::write(&utf8, text.as_bytes()).unwrap();
    let json = |path: &str| {
        let (out, _, code) = peitao(&["check", path, "--format", "json", "--lang", "en"]);
        let mut v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let file = v["files"][0].take();
        (file, code)
    };
    let (from_gbk, code_gbk) = json(gbk);
    let (from_utf8, code_utf8) = json(utf8.to_str().unwrap());
    assert_eq!(from_gbk["transcoded_from"], "GB18030");
    assert!(from_utf8.get("transcoded_from").is_none());
    assert_eq!(code_gbk, code_utf8);
    // Same findings, same lines and columns (in the transcoded text).
    assert_eq!(from_gbk["findings"], from_utf8["findings"]);
    assert!(from_gbk["findings"].as_array().unwrap().len() >= 3);
    let (out, _, _) = peitao(&["check", gbk, "--lang", "en"]);
    assert!(
        out.contains("note: this file was read as GB18030 (GBK) and transcoded to UTF-8"),
        "{out}"
    );
    let (out, _, _) = peitao(&["check", gbk, "--lang", "zh"]);
    assert!(out.contains("按 GB18030 (GBK) 编码读取"), "{out}");
    // Bytes that are neither UTF-8 nor GB18030 are refused, naming both.
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, b"version: 1\nsubmission:\n  title: caf\xe9\n").unwrap();
    let (out, _, code) = peitao(&["check", bad.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(code, 2);
    assert!(
        out.contains("neither UTF-8 nor GB18030 (GBK) text"),
        "{out}"
    );
}

/// `check --help`, `Limits::default()` and docs/limits.md give one set of
/// numbers for the submission limits.
#[test]
fn the_limits_help_and_docs_state_the_same_defaults() {
    let (help, _, code) = peitao(&["check", "--help"]);
    assert_eq!(code, 0);
    let limits = peitao::input::Limits::default();
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/limits.md"))
            .unwrap();
    let grouped = |n: usize| {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    };
    for (option, value, in_docs) in [
        (
            "--max-file-size",
            limits.max_file_bytes,
            format!("{} MiB", limits.max_file_bytes >> 20),
        ),
        (
            "--max-depth",
            limits.max_depth,
            format!("{} levels", limits.max_depth),
        ),
        ("--max-nodes", limits.max_nodes, grouped(limits.max_nodes)),
        (
            "--max-aliases",
            limits.max_aliases,
            grouped(limits.max_aliases),
        ),
        (
            "--max-records",
            limits.max_records,
            grouped(limits.max_records),
        ),
    ] {
        let at = help
            .find(option)
            .unwrap_or_else(|| panic!("{option} not in --help"));
        let text = &help[at..];
        let entry = &text[..text[2..].find("\n      --").map_or(text.len(), |e| e + 2)];
        assert!(
            entry.contains(&format!("[default: {value}]")),
            "{option}: --help says {entry:?}, Limits::default() {value}"
        );
        let row = docs
            .lines()
            .find(|l| l.contains(&format!("`{option} ")))
            .unwrap_or_else(|| panic!("docs/limits.md has no row for {option}"));
        assert!(
            row.contains(&format!("| {in_docs} |")),
            "docs/limits.md says {row:?} for {option}, Limits::default() {in_docs}"
        );
    }
}

/// Numbers written as a reader would (`1,860`, `5580人`, `45个`) say which
/// character to drop, and a district of a known city is reported with the
/// other errors (not only once they are fixed) with the city suggested.
#[test]
fn input_hints_say_what_to_drop_and_a_district_is_told_its_city() {
    let dir = tempdir("hints");
    let file = dir.join("hints.yaml");
    std::fs::write(
        &file,
        "version: 1\nsubmission:\n  jurisdiction: 昆明市呈贡区\n  filed: 2025-03-01\nestate:\n  status: new\n  households: 1,860\n  population: 5580人\nfacilities:\n  - id: F1\n    kind: childcare\n    slots: 45个\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let errors = |lang: &str| {
        let (out, _, code) = peitao(&["check", f, "--format", "json", "--lang", lang]);
        assert_eq!(code, 2, "{out}");
        let report: serde_json::Value = serde_json::from_str(&out).unwrap();
        report["files"][0]["input_errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["code"].as_str().unwrap().to_string(),
                    e["location"]["text"].as_str().unwrap().to_string(),
                    e["location"]["line"].as_u64().unwrap(),
                    e["help"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect::<Vec<_>>()
    };
    let zh = errors("zh");
    let codes: Vec<(&str, &str, u64)> = zh
        .iter()
        .map(|(c, t, l, _)| (c.as_str(), t.as_str(), *l))
        .collect();
    assert_eq!(
        codes,
        [
            ("unknown-jurisdiction", "昆明市呈贡区", 3),
            ("wrong-type", "1,860", 7),
            ("wrong-type", "5580人", 8),
            ("wrong-type", "45个", 12),
        ]
    );
    assert!(
        zh[0]
            .3
            .starts_with("是否指 `昆明市`? 区县按所在城市的规划检查: 《"),
        "{}",
        zh[0].3
    );
    assert_eq!(zh[1].3, "去掉千位分隔符 `,`, 写作 1860");
    assert_eq!(zh[2].3, "去掉单位 `人` (字段的单位已确定), 写作 5580");
    assert_eq!(zh[3].3, "去掉单位 `个` (字段的单位已确定), 写作 45");
    let en = errors("en");
    assert!(
        en[0].3.starts_with(
            "did you mean `昆明市`? A district or county is checked against its city's plan"
        ),
        "{}",
        en[0].3
    );
    assert_eq!(en[1].3, "drop the thousands separator `,`: write 1860");
    // Fixed as suggested, the file is checked against 昆明's plan.
    std::fs::write(
        &file,
        std::fs::read_to_string(&file)
            .unwrap()
            .replace("昆明市呈贡区", "昆明市")
            .replace("1,860", "1860")
            .replace("5580人", "5580")
            .replace("45个", "45"),
    )
    .unwrap();
    let (out, _, code) = peitao(&["check", f, "--format", "json", "--lang", "en"]);
    assert_ne!(code, 2, "{out}");
    assert!(out.contains("\"kunming\""), "{out}");
}
