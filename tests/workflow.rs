//! A bureau's workflow end to end through the binary: peitao.toml and its
//! waivers, resubmissions against a baseline, several reports in one run,
//! the CSV ledger, GitHub annotations, quiet runs and standard input.

mod common;

use common::tempdir;
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Run `peitao ARGS` in `dir` (where it looks for peitao.toml), feeding
/// `stdin`; stdout, stderr and the exit code.
fn run_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> (String, String, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_peitao"))
        .args(args)
        .current_dir(dir)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("peitao runs");
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    let out = child.wait_with_output().unwrap();
    (
        String::from_utf8(out.stdout).expect("UTF-8 output"),
        String::from_utf8(out.stderr).expect("UTF-8 errors"),
        out.status.code().unwrap_or(-1),
    )
}

fn example(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(name),
    )
    .unwrap()
}

/// A bureau's directory holding the 十堰 violating example as `sub.yaml`.
fn bureau(name: &str) -> std::path::PathBuf {
    let dir = tempdir(name);
    std::fs::write(dir.join("sub.yaml"), example("shiyan-violating.yaml")).unwrap();
    dir
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn findings(report: &Value) -> &Vec<Value> {
    report["files"][0]["findings"].as_array().unwrap()
}

fn finding<'a>(report: &'a Value, rule: &str) -> &'a Value {
    findings(report)
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} finding"))
}

const WAIVERS: &str = r#"lang = "en"

[[waiver]]
rule = "shiyan.social-workers"
path = "sub.yaml"
subject = "I1"
reason = "second social worker hired, contract of 2025-03-20"
approved_by = "王科长"
expires = "2099-12-31"

[[waiver]]
rule = "shiyan.childcare-*"
path = "sub.yaml"
reason = "childcare room being fitted out"
approved_by = "李处长"
expires = "2020-01-01"

[[waiver]]
rule = "taizhou.*"
path = "*.yaml"
reason = "never matches here"
approved_by = "张"
expires = "2099-01-01"
"#;

#[test]
fn a_waiver_used_one_expired_and_one_unused() {
    let dir = bureau("waivers");
    std::fs::write(dir.join("peitao.toml"), WAIVERS).unwrap();

    let (out, err, code) = run_in(&dir, &["check", "sub.yaml", "--format", "json"], None);
    assert_eq!(code, 1, "{err}");
    let report = json(&out);
    let waived = finding(&report, "shiyan.social-workers");
    assert_eq!(waived["waiver"]["state"], "waived");
    assert_eq!(waived["waiver"]["approved_by"], "王科长");
    assert_eq!(waived["waiver"]["expires"], "2099-12-31");
    assert_eq!(waived["subject_id"], "I1");
    let expired = finding(&report, "shiyan.childcare-new-estate");
    assert_eq!(expired["waiver"]["state"], "expired");
    assert!(finding(&report, "shiyan.medical-room")
        .get("waiver")
        .is_none());
    let states: Vec<&str> = report["waivers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["used", "expired", "unused"]);
    assert_eq!(report["waivers"][2]["line"], 18);
    assert_eq!(report["summary"]["waived"], 1);

    // The human report shows all three, in English as the config says.
    let (out, _, _) = run_in(&dir, &["check", "sub.yaml"], None);
    assert!(out.contains("[waived] Social workers"), "{out}");
    assert!(
        out.contains("approved by 王科长, until 2099-12-31"),
        "{out}"
    );
    assert!(
        out.contains("waiver #2 (peitao.toml:11) expired on 2020-01-01"),
        "{out}"
    );
    assert!(
        out.contains("waiver #3 (peitao.toml:18) matched no finding"),
        "{out}"
    );
    // … and a flag overrides the config.
    let (out, _, _) = run_in(&dir, &["check", "sub.yaml", "--lang", "zh"], None);
    assert!(out.contains("[已豁免]"), "{out}");

    // SARIF: an external suppression with its justification.
    let (out, _, _) = run_in(&dir, &["check", "sub.yaml", "--format", "sarif"], None);
    let sarif = json(&out);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["ruleId"], "shiyan.social-workers");
    assert_eq!(suppressed[0]["suppressions"][0]["kind"], "external");
    assert!(suppressed[0]["suppressions"][0]["justification"]
        .as_str()
        .unwrap()
        .contains("second social worker hired"));
    let notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notes.len(), 2, "{notes:?}");

    // JUnit: the waived case is skipped, not failed.
    let (out, _, _) = run_in(&dir, &["check", "sub.yaml", "--format", "junit"], None);
    assert!(out.contains("skipped=\"1\""), "{out}");
    assert!(
        out.contains("<skipped message=\"waived (waiver #1"),
        "{out}"
    );
}

