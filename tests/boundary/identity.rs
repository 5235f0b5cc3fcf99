//! See tests/boundary.rs. Identity is what the office recorded (the digest
//! of the bytes it received, the path it took the file in at), not what the
//! applicant wrote; a filing is judged on a day the applicant cannot move
//! past the run's.

use crate::common::tempdir;
use serde_json::Value;
use std::path::Path;

use crate::common::peitao_in as run_in;

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// The file of a JSON report at `path`.
fn file<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("no file {path} in {report}"))
}

fn findings(file: &Value) -> &Vec<Value> {
    file["findings"].as_array().unwrap()
}

/// A 十堰 filing with one home (I1: one social worker for 180 beds, a
/// violation) and the given submission id and extra lines.
fn filing(id: &str, extra: &str) -> String {
    format!(
        "version: 1\nsubmission:\n  id: {id}\n  jurisdiction: shiyan\n  filed: 2025-03-01\n\
         institutions:\n  - {{ id: I1, kind: elderly_care, operator: private, beds: 180, nursing_beds: 100, residents: 120, medical: clinic, social_workers: 1, fire_safety: approved }}\n{extra}"
    )
}

/// The SHA-256 digest of a file, as peitao writes it.
fn digest_of(path: &Path) -> String {
    peitao::review::digest(&std::fs::read(path).unwrap())
}

const WAIVER_TAIL: &str =
    "reason = \"second worker hired\"\napproved_by = \"王科长\"\nexpires = \"2099-12-31\"\n";

