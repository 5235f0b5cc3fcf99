//! `peitao lsp` over standard input and output: a scripted session with the
//! exact responses, parity with `peitao check`, the debounce, rule pack
//! files diagnosed on save, and a real editor (Neovim) as the client.

mod common;
#[path = "common/lsp_client.rs"]
mod lsp_client;

use lsp_client::Client;
use serde_json::{json, Value};
use std::path::Path;
use std::time::Duration;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Block style for completion, one flow mapping with CJK and an astral
/// character before a value so that UTF-16 columns differ from characters
/// and bytes.
const DOC: &str = "version: 1
submission:
  jurisdiction: 十堰市
  filed: 2025-03-01
estate: { name: 阳光𝄞花园, status: new, households: 2600 }
facilities:
  - id: F1
    kind: elderly_service
    floor_area: 500
  - id: F2
    kind: childcare
    floor_area: 200 m²
    slots: 60
";

fn root_uri() -> String {
    peitao::lsp::uri::from_path(Path::new(ROOT))
}

fn doc_uri() -> String {
    format!("{}/examples/lsp-session.yaml", root_uri())
}

/// A response or notification with the checkout's location written
/// `$ROOT`, for snapshots that hold on any machine.
fn portable(v: &Value) -> Value {
    let text = serde_json::to_string(v)
        .unwrap()
        .replace(&root_uri(), "file://$ROOT");
    serde_json::from_str(&text).unwrap()
}

fn at(line: u32, character: u32) -> Value {
    json!({ "textDocument": { "uri": doc_uri() }, "position": { "line": line, "character": character } })
}

fn hover(c: &mut Client, line: u32, character: u32) -> String {
    let r = c.request("textDocument/hover", at(line, character));
    r["result"]["contents"]["value"]
        .as_str()
        .unwrap_or("(no hover)")
        .to_string()
}

fn labels(r: &Value) -> Vec<&str> {
    r["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect()
}

fn code_actions(c: &mut Client, line: u32, character: u32) -> Value {
    let p = json!({ "line": line, "character": character });
    c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": doc_uri() }, "range": { "start": p, "end": p }, "context": { "diagnostics": [] } }),
    )["result"]
        .clone()
}

