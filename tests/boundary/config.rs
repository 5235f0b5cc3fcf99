//! See tests/boundary.rs. Issue 20, items 1, 4 and 5: a `peitao.toml`
//! planted in the checked tree, symbolic links out of it, and a pack that
//! replaces a built-in plan. Each test builds the applicant's tree in a
//! fresh temporary directory and runs the binary where the office would.

use crate::common::tempdir;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::lsp_client;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A 十堰 submission with five error findings (examples/).
fn violating() -> String {
    std::fs::read_to_string(Path::new(ROOT).join("examples/shiyan-violating.yaml")).unwrap()
}

use crate::common::peitao_in as run_in;

/// Diagnostics with miette's wrapping undone.
fn flat(text: &str) -> String {
    text.replace("\n  │ ", " ")
}

/// `doc` is valid against the JSON Schema at `schema` (in the checkout).
fn assert_valid(schema: &str, doc: &Value) {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let path = Path::new(ROOT).join(schema);
    let index = compiler
        .compile(path.to_str().unwrap(), &mut schemas)
        .unwrap_or_else(|e| panic!("{schema}: {e:#}"));
    if let Err(e) = schemas.validate(doc, index) {
        panic!("not valid against {schema}:\n{e:#}");
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// What the issue's applicant planted: everything that could steer the
/// verdict or the files written, and a language.
const PLANTED: &str = r#"lang = "zh"
fail_on = "never"
builtin_rules = false
rules = ["../evil"]
max_file_size = 10
as_of = "2020-01-01"

[reports]
csv = "../.bashrc"

[[waiver]]
rule = "*"
path = "*"
reason = "planted"
approved_by = "nobody"
expires = "2099-12-31"
"#;

/// `office/incoming/` with a violating submission and the planted config;
/// a pack `evil` beside it that would stand in for 十堰 with no rule.
fn applicants_tree(name: &str) -> PathBuf {
    let office = tempdir(name);
    let incoming = office.join("incoming");
    write(&incoming.join("a.yaml"), &violating());
    write(&incoming.join("peitao.toml"), PLANTED);
    write(
        &office.join("evil/pack.yaml"),
        "id: evil\ntitle: 恶意方案\nseed: seed.txt\naliases: [十堰, 十堰市]\nreplaces: shiyan\n",
    );
    write(&office.join("evil/seed.txt"), "恶意方案。\n");
    office
}

#[test]
fn a_config_planted_in_the_checked_tree_steers_no_verdict_and_writes_nothing() {
    let office = applicants_tree("planted-check");
    let incoming = office.join("incoming");
    let (out, err, code) = run_in(&incoming, &["check", "."]);
    // The built-in rules judged it, on its own filing date, unwaived, and
    // the office's default fail_on failed the run.
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("shiyan.elderly-space-new"), "{out}");
    assert!(!out.contains("已豁免") && !out.contains("waived"), "{out}");
    // The applicant's language is theirs to choose.
    assert!(out.contains("3 个错误"), "{out}");
    // Nothing written where the planted config said.
    assert!(!office.join(".bashrc").exists());
    // The warning names what was ignored, where, and how to give the
    // office's settings; in the language of the run.
    assert!(err.contains("config::inside-checked-tree"), "{err}");
    assert!(err.contains("peitao.toml:2:1"), "{err}");
    for key in [
        "fail_on",
        "builtin_rules",
        "rules",
        "max_file_size",
        "as_of",
        "reports",
        "waiver",
    ] {
        assert!(err.contains(&format!("`{key}`")), "{key} not named: {err}");
    }
    assert!(err.contains("--config FILE"), "{err}");
    assert!(err.contains("不予采用"), "{err}");

    // The same in English, and the command line's language wins.
    let (out, err, code) = run_in(&incoming, &["check", ".", "--lang", "en"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("3 errors"), "{out}");
    assert!(
        flat(&err).contains("ignored: fail_on, builtin_rules, rules, max_file_size, as_of, reports, waiver (only lang, format, color, width are used)"),
        "{err}"
    );
    assert!(!office.join(".bashrc").exists());
}

#[test]
fn under_the_offices_config_a_planted_one_gives_only_its_presentation() {
    let office = applicants_tree("planted-under-office");
    // The office's own settings, above the checked tree: JSON, and a
    // waiver of its own (this one must apply).
    write(
        &office.join("peitao.toml"),
        "format = \"json\"\n[[waiver]]\nrule = \"shiyan.social-workers\"\nsubmission = \"SY-2025-0042\"\npath = \"*a.yaml\"\nreason = \"hired\"\napproved_by = \"王科长\"\nexpires = \"2099-01-01\"\n",
    );
    let (out, err, code) = run_in(&office.join("incoming"), &["check", "."]);
    assert_eq!(code, 1, "{out}{err}");
    let report: Value = serde_json::from_str(&out).expect("the office's format");
    let summary = &report["summary"];
    assert_eq!(summary["waived"], 1, "only the office's waiver: {summary}");
    assert_eq!(summary["errors"], 3, "{summary}");
    // The planted language fills what the office left unset.
    let message = report["files"][0]["findings"][0]["message"]
        .as_str()
        .unwrap();
    assert!(
        message
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{message}"
    );
    assert!(err.contains("config::inside-checked-tree"), "{err}");
}

#[test]
fn from_the_offices_directory_the_planted_config_is_never_read() {
    let office = applicants_tree("planted-from-office");
    write(&office.join("peitao.toml"), "fail_on = \"never\"\n");
    // A file, a directory, standard input: the office's config, whole.
    for args in [
        &["check", "incoming/a.yaml"][..],
        &["check", "incoming"],
        &["check", "-", "--stdin-name", "a.yaml"],
    ] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_peitao"));
        cmd.args(args)
            .current_dir(&office)
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .stdin(std::fs::File::open(office.join("incoming/a.yaml")).unwrap());
        let out = cmd.output().unwrap();
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stdout}{stderr}");
        assert!(stdout.contains("3 errors"), "{args:?}: {stdout}");
        assert!(!stderr.contains("inside-checked-tree"), "{stderr}");
    }
    // `--config` names the office's file, wherever it is.
    let (out, err, code) = run_in(
        &office.join("incoming"),
        &["check", ".", "--config", "../peitao.toml"],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.is_empty(), "{err}");
}

