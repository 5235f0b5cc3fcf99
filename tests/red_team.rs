//! Files that once crashed a report or made it quadratic, and the output
//! side of a run (pipes, `-o`, names): every case ends with the exact
//! result expected, in a time far below the limits.

mod common;

use common::{peitao, tempdir};
use std::path::Path;
use std::time::{Duration, Instant};

const FORMATS: [&str; 5] = ["human", "json", "sarif", "junit", "html"];

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `peitao check FILE --format F`, timed.
fn check(file: &Path, format: &str) -> (String, String, i32, Duration) {
    let t = Instant::now();
    let (out, err, code) = peitao(&["check", s(file), "--format", format]);
    (out, err, code, t.elapsed())
}

/// Where each format says the first error is: (line, column).
fn positions(file: &Path) -> Vec<(&'static str, (usize, usize))> {
    let mut found = Vec::new();
    for format in FORMATS {
        let (out, err, code, _) = check(file, format);
        assert_eq!(code, 2, "{format}: {out}{err}");
        let at = match format {
            "human" => {
                let head = out.split("╭─[").nth(1).expect("a snippet header");
                let head = &head[..head.find(']').unwrap()];
                let mut parts = head.rsplitn(3, ':');
                let col = parts.next().unwrap().parse().unwrap();
                (parts.next().unwrap().parse().unwrap(), col)
            }
            "json" => {
                let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
                let loc = &doc["files"][0]["input_errors"][0]["location"];
                (
                    loc["line"].as_u64().unwrap() as usize,
                    loc["column"].as_u64().unwrap() as usize,
                )
            }
            "sarif" => {
                let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
                let r = &doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
                (
                    r["startLine"].as_u64().unwrap() as usize,
                    r["startColumn"].as_u64().unwrap() as usize,
                )
            }
            "junit" => {
                // "<path>:<line>:<col>: <code>: <message>" in the error's body.
                let name = s(file);
                let body = out
                    .split(&format!(">{name}:"))
                    .nth(1)
                    .expect("a located error");
                let mut parts = body.splitn(3, ':');
                (
                    parts.next().unwrap().parse().unwrap(),
                    parts.next().unwrap().parse().unwrap(),
                )
            }
            "html" => {
                // The row holding the mark, and the characters before it.
                let mark = out.find("<mark class=\"error\"").expect("a mark");
                let row = out[..mark].rfind("<tr id=\"file-0-L").unwrap();
                let line = out[row + 16..].split('"').next().unwrap().parse().unwrap();
                let cell = out[..mark].rfind("<td>").unwrap() + 4;
                let before = out[cell..mark]
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&#39;", "'")
                    .replace("&amp;", "&");
                (line, before.chars().count() + 1)
            }
            _ => unreachable!(),
        };
        found.push((format, at));
    }
    found
}

#[test]
fn every_format_gives_the_same_line_and_column_for_cjk_crlf_and_cr_files() {
    let dir = tempdir("positions");
    let text = "version: 1\nsubmission: { jurisdiction: 十堰市, filed: 2025-03-01 }\nestate: { name: 阳光花园, households: -5 }\n";
    for (name, eol) in [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")] {
        let file = dir.join(format!("{name}.yaml"));
        std::fs::write(&file, text.replace('\n', eol)).unwrap();
        for (format, at) in positions(&file) {
            assert_eq!(at, (3, 35), "{name} in {format}");
        }
    }
}

/// A minified submission: one line whose title is `chars` characters long,
/// with an error after it.
fn one_line(chars: usize) -> String {
    let title = "阳".repeat(chars);
    format!(
        "{{\"version\":1,\"submission\":{{\"jurisdiction\":\"十堰市\",\"filed\":\"2025-03-01\",\"title\":\"{title}\"}},\"estate\":{{\"status\":\"new\",\"households\":-5}}}}"
    )
}