#[test]
fn waived_findings_do_not_fail_the_run() {
    let dir = bureau("waive-all");
    let (_, _, code) = run_in(&dir, &["check", "sub.yaml"], None);
    assert_eq!(code, 1);
    std::fs::write(
        dir.join("peitao.toml"),
        "[[waiver]]\nrule = \"shiyan.*\"\npath = \"sub.yaml\"\nreason = \"pilot\"\napproved_by = \"局长\"\nexpires = \"2099-01-01\"\n",
    )
    .unwrap();
    let (out, _, code) = run_in(&dir, &["check", "sub.yaml", "--lang", "en"], None);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("6 finding(s) waived"), "{out}");
    // A path glob matches however the file was reached (`.` gives `./2025/sub.yaml`).
    std::fs::create_dir_all(dir.join("2025")).unwrap();
    // (Another filing: a batch refuses a second file with the same id.)
    std::fs::write(
        dir.join("2025/sub.yaml"),
        example("shiyan-violating.yaml").replace("SY-2025-0042", "SY-2025-0043"),
    )
    .unwrap();
    let waiver = std::fs::read_to_string(dir.join("peitao.toml")).unwrap();
    std::fs::write(
        dir.join("other.toml"),
        waiver.replace("path = \"sub.yaml\"", "path = \"2025/*.yaml\""),
    )
    .unwrap();
    let (out, _, _) = run_in(
        &dir,
        &["check", ".", "--lang", "en", "--config", "other.toml"],
        None,
    );
    assert!(
        out.contains("./2025/sub.yaml: 3 errors, 2 warnings, 1 cannot be checked (6 waived)"),
        "{out}"
    );
    assert!(
        out.contains("./sub.yaml: 3 errors, 2 warnings, 1 cannot be checked\n"),
        "{out}"
    );
    std::fs::remove_dir_all(dir.join("2025")).unwrap();
    // The same waiver, expired, waives nothing.
    let text = std::fs::read_to_string(dir.join("peitao.toml")).unwrap();
    std::fs::write(
        dir.join("peitao.toml"),
        text.replace("2099-01-01", "2001-01-01"),
    )
    .unwrap();
    let (_, _, code) = run_in(&dir, &["check", "sub.yaml"], None);
    assert_eq!(code, 1);
}

