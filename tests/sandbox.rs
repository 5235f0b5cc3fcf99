//! Rules are untrusted: a script cannot loop forever, recurse without
//! bound, allocate without bound, touch files, import modules, call eval or
//! write to the terminal. Each attempt is a rule error naming the rule and
//! the limit (or a refused pack, pointing into the script), and the other
//! rules' results still stand.

mod common;

use common::peitao;
use std::path::{Path, PathBuf};

const SEED: &str = "沙箱市方案。新建住宅小区应配建养老服务用房。\n";

/// A pack `sandbox` whose rules have the given check bodies.
fn pack(name: &str, rules: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("peitao-sandbox-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("seed.txt"), SEED).unwrap();
    std::fs::write(
        dir.join("pack.yaml"),
        "id: sandbox\ntitle: 沙箱市方案\nseed: seed.txt\naliases: [沙箱]\n",
    )
    .unwrap();
    for (rule, body) in rules {
        let script = format!(
            "// sandbox.{rule}\n#{{\n    id: \"sandbox.{rule}\",\n    severity: \"error\",\n    title: #{{ zh: \"{rule}\", en: \"{rule}\" }},\n    clause: \"新建住宅小区应配建养老服务用房\",\n}};\n\n{body}\n"
        );
        std::fs::write(dir.join(format!("{rule}.rhai")), script).unwrap();
    }
    std::fs::write(dir.join("sub.yaml"), "version: 1\nsubmission: { jurisdiction: sandbox }\nestate: { status: new, households: 100 }\n").unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn runaway_scripts_are_rule_errors_and_the_others_still_count() {
    let dir = pack(
        "runaway",
        &[
            ("endless-loop", "fn estate(e) { loop { } }"),
            ("deep-recursion", "fn estate(e) { down(1) }\nfn down(n) { down(n + 1) }"),
            ("huge-string", "fn estate(e) { let x = \"0123456789\"; loop { x += x; } }"),
            ("huge-array", "fn estate(e) { let a = [1]; loop { a += a; } }"),
            ("huge-map", "fn estate(e) { let m = #{}; let i = 0; loop { m[`k${i}`] = i; i += 1; } }"),
            ("open-file", "fn estate(e) { open_file(\"/etc/passwd\") }"),
            ("shouts", "fn estate(e) { print(\"\\x1b[2J\"); debug(\"\\x1b[2J\"); holds() }"),
            ("misspelt", "fn estate(e) {\n    violated(#{ message: #{ zh: \"不达标\", en: \"falls short\" }, input: [\"households\"] })\n}"),
            ("no-verdict", "fn estate(e) { if e.households > 1 { } }"),
            ("honest", "fn estate(e) { violated(#{ message: #{ zh: \"不达标\", en: \"falls short\" }, at: \"estate.households\" }) }"),
        ],
    );
    let (out, err, code) = peitao(&[
        "check",
        "--no-builtin-rules",
        "--rules",
        s(&dir),
        s(&dir.join("sub.yaml")),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        !out.contains('\u{1b}') && !err.contains('\u{1b}'),
        "a script reached the terminal"
    );
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let findings = doc["files"][0]["findings"].as_array().unwrap();
    let message = |rule: &str| {
        let f = findings
            .iter()
            .find(|f| f["rule"] == format!("sandbox.{rule}"))
            .unwrap_or_else(|| panic!("no finding of {rule}: {out}"));
        (
            f["status"].as_str().unwrap().to_string(),
            f["message"].as_str().unwrap().to_string(),
        )
    };
    for (rule, limit) in [
        ("endless-loop", "exceeded the limit of 2000000 operations"),
        ("deep-recursion", "exceeded the limit of 32 nested calls"),
        ("huge-string", "exceeded the size limit of"),
        ("huge-array", "exceeded the size limit of"),
        // Map growth by assignment is bounded by the operation limit.
        ("huge-map", "exceeded the"),
        ("open-file", "open_file"),
        // A misspelt key of a verdict is never lost without a word.
        ("misspelt", "unknown key `input`; did you mean `inputs`?"),
        ("no-verdict", "must return holds()"),
    ] {
        let (status, msg) = message(rule);
        assert_eq!(status, "rule_error", "{rule}: {msg}");
        assert!(
            msg.contains(&format!("rule sandbox.{rule} failed")),
            "{rule} not named: {msg}"
        );
        assert!(msg.contains(limit), "{rule}: expected {limit:?} in {msg}");
        assert!(
            msg.contains(&format!("{rule}.rhai")),
            "{rule}: the script's file is not named: {msg}"
        );
    }
    assert_eq!(
        message("honest"),
        ("violated".to_string(), "falls short".to_string())
    );
    let outcomes = doc["files"][0]["outcomes"].as_array().unwrap();
    assert!(
        outcomes
            .iter()
            .any(|o| o["rule"] == "sandbox.shouts" && o["outcome"] == "holds"),
        "print must be harmless"
    );
}

#[test]
fn eval_and_modules_do_not_even_load() {
    for (name, body, what) in [
        ("eval", "fn estate(e) { eval(\"holds()\") }", "eval"),
        (
            "import",
            "import \"../../etc/passwd\" as p;\nfn estate(e) { holds() }",
            "import",
        ),
    ] {
        let dir = pack(name, &[(name, body)]);
        let (out, err, code) = peitao(&[
            "check",
            "--no-builtin-rules",
            "--rules",
            s(&dir),
            s(&dir.join("sub.yaml")),
        ]);
        assert_eq!(code, 2, "{name}: {out}{err}");
        assert!(err.contains("plan::script-syntax"), "{name}: {err}");
        assert!(
            err.contains(&format!("{name}.rhai:")),
            "{name}: not pointed into the script: {err}"
        );
        assert!(err.contains(what), "{name}: {err}");
    }
}