#[test]
fn the_digest_is_sha256_of_the_bytes_received() {
    // The published test vectors (FIPS 180-2, appendix B.1 and the empty string).
    assert_eq!(
        peitao::review::digest(b"abc"),
        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        peitao::review::digest(b""),
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    let dir = tempdir("identity-digest");
    std::fs::write(dir.join("a.yaml"), filing("SY-1", "")).unwrap();
    // GBK bytes: the digest is of what was received, not of the UTF-8
    // text peitao transcodes it to.
    let text = filing("SY-2", "# 阳光花园\n");
    let (gbk, _, bad) = encoding_rs::GB18030.encode(&text);
    assert!(!bad);
    std::fs::write(dir.join("b.yaml"), &gbk).unwrap();
    let (out, err, _) = run_in(&dir, &["check", ".", "--format", "json", "--no-config"]);
    let report = json(&out);
    let a = file(&report, "./a.yaml");
    assert_eq!(a["digest"], digest_of(&dir.join("a.yaml")), "{err}");
    let b = file(&report, "./b.yaml");
    assert_eq!(b["transcoded_from"], "GB18030");
    assert_eq!(b["digest"], peitao::review::digest(&gbk));
    assert_ne!(b["digest"], peitao::review::digest(text.as_bytes()));
    // An invalid file has its digest too (a waiver cannot use it, but a
    // ledger can record what was received).
    std::fs::write(dir.join("c.yaml"), "version: 1\nsubmission: [\n").unwrap();
    let (out, _, code) = run_in(
        &dir,
        &["check", "c.yaml", "--format", "json", "--no-config"],
    );
    assert_eq!(code, 2);
    let report = json(&out);
    assert_eq!(report["files"][0]["status"], "invalid");
    assert_eq!(report["files"][0]["digest"], digest_of(&dir.join("c.yaml")));
}

#[test]
fn a_waiver_by_submission_id_alone_is_refused_where_it_is_written() {
    let dir = tempdir("identity-unbound");
    std::fs::write(dir.join("a.yaml"), filing("SY-1", "")).unwrap();
    std::fs::write(
        dir.join("peitao.toml"),
        format!(
            "lang = \"en\"\n\n[[waiver]]\nrule = \"shiyan.social-workers\"\nsubmission = \"SY-1\"\n{WAIVER_TAIL}\n[[waiver]]\nrule = \"shiyan.*\"\nsubmission = \"intake/*.yaml\"\n{WAIVER_TAIL}"
        ),
    )
    .unwrap();
    let (out, err, code) = run_in(&dir, &["check", "a.yaml"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.is_empty(), "nothing is checked: {out}");
    assert!(err.contains("config::unbound-waiver"), "{err}");
    assert!(
        err.contains(
            "waiver #1 is bound only to what the applicant wrote: it needs `digest` or `path`"
        ),
        "{err}"
    );
    // Located at the `submission` value, line 5, column 15 (inside the quotes).
    assert!(err.contains("[peitao.toml:5:15]"), "{err}");
    assert!(err.contains("add `digest = \"sha256:…\"`"), "{err}");
    // A path glob written in `submission` (what it used to take) is told
    // where it goes now.
    assert!(
        err.contains("waiver #2 is bound only to what the applicant wrote"),
        "{err}"
    );
    // (The help wraps at 100 columns: "intake/" ends a line.)
    assert!(
        err.contains("write this path glob as `path = \"intake/\n        *.yaml\"`"),
        "{err}"
    );
    // In Chinese too.
    let (_, err, code) = run_in(&dir, &["check", "a.yaml", "--lang", "zh"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("第 1 条豁免仅凭申报人自填的内容认定: 须写明 `digest` 或 `path`"),
        "{err}"
    );
    assert!(err.contains("任何申报都可以照抄 `submission.id`"), "{err}");
    // A digest that is not one.
    std::fs::write(
        dir.join("peitao.toml"),
        format!("[[waiver]]\nrule = \"shiyan.*\"\ndigest = \"md5:0123\"\n{WAIVER_TAIL}"),
    )
    .unwrap();
    let (_, err, code) = run_in(&dir, &["check", "a.yaml", "--lang", "en"]);
    assert_eq!(code, 2);
    assert!(err.contains("config::bad-digest"), "{err}");
    assert!(
        err.contains("`digest` = \"md5:0123\" is not `sha256:` and 64 hex digits"),
        "{err}"
    );
    assert!(
        !err.contains("unbound-waiver"),
        "one problem, one error: {err}"
    );
}

#[test]
fn a_copied_submission_id_inherits_no_waiver() {
    let dir = tempdir("identity-waiver");
    std::fs::create_dir_all(dir.join("intake")).unwrap();
    std::fs::create_dir_all(dir.join("other")).unwrap();
    std::fs::write(dir.join("intake/sy-1.yaml"), filing("SY-1", "")).unwrap();
    // Another company copies the filing number (and the facts).
    std::fs::write(
        dir.join("other/copy.yaml"),
        filing("SY-1", "# 另一家公司\n"),
    )
    .unwrap();
    let digest = digest_of(&dir.join("intake/sy-1.yaml"));
    let rule = "rule = \"shiyan.social-workers\"\n";
    let check = |config: &str, path: &str| {
        std::fs::write(dir.join("peitao.toml"), config).unwrap();
        let (out, err, code) = run_in(&dir, &["check", path, "--format", "json"]);
        let report = json(&out);
        let f = &report["files"][0];
        let state = findings(f)
            .iter()
            .find(|x| x["rule"] == "shiyan.social-workers")
            .map(|x| x["waiver"]["state"].as_str().unwrap_or("none").to_string());
        (state, code, err)
    };
    // By digest: the office's file, and only its exact bytes.
    let by_digest = format!("[[waiver]]\n{rule}digest = \"{digest}\"\n{WAIVER_TAIL}");
    assert_eq!(
        check(&by_digest, "intake/sy-1.yaml").0.as_deref(),
        Some("waived")
    );
    assert_eq!(
        check(&by_digest, "other/copy.yaml").0.as_deref(),
        Some("none")
    );
    // A digest written in capitals is the same digest.
    let upper = by_digest.replace(&digest[7..], &digest[7..].to_uppercase());
    assert_eq!(
        check(&upper, "intake/sy-1.yaml").0.as_deref(),
        Some("waived")
    );
    // By path (and the id, which only narrows it).
    let by_path =
        format!("[[waiver]]\n{rule}path = \"intake/*.yaml\"\nsubmission = \"SY-1\"\n{WAIVER_TAIL}");
    assert_eq!(
        check(&by_path, "intake/sy-1.yaml").0.as_deref(),
        Some("waived")
    );
    assert_eq!(
        check(&by_path, "other/copy.yaml").0.as_deref(),
        Some("none")
    );
    // The id narrows: the right path with another id is not covered.
    let narrowed = by_path.replace("\"SY-1\"", "\"SY-2\"");
    assert_eq!(
        check(&narrowed, "intake/sy-1.yaml").0.as_deref(),
        Some("none")
    );
    // Digest and path together must both match.
    let both =
        format!("[[waiver]]\n{rule}digest = \"{digest}\"\npath = \"other/*.yaml\"\n{WAIVER_TAIL}");
    assert_eq!(check(&both, "intake/sy-1.yaml").0.as_deref(), Some("none"));
    // The JSON waiver says what it is bound to.
    std::fs::write(dir.join("peitao.toml"), &by_digest).unwrap();
    let (out, _, _) = run_in(&dir, &["check", "intake/sy-1.yaml", "--format", "json"]);
    let report = json(&out);
    let w = &report["waivers"][0];
    assert_eq!(w["digest"], digest.as_str());
    assert_eq!(w["path"], Value::Null);
    assert_eq!(w["state"], "used");
}

/// A 红河 filing with two level-3 general hospitals, H1 and H2, neither
/// with a geriatrics department, in the given order.
fn hospitals(first: &str, second: &str) -> String {
    let h1 = "  - { id: H1, kind: general, level: 3, beds: 800, geriatrics_department: false, elderly_green_channel: false, elder_friendly: false }\n";
    let h2 = "  - { id: H2, kind: general, level: 3, beds: 900, geriatrics_department: false, elderly_green_channel: false, elder_friendly: false }\n";
    let pick = |n: &str| if n == "H1" { h1 } else { h2 };
    format!(
        "version: 1\nsubmission: {{ id: HO-1, jurisdiction: honghe, filed: 2025-03-01 }}\nhospitals:\n{}{}",
        pick(first),
        pick(second)
    )
}

#[test]
fn hospitals_are_identified_by_their_record_ids() {
    let dir = tempdir("identity-hospitals");
    std::fs::write(dir.join("h.yaml"), hospitals("H1", "H2")).unwrap();
    let (out, err, _) = run_in(
        &dir,
        &["check", "h.yaml", "--format", "json", "--no-config"],
    );
    let first = json(&out);
    let f = &first["files"][0];
    let on_hospitals: Vec<&Value> = findings(f)
        .iter()
        .filter(|x| x["subject"].as_str().unwrap().starts_with("hospitals["))
        .collect();
    assert!(
        !on_hospitals.is_empty(),
        "the plan has something to say about these hospitals: {err}{out}"
    );
    for x in &on_hospitals {
        let expected = if x["subject"].as_str().unwrap().starts_with("hospitals[0]") {
            "H1"
        } else {
            "H2"
        };
        assert_eq!(x["subject_id"], expected, "{x}");
    }
    std::fs::write(dir.join("first.json"), &out).unwrap();

    // A waiver by record id H1 covers H1's findings, and only those.
    let rule = on_hospitals[0]["rule"].as_str().unwrap();
    std::fs::write(
        dir.join("peitao.toml"),
        format!(
            "[[waiver]]\nrule = \"{rule}\"\npath = \"h.yaml\"\nsubject = \"H1\"\n{WAIVER_TAIL}"
        ),
    )
    .unwrap();
    let (out, _, _) = run_in(&dir, &["check", "h.yaml", "--format", "json"]);
    let report = json(&out);
    let waived: Vec<&str> = findings(&report["files"][0])
        .iter()
        .filter(|x| x["waiver"]["state"] == "waived")
        .map(|x| x["subject_id"].as_str().unwrap())
        .collect();
    assert!(!waived.is_empty(), "{out}");
    assert!(waived.iter().all(|id| *id == "H1"), "{waived:?}");

    // The same hospitals in the other order: nothing new, nothing fixed.
    std::fs::write(dir.join("h.yaml"), hospitals("H2", "H1")).unwrap();
    let (out, _, _) = run_in(
        &dir,
        &[
            "check",
            "h.yaml",
            "--baseline",
            "first.json",
            "--format",
            "json",
            "--no-config",
        ],
    );
    let report = json(&out);
    let b = &report["summary"]["baseline"];
    assert_eq!(b["new"], 0, "{out}");
    assert_eq!(b["fixed"], 0, "{out}");
    assert_eq!(b["unchanged"], findings(f).len());
    assert_eq!(report["files"][0]["baseline_file"], "changed");
}

#[test]
fn a_baseline_binds_to_the_intake_path_and_the_id() {
    let dir = tempdir("identity-baseline");
    std::fs::create_dir_all(dir.join("intake")).unwrap();
    std::fs::write(dir.join("intake/sy-1.yaml"), filing("SY-1", "")).unwrap();
    let json_run = |args: &[&str]| {
        let (out, err, code) = run_in(&dir, &[args, &["--format", "json", "--no-config"]].concat());
        (json(&out), err, code)
    };
    let (first, _, code) = json_run(&["check", "intake/sy-1.yaml"]);
    assert_eq!(code, 1);
    let before = findings(&first["files"][0]).len();
    assert!(before >= 1);
    std::fs::write(
        dir.join("first.json"),
        serde_json::to_string(&first).unwrap(),
    )
    .unwrap();
    let against = |path: &str| json_run(&["check", path, "--baseline", "first.json"]).0;

    // The same bytes at the same path: identical, every finding unchanged.
    let same = against("intake/sy-1.yaml");
    let f = &same["files"][0];
    assert_eq!(f["baseline_file"], "identical");
    assert!(findings(f).iter().all(|x| x["baseline"] == "unchanged"));

    // Another company's copy, same id, same facts, other path: it
    // inherits nothing, and --new-only does not let it through.
    std::fs::create_dir_all(dir.join("other")).unwrap();
    std::fs::copy(dir.join("intake/sy-1.yaml"), dir.join("other/copy.yaml")).unwrap();
    let copy = against("other/copy.yaml");
    let f = &copy["files"][0];
    assert_eq!(f["baseline_file"], "not_in_baseline");
    assert!(findings(f).iter().all(|x| x["baseline"] == "new"), "{f}");
    assert_eq!(f["fixed"].as_array().unwrap().len(), 0);
    assert_eq!(copy["summary"]["baseline"]["new"], before);
    let (_, _, code) = run_in(
        &dir,
        &[
            "check",
            "other/copy.yaml",
            "--baseline",
            "first.json",
            "--new-only",
            "--no-config",
        ],
    );
    assert_eq!(
        code, 1,
        "a copied id does not make old findings someone else's"
    );

    // The resubmission replaces the file at its intake path: changed bytes,
    // the fixed finding listed, the rest unchanged.
    std::fs::write(
        dir.join("intake/sy-1.yaml"),
        filing("SY-1", "").replace("social_workers: 1", "social_workers: 2"),
    )
    .unwrap();
    let resubmitted = against("intake/sy-1.yaml");
    let f = &resubmitted["files"][0];
    assert_eq!(f["baseline_file"], "changed");
    assert_eq!(f["fixed"][0]["rule"], "shiyan.social-workers");
    assert!(findings(f).iter().all(|x| x["baseline"] == "unchanged"));

    // A file at the same path under another id is another filing.
    std::fs::write(dir.join("intake/sy-1.yaml"), filing("SY-9", "")).unwrap();
    let other = against("intake/sy-1.yaml");
    let f = &other["files"][0];
    assert_eq!(f["baseline_file"], "not_in_baseline");
    assert!(findings(f).iter().all(|x| x["baseline"] == "new"));
    assert_eq!(f["fixed"].as_array().unwrap().len(), 0);
}

#[test]
fn a_duplicate_submission_id_in_a_batch_is_an_error_naming_the_other_file() {
    let dir = tempdir("identity-duplicate");
    std::fs::write(dir.join("a.yaml"), filing("SY-1", "")).unwrap();
    std::fs::write(dir.join("b.yaml"), filing("SY-1", "")).unwrap();
    std::fs::write(dir.join("c.yaml"), filing("SY-3", "")).unwrap();
    let (out, err, code) = run_in(&dir, &["check", ".", "--format", "json", "--no-config"]);
    assert_eq!(code, 2, "{err}");
    let report = json(&out);
    // The first in path order is judged as usual.
    assert_eq!(file(&report, "./a.yaml")["status"], "findings");
    assert_eq!(file(&report, "./c.yaml")["status"], "findings");
    let b = file(&report, "./b.yaml");
    assert_eq!(b["status"], "invalid");
    assert!(findings(b).is_empty());
    let e = &b["input_errors"][0];
    assert_eq!(e["code"], "duplicate-submission-id");
    assert_eq!(
        e["message"],
        "submission id `SY-1` is also the id of ./a.yaml, checked in this run"
    );
    // At the id's value: line 3, column 7.
    assert_eq!(e["location"]["line"], 3);
    assert_eq!(e["location"]["column"], 7);
    assert_eq!(e["location"]["text"], "SY-1");

    // The human report, in Chinese.
    let (out, _, code) = run_in(&dir, &["check", ".", "--lang", "zh", "--no-config"]);
    assert_eq!(code, 2);
    assert!(out.contains("input::duplicate-submission-id"), "{out}");
    assert!(
        out.contains("申报编号 `SY-1` 与本次检查的 `./a.yaml` 重复"),
        "{out}"
    );
    assert!(out.contains("[./b.yaml:3:7]"), "{out}");
    // Files with no id are not duplicates of each other.
    std::fs::write(
        dir.join("a.yaml"),
        filing("SY-1", "").replace("  id: SY-1\n", ""),
    )
    .unwrap();
    std::fs::write(
        dir.join("b.yaml"),
        filing("SY-1", "").replace("  id: SY-1\n", ""),
    )
    .unwrap();
    let (_, _, code) = run_in(&dir, &["check", ".", "--no-config"]);
    assert_eq!(code, 1);
}

/// Red team, 2026-12-06: ids that a reviewer reads as the same id escaped
/// the duplicate check by a character that shows nothing (a zero-width
/// space, a space at the end), by full-width letters or by another dash.
/// Each is now the duplicate of `SY-1`; an id that reads differently
/// (`sy-1`, `SY-11`) is not.
#[test]
fn an_id_that_only_looks_different_is_still_a_duplicate() {
    let dir = tempdir("identity-lookalike");
    std::fs::write(dir.join("a.yaml"), filing("SY-1", "")).unwrap();
    let lookalikes = [
        r#""SY-1\u200b""#,
        r#""SY-1 ""#,
        r#""\u2066SY-1\u2069""#,
        "ＳＹ－１",
        "SY‐1",
    ];
    for (i, id) in lookalikes.iter().enumerate() {
        std::fs::write(dir.join(format!("b{i}.yaml")), filing(id, "")).unwrap();
    }
    std::fs::write(dir.join("c.yaml"), filing("sy-1", "")).unwrap();
    std::fs::write(dir.join("d.yaml"), filing("SY-11", "")).unwrap();
    let (out, err, code) = run_in(&dir, &["check", ".", "--format", "json", "--no-config"]);
    assert_eq!(code, 2, "{err}");
    let report = json(&out);
    assert_eq!(file(&report, "./a.yaml")["status"], "findings");
    for (i, id) in lookalikes.iter().enumerate() {
        let b = file(&report, &format!("./b{i}.yaml"));
        assert_eq!(b["status"], "invalid", "{id}: {b}");
        assert!(findings(b).is_empty());
        let e = &b["input_errors"][0];
        assert_eq!(e["code"], "duplicate-submission-id", "{b}");
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .ends_with("is also the id of ./a.yaml, checked in this run"),
            "{e}"
        );
        assert_eq!(e["location"]["line"], 3);
    }
    assert_eq!(file(&report, "./c.yaml")["status"], "findings");
    assert_eq!(file(&report, "./d.yaml")["status"], "findings");
}

#[test]
fn a_filing_dated_after_the_run_is_an_input_error() {
    let dir = tempdir("identity-filed");
    let far = filing("SY-1", "").replace("filed: 2025-03-01", "filed: 2099-01-01");
    std::fs::write(dir.join("far.yaml"), &far).unwrap();
    let (out, _, code) = run_in(
        &dir,
        &["check", "far.yaml", "--format", "json", "--no-config"],
    );
    assert_eq!(code, 2, "{out}");
    let report = json(&out);
    let e = &report["files"][0]["input_errors"][0];
    assert_eq!(e["code"], "filed-in-future");
    assert_eq!(e["location"]["line"], 5);
    assert_eq!(e["location"]["text"], "2099-01-01");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .starts_with("filed on 2099-01-01, after the day it is judged on ("),
        "{e}"
    );
    // --as-of is the run's day: a filing dated after it is refused too …
    std::fs::write(dir.join("far.yaml"), filing("SY-1", "")).unwrap();
    let (out, _, code) = run_in(
        &dir,
        &[
            "check",
            "far.yaml",
            "--as-of",
            "2025-02-28",
            "--lang",
            "zh",
            "--no-config",
        ],
    );
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("input::filed-in-future"), "{out}");
    assert!(
        out.contains("申报日期 2025-03-01 晚于审查日期 2025-02-28"),
        "{out}"
    );
    assert!(out.contains("[far.yaml:5:10]"), "{out}");
    // … and one dated that very day is judged.
    let (out, _, code) = run_in(
        &dir,
        &["check", "far.yaml", "--as-of", "2025-03-01", "--no-config"],
    );
    assert_eq!(code, 1, "{out}");
}