#[test]
fn a_200_kb_one_line_json_submission_is_reported_around_its_span() {
    let dir = tempdir("one-line");
    let file = dir.join("minified.yaml");
    let small = dir.join("small.yaml");
    let text = one_line(70_000);
    assert!(text.len() > 200_000);
    std::fs::write(&file, &text).unwrap();
    std::fs::write(&small, one_line(700)).unwrap();
    let column = text[..text.find("-5").unwrap()].chars().count() + 1;
    for format in FORMATS {
        // Linear in the line's length, by a ratio rather than a clock: a
        // line 100 times longer within 10 times the time of the short one
        // (least of three each; both mostly the process's start), where
        // work per character of the line for each position or label found
        // on it would take thousands of times as long.
        let least = |f: &Path| {
            (0..3)
                .map(|_| check(f, format))
                .min_by_key(|r| r.3)
                .unwrap()
        };
        let (out, err, code, took) = least(&file);
        let short = least(&small).3;
        assert_eq!(code, 2, "{format}: {err}");
        assert!(
            took.as_secs_f64() < 10.0 * short.as_secs_f64(),
            "{format}: 200 KB took {took:?}, 2 KB {short:?}"
        );
        assert!(!err.contains("panicked"), "{err}");
        if format == "human" {
            assert!(out.contains(&format!("minified.yaml:1:{column}]")), "{out}");
            // The line is shown as a window around the value, not whole.
            assert!(out.contains(" 1 │ …w\",\"households\":-5}}\n"), "{out}");
            assert!(out.len() < 2_000, "{} bytes", out.len());
        }
    }
}

#[test]
fn sixteen_thousand_tabs_do_not_crash_the_terminal_report() {
    let dir = tempdir("tabs");
    let file = dir.join("tabs.yaml");
    let tabs = "\t".repeat(16_000);
    std::fs::write(
        &file,
        format!("version: 1\nsubmission: {{ jurisdiction: 十堰市, filed: 2025-03-01 }}\nestate: {{ name: \"{tabs}\", households: -5 }}\n"),
    )
    .unwrap();
    let (out, err, code, _) = check(&file, "human");
    assert_eq!(code, 2, "{err}");
    assert!(out.contains("tabs.yaml:3:16033]"), "{out}");
    assert!(out.contains("households cannot be negative"), "{out}");
    assert!(
        out.contains("1 file: 0 clean, 0 with findings, 1 invalid"),
        "{out}"
    );
}

