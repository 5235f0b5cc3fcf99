//! The HTML report opened in a real browser: headless Chromium renders it
//! and the test reads the rendered DOM. Skips, saying so, only where no
//! Chromium can be found outside CI; under CI=true a missing Chromium fails
//! (.ci/run installs Debian's).

use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PEITAO_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
    .or_else(|| {
        // CI must run the browser test, not skip it.
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true and no Chromium: the browser test cannot run (.ci/run installs Debian's chromium)"
        );
        None
    })
}

/// The DOM after Chromium has loaded and rendered `page`.
fn rendered(browser: &Path, page: &Path, profile: &Path) -> String {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
        ])
        .args([
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn html_report(name: &str, paths: &[&str]) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("peitao-html-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("report.html");
    let status = Command::new(env!("CARGO_BIN_EXE_peitao"))
        .arg("check")
        .args(paths)
        .args(["--format", "html", "--lang", "zh", "--output"])
        .arg(&page)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .unwrap();
    assert!(status.code().is_some());
    (page, dir)
}

#[test]
fn the_report_renders_its_summary_highlights_and_clauses() {
    let (page, dir) = html_report("examples", &["examples/"]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        !html.contains("http://") && !html.contains("https://") && !html.contains("src="),
        "the page must be self-contained"
    );
    let Some(browser) = chromium() else {
        eprintln!("SKIPPED the browser half of this test: no Chromium found (apt-get install chromium, or set PEITAO_CHROMIUM)");
        return;
    };
    let dom = rendered(&browser, &page, &dir.join("profile"));
    assert!(
        dom.contains("<table class=\"summary\" id=\"summary\">"),
        "{dom}"
    );
    assert!(
        dom.contains("共 51 个文件: 23 个通过, 26 个有问题, 2 个没有适用的规则"),
        "summary line missing"
    );
    // Clean files collapsed into a list, problem files in the table.
    assert!(
        dom.contains("<details class=\"clean\"><summary>23 个文件通过检查</summary>"),
        "{dom}"
    );
    assert!(dom.contains("<li>examples/shiyan-compliant.yaml</li>"));
    assert!(
        dom.contains("<td><a href=\"#file-"),
        "problem rows link to their sections"
    );
    // Plan names, severity in words, labels visible (not only titles).
    assert!(
        dom.contains("<td>十堰市“一老一小”整体解决方案</td>"),
        "{dom}"
    );
    assert!(dom.contains("<span class=\"sev error\">错误</span>"));
    assert!(dom.contains("<span class=\"sev warning\">警告</span>"));
    assert!(dom.contains("<span class=\"sev unchecked\">无法检查</span>"));
    assert!(dom.contains("<li>计入合计 519 m²</li>"), "labels visible");
    assert!(dom.contains("<li>households: 2600</li>"), "inputs visible");
    // The offending value highlighted, and the clause quoted beside its line.
    assert!(dom.contains(">319 m²</mark>"), "highlighted value missing");
    assert!(
        dom.contains(
            "class=\"error\" title=\"shiyan.elderly-space-new: 计入合计 519 m²\">319 m²</mark>"
        ),
        "{dom}"
    );
    assert!(dom.contains("“新建住宅小区(居住区)按照每百户不低于20平方米、建筑面积不小于350平方米的标准配建养老服务用房”"));
    assert!(dom.contains("《十堰市“一老一小”整体解决方案》十政办发〔2022〕56号"));
}

#[test]
fn text_from_a_submission_cannot_inject_markup() {
    let dir = std::env::temp_dir().join(format!("peitao-html-inject-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("x.yaml");
    std::fs::write(
        &file,
        "version: 1\nsubmission: { jurisdiction: shiyan, filed: 2025-03-01 }\ninstitutions:\n  - id: \"<script>document.title='pwned'</script>\"\n    kind: elderly_care\n    beds: 200\n    medical: none\n",
    )
    .unwrap();
    let (page, out_dir) = html_report("inject", &[file.to_str().unwrap()]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains("<script>"), "raw script tag in the page");
    assert!(html.contains("&lt;script&gt;"));
    let Some(browser) = chromium() else {
        eprintln!("SKIPPED the browser half of this test: no Chromium found");
        return;
    };
    let dom = rendered(&browser, &page, &out_dir.join("profile"));
    assert!(
        dom.contains("<title>peitao 审查报告</title>"),
        "the title was changed by injected script"
    );
    assert!(!dom.contains("<script>"));
}

/// Chromium's screenshot and print-to-PDF of the report, in both
/// languages: the page renders and prints (the print stylesheet keeps the
/// labels and severity words, which are text, not hover titles).
#[test]
fn the_report_screenshots_and_prints_in_both_languages() {
    let Some(browser) = chromium() else {
        eprintln!("SKIPPED: no Chromium found");
        return;
    };
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/html-shots");
    std::fs::create_dir_all(&out).unwrap();
    for lang in ["zh", "en"] {
        let dir =
            std::env::temp_dir().join(format!("peitao-html-shot-{}-{lang}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let page = dir.join("report.html");
        let status = Command::new(env!("CARGO_BIN_EXE_peitao"))
            .args([
                "check",
                "examples/",
                "tests/input/wrong-types.yaml",
                "--format",
                "html",
                "--lang",
                lang,
                "--output",
            ])
            .arg(&page)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .unwrap();
        assert!(status.code().is_some());
        let html = std::fs::read_to_string(&page).unwrap();
        assert!(html.contains("@media print"), "a print stylesheet");
        let shot = out.join(format!("report-{lang}.png"));
        let pdf = out.join(format!("report-{lang}.pdf"));
        for (flag, file) in [("--screenshot", &shot), ("--print-to-pdf", &pdf)] {
            let _ = std::fs::remove_file(file);
            let run = Command::new(&browser)
                .args([
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--hide-scrollbars",
                    "--window-size=1280,1600",
                    "--no-pdf-header-footer",
                ])
                .arg(format!("--user-data-dir={}", dir.join("profile").display()))
                .arg(format!("{flag}={}", file.display()))
                .arg(format!("file://{}", page.display()))
                .output()
                .expect("chromium runs");
            let bytes = std::fs::read(file).unwrap_or_else(|e| {
                panic!(
                    "{flag} wrote nothing ({e}): {}",
                    String::from_utf8_lossy(&run.stderr)
                )
            });
            let magic: &[u8] = if flag == "--screenshot" {
                b"\x89PNG"
            } else {
                b"%PDF"
            };
            assert!(bytes.starts_with(magic), "{flag}: not a {magic:?} file");
            assert!(
                bytes.len() > 20_000,
                "{flag}: {} bytes, an empty page?",
                bytes.len()
            );
        }
    }
}
