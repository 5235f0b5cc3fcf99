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

#[test]
fn a_200_kb_one_line_json_submission_is_reported_around_its_span() {
    let dir = tempdir("one-line");
    let file = dir.join("minified.yaml");
    let title = "阳".repeat(70_000);
    let text = format!(
        "{{\"version\":1,\"submission\":{{\"jurisdiction\":\"十堰市\",\"filed\":\"2025-03-01\",\"title\":\"{title}\"}},\"estate\":{{\"status\":\"new\",\"households\":-5}}}}"
    );
    assert!(text.len() > 200_000);
    std::fs::write(&file, &text).unwrap();
    let column = text[..text.find("-5").unwrap()].chars().count() + 1;
    for format in FORMATS {
        let (out, err, code, took) = check(&file, format);
        assert_eq!(code, 2, "{format}: {err}");
        assert!(took < Duration::from_secs(2), "{format} took {took:?}");
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
    let dir = tempdir("many");
    let mut multi = String::from(
        "version: 1\nsubmission: { jurisdiction: 十堰市, filed: 2025-03-01 }\nfacilities:\n",
    );
    let mut one_line = String::from(
        "{\"version\":1,\"submission\":{\"jurisdiction\":\"十堰市\"},\"facilities\":[",
    );
    for i in 0..8_000 {
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
    for (name, text) in [("many.yaml", multi), ("many-one-line.yaml", one_line)] {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        for format in FORMATS {
            let (out, err, code, took) = check(&file, format);
            assert_eq!(code, 2, "{format}: {err}");
            // A debug build on a loaded 2-core machine: the quadratic
            // renderers took 15 s here.
            assert!(
                took < Duration::from_secs(4),
                "{name} {format} took {took:?}"
            );
            if format == "human" {
                assert_eq!(out.matches("input::unknown-key").count(), 8_000);
                assert!(out.contains("invalid submission (8000 input errors)"));
            }
        }
    }
}
