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
    // The two languages side by side (each its own profile), and one
    // Chromium start per language writes both the screenshot and the PDF.
    std::thread::scope(|scope| {
        for lang in ["zh", "en"] {
            let (browser, out) = (&browser, &out);
            scope.spawn(move || shoot_and_print(browser, out, lang));
        }
    });
}

/// The report in `lang`, screenshot and printed by one Chromium run into `out`.
fn shoot_and_print(browser: &Path, out: &Path, lang: &str) {
    let dir = std::env::temp_dir().join(format!("peitao-html-shot-{}-{lang}", std::process::id()));
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
    let _ = std::fs::remove_file(&shot);
    let _ = std::fs::remove_file(&pdf);
    let run = Command::new(browser)
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
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    for (flag, file) in [("--screenshot", &shot), ("--print-to-pdf", &pdf)] {
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

/// A report to sign: with `[office]` in peitao.toml, the page names the
/// day it was made, the office and the reviewer, the summary gives each
/// file's submission id and project name, a signature block closes the
/// summary, and the filter labels show which filter is on (read from
/// Chromium's computed style, before and after choosing a filter).
#[test]
fn the_report_to_sign_names_the_office_and_its_filters_show_their_state() {
    let dir = std::env::temp_dir().join(format!("peitao-html-signed-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("peitao.toml");
    std::fs::write(
        &config,
        "[office]\nname = \"十堰市民政局养老服务科\"\nreviewer = \"王科长\"\ncontact = \"0719-1234567\"\n",
    )
    .unwrap();
    let page = dir.join("report.html");
    let root = env!("CARGO_MANIFEST_DIR");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_peitao"))
            .args([
                "check",
                "examples/shiyan-violating.yaml",
                "examples/shiyan-compliant.yaml",
            ])
            .args(["tests/input/wrong-types.yaml", "--config"])
            .arg(&config)
            .args(args)
            .current_dir(root)
            .output()
            .unwrap()
    };
    run(&[
        "--format",
        "html",
        "--lang",
        "zh",
        "--output",
        page.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&page).unwrap();
    let today = peitao::input::Date::today().to_string();
    assert!(
        html.contains(&format!(
            "生成日期: <b>{today}</b> · 审查单位: <b>十堰市民政局养老服务科</b> · 审查人: <b>王科长</b>"
        )),
        "{html}"
    );
    // The terminal report's first line says the same.
    let human = String::from_utf8(run(&["--lang", "zh", "--color", "never"]).stdout).unwrap();
    assert_eq!(
        human.lines().next().unwrap(),
        format!("审查单位: 十堰市民政局养老服务科 · 审查人: 王科长 · 生成日期: {today}")
    );
    let Some(browser) = chromium() else {
        eprintln!("SKIPPED the browser half of this test: no Chromium found");
        return;
    };
    // A probe appended to a copy of the page: the computed marks of the
    // filter labels, and which summary rows show, before and after the
    // filter "problems only" is chosen.
    let probe = r#"<script>
function state() {
  const marks = ['all', 'only-problems', 'only-invalid'].map(id =>
    id + '=' + getComputedStyle(document.querySelector('label[for="' + id + '"]'), '::before').content);
  const rows = [...document.querySelectorAll('#summary tbody tr')].filter(r => r.offsetParent !== null).length;
  return marks.join(',') + ';rows=' + rows;
}
const before = state();
document.getElementById('only-invalid').checked = true;
const after = state();
const p = document.createElement('pre'); p.id = 'probe'; p.textContent = before + '|' + after;
document.body.appendChild(p);
</script>"#;
    let probed = dir.join("probed.html");
    std::fs::write(&probed, html.replace("</body>", &format!("{probe}</body>"))).unwrap();
    let dom = rendered(&browser, &probed, &dir.join("profile"));
    let at = dom.find("<pre id=\"probe\">").expect("the probe ran");
    let probe = &dom[at + 16..dom[at..].find("</pre>").unwrap() + at];
    let (before, after) = probe.split_once('|').unwrap();
    assert!(
        before.starts_with("all=\"◉ \",only-problems=\"○ \",only-invalid=\"○ \";"),
        "{probe}"
    );
    assert!(
        after.starts_with("all=\"○ \",only-problems=\"○ \",only-invalid=\"◉ \";"),
        "{probe}"
    );
    // The violating file and the invalid one are rows (the compliant one
    // is in the clean list); the invalid-only filter leaves one.
    assert!(before.ends_with(";rows=2"), "{probe}");
    assert!(after.ends_with(";rows=1"), "{probe}");
    // The summary's columns and the signature block, rendered.
    assert!(dom.contains("<th>申报编号</th><th>项目名称</th>"), "{dom}");
    assert!(
        dom.contains("<td>SY-2025-0042</td><td>阳光花园二期住宅项目</td>"),
        "{dom}"
    );
    assert!(dom.contains("<h2>审查意见签署</h2>"));
    assert!(dom.contains("<tr><th>审查单位</th><td>十堰市民政局养老服务科</td></tr>"));
    assert!(dom.contains("<tr><th>审查人</th><td>王科长</td></tr>"));
    assert!(dom.contains("<tr><th>联系方式</th><td>0719-1234567</td></tr>"));
    assert!(dom.contains("<tr><th>签字</th><td><span class=\"blank\"></span></td></tr>"));
    assert!(dom.contains(&format!("<tr><th>日期</th><td>{today}</td></tr>")));
}
