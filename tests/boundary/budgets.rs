//! See tests/boundary.rs. Issue 20 items 7 and 9: budgets in total (the
//! scripts a run loads, the rules of one submission, a pack's data tables,
//! the config and baseline files), and template parameters of the wrong
//! type refused at load, at the parameter. The hostile-pack corpus
//! (tests/hostile-packs: ten-scripts-spend-their-load-budgets,
//! twenty-rules-spend-their-budgets, quotes-a-figure-of-a-number-field,
//! gives-a-negative-due-year, puts-text-in-a-where-condition) holds the
//! cases that fit in files; these need a FIFO, a sparse file or a table
//! too large to commit.

use crate::common::{peitao, tempdir};
use std::path::Path;
use std::time::{Duration, Instant};

/// Generous: each case is refused before anything large is read.
const FAST: Duration = Duration::from_secs(3);

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// `peitao ARGS`, timed against [`FAST`].
fn run(args: &[&str]) -> (String, String, i32) {
    let t = Instant::now();
    let out = peitao(args);
    assert!(t.elapsed() < FAST, "{args:?} took {:?}", t.elapsed());
    out
}

fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo").arg(path).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo {path:?}");
}

/// A file of `len` bytes that takes no space (nothing is written).
fn sparse(path: &Path, len: u64) {
    std::fs::File::create(path).unwrap().set_len(len).unwrap();
}

// The config and the baseline.

#[test]
fn a_config_that_is_no_regular_file_is_never_opened() {
    let dir = tempdir("budgets-config-fifo");
    let fifo = dir.join("peitao.toml");
    mkfifo(&fifo);
    // Opening a FIFO with no writer would block for ever.
    for config in [fifo.to_str().unwrap(), "/dev/zero"] {
        let (_, err, code) = run(&["plans", "--config", config]);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains(
                "it is not a regular file (a FIFO, a device or a directory is never opened)"
            ),
            "{err}"
        );
    }
    let (_, err, _) = run(&["plans", "--lang", "zh", "--config", "/dev/zero"]);
    assert!(err.contains("不是普通文件"), "{err}");
}