#[test]
fn eight_thousand_errors_in_one_file_render_in_linear_time() {
    use peitao::report::{self, human};
    let catalog = peitao::engine::load_embedded().unwrap();
    // A file of `n` facilities, each with a misspelt key: `n` errors, on
    // `n` lines or on one.
    let files = |n: usize| {
        let mut multi = String::from(
            "version: 1\nsubmission: { jurisdiction: 十堰市, filed: 2025-03-01 }\nfacilities:\n",
        );
        let mut one_line = String::from(
            "{\"version\":1,\"submission\":{\"jurisdiction\":\"十堰市\"},\"facilities\":[",
        );
        for i in 0..n {
            multi.push_str(&format!(
                "  - {{ id: F{i}, kind: elderly_service, floor_aera: 5 }}\n"
            ));
            if i > 0 {
                one_line.push(',');
            }
            one_line.push_str(&format!(
                "{{\"id\":\"F{i}\",\"kind\":\"elderly_service\",\"floor_aera\":5}}"
            ));
        }
        one_line.push_str("]}");
        [("many.yaml", multi), ("many-one-line.yaml", one_line)]
    };
    let lang = peitao::plan::Lang::En;
    let style = human::Style {
        lang,
        color: false,
        width: 100,
    };
    let render = |format: &str, file: &peitao::check::FileResult| -> String {
        let files = std::slice::from_ref(file);
        match format {
            "human" => {
                let mut out = String::new();
                human::render_file(&catalog, file, &style, &mut out);
                out
            }
            "json" => report::json::render(&catalog, files, lang),
            "sarif" => report::sarif::render(&catalog, files, lang),
            "junit" => report::junit::render(&catalog, files, lang),
            _ => report::html::render(&catalog, files, lang),
        }
    };
    // Linear, by a ratio rather than a clock: 8 times the errors may take
    // about 8 times as long, not the 64 times a renderer quadratic in
    // them takes (the quadratic ones took 15 s here at 8,000). Each time
    // is the least of three, so a busy machine does not decide.
    let (small, large) = (files(1_000), files(8_000));
    for ((name, small), (_, large)) in small.into_iter().zip(large) {
        let small = peitao::check::check_text(&catalog, name, small.into(), &Default::default());
        let large = peitao::check::check_text(&catalog, name, large.into(), &Default::default());
        for format in ["human", "json", "sarif", "junit", "html"] {
            let least = |file: &peitao::check::FileResult| {
                (0..3)
                    .map(|_| {
                        let t = Instant::now();
                        let out = render(format, file);
                        (t.elapsed(), out)
                    })
                    .min_by_key(|(took, _)| *took)
                    .unwrap()
            };
            let (took_small, _) = least(&small);
            let (took_large, out) = least(&large);
            let ratio = took_large.as_secs_f64() / took_small.as_secs_f64().max(1e-6);
            assert!(
                ratio < 24.0,
                "{name} {format}: 8,000 errors took {took_large:?}, 1,000 took {took_small:?} ({ratio:.1}x)"
            );
            let marks = match format {
                "human" => out.matches("input::unknown-key").count(),
                "junit" => out.matches(": unknown-key: ").count(),
                _ => out.matches("unknown-key").count(),
            };
            assert!(marks >= 8_000, "{name} {format}: {marks}");
        }
    }
}

/// `text` with its `submission.id` made its own by `tag`: a batch
/// refuses a second file with an id it has seen.
fn own_id(text: &str, tag: &str) -> String {
    text.replacen("\n  id: ", &format!("\n  id: {tag}-"), 1)
}

/// A directory of `n` copies of the violating 十堰 example, each its own
/// filing (its own `submission.id`).
fn violating_batch(name: &str, n: usize) -> std::path::PathBuf {
    let dir = tempdir(name);
    let text = std::fs::read_to_string("examples/shiyan-violating.yaml").unwrap();
    for i in 0..n {
        std::fs::write(
            dir.join(format!("s{i:03}.yaml")),
            own_id(&text, &format!("{i:03}")),
        )
        .unwrap();
    }
    dir
}

#[test]
fn a_closed_pipe_ends_the_output_quietly_with_the_findings_exit_code() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let dir = violating_batch("pipe", 200);
    for format in FORMATS {
        let mut child = Command::new(env!("CARGO_BIN_EXE_peitao"))
            .args(["check", s(&dir), "--format", format])
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // `| head -c1`: one byte read, then the pipe closes.
        let mut byte = [0u8; 1];
        child.stdout.take().unwrap().read_exact(&mut byte).unwrap();
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{format}: {err}");
        assert!(err.is_empty(), "{format}: {err}");
    }
}

#[test]
fn a_closed_stderr_is_no_reason_to_panic() {
    let dir = tempdir("stderr");
    let bin = env!("CARGO_BIN_EXE_peitao");
    let report = dir.join("r.json");
    std::fs::create_dir_all(dir.join("broken")).unwrap();
    std::fs::write(dir.join("broken/pack.yaml"), "id: [").unwrap();
    for (args, expected) in [
        // The summary line of -o goes to standard error.
        (
            format!("check examples/shiyan-violating.yaml -o {}", s(&report)),
            1,
        ),
        // So do the problems of a broken pack.
        (format!("plans --rules {}", s(&dir.join("broken"))), 2),
    ] {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("exec 2>&-; {bin} {args}"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(expected), "{args}");
    }
    assert!(std::fs::read_to_string(&report)
        .unwrap()
        .contains("1 file: 0 clean, 1 with findings"));
}