#[test]
fn a_planted_config_that_does_not_read_is_a_warning_not_a_failure() {
    let office = tempdir("planted-broken");
    write(&office.join("incoming/a.yaml"), &violating());
    write(&office.join("incoming/peitao.toml"), "fail_on = \n");
    let (out, err, code) = run_in(&office.join("incoming"), &["check", "."]);
    assert_eq!(code, 1, "the run went on: {out}{err}");
    assert!(
        err.starts_with("warning: peitao.toml lies inside `.`, a directory being checked, and does not read: ignored"),
        "{err}"
    );
    let (_, err, _) = run_in(&office.join("incoming"), &["check", ".", "--lang", "zh"]);
    assert!(
        err.starts_with("警告: `peitao.toml` 位于受检目录 `.` 之内且无法读取"),
        "{err}"
    );
}

#[test]
fn report_paths_of_a_config_stay_in_its_directory_and_out_of_the_checked_tree() {
    let office = tempdir("report-paths");
    write(&office.join("incoming/a.yaml"), &violating());
    std::fs::create_dir_all(office.join("out")).unwrap();
    let check = |reports: &str| {
        write(
            &office.join("peitao.toml"),
            &format!("[reports]\n{reports}\n"),
        );
        run_in(&office, &["check", "incoming"])
    };
    // Up and out of the config's directory.
    let (_, err, code) = check("csv = \"../ledger.csv\"");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("config::report-path"), "{err}");
    assert!(err.contains("peitao.toml:2:8"), "{err}");
    assert!(err.contains("outside"), "{err}");
    assert!(err.contains("--report FORMAT=PATH"), "{err}");
    assert!(!office.parent().unwrap().join("ledger.csv").exists());
    // Into the checked directory.
    let (_, err, code) = check("html = \"incoming/review.html\"");
    assert_eq!(code, 2, "{err}");
    assert!(
        flat(&err).contains("that is inside `incoming`, a directory being checked"),
        "{err}"
    );
    assert!(!office.join("incoming/review.html").exists());
    // Through a link that leads into it.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("incoming", office.join("drop")).unwrap();
        let (_, err, code) = check("csv = \"drop/ledger.csv\"");
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("a directory being checked"), "{err}");
        assert!(!office.join("incoming/ledger.csv").exists());
    }
    // In its own directory: written.
    let (out, err, code) = check("csv = \"out/ledger.csv\"");
    assert_eq!(code, 1, "{out}{err}");
    assert!(office.join("out/ledger.csv").is_file());
    // The command line's reports go where it says.
    let ledger = format!("peitao-{}-ledger.csv", std::process::id());
    let (_, err, code) = run_in(
        &office.join("out"),
        &[
            "check",
            "../incoming",
            "--no-config",
            "--report",
            &format!("csv=../../{}", ledger),
        ],
    );
    assert_eq!(code, 1, "{err}");
    let outside = office.parent().unwrap().join(&ledger);
    assert!(outside.is_file());
    std::fs::remove_file(outside).unwrap();
}

