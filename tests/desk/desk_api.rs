//! The review desk through its HTTP interface, in process (the router
//! itself, on a SQLite file): login and throttling, CSRF, intake and its
//! refusals, resubmission and comparison, waivers, decisions, pages in
//! Chinese and English, the opinion, the ledger, the audit log, and the
//! OpenAPI document against the routes.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use peitao::desk::store::{NewUser, Role, Store};
use peitao::desk::{self, auth, Office, Settings};
use serde_json::{json, Value};
use std::sync::Arc;
use tower::ServiceExt;

const VIOLATING: &str = include_str!("../../examples/honghe-childcare-violating.yaml");

struct Desk {
    app: Router,
    state: desk::AppState,
    dir: std::path::PathBuf,
}

impl Drop for Desk {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn catalog() -> Arc<peitao::engine::Catalog> {
    static CATALOG: std::sync::OnceLock<Arc<peitao::engine::Catalog>> = std::sync::OnceLock::new();
    CATALOG
        .get_or_init(|| {
            Arc::new(peitao::engine::load_files(&peitao::plan::embedded_files()).unwrap())
        })
        .clone()
}

async fn desk_with(max_upload: usize) -> Desk {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!("peitao-desk-api-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = Store::open(dir.join("desk.sqlite3").to_str().unwrap())
        .await
        .unwrap();
    let hash = auth::hash_password("password-1");
    for (name, role, org) in [
        ("admin", Role::Admin, ""),
        ("alice", Role::Applicant, "甲公司"),
        ("bob", Role::Applicant, "乙公司"),
        ("rita", Role::Reviewer, ""),
        ("abe", Role::Approver, ""),
    ] {
        let display = format!("{name} 显示");
        store
            .create_user(
                &NewUser {
                    name,
                    display: &display,
                    role,
                    org,
                    password_hash: &hash,
                },
                1,
            )
            .await
            .unwrap()
            .unwrap();
    }
    let settings = Settings {
        office: Office {
            catalog: catalog(),
            options: peitao::check::Options {
                lang: peitao::plan::Lang::Zh,
                ..Default::default()
            },
            waivers: Vec::new(),
            lang: peitao::plan::Lang::Zh,
        },
        lang: peitao::plan::Lang::Zh,
        secure_cookies: false,
        max_upload,
        office_name: "红河州卫生健康委员会".into(),
        request_timeout: std::time::Duration::from_secs(30),
        fail_on: peitao::report::FailOn::Error,
    };
    let state = Arc::new(desk::State { store, settings });
    Desk {
        app: desk::router(state.clone()),
        state,
        dir,
    }
}

async fn desk() -> Desk {
    desk_with(desk::DEFAULT_MAX_UPLOAD).await
}

/// A logged-in browser or client: its cookie and CSRF token.
#[derive(Clone)]
struct Session {
    cookie: String,
    csrf: String,
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| panic!("{}", self.text()))
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl Desk {
    async fn send(&self, req: Request<Body>) -> Answer {
        let r = self.app.clone().oneshot(req).await.unwrap();
        let status = r.status();
        let headers = r.headers().clone();
        let body = axum::body::to_bytes(r.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        Answer {
            status,
            headers,
            body,
        }
    }

    async fn login(&self, name: &str) -> Session {
        let a = self
            .send(
                Request::post("/api/login")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(
                        json!({"name": name, "password": "password-1"}).to_string(),
                    ))
                    .unwrap(),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        let cookie = a.headers[header::SET_COOKIE].to_str().unwrap().to_string();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
            "{cookie}"
        );
        Session {
            cookie: cookie.split(';').next().unwrap().to_string(),
            csrf: a.json()["csrf"].as_str().unwrap().to_string(),
        }
    }

    async fn get(&self, s: Option<&Session>, uri: &str) -> Answer {
        let mut b = Request::get(uri);
        if let Some(s) = s {
            b = b.header(header::COOKIE, &s.cookie);
        }
        self.send(b.body(Body::empty()).unwrap()).await
    }

    async fn post_json(&self, s: &Session, uri: &str, body: Value) -> Answer {
        self.send(
            Request::post(uri)
                .header(header::COOKIE, &s.cookie)
                .header("x-csrf-token", &s.csrf)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
    }

    async fn upload(
        &self,
        s: &Session,
        query: &str,
        content_type: &str,
        body: impl Into<Body>,
    ) -> Answer {
        self.send(
            Request::post(format!("/api/filings{query}"))
                .header(header::COOKIE, &s.cookie)
                .header("x-csrf-token", &s.csrf)
                .header(header::CONTENT_TYPE, content_type)
                .body(body.into())
                .unwrap(),
        )
        .await
    }

    async fn form(&self, s: &Session, uri: &str, fields: &[(&str, &str)]) -> Answer {
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect();
        self.send(
            Request::post(uri)
                .header(header::COOKIE, &s.cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body.join("&")))
                .unwrap(),
        )
        .await
    }

    async fn count(&self, table: &str) -> i64 {
        self.state.store.count(table).await.unwrap()
    }
}

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[tokio::test]
async fn login_is_throttled_and_sessions_are_required() {
    let d = desk().await;
    // No session: the API says 401, a page sends the browser to /login.
    assert_eq!(
        d.get(None, "/api/filings").await.status,
        StatusCode::UNAUTHORIZED
    );
    let page = d.get(None, "/").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.headers[header::LOCATION], "/login");
    // A forged cookie is no session.
    let forged = Session {
        cookie: "peitao_session=00ff".into(),
        csrf: String::new(),
    };
    assert_eq!(
        d.get(Some(&forged), "/api/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    let wrong = || {
        Request::post("/api/login")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                json!({"name": "alice", "password": "nope"}).to_string(),
            ))
            .unwrap()
    };
    for _ in 0..5 {
        let a = d.send(wrong()).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        assert!(a.json()["error"]["zh"].as_str().unwrap().contains("密码"));
    }
    // The sixth attempt is refused even with the right password.
    let a = d
        .send(
            Request::post("/api/login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    json!({"name": "alice", "password": "password-1"}).to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{}", a.text());
    // Another name is not throttled by alice's failures.
    let s = d.login("bob").await;
    let me = d.get(Some(&s), "/api/me").await.json();
    assert_eq!(
        (me["name"].as_str(), me["org"].as_str()),
        (Some("bob"), Some("乙公司"))
    );
    // Logging out ends the session.
    let out = d
        .send(
            Request::post("/api/logout")
                .header(header::COOKIE, &s.cookie)
                .header("x-csrf-token", &s.csrf)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(out.status, StatusCode::OK);
    assert_eq!(
        d.get(Some(&s), "/api/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    let audit = d.state.store.audit_entries(0, 0).await.unwrap();
    assert_eq!(
        audit.iter().filter(|e| e.action == "login_failed").count(),
        5
    );
    assert!(audit.iter().any(|e| e.action == "login" && e.user == "bob"));
    assert!(audit
        .iter()
        .any(|e| e.action == "logout" && e.user == "bob"));
}

#[tokio::test]
async fn an_upload_is_checked_compared_waived_and_decided() {
    let d = desk().await;
    let alice = d.login("alice").await;
    let a = d
        .upload(
            &alice,
            "?name=childcare.yaml",
            "application/yaml",
            VIOLATING,
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let up = a.json();
    let id = up["filing"].as_i64().unwrap();
    let year = peitao::input::Date::today().year;
    assert_eq!(up["intake_no"], format!("PT-{year}-000001"));
    assert_eq!(
        (up["version"].as_i64(), up["valid"].as_bool()),
        (Some(1), Some(true))
    );
    assert!(up["findings"].as_u64().unwrap() >= 1, "{up}");

    // The filing: the same findings `check` reports, with the value's place.
    let f = d
        .get(Some(&alice), &format!("/api/filings/{id}"))
        .await
        .json();
    assert_eq!(f["filing"]["org"], "甲公司");
    assert_eq!(
        f["gate"], "fail",
        "an error-level finding under fail_on = error"
    );
    assert_eq!(f["filing"]["submission_id"], "HH-TY-2025-015");
    assert_eq!(f["filing"]["project"], "某托育点");
    let findings = f["findings"].as_array().unwrap();
    let fire = findings
        .iter()
        .find(|x| x["rule"] == "honghe.fire-safety")
        .unwrap_or_else(|| panic!("{findings:?}"));
    let place = &fire["primary"][0]["location"];
    let (at, len) = (
        place["byte_offset"].as_u64().unwrap() as usize,
        place["byte_length"].as_u64().unwrap() as usize,
    );
    assert_eq!(&VIOLATING[at..at + len], "failed");
    assert!(!fire["clause"].as_str().unwrap().is_empty());
    // The report in the reader's language: Chinese by default, English asked for.
    let message = |f: &Value| {
        f["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["rule"] == "honghe.fire-safety")
            .unwrap()["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(message(&f).contains("消防"), "{}", message(&f));
    let en = d
        .get(Some(&alice), &format!("/api/filings/{id}?lang=en"))
        .await
        .json();
    assert!(
        message(&en).contains("fire-safety inspection"),
        "{}",
        message(&en)
    );
    // The exact bytes come back.
    let src = d
        .get(
            Some(&alice),
            &format!("/api/filings/{id}/versions/1/source"),
        )
        .await;
    assert_eq!(src.body, VIOLATING.as_bytes());

    // A waiver: the approver may grant one, a reviewer may not.
    let fp = fire["fingerprint"].as_str().unwrap().to_string();
    let rita = d.login("rita").await;
    let abe = d.login("abe").await;
    let waiver = json!({"reason": "消防整改中", "expires": "2099-12-31", "finding": fp});
    assert_eq!(
        d.post_json(&rita, &format!("/api/filings/{id}/waivers"), waiver.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        d.post_json(
            &alice,
            &format!("/api/filings/{id}/waivers"),
            waiver.clone()
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let both = json!({"reason": "x", "expires": "2099-12-31", "finding": fp, "rule": "honghe.fire-safety"});
    assert_eq!(
        d.post_json(&abe, &format!("/api/filings/{id}/waivers"), both)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    let past = json!({"reason": "x", "expires": "2000-01-01", "finding": fp});
    assert_eq!(
        d.post_json(&abe, &format!("/api/filings/{id}/waivers"), past)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    let w = d
        .post_json(&abe, &format!("/api/filings/{id}/waivers"), waiver)
        .await;
    assert_eq!(w.status, StatusCode::CREATED, "{}", w.text());
    let f = d
        .get(Some(&rita), &format!("/api/filings/{id}"))
        .await
        .json();
    assert_eq!(f["gate"], "pass", "the only error is waived");
    let fire = f["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["rule"] == "honghe.fire-safety")
        .unwrap()
        .clone();
    assert_eq!(fire["desk_waivers"][0]["approver"], "abe 显示");
    assert_eq!(fire["desk_waivers"][0]["expires"], "2099-12-31");

    // A comment on the finding, by the applicant.
    let c = d
        .post_json(
            &alice,
            &format!("/api/filings/{id}/comments"),
            json!({"body": "已安排整改", "finding": fp}),
        )
        .await;
    assert_eq!(c.status, StatusCode::CREATED);

    // The resubmission fixes the fire safety: compared with version 1.
    let fixed = VIOLATING.replace("fire_safety: failed", "fire_safety: approved");
    let a = d
        .upload(
            &alice,
            &format!("?filing={id}&name=childcare-v2.yaml"),
            "text/yaml",
            fixed.clone(),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let up = a.json();
    assert_eq!(
        (up["filing"].as_i64(), up["version"].as_i64()),
        (Some(id), Some(2))
    );
    assert_eq!(up["compare"]["fixed"], 1, "{up}");
    assert_eq!(up["compare"]["new"], 0, "{up}");
    let f = d
        .get(Some(&rita), &format!("/api/filings/{id}"))
        .await
        .json();
    assert_eq!(f["gate"], "pass", "fixed, and nothing else at error");
    assert_eq!(f["fixed"][0]["rule"], "honghe.fire-safety");
    assert!(f["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["baseline"] == "unchanged"));
    assert_eq!(f["versions"].as_array().unwrap().len(), 2);
    // Version 1 is still there as it was.
    let v1 = d
        .get(Some(&rita), &format!("/api/filings/{id}/versions/1"))
        .await
        .json();
    assert!(v1["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["rule"] == "honghe.fire-safety"));

    // The decision: staff only; a bad word is refused.
    let dec = json!({"decision": "approve", "opinion": "同意备案。"});
    assert_eq!(
        d.post_json(&alice, &format!("/api/filings/{id}/decision"), dec.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        d.post_json(
            &rita,
            &format!("/api/filings/{id}/decision"),
            json!({"decision": "maybe"})
        )
        .await
        .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        d.post_json(&rita, &format!("/api/filings/{id}/decision"), dec)
            .await
            .status,
        StatusCode::CREATED
    );
    let o = d
        .get(Some(&alice), &format!("/api/filings/{id}/opinion"))
        .await
        .json();
    assert_eq!(o["office"], "红河州卫生健康委员会");
    assert_eq!(o["intake_no"], format!("PT-{year}-000001"));
    assert_eq!(o["reviewer"], "rita 显示");
    assert_eq!(o["decision"]["decision"], "approve");
    assert_eq!(o["waivers"][0]["approver"], "abe 显示");
    let q = d
        .get(Some(&rita), "/api/filings?status=approved")
        .await
        .json();
    assert_eq!(q["filings"][0]["id"].as_i64(), Some(id));

    // The printable opinion, in Chinese.
    let page = d.get(Some(&rita), &format!("/filings/{id}/opinion")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    for s in [
        "审查意见书",
        "红河州卫生健康委员会",
        &format!("PT-{year}-000001"),
        "rita 显示",
        "通过",
        "同意备案。",
        "消防整改中",
        "2099-12-31",
    ] {
        assert!(html.contains(s), "{s} in the opinion");
    }

    // The audit log has each step, with the request's id.
    let admin = d.login("admin").await;
    let entries = d.get(Some(&admin), "/api/admin/audit").await.json();
    let actions: Vec<&str> = entries["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in ["login", "upload", "check", "waiver", "comment", "decision"] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
    assert!(entries["entries"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| !e["request_id"].as_str().unwrap().is_empty()));
    assert_eq!(
        d.get(Some(&rita), "/api/admin/audit").await.status,
        StatusCode::FORBIDDEN
    );
    let csv = d.get(Some(&admin), "/admin/audit.csv").await;
    assert!(csv.text().contains(",waiver,"), "{}", csv.text());
}

#[tokio::test]
async fn another_organisations_filing_is_not_found_anywhere() {
    let d = desk().await;
    let alice = d.login("alice").await;
    let bob = d.login("bob").await;
    let up = d
        .upload(&alice, "", "application/yaml", VIOLATING)
        .await
        .json();
    let id = up["filing"].as_i64().unwrap();
    let fp = d
        .get(Some(&alice), &format!("/api/filings/{id}"))
        .await
        .json()["findings"][0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    let before = (
        d.count("versions").await,
        d.count("comments").await,
        d.count("decisions").await,
    );
    for uri in [
        format!("/api/filings/{id}"),
        format!("/api/filings/{id}/versions/1"),
        format!("/api/filings/{id}/versions/1/source"),
        format!("/api/filings/{id}/opinion"),
        format!("/filings/{id}"),
        format!("/filings/{id}/versions/1/source"),
        format!("/filings/{id}/opinion"),
        format!("/upload?filing={id}"),
    ] {
        let a = d.get(Some(&bob), &uri).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(!a.text().contains("某托育点"), "{uri}");
    }
    let list = d.get(Some(&bob), "/api/filings").await.json();
    assert!(list["filings"].as_array().unwrap().is_empty());
    let sneaky = d
        .get(
            Some(&bob),
            "/api/filings?applicant=%E7%94%B2%E5%85%AC%E5%8F%B8",
        )
        .await
        .json();
    assert!(sneaky["filings"].as_array().unwrap().is_empty());
    assert!(!d.get(Some(&bob), "/").await.text().contains("某托育点"));
    for (uri, body) in [
        (
            format!("/api/filings/{id}/comments"),
            json!({"body": "x", "finding": fp}),
        ),
        (
            format!("/api/filings/{id}/decision"),
            json!({"decision": "approve"}),
        ),
        (
            format!("/api/filings/{id}/waivers"),
            json!({"reason": "x", "expires": "2099-01-01", "finding": fp}),
        ),
    ] {
        assert_eq!(
            d.post_json(&bob, &uri, body).await.status,
            StatusCode::NOT_FOUND,
            "{uri}"
        );
    }
    assert_eq!(
        d.upload(
            &bob,
            &format!("?filing={id}"),
            "application/yaml",
            VIOLATING
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    for (uri, fields) in [
        (
            format!("/filings/{id}/comments"),
            vec![("csrf", bob.csrf.as_str()), ("body", "x")],
        ),
        (
            format!("/filings/{id}/decision"),
            vec![("csrf", bob.csrf.as_str()), ("decision", "approve")],
        ),
    ] {
        assert_eq!(
            d.form(&bob, &uri, &fields).await.status,
            StatusCode::NOT_FOUND,
            "{uri}"
        );
    }
    // Staff-only exports are not for applicants.
    for uri in [
        "/api/ledger",
        "/ledger.csv",
        "/ledger.xlsx",
        "/api/admin/users",
        "/admin/users",
        "/admin/audit",
    ] {
        assert_eq!(
            d.get(Some(&bob), uri).await.status,
            StatusCode::FORBIDDEN,
            "{uri}"
        );
    }
    assert_eq!(
        (
            d.count("versions").await,
            d.count("comments").await,
            d.count("decisions").await
        ),
        before
    );
}

#[tokio::test]
async fn writes_without_the_csrf_token_are_refused() {
    let d = desk().await;
    let alice = d.login("alice").await;
    // JSON with the cookie but without the header.
    let a = d
        .send(
            Request::post("/api/filings")
                .header(header::COOKIE, &alice.cookie)
                .header(header::CONTENT_TYPE, "application/yaml")
                .body(Body::from(VIOLATING))
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.json()["error"]["code"], "csrf");
    // A form without its token, or with another session's.
    let bob = d.login("rita").await;
    for fields in [
        vec![("body", "x")],
        vec![("csrf", bob.csrf.as_str()), ("body", "x")],
    ] {
        let a = d.form(&alice, "/filings/1/comments", &fields).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(d.count("filings").await, 0);
    assert_eq!(d.count("comments").await, 0);
    // A bearer token needs no CSRF token: it is not sent by a browser.
    let t = d
        .post_json(&alice, "/api/tokens", json!({"name": "ci"}))
        .await;
    assert_eq!(t.status, StatusCode::CREATED);
    let token = t.json()["token"].as_str().unwrap().to_string();
    let a = d
        .send(
            Request::post("/api/filings?name=a.yaml")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/yaml")
                .body(Body::from(VIOLATING))
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let bad = d
        .send(
            Request::get("/api/filings")
                .header(header::AUTHORIZATION, "Bearer not-a-token")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bad_uploads_are_refused_before_anything_is_stored() {
    let d = desk_with(4096).await;
    let alice = d.login("alice").await;
    let big = "#".repeat(5000);
    let cases: Vec<(&str, Vec<u8>, StatusCode, &str)> = vec![
        (
            "application/yaml",
            big.into_bytes(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "upload-too-large",
        ),
        (
            "application/pdf",
            b"%PDF-1.4".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "upload-wrong-type",
        ),
        (
            peitao::desk::intake::XLSX_TYPE,
            b"version: 1".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "upload-not-a-workbook",
        ),
        (
            "application/yaml",
            vec![0xff, 0xfe, 0xfd, 0x00, 0x80],
            StatusCode::UNPROCESSABLE_ENTITY,
            "upload-encoding",
        ),
        (
            "application/yaml",
            Vec::new(),
            StatusCode::BAD_REQUEST,
            "upload-empty",
        ),
    ];
    for (ct, body, status, code) in cases {
        let a = d.upload(&alice, "", ct, body).await;
        assert_eq!(a.status, status, "{code}: {}", a.text());
        let e = a.json();
        assert_eq!(e["error"]["code"], code);
        assert!(
            !e["error"]["zh"].as_str().unwrap().is_empty()
                && !e["error"]["en"].as_str().unwrap().is_empty()
        );
    }
    assert_eq!(
        (d.count("filings").await, d.count("versions").await),
        (0, 0)
    );
    // A form upload over the limit, too.
    let boundary = "XyZ";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.yaml\"\r\nContent-Type: application/yaml\r\n\r\n{}\r\n--{boundary}--\r\n",
        alice.csrf,
        "#".repeat(5000)
    );
    let a = d
        .send(
            Request::post("/upload")
                .header(header::COOKIE, &alice.cookie)
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", a.text());
    assert!(a.text().contains("上传文件过大"));
    assert_eq!(d.count("filings").await, 0);
}

#[tokio::test]
async fn an_invalid_submission_is_stored_with_located_bilingual_errors() {
    let d = desk().await;
    let alice = d.login("alice").await;
    let text = "version: 1\nsubmission:\n  id: X-1\n  jurisdiction: 红河州\n  filed: 2025-02-30\n";
    let up = d.upload(&alice, "", "application/yaml", text).await.json();
    assert_eq!(up["valid"], false);
    assert_eq!(up["status"], "invalid");
    let id = up["filing"].as_i64().unwrap();
    let f = d
        .get(Some(&alice), &format!("/api/filings/{id}"))
        .await
        .json();
    assert_eq!(f["filing"]["status"], "invalid");
    let e = &f["input_errors"][0];
    assert_eq!(e["location"]["line"], 5, "{e}");
    assert!(!e["message"].as_str().unwrap().is_empty());
    // Never a pass: no findings, and the page says it was not checked.
    assert!(f["findings"].as_array().unwrap().is_empty());
    let page = d.get(Some(&alice), &format!("/filings/{id}")).await.text();
    assert!(page.contains("无法读取，未进行检查"), "{page}");
    let en = d
        .get(Some(&alice), &format!("/filings/{id}?lang=en"))
        .await
        .text();
    assert!(en.contains("could not be read and was not checked"));
}

#[tokio::test]
async fn pages_highlight_values_escape_text_and_speak_both_languages() {
    let d = desk().await;
    let alice = d.login("alice").await;
    let hostile = VIOLATING.replace(
        "name: 某托育点",
        "name: \"<script>alert(1)</script>某托育点\"",
    );
    let up = d
        .upload(&alice, "?name=%3Cb%3Ex.yaml", "application/yaml", hostile)
        .await
        .json();
    let id = up["filing"].as_i64().unwrap();
    d.post_json(
        &alice,
        &format!("/api/filings/{id}/comments"),
        json!({"body": "<img src=x onerror=alert(2)>"}),
    )
    .await;
    let page = d.get(Some(&alice), &format!("/filings/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("<mark class=\"hl\""), "a highlighted value");
    assert!(
        html.contains(">failed</mark>"),
        "the offending value is marked"
    );
    assert!(html.contains("申报原文") && html.contains("问题"));
    assert!(!html.contains("<script>alert(1)"), "escaped");
    assert!(!html.contains("<img src=x"), "escaped");
    assert!(html.contains("&lt;script&gt;alert(1)"));
    assert!(!html.contains("<b>x.yaml"));
    assert!(!d
        .get(Some(&alice), "/")
        .await
        .text()
        .contains("<script>alert"));
    // The API gives the text as data, never as a page.
    let api = d.get(Some(&alice), "/api/filings").await;
    assert_eq!(api.headers[header::CONTENT_TYPE], "application/json");
    assert_eq!(api.headers["x-content-type-options"], "nosniff");
    assert!(page.headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("script-src 'none'"));
    let en = d
        .get(Some(&alice), &format!("/filings/{id}?lang=en"))
        .await
        .text();
    assert!(en.contains("Submission text") && en.contains("Findings"));
    // The queue finds it by intake number, project and submission id.
    for q in [
        up["intake_no"].as_str().unwrap(),
        "%E6%9F%90%E6%89%98%E8%82%B2%E7%82%B9",
        "HH-TY-2025-015",
    ] {
        let html = d.get(Some(&alice), &format!("/?q={q}")).await.text();
        assert!(html.contains(&format!("/filings/{id}")), "{q}");
    }
    assert!(!d
        .get(Some(&alice), "/?q=nothing-like-it")
        .await
        .text()
        .contains(&format!("/filings/{id}")));
}

#[tokio::test]
async fn a_reviewer_goes_from_upload_to_opinion_with_forms_only() {
    let d = desk().await;
    let rita = d.login("rita").await;
    let abe = d.login("abe").await;
    // The upload form (multipart), filed by staff for an organisation.
    let boundary = "b0undary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"org\"\r\n\r\n丙公司\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.yaml\"\r\nContent-Type: application/octet-stream\r\n\r\n{VIOLATING}\r\n--{boundary}--\r\n",
        rita.csrf
    );
    let a = d
        .send(
            Request::post("/upload")
                .header(header::COOKIE, &rita.cookie)
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    let to = a.headers[header::LOCATION].to_str().unwrap().to_string();
    let id: i64 = to.trim_start_matches("/filings/").parse().unwrap();
    let f = d
        .get(Some(&rita), &format!("/api/filings/{id}"))
        .await
        .json();
    assert_eq!(f["filing"]["org"], "丙公司");
    let fp = f["findings"][0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    let rule = f["findings"][0]["rule"].as_str().unwrap().to_string();
    // A waiver by form: scope one rule for this filing.
    let a = d
        .form(
            &abe,
            &format!("/filings/{id}/waivers"),
            &[
                ("csrf", &abe.csrf),
                ("scope", "rule"),
                ("rule", &rule),
                ("finding", &fp),
                ("reason", "专家论证通过"),
                ("expires", "2099-06-30"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    let ws = d.state.store.waivers(id).await.unwrap();
    assert_eq!(
        (ws[0].scope.as_str(), ws[0].rule.as_str()),
        ("rule", rule.as_str())
    );
    // A decision by form leads to the opinion.
    let a = d
        .form(
            &rita,
            &format!("/filings/{id}/decision"),
            &[
                ("csrf", &rita.csrf),
                ("decision", "correct"),
                ("opinion", "请补正消防验收材料。"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(
        a.headers[header::LOCATION],
        format!("/filings/{id}/opinion")
    );
    let html = d
        .get(Some(&rita), &format!("/filings/{id}/opinion"))
        .await
        .text();
    for s in [
        "补正",
        "请补正消防验收材料。",
        "专家论证通过",
        "abe",
        "2099-06-30",
        "@media print",
    ] {
        assert!(html.contains(s), "{s}");
    }
    let en = d
        .get(Some(&rita), &format!("/filings/{id}/opinion?lang=en"))
        .await
        .text();
    assert!(en.contains("Review opinion") && en.contains("Return for correction"));
    // The ledger, from the queue's form (staff only), as CSV and as a workbook.
    assert!(d
        .get(Some(&rita), "/")
        .await
        .text()
        .contains("id=\"ledger-form\""));
    let alice = d.login("alice").await;
    assert!(!d
        .get(Some(&alice), "/")
        .await
        .text()
        .contains("id=\"ledger-form\""));
    let csv = d.get(Some(&rita), "/ledger.csv").await;
    assert!(csv
        .text()
        .contains(&f["filing"]["intake_no"].as_str().unwrap().to_string()));
    assert!(csv.text().contains("丙公司"));
    let xlsx = d.get(Some(&rita), "/ledger.xlsx").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.body.starts_with(b"PK\x03\x04"));
    let today = desk::day_of(desk::now());
    let none = d
        .get(Some(&rita), "/ledger.csv?from=2000-01-01&to=2000-12-31")
        .await
        .text();
    assert!(!none.contains("丙公司"));
    let some = d
        .get(Some(&rita), &format!("/ledger.csv?from={today}&to={today}"))
        .await
        .text();
    assert!(some.contains("丙公司"));
    assert_eq!(
        d.get(Some(&rita), "/ledger.csv?from=yesterday")
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn admins_manage_users_through_forms() {
    let d = desk().await;
    let admin = d.login("admin").await;
    let a = d
        .form(
            &admin,
            "/admin/users",
            &[
                ("csrf", &admin.csrf),
                ("name", "carol"),
                ("password", "password-2"),
                ("role", "applicant"),
                ("org", "丁公司"),
                ("display", "Carol"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    let (carol, _) = d.state.store.user_by_name("carol").await.unwrap().unwrap();
    assert_eq!(
        (carol.role, carol.org.as_str()),
        (Role::Applicant, "丁公司")
    );
    // A taken name, an applicant without an organisation, a short password.
    for fields in [
        vec![
            ("name", "carol"),
            ("password", "password-2"),
            ("role", "reviewer"),
            ("org", ""),
        ],
        vec![
            ("name", "dan"),
            ("password", "password-2"),
            ("role", "applicant"),
            ("org", ""),
        ],
        vec![
            ("name", "erin"),
            ("password", "short"),
            ("role", "reviewer"),
            ("org", ""),
        ],
    ] {
        let mut f = vec![("csrf", admin.csrf.as_str())];
        f.extend(fields);
        assert!(d
            .form(&admin, "/admin/users", &f)
            .await
            .status
            .is_client_error());
    }
    // Deactivated: carol's session ends.
    let s = {
        let a = d
            .send(
                Request::post("/login")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from("name=carol&password=password-2"))
                    .unwrap(),
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        a.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string()
    };
    let carol_s = Session {
        cookie: s,
        csrf: String::new(),
    };
    assert_eq!(
        d.get(Some(&carol_s), "/api/me").await.status,
        StatusCode::OK
    );
    let a = d
        .form(
            &admin,
            &format!("/admin/users/{}", carol.id),
            &[
                ("csrf", &admin.csrf),
                ("role", "applicant"),
                ("active", "false"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(
        d.get(Some(&carol_s), "/api/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    // An admin cannot lock themself out.
    let me = d.get(Some(&admin), "/api/me").await.json()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        d.form(
            &admin,
            &format!("/admin/users/{me}"),
            &[("csrf", &admin.csrf), ("active", "false")]
        )
        .await
        .status,
        StatusCode::BAD_REQUEST
    );
    let html = d.get(Some(&admin), "/admin/users").await.text();
    assert!(html.contains("carol") && html.contains("丁公司"));
    let audit = d.get(Some(&admin), "/admin/audit").await.text();
    assert!(audit.contains("user_create") && audit.contains("user_update"));
}

#[tokio::test]
async fn the_openapi_document_describes_every_route_that_answers() {
    let d = desk().await;
    let doc = d.get(None, "/api/openapi.json").await.json();
    assert_eq!(doc["openapi"], "3.0.3");
    let paths = doc["paths"].as_object().unwrap();
    assert_eq!(
        paths
            .values()
            .map(|p| p.as_object().unwrap().len())
            .sum::<usize>(),
        peitao::desk::openapi::OPERATIONS.len()
    );
    let admin = d.login("admin").await;
    for (path, ops) in paths {
        let concrete = path.replace("{id}", "1").replace("{n}", "1");
        for method in ops.as_object().unwrap().keys() {
            if path == "/api/logout" {
                continue; // it would end the session the loop uses
            }
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let a = d
                .send(
                    Request::builder()
                        .method(m)
                        .uri(&concrete)
                        .header(header::COOKIE, &admin.cookie)
                        .header("x-csrf-token", &admin.csrf)
                        .header(header::CONTENT_TYPE, "application/json")
                        .body(Body::from("{}"))
                        .unwrap(),
                )
                .await;
            assert_ne!(a.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            assert!(!a.status.is_server_error(), "{method} {path}: {}", a.text());
            if a.status == StatusCode::NOT_FOUND {
                // Only for the filing that does not exist, said in JSON.
                assert!(path.contains("{id}"), "{method} {path}");
                assert_eq!(a.json()["error"]["code"], "not-found");
            }
        }
    }
    // And nothing under /api answers that the document leaves out.
    assert_eq!(
        d.get(Some(&admin), "/api/nothing").await.status,
        StatusCode::NOT_FOUND
    );
}

// ---- the real binary: `peitao serve` on a port ----

mod binary {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::{Child, Command, Stdio};

    /// A running `peitao serve`, killed when dropped.
    pub struct Server {
        pub child: Child,
        pub addr: String,
    }

    impl Drop for Server {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    pub fn peitao(dir: &std::path::Path) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_peitao"));
        c.current_dir(dir).arg("--no-config");
        c
    }

    /// Start the server and wait for its one line.
    pub fn serve(dir: &std::path::Path, db: &str) -> Server {
        let mut child = peitao(dir)
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--db",
                db,
                "--office",
                "测试局",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .strip_prefix("peitao desk listening on http://")
            .unwrap_or_else(|| panic!("the ready line: {line:?}"))
            .trim_end_matches('\n')
            .to_string();
        assert!(!addr.ends_with(":0"), "the real port: {addr}");
        Server { child, addr }
    }

    pub struct Reply {
        pub status: u16,
        pub head: String,
        pub body: String,
    }

    impl Reply {
        pub fn header(&self, name: &str) -> Option<String> {
            self.head.lines().find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
            })
        }
    }

    /// One HTTP/1.1 request on its own connection.
    pub fn http(
        addr: &str,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str("\r\n");
        s.write_all(req.as_bytes()).unwrap();
        s.write_all(body).unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        Reply {
            status,
            head: head.to_string(),
            body: body.to_string(),
        }
    }

    /// Log in: (cookie, csrf).
    pub fn login(addr: &str, name: &str, password: &str) -> (String, String) {
        let r = http(
            addr,
            "POST",
            "/api/login",
            &[("Content-Type", "application/json")],
            serde_json::json!({"name": name, "password": password})
                .to_string()
                .as_bytes(),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let cookie = r
            .header("set-cookie")
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        (cookie, v["csrf"].as_str().unwrap().to_string())
    }

    pub fn temp_dir(tag: &str) -> std::path::PathBuf {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let d = std::env::temp_dir().join(format!("peitao-{tag}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}

#[test]
fn serve_creates_its_database_prints_one_line_and_init_admin_makes_the_first_user() {
    let dir = binary::temp_dir("serve");
    let db = dir.join("desk.sqlite3");
    let db = db.to_str().unwrap();
    // The administrator: password from the environment, or from stdin.
    let ok = binary::peitao(&dir)
        .args(["serve", "--db", db, "--init-admin", "root"])
        .env("PEITAO_ADMIN_PASSWORD", "s3cret-password")
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(ok.stdout.is_empty());
    let mut child = binary::peitao(&dir)
        .args(["serve", "--db", db, "--init-admin", "second"])
        .env_remove("PEITAO_ADMIN_PASSWORD")
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), b"another-password\n").unwrap();
    drop(child.stdin.take());
    assert!(child.wait().unwrap().success());
    let short = binary::peitao(&dir)
        .args(["serve", "--db", db, "--init-admin", "third"])
        .env("PEITAO_ADMIN_PASSWORD", "short")
        .output()
        .unwrap();
    assert_eq!(short.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 8"));

    let server = binary::serve(&dir, db);
    let r = binary::http(&server.addr, "GET", "/healthz", &[], b"");
    assert_eq!((r.status, r.body.as_str()), (200, "ok"));
    assert!(r.header("x-request-id").is_some_and(|id| !id.is_empty()));
    let r = binary::http(&server.addr, "GET", "/", &[], b"");
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location").as_deref(), Some("/login"));
    let (cookie, _) = binary::login(&server.addr, "root", "s3cret-password");
    binary::login(&server.addr, "second", "another-password");
    let me = binary::http(&server.addr, "GET", "/api/me", &[("Cookie", &cookie)], b"");
    assert!(me.body.contains("\"role\":\"admin\""), "{}", me.body);
    // The login form, in Chinese by default.
    let page = binary::http(&server.addr, "GET", "/login", &[], b"");
    assert!(page.body.contains("登录") && page.body.contains("name=\"password\""));
    // The address of each request is what the audit log and throttling see.
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn two_instances_share_one_postgresql_database() {
    let Some(base) = postgres_base() else { return };
    let name = format!(
        "peitao_serve_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let admin = rt.block_on(async {
        sqlx::any::install_default_drivers();
        let admin = sqlx::AnyPool::connect(&base).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin)
            .await
            .unwrap();
        admin
    });
    let url = format!("{}/{name}", base.rsplit_once('/').unwrap().0);
    let dir = binary::temp_dir("serve-pg");
    let outcome = std::panic::catch_unwind(|| {
        // Both start on the new database at once (each migrates).
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(|| binary::serve(&dir, &url));
            let b = s.spawn(|| binary::serve(&dir, &url));
            (a.join().unwrap(), b.join().unwrap())
        });
        let init = binary::peitao(&dir)
            .args(["serve", "--db", &url, "--init-admin", "root"])
            .env("PEITAO_ADMIN_PASSWORD", "s3cret-password")
            .output()
            .unwrap();
        assert!(
            init.status.success(),
            "{}",
            String::from_utf8_lossy(&init.stderr)
        );
        // A session made on one instance holds on the other.
        let (cookie, csrf) = binary::login(&a.addr, "root", "s3cret-password");
        let me = binary::http(&b.addr, "GET", "/api/me", &[("Cookie", &cookie)], b"");
        assert_eq!(me.status, 200);
        let up = binary::http(
            &a.addr,
            "POST",
            "/api/filings?name=c.yaml&org=%E7%94%B2",
            &[
                ("Cookie", &cookie),
                ("X-CSRF-Token", &csrf),
                ("Content-Type", "application/yaml"),
            ],
            VIOLATING.as_bytes(),
        );
        assert_eq!(up.status, 201, "{}", up.body);
        let v: Value = serde_json::from_str(&up.body).unwrap();
        let id = v["filing"].as_i64().unwrap();
        let seen = binary::http(
            &b.addr,
            "GET",
            &format!("/api/filings/{id}"),
            &[("Cookie", &cookie)],
            b"",
        );
        assert_eq!(seen.status, 200);
        assert!(seen.body.contains("honghe.fire-safety"));
        // Intake numbers from both instances never collide.
        let mut numbers = std::collections::HashSet::new();
        for i in 0..6 {
            let at = if i % 2 == 0 { &a.addr } else { &b.addr };
            let r = binary::http(
                at,
                "POST",
                "/api/filings?name=c.yaml&org=x",
                &[
                    ("Cookie", &cookie),
                    ("X-CSRF-Token", &csrf),
                    ("Content-Type", "application/yaml"),
                ],
                VIOLATING.as_bytes(),
            );
            let v: Value = serde_json::from_str(&r.body).unwrap();
            assert!(numbers.insert(v["intake_no"].as_str().unwrap().to_string()));
        }
    });
    rt.block_on(async {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&admin)
            .await;
        admin.close().await;
    });
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = outcome {
        std::panic::resume_unwind(e);
    }
}

/// The PostgreSQL server of the tests (see tests/desk_store.rs).
fn postgres_base() -> Option<String> {
    let url = std::env::var("PEITAO_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let reachable = std::env::var("PEITAO_TEST_POSTGRES").is_ok()
        || std::net::TcpStream::connect_timeout(
            &"127.0.0.1:5432".parse().unwrap(),
            std::time::Duration::from_secs(2),
        )
        .is_ok();
    if reachable {
        return Some(url);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("PostgreSQL is not reachable on 127.0.0.1:5432 (CI=true: .ci/run starts it)");
    }
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        b"SKIPPED: PostgreSQL is not reachable\n",
    );
    None
}

#[tokio::test]
async fn workbooks_and_gbk_text_are_taken_in_as_check_takes_them() {
    let d = desk().await;
    let alice = d.login("alice").await;
    // A workbook of the violating submission.
    let book = peitao::input::workbook::from_yaml(VIOLATING).unwrap();
    let a = d
        .upload(
            &alice,
            "?name=filing.xlsx",
            peitao::desk::intake::XLSX_TYPE,
            book.clone(),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let up = a.json();
    assert_eq!(up["valid"], true, "{up}");
    let id = up["filing"].as_i64().unwrap();
    let f = d
        .get(Some(&alice), &format!("/api/filings/{id}"))
        .await
        .json();
    assert!(f["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["rule"] == "honghe.fire-safety"));
    assert_eq!(
        f["version"]["content_type"],
        peitao::desk::intake::XLSX_TYPE
    );
    // The exact workbook bytes are kept.
    let src = d
        .get(
            Some(&alice),
            &format!("/api/filings/{id}/versions/1/source"),
        )
        .await;
    assert_eq!(src.body, book);
    // GBK text, as Chinese Windows saves it, is read as `check` reads it.
    let (gbk, _, _) = encoding_rs::GBK.encode(VIOLATING);
    let a = d
        .upload(
            &alice,
            "?name=gbk.yaml",
            "application/yaml",
            gbk.into_owned(),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let id = a.json()["filing"].as_i64().unwrap();
    let f = d
        .get(Some(&alice), &format!("/api/filings/{id}"))
        .await
        .json();
    assert_eq!(f["report"]["transcoded_from"], "GB18030");
    assert_eq!(f["filing"]["project"], "某托育点");
}

#[test]
fn docs_desk_md_lists_the_api_the_openapi_document_describes() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/desk.md")).unwrap();
    let api = doc.split("### API (JSON)").nth(1).unwrap();
    let mut documented: Vec<(String, String)> = api
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let path = cells.get(2)?.trim_matches('`');
            path.starts_with("/api/")
                .then(|| (cells[1].to_lowercase(), path.to_string()))
        })
        .collect();
    documented.sort();
    let mut served: Vec<(String, String)> = peitao::desk::openapi::OPERATIONS
        .iter()
        .map(|op| (op.0.to_string(), op.1.to_string()))
        .collect();
    served.sort();
    assert_eq!(
        documented, served,
        "docs/desk.md's API table and the routes"
    );
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_server_gracefully() {
    let dir = binary::temp_dir("sigterm");
    let db = dir.join("desk.sqlite3");
    let mut server = binary::serve(&dir, db.to_str().unwrap());
    assert_eq!(
        binary::http(&server.addr, "GET", "/healthz", &[], b"").status,
        200
    );
    let pid = server.child.id().to_string();
    assert!(std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let status = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still running after SIGTERM"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

// ---- gaps closed by desk3: waivers after the check, the history's fixes ----

#[tokio::test]
async fn a_waiver_granted_after_the_check_changes_the_queue_counts_and_gate() {
    let d = desk().await;
    let alice = d.login("alice").await;
    let abe = d.login("abe").await;
    let up = d
        .upload(&alice, "?name=c.yaml", "application/yaml", VIOLATING)
        .await
        .json();
    let id = up["filing"].as_i64().unwrap();
    let row = |v: Value| {
        v["filings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .unwrap()
            .clone()
    };
    let before = row(d.get(Some(&abe), "/api/filings").await.json());
    let view = d
        .get(Some(&abe), &format!("/api/filings/{id}"))
        .await
        .json();
    let findings = view["findings"].as_array().unwrap().clone();
    assert_eq!(
        before["findings"].as_u64().unwrap() as usize,
        findings.len()
    );
    assert_eq!(
        (before["gate"].clone(), view["gate"].clone()),
        (json!("fail"), json!("fail"))
    );
    // Waive every finding, one by one: the queue's count falls by one each time.
    for (i, f) in findings.iter().enumerate() {
        let w = d
            .post_json(
                &abe,
                &format!("/api/filings/{id}/waivers"),
                json!({"reason": "整改中", "expires": "2099-12-31", "finding": f["fingerprint"]}),
            )
            .await;
        assert_eq!(w.status, StatusCode::CREATED, "{}", w.text());
        let now = row(d.get(Some(&alice), "/api/filings").await.json());
        assert_eq!(
            now["findings"].as_u64().unwrap() as usize,
            findings.len() - i - 1,
            "{now}"
        );
        // The queue and the filing's page give one verdict.
        let view = d
            .get(Some(&alice), &format!("/api/filings/{id}"))
            .await
            .json();
        assert_eq!(now["gate"], view["gate"], "{now}");
        assert_eq!(view["filing"]["gate"], view["gate"]);
    }
    let after = row(d.get(Some(&abe), "/api/ledger").await.json());
    assert_eq!(
        (after["findings"].as_u64(), after["gate"].clone()),
        (Some(0), json!("pass"))
    );
    // The HTML queue shows it too.
    let html = d.get(Some(&abe), "/").await.text();
    assert!(html.contains("gate gate-pass"), "{html}");
    // An expired waiver covers nothing: age the waivers in the database.
    d.state
        .store
        .raw_execute("UPDATE waivers SET expires = '2000-01-01'")
        .await
        .unwrap();
    let expired = row(d.get(Some(&abe), "/api/filings").await.json());
    assert_eq!(expired["findings"], before["findings"]);
    assert_eq!(expired["gate"], "fail");
}

#[tokio::test]
async fn the_version_history_lists_what_each_version_fixed() {
    let d = desk().await;
    let alice = d.login("alice").await;
    let id = d
        .upload(&alice, "?name=v1.yaml", "application/yaml", VIOLATING)
        .await
        .json()["filing"]
        .as_i64()
        .unwrap();
    let fixed = VIOLATING.replace("fire_safety: failed", "fire_safety: approved");
    let a = d
        .upload(
            &alice,
            &format!("?filing={id}&name=v2.yaml"),
            "application/yaml",
            fixed.clone(),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    // Version 3 changes nothing: it fixes nothing.
    d.upload(
        &alice,
        &format!("?filing={id}&name=v3.yaml"),
        "application/yaml",
        fixed,
    )
    .await;
    for lang in ["", "?lang=en"] {
        let v = d
            .get(Some(&alice), &format!("/api/filings/{id}{lang}"))
            .await
            .json();
        let versions = v["versions"].as_array().unwrap();
        assert_eq!(versions.len(), 3);
        for ver in versions {
            // The list and the count agree on every version.
            assert_eq!(
                ver["fixed_findings"].as_array().unwrap().len() as i64,
                ver["fixed"].as_i64().unwrap(),
                "{ver}"
            );
        }
        assert_eq!(
            versions[1]["fixed_findings"][0]["rule"],
            "honghe.fire-safety"
        );
        assert!(versions[2]["fixed_findings"].as_array().unwrap().is_empty());
        let message = versions[1]["fixed_findings"][0]["message"]
            .as_str()
            .unwrap();
        assert!(!message.is_empty());
        // Viewing version 3, the history still says what version 2 fixed.
        let page = d
            .get(
                Some(&alice),
                &format!("/filings/{id}?version=3{}", lang.replace('?', "&")),
            )
            .await
            .text();
        let at = page
            .find("id=\"fixed-v2\"")
            .unwrap_or_else(|| panic!("{page}"));
        assert!(page[at..].contains("honghe.fire-safety"));
        assert!(!page.contains("id=\"fixed-v3\""));
        assert!(!page.contains("id=\"fixed-v1\""));
    }
}

// ---- red team (docs/desk.md): an applicant of another organisation, then nobody ----

#[tokio::test]
async fn red_team_sessions_fixation_deactivation_and_stolen_tokens() {
    let d = desk().await;
    // Session fixation: a cookie planted before login is not adopted.
    let planted = "peitao_session=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    let a = d
        .send(
            Request::post("/api/login")
                .header(header::COOKIE, planted)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    json!({"name": "bob", "password": "password-1"}).to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let set = a.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(!set.contains("0123456789abcdef0123"), "{set}");
    let fixed = Session {
        cookie: planted.into(),
        csrf: String::new(),
    };
    assert_eq!(
        d.get(Some(&fixed), "/api/me").await.status,
        StatusCode::UNAUTHORIZED
    );

    // A deactivated user's session and API token stop working at once.
    let bob = d.login("bob").await;
    let token = d
        .post_json(&bob, "/api/tokens", json!({"name": "ci"}))
        .await
        .json()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let bearer = |t: &str| {
        Request::get("/api/me")
            .header(header::AUTHORIZATION, format!("Bearer {t}"))
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(d.send(bearer(&token)).await.status, StatusCode::OK);
    // Another user's token guessed or mangled: nobody.
    assert_eq!(
        d.send(bearer(&token[1..])).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(d.send(bearer("")).await.status, StatusCode::UNAUTHORIZED);
    let admin = d.login("admin").await;
    let users = d.get(Some(&admin), "/api/admin/users").await.json();
    let bob_id = users["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "bob")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let p = d
        .send(
            Request::patch(format!("/api/admin/users/{bob_id}"))
                .header(header::COOKIE, &admin.cookie)
                .header("x-csrf-token", &admin.csrf)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(json!({"active": false}).to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text());
    assert_eq!(
        d.get(Some(&bob), "/api/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        d.send(bearer(&token)).await.status,
        StatusCode::UNAUTHORIZED
    );
    // And cannot log in again.
    let again = d
        .send(
            Request::post("/api/login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    json!({"name": "bob", "password": "password-1"}).to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED, "{}", again.text());

    // Another session's CSRF token does not open this session's writes.
    let alice = d.login("alice").await;
    let rita = d.login("rita").await;
    let crossed = Session {
        cookie: alice.cookie.clone(),
        csrf: rita.csrf.clone(),
    };
    let up = d.upload(&crossed, "", "application/yaml", VIOLATING).await;
    assert_eq!(up.status, StatusCode::FORBIDDEN);
    assert_eq!(d.count("filings").await, 0);
    // GET never writes: logout by GET is not a route.
    assert_ne!(d.get(Some(&alice), "/logout").await.status, StatusCode::OK);
    assert_eq!(d.get(Some(&alice), "/api/me").await.status, StatusCode::OK);

    // Short passwords are refused for new users and resets.
    let short = d
        .post_json(
            &admin,
            "/api/admin/users",
            json!({"name": "eve", "password": "1234567", "role": "applicant", "org": "丙", "display": "e"}),
        )
        .await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST, "{}", short.text());
}

#[tokio::test]
async fn red_team_login_redirects_only_home_and_search_is_not_sql() {
    let d = desk().await;
    // Open redirect: `next` (or anything else) never sends the browser away.
    for uri in [
        "/login?next=https://evil.example/",
        "/login?next=//evil.example",
    ] {
        let r = d
            .send(
                Request::post(uri)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from("name=alice&password=password-1"))
                    .unwrap(),
            )
            .await;
        let to = r.headers[header::LOCATION].to_str().unwrap();
        assert!(to.starts_with('/') && !to.starts_with("//"), "{to}");
        assert!(!to.contains("evil"), "{to}");
    }
    let alice = d.login("alice").await;
    let bob = d.login("bob").await;
    d.upload(&alice, "", "application/yaml", VIOLATING).await;
    // SQL in the search and filters: text, never a statement; bob still sees nothing of alice's.
    for q in [
        "q=%27%20OR%201%3D1%20--",
        "q=%25",
        "q=_",
        "status=%27%20OR%20%271%27%3D%271",
        "applicant=%E7%94%B2%E5%85%AC%E5%8F%B8",
        "q=x%27%3B%20DROP%20TABLE%20filings%3B%20--",
    ] {
        let r = d.get(Some(&bob), &format!("/api/filings?{q}")).await;
        assert_eq!(r.status, StatusCode::OK, "{q}: {}", r.text());
        assert_eq!(r.json()["filings"], json!([]), "{q}");
        let mine = d.get(Some(&alice), &format!("/api/filings?{q}")).await;
        assert!(!mine.status.is_server_error(), "{q}");
    }
    assert_eq!(d.count("filings").await, 1);
    // A literal `%` or `_` matches only itself.
    let all = d.get(Some(&alice), "/api/filings?q=%25").await.json();
    assert_eq!(all["filings"], json!([]));
}

#[tokio::test]
async fn red_team_formulas_in_the_ledger_are_defused_and_hostile_yaml_is_contained() {
    let d = desk().await;
    let alice = d.login("alice").await;
    let rita = d.login("rita").await;
    let evil = VIOLATING.replace(
        "name: 某托育点",
        "name: \"=HYPERLINK(\\\"http://evil.example\\\",\\\"x\\\")\"",
    );
    let a = d
        .upload(&alice, "?name=%3Dcmd.yaml", "application/yaml", evil)
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let csv = d.get(Some(&rita), "/ledger.csv").await.text();
    assert!(csv.contains("HYPERLINK"), "{csv}");
    for line in csv.lines() {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(
                !cell.starts_with(['=', '+', '@']),
                "a live formula cell: {cell:?} in {csv}"
            );
        }
    }
    // Hostile YAML: deep nesting, a huge line, an alias bomb — a located
    // refusal or an invalid version, never a server error or a hang.
    let deep = format!(
        "version: 1\nsubmission: {}{}\n",
        "[".repeat(50_000),
        "]".repeat(50_000)
    );
    let huge = format!("version: 1\nsubmission:\n  id: {}\n", "x".repeat(3 << 20));
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..10 {
        let p = (b'a' + i - 1) as char;
        let c = (b'a' + i) as char;
        bomb.push_str(&format!(
            "{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
        ));
    }
    for body in [deep, huge, bomb] {
        let started = std::time::Instant::now();
        let r = d.upload(&alice, "", "application/yaml", body).await;
        assert!(
            r.status == StatusCode::CREATED || r.status.is_client_error(),
            "{}: {}",
            r.status,
            r.text()
        );
        if r.status == StatusCode::CREATED {
            assert_eq!(r.json()["valid"], false, "{}", r.text());
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
    }
    // A zip bomb posing as a workbook: refused or invalid, never stored as valid.
    let mut zip = Vec::new();
    {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(&mut zip));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..64 {
            w.write_all(&chunk).unwrap();
        }
        w.finish().unwrap();
    }
    assert!(zip.len() < 1 << 20, "{}", zip.len());
    let r = d
        .upload(&alice, "?name=b.xlsx", peitao::desk::intake::XLSX_TYPE, zip)
        .await;
    assert!(
        r.status.is_client_error()
            || (r.status == StatusCode::CREATED && r.json()["valid"] == false),
        "{}: {}",
        r.status,
        r.text()
    );
}

/// Every JSON route's real answers validate against the response schema
/// the OpenAPI document gives for that route and status (boon): the
/// document's schemas are the answers' contract, not `{"type": "object"}`.
#[tokio::test]
async fn every_routes_answers_validate_against_the_openapi_response_schemas() {
    let d = desk().await;
    let doc = d.get(None, "/api/openapi.json").await.json();
    let mut compiler = boon::Compiler::new();
    compiler
        .add_resource("http://desk.invalid/openapi.json", doc.clone())
        .unwrap();
    let mut schemas = boon::Schemas::new();
    let mut checked = std::collections::BTreeSet::new();
    let mut check = |method: &str, path: &str, a: &Answer| {
        let status = a.status.as_u16().to_string();
        let escaped = path.replace('~', "~0").replace('/', "~1");
        let at = format!(
            "http://desk.invalid/openapi.json#/paths/{escaped}/{method}/responses/{status}/content/application~1json/schema"
        );
        assert!(
            doc["paths"][path][method]["responses"][&status].is_object(),
            "{method} {path} answered {status}, which the document does not list: {}",
            a.text()
        );
        let index = compiler
            .compile(&at, &mut schemas)
            .unwrap_or_else(|e| panic!("{at}: {e:#}"));
        let value = a.json();
        if let Err(e) = schemas.validate(&value, index) {
            panic!("{method} {path} {status}: {e:#}\n{value:#}");
        }
        checked.insert(format!("{method} {path} {status}"));
    };
    let anon = d.get(None, "/api/me").await;
    check("get", "/api/me", &anon);
    check(
        "get",
        "/api/openapi.json",
        &d.get(None, "/api/openapi.json").await,
    );
    let login = d
        .send(
            Request::post("/api/login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    json!({"name": "alice", "password": "password-1"}).to_string(),
                ))
                .unwrap(),
        )
        .await;
    check("post", "/api/login", &login);
    let alice = d.login("alice").await;
    let abe = d.login("abe").await;
    let admin = d.login("admin").await;
    check("get", "/api/me", &d.get(Some(&alice), "/api/me").await);
    check(
        "post",
        "/api/tokens",
        &d.post_json(&alice, "/api/tokens", json!({"name": "ci"}))
            .await,
    );
    let up = d
        .upload(&alice, "?name=v1.yaml", "application/yaml", VIOLATING)
        .await;
    check("post", "/api/filings", &up);
    let id = up.json()["filing"].as_i64().unwrap();
    let bad = d.upload(&alice, "", "text/plain", "x").await;
    check("post", "/api/filings", &bad);
    let fixed = VIOLATING.replace("fire_safety: failed", "fire_safety: approved");
    check(
        "post",
        "/api/filings",
        &d.upload(&alice, &format!("?filing={id}"), "application/yaml", fixed)
            .await,
    );
    let view = d
        .get(Some(&alice), &format!("/api/filings/{id}/versions/1"))
        .await;
    check("get", "/api/filings/{id}/versions/{n}", &view);
    let fp = view.json()["findings"][0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    check(
        "post",
        "/api/filings/{id}/comments",
        &d.post_json(
            &alice,
            &format!("/api/filings/{id}/comments"),
            json!({"body": "好", "finding": fp}),
        )
        .await,
    );
    check(
        "post",
        "/api/filings/{id}/waivers",
        &d.post_json(
            &abe,
            &format!("/api/filings/{id}/waivers"),
            json!({"reason": "r", "expires": "2099-01-01", "rule": "honghe.fire-safety"}),
        )
        .await,
    );
    check(
        "post",
        "/api/filings/{id}/waivers",
        &d.post_json(&alice, &format!("/api/filings/{id}/waivers"), json!({}))
            .await,
    );
    check(
        "get",
        "/api/filings/{id}/opinion",
        &d.get(Some(&abe), &format!("/api/filings/{id}/opinion"))
            .await,
    );
    check(
        "post",
        "/api/filings/{id}/decision",
        &d.post_json(
            &abe,
            &format!("/api/filings/{id}/decision"),
            json!({"decision": "approve", "opinion": "同意"}),
        )
        .await,
    );
    check(
        "get",
        "/api/filings/{id}",
        &d.get(Some(&alice), &format!("/api/filings/{id}")).await,
    );
    check(
        "get",
        "/api/filings/{id}",
        &d.get(Some(&alice), &format!("/api/filings/{}", id + 100))
            .await,
    );
    check(
        "get",
        "/api/filings/{id}/opinion",
        &d.get(Some(&abe), &format!("/api/filings/{id}/opinion"))
            .await,
    );
    check(
        "get",
        "/api/filings",
        &d.get(Some(&alice), "/api/filings?lang=en").await,
    );
    check(
        "get",
        "/api/ledger",
        &d.get(Some(&abe), "/api/ledger").await,
    );
    check(
        "get",
        "/api/ledger",
        &d.get(Some(&alice), "/api/ledger").await,
    );
    check(
        "get",
        "/api/admin/users",
        &d.get(Some(&admin), "/api/admin/users").await,
    );
    let created = d
        .post_json(
            &admin,
            "/api/admin/users",
            json!({"name": "carol", "password": "password-2", "role": "reviewer", "org": "", "display": "卡罗"}),
        )
        .await;
    check("post", "/api/admin/users", &created);
    let cid = created.json()["id"].as_i64().unwrap();
    let patched = d
        .send(
            Request::patch(format!("/api/admin/users/{cid}"))
                .header(header::COOKIE, &admin.cookie)
                .header("x-csrf-token", &admin.csrf)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(json!({"role": "approver"}).to_string()))
                .unwrap(),
        )
        .await;
    check("patch", "/api/admin/users/{id}", &patched);
    check(
        "get",
        "/api/admin/audit",
        &d.get(Some(&admin), "/api/admin/audit").await,
    );
    check(
        "get",
        "/api/admin/audit",
        &d.get(Some(&alice), "/api/admin/audit").await,
    );
    let out = d
        .send(
            Request::post("/api/logout")
                .header(header::COOKIE, &alice.cookie)
                .header("x-csrf-token", &alice.csrf)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    check("post", "/api/logout", &out);
    // Every JSON operation (all but the byte download) was seen succeeding.
    let ops = peitao::desk::openapi::OPERATIONS;
    for (method, path, _, _, _, ok) in ops {
        if path.ends_with("/source") {
            continue;
        }
        assert!(
            checked.contains(&format!("{method} {path} {ok}")),
            "{method} {path} {ok} not exercised: {checked:?}"
        );
    }
}

/// Slowloris: a client that trickles its request head is cut off after the
/// head timeout (axum::serve sets no timer, so hyper's header timeout did
/// nothing and such a client held its connection for ever), while a
/// prompt client on the same loop is served, and stopping the loop ends it.
#[tokio::test]
async fn red_team_a_trickled_request_head_is_cut_off() {
    use std::io::{Read, Write};
    let d = desk().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(desk::accept_loop(
        listener,
        d.app.clone(),
        std::time::Duration::from_secs(1),
        async move {
            let _ = stopped.await;
        },
    ));
    let (slow, prompt) = tokio::task::spawn_blocking(move || {
        // The slow client: one header line every 300 ms, never the blank line.
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_millis(300)))
            .unwrap();
        let started = std::time::Instant::now();
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            .unwrap();
        let mut got = Vec::new();
        let mut closed = false;
        for i in 0..40 {
            if s.write_all(format!("X-Slow-{i}: y\r\n").as_bytes())
                .is_err()
            {
                closed = true;
                break;
            }
            let mut buf = [0u8; 256];
            match s.read(&mut buf) {
                Ok(0) => {
                    closed = true;
                    break;
                }
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e)
                    if e.kind() == std::io::ErrorKind::WouldBlock
                        || e.kind() == std::io::ErrorKind::TimedOut => {}
                Err(_) => {
                    closed = true;
                    break;
                }
            }
        }
        let slow = (
            closed,
            started.elapsed(),
            String::from_utf8_lossy(&got).into_owned(),
        );
        // A prompt client is served by the same loop, with its address known.
        let mut p = std::net::TcpStream::connect(addr).unwrap();
        p.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut answer = String::new();
        p.read_to_string(&mut answer).unwrap();
        (slow, answer)
    })
    .await
    .unwrap();
    let (closed, took, got) = slow;
    assert!(closed, "the trickling client was never cut off ({took:?})");
    assert!(took < std::time::Duration::from_secs(5), "{took:?}");
    assert!(!got.contains("200 OK"), "{got}");
    assert!(prompt.starts_with("HTTP/1.1 200"), "{prompt}");
    assert!(
        prompt.to_ascii_lowercase().contains("x-request-id"),
        "{prompt}"
    );
    stop.send(()).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(5), server)
        .await
        .expect("the loop ends when told to stop")
        .unwrap();
}
