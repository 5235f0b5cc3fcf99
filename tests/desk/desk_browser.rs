//! The review desk in a real browser (issue 24): headless Chromium driven
//! through chromedriver's W3C WebDriver protocol. An applicant logs in,
//! uploads a violating filing and sees the offending value highlighted with
//! the finding in Chinese; an approver grants a waiver; the applicant
//! resubmits the fix and sees it marked fixed (已改正); a reviewer decides,
//! and the review opinion (审查意见书) is printed to PDF by the browser,
//! whose text (pdftotext) names the office, the intake number, the
//! decision and the waiver with its approver and expiry. No step uses the
//! command line or the JSON API: only pages, links and forms.
//!
//! Under CI=true a missing chromedriver, Chromium or pdftotext fails the
//! test; elsewhere it says SKIPPED on stderr.

use crate::desk_common::*;
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A chromedriver process and one browser session in it.
struct Browser {
    driver: Child,
    http: Client,
    session: String,
    _profile: std::path::PathBuf,
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn find_tool(names: &[&str]) -> Option<String> {
    names
        .iter()
        .find(|n| std::path::Path::new(n).is_file())
        .map(|s| s.to_string())
}

impl Browser {
    fn start(dir: &std::path::Path) -> Option<Browser> {
        let driver = std::env::var("PEITAO_CHROMEDRIVER")
            .ok()
            .or_else(|| find_tool(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]));
        let chromium = std::env::var("PEITAO_CHROMIUM")
            .ok()
            .or_else(|| find_tool(&["/usr/bin/chromium", "/usr/bin/chromium-browser"]));
        let (Some(driver), Some(chromium)) = (driver, chromium) else {
            missing(
                "chromedriver or chromium",
                "apt-get install chromium chromium-driver fonts-noto-cjk",
            );
            return None;
        };
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let http = Client::new(&format!("http://127.0.0.1:{port}"));
        let start = Instant::now();
        loop {
            let up = std::net::TcpStream::connect(("127.0.0.1", port)).is_ok();
            if up && http.get("/status").ok() {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "chromedriver did not come up"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = dir.join("chrome-profile");
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--lang=zh-CN",
                         format!("--user-data-dir={}", profile.display())],
            }
        }}});
        let mut b = Browser {
            driver: child,
            http,
            session: String::new(),
            _profile: profile,
        };
        let r = b.call("POST", "/session", Some(caps));
        b.session = r["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {r}"))
            .to_string();
        Some(b)
    }

    /// One WebDriver command; its `value`.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = if path.starts_with("/session/") || path == "/session" {
            path.to_string()
        } else {
            format!("/session/{}{path}", self.session)
        };
        let r = self.http.request(
            method,
            &path,
            &[],
            body.map(|b| ("application/json", serde_json::to_vec(&b).unwrap())),
        );
        let j = r.json();
        assert!(r.ok(), "WebDriver {method} {path}: {} {j}", r.status);
        j["value"].clone()
    }

    fn go(&self, url: &str) {
        self.call("POST", "/url", Some(json!({"url": url})));
    }

    fn url(&self) -> String {
        self.call("GET", "/url", None).as_str().unwrap().to_string()
    }

    fn find(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("{css}: {v}"))
            .to_string()
    }

    fn find_all(&self, css: &str) -> Vec<String> {
        let v = self.call(
            "POST",
            "/elements",
            Some(json!({"using": "css selector", "value": css})),
        );
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| e[ELEMENT].as_str().unwrap().to_string())
            .collect()
    }

    fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.call(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({"text": text})),
        );
    }

    fn click(&self, css: &str) {
        let e = self.find(css);
        self.click_el(&e);
    }

    /// Click what submits a form or follows a link, and wait until the
    /// next page has replaced this one.
    fn click_and_wait(&self, css: &str) {
        let old = self.find("html");
        self.click(css);
        let start = Instant::now();
        loop {
            let r = self.http.request(
                "GET",
                &format!("/session/{}/element/{old}/name", self.session),
                &[],
                None,
            );
            if !r.ok() && self.find_all("body").len() == 1 {
                // The old document is gone and the new one has its body.
                let ready = self.call(
                    "POST",
                    "/execute/sync",
                    Some(json!({
                    "script": "return document.readyState", "args": []})),
                );
                if ready == "complete" {
                    return;
                }
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "clicking {css} loaded no new page"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn click_el(&self, e: &str) {
        self.call("POST", &format!("/element/{e}/click"), Some(json!({})));
    }

    fn text(&self, css: &str) -> String {
        let e = self.find(css);
        self.text_of(&e)
    }

    fn text_of(&self, e: &str) -> String {
        self.call("GET", &format!("/element/{e}/text"), None)
            .as_str()
            .unwrap()
            .to_string()
    }

    /// The visible text of the whole page.
    fn page_text(&self) -> String {
        self.text("body")
    }

    /// Log in through the login form.
    fn login(&self, base: &str, name: &str) {
        self.go(&format!("{base}/login"));
        self.type_into("#name", name);
        self.type_into("#password", PASSWORD);
        self.click_and_wait("#login");
        assert!(
            !self.url().ends_with("/login"),
            "logged in as {name}: still on {} ({})",
            self.url(),
            self.page_text()
        );
    }

    /// Log out with the bar's logout button (a form with the CSRF token).
    fn logout(&self) {
        self.click_and_wait("form[action^='/logout'] button");
    }

    /// Print the current page to PDF (WebDriver "Print Page").
    fn print_pdf(&self) -> Vec<u8> {
        let v = self.call("POST", "/print", Some(json!({"background": true})));
        base64_decode(v.as_str().unwrap())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self
                .http
                .request("DELETE", &format!("/session/{}", self.session), &[], None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter_map(val) {
        acc = (acc << 6) | c;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

fn pdftotext() -> Option<String> {
    find_tool(&["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"])
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn a_filing_from_upload_to_printed_opinion_in_the_browser() {
    let Some(pdftotext) = pdftotext() else {
        return missing("pdftotext", "apt-get install poppler-utils");
    };
    let dir = tempdir("browser");
    let db = Db::Sqlite(dir.join("d.sqlite3"));
    // chromedriver and Chromium start while the desk does.
    let browser = std::thread::spawn({
        let dir = dir.clone();
        move || Browser::start(&dir)
    });
    init_admin(&dir, &db);
    let desk = Desk::restart_with_args(dir.clone(), db, &["--office", "红河州民政局审查科"]);
    let browser = browser
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e));
    let Some(b) = browser else {
        return;
    };
    let base = desk.base.clone();

    // The admin creates the users through the users page.
    b.login(&base, ADMIN);
    b.go(&format!("{base}/admin/users"));
    for (name, role, org, display) in [
        ("dev1", "applicant", "蒙自市某托育公司", "申报人甲"),
        ("appr1", "approver", "审查科", "审批人王某"),
        ("rev1", "reviewer", "审查科", "审查员李某"),
    ] {
        b.go(&format!("{base}/admin/users"));
        let form = "#create-user";
        b.type_into(&format!("{form} input[name=name]"), name);
        b.type_into(&format!("{form} input[name=password]"), PASSWORD);
        set_field(&b, &format!("{form} [name=role]"), role);
        b.type_into(&format!("{form} input[name=org]"), org);
        b.type_into(&format!("{form} input[name=display]"), display);
        b.click_and_wait(&format!("{form} button[type=submit]"));
        assert!(b.page_text().contains(name), "user {name} listed");
    }
    b.logout();

    // The applicant uploads a filing whose centre failed its fire check.
    let v1 = dir.join("托育点.yaml");
    std::fs::write(&v1, violating_filing("HH-TY-2025-901", "蒙自市某托育点")).unwrap();
    b.login(&base, "dev1");
    b.go(&format!("{base}/upload"));
    b.type_into("#file", v1.to_str().unwrap());
    b.click_and_wait("#submit");
    let filing_url = b.url();
    assert!(
        filing_url.contains("/filings/"),
        "after upload: {filing_url}"
    );
    let h1 = b.text("h1");
    assert!(h1.contains("PT-"), "the intake number heads the page: {h1}");
    let intake = h1
        .split_whitespace()
        .find(|w| w.starts_with("PT-"))
        .unwrap()
        .to_string();
    // The offending value is highlighted in the source, and the finding is in Chinese.
    let marks: Vec<String> = b
        .find_all("#source mark.hl")
        .iter()
        .map(|e| b.text_of(e))
        .collect();
    assert!(
        marks.iter().any(|m| m.contains("failed")),
        "the fire-safety value is highlighted: {marks:?}"
    );
    let message = b.text(".finding .message");
    assert!(has_cjk(&message), "the finding is in Chinese: {message}");
    let clause = b.text(".finding blockquote.clause");
    assert!(has_cjk(&clause), "the clause is quoted: {clause}");
    b.logout();

    // The approver waives the rule for this filing until the end of 2099.
    b.login(&base, "appr1");
    b.go(&filing_url);
    b.click(".finding details summary");
    let form = ".finding form.waiver-form";
    b.click(&format!("{form} input[name=scope][value=rule]"));
    b.type_into(
        &format!("{form} input[name=reason]"),
        "消防复检已预约，限期整改",
    );
    set_field(&b, &format!("{form} input[name=expires]"), "2099-12-31");
    b.click_and_wait(&format!("{form} button[type=submit]"));
    let waivers = b.text("#waivers");
    assert!(
        waivers.contains("消防复检已预约")
            && (waivers.contains("appr1") || waivers.contains("审批人王某"))
            && waivers.contains("2099-12-31"),
        "the waiver is listed with its approver and expiry:\n{waivers}"
    );
    b.logout();

    // The applicant resubmits the fixed centre: the finding is fixed.
    let v2 = dir.join("托育点-整改.yaml");
    std::fs::write(&v2, fixed_filing("HH-TY-2025-901", "蒙自市某托育点")).unwrap();
    b.login(&base, "dev1");
    b.go(&filing_url);
    b.click_and_wait("#resubmit-link");
    b.type_into("#file", v2.to_str().unwrap());
    b.click_and_wait("#submit");
    assert_eq!(
        b.url().split('?').next(),
        filing_url.split('?').next(),
        "a resubmission stays the same filing"
    );
    let compare = b.text("#compare");
    assert!(
        compare.contains("已改正 1") || compare.contains("已修正 1"),
        "the new version fixed one finding: {compare}"
    );
    let fixed = b.text("#fixed");
    assert!(
        fixed.contains("fire") || has_cjk(&fixed),
        "what was fixed: {fixed}"
    );
    b.logout();

    // The reviewer approves it with an opinion and prints the opinion.
    b.login(&base, "rev1");
    b.go(&filing_url);
    b.click("#decision-form input[name=decision][value=approve]");
    b.type_into("#opinion-text", "经审查，消防安全问题已整改，予以通过。");
    b.click_and_wait("#decide");
    let after = b.page_text();
    b.go(&filing_url);
    assert!(
        b.text("#filing-status").contains("通过"),
        "status after the decision (the page after deciding: {after})"
    );
    b.click_and_wait("#opinion-link");
    assert!(b.url().contains("/opinion"), "on the opinion: {}", b.url());
    let pdf = b.print_pdf();
    assert!(pdf.starts_with(b"%PDF-"), "a PDF ({} bytes)", pdf.len());
    let pdf_path = dir.join("opinion.pdf");
    std::fs::write(&pdf_path, &pdf).unwrap();
    let out = Command::new(pdftotext)
        .args(["-enc", "UTF-8"])
        .arg(&pdf_path)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    // pdftotext may break lines inside a table cell; compare without spaces.
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for want in [
        "审查意见书",
        "红河州民政局审查科",
        intake.as_str(),
        "HH-TY-2025-901",
        "通过",
        "审查员李某",
        "经审查，消防安全问题已整改，予以通过。",
        "消防复检已预约，限期整改",
        "2099-12-31",
    ] {
        assert!(
            flat.contains(want),
            "the printed opinion says {want}:\n{text}"
        );
    }
    // The waiver's approver (by login or display name).
    assert!(
        flat.contains("appr1") || flat.contains("审批人王某"),
        "the printed opinion names the approver:\n{text}"
    );
    // The printed page leaves out the forms and the bar (print CSS).
    assert!(
        !flat.contains("退出") && !flat.contains("上传申报"),
        "no navigation in print:\n{text}"
    );
}

/// Set an input's or select's value the way a user's choice does (a date
/// input's typed format depends on the browser's locale; a select needs an
/// option chosen): through the DOM, firing `change`.
fn set_field(b: &Browser, css: &str, value: &str) {
    let mut el = serde_json::Map::new();
    el.insert(ELEMENT.to_string(), Value::String(b.find(css)));
    b.call(
        "POST",
        "/execute/sync",
        Some(json!({
            "script": "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
            "args": [el, value],
        })),
    );
}
