//! A template written in rhai inside a pack (issue 22): declared with typed
//! parameters under `templates:` in pack.yaml, used by two rules with
//! different parameters, tested and checked with the released binary
//! alone; a mistyped or unknown parameter refused at its own line; a
//! hostile template stopped by the same budgets as a rule script.

mod common;

use common::peitao;
use std::path::{Path, PathBuf};

const SEED: &str = "南湖市“一老一小”工作方案\n养老机构床位不少于50张。托育机构托位不少于20个。\n";

const PACK: &str = r#"id: nanhu
title: 南湖市“一老一小”工作方案
seed: seed.txt
aliases: [南湖, 南湖市]

templates:
  at-least:
    script: ./at-least.rhai
    doc: A number field of an institution of some kinds is at least a figure.
    params:
      kinds: { type: list, doc: the institution kinds it applies to }
      field: { type: field, section: institutions, doc: the number field }
      figure: { type: number, doc: the least value }
      name: { type: words, doc: what the field counts }
      strict: { type: bool, default: false, doc: the figure itself fails }

rules:
  elderly-home-beds:
    severity: error
    title: { zh: 养老机构床位, en: Beds of an elderly home }
    section: 正文
    clause: 养老机构床位不少于50张
    checks: an elderly_care institution's beds >= 50.
    template: at-least
    params:
      kinds: [elderly_care]
      field: beds
      figure: 50
      name: { zh: 床位, en: beds }
  childcare-slots:
    severity: warning
    title: { zh: 托育机构托位, en: Slots of a childcare centre }
    section: 正文
    clause: 托育机构托位不少于20个
    checks: a childcare institution's slots >= 20.
    template: ./at-least.rhai
    params:
      kinds: [childcare]
      field: slots
      figure: "20"
      name: { zh: 托位, en: slots }
"#;

const SCRIPT: &str = r#"// at-least: a number field of an institution of some kinds is at least
// a figure. Its rule's parameters are the constant map `params`.
fn institution(i) {
    if !(i.kind in params.kinds) { return not_applicable(); }
    let value = i[params.field];
    if value > params.figure || (!params.strict && value == params.figure) {
        return holds();
    }
    violated(#{
        message: #{
            zh: `${params.name.zh} ${value}, 少于 ${params.figure}`,
            en: `${params.name.en} ${value} < ${params.figure}`,
        },
        at: params.field,
    })
}
"#;

const FIXTURE: &str = r#"version: 1
institutions:
  - { id: A, kind: elderly_care, beds: 49 }   # expect: nanhu.elderly-home-beds
  - { id: B, kind: elderly_care, beds: 50 }   # expect-holds: nanhu.elderly-home-beds
  - { id: C, kind: elderly_care }   # expect-unchecked: nanhu.elderly-home-beds
  - { id: D, kind: childcare, slots: 19 }   # expect: nanhu.childcare-slots
  - { id: E, kind: childcare, slots: 20 }   # expect-holds: nanhu.childcare-slots
  - { id: G, kind: childcare }   # expect-unchecked: nanhu.childcare-slots
"#;

const SUBMISSION: &str = r#"version: 1
submission: { jurisdiction: 南湖市, filed: 2025-06-01 }
institutions:
  - { id: H1, kind: elderly_care, beds: 30 }
  - { id: K1, kind: childcare, slots: 25 }
"#;