#[test]
fn a_session_over_stdio_answers_exactly() {
    let mut c = Client::start(&["--lang", "en"], ROOT);
    let init = c.initialize(&root_uri(), json!({}));
    assert_eq!(
        init["result"]["capabilities"],
        json!({
            "positionEncoding": "utf-16",
            "textDocumentSync": { "openClose": true, "change": 1, "save": { "includeText": false } },
            "hoverProvider": true,
            "completionProvider": { "triggerCharacters": [] },
            "codeActionProvider": { "codeActionKinds": ["quickfix", "refactor.rewrite"] },
        })
    );
    assert_eq!(init["result"]["serverInfo"]["name"], "peitao");

    // didOpen: the plan's findings, located in UTF-16 units.
    c.open(&doc_uri(), DOC);
    let published = c.notification("textDocument/publishDiagnostics");
    assert_eq!(published["params"]["version"], 1);
    let diagnostics = published["params"]["diagnostics"].as_array().unwrap();
    let space = diagnostics
        .iter()
        .find(|d| d["code"] == "shiyan.elderly-space-new")
        .expect("500 m² < 520 m² is found");
    assert_eq!(
        space["range"],
        json!({ "start": { "line": 8, "character": 16 }, "end": { "line": 8, "character": 19 } })
    );
    // `households: 2600` after 阳光𝄞花园: character 48, UTF-16 unit 49, byte 59.
    assert_eq!(
        space["relatedInformation"][0]["location"]["range"],
        json!({ "start": { "line": 4, "character": 49 }, "end": { "line": 4, "character": 53 } })
    );
    insta::assert_json_snapshot!("open", portable(&published["params"]));

    // Hover on the finding: its arithmetic; on a field: its meaning, unit
    // and the rules that read it.
    insta::assert_snapshot!("hover_finding", hover(&mut c, 8, 17));
    insta::assert_snapshot!("hover_field", hover(&mut c, 4, 40));
    assert_eq!(
        hover(&mut c, 0, 0).lines().next(),
        Some("**version** · format version, must be 1 · 格式版本, 必须为 1")
    );

    // Completion: a field's allowed words, a mapping's keys, the plans.
    let kinds = c.request("textDocument/completion", at(7, 10));
    assert_eq!(
        kinds["result"],
        json!([
            { "label": "elderly_service", "kind": 20, "detail": "facility kind · 设施类型" },
            { "label": "childcare", "kind": 20, "detail": "facility kind · 设施类型" },
            { "label": "elderly_day_care", "kind": 20, "detail": "facility kind · 设施类型" },
        ])
    );
    // The keys of F2 not yet written (the one being typed stays).
    let keys = c.request("textDocument/completion", at(12, 6));
    assert_eq!(
        labels(&keys),
        [
            "name",
            "slots",
            "inclusive_slots",
            "service_radius",
            "safety_facilities",
            "schedule"
        ]
    );
    assert_eq!(keys["result"][1]["insertText"], "slots: ");
    assert_eq!(keys["result"][1]["detail"], "childcare slots · 托位");
    // After a quantity's number: its units.
    let units = c.request("textDocument/completion", at(8, 20));
    assert_eq!(labels(&units), ["m²", "㎡", "m2", "sqm", "平方米"]);
    assert_eq!(units["result"][0]["kind"], 11);
    let plans = c.request("textDocument/completion", at(2, 16));
    let plans = labels(&plans);
    for name in [
        "shiyan",
        "十堰市",
        "taizhou",
        "kunming",
        "honghe",
        "红河哈尼族彝族自治州",
        "jiamusi",
    ] {
        assert!(plans.contains(&name), "{name} in {plans:?}");
    }

    // Code action on a bare quantity: write its unit.
    assert_eq!(
        code_actions(&mut c, 8, 17),
        json!([{
            "title": "Write the unit: 500 m²",
            "kind": "refactor.rewrite",
            "edit": { "changes": { doc_uri(): [{ "range": { "start": { "line": 8, "character": 19 }, "end": { "line": 8, "character": 19 } }, "newText": " m²" }] } },
        }])
    );

    // didChange: a typo in a key and a misspelt unit; the fixes.
    let typo = DOC
        .replace("floor_area: 500", "floor_aera: 500")
        .replace("200 m²", "200 平米");
    c.change(&doc_uri(), 2, &typo);
    let published = c.notification("textDocument/publishDiagnostics");
    assert_eq!(
        published["params"],
        json!({
            "uri": doc_uri(),
            "version": 2,
            "diagnostics": [
                {
                    "range": { "start": { "line": 8, "character": 4 }, "end": { "line": 8, "character": 14 } },
                    "severity": 1,
                    "code": "input::unknown-key",
                    "source": "peitao",
                    "message": "unknown key `floor_aera` in `facilities[0]`\ndid you mean `floor_area`?",
                },
                {
                    "range": { "start": { "line": 11, "character": 16 }, "end": { "line": 11, "character": 22 } },
                    "severity": 1,
                    "code": "input::bad-unit",
                    "source": "peitao",
                    "message": "unknown unit `平米` for floor_area\ndid you mean `平方米`?",
                },
            ],
        })
    );
    let sent = published["params"]["diagnostics"][0].clone();
    let fix = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": doc_uri() },
            "range": { "start": { "line": 8, "character": 6 }, "end": { "line": 8, "character": 6 } },
            "context": { "diagnostics": [sent] },
        }),
    );
    assert_eq!(
        fix["result"],
        json!([{
            "title": "Replace `floor_aera` with `floor_area`",
            "kind": "quickfix",
            "diagnostics": [sent],
            "isPreferred": true,
            "edit": { "changes": { doc_uri(): [{ "range": { "start": { "line": 8, "character": 4 }, "end": { "line": 8, "character": 14 } }, "newText": "floor_area" }] } },
        }])
    );
    let unit = code_actions(&mut c, 11, 18);
    assert_eq!(unit[0]["title"], "Replace `平米` with `平方米`");
    assert_eq!(
        unit[0]["edit"]["changes"][doc_uri()][0]["range"],
        json!({ "start": { "line": 11, "character": 20 }, "end": { "line": 11, "character": 22 } })
    );

    // What it does not answer, it says so; bad parameters do not stop it.
    let unknown = c.request("textDocument/definition", at(8, 17));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    let bad = c.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": doc_uri() }, "position": "here" }),
    );
    assert_eq!(bad["error"]["code"], -32602, "{bad}");
    c.open("::not a uri::", "version: 1\n");
    // Hover in a file that is not (yet) a valid submission: the format only.
    assert_eq!(
        hover(&mut c, 4, 40),
        "**households** · households · 户数\n\na whole number, 0 or more\n\nThe rules that read it are listed once the file is a valid submission."
    );

    assert_eq!(c.stop(), Some(0));
}