/// A pack `dated` with two rules on the estate: `ended` in force until
/// 2024-12-31, `current` with no dates. Both find every estate wanting.
fn dated_pack(dir: &Path) -> std::path::PathBuf {
    let pack = dir.join("dated");
    std::fs::create_dir_all(&pack).unwrap();
    std::fs::write(
        pack.join("seed.txt"),
        "日期市方案。新建住宅小区应配建养老服务用房。\n",
    )
    .unwrap();
    std::fs::write(
        pack.join("pack.yaml"),
        "id: dated\ntitle: 日期市方案\nseed: seed.txt\n",
    )
    .unwrap();
    for (name, dates) in [
        ("ended", "    in_force_until: \"2024-12-31\",\n"),
        ("current", ""),
    ] {
        std::fs::write(
            pack.join(format!("{name}.rhai")),
            format!(
                "// dated.{name}\n#{{\n    id: \"dated.{name}\",\n    severity: \"error\",\n    title: #{{ zh: \"{name}\", en: \"{name}\" }},\n    clause: \"新建住宅小区应配建养老服务用房\",\n{dates}}};\n\nfn estate(e) {{ violated(#{{ message: #{{ zh: \"不达标\", en: \"falls short\" }}, at: \"estate.households\" }}) }}\n"
            ),
        )
        .unwrap();
    }
    pack
}