#[test]
fn a_bad_config_is_located_with_a_suggestion_and_nothing_is_checked() {
    let dir = bureau("bad-config");
    std::fs::write(
        dir.join("peitao.toml"),
        "lang = \"en\"\nfial_on = \"never\"\n\n[[waiver]]\nrule = \"x\"\nsubmission = \"y\"\n",
    )
    .unwrap();
    let sub = dir.join("nested");
    std::fs::create_dir_all(&sub).unwrap();
    // Found from a subdirectory too.
    let (out, err, code) = run_in(&sub, &["check", "../sub.yaml"], None);
    assert_eq!(code, 2, "{out}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("../peitao.toml:2:1"), "{err}");
    assert!(err.contains("did you mean `fail_on`?"), "{err}");
    assert!(
        err.contains("waiver #1 lacks `reason`, `approved_by`, `expires`"),
        "{err}"
    );
    // --no-config ignores it; --config names another.
    let (_, _, code) = run_in(&sub, &["check", "../sub.yaml", "--no-config"], None);
    assert_eq!(code, 1);
    std::fs::write(dir.join("other.toml"), "fail_on = \"never\"\n").unwrap();
    let (_, _, code) = run_in(
        &sub,
        &["check", "../sub.yaml", "--config", "../other.toml"],
        None,
    );
    assert_eq!(code, 0);
}

#[test]
fn init_writes_a_working_starter_once() {
    let dir = bureau("init");
    let (out, _, code) = run_in(&dir, &["init"], None);
    assert_eq!(code, 0, "{out}");
    let text = std::fs::read_to_string(dir.join("peitao.toml")).unwrap();
    assert!(text.contains("# [[waiver]]"), "{text}");
    std::fs::write(
        dir.join("peitao.toml"),
        text.replace("fail_on = \"error\"", "fail_on = \"never\""),
    )
    .unwrap();
    let (_, err, code) = run_in(&dir, &["init"], None);
    assert_eq!(code, 2);
    assert!(err.contains("exists"), "{err}");
    assert!(std::fs::read_to_string(dir.join("peitao.toml"))
        .unwrap()
        .contains("\"never\""));
    // The starter's settings take effect.
    let (_, _, code) = run_in(&dir, &["check", "sub.yaml"], None);
    assert_eq!(code, 0);
}

#[test]
fn a_resubmission_against_its_baseline() {
    let dir = bureau("baseline");
    let (out, _, code) = run_in(
        &dir,
        &["check", "sub.yaml", "--format", "json", "--no-config"],
        None,
    );
    assert_eq!(code, 1);
    std::fs::write(dir.join("first.json"), &out).unwrap();
    let first = json(&out);
    let before = findings(&first).len();
    assert!(before >= 5);

    // Fixed: the second social worker. New: a second home, I2, with 160
    // beds and no infirmary. A comment moves every line: fingerprints do
    // not care.
    let resubmitted = format!(
        "# resubmitted 2025-04-01\n{}{}",
        example("shiyan-violating.yaml").replace("social_workers: 1 ", "social_workers: 2 "),
        "  - id: I2\n    kind: elderly_care\n    operator: private\n    beds: 160\n    \
         nursing_beds: 100\n    residents: 100\n    medical: clinic\n    social_workers: 2\n    \
         fire_safety: approved\n"
    );
    // It replaces the file at the path the office took it in at: that
    // path and its submission.id make it the same filing.
    std::fs::write(dir.join("sub.yaml"), resubmitted).unwrap();
    let args = [
        "check",
        "sub.yaml",
        "--baseline",
        "first.json",
        "--no-config",
    ];
    let (out, _, code) = run_in(&dir, &[&args[..], &["--format", "json"]].concat(), None);
    assert_eq!(code, 1);
    let second = json(&out);
    assert_eq!(second["summary"]["baseline"]["new"], 1);
    assert_eq!(second["summary"]["baseline"]["fixed"], 1);
    assert_eq!(second["summary"]["baseline"]["unchanged"], before - 1);
    let fixed = second["files"][0]["fixed"].as_array().unwrap();
    assert_eq!(fixed.len(), 1);
    assert_eq!(fixed[0]["rule"], "shiyan.social-workers");
    let new: Vec<&Value> = findings(&second)
        .iter()
        .filter(|f| f["baseline"] == "new")
        .collect();
    assert_eq!(new.len(), 1);
    assert_eq!(new[0]["rule"], "shiyan.medical-room");
    assert_eq!(new[0]["subject_id"], "I2");
    assert!(findings(&second)
        .iter()
        .all(|f| f["baseline"] == "new" || f["baseline"] == "unchanged"));

    // The human report shows the three groups.
    let (out, _, _) = run_in(&dir, &[&args[..], &["--lang", "en"]].concat(), None);
    assert!(out.contains("── new since the baseline: 1 ──"), "{out}");
    assert!(
        out.contains(&format!(
            "── unchanged from the baseline: {} ──",
            before - 1
        )),
        "{out}"
    );
    assert!(out.contains("── fixed since the baseline: 1 ──"), "{out}");
    assert!(out.contains("against the baseline: 1 new"), "{out}");
    let new_at = out.find("new since").unwrap();
    let unchanged_at = out.find("unchanged from").unwrap();
    assert!(new_at < unchanged_at);

    // --new-only: the unchanged findings of the same file do not fail it.
    std::fs::write(dir.join("sub.yaml"), example("shiyan-violating.yaml")).unwrap();
    let (_, _, code) = run_in(
        &dir,
        &[
            "check",
            "sub.yaml",
            "--baseline",
            "first.json",
            "--new-only",
            "--no-config",
        ],
        None,
    );
    assert_eq!(code, 0);
    let (_, _, code) = run_in(
        &dir,
        &[
            "check",
            "sub.yaml",
            "--baseline",
            "first.json",
            "--no-config",
        ],
        None,
    );
    assert_eq!(code, 1);
    // A baseline that is not a report is refused before anything runs.
    std::fs::write(dir.join("junk.json"), "{\"files\": 3}").unwrap();
    let (_, err, code) = run_in(
        &dir,
        &[
            "check",
            "sub.yaml",
            "--baseline",
            "junk.json",
            "--no-config",
        ],
        None,
    );
    assert_eq!(code, 2);
    assert!(err.contains("not a peitao JSON report"), "{err}");
}

#[test]
fn several_reports_in_one_run() {
    let dir = bureau("reports");
    std::fs::create_dir_all(dir.join("out")).unwrap();
    std::fs::write(dir.join("out/r.sarif"), "stale").unwrap();
    let (out, err, code) = run_in(
        &dir,
        &[
            "check",
            "sub.yaml",
            "--no-config",
            "--lang",
            "en",
            "--report",
            "sarif=out/r.sarif",
            "--report",
            "html=out/r.html",
            "--report",
            "json=out/r.json",
            "--report",
            "csv=out/ledger.csv",
        ],
        None,
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("shiyan.medical-room"),
        "the terminal still gets its report: {out}"
    );
    let sarif = json(&std::fs::read_to_string(dir.join("out/r.sarif")).unwrap());
    assert_eq!(sarif["version"], "2.1.0");
    let report = json(&std::fs::read_to_string(dir.join("out/r.json")).unwrap());
    assert_eq!(report["summary"]["files"], 1);
    let html = std::fs::read_to_string(dir.join("out/r.html")).unwrap();
    assert!(html.ends_with("</html>\n"));
    assert!(std::fs::read(dir.join("out/ledger.csv"))
        .unwrap()
        .starts_with(b"\xEF\xBB\xBF"));
    let names: Vec<String> = std::fs::read_dir(dir.join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 4, "no temporary files left: {names:?}");

    // A report that cannot be written stops the run before it starts.
    let (_, err, code) = run_in(
        &dir,
        &[
            "check",
            "sub.yaml",
            "--no-config",
            "--report",
            "json=missing/r.json",
        ],
        None,
    );
    assert_eq!(code, 2);
    assert!(err.contains("missing/r.json"), "{err}");
    let (_, err, code) = run_in(
        &dir,
        &["check", "sub.yaml", "--no-config", "--report", "pdf=r.pdf"],
        None,
    );
    assert_eq!(code, 2);
    assert!(err.contains("unknown format `pdf`"), "{err}");
}

/// A CSV ledger's header and rows, each row as column → value.
fn ledger_rows(out: &str) -> (Vec<String>, Vec<std::collections::HashMap<String, String>>) {
    let body = out
        .strip_prefix('\u{FEFF}')
        .expect("a byte-order mark for Excel and WPS");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            assert_eq!(r.len(), headers.len(), "every row has every column");
            headers
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect();
    (headers, rows)
}

#[test]
fn the_csv_ledger_reads_back_with_its_columns_and_chinese() {
    let dir = bureau("csv");
    let (out, _, code) = run_in(
        &dir,
        &[
            "check",
            "sub.yaml",
            "--no-config",
            "--lang",
            "zh",
            "--format",
            "csv",
            "--ledger-keys",
        ],
        None,
    );
    assert_eq!(code, 1);
    let (headers, rows) = ledger_rows(&out);
    assert_eq!(
        headers,
        [
            "file",
            "project",
            "submission_id",
            "plan",
            "result",
            "location",
            "rule",
            "severity",
            "status",
            "subject",
            "message",
            "required",
            "provided",
            "clause",
            "waiver_reason",
            "approved_by",
            "waiver_expires",
            "baseline",
            "errors",
            "warnings",
            "cannot_be_checked",
            "rule_errors",
            "waived",
            "input_errors",
        ]
    );
    assert_eq!(rows.len(), 6);
    let space = rows
        .iter()
        .find(|r| r["rule"] == "shiyan.elderly-space-new")
        .unwrap();
    assert_eq!(space["file"], "sub.yaml");
    assert_eq!(space["submission_id"], "SY-2025-0042");
    assert_eq!(space["plan"], "shiyan");
    assert_eq!(space["result"], "findings");
    assert_eq!(space["severity"], "error");
    assert_eq!(space["status"], "violated");
    assert_eq!(space["subject"], "estate");
    assert!(
        space["message"].contains("养老服务用房 519 m²"),
        "{space:?}"
    );
    assert_eq!(space["provided"], "519 m²");
    assert!(
        space["clause"].contains("每百户不低于20平方米"),
        "{space:?}"
    );
    assert_eq!(space["location"], "26:17");
    // Every row carries its file's counts: as many errors as rows at error.
    let errors = rows
        .iter()
        .filter(|r| r["severity"] == "error" && r["status"] == "violated")
        .count();
    assert!(rows.iter().all(|r| r["errors"] == errors.to_string()));
    // A message with commas survives quoting as one field.
    let medical = rows
        .iter()
        .find(|r| r["rule"] == "shiyan.medical-room")
        .unwrap();
    assert!(medical["clause"].contains(
        "150张以上床位的养老机构或入住50人以上的特困人员供养机构,必须内设医务室或护理站"
    ));
    // Without --ledger-keys the headers are in the report's language.
    let (zh, _, _) = run_in(
        &dir,
        &[
            "check",
            "sub.yaml",
            "--no-config",
            "--lang",
            "zh",
            "--format",
            "csv",
        ],
        None,
    );
    let (zh_headers, zh_rows) = ledger_rows(&zh);
    assert_eq!(
        &zh_headers[..5],
        ["文件", "项目名称", "申报编号", "规划", "结果"]
    );
    assert_eq!(
        &zh_headers[14..18],
        ["豁免理由", "批准人", "豁免到期", "基线"]
    );
    assert_eq!(zh_rows.len(), rows.len());
    // Waived rows say so, the waiver's reason, approver and expiry apart;
    // `ledger_keys = true` in peitao.toml gives the keys too.
    std::fs::write(
        dir.join("peitao.toml"),
        format!("ledger_keys = true\n{WAIVERS}"),
    )
    .unwrap();
    let (out, _, _) = run_in(&dir, &["check", "sub.yaml", "--format", "csv"], None);
    let (_, rows) = ledger_rows(&out);
    let waived: Vec<_> = rows.iter().filter(|r| r["status"] == "waived").collect();
    assert_eq!(waived.len(), 1, "{rows:?}");
    assert_eq!(
        waived[0]["waiver_reason"],
        "second social worker hired, contract of 2025-03-20"
    );
    assert_eq!(waived[0]["approved_by"], "王科长");
    assert_eq!(waived[0]["waiver_expires"], "2099-12-31");
    assert!(rows.iter().all(|r| r["waived"] == "1"));

    // With --baseline, what the filing fixed is on the ledger too: the
    // violating filing as the baseline, the compliant one under its id.
    std::fs::remove_file(dir.join("peitao.toml")).unwrap();
    let (base, _, _) = run_in(&dir, &["check", "sub.yaml", "--format", "json"], None);
    std::fs::write(dir.join("base.json"), &base).unwrap();
    let was = findings(&json(&base)).len();
    std::fs::write(
        dir.join("sub.yaml"),
        example("shiyan-compliant.yaml").replace("SY-2025-0043", "SY-2025-0042"),
    )
    .unwrap();
    let (out, _, _) = run_in(
        &dir,
        &[
            "check",
            "sub.yaml",
            "--baseline",
            "base.json",
            "--format",
            "csv",
            "--ledger-keys",
        ],
        None,
    );
    let (_, rows) = ledger_rows(&out);
    let fixed: Vec<_> = rows.iter().filter(|r| r["status"] == "fixed").collect();
    assert_eq!(fixed.len(), was, "{rows:?}");
    assert!(fixed
        .iter()
        .all(|r| r["baseline"] == "fixed" && r["result"] == "clean"));
    assert!(fixed
        .iter()
        .any(|r| r["rule"] == "shiyan.elderly-space-new"));
}

#[test]
fn github_annotations_escape_as_the_toolkit_does() {
    let dir = bureau("github");
    let (out, _, code) = run_in(
        &dir,
        &[
            "check",
            "sub.yaml",
            "--no-config",
            "--lang",
            "en",
            "--format",
            "github",
        ],
        None,
    );
    assert_eq!(code, 1);
    let annotations: Vec<&str> = out.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(annotations.len(), 6, "{out}");
    let workers = annotations
        .iter()
        .find(|l| l.contains("shiyan.social-workers"))
        .unwrap();
    assert!(
        workers.starts_with("::warning file=sub.yaml,line=42,col=21,"),
        "{workers}"
    );
    assert!(workers.contains("%0A"), "newline escaped: {workers}");
    assert!(!workers.contains('\n'));
    let title = workers
        .split("title=")
        .nth(1)
        .unwrap()
        .split("::")
        .next()
        .unwrap();
    assert!(
        !title.contains(','),
        "commas in properties escaped: {title}"
    );
}

#[test]
fn github_properties_escape_percent_and_comma() {
    let dir = tempdir("github-name");
    let (out, _, _) = run_in(
        &dir,
        &[
            "check",
            "-",
            "--stdin-name",
            "50%,v2.yaml",
            "--format",
            "github",
        ],
        Some(&example("shiyan-violating.yaml")),
    );
    assert!(out.contains("::error file=50%25%2Cv2.yaml,line="), "{out}");
}

#[test]
fn quiet_and_summary_runs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (all, _, _) = run_in(
        root,
        &["check", "examples/", "--lang", "en", "--no-config"],
        None,
    );
    assert!(all.contains("examples/shiyan-compliant.yaml: ok"), "{all}");
    let (quiet, _, code) = run_in(
        root,
        &[
            "check",
            "examples/",
            "--lang",
            "en",
            "--quiet",
            "--no-config",
        ],
        None,
    );
    assert_eq!(code, 1);
    assert!(!quiet.contains(": ok"), "{quiet}");
    assert!(quiet.contains("shiyan.elderly-space-new"), "{quiet}");
    assert_eq!(all.lines().last(), quiet.lines().last());
    let (summary, _, code) = run_in(
        root,
        &[
            "check",
            "examples/",
            "--lang",
            "en",
            "--summary",
            "--no-config",
        ],
        None,
    );
    assert_eq!(code, 1);
    assert_eq!(
        summary.lines().collect::<Vec<_>>(),
        [all.lines().last().unwrap()]
    );
}