#[test]
fn a_config_past_its_size_is_refused_unread() {
    let dir = tempdir("budgets-config-size");
    let config = dir.join("peitao.toml");
    // 3 GB, sparse: it took 9 GB when it was read whole.
    sparse(&config, 3 << 30);
    let (_, err, code) = run(&["plans", "--config", config.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "its 3221225472 bytes are more than the limit of 1048576 bytes; it is not read"
        ),
        "{err}"
    );
    // At the limit it is read (and found to be blank TOML: no problem).
    sparse(&config, 0);
    std::fs::write(&config, " ".repeat(1 << 20)).unwrap();
    let (_, err, code) = run(&["plans", "--config", config.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_baseline_that_is_a_device_a_fifo_or_too_large_is_refused() {
    let dir = tempdir("budgets-baseline");
    let file = "examples/honghe-compliant.yaml";
    // `--baseline /dev/zero` read until the memory ran out.
    let (_, err, code) = run(&["check", file, "--baseline", "/dev/zero"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--baseline /dev/zero: it is not a regular file"),
        "{err}"
    );
    let fifo = dir.join("baseline.json");
    mkfifo(&fifo);
    let (_, err, code) = run(&["check", file, "--baseline", fifo.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("it is not a regular file"), "{err}");
    let big = dir.join("big.json");
    sparse(&big, (64 << 20) + 1);
    let (_, err, code) = run(&["check", file, "--baseline", big.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("its 67108865 bytes are more than the limit of 67108864 bytes"),
        "{err}"
    );
    let (_, err, _) = run(&["check", file, "--lang", "zh", "--baseline", "/dev/zero"]);
    assert!(err.contains("无法使用: 不是普通文件"), "{err}");
}

// Data tables.

/// A pack `id` with one script (`rule`, its `fn estate(e)` body) and the
/// data table `big.csv` of `rows` rows × `columns` columns.
fn pack_with_table(dir: &Path, id: &str, rows: usize, columns: usize, body: &str) {
    write(
        &dir.join("pack.yaml"),
        &format!("id: {id}\ntitle: 恶意市方案\nseed: seed.txt\naliases: [{id}市]\ndata: {{ big: big.csv }}\n"),
    );
    write(
        &dir.join("seed.txt"),
        "恶意市方案。新建住宅小区应配建养老服务用房。\n",
    );
    write(
        &dir.join("r.rhai"),
        &format!(
            "// {id}.r\n#{{ id: \"{id}.r\", severity: \"error\", title: #{{ zh: \"规则\", en: \"rule\" }}, clause: \"新建住宅小区应配建养老服务用房\" }};\nfn estate(e) {{ {body} }}\n"
        ),
    );
    let header: Vec<String> = (0..columns).map(|c| format!("c{c}")).collect();
    let row = vec!["1"; columns].join(",");
    let mut csv = header.join(",") + "\n";
    for _ in 0..rows {
        csv.push_str(&row);
        csv.push('\n');
    }
    write(&dir.join("big.csv"), &csv);
}

#[test]
fn a_table_past_its_cells_is_refused_at_the_row() {
    let dir = tempdir("budgets-table-cells");
    // 100,000 cells: the limit, loaded.
    pack_with_table(&dir.join("ok"), "ok", 10_000, 10, "holds()");
    let (out, err, code) = run(&[
        "plans",
        "--no-builtin-rules",
        "--rules",
        dir.join("ok").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    // One row more: refused at it (line 10,002: the header, then 10,001 rows).
    pack_with_table(&dir.join("over"), "over", 10_001, 10, "holds()");
    let (_, err, code) = run(&[
        "plans",
        "--no-builtin-rules",
        "--rules",
        dir.join("over").to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("plan::too-large"), "{err}");
    assert!(
        err.contains("the table has more than 100000 cells (rows × 10 columns) by this row"),
        "{err}"
    );
    assert!(err.contains("big.csv:10002:1"), "{err}");
    // Two million one-cell rows (4 MiB, 1.5 GB once read) stop at the same bound.
    pack_with_table(&dir.join("long"), "long", 2_000_000, 1, "holds()");
    let (_, err, code) = run(&[
        "plans",
        "--no-builtin-rules",
        "--rules",
        dir.join("long").to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("more than 100000 cells (rows × 1 columns)"),
        "{err}"
    );
    assert!(err.contains("big.csv:100002:1"), "{err}");
}

#[test]
fn the_tables_of_every_pack_share_one_bound() {
    let dir = tempdir("budgets-all-tables");
    // Five packs of 90,000 cells: each under its own bound, 450,000 in all.
    for i in 0..5 {
        pack_with_table(
            &dir.join(format!("p{i}")),
            &format!("p{i}"),
            9_000,
            10,
            "holds()",
        );
    }
    let (_, err, code) = run(&[
        "plans",
        "--no-builtin-rules",
        "--rules",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "the data tables of the packs loaded have more than 400000 cells in all by this row"
        ),
        "{err}"
    );
    // The fifth is refused at its row 4,001 (360,000 + 40,010 > 400,000).
    assert!(err.contains("p4/big.csv:4002:1"), "{err}");
    assert!(err.contains("1 problem in the rule packs"), "{err}");
}

#[test]
fn table_in_a_loop_is_charged_to_the_rule() {
    let dir = tempdir("budgets-table-loop");
    // 9,000 cells a copy, charged 144,000: the 139th copy passes the
    // 20,000,000 the rule may scan, in well under a second. (A script
    // cannot take a table of more than 10,000 cells at all: rhai's map
    // size limit counts the maps of the copy.)
    pack_with_table(
        &dir,
        "loop",
        1_000,
        9,
        "let n = 0; for i in 0..100000 { n += table(\"big\").len(); } holds()",
    );
    let sub = dir.join("sub.yaml");
    write(
        &sub,
        "version: 1\nsubmission: { jurisdiction: loop市, filed: 2025-03-01 }\nestate: { status: new, households: 100 }\n",
    );
    let (out, err, code) = run(&[
        "check",
        "--no-builtin-rules",
        "--rules",
        dir.to_str().unwrap(),
        sub.to_str().unwrap(),
        "--rule-time-limit",
        "60000",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("rule loop.r failed: exceeded the limit of 20000000 elements scanned"),
        "{out}"
    );
}

// Template parameters.

/// A pack whose one rule is `template` with `params` (YAML lines, indented
/// six spaces).
fn template_pack(dir: &Path, template: &str, params: &str) {
    write(
        &dir.join("pack.yaml"),
        &format!(
            "id: evil\ntitle: 恶意市方案\nseed: seed.txt\naliases: [恶意]\nrules:\n  r:\n    severity: error\n    title: {{ zh: \"规则\", en: \"rule\" }}\n    section: \"一\"\n    clause: \"新建住宅小区应配建养老服务用房\"\n    checks: \"x\"\n    template: {template}\n    params:\n{params}"
        ),
    );
    write(
        &dir.join("seed.txt"),
        "恶意市方案。新建住宅小区应配建养老服务用房。\n",
    );
}

const RECORD_TARGET: &str = "      section: \"hospitals\"\n      kinds: []\n      otherwise: []\n      name: { zh: \"医院\", en: \"hospital\" }\n      duty: { zh: \"职责\", en: \"duty\" }\n";

#[test]
fn template_parameters_of_the_wrong_type_are_refused_at_the_parameter() {
    let dir = tempdir("budgets-params");
    // (params besides RECORD_TARGET's, the message, the line:column of the parameter)
    let cases: &[(&str, &str, &str)] = &[
        (
            "      where: []\n      field: \"geriatrics_department\"\n      op: \"==\"\n      figure: \"true\"\n",
            "`figure`: `geriatrics_department` is yes or no, so its value must be true or false, not \"true\"",
            "pack.yaml:22:7",
        ),
        (
            "      where: [[\"kind\", \"==\", \"generl\"]]\n      field: \"geriatrics_department\"\n      op: \"==\"\n      figure: true\n",
            "`where`: `kind` is one of general, tcm, geriatric, maternal_child, primary_care, other, not \"generl\"",
            "pack.yaml:19:7",
        ),
        (
            "      where: []\n      field: \"geriatrics_department\"\n      op: \">=\"\n      figure: true\n",
            "`op`: `>=` orders numbers, and `geriatrics_department` is not a number; use == or !=",
            "pack.yaml:21:7",
        ),
        (
            "      where: []\n      field: \"beds\"\n      op: \">=\"\n      figure: { field: \"name\" }\n",
            "`figure` compares `beds` with the record's `name`: both must be number fields",
            "pack.yaml:22:7",
        ),
        (
            "      where: []\n      field: \"bed\"\n      op: \">=\"\n      figure: 10\n",
            "`field` names `bed`, which is no field of `hospitals`",
            "pack.yaml:20:7",
        ),
        (
            "      where: []\n      field: \"beds\"\n      op: \"=>\"\n      figure: 10\n",
            "unknown op `=>`",
            "pack.yaml:21:7",
        ),
    ];
    for (i, (params, message, at)) in cases.iter().enumerate() {
        let pack = dir.join(format!("case{i}"));
        template_pack(&pack, "record-target", &format!("{RECORD_TARGET}{params}"));
        let (_, err, code) = run(&[
            "plans",
            "--no-builtin-rules",
            "--rules",
            pack.to_str().unwrap(),
        ]);
        assert_eq!(code, 2, "case {i}: {err}");
        let flat = err.replace("\n  │ ", " ");
        assert!(flat.contains("plan::bad-template"), "case {i}: {err}");
        assert!(
            flat.contains(message),
            "case {i}: wants {message:?}:\n{err}"
        );
        assert!(err.contains(at), "case {i}: wants {at}:\n{err}");
    }
    // The typo gets its did-you-mean, and every message has its Chinese.
    let pack = dir.join("case1");
    let (_, err, _) = run(&[
        "plans",
        "--no-builtin-rules",
        "--rules",
        pack.to_str().unwrap(),
    ]);
    assert!(
        err.replace("\n  │ ", " ")
            .contains("did you mean `general`?"),
        "{err}"
    );
    let (_, err, _) = run(&[
        "plans",
        "--lang",
        "zh",
        "--no-builtin-rules",
        "--rules",
        pack.to_str().unwrap(),
    ]);
    assert!(
        err.replace("\n  │ ", "").contains("`kind` 的值应为"),
        "{err}"
    );
    // The right types load: the same rule with `figure: 10` on a number field.
    let ok = dir.join("ok");
    template_pack(
        &ok,
        "record-target",
        &format!("{RECORD_TARGET}      where: [[\"level\", \">=\", 2], [\"kind\", \"==\", \"general\"]]\n      field: \"beds\"\n      op: \">=\"\n      figure: 10\n"),
    );
    let (out, err, code) = run(&[
        "plans",
        "--no-builtin-rules",
        "--rules",
        ok.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn a_due_year_outside_the_plans_years_is_refused() {
    let dir = tempdir("budgets-due");
    let target = |due: &str| {
        format!("      field: elderly_beds\n      op: \">=\"\n      figure: 100\n      scope: \"any\"\n      due: {due}\n      name: {{ zh: \"床位\", en: \"beds\" }}\n")
    };
    for (due, ok) in [
        ("-5", false),
        ("25", false),
        ("20250", false),
        ("0", true),
        ("2025", true),
        ("\"2025\"", false),
    ] {
        let pack = dir.join(format!("due{}", due.replace('"', "q")));
        template_pack(&pack, "target", &target(due));
        let (_, err, code) = run(&[
            "plans",
            "--no-builtin-rules",
            "--rules",
            pack.to_str().unwrap(),
        ]);
        assert_eq!(code == 0, ok, "due: {due}: {err}");
        if !ok {
            assert!(err.contains("pack.yaml:18:7"), "due: {due}: {err}");
        }
    }
}

// One source for the defaults.

#[test]
fn the_totals_default_to_a_multiple_shown_in_help_and_docs() {
    use peitao::engine::sandbox::{TimeLimits, DEFAULT_LOAD_TIME, DEFAULT_RULE_TIME, TOTAL_FACTOR};
    let limits = TimeLimits::default();
    assert_eq!(limits.submission, DEFAULT_RULE_TIME * TOTAL_FACTOR);
    assert_eq!(limits.load_total, DEFAULT_LOAD_TIME * TOTAL_FACTOR);
    // A single budget raised raises its total unless the total is given.
    let raised = TimeLimits::new(
        Duration::from_secs(3),
        None,
        DEFAULT_LOAD_TIME,
        Some(Duration::from_secs(1)),
    );
    assert_eq!(raised.submission, Duration::from_secs(3) * TOTAL_FACTOR);
    assert_eq!(raised.load_total, Duration::from_secs(1));
    let (help, _, _) = run(&["check", "--help"]);
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        help.contains(&format!("Default: {TOTAL_FACTOR} × --rule-time-limit")),
        "{help}"
    );
    assert!(
        help.contains(&format!("Default: {TOTAL_FACTOR} × --load-time-limit")),
        "{help}"
    );
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/limits.md")).unwrap();
    for row in [
        format!(
            "{} ms ({TOTAL_FACTOR} × `--rule-time-limit`; `--submission-time-limit MS`)",
            limits.submission.as_millis()
        ),
        format!(
            "{} ms ({TOTAL_FACTOR} × `--load-time-limit`; `--load-time-limit-total MS`)",
            limits.load_total.as_millis()
        ),
    ] {
        assert!(doc.contains(&row), "docs/limits.md lacks {row:?}");
    }
}

#[test]
fn figures_that_would_hold_or_fail_for_every_file_are_refused() {
    let dir = tempdir("budgets-figures");
    let share = |percent: &str| {
        format!("      kinds: []\n      region_part: \"nursing_beds\"\n      region_whole: \"elderly_beds\"\n      percent: {percent}\n      due: 2025\n      name: {{ zh: \"护理型床位\", en: \"nursing beds\" }}\n")
    };
    let rate = |rate: &str| {
        format!("      count: \"childcare_slots\"\n      base: \"population\"\n      per: 1000\n      rate: {rate}\n      due: 2025\n      name: {{ zh: \"托位数\", en: \"childcare slots\" }}\n      of: {{ zh: \"人口\", en: \"residents\" }}\n")
    };
    let one_per = |field: &str| {
        format!("      field: \"{field}\"\n      kinds: []\n      institution: []\n      region: [[\"elderly_population\", 1000]]\n      name: {{ zh: \"社工\", en: \"social workers\" }}\n      due: 2025\n")
    };
    // (template, params, the message or None to load, the line of the parameter)
    let cases: Vec<(&str, String, Option<&str>, &str)> = vec![
        ("share", share("60"), None, ""),
        ("share", share("100"), None, ""),
        ("share", share("150"), Some("`percent` is a percentage from 0 to 100 (95 for 95%), not 150"), "pack.yaml:17:7"),
        ("share", share("-1"), Some("`percent` must be 0 or more, not -1: a negative figure would hold for every file"), "pack.yaml:17:7"),
        ("rate", rate("4.5"), None, ""),
        ("rate", rate("-4.5"), Some("`rate` must be 0 or more, not -4.5"), "pack.yaml:17:7"),
        ("rate", rate("\"4.5\""), Some("`rate` must be a number"), "pack.yaml:17:7"),
        ("one-per", one_per("social_workers"), None, ""),
        ("one-per", one_per("social_worker"), Some("`field` names `social_worker`, which is no number field of `region`; did you mean `social_workers`?"), "pack.yaml:14:7"),
    ];
    for (i, (template, params, message, at)) in cases.iter().enumerate() {
        let pack = dir.join(format!("case{i}"));
        template_pack(&pack, template, params);
        let (_, err, code) = run(&[
            "plans",
            "--no-builtin-rules",
            "--rules",
            pack.to_str().unwrap(),
        ]);
        let flat = err.replace("\n  │ ", " ");
        match message {
            None => assert_eq!(code, 0, "case {i}: {err}"),
            Some(message) => {
                assert_eq!(code, 2, "case {i}: {err}");
                assert!(
                    flat.contains(message),
                    "case {i}: wants {message:?}:\n{err}"
                );
                assert!(err.contains(at), "case {i}: wants {at}:\n{err}");
            }
        }
    }
}
