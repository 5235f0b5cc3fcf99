//! Machine-readable reports: JSON against its documented schema, SARIF
//! against the official 2.1.0 schema, JUnit and JSON snapshotted, and every
//! example and fixture valid against the submission schema `peitao schema`
//! prints.

mod common;

use std::path::Path;

fn peitao(args: &[&str]) -> (String, i32) {
    let (out, _, code) = common::peitao(args);
    (out, code)
}

fn validator(schema: &str) -> (boon::Schemas, boon::SchemaIndex) {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(schema);
    let index = compiler
        .compile(path.to_str().unwrap(), &mut schemas)
        .unwrap_or_else(|e| panic!("{schema}: {e:#}"));
    (schemas, index)
}

/// Each schema compiled once for the whole test binary: compiling the
/// submission schema for each of ~1,100 fixture documents took 150 s.
fn compiled(schema: &'static str) -> &'static (boon::Schemas, boon::SchemaIndex) {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<
        Mutex<HashMap<&'static str, &'static (boon::Schemas, boon::SchemaIndex)>>,
    > = OnceLock::new();
    let mut cache = CACHE.get_or_init(Default::default).lock().unwrap();
    cache
        .entry(schema)
        .or_insert_with(|| Box::leak(Box::new(validator(schema))))
}

fn assert_valid(schema: &'static str, doc: &serde_json::Value, what: &str) {
    let (schemas, index) = compiled(schema);
    if let Err(e) = schemas.validate(doc, *index) {
        panic!("{what} is not valid against {schema}:\n{e:#}");
    }
}

/// The report over the first eleven examples (each plan's compliant and
/// violating estate, 佳木斯's district plan) plus one invalid and one missing
/// file, so every kind of file appears. A fixed set, so that a new example
/// does not rewrite these format snapshots; cli.rs snapshots every example.
fn report(format: &str) -> (String, i32) {
    let mut args = vec!["check"];
    let examples: Vec<String> = ["honghe", "jiamusi", "kunming", "shiyan", "taizhou"]
        .iter()
        .flat_map(|p| {
            [
                format!("examples/{p}-compliant.yaml"),
                format!("examples/{p}-violating.yaml"),
            ]
        })
        .chain(["examples/jiamusi-district-plan.yaml".to_string()])
        .collect();
    args.extend(examples.iter().map(String::as_str));
    args.extend([
        "tests/input/wrong-types.yaml",
        "no/such/file.yaml",
        "--format",
        format,
        "--lang",
        "en",
    ]);
    peitao(&args)
}

#[test]
fn json_report_matches_its_documented_schema() {
    let (out, code) = report("json");
    assert_eq!(code, 2);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_valid("docs/json-output.schema.json", &doc, "the JSON report");
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 13);
    assert_eq!(doc["summary"]["files"], 13);
    let shiyan = files
        .iter()
        .find(|f| f["path"] == "examples/shiyan-violating.yaml")
        .unwrap();
    let space = shiyan["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "shiyan.elderly-space-new")
        .unwrap();
    assert_eq!(space["required"], ">= 520 m²");
    assert_eq!(space["provided"], "519 m²");
    assert_eq!(space["document_number"], "十政办发〔2022〕56号");
    assert_eq!(space["primary"][0]["location"]["text"], "319 m²");
    assert_eq!(space["inputs"][0]["location"]["text"], "2600");
    assert_eq!(space["inputs"][0]["location"]["line"], 15);
    insta::assert_snapshot!("report_json", out);
}

#[test]
fn sarif_report_is_valid_sarif_2_1_0() {
    // The official schema, as shipped in shared/ (a copy lives in tests/schemas).
    let shared =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/schemas/sarif-schema-2.1.0.json");
    if shared.exists() {
        let ours = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-schema-2.1.0.json"),
        )
        .unwrap();
        assert!(
            std::fs::read(&shared).unwrap() == ours,
            "tests/schemas/sarif-schema-2.1.0.json differs from shared/"
        );
    }
    let (out, _) = report("sarif");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_valid(
        "tests/schemas/sarif-schema-2.1.0.json",
        &doc,
        "the SARIF report",
    );
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            rules[index]["id"], result["ruleId"],
            "ruleIndex points at its rule"
        );
        assert!(result["partialFingerprints"]["peitaoFinding/v1"].is_string());
    }
    // Columns are UTF-16 code units: `319 m²` after `    floor_area: ` is column 17.
    let space = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "shiyan.elderly-space-new")
        .unwrap();
    assert_eq!(
        space["locations"][0]["physicalLocation"]["region"]["startColumn"],
        17
    );
    assert_eq!(
        space["locations"][0]["physicalLocation"]["region"]["endColumn"],
        23
    );
    assert!(
        run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("no/such/file.yaml")
    );
}