#[test]
fn a_submission_from_standard_input() {
    let dir = tempdir("stdin");
    let text = example("shiyan-violating.yaml");
    let (out, _, code) = run_in(
        &dir,
        &[
            "check",
            "-",
            "--stdin-name",
            "十堰/阳光花园.yaml",
            "--lang",
            "en",
            "--format",
            "json",
        ],
        Some(&text),
    );
    assert_eq!(code, 1);
    let report = json(&out);
    assert_eq!(report["files"][0]["path"], "十堰/阳光花园.yaml");
    assert_eq!(report["files"][0]["submission_id"], "SY-2025-0042");
    assert_eq!(findings(&report).len(), 6);
    let (out, _, code) = run_in(
        &dir,
        &["check", "-"],
        Some(&example("shiyan-compliant.yaml")),
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("<stdin>"), "{out}");
    let (out, _, code) = run_in(
        &dir,
        &["check", "-", "--lang", "en"],
        Some("version: 1\nestate: [\n"),
    );
    assert_eq!(code, 2);
    assert!(out.contains("<stdin>: invalid submission"), "{out}");
}

fn assert_valid(schema: &str, doc: &Value, what: &str) {
    let mut schemas = boon::Schemas::new();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(schema);
    let index = boon::Compiler::new()
        .compile(path.to_str().unwrap(), &mut schemas)
        .unwrap_or_else(|e| panic!("{schema}: {e:#}"));
    if let Err(e) = schemas.validate(doc, index) {
        panic!("{what} is not valid against {schema}:\n{e:#}");
    }
}

