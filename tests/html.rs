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
        dom.contains("共 11 个文件: 5 个通过, 6 个有问题"),
        "summary line missing"
    );
    assert!(
        dom.contains(
            "<td>examples/shiyan-compliant.yaml</td><td>shiyan</td><td class=\"result\">通过</td>"
        ),
        "a clean row"
    );
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