#[test]
fn sarif_fingerprints_survive_edits_elsewhere() {
    let dir = std::env::temp_dir().join(format!("peitao-fp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("s.yaml");
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/shiyan-violating.yaml"),
    )
    .unwrap();
    let prints = |text: &str| {
        std::fs::write(&file, text).unwrap();
        let (out, _) = peitao(&["check", file.to_str().unwrap(), "--format", "sarif"]);
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        doc["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["partialFingerprints"].to_string())
            .collect::<Vec<_>>()
    };
    let before = prints(&text);
    let after = prints(&text.replacen("version: 1", "# a new comment line\nversion: 1", 1));
    assert_eq!(before, after);
}

#[test]
fn junit_report() {
    let (out, _) = report("junit");
    assert!(
        out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"peitao\"")
    );
    assert_eq!(out.matches("<testsuite ").count(), 13);
    insta::assert_snapshot!("report_junit", out);
}

#[test]
fn the_schema_file_is_what_peitao_schema_prints() {
    let (printed, code) = peitao(&["schema"]);
    assert_eq!(code, 0);
    let shipped = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/submission.schema.json"),
    )
    .unwrap();
    assert!(printed == shipped, "docs/submission.schema.json is stale: run `cargo run -- schema > docs/submission.schema.json`");
}

#[test]
fn every_example_and_fixture_is_valid_against_the_submission_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(root.join("examples"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    for pack in std::fs::read_dir(root.join("rules")).unwrap().flatten() {
        if let Ok(tests) = std::fs::read_dir(pack.path().join("tests")) {
            files.extend(tests.flatten().map(|e| e.path()));
        }
    }
    let mut checked = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        if file.starts_with(root.join("examples")) {
            assert!(
                text.starts_with(
                    "# yaml-language-server: $schema=../docs/submission.schema.json\n"
                ),
                "{} lacks the schema line",
                file.display()
            );
        }
        for case in peitao::fixture::cases(&text) {
            let doc: serde_json::Value = serde_saphyr::from_str(&case.text).unwrap();
            assert_valid(
                "docs/submission.schema.json",
                &doc,
                &format!("{} (line {})", file.display(), case.first_line),
            );
            checked += 1;
        }
    }
    assert!(checked > 130, "only {checked} documents checked");
}

#[test]
fn the_schema_rejects_what_peitao_rejects() {
    for bad in [
        "version: 2\n",
        "version: 1\nestate: { housholds: 3 }\n",
        "version: 1\nestate: { households: -1 }\n",
        "version: 1\nfacilities: [{ floor_area: 3 acres }]\n",
    ] {
        let doc: serde_json::Value = serde_saphyr::from_str(bad).unwrap();
        let (schemas, index) = compiled("docs/submission.schema.json");
        assert!(
            schemas.validate(&doc, *index).is_err(),
            "schema accepts {bad:?}"
        );
    }
}

/// The Microsoft SARIF Multitool (`npm install -g @microsoft/sarif-multitool`)
/// validating `sarif`: the number of problems it reports. None when the tool
/// is not installed (a failure under CI=true, where .ci/run installs it).
fn multitool_problems(name: &str, sarif: &str) -> Option<Vec<String>> {
    let dir = common::tempdir(&format!("multitool-{name}"));
    let input = dir.join(format!("{name}.sarif"));
    let output = dir.join(format!("{name}.validation.sarif"));
    std::fs::write(&input, sarif).unwrap();
    let run = std::process::Command::new("sarif-multitool")
        .arg("validate")
        .arg(&input)
        .arg("--output")
        .arg(&output)
        .output();
    let run = match run {
        Ok(r) => r,
        Err(e) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("CI=true and the SARIF Multitool cannot run ({e}): .ci/run installs it")
        }
        Err(e) => {
            eprintln!("SKIPPED: the SARIF Multitool is not installed ({e})");
            return None;
        }
    };
    let log: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&output).unwrap_or_else(|e| {
            panic!(
                "the Multitool wrote no log ({e}): {}{}",
                String::from_utf8_lossy(&run.stdout),
                String::from_utf8_lossy(&run.stderr)
            )
        }))
        .unwrap();
    let results = log["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    Some(
        results
            .iter()
            .map(|r| format!("{} {}: {}", r["level"], r["ruleId"], r["message"]))
            .collect(),
    )
}