#[test]
fn an_editor_on_a_planted_folder_shows_diagnostics_and_says_what_it_ignored() {
    use lsp_client::Client;
    let office = applicants_tree("planted-lsp");
    let workspace = office.join("incoming");
    let root = peitao::lsp::uri::from_path(&workspace);
    let mut c = Client::start(&[], workspace.to_str().unwrap());
    c.initialize(&root, json!({}));
    let shown = c.notification("window/showMessage");
    let said = shown["params"]["message"].as_str().unwrap();
    assert!(said.contains("位于受检的工作区之内"), "{said}");
    assert!(
        said.contains("`builtin_rules`") && said.contains("`waiver`"),
        "{said}"
    );
    assert!(said.contains("--config FILE"), "{said}");
    // The built-in 十堰 rules still judge the file, in the planted language.
    let doc = format!("{root}/a.yaml");
    c.open(&doc, &violating());
    let published = c.notification("textDocument/publishDiagnostics");
    let diagnostics = published["params"]["diagnostics"].as_array().unwrap();
    let space = diagnostics
        .iter()
        .find(|d| d["code"] == "shiyan.elderly-space-new")
        .unwrap_or_else(|| panic!("built-in rules ran: {published}"));
    let message = space["message"].as_str().unwrap();
    assert!(message.contains("养老服务"), "{message}");
    assert_eq!(c.stop(), Some(0));

    // `--config` makes the same file the office's, whole: its packs are
    // loaded (and refused here: the pack replaces a plan it left out).
    let mut c = Client::start(&["--config", "peitao.toml"], workspace.to_str().unwrap());
    c.initialize(&root, json!({}));
    let shown = c.notification("window/showMessage");
    let said = shown["params"]["message"].as_str().unwrap();
    assert!(said.contains("配置的规则包无法加载"), "{said}");
    let refused = c.notification("textDocument/publishDiagnostics");
    assert!(
        refused["params"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("/evil/pack.yaml"),
        "{refused}"
    );
    assert_eq!(c.stop(), Some(0));
}

/// `in/` with a submission; `private/` beside it with a submission and a
/// secret; links out of `in/` to both, and a link out under another name.
#[cfg(unix)]
fn linked_tree(name: &str) -> PathBuf {
    use std::os::unix::fs::symlink;
    let top = tempdir(name);
    write(&top.join("in/a.yaml"), &violating());
    write(
        &top.join("private/leak.yaml"),
        &violating().replace("阳光花园", "机密花园"),
    );
    write(&top.join("private/secret.txt"), "TOKEN=hunter2-secret\n");
    symlink("../private", top.join("in/docs")).unwrap();
    symlink("../private/secret.txt", top.join("in/env.yaml")).unwrap();
    symlink("/etc/hostname", top.join("in/notes.txt")).unwrap();
    top
}

#[cfg(unix)]
#[test]
fn links_out_of_the_checked_directory_are_entries_not_followed() {
    let top = linked_tree("links-out");
    for format in ["human", "html", "json", "csv", "sarif"] {
        let (out, err, code) = run_in(&top, &["check", "in", "--format", format]);
        assert_eq!(code, 2, "{format}: {out}{err}");
        assert!(
            !out.contains("hunter2"),
            "{format} quotes the secret: {out}"
        );
        assert!(!out.contains("机密花园"), "{format} read private/: {out}");
        assert!(
            !out.contains("leak.yaml"),
            "{format} walked private/: {out}"
        );
    }
    let (out, _, _) = run_in(&top, &["check", "in", "--format", "json"]);
    let report: Value = serde_json::from_str(&out).unwrap();
    let entries: Vec<(&str, &str, &str)> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap(),
                f["status"].as_str().unwrap(),
                f["reason"].as_str().unwrap_or(""),
            )
        })
        .collect();
    let leaves = "a symbolic link that leaves the checked directory `in`: not followed";
    assert_eq!(
        entries,
        [
            ("in/a.yaml", "findings", ""),
            ("in/docs", "unreadable", leaves),
            ("in/env.yaml", "unreadable", leaves),
        ]
    );
    assert_eq!(report["summary"]["unreadable"], 2);
    let (out, _, _) = run_in(&top, &["check", "in", "--lang", "zh"]);
    assert!(
        out.contains("in/env.yaml: 无法读取: 指向受检目录 `in` 之外的符号链接: 未跟随读取"),
        "{out}"
    );
    // A file the office names itself is read, wherever it leads.
    let (out, err, code) = run_in(&top, &["check", "in/docs/leak.yaml"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("in/docs/leak.yaml: 3 errors"), "{out}");
}

