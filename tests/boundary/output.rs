//! See tests/boundary.rs.

use crate::common::{peitao, tempdir};
use std::path::{Path, PathBuf};

/// examples/shiyan-compliant.yaml with `from` replaced by `to` (which must
/// occur), written to a fresh directory as `name`.
fn shiyan_with(test: &str, name: &str, edits: &[(&str, &str)]) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut text = std::fs::read_to_string(root.join("examples/shiyan-compliant.yaml")).unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "{from}");
        text = text.replacen(from, to, 1);
    }
    let path = tempdir(test).join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

// ---- issue 21: every quantity exactly as written ----

/// The new estate needs 20 m² a hundred households of its 2600: 520 m².
const ELDERLY_SPACE: &str = "floor_area: 520 m²  ";

#[test]
fn a_quantity_one_ten_quadrillionth_short_is_short_and_printed_as_written() {
    // Through a double, 519.99999999999999 is 520 and the estate passed.
    for written in [
        "519.99999999999999 m²",
        "519.99999999999999",
        "519.9999999999999 m²",
    ] {
        let file = shiyan_with(
            "exact-short",
            "f.yaml",
            &[(ELDERLY_SPACE, &format!("floor_area: {written}  "))],
        );
        let (out, _, code) = peitao(&["check", path_str(&file), "--lang", "en"]);
        assert_eq!(code, 1, "{written}: {out}");
        let shown = written.trim_end_matches(" m²");
        assert!(
            out.contains(&format!("elderly-service space {shown} m² < 520 m²")),
            "{written}: {out}"
        );
        let (zh, _, _) = peitao(&["check", path_str(&file), "--lang", "zh"]);
        assert!(
            zh.contains(&format!("养老服务用房 {shown} m² < 应有 520 m²")),
            "{zh}"
        );
    }
    // Exactly the standard still holds (不低于 includes it), however written.
    for written in ["520.00000000000000000 m²", "5.2e2", "0.052万㎡"] {
        let file = shiyan_with(
            "exact-equal",
            "f.yaml",
            &[(ELDERLY_SPACE, &format!("floor_area: {written}  "))],
        );
        let (out, _, code) = peitao(&["check", path_str(&file), "--lang", "en"]);
        assert_eq!(code, 0, "{written}: {out}");
    }
}