#[test]
fn chinese_messages_with_lang_zh() {
    let mut c = Client::start(&["--lang", "zh"], ROOT);
    c.initialize(&root_uri(), json!({}));
    c.open(&doc_uri(), DOC);
    let published = c.notification("textDocument/publishDiagnostics");
    let messages: Vec<&str> = published["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("新建住宅小区养老服务用房面积: ")),
        "{messages:?}"
    );
    insta::assert_snapshot!("hover_field_zh", hover(&mut c, 8, 17));
    // Quick fixes and the hover of a file not yet valid speak Chinese too.
    assert_eq!(code_actions(&mut c, 8, 17)[0]["title"], "写上单位: 500 m²");
    let typo = DOC
        .replace("floor_area: 500", "floor_aera: 500")
        .replace("200 m²", "200 平米");
    c.change(&doc_uri(), 2, &typo);
    c.notification("textDocument/publishDiagnostics");
    assert_eq!(
        code_actions(&mut c, 8, 6)[0]["title"],
        "将 `floor_aera` 改为 `floor_area`"
    );
    assert_eq!(
        code_actions(&mut c, 11, 18)[0]["title"],
        "将 `平米` 改为 `平方米`"
    );
    let note = hover(&mut c, 4, 40);
    assert!(
        note.ends_with("文件成为有效的申报材料后, 才列出读取此字段的规则。"),
        "{note}"
    );
    assert!(!note.contains("The rules"), "{note}");
    assert_eq!(c.stop(), Some(0));
}

/// The findings `check --format json` reports for a file: (rule or input
/// code, severity, 0-based line).
fn check_findings(path: &str) -> Vec<(String, u64, u64)> {
    let (out, _, _) = common::peitao(&["check", path, "--format", "json", "--lang", "en"]);
    let report: Value = serde_json::from_str(&out).unwrap();
    let file = &report["files"][0];
    let mut found: Vec<(String, u64, u64)> = file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let sev = if f["severity"] == "error" || f["status"] == "rule_error" {
                1
            } else {
                2
            };
            let line = f["primary"][0]["location"]["line"]
                .as_u64()
                .map_or(0, |l| l - 1);
            (f["rule"].as_str().unwrap().to_string(), sev, line)
        })
        .chain(file["input_errors"].as_array().unwrap().iter().map(|e| {
            (
                format!("input::{}", e["code"].as_str().unwrap()),
                1,
                e["location"]["line"].as_u64().unwrap() - 1,
            )
        }))
        .collect();
    found.sort();
    found
}

#[test]
fn diagnostics_are_the_findings_of_check() {
    let mut files: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("examples"))
        .unwrap()
        .map(|e| format!("examples/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    files.extend([
        "tests/input/typo-key.yaml".into(),
        "tests/input/wrong-unit.yaml".into(),
    ]);
    files.sort();
    let mut c = Client::start(&["--lang", "en"], ROOT);
    c.initialize(&root_uri(), json!({}));
    let mut total = 0;
    for path in &files {
        let uri = format!("{}/{path}", root_uri());
        c.open(
            &uri,
            &std::fs::read_to_string(Path::new(ROOT).join(path)).unwrap(),
        );
        let published = c.notification("textDocument/publishDiagnostics");
        assert_eq!(published["params"]["uri"], uri.as_str());
        let mut got: Vec<(String, u64, u64)> = published["params"]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_string(),
                    d["severity"].as_u64().unwrap(),
                    d["range"]["start"]["line"].as_u64().unwrap(),
                )
            })
            .collect();
        got.sort();
        assert_eq!(got, check_findings(path), "{path}");
        total += got.len();
    }
    assert!(
        total >= 20,
        "the examples break their plans: {total} findings"
    );
    assert_eq!(c.stop(), Some(0));
}