#[test]
fn the_sarif_multitool_finds_nothing_to_fault() {
    let dir = common::tempdir("sarif-cases");
    // An unreadable file: a dangling link named like a submission.
    let dangling = dir.join("gone.yaml");
    let _ = std::fs::remove_file(&dangling);
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("nowhere.yaml"), &dangling).unwrap();
    // A rule error: a pack whose script fails.
    let pack = dir.join("pack");
    std::fs::create_dir_all(&pack).unwrap();
    std::fs::write(
        pack.join("seed.txt"),
        "某市方案。新建住宅小区应配建养老服务用房。\n",
    )
    .unwrap();
    std::fs::write(
        pack.join("pack.yaml"),
        "id: mou\ntitle: 某市方案\nseed: seed.txt\naliases: [某市]\n",
    )
    .unwrap();
    std::fs::write(
        pack.join("fails.rhai"),
        "// mou.fails\n#{\n    id: \"mou.fails\",\n    severity: \"error\",\n    title: #{ zh: \"失败\", en: \"fails\" },\n    clause: \"新建住宅小区应配建养老服务用房\",\n};\n\nfn estate(e) { throw \"boom\" }\n",
    )
    .unwrap();
    let sub = dir.join("sub.yaml");
    std::fs::write(&sub, "version: 1\nsubmission: { jurisdiction: 某市 }\nestate: { status: new, households: 100 }\n").unwrap();
    let abs = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/shiyan-violating.yaml");
    let cases: Vec<(&str, Vec<&str>)> = vec![
        (
            "relative",
            vec!["examples/", "tests/input/wrong-types.yaml"],
        ),
        ("absolute", vec![abs.to_str().unwrap()]),
        (
            "unreadable",
            vec![dangling.to_str().unwrap(), "no/such/file.yaml"],
        ),
        (
            "rule-error",
            vec!["--rules", pack.to_str().unwrap(), sub.to_str().unwrap()],
        ),
    ];
    // The cases side by side: the Multitool (a .NET program) takes a
    // second or two to start and validate each.
    std::thread::scope(|scope| {
        for (name, paths) in cases {
            scope.spawn(move || {
                let mut args = vec!["check", "--format", "sarif", "--lang", "en"];
                args.extend(paths);
                let (out, _) = peitao(&args);
                let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
                assert_valid("tests/schemas/sarif-schema-2.1.0.json", &doc, name);
                let run = &doc["runs"][0];
                let successful = run["invocations"][0]["executionSuccessful"]
                    .as_bool()
                    .unwrap();
                assert_eq!(
                    successful,
                    !matches!(name, "unreadable" | "rule-error"),
                    "{name}: executionSuccessful"
                );
                let uris: Vec<&str> = run["results"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|r| {
                        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str()
                    })
                    .collect();
                assert!(
                    !uris.is_empty() || matches!(name, "unreadable" | "rule-error"),
                    "{name}: no results"
                );
                if name == "absolute" {
                    assert!(uris.iter().all(|u| u.starts_with("file:///")), "{uris:?}");
                }
                if name == "rule-error" {
                    // The tool failing is a notification naming the rule, not a result.
                    let note = &run["invocations"][0]["toolExecutionNotifications"][0];
                    assert_eq!(note["associatedRule"]["id"], "mou.fails", "{out}");
                    assert!(
                        note["message"]["text"].as_str().unwrap().contains("boom"),
                        "{out}"
                    );
                }
                if let Some(problems) = multitool_problems(name, &out) {
                    assert!(
                        problems.is_empty(),
                        "{name}: the Multitool found {problems:#?}"
                    );
                }
            });
        }
    });
}

#[test]
fn rule_ids_are_the_same_in_sarif_and_the_terminal() {
    let f = "tests/input/typo-key.yaml";
    let (human, _) = peitao(&["check", f, "--lang", "en"]);
    let (sarif, _) = peitao(&["check", f, "--format", "sarif", "--lang", "en"]);
    assert!(human.contains("input::unknown-key"), "{human}");
    assert!(
        sarif.contains("\"ruleId\": \"input::unknown-key\""),
        "{sarif}"
    );
    assert!(!sarif.contains("\"input/"), "one separator everywhere");
}

#[test]
fn junit_failures_are_exactly_the_findings_at_or_above_fail_on() {
    let f = "examples/shiyan-violating.yaml";
    let (json, _) = peitao(&["check", f, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let findings = doc["files"][0]["findings"].as_array().unwrap();
    let at_error = findings.iter().filter(|f| f["severity"] == "error").count();
    assert!(
        at_error > 0 && at_error < findings.len(),
        "the example has both"
    );
    let failures = |fail_on: &str| {
        let (out, code) = peitao(&["check", f, "--format", "junit", "--fail-on", fail_on]);
        (out.matches("<failure ").count(), code, out)
    };
    let (n, code, out) = failures("error");
    assert_eq!((n, code), (at_error, 1), "{out}");
    assert!(
        out.contains("<system-out>"),
        "warnings are said, not failed: {out}"
    );
    let (n, code, _) = failures("warning");
    assert_eq!((n, code), (findings.len(), 1));
    let (n, code, _) = failures("never");
    assert_eq!((n, code), (0, 0));
}