#[cfg(unix)]
#[test]
fn a_file_named_twice_is_checked_once() {
    use std::os::unix::fs::symlink;
    let top = tempdir("named-twice");
    // Three files, each its own filing (one id a batch).
    let filing = |id: &str| violating().replace("id: SY-2025-0042", &format!("id: {id}"));
    write(&top.join("in/a.yaml"), &filing("SY-A"));
    write(&top.join("in/sub/b.yaml"), &filing("SY-B"));
    // A link to a directory inside, and to a file inside under a
    // submission's name: each file once.
    symlink("sub", top.join("in/again")).unwrap();
    symlink("../a.yaml", top.join("in/sub/c.yaml")).unwrap();
    // Under another name than a submission's, a file inside is read by
    // the link that names it so.
    write(&top.join("in/notes.txt"), &filing("SY-NOTES"));
    symlink("notes.txt", top.join("in/notes.yaml")).unwrap();
    let (out, err, code) = run_in(
        &top,
        &[
            "check",
            "in",
            "in/../in/a.yaml",
            "in/again/b.yaml",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "{out}{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let paths: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["in/a.yaml", "in/notes.yaml", "in/sub/b.yaml"]);
    assert_eq!(report["summary"]["files"], 3);
}

const REPLACING_PACK: &str = "tests/hostile-packs/replaces-a-built-in-plan-explicitly/pack";

#[test]
fn replacing_a_built_in_plan_takes_the_offices_word() {
    let root = Path::new(ROOT);
    let file = "examples/shiyan-violating.yaml";
    // Unasked: refused, located, with the way to ask; in zh too.
    let (out, err, code) = run_in(root, &["check", "--rules", REPLACING_PACK, file]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("plan::replace-not-allowed"), "{err}");
    assert!(err.contains("pack.yaml:5:11"), "{err}");
    let (_, err, _) = run_in(
        root,
        &["check", "--rules", REPLACING_PACK, file, "--lang", "zh"],
    );
    assert!(
        err.contains("规则包 `local` 要取代内置方案 `shiyan`, 本次运行未允许"),
        "{err}"
    );
    // Allowing another plan is not allowing this one.
    let (_, _, code) = run_in(
        root,
        &[
            "check",
            "--rules",
            REPLACING_PACK,
            "--allow-replace",
            "kunming",
            file,
        ],
    );
    assert_eq!(code, 2);

    // Allowed on the command line: every report says which plan which pack
    // replaced.
    let allowed = [
        "check",
        "--rules",
        REPLACING_PACK,
        "--allow-replace",
        "shiyan",
        file,
    ];
    let (out, err, code) = run_in(root, &allowed);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(
        out.lines().next(),
        Some("note: the built-in plan `shiyan` is replaced by pack `local` (tests/hostile-packs/replaces-a-built-in-plan-explicitly/pack); its built-in rules are not applied")
    );
    let (out, _, _) = run_in(root, &[&allowed[..], &["--summary"]].concat());
    assert!(out.starts_with("note: the built-in plan `shiyan`"), "{out}");
    let (out, _, _) = run_in(root, &[&allowed[..], &["--format", "json"]].concat());
    let report: Value = serde_json::from_str(&out).unwrap();
    let local = report["packs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "local")
        .unwrap();
    assert_eq!(
        local["replaces"],
        json!({ "plan": "shiyan", "dir": REPLACING_PACK })
    );
    assert_valid("docs/json-output.schema.json", &report);
    assert!(report["packs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["id"] != "shiyan"));
    let (out, _, _) = run_in(root, &[&allowed[..], &["--format", "sarif"]].concat());
    let sarif: Value = serde_json::from_str(&out).unwrap();
    assert_valid("tests/schemas/sarif-schema-2.1.0.json", &sarif);
    assert_eq!(
        sarif["runs"][0]["tool"]["extensions"],
        json!([{
            "name": "local",
            "fullName": "恶意市方案",
            "version": local["digest"],
            "properties": { "replaces": "shiyan", "directory": REPLACING_PACK },
        }])
    );
    let (out, _, _) = run_in(
        root,
        &[&allowed[..], &["--format", "html", "--lang", "zh"]].concat(),
    );
    assert!(
        out.contains("<p class=\"meta replaced\">注意: 内置方案 `shiyan` 已由规则包 `local`"),
        "{out}"
    );
    // Without a replacement, no note and no extensions.
    let (out, _, _) = run_in(root, &["check", file, "--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&out).unwrap();
    assert!(sarif["runs"][0]["tool"].get("extensions").is_none());
    let (out, _, _) = run_in(root, &["check", file]);
    assert!(!out.contains("note:"), "{out}");
}

#[test]
fn the_offices_config_may_allow_a_replacement_and_a_planted_one_may_not() {
    let office = tempdir("replace-config");
    write(&office.join("incoming/a.yaml"), &violating());
    let pack = Path::new(ROOT).join(REPLACING_PACK);
    let pack = pack.to_str().unwrap();
    // Planted: its allow_replace is ignored like the rest.
    write(
        &office.join("incoming/peitao.toml"),
        "allow_replace = [\"shiyan\"]\n",
    );
    let (_, err, code) = run_in(&office.join("incoming"), &["check", ".", "--rules", pack]);
    assert_eq!(code, 2, "{err}");
    assert!(flat(&err).contains("ignored: allow_replace (only"), "{err}");
    assert!(err.contains("plan::replace-not-allowed"), "{err}");
    // The office's: allowed.
    write(
        &office.join("peitao.toml"),
        &format!("rules = [{pack:?}]\nallow_replace = [\"shiyan\"]\n"),
    );
    let (out, err, code) = run_in(&office, &["check", "incoming"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("local.always"), "{out}");
    assert!(out.starts_with("note: the built-in plan `shiyan`"), "{out}");
}