#[test]
fn a_burst_of_changes_is_checked_once() {
    let mut c = Client::start(&["--lang", "en", "--debounce", "300"], ROOT);
    c.initialize(&root_uri(), json!({}));
    c.open(&doc_uri(), DOC);
    c.change(&doc_uri(), 2, &DOC.replace("500", "510"));
    c.change(&doc_uri(), 3, &DOC.replace("500", "520"));
    let published = c.notification("textDocument/publishDiagnostics");
    assert_eq!(published["params"]["version"], 3);
    let codes: Vec<&str> = published["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(
        !codes.contains(&"shiyan.elderly-space-new"),
        "520 m² is enough: {codes:?}"
    );
    assert!(
        c.quiet_for(Duration::from_millis(600)),
        "one check for three versions: {:?}",
        c.pending
    );
    assert_eq!(c.stop(), Some(0));
}

/// A pack of one 十堰 rule (a script) under a temporary directory, with
/// the plan's text.
fn pack_copy(name: &str) -> std::path::PathBuf {
    let dir = common::tempdir(name);
    let pack = dir.join("rules/shiyan2");
    std::fs::create_dir_all(&pack).unwrap();
    // A pack reads only its own files: the plan's text goes with it.
    std::fs::copy(
        Path::new(ROOT).join("rules/shiyan/seed.txt"),
        pack.join("seed.txt"),
    )
    .unwrap();
    let manifest = std::fs::read_to_string(Path::new(ROOT).join("rules/shiyan/pack.yaml")).unwrap();
    let manifest = manifest[..manifest.find("\nrules:").unwrap_or(manifest.len())]
        .replace("id: shiyan", "id: shiyan2")
        .replace("aliases: [十堰, 十堰市, shiyan]", "aliases: [shiyan2]");
    std::fs::write(pack.join("pack.yaml"), manifest).unwrap();
    let rule = std::fs::read_to_string(Path::new(ROOT).join("rules/shiyan/medical-room.rhai"))
        .unwrap()
        .replace("shiyan.medical-room", "shiyan2.medical-room");
    std::fs::write(pack.join("medical-room.rhai"), rule).unwrap();
    dir
}

#[test]
fn a_rule_packs_files_are_diagnosed_on_save() {
    let dir = pack_copy("lsp-pack");
    let rule = dir.join("rules/shiyan2/medical-room.rhai");
    let rule_uri = peitao::lsp::uri::from_path(&rule);
    let root = peitao::lsp::uri::from_path(&dir);
    let mut c = Client::start(&["--lang", "en"], dir.to_str().unwrap());
    c.initialize(&root, json!({ "rules": ["rules"] }));
    let doc = format!("{root}/s.yaml");
    let submission = "version: 1\nsubmission: { jurisdiction: shiyan2, filed: 2025-03-01 }\ninstitutions:\n  - { id: I1, kind: elderly_care, beds: 180, medical: clinic }\n";
    c.open(&doc, submission);
    let published = c.notification("textDocument/publishDiagnostics");
    let codes = |p: &Value| -> Vec<String> {
        p["params"]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(codes(&published), ["shiyan2.medical-room"]);

    // A clause that is not in the plan's text: the loader's error, in the script.
    let good = std::fs::read_to_string(&rule).unwrap();
    std::fs::write(
        &rule,
        good.replace("clause: \"150张以上", "clause: \"160张以上"),
    )
    .unwrap();
    c.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": rule_uri } }),
    );
    let published = c.notification("textDocument/publishDiagnostics");
    assert_eq!(published["params"]["uri"], rule_uri.as_str());
    assert_eq!(codes(&published), ["plan::clause-not-in-seed"]);
    let line = published["params"]["diagnostics"][0]["range"]["start"]["line"]
        .as_u64()
        .unwrap() as usize;
    assert!(
        good.lines().nth(line).unwrap().contains("clause:"),
        "points at the clause: line {line}"
    );

    // Fixed and saved: the error goes, the pack is reloaded, and the open
    // submission is checked again with it.
    std::fs::write(
        &rule,
        good.replace("not ${i.medical}", "not ${i.medical} (as saved)"),
    )
    .unwrap();
    c.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": rule_uri } }),
    );
    let cleared = c.notification("textDocument/publishDiagnostics");
    assert_eq!(
        (cleared["params"]["uri"].as_str(), codes(&cleared).len()),
        (Some(rule_uri.as_str()), 0)
    );
    let rechecked = c.notification("textDocument/publishDiagnostics");
    assert_eq!(rechecked["params"]["uri"], doc.as_str());
    let message = rechecked["params"]["diagnostics"][0]["message"]
        .as_str()
        .unwrap();
    assert!(
        message.contains("not clinic (as saved)"),
        "the saved rule applies: {message}"
    );
    assert_eq!(c.stop(), Some(0));
}