#[test]
fn a_rule_that_ended_before_the_day_judged_is_said_not_in_force() {
    let dir = tempdir("identity-ended");
    // Beside the checked directory, not in it.
    let pack = dated_pack(&tempdir("identity-ended-pack"));
    let sub = |filed: &str| {
        format!("version: 1\nsubmission: {{ jurisdiction: dated, filed: {filed} }}\nestate: {{ status: new, households: 100 }}\n")
    };
    std::fs::write(dir.join("late.yaml"), sub("2025-03-01")).unwrap();
    std::fs::write(dir.join("early.yaml"), sub("2024-06-01")).unwrap();
    let rules = pack.to_str().unwrap();
    let (out, err, code) = run_in(
        &dir,
        &[
            "check",
            ".",
            "--rules",
            rules,
            "--format",
            "json",
            "--no-config",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let report = json(&out);
    // In force: both rules run.
    let early = file(&report, "./early.yaml");
    assert_eq!(findings(early).len(), 2);
    assert_eq!(early["not_in_force"].as_array().unwrap().len(), 0);
    // Ended: listed, not run, not counted.
    let late = file(&report, "./late.yaml");
    let rules_run: Vec<&str> = findings(late)
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules_run, ["dated.current"]);
    let gone = &late["not_in_force"];
    assert_eq!(gone.as_array().unwrap().len(), 1, "{late}");
    assert_eq!(gone[0]["rule"], "dated.ended");
    assert_eq!(gone[0]["in_force_until"], "2024-12-31");
    assert_eq!(gone[0]["in_force_from"], Value::Null);
    assert_eq!(
        gone[0]["message"],
        "dated.ended is not in force on 2025-03-01 (in force: ? – 2024-12-31): not checked"
    );
    assert_eq!(late["judged_on"], "2025-03-01");

    // The human report says so, in both languages; --quiet leaves it out.
    let (out, _, _) = run_in(
        &dir,
        &[
            "check",
            "late.yaml",
            "--rules",
            rules,
            "--lang",
            "en",
            "--no-config",
        ],
    );
    assert!(
        out.contains("note: dated.ended is not in force on 2025-03-01 (in force: ? – 2024-12-31): not checked\n"),
        "{out}"
    );
    let (out, _, _) = run_in(
        &dir,
        &[
            "check",
            "late.yaml",
            "--rules",
            rules,
            "--lang",
            "zh",
            "--no-config",
        ],
    );
    assert!(
        out.contains("注: dated.ended 在 2025-03-01 不在有效期内 (有效期: ? – 2024-12-31): 未检查"),
        "{out}"
    );
    let (out, _, _) = run_in(
        &dir,
        &[
            "check",
            "late.yaml",
            "--rules",
            rules,
            "--quiet",
            "--no-config",
        ],
    );
    assert!(!out.contains("dated.ended"), "{out}");
}

/// A region's report is judged as at the end of its `year` (docs/readings.md
/// R16): a year not yet begun would choose the rules in force, like a
/// future `filed`. With `--as-of` the office chose the day, and the year
/// no longer decides it.
#[test]
fn a_report_on_a_year_not_begun_is_an_input_error() {
    let dir = tempdir("identity-year");
    let report = "version: 1\nsubmission: { jurisdiction: 红河 }\nregion:\n  name: 蒙自市\n  scope: district\n  year: 2099\n  indicators:\n    canteens_built: 1\n";
    std::fs::write(dir.join("far.yaml"), report).unwrap();
    let (out, _, code) = run_in(
        &dir,
        &["check", "far.yaml", "--format", "json", "--no-config"],
    );
    assert_eq!(code, 2, "{out}");
    let e = &json(&out)["files"][0]["input_errors"][0];
    assert_eq!(e["code"], "year-in-future", "{e}");
    assert_eq!(e["location"]["line"], 6);
    assert_eq!(e["location"]["text"], "2099");
    // The office's day decides: the year is then only what it reports on.
    let (out, _, code) = run_in(
        &dir,
        &[
            "check",
            "far.yaml",
            "--as-of",
            "2025-06-01",
            "--format",
            "json",
            "--no-config",
        ],
    );
    assert_ne!(code, 2, "{out}");
    assert_eq!(json(&out)["files"][0]["judged_on"], "2025-06-01", "{out}");
    // This year's report is judged, as at its last day.
    let this_year = report.replace("2099", &peitao::input::Date::today().year.to_string());
    std::fs::write(dir.join("now.yaml"), this_year).unwrap();
    let (out, _, code) = run_in(
        &dir,
        &["check", "now.yaml", "--format", "json", "--no-config"],
    );
    assert_ne!(code, 2, "{out}");
}