/// Waivers (used, expired, unused) and a baseline together, in every
/// format: JSON and SARIF still valid against their schemas; HTML shows
/// the badges and the fixed list.
#[test]
fn every_format_carries_the_review() {
    let dir = bureau("all-formats");
    let (out, _, _) = run_in(
        &dir,
        &["check", "sub.yaml", "--format", "json", "--no-config"],
        None,
    );
    std::fs::write(dir.join("first.json"), out).unwrap();
    std::fs::write(
        dir.join("sub.yaml"),
        example("shiyan-violating.yaml").replace("medical: clinic", "medical: infirmary"),
    )
    .unwrap();
    std::fs::write(dir.join("peitao.toml"), WAIVERS).unwrap();
    let args = [
        "check",
        "sub.yaml",
        "--baseline",
        "first.json",
        "--report",
        "json=r.json",
        "--report",
        "sarif=r.sarif",
        "--report",
        "html=r.html",
        "--report",
        "junit=r.xml",
        "--report",
        "github=r.txt",
    ];
    let (out, err, code) = run_in(&dir, &args, None);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("── fixed since the baseline: 1 ──"), "{out}");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();

    let report = json(&read("r.json"));
    assert_valid(
        "docs/json-output.schema.json",
        &report,
        "the JSON report with a review",
    );
    assert_eq!(report["summary"]["baseline"]["fixed"], 1);
    assert_eq!(
        report["files"][0]["fixed"][0]["rule"],
        "shiyan.medical-room"
    );

    let sarif = json(&read("r.sarif"));
    assert_valid(
        "tests/schemas/sarif-schema-2.1.0.json",
        &sarif,
        "the SARIF report with a review",
    );
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let states: Vec<&str> = results
        .iter()
        .filter_map(|r| r["baselineState"].as_str())
        .collect();
    assert_eq!(
        states.iter().filter(|s| **s == "absent").count(),
        1,
        "{states:?}"
    );
    assert_eq!(
        states.iter().filter(|s| **s == "unchanged").count(),
        5,
        "{states:?}"
    );

    let html = read("r.html");
    assert!(
        html.contains("<span class=\"badge waived\">waived</span>"),
        "waived badge"
    );
    assert!(
        html.contains("<span class=\"badge expired\">expired</span>"),
        "expired badge"
    );
    assert!(
        html.contains("<span class=\"badge unchanged\">unchanged</span>"),
        "baseline badge"
    );
    assert!(html.contains("fixed since the baseline: 1"), "fixed list");
    assert!(html.contains("matched no finding"), "unused waiver");

    let junit = read("r.xml");
    assert!(junit.contains("<skipped message="), "{junit}");
    let github = read("r.txt");
    assert!(
        github.contains("::notice file=sub.yaml"),
        "a waived finding is a notice: {github}"
    );
    assert!(
        github.contains("::warning file=peitao.toml,line=18,"),
        "{github}"
    );
}