/// The office's peitao.toml, above the workspace the editor checks (one
/// inside it is the applicant's: tests/boundary/config.rs).
#[test]
fn the_peitao_toml_above_the_workspace_chooses_the_packs_and_the_language() {
    let dir = pack_copy("lsp-config");
    std::fs::write(
        dir.join("peitao.toml"),
        "rules = [\"rules\"]\nbuiltin_rules = false\nlang = \"zh\"\n",
    )
    .unwrap();
    let workspace = dir.join("incoming");
    std::fs::create_dir_all(&workspace).unwrap();
    let root = peitao::lsp::uri::from_path(&workspace);
    let mut c = Client::start(&[], workspace.to_str().unwrap());
    c.initialize(&root, json!({}));
    // The pack of the config is loaded, and only it: a shiyan2 file is
    // checked, a shiyan one names a plan that is not loaded.
    let doc = format!("{root}/s.yaml");
    c.open(
        &doc,
        "version: 1\nsubmission: { jurisdiction: shiyan2, filed: 2025-03-01 }\ninstitutions:\n  - { id: I1, kind: elderly_care, beds: 180, medical: clinic }\n",
    );
    let published = c.notification("textDocument/publishDiagnostics");
    let diagnostics = published["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{published}");
    assert_eq!(diagnostics[0]["code"], "shiyan2.medical-room");
    // In the config's language.
    let message = diagnostics[0]["message"].as_str().unwrap();
    assert!(message.contains("养老机构"), "{message}");
    let other = format!("{root}/t.yaml");
    c.open(
        &other,
        "version: 1\nsubmission: { jurisdiction: shiyan, filed: 2025-03-01 }\nestate: { status: new, households: 100 }\n",
    );
    let published = c.notification("textDocument/publishDiagnostics");
    assert_eq!(
        published["params"]["diagnostics"][0]["code"], "input::unknown-jurisdiction",
        "the built-in packs were left out by the config: {published}"
    );
    assert_eq!(c.stop(), Some(0));

    // `--lang en` on the command line wins over the config's zh.
    let mut c = Client::start(&["--lang", "en"], workspace.to_str().unwrap());
    c.initialize(&root, json!({}));
    c.open(
        &doc,
        "version: 1\nsubmission: { jurisdiction: shiyan2, filed: 2025-03-01 }\ninstitutions:\n  - { id: I1, kind: elderly_care, beds: 180, medical: clinic }\n",
    );
    let published = c.notification("textDocument/publishDiagnostics");
    let message = published["params"]["diagnostics"][0]["message"]
        .as_str()
        .unwrap();
    assert!(message.contains("infirmary"), "{message}");
    assert_eq!(c.stop(), Some(0));
}

#[test]
fn a_broken_configured_pack_is_shown_and_the_builtin_packs_serve() {
    let dir = pack_copy("lsp-broken");
    let rule = dir.join("rules/shiyan2/medical-room.rhai");
    let good = std::fs::read_to_string(&rule).unwrap();
    std::fs::write(
        &rule,
        good.replace("fn institution(i) {", "fn institution(i) {{"),
    )
    .unwrap();
    let root = peitao::lsp::uri::from_path(&dir);
    let mut c = Client::start(&["--lang", "en", "--rules", "rules"], dir.to_str().unwrap());
    c.initialize(&root, json!({}));
    let shown = c.notification("window/showMessage");
    assert!(
        shown["params"]["message"]
            .as_str()
            .unwrap()
            .contains("using the built-in packs"),
        "{shown}"
    );
    let published = c.notification("textDocument/publishDiagnostics");
    assert_eq!(
        published["params"]["uri"],
        peitao::lsp::uri::from_path(&rule).as_str()
    );
    assert_eq!(published["params"]["diagnostics"][0]["severity"], 1);
    assert!(
        published["params"]["diagnostics"][0]["code"]
            .as_str()
            .unwrap()
            .starts_with("plan::"),
        "{published}"
    );
    // Submissions are still checked, with the built-in plans.
    let doc = format!("{root}/s.yaml");
    c.open(&doc, DOC);
    let published = c.notification("textDocument/publishDiagnostics");
    assert!(
        published["params"]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "shiyan.elderly-space-new"),
        "{published}"
    );
    assert_eq!(c.stop(), Some(0));
}