#[test]
fn output_never_overwrites_an_input_nor_lands_among_the_submissions() {
    let dir = violating_batch("output", 2);
    let input = dir.join("s000.yaml");
    let before = std::fs::read_to_string(&input).unwrap();
    let links = dir.parent().unwrap().join("output-links");
    let _ = std::fs::remove_dir_all(&links);
    std::fs::create_dir_all(&links).unwrap();
    let (dangling, chained, to_input) = (
        links.join("out.json"),
        links.join("chain.json"),
        links.join("in.json"),
    );
    std::os::unix::fs::symlink(dir.join("new.yaml"), &dangling).unwrap();
    std::os::unix::fs::symlink(&dangling, &chained).unwrap();
    std::os::unix::fs::symlink(&input, &to_input).unwrap();
    for (args, why) in [
        (
            vec![s(&input), "-o", s(&input)],
            "is one of the files being checked",
        ),
        (
            vec![s(&dir), "-o", s(&input)],
            "is one of the files being checked",
        ),
        (
            vec![s(&dir), "-o", &format!("{}/report.YAML", s(&dir))],
            "the next run would check the report",
        ),
        // `--report` goes through the same check as `-o`.
        (
            vec![s(&dir), "--report", &format!("json={}", s(&input))],
            "is one of the files being checked",
        ),
        // A link is judged by the file it leads to, even one not written
        // yet, through any number of links.
        (
            vec![s(&dir), "-o", s(&dangling)],
            "the next run would check the report",
        ),
        (
            vec![s(&dir), "-o", s(&chained)],
            "the next run would check the report",
        ),
        (
            vec![s(&dir), "-o", s(&to_input)],
            "is one of the files being checked",
        ),
    ] {
        let mut all = vec!["check"];
        all.extend(args);
        let (out, err, code) = peitao(&all);
        assert_eq!(code, 2, "{all:?}: {out}{err}");
        assert!(err.contains(why), "{err}");
        assert!(out.is_empty(), "{out}");
    }
    assert_eq!(std::fs::read_to_string(&input).unwrap(), before);
    // Another name inside a checked directory is fine: the walk skips it,
    // and no temporary file is left behind.
    let report = dir.join("report.json");
    let (_, err, code) = peitao(&["check", s(&dir), "-o", s(&report), "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("2 files: 0 clean, 2 with findings"), "{err}");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
}

/// `-o /dev/stdout` writes through the descriptor the shell set up: a log
/// opened for appending keeps what it held, and `2>&1` keeps the summary.
#[test]
fn output_to_dev_stdout_appends_to_the_shells_file() {
    let dir = violating_batch("stdout-log", 1);
    let log = dir.parent().unwrap().join("stdout-log.txt");
    std::fs::write(&log, "EARLIER\n").unwrap();
    let bin = env!("CARGO_BIN_EXE_peitao");
    let run = format!(
        "{bin} check {} --format json -o /dev/stdout >> {} 2>&1",
        s(&dir),
        s(&log)
    );
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(run)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("LANG")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.starts_with("EARLIER\n{"), "{text}");
    assert!(text.contains("\"format_version\": 1"), "{text}");
    assert!(text.contains("1 file: 0 clean, 1 with findings"), "{text}");
    assert!(std::fs::symlink_metadata("/dev/stdout").is_ok());
}

#[test]
fn concurrent_runs_writing_one_report_leave_a_whole_one() {
    let dir = violating_batch("concurrent", 20);
    let report = tempdir("concurrent-out").join("report.json");
    let children: Vec<_> = (0..4)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_peitao"))
                .args(["check", s(&dir), "--format", "json", "-o", s(&report)])
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert_eq!(c.wait().unwrap().code(), Some(1));
    }
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(doc["summary"]["files"], 20);
}