#[test]
fn a_share_and_an_alias_are_read_exactly_too() {
    let file = shiyan_with(
        "exact-share",
        "f.yaml",
        &[
            ("lottery_fund_share: 55%", "lottery_fund_share: 54.999999999999999999%"),
            // An alias of a bare number is read from the anchored text.
            (
                "facilities:\n",
                "facilities:\n  - id: F0\n    kind: childcare\n    floor_area: &short 519.99999999999999\n",
            ),
            (ELDERLY_SPACE, "floor_area: *short  "),
        ],
    );
    let (out, _, code) = peitao(&["check", path_str(&file), "--lang", "en"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("elderly care is 54.999999999999999999%; the plan's target is at least 55%"),
        "{out}"
    );
    assert!(
        out.contains("elderly-service space 519.99999999999999 m² < 520 m²"),
        "{out}"
    );
}

#[test]
fn a_number_too_long_to_hold_exactly_is_refused_where_it_is_written() {
    for written in [
        "5199999999999999999999999999999999999.99 m²",
        "0.0000000000000000000000000000000000000001",
        "1e39",
    ] {
        let file = shiyan_with(
            "too-precise",
            "f.yaml",
            &[(ELDERLY_SPACE, &format!("floor_area: {written}  "))],
        );
        let (out, _, code) = peitao(&["check", path_str(&file), "--lang", "en"]);
        assert_eq!(code, 2, "{written}: {out}");
        assert!(out.contains("input::too-precise"), "{out}");
        assert!(
            out.contains(&format!(
                "floor_area `{written}` has more digits than can be checked"
            )),
            "{out}"
        );
        assert!(out.contains("f.yaml:21:17]"), "{out}");
        let (zh, _, _) = peitao(&["check", path_str(&file), "--lang", "zh"]);
        assert!(
            zh.contains(&format!(
                "`floor_area` 的值 `{written}` 位数过多, 无法精确核对"
            )),
            "{zh}"
        );
    }
}

/// Red team, 2026-12-06: counts were already decimal only, but YAML's hex,
/// octal and binary integers still reached a quantity or a share as their
/// value: `floor_area: 0x208` was a compliant 520 m² to the checker and a
/// puzzle to the reviewer reading the filing. Now each is refused where
/// it is written, as a count in hex is.
#[test]
fn a_quantity_or_a_share_in_hex_octal_or_binary_is_refused_where_it_is_written() {
    let cases = [
        (ELDERLY_SPACE, "floor_area: {}  ", "floor_area", ":21:17]"),
        (
            "childcare_trained_share: 90%",
            "childcare_trained_share: {}",
            "childcare_trained_share",
            ":57:30]",
        ),
    ];
    for (from, to, name, at) in cases {
        for written in ["0x208", "0o1010", "0b1000001000"] {
            let file = shiyan_with(
                "non-decimal",
                "f.yaml",
                &[(from, &to.replace("{}", written))],
            );
            let (out, _, code) = peitao(&["check", path_str(&file), "--lang", "en"]);
            assert_eq!(code, 2, "{written}: {out}");
            assert!(out.contains("input::wrong-type"), "{out}");
            assert!(
                out.contains(&format!("{name} must be written in decimal digits")),
                "{out}"
            );
            assert!(out.contains(&format!("f.yaml{at}")), "{out}");
            let (zh, _, _) = peitao(&["check", path_str(&file), "--lang", "zh"]);
            assert!(
                zh.contains(&format!("`{name}` 必须用十进制数字书写")),
                "{zh}"
            );
        }
    }
    // Decimal, grouped and exponent forms still read as before.
    for written in ["520", "5_20", "5.2e2", "520 m²"] {
        let file = shiyan_with(
            "decimal",
            "f.yaml",
            &[(ELDERLY_SPACE, &format!("floor_area: {written}  "))],
        );
        let (out, _, code) = peitao(&["check", path_str(&file), "--lang", "en"]);
        assert_eq!(code, 0, "{written}: {out}");
    }
}

// ---- issue 20, item 6: output injection ----

/// The cells of an RFC 4180 text (after the byte-order mark).
fn csv_cells(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    assert!(!quoted && cell.is_empty() && row.is_empty(), "ragged CSV");
    rows
}

#[test]
fn csv_cells_a_spreadsheet_would_run_are_defused() {
    // OWASP's payloads that begin like numbers, in the texts the applicant
    // controls that reach the ledger: the submission id and the file name.
    let id = "-2+3+cmd|' /C calc'!A0";
    let name = "-.5+HYPERLINK(\"example.invalid\",\"x\").yaml";
    let file = shiyan_with(
        "csv-injection",
        name,
        &[
            (
                "id: SY-2025-0043",
                &format!("id: '{}'", id.replace('\'', "''")),
            ),
            (ELDERLY_SPACE, "floor_area: 500 m²  "),
        ],
    );
    // Run in its directory, so the file column begins with the name.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_peitao"))
        .args(["check", "--format", "csv", "--lang", "en", "--", name])
        .current_dir(file.parent().unwrap())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = csv_cells(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(rows.len(), 2, "{rows:?}");
    let row = &rows[1];
    // Each payload reached the ledger as text: `'` makes the cell a string.
    // (The ledger's columns: file, project, submission_id, … provided at 12.)
    assert_eq!(row[0], format!("'{name}"));
    assert_eq!(row[2], format!("'{id}"));
    assert_eq!(row[12], "500 m²");
    // No cell begins with a formula sign.
    for c in rows.iter().flatten() {
        assert!(!csv_formula_start(c), "a live formula: {c:?}");
    }
}

/// Red team, 2026-12-06: the ledger is text too, and `cat 台账.csv` in a
/// terminal or a reordered id in a spreadsheet deceives like the terminal
/// report would. An id with an OSC title sequence, a screen clear, a BEL
/// and a right-to-left override reaches no cell raw.
#[test]
fn csv_cells_carry_no_terminal_escape_and_no_bidi_override() {
    let file = shiyan_with(
        "csv-controls",
        "a.yaml",
        &[
            ("id: SY-2025-0043", r#"id: "=1+1\e]0;pwned\a\e[2J\u202eX""#),
            (ELDERLY_SPACE, "floor_area: 500 m²  "),
        ],
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_peitao"))
        .args(["check", "--no-config", "--format", "csv", "--lang", "en"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = csv_cells(&String::from_utf8(out.stdout).unwrap());
    assert!(rows.len() >= 2, "{rows:?}");
    for c in rows.iter().flatten() {
        let bad: Vec<char> = c
            .chars()
            .filter(|&c| {
                (c.is_control() && c != '\n' && c != '\t')
                    || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
            })
            .collect();
        assert!(bad.is_empty(), "raw {bad:?} in {c:?}");
        assert!(!csv_formula_start(c), "a live formula: {c:?}");
    }
    // The id is still there, defused and visibly marked where it was altered.
    let ids: Vec<&str> = rows[1..].iter().map(|r| r[2].as_str()).collect();
    assert!(
        ids.iter()
            .all(|id| *id == "'=1+1\u{FFFD}]0;pwned\u{FFFD}\u{FFFD}[2J\u{FFFD}X"),
        "{ids:?}"
    );
}

/// Red team, 2026-12-06: `--format github` escaped `%`, CR and LF as the
/// toolkit does, but a facility id with an ANSI colour escape, a
/// backspace and a right-to-left override reached the Actions log raw
/// (and the terminal of whoever ran it locally). The annotation now
/// carries U+FFFD in their place, and still no forged workflow command.
#[test]
fn github_annotations_carry_no_terminal_escape_and_no_bidi_override() {
    let file = shiyan_with(
        "github-controls",
        "a.yaml",
        &[
            ("id: F1", r#"id: "\e[31mF1\e[0m\u202e\b\n::error::forged""#),
            // F1 accepted a month after the housing: a finding that names it.
            (
                "acceptance: 2026-10, delivery: 2026-12 }\n  - id: F2",
                "acceptance: 2026-11, delivery: 2026-12 }\n  - id: F2",
            ),
        ],
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_peitao"))
        .args(["check", "--no-config", "--format", "github", "--lang", "en"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    assert!(bad.is_empty(), "raw {bad:?} in {text}");
    // Every command is an annotation of ours (the summary ends the output);
    // the id's line break stayed data.
    for line in text.lines().filter(|l| l.starts_with("::")) {
        assert!(
            line.starts_with("::error file=")
                || line.starts_with("::warning file=")
                || line.starts_with("::notice"),
            "{line}"
        );
    }
    assert!(
        text.contains("\u{FFFD}[31mF1\u{FFFD}[0m\u{FFFD}\u{FFFD}%0A::error::forged"),
        "{text}"
    );
}

/// What OWASP says a spreadsheet may run, and what WPS may read as it.
fn csv_formula_start(cell: &str) -> bool {
    matches!(
        cell.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠')
    )
}

/// A waiver of the elderly-space finding of examples/shiyan-violating.yaml.
fn waiver_config(test: &str, reason: &str, approved_by: &str) -> PathBuf {
    let path = tempdir(test).join("peitao.toml");
    std::fs::write(
        &path,
        format!(
            "[[waiver]]\nrule = \"shiyan.elderly-space-new\"\nsubmission = \"SY-2025-0042\"\n\
             reason = \"{reason}\"\napproved_by = \"{approved_by}\"\nexpires = \"2099-01-01\"\n\
             path = \"examples/shiyan-violating.yaml\"\n"
        ),
    )
    .unwrap();
    path
}

#[test]
fn invisible_text_is_no_reason_and_no_approver() {
    // TOML escapes, so the file holds the characters themselves.
    for (reason, approved_by, line) in [
        ("\\u200B\\u200C\\u200D", "王科长", 4),
        ("第二处用房已签约", "\\u2060\\uFEFF\\u3000", 5),
        ("\\u202E\\u2066\\u00AD", "王科长", 4),
    ] {
        let config = waiver_config("invisible-waiver", reason, approved_by);
        for (lang, says) in [
            ("en", "empty after removing invisible characters"),
            ("zh", "去掉不可见字符后为空"),
        ] {
            let (out, err, code) = peitao(&[
                "check",
                "examples/shiyan-violating.yaml",
                "--config",
                path_str(&config),
                "--lang",
                lang,
            ]);
            assert_eq!(code, 2, "{reason} {approved_by}: {out}{err}");
            assert!(err.contains("config::empty"), "{err}");
            assert!(err.contains(says), "{err}");
            assert!(err.contains(&format!("peitao.toml:{line}:")), "{err}");
            assert!(
                err.contains("nothing was checked") || err.contains("未检查"),
                "{err}"
            );
        }
    }
}

#[test]
fn a_waiver_reads_as_people_see_it() {
    // A right-to-left override would show "not approve" backwards, and a
    // zero-width space hides inside the approver's name.
    let config = waiver_config(
        "visible-waiver",
        "\\u202Eevorppa ton\\u202C 第二处用房已签约",
        "王\\u200B科长",
    );
    let (out, err, code) = peitao(&[
        "check",
        "examples/shiyan-violating.yaml",
        "--config",
        path_str(&config),
        "--format",
        "csv",
        "--lang",
        "en",
    ]);
    assert_eq!(code, 1, "{err}");
    let rows = csv_cells(&out);
    let waived = rows
        .iter()
        .find(|r| r[6] == "shiyan.elderly-space-new")
        .expect("the waived finding");
    assert_eq!(waived[8], "waived");
    // The waiver's reason and approver, each in its column, as seen.
    assert_eq!(waived[14], "evorppa ton 第二处用房已签约", "{waived:?}");
    assert_eq!(waived[15], "王科长", "{waived:?}");
    assert!(!out.contains(['\u{202E}', '\u{202C}', '\u{200B}']), "{out}");
}

#[cfg(unix)]
#[test]
fn sarif_uris_of_names_that_are_not_utf8_encode_the_real_bytes() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempdir("sarif-bytes");
    // 测试 in GBK, and a backslash, which Unix allows in a name.
    let name = std::ffi::OsStr::from_bytes(b"\xB2\xE2\xCA\xD4 a\\b.yaml");
    let violating = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/shiyan-violating.yaml");
    std::fs::copy(violating, dir.join(name)).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_peitao"))
        .args(["check", "--format", "sarif", "."])
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let run = &sarif["runs"][0];
    let uris: Vec<&str> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(!uris.is_empty());
    for u in &uris {
        assert_eq!(*u, "./%B2%E2%CA%D4%20a%5Cb.yaml");
    }
    // Resolved against SRCROOT, the URI names the file that exists.
    let root = run["originalUriBaseIds"]["SRCROOT"]["uri"]
        .as_str()
        .unwrap();
    let path = peitao::lsp::uri::to_path(&format!("{root}{}", uris[0])).unwrap();
    assert_eq!(
        std::fs::canonicalize(path).unwrap(),
        std::fs::canonicalize(dir.join(name)).unwrap()
    );
}

// ---- issue 20, item 8: crashes left ----

/// Run `peitao ARGS` with standard error a pipe whose reading end is
/// closed (`peitao … 2>&1 | true` after `true` has gone): every write to it
/// fails with EPIPE. Its exit code.
fn with_stderr_a_closed_pipe(args: &[&str], dir: &Path) -> Option<i32> {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_peitao"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(writer)
        .status()
        .unwrap();
    status.code()
}

#[test]
fn a_closed_stderr_pipe_never_panics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempdir("closed-stderr");
    let report = dir.join("report.txt");
    let config = waiver_config("closed-stderr-config", "\\u200B", "王科长");
    let broken = dir.join("broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("pack.yaml"), "id: [").unwrap();
    let violating = root.join("examples/shiyan-violating.yaml");
    for (args, expected) in [
        // The summary line of -o goes to standard error.
        (
            vec!["check", path_str(&violating), "-o", path_str(&report)],
            1,
        ),
        // A usage error: an unknown plan, an unknown rule.
        (vec!["check", "--plan", "nope", path_str(&violating)], 2),
        (vec!["explain", "nope.rule"], 2),
        (vec!["explain", "nope.rule", "--lang", "zh"], 2),
        // A config error, a broken pack, an argument the parser refuses.
        (
            vec!["check", "--config", path_str(&config), path_str(&violating)],
            2,
        ),
        (vec!["plans", "--rules", path_str(&broken)], 2),
        (vec!["check", "--lang", "zh", "--bogus"], 2),
        (vec!["check", "--bogus"], 2),
        // A report that cannot be written.
        (
            vec![
                "check",
                path_str(&violating),
                "-o",
                "/nonexistent/dir/r.txt",
            ],
            2,
        ),
    ] {
        assert_eq!(
            with_stderr_a_closed_pipe(&args, root),
            Some(expected),
            "{args:?}"
        );
    }
    assert!(std::fs::read_to_string(&report)
        .unwrap()
        .contains("shiyan.elderly-space-new"));
    // `peitao init` where a peitao.toml exists says so on standard error.
    std::fs::write(dir.join("peitao.toml"), "").unwrap();
    assert_eq!(with_stderr_a_closed_pipe(&["init"], &dir), Some(2));
}

// ---- issue 20, item 8: the language server ----

use crate::lsp_client;

/// A submission whose `floor_area` (line 6, column 16) is refused, with
/// its lines ended by `end`.
fn lsp_doc(end: &str) -> String {
    [
        "version: 1",
        "estate: { status: new, households: 2600 }",
        "facilities:",
        "  - id: F1",
        "    kind: elderly_service",
        "    schedule: { planned: 2024-05 }",
        "    floor_area: 500 acres",
        "",
    ]
    .join(end)
}

#[test]
fn the_language_server_counts_cr_crlf_and_lf_as_line_ends() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root_uri = peitao::lsp::uri::from_path(root);
    let mut client = lsp_client::Client::start(&[], path_str(root));
    client.initialize(&root_uri, serde_json::json!({ "lang": "en" }));
    for (name, end) in [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")] {
        let uri = format!("{root_uri}/examples/lsp-{name}.yaml");
        client.open(&uri, &lsp_doc(end));
        let published = loop {
            let n = client.notification("textDocument/publishDiagnostics");
            if n["params"]["uri"] == uri.as_str() {
                break n;
            }
        };
        let diagnostics = published["params"]["diagnostics"].as_array().unwrap();
        let bad_unit = diagnostics
            .iter()
            .find(|d| d["code"] == "input::bad-unit")
            .unwrap_or_else(|| panic!("{name}: {published}"));
        // Not line 0, column 155 as when only LF counted.
        assert_eq!(
            bad_unit["range"],
            serde_json::json!({
                "start": { "line": 6, "character": 16 },
                "end": { "line": 6, "character": 25 },
            }),
            "{name}"
        );
    }
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn a_message_over_the_cap_is_skipped_and_the_server_serves_on() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root_uri = peitao::lsp::uri::from_path(root);
    // The note is in the language of the command line (or environment).
    let mut client = lsp_client::Client::start(&["--lang", "zh"], path_str(root));
    client.initialize(&root_uri, serde_json::json!({}));
    // One byte over 64 MiB, framed as JSON-RPC.
    let filler = "x".repeat((peitao::lsp::transport::MAX_MESSAGE_BYTES as usize) - 40);
    let big = serde_json::json!({ "jsonrpc": "2.0", "method": "x/big", "params": filler });
    let size = serde_json::to_string(&big).unwrap().len() as u64;
    assert!(size > peitao::lsp::transport::MAX_MESSAGE_BYTES);
    client.send(&big);
    let log = client.notification("window/logMessage");
    assert_eq!(log["params"]["type"], 1, "{log}");
    let said = log["params"]["message"].as_str().unwrap();
    assert!(
        said.contains(&format!(
            "编辑器发来的消息有 {size} 字节, 超过上限 67108864 字节, 已跳过"
        )),
        "{said}"
    );
    // The next message is read in step: the document is checked.
    let uri = format!("{root_uri}/examples/lsp-after-big.yaml");
    client.open(&uri, &lsp_doc("\n"));
    let published = client.notification("textDocument/publishDiagnostics");
    assert_eq!(published["params"]["uri"], uri.as_str());
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn a_huge_content_length_is_never_allocated() {
    use std::io::Write;
    for claim in ["3000000000", "100000000000000", "18446744073709551616"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_peitao"))
            .args(["lsp", "--lang", "en"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        // The header, a little of the body, and the editor goes away.
        write!(
            stdin,
            "Content-Length: {claim}\r\n\r\n{{\"jsonrpc\":\"2.0\""
        )
        .unwrap();
        drop(stdin);
        let out = child.wait_with_output().unwrap();
        // Exits by itself, without an abort (134), a panic (101) or a signal:
        // nothing of the claimed size was allocated.
        let code = out.status.code();
        assert!(
            matches!(code, Some(0 | 2)),
            "{claim}: {:?} {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !err.contains("memory allocation") && !err.contains("panicked"),
            "{err}"
        );
    }
}