/// Neovim, headless, with its built-in LSP client: opens a violating
/// example and prints the diagnostics it received.
#[test]
fn neovim_receives_the_diagnostics() {
    let file = Path::new(ROOT).join("examples/shiyan-violating.yaml");
    let Some(stdout) = neovim("neovim_receives_the_diagnostics", "nvim", &file) else {
        return;
    };
    insta::assert_snapshot!("neovim", stdout);
}

/// Neovim, with the same documented set-up, on a pack.yaml with a misspelt
/// parameter: the loader's error at the parameter's line and column.
#[test]
fn neovim_receives_a_pack_yamls_diagnostics() {
    let dir = common::tempdir("nvim-pack");
    let misspelt = SHARE_PACK.replace("      percent: 100", "      percnt: 100");
    let pack = share_pack(&dir, &misspelt);
    let Some(stdout) = neovim(
        "neovim_receives_a_pack_yamls_diagnostics",
        "nvim-pack-client",
        &pack.join("pack.yaml"),
    ) else {
        return;
    };
    let line = line_of(&misspelt, "percnt:") + 1;
    assert!(
        stdout.starts_with("received\n") && stdout.contains(&format!("{line}:7 plan::")),
        "{stdout}"
    );
}

/// What headless Neovim, set up as docs/editors.md says, shows for `file`:
/// "received" and its diagnostics, one a line; None (said) when Neovim is
/// not installed.
fn neovim(test: &str, name: &str, file: &Path) -> Option<String> {
    let nvim = std::process::Command::new("nvim").arg("--version").output();
    if nvim.is_err() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("nvim is not installed: CI must install Debian's neovim (.ci/run)");
        }
        eprintln!("\n*** SKIPPED {test}: nvim is not installed (apt-get install neovim) ***\n");
        return None;
    }
    let dir = common::tempdir(name);
    // The set-up docs/editors.md gives, word for word, with the binary
    // under test for `peitao` and English for the snapshot.
    let docs = std::fs::read_to_string(format!("{ROOT}/docs/editors.md")).unwrap();
    let section = &docs[docs.find("## Neovim").expect("a Neovim section")..];
    let block = section
        .split("```lua\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a lua block in the Neovim section");
    let setup = block.replace(
        "cmd = { \"peitao\", \"lsp\", \"--lang\", \"zh\" }",
        &format!(
            "cmd = {{ \"{}\", \"lsp\", \"--lang\", \"en\" }}",
            env!("CARGO_BIN_EXE_peitao")
        ),
    );
    assert!(
        setup != block,
        "the documented command line changed: {block}"
    );
    let init = dir.join("init.lua");
    std::fs::write(&init, setup).unwrap();
    let script = dir.join("client.lua");
    std::fs::write(
        &script,
        format!(
            r#"
local ok, err = pcall(function()
local file = "{file}"
vim.cmd("edit " .. vim.fn.fnameescape(file))
local got = vim.wait(15000, function() return #vim.diagnostic.get(0) > 0 end, 50)
local out = {{}}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(out, string.format("%d:%d %s %s", d.lnum + 1, d.col + 1, d.code, vim.split(d.message, "\n")[1]))
end
table.sort(out)
io.stdout:write(got and "received\n" or "timed out\n")
for _, l in ipairs(out) do io.stdout:write(l .. "\n") end
for _, c in ipairs(vim.lsp.get_active_clients()) do c.stop() end
end)
if not ok then io.stdout:write("error: " .. tostring(err) .. "\n") end
vim.cmd("qall!")
"#,
            file = file.display(),
        ),
    )
    .unwrap();
    let child = std::process::Command::new("nvim")
        .arg("--headless")
        .arg("-u")
        .arg(&init)
        .args(["-n", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("XDG_STATE_HOME", &dir)
        .env("XDG_DATA_HOME", &dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("nvim runs");
    // Never hang the suite: a stuck editor is killed after a minute.
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
            rx.recv_timeout(Duration::from_secs(60))
        {
            let _ = std::process::Command::new("kill")
                .arg(pid.to_string())
                .status();
        }
    });
    let out = child.wait_with_output().expect("nvim ends");
    drop(tx);
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        stdout.starts_with("received\n"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(stdout.into_owned())
}

/// A pack of one `share` rule (昆明's certified staff) over 昆明's plan
/// text, in `dir/pack`; its pack.yaml on disk is `manifest`.
fn share_pack(dir: &Path, manifest: &str) -> std::path::PathBuf {
    let pack = dir.join("pack");
    std::fs::create_dir_all(&pack).unwrap();
    std::fs::copy(
        Path::new(ROOT).join("rules/kunming/seed.txt"),
        pack.join("seed.txt"),
    )
    .unwrap();
    std::fs::write(pack.join("pack.yaml"), manifest).unwrap();
    pack
}

const SHARE_PACK: &str = "id: kunming2
title: 昆明市养老托育服务体系建设方案
seed: seed.txt
aliases: [kunming2]
rules:
  certified-staff:
    severity: warning
    title: { zh: 托育从业人员持证上岗率, en: Certified childcare staff }
    section: 二、发展目标
    clause: 从业人员持证上岗率达到100%
    checks: a childcare institution's certified_staff / staff = 100 %.
    template: share
    params:
      kinds: [childcare]
      part: certified_staff
      whole: staff
      percent: 100
      name: { zh: 持证上岗人员, en: certified staff }
";

fn pack_at(uri: &str, line: u32, character: u32) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } })
}