#[test]
fn names_and_extensions_are_never_skipped_nor_merged() {
    let dir = tempdir("names");
    let text = std::fs::read_to_string("examples/shiyan-compliant.yaml").unwrap();
    std::fs::write(dir.join("A.YAML"), own_id(&text, "A")).unwrap();
    std::fs::write(dir.join("b.Yml"), own_id(&text, "b")).unwrap();
    std::fs::write(dir.join("notes.txt"), "not a submission").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        for b in [0xFEu8, 0xFF] {
            let bytes = [b'c', b, b'.', b'y', b'a', b'm', b'l'];
            std::fs::write(
                dir.join(std::ffi::OsStr::from_bytes(&bytes)),
                own_id(&text, &format!("c{b:02X}")),
            )
            .unwrap();
        }
    }
    let (out, err, code) = peitao(&["check", s(&dir)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("A.YAML: ok") && out.contains("b.Yml: ok"),
        "{out}"
    );
    #[cfg(unix)]
    {
        assert!(
            out.contains("c\\xFE.yaml: ok") && out.contains("c\\xFF.yaml: ok"),
            "{out}"
        );
        assert!(out.contains("4 files: 4 clean"), "{out}");
    }
    // A directory with nothing to check says so, and the run fails.
    let empty = tempdir("names-empty");
    std::fs::write(empty.join("notes.txt"), "not a submission").unwrap();
    let (out, _, code) = peitao(&["check", s(&empty)]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("unreadable: no submissions (*.yaml, *.yml) in this directory"),
        "{out}"
    );
}

#[test]
fn file_names_and_xml_forbidden_characters_cannot_forge_output() {
    let dir = tempdir("forge");
    let text = std::fs::read_to_string("examples/shiyan-compliant.yaml").unwrap();
    #[cfg(unix)]
    std::fs::write(
        dir.join("x\u{1b}]8;;https:evil\u{7}\n1 file: 1 clean.yaml"),
        &text,
    )
    .unwrap();
    // U+FFFE and U+FFFF in a key: JUnit must stay well-formed XML.
    std::fs::write(
        dir.join("keys.yaml"),
        text.replace("households:", "\"house\\uFFFE\\uFFFFholds\":"),
    )
    .unwrap();
    std::fs::write(dir.join("name\u{FFFE}\u{FFFF}.yaml"), &text).unwrap();
    let (out, _, _) = peitao(&["check", s(&dir)]);
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out}");
    assert!(
        !out.lines().any(|l| l.starts_with("1 file: 1 clean")),
        "a file name forged a summary line: {out}"
    );
    for format in ["junit", "html"] {
        let (out, _, code) = peitao(&["check", s(&dir), "--format", format]);
        assert_eq!(code, 2, "{out}");
        assert!(out.contains("unknown key"), "{out}");
        let bad = out.chars().find(|&c| {
            (c.is_control() && !"\n\t\r".contains(c)) || c == '\u{FFFE}' || c == '\u{FFFF}'
        });
        assert_eq!(bad, None, "{format} has a character XML forbids");
    }
}

#[test]
fn a_syntax_error_is_located_alike_in_lf_crlf_and_cr_files() {
    let dir = tempdir("syntax-eol");
    let text = "version: 1\nsubmission: { jurisdiction: 十堰市 }\nestate: { households: [1, }\n";
    for (name, eol) in [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")] {
        let file = dir.join(format!("{name}.yaml"));
        std::fs::write(&file, text.replace('\n', eol)).unwrap();
        let (out, _, code, _) = check(&file, "json");
        assert_eq!(code, 2, "{out}");
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        let e = &doc["files"][0]["input_errors"][0];
        assert_eq!(e["code"], "yaml-syntax", "{name}");
        assert_eq!(
            (&e["location"]["line"], &e["location"]["column"]),
            (&serde_json::json!(3), &serde_json::json!(23)),
            "{name}"
        );
        let (out, _, _, _) = check(&file, "human");
        assert!(out.contains(&format!("{name}.yaml:3:23]")), "{name}: {out}");
    }
}