fn pack(name: &str, edit: impl FnOnce(&mut String, &mut String)) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("peitao-tmpl-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let nanhu = dir.join("nanhu");
    std::fs::create_dir_all(nanhu.join("tests")).unwrap();
    let (mut manifest, mut script) = (PACK.to_string(), SCRIPT.to_string());
    edit(&mut manifest, &mut script);
    std::fs::write(nanhu.join("seed.txt"), SEED).unwrap();
    std::fs::write(nanhu.join("pack.yaml"), manifest).unwrap();
    std::fs::write(nanhu.join("at-least.rhai"), script).unwrap();
    std::fs::write(nanhu.join("tests/institutions.yaml"), FIXTURE).unwrap();
    std::fs::write(dir.join("submission.yaml"), SUBMISSION).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn two_rules_share_a_rhai_template_with_their_own_params() {
    let dir = pack("ok", |_, _| {});
    let nanhu = dir.join("nanhu");
    let (out, err, code) = peitao(&["test", s(&nanhu)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("institutions.yaml"), "{out}");

    let (out, err, code) = peitao(&[
        "check",
        "--no-builtin-rules",
        "--rules",
        s(&nanhu),
        s(&dir.join("submission.yaml")),
        "--lang",
        "en",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let findings = doc["files"][0]["findings"].as_array().unwrap();
    let beds = findings
        .iter()
        .find(|f| f["rule"] == "nanhu.elderly-home-beds")
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(beds["status"], "violated", "{out}");
    assert_eq!(beds["message"], "beds 30 < 50", "{out}");
    // 25 slots pass the other rule's figure of 20: no finding of it.
    assert!(
        !findings
            .iter()
            .any(|f| f["rule"] == "nanhu.childcare-slots"),
        "{out}"
    );
    let outcomes = doc["files"][0]["outcomes"].as_array().unwrap();
    assert!(
        outcomes
            .iter()
            .any(|o| o["rule"] == "nanhu.childcare-slots" && o["outcome"] == "holds"),
        "{out}"
    );
}

/// The pack refused at load, with `code` and a pointer to pack.yaml's line
/// `line`, and `words` in the message.
fn refused(dir: &Path, line: usize, words: &str) {
    let (out, err, code) = peitao(&["test", s(&dir.join("nanhu")), "--lang", "en"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("plan::bad-template"), "{err}");
    assert!(
        err.contains(&format!("nanhu/pack.yaml:{line}:")),
        "expected a pointer to line {line}: {err}"
    );
    assert!(err.contains(words), "expected {words:?}: {err}");
}

fn line_of(manifest: &str, needle: &str) -> usize {
    manifest
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle}"))
        + 1
}

#[test]
fn a_mistyped_param_is_refused_at_its_line() {
    let dir = pack("mistyped", |m, _| {
        *m = m.replace("figure: 50", "figure: many")
    });
    let manifest = std::fs::read_to_string(dir.join("nanhu/pack.yaml")).unwrap();
    refused(
        &dir,
        line_of(&manifest, "figure: many"),
        "`figure` must be a number",
    );

    let dir = pack("mistyped-field", |m, _| {
        *m = m.replace("field: slots", "field: slot")
    });
    let manifest = std::fs::read_to_string(dir.join("nanhu/pack.yaml")).unwrap();
    refused(
        &dir,
        line_of(&manifest, "field: slot"),
        "no field of `institutions`",
    );
}

#[test]
fn an_unknown_or_missing_param_is_refused() {
    let dir = pack("unknown", |m, _| {
        *m = m.replace("      field: beds\n", "      field: beds\n      figur: 3\n")
    });
    let manifest = std::fs::read_to_string(dir.join("nanhu/pack.yaml")).unwrap();
    refused(
        &dir,
        line_of(&manifest, "figur: 3"),
        "template `at-least` has no parameter `figur`",
    );

    // Left out, without a default: at the rule's `template:` line.
    let dir = pack("missing", |m, _| *m = m.replace("      figure: 50\n", ""));
    let manifest = std::fs::read_to_string(dir.join("nanhu/pack.yaml")).unwrap();
    refused(
        &dir,
        line_of(&manifest, "template: at-least"),
        "needs `figure`",
    );
}

#[test]
fn explain_describes_a_packs_template_and_its_rules() {
    let dir = pack("explain", |_, _| {});
    let nanhu = dir.join("nanhu");
    // The template: its doc, its parameters as declared, its script.
    let (out, err, code) = peitao(&["explain", "at-least", "--rules", s(&nanhu), "--lang", "en"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.starts_with("template at-least of pack nanhu (written in rhai: "),
        "{out}"
    );
    assert!(
        out.contains("A number field of an institution of some kinds is at least a figure."),
        "{out}"
    );
    assert!(
        out.contains("  field: field (institutions); required\n      the number field"),
        "{out}"
    );
    assert!(out.contains("  strict: bool; false when left out"), "{out}");
    assert!(out.contains("fn institution(i) {"), "the script: {out}");
    // By `PACK.NAME` too, and in Chinese.
    let (zh, err, code) = peitao(&[
        "explain",
        "nanhu.at-least",
        "--rules",
        s(&nanhu),
        "--lang",
        "zh",
    ]);
    assert_eq!(code, 0, "{zh}{err}");
    assert!(
        zh.starts_with("规则包 nanhu 的模板 at-least (以 rhai 编写: "),
        "{zh}"
    );
    assert!(zh.contains("  strict: bool; 省略时为 false"), "{zh}");
    // A rule of it shows the template's script, whichever way it names it.
    for rule in ["nanhu.elderly-home-beds", "nanhu.childcare-slots"] {
        let (out, err, code) = peitao(&["explain", rule, "--rules", s(&nanhu), "--lang", "en"]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(
            out.contains("--- template at-least (written in rhai: "),
            "{rule}: {out}"
        );
        assert!(out.contains("fn institution(i) {"), "{rule}: {out}");
    }
    // A name that is nothing of the run is still an unknown rule.
    let (_, err, code) = peitao(&["explain", "at-most", "--rules", s(&nanhu), "--lang", "en"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown rule `at-most`"), "{err}");
}

#[test]
fn a_pack_template_may_not_take_a_built_in_templates_name() {
    // Were it allowed, `template: share` would read as the built-in share
    // to anyone who knows the template reference, and run the pack's own.
    let dir = pack("shadow", |m, _| {
        *m = m
            .replace("  at-least:\n", "  share:\n")
            .replace("template: at-least", "template: share")
    });
    let manifest = std::fs::read_to_string(dir.join("nanhu/pack.yaml")).unwrap();
    refused(
        &dir,
        line_of(&manifest, "  share:"),
        "template `share` is a built-in template's name",
    );
}

#[test]
fn a_template_script_is_held_to_the_rule_scripts_checks() {
    // `switch` bypasses the poisoned operators: refused at load.
    let dir = pack("switch", |_, s| {
        *s = s.replace(
            "if !(i.kind in params.kinds) { return not_applicable(); }",
            "switch i.kind { \"x\" => 1, _ => 2 }",
        )
    });
    let (out, err, code) = peitao(&["test", s(&dir.join("nanhu")), "--lang", "en"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("plan::script-syntax"), "{err}");
    assert!(err.contains("nanhu/at-least.rhai:"), "{err}");

    // A variable it does not define (nor `params`) is refused when it loads.
    let dir = pack("undefined", |_, s| {
        *s = s.replace("params.figure ||", "figure ||")
    });
    let (out, err, code) = peitao(&["test", s(&dir.join("nanhu")), "--lang", "en"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("nanhu/at-least.rhai:"), "{err}");
}

#[test]
fn a_hostile_template_is_stopped_by_the_budgets() {
    for (name, body, limit) in [
        ("endless-loop", "loop { }", "exceeded the limit of"),
        (
            "huge-string",
            "let x = \"0123456789\"; loop { x += x; }",
            "exceeded the size limit of",
        ),
    ] {
        let dir = pack(name, |_, s| {
            *s = s.replace(
                "fn institution(i) {",
                &format!("fn institution(i) {{ {body}"),
            )
        });
        let (out, err, code) = peitao(&[
            "check",
            "--no-builtin-rules",
            "--rules",
            s(&dir.join("nanhu")),
            s(&dir.join("submission.yaml")),
            "--lang",
            "en",
            "--format",
            "json",
        ]);
        assert_eq!(code, 1, "{name}: {out}{err}");
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        let findings = doc["files"][0]["findings"].as_array().unwrap();
        for rule in ["nanhu.elderly-home-beds", "nanhu.childcare-slots"] {
            let f = findings
                .iter()
                .find(|f| f["rule"] == rule)
                .unwrap_or_else(|| panic!("{name}: no finding of {rule}: {out}"));
            assert_eq!(f["status"], "rule_error", "{name}: {out}");
            let msg = f["message"].as_str().unwrap();
            assert!(msg.contains(limit), "{name}: expected {limit:?}: {msg}");
            // Pointed at the template's own file.
            assert!(msg.contains("nanhu/at-least.rhai"), "{name}: {msg}");
        }
    }
}

#[test]
fn the_pack_schema_accepts_a_template_section_and_refuses_a_mistyped_one() {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/pack.schema.json");
    let index = compiler
        .compile(path.to_str().unwrap(), &mut schemas)
        .unwrap_or_else(|e| panic!("docs/pack.schema.json: {e:#}"));
    let doc: serde_json::Value = serde_saphyr::from_str(PACK).unwrap();
    if let Err(e) = schemas.validate(&doc, index) {
        panic!("the example pack is not valid against the schema: {e:#}");
    }
    // A type that is none of the seven, and a template named like a
    // built-in one, are refused by an editor too.
    for broken in [
        PACK.replace("type: bool", "type: boolean"),
        PACK.replace("  at-least:\n    script", "  share:\n    script"),
    ] {
        let doc: serde_json::Value = serde_saphyr::from_str(&broken).unwrap();
        assert!(schemas.validate(&doc, index).is_err(), "{broken}");
    }
}