/// The line (0-based) of the first line of `text` holding `needle`.
fn line_of(text: &str, needle: &str) -> u32 {
    text.lines().position(|l| l.contains(needle)).unwrap() as u32
}

/// pack.yaml is diagnosed from the editor's text (the file on disk is
/// correct all along): a misspelt parameter at its own line, with the code
/// and message `peitao rules --rules DIR` gives for the same text; fixed in
/// the editor, the error goes. Completion lists the template names after
/// `template:`, the template's parameters inside `params:` (less those
/// written) and the format's fields for a parameter that names one; hover
/// gives the template's reference (as `peitao explain`) and a
/// parameter's doc.
#[test]
fn pack_yaml_is_served_from_the_editors_text() {
    let dir = common::tempdir("lsp-pack-yaml");
    let pack = share_pack(&dir, SHARE_PACK);
    let uri = peitao::lsp::uri::from_path(&pack.join("pack.yaml"));
    let root = peitao::lsp::uri::from_path(&dir);
    let mut c = Client::start(&["--lang", "en"], dir.to_str().unwrap());
    c.initialize(&root, json!({}));

    let misspelt = SHARE_PACK.replace("      percent: 100", "      percnt: 100");
    c.open(&uri, &misspelt);
    let published = c.notification("textDocument/publishDiagnostics");
    assert_eq!(published["params"]["uri"], uri.as_str());
    let diagnostics = published["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{published}");
    let d = &diagnostics[0];
    assert_eq!(
        d["range"]["start"]["line"].as_u64().unwrap() as u32,
        line_of(&misspelt, "percnt:"),
        "{d}"
    );
    // The same error as the loader gives on the command line.
    let other = common::tempdir("lsp-pack-yaml-cli");
    share_pack(&other, &misspelt);
    let (_, stderr, _) = common::peitao_in(&other, &["rules", "--rules", "pack", "--lang", "en"]);
    let code = d["code"].as_str().unwrap();
    // The terminal wraps the message: compared with its words run together.
    let words = |t: &str| {
        t.replace('│', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let first_line = words(d["message"].as_str().unwrap().lines().next().unwrap());
    assert!(stderr.contains(code), "{code} in:\n{stderr}");
    assert!(
        words(&stderr).contains(&first_line),
        "{first_line} in:\n{stderr}"
    );

    // Completion: template names, the template's params, a field.
    let template_line = line_of(SHARE_PACK, "template: share");
    let names = c.request(
        "textDocument/completion",
        pack_at(&uri, template_line, "    template: ".len() as u32),
    );
    let names = labels(&names);
    for t in ["share", "estate-standard", "record-target", "target"] {
        assert!(names.contains(&t), "{t} in {names:?}");
    }
    let typing = SHARE_PACK.replace("      percent: 100\n", "      percent: 100\n      \n");
    c.change(&uri, 2, &typing);
    let blank = line_of(&typing, "percent: 100") + 1;
    let params = c.request("textDocument/completion", pack_at(&uri, blank, 6));
    let params = labels(&params);
    assert!(
        params.contains(&"region_part") && params.contains(&"due"),
        "{params:?}"
    );
    for written in ["kinds", "part", "whole", "percent", "name"] {
        assert!(
            !params.contains(&written),
            "{written} is written: {params:?}"
        );
    }
    let part_line = line_of(&typing, "part: certified_staff");
    let fields = c.request(
        "textDocument/completion",
        pack_at(&uri, part_line, "      part: ".len() as u32),
    );
    let fields = labels(&fields);
    assert!(
        fields.contains(&"certified_staff") && fields.contains(&"beds"),
        "an institution's fields: {fields:?}"
    );

    // Hover: the template's reference, a parameter's doc.
    let on_template = hover_at(&mut c, &uri, template_line, 16);
    let (explained, _, _) = common::peitao(&["explain", "share", "--lang", "en"]);
    assert!(
        on_template.contains(explained.lines().nth(2).unwrap().trim()),
        "{on_template}\n---\n{explained}"
    );
    let on_percent = hover_at(&mut c, &uri, line_of(&typing, "percent: 100"), 7);
    assert!(
        on_percent.contains("The least share, in %.") && on_percent.contains("required"),
        "{on_percent}"
    );

    // Fixed in the editor: no error.
    c.change(&uri, 3, SHARE_PACK);
    loop {
        let p = c.notification("textDocument/publishDiagnostics");
        if p["params"]["uri"] == uri.as_str() && p["params"]["diagnostics"] == json!([]) {
            break;
        }
    }
    assert_eq!(c.stop(), Some(0));
}

fn hover_at(c: &mut Client, uri: &str, line: u32, character: u32) -> String {
    let r = c.request("textDocument/hover", pack_at(uri, line, character));
    r["result"]["contents"]["value"]
        .as_str()
        .unwrap_or("(no hover)")
        .to_string()
}

/// In Chinese, the loader's message is Chinese.
#[test]
fn pack_yaml_errors_in_the_clients_language() {
    let dir = common::tempdir("lsp-pack-yaml-zh");
    let pack = share_pack(&dir, SHARE_PACK);
    let uri = peitao::lsp::uri::from_path(&pack.join("pack.yaml"));
    let root = peitao::lsp::uri::from_path(&dir);
    let mut c = Client::start(&["--lang", "en"], dir.to_str().unwrap());
    c.initialize(&root, json!({ "lang": "zh" }));
    c.open(
        &uri,
        &SHARE_PACK.replace("      percent: 100", "      percnt: 100"),
    );
    let published = c.notification("textDocument/publishDiagnostics");
    let message = published["params"]["diagnostics"][0]["message"]
        .as_str()
        .unwrap();
    assert!(
        message.contains("percnt")
            && message
                .chars()
                .any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)),
        "{message}"
    );
    assert_eq!(c.stop(), Some(0));
}