/// The HTML report says each finding's own severity whatever its review
/// mark (a waived warning read 错误 once), and the marks in the reader's
/// language: every severity × mark this file has (an error and a warning
/// waived, a warning whose waiver expired, findings with no mark).
#[test]
fn html_severity_words_hold_under_every_review_mark() {
    let dir = bureau("html-matrix");
    let config = format!(
        "{WAIVERS}\n[[waiver]]\nrule = \"shiyan.elderly-space-new\"\npath = \"sub.yaml\"\nreason = \"r\"\napproved_by = \"王科长\"\nexpires = \"2099-12-31\"\n"
    );
    std::fs::write(dir.join("peitao.toml"), config).unwrap();
    let (out, _, _) = run_in(&dir, &["check", "sub.yaml", "--format", "json"], None);
    let report = json(&out);
    let mut seen = std::collections::BTreeSet::new();
    for lang in ["zh", "en"] {
        let (html, err, _) = run_in(
            &dir,
            &["check", "sub.yaml", "--format", "html", "--lang", lang],
            None,
        );
        assert!(html.contains("<html"), "{err}");
        // Each note: <span class="sev C">WORD</span>BADGES<code>RULE</code>
        let notes: Vec<(String, String, String, String)> = html
            .split("<span class=\"sev ")
            .skip(1)
            .filter_map(|n| {
                let (class, rest) = n.split_once("\">")?;
                let (word, rest) = rest.split_once("</span>")?;
                let (badges, rest) = rest.split_once("<code>")?;
                let (rule, _) = rest.split_once("</code>")?;
                Some((class.into(), word.into(), badges.into(), rule.into()))
            })
            .collect();
        for f in findings(&report) {
            if f["status"] != "violated" {
                continue;
            }
            let rule = f["rule"].as_str().unwrap();
            let (class, word, badges, _) = notes
                .iter()
                .find(|n| n.3 == rule)
                .unwrap_or_else(|| panic!("no HTML note for {rule}"));
            let severity = f["severity"].as_str().unwrap();
            let want = match (severity, lang) {
                ("error", "zh") => "错误",
                ("error", _) => "error",
                (_, "zh") => "警告",
                _ => "warning",
            };
            assert_eq!(
                (class.as_str(), word.as_str()),
                (severity, want),
                "{rule} ({lang})"
            );
            let state = f["waiver"]["state"].as_str().unwrap_or("none");
            let badge = match (state, lang) {
                ("waived", "zh") => "<span class=\"badge waived\">已豁免</span>",
                ("waived", _) => "<span class=\"badge waived\">waived</span>",
                ("expired", "zh") => "<span class=\"badge expired\">豁免已过期</span>",
                ("expired", _) => "<span class=\"badge expired\">expired</span>",
                _ => "",
            };
            assert_eq!(badges, badge, "{rule} ({lang})");
            seen.insert((severity.to_string(), state.to_string()));
        }
    }
    for cell in [
        ("error", "waived"),
        ("warning", "waived"),
        ("warning", "expired"),
        ("error", "none"),
    ] {
        assert!(
            seen.contains(&(cell.0.to_string(), cell.1.to_string())),
            "{cell:?} not exercised: {seen:?}"
        );
    }
}

/// Under zh a waiver's note is a line of the 提示 of its own, indented
/// under the help's first character as its wrapped lines are (it started
/// at column 0).
#[test]
fn a_waivers_note_is_indented_under_its_help_in_chinese() {
    let dir = bureau("waiver-indent");
    std::fs::write(
        dir.join("peitao.toml"),
        WAIVERS.replace("lang = \"en\"", "lang = \"zh\""),
    )
    .unwrap();
    let (out, _, _) = run_in(&dir, &["check", "sub.yaml"], None);
    let at = out.find("[已豁免]").expect("a waived finding");
    let help: Vec<&str> = out[at..]
        .lines()
        .skip_while(|l| !l.starts_with("  提示: "))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(
        help.iter().any(|l| l.contains("已豁免 (豁免 #1")),
        "{help:?}"
    );
    for line in help {
        assert!(
            line.starts_with("        ") && !line.starts_with("         "),
            "{line:?}"
        );
    }
}