/// A pack.yaml whose seed is outside its directory (by `..`, or by a link
/// inside it to a file outside) gets the loader's error at the key, and
/// the file outside is never opened: it is a FIFO, which an open would
/// block on.
#[test]
fn a_pack_yaml_naming_a_file_outside_its_directory_is_refused_not_read() {
    let dir = common::tempdir("lsp-pack-outside");
    let pack = share_pack(&dir, SHARE_PACK);
    let fifo = dir.join("outside.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let uri = peitao::lsp::uri::from_path(&pack.join("pack.yaml"));
    let root = peitao::lsp::uri::from_path(&dir);
    let mut c = Client::start(&["--lang", "en"], dir.to_str().unwrap());
    c.initialize(&root, json!({}));

    let escaping = SHARE_PACK.replace("seed: seed.txt", "seed: ../outside.txt");
    c.open(&uri, &escaping);
    let published = c.notification("textDocument/publishDiagnostics");
    let d = &published["params"]["diagnostics"][0];
    assert_eq!(d["code"], "plan::outside-pack", "{published}");
    assert_eq!(
        d["range"]["start"]["line"].as_u64().unwrap() as u32,
        line_of(&escaping, "seed:")
    );

    // A link in the pack to the FIFO outside: refused by where it leads.
    std::os::unix::fs::symlink(&fifo, pack.join("linked.txt")).unwrap();
    let linked = SHARE_PACK.replace("seed: seed.txt", "seed: linked.txt");
    c.change(&uri, 2, &linked);
    let mut codes = Vec::new();
    while !codes.contains(&"plan::outside-pack".to_string()) {
        let p = c.notification("textDocument/publishDiagnostics");
        codes = p["params"]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect();
    }
    assert_eq!(c.stop(), Some(0));
}
