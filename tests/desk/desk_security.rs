//! The review desk's security matrix (issue 24), against a real `peitao
//! serve` on loopback:
//! - an applicant of organisation B cannot read, list, download or act on
//!   organisation A's filing through ANY route: the routes are read from
//!   the router's source and from docs/desk.md's tables, which must agree,
//!   so a new route cannot escape this test;
//! - a form or cookie-authenticated JSON write without its CSRF token is
//!   refused, and the same request with it is accepted (the refusal is the
//!   token's doing);
//! - text with HTML/JS in a filing, a comment, a waiver, an opinion, a
//!   user's name and a query string is escaped on every page showing it;
//! - an oversized upload is refused (413) and nothing stored; a slow upload
//!   (slowloris: body or headers trickled) is cut off;
//! - an expired or logged-out session is refused; login throttling works.
//!
//! schemathesis fuzzing the OpenAPI document is tests/desk/api_fuzzing.rs.

use crate::desk_common::*;
use std::collections::BTreeSet;
use std::io::Write;
use std::time::{Duration, Instant};

/// A route: method and path pattern (`{id}`, `{n}`).
type Route = (String, String);

/// The routes the router registers, read from its source: every
/// `.route("PATH", get(..).post(..))` in src/desk.
fn router_routes() -> BTreeSet<Route> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/desk");
    let mut out = BTreeSet::new();
    let mut files: Vec<_> = walk(&dir);
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        // Joined, so a call split over lines still reads as one.
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut rest = flat.as_str();
        while let Some(at) = rest.find(".route(\"") {
            rest = &rest[at + ".route(\"".len()..];
            let end = rest.find('"').unwrap();
            let path = rest[..end].to_string();
            // The handler expression: up to the call's closing parenthesis.
            let mut depth = 1;
            let mut stop = rest.len();
            for (i, c) in rest.char_indices().skip(end + 1) {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            stop = i;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let handlers = &rest[end + 1..stop];
            for m in ["get", "post", "patch", "put", "delete"] {
                let call = format!("{m}(");
                let hit = handlers.match_indices(&call).any(|(i, _)| {
                    i == 0
                        || !handlers.as_bytes()[i - 1].is_ascii_alphanumeric()
                            && handlers.as_bytes()[i - 1] != b'_'
                });
                if hit {
                    out.insert((m.to_uppercase(), path.clone()));
                }
            }
        }
    }
    assert!(
        out.len() >= 30,
        "found only {} routes in src/desk: {out:?}",
        out.len()
    );
    out
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}

/// The routes docs/desk.md's tables list: `| METHOD | `path` | who | what |`.
fn documented_routes() -> BTreeSet<Route> {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/desk.md"),
    )
    .unwrap();
    let mut out = BTreeSet::new();
    for line in doc.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 4 {
            continue;
        }
        let method = cells[1];
        if !["GET", "POST", "PATCH", "PUT", "DELETE"].contains(&method) {
            continue;
        }
        let path = cells[2].trim_matches('`');
        out.insert((method.to_string(), path.to_string()));
    }
    out
}

#[test]
fn the_router_and_the_documented_routes_agree() {
    let router = router_routes();
    let doc = documented_routes();
    let undocumented: Vec<_> = router.difference(&doc).collect();
    let unrouted: Vec<_> = doc.difference(&router).collect();
    assert!(
        undocumented.is_empty() && unrouted.is_empty(),
        "routes in the router but not in docs/desk.md: {undocumented:?}\nroutes in docs/desk.md but not in the router: {unrouted:?}"
    );
}

/// Everything a test needs: a desk, users of two organisations and staff,
/// and one filing of organisation A.
struct World {
    desk: Desk,
    admin: Client,
    a: Client,
    b: Client,
    /// A's filing: its id, intake number, and the texts only it contains.
    fa: String,
    intake: String,
    secrets: Vec<String>,
}

const SECRET_NAME: &str = "甲方机密托育中心QX7";
const SECRET_ID: &str = "HH-SECRETA-2025-777";

fn world(name: &str) -> World {
    let desk = Desk::start(name);
    let admin = desk.login(ADMIN);
    desk.create_user(&admin, "a_app", "applicant", "甲单位");
    desk.create_user(&admin, "b_app", "applicant", "乙单位");
    desk.create_user(&admin, "rev", "reviewer", "审查处");
    desk.create_user(&admin, "appr", "approver", "审查处");
    let a = desk.login("a_app");
    let b = desk.login("b_app");
    let r = a.upload(violating_filing(SECRET_ID, SECRET_NAME).as_bytes(), None);
    assert_eq!(r.status, 201, "upload: {}", r.text());
    let j = r.json();
    let fa = json_id(&j["filing"]);
    let intake = j["intake_no"].as_str().unwrap().to_string();
    // A comment of A's, so a comment's text is a secret too.
    let c = a.post_json(
        &format!("/api/filings/{fa}/comments"),
        &serde_json::json!({"body": "甲方内部说明ZK9"}),
    );
    assert!(
        c.ok(),
        "A comments on its own filing: {} {}",
        c.status,
        c.text()
    );
    // The control: A (and a reviewer) do see every secret.
    let page = a.get(&format!("/filings/{fa}"));
    assert_eq!(page.status, 200);
    let secrets = vec![
        SECRET_NAME.to_string(),
        SECRET_ID.to_string(),
        intake.clone(),
        "甲方内部说明ZK9".to_string(),
    ];
    for s in &secrets {
        assert!(page.text().contains(s.as_str()), "A's own page shows {s}");
    }
    World {
        desk,
        admin,
        a,
        b,
        fa,
        intake,
        secrets,
    }
}

/// A filing id as the API gives it (number or string), as text.
fn json_id(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::Object(o) => json_id(&o["id"]),
        other => panic!("not an id: {other}"),
    }
}

/// A plausible request on `route` by `who`, with `id` for `{id}`: the
/// fields each write takes (docs/desk.md), and a valid CSRF token, so only
/// the authorisation can refuse it.
fn act(who: &Client, (method, path): &Route, id: &str) -> Resp {
    let url = path.replace("{id}", id).replace("{n}", "1");
    let json = url.starts_with("/api/");
    match method.as_str() {
        "GET" => who.get(&url),
        "POST" | "PATCH" if json => {
            let body = serde_json::json!({
                "body": "乙方越权评论", "reason": "乙方越权豁免", "expires": "2099-12-31",
                "rule": "honghe.fire-safety", "decision": "approve", "opinion": "乙方越权通过",
                "role": "admin", "active": true, "name": "b_new", "password": PASSWORD,
                "org": "甲单位", "display": "x",
            });
            who.send_json(method, &url, &body)
        }
        "POST" if url == "/upload" => who.post_multipart(
            &format!("/upload?filing={id}"),
            &[("filing", id)],
            Some((
                "file",
                "x.yaml",
                violating_filing("HH-B-1", "乙").as_bytes(),
            )),
            true,
        ),
        "POST" => who.post_form(
            &url,
            &[
                ("body", "乙方越权评论"),
                ("reason", "乙方越权豁免"),
                ("expires", "2099-12-31"),
                ("scope", "rule"),
                ("rule", "honghe.fire-safety"),
                ("decision", "approve"),
                ("opinion", "乙方越权通过"),
                ("role", "admin"),
                ("active", "true"),
                ("name", "b_new2"),
                ("password", PASSWORD),
                ("org", "甲单位"),
                ("display", "x"),
            ],
        ),
        m => panic!("no request written for method {m}"),
    }
}

#[test]
fn an_applicant_cannot_reach_another_organisations_filing_on_any_route() {
    let w = world("cross-org");
    let routes = router_routes();
    // Routes that are about no filing and need no check here, each named
    // (a new route is not silently exempt: it must be listed or tested).
    let unrelated: BTreeSet<&str> = [
        "/login",
        "/logout",
        "/api/login",
        "/api/logout",
        "/api/tokens",
        "/api/me",
        "/healthz",
        "/api/openapi.json",
    ]
    .into_iter()
    .collect();
    let a_user_id = {
        let me = w.a.get("/api/me").json();
        json_id(&me["id"])
    };
    let mut tested = 0;
    for route in &routes {
        let (method, path) = route;
        if unrelated.contains(path.as_str()) {
            continue;
        }
        let id = if path.contains("/admin/users/") {
            a_user_id.clone()
        } else {
            w.fa.clone()
        };
        let r = act(&w.b, route, &id);
        let text = r.text();
        for s in &w.secrets {
            assert!(
                !text.contains(s.as_str()),
                "{method} {path}: B's answer ({}) shows A's {s}:\n{text}",
                r.status
            );
        }
        assert!(r.status < 500, "{method} {path}: {} {text}", r.status);
        if method == "POST" && path == "/api/filings" {
            // B's upload as a resubmission of A's filing.
            let r =
                w.b.upload(violating_filing("HH-B-1", "乙").as_bytes(), Some(&w.fa));
            assert!(
                [403, 404].contains(&r.status),
                "B resubmits onto A's filing through the API: {} {}",
                r.status,
                r.text()
            );
        } else if path.contains("{id}") || method != "GET" {
            // Acting on A's filing (or on staff-only data): refused.
            assert!(
                [403, 404].contains(&r.status),
                "{method} {path} by B on A's filing: {} (expected 403/404)\n{text}",
                r.status
            );
            if path.contains("/filings/{id}") {
                // And refused exactly as a filing that does not exist is.
                let ghost = act(&w.b, route, "987654");
                assert_eq!(
                    ghost.status, r.status,
                    "{method} {path}: A's filing and a missing one answer alike"
                );
            }
        }
        tested += 1;
    }
    assert!(tested >= 20, "only {tested} routes tested");

    // The lists, with every filter and search naming A's filing.
    for q in [
        format!("q={}", w.intake),
        format!("q={SECRET_ID}"),
        format!("q={}", urlencode(SECRET_NAME)),
        format!("applicant={}", urlencode("甲单位")),
        "from=2000-01-01&to=2999-12-31".to_string(),
    ] {
        for base in ["/", "/api/filings", "/ledger.csv", "/api/ledger"] {
            let r = w.b.get(&format!("{base}?{q}"));
            // The search form shows back what B typed: that is no leak.
            let term = q.split_once('=').unwrap().1;
            let mut text = r.text();
            for t in [term.to_string(), SECRET_NAME.to_string()] {
                if q.contains(&urlencode(&t)) || q.contains(&t) {
                    text = text.replace(&format!("value=\"{t}\""), "");
                }
            }
            for s in &w.secrets {
                assert!(
                    !text.contains(s.as_str()),
                    "B's {base}?{q} shows {s}:\n{text}"
                );
            }
        }
    }
    // A resubmission onto A's filing through the API, by B: refused.
    let r =
        w.b.upload(violating_filing("HH-B-2", "乙").as_bytes(), Some(&w.fa));
    assert!(
        [403, 404].contains(&r.status),
        "B resubmits onto A's filing: {}",
        r.status
    );

    // Nothing B tried changed A's filing.
    let f = w.admin.get(&format!("/api/filings/{}", w.fa));
    assert_eq!(f.status, 200);
    let text = f.text();
    for mark in [
        "乙方越权评论",
        "乙方越权豁免",
        "乙方越权通过",
        "HH-B-1",
        "HH-B-2",
    ] {
        assert!(
            !text.contains(mark),
            "A's filing now holds B's {mark}:\n{text}"
        );
    }
    let j = f.json();
    assert_eq!(
        j["versions"].as_array().map(Vec::len),
        Some(1),
        "A's filing has one version: {j}"
    );
    // And A is still an applicant (B could not make itself admin or change A).
    let users = w.admin.get("/api/admin/users").text();
    assert!(!users.contains("b_new"), "B created a user: {users}");
}

/// Each form of the pages, and each cookie-authenticated JSON write, is
/// refused without the session's CSRF token (and with a wrong one), and
/// accepted with it.
#[test]
fn forms_and_json_writes_without_the_csrf_token_are_refused() {
    let w = world("csrf");
    let fa = w.fa.clone();
    let rev_id = {
        w.desk.create_user(&w.admin, "rev2", "reviewer", "审查处");
        let users = w.admin.get("/api/admin/users").json();
        let list = users["users"]
            .as_array()
            .or(users.as_array())
            .cloned()
            .unwrap();
        json_id(
            list.iter()
                .find(|u| u["name"] == "rev2")
                .unwrap_or_else(|| panic!("rev2 in {users}")),
        )
    };
    let forms: Vec<(String, Vec<(&str, String)>)> = vec![
        (
            format!("/filings/{fa}/comments"),
            vec![("body", "CSRF-C1".into())],
        ),
        (
            format!("/filings/{fa}/waivers"),
            vec![
                ("reason", "CSRF-W1".into()),
                ("expires", "2099-12-31".into()),
                ("scope", "rule".into()),
                ("rule", "honghe.fire-safety".into()),
            ],
        ),
        (
            format!("/filings/{fa}/decision"),
            vec![
                ("decision", "correct".into()),
                ("opinion", "CSRF-D1".into()),
            ],
        ),
        (
            "/admin/users".into(),
            vec![
                ("name", "csrf_u1".into()),
                ("password", PASSWORD.into()),
                ("role", "applicant".into()),
                ("org", "丙".into()),
                ("display", "CSRF-U1".into()),
            ],
        ),
        (
            format!("/admin/users/{rev_id}"),
            vec![("role", "admin".into()), ("active", "true".into())],
        ),
    ];
    let admin = &w.admin;
    let good = admin.csrf().expect("the admin's pages carry a CSRF token");
    for (path, fields) in &forms {
        for bad in [None, Some("0000not-the-token"), Some("")] {
            let mut all: Vec<(String, String)> = fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect();
            if let Some(t) = bad {
                all.push(("csrf".into(), t.into()));
            }
            let r = admin.post_form_raw(path, &all);
            assert_eq!(r.status, 403, "POST {path} with csrf {bad:?}: {}", r.text());
        }
    }
    // The upload form, multipart, without the token.
    let up = admin.post_multipart(
        "/upload",
        &[("org", "丙")],
        Some((
            "file",
            "c.yaml",
            violating_filing("HH-CSRF-UP", "丙").as_bytes(),
        )),
        false,
    );
    assert_eq!(
        up.status,
        403,
        "multipart upload without csrf: {}",
        up.text()
    );
    // Logout without the token does not log out.
    let lo = admin.post_form_raw("/logout", &[]);
    assert_eq!(lo.status, 403, "logout without csrf");
    assert_eq!(admin.get("/api/me").status, 200, "still logged in");

    // JSON writes with the cookie but no X-CSRF-Token header.
    let json_writes: Vec<(&str, String, serde_json::Value)> = vec![
        (
            "POST",
            format!("/api/filings/{fa}/comments"),
            serde_json::json!({"body": "CSRF-C2"}),
        ),
        (
            "POST",
            format!("/api/filings/{fa}/waivers"),
            serde_json::json!({"reason": "CSRF-W2", "expires": "2099-12-31", "rule": "honghe.fire-safety"}),
        ),
        (
            "POST",
            format!("/api/filings/{fa}/decision"),
            serde_json::json!({"decision": "correct", "opinion": "CSRF-D2"}),
        ),
        (
            "POST",
            "/api/admin/users".into(),
            serde_json::json!({"name": "csrf_u2", "password": PASSWORD, "role": "applicant", "org": "丙", "display": "CSRF-U2"}),
        ),
        (
            "PATCH",
            format!("/api/admin/users/{rev_id}"),
            serde_json::json!({"role": "admin"}),
        ),
        (
            "POST",
            "/api/tokens".into(),
            serde_json::json!({"name": "csrf-token"}),
        ),
    ];
    for (m, path, body) in &json_writes {
        for bad in [None, Some("0000not-the-token")] {
            let mut h = vec![("Accept", "application/json")];
            if let Some(t) = bad {
                h.push(("X-CSRF-Token", t));
            }
            let r = admin.request(
                m,
                path,
                &h,
                Some(("application/json", serde_json::to_vec(body).unwrap())),
            );
            assert_eq!(
                r.status,
                403,
                "{m} {path} with X-CSRF-Token {bad:?}: {}",
                r.text()
            );
        }
    }
    let r = admin.request(
        "POST",
        "/api/filings",
        &[("Accept", "application/json")],
        Some((
            "application/yaml",
            violating_filing("HH-CSRF-API", "丙").into_bytes(),
        )),
    );
    assert_eq!(r.status, 403, "cookie upload without X-CSRF-Token");

    // Nothing of it was stored.
    let text = admin.get(&format!("/api/filings/{fa}")).text();
    let all = format!("{text}{}", admin.get("/api/admin/users").text());
    for mark in [
        "CSRF-C1", "CSRF-W1", "CSRF-D1", "CSRF-U1", "CSRF-C2", "CSRF-W2", "CSRF-D2", "CSRF-U2",
        "csrf_u1", "csrf_u2",
    ] {
        assert!(
            !all.contains(mark),
            "{mark} was stored without a CSRF token"
        );
    }
    assert!(
        !admin.get("/api/filings").text().contains("HH-CSRF"),
        "an upload without the token was stored"
    );

    // The same requests with the token are accepted: the token was the reason.
    for (path, fields) in &forms {
        let mut all: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        all.push(("csrf", &good));
        let r = admin.post_form(path, &all);
        assert!(
            r.status < 400,
            "POST {path} with the token: {} {}",
            r.status,
            r.text()
        );
    }
    for (m, path, body) in &json_writes {
        let r = admin.send_json(m, path, body);
        assert!(
            r.ok(),
            "{m} {path} with the token: {} {}",
            r.status,
            r.text()
        );
    }
    // A bearer token needs no CSRF token.
    let tok =
        w.a.post_json("/api/tokens", &serde_json::json!({"name": "ci"}))
            .json();
    let bearer = Client::with_token(&w.desk.base, tok["token"].as_str().unwrap());
    let r = bearer.request(
        "POST",
        "/api/filings",
        &[],
        Some((
            "application/yaml",
            violating_filing("HH-BEARER-1", "甲").into_bytes(),
        )),
    );
    assert_eq!(r.status, 201, "bearer upload: {}", r.text());
}

const XSS: &str = "<script>alert('pwn')</script>\"><img src=x onerror=alert(1)>";

/// What must never appear in an HTML page (the payload's live parts).
fn live(html: &str) -> Option<&'static str> {
    ["<script>alert", "<img src=x", "onerror=alert(1)>"]
        .into_iter()
        .find(|p| html.contains(p))
}

#[test]
fn html_and_script_in_submitted_text_are_escaped_on_every_page() {
    let w = world("xss");
    let admin = &w.admin;
    w.desk.create_user(admin, "xss_user", "applicant", XSS);
    // A filing whose name is the payload, uploaded through the form, and
    // one through the API with the payload as its file name.
    let up = w.a.post_multipart(
        "/upload",
        &[],
        Some((
            "file",
            "xss.yaml",
            violating_filing("HH-XSS-1", XSS).as_bytes(),
        )),
        true,
    );
    assert!(up.status < 400, "form upload: {} {}", up.status, up.text());
    let named = w.a.upload_named(
        violating_filing("HH-XSS-3", "x").as_bytes(),
        &format!("{XSS}.yaml"),
    );
    assert_eq!(named.status, 201, "API upload: {}", named.text());
    let fnamed = json_id(&named.json()["filing"]);
    let list = admin.get("/api/filings?q=HH-XSS-1").json();
    let fx = json_id(&list["filings"][0]["id"]);
    // A submission the checker cannot read, with the payload in the text
    // the diagnostics quote.
    let bad = format!("version: 1\nsubmission:\n  id: HH-XSS-2\n  {XSS}: [\n");
    let r = w.a.upload(bad.as_bytes(), None);
    assert!(
        r.ok(),
        "an unreadable filing is stored as invalid: {} {}",
        r.status,
        r.text()
    );
    let fbad = json_id(&r.json()["filing"]);
    // The payload as a comment, a waiver reason, an opinion.
    let appr = w.desk.login("appr");
    assert!(
        appr.post_form(&format!("/filings/{fx}/comments"), &[("body", XSS)])
            .status
            < 400
    );
    let wv = appr.post_form(
        &format!("/filings/{fx}/waivers"),
        &[
            ("reason", XSS),
            ("expires", "2099-12-31"),
            ("scope", "rule"),
            ("rule", "honghe.fire-safety"),
        ],
    );
    assert!(wv.status < 400, "waiver: {} {}", wv.status, wv.text());
    let d = appr.post_form(
        &format!("/filings/{fx}/decision"),
        &[("decision", "correct"), ("opinion", XSS)],
    );
    assert!(d.status < 400, "decision: {} {}", d.status, d.text());

    let e = urlencode(XSS);
    let pages = [
        "/".to_string(),
        format!("/?q={e}"),
        format!("/?plan={e}&status={e}&applicant={e}&reviewer={e}&from={e}&to={e}"),
        format!("/filings/{fx}"),
        format!("/filings/{fx}?version={e}"),
        format!("/filings/{fx}/opinion"),
        format!("/filings/{fbad}"),
        format!("/filings/{fbad}/opinion"),
        format!("/filings/{fnamed}"),
        format!("/filings/{e}"),
        format!("/?lang={e}"),
        "/upload".to_string(),
        "/admin/users".to_string(),
        "/admin/audit".to_string(),
        format!("/admin/audit?from={e}"),
        format!("/login?next={e}"),
    ];
    let mut shown = 0;
    for who in [admin, &appr, &w.a] {
        for p in &pages {
            let r = who.get(p);
            let text = r.text();
            let ctype = r.header("content-type").unwrap_or("").to_string();
            if !ctype.contains("html") {
                // Not a page: shown as text, never sniffed into HTML.
                assert_eq!(
                    r.header("x-content-type-options"),
                    Some("nosniff"),
                    "GET {p}"
                );
                continue;
            }
            if let Some(hit) = live(&text) {
                panic!(
                    "GET {p} ({}, {ctype}) shows the payload unescaped ({hit}):\n{text}",
                    r.status
                );
            }
            if text.contains("&lt;script&gt;alert(") || text.contains("&lt;script&gt;") {
                shown += 1;
            }
        }
    }
    // The payload really was on the pages, escaped (not merely absent).
    let page = admin.get(&format!("/filings/{fx}")).text();
    assert!(
        page.contains("&lt;script&gt;"),
        "the filing page shows the name, escaped"
    );
    assert!(
        shown >= 6,
        "the escaped payload was seen on {shown} pages only"
    );
    // The exact bytes are served as data, never as a page.
    for p in [
        format!("/filings/{fx}/versions/1/source"),
        format!("/api/filings/{fx}/versions/1/source"),
    ] {
        let r = admin.get(&p);
        assert_eq!(r.status, 200, "{p}");
        let ctype = r.header("content-type").unwrap_or("");
        assert!(!ctype.contains("html"), "{p} is served as {ctype}");
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"), "{p}");
    }
}

#[test]
fn an_oversized_upload_is_refused_and_nothing_stored() {
    let desk = Desk::start("oversize");
    let admin = desk.login(ADMIN);
    desk.create_user(&admin, "a_app", "applicant", "甲单位");
    let a = desk.login("a_app");
    let before = admin.get("/api/filings").json()["filings"]
        .as_array()
        .unwrap()
        .len();
    // 5 MiB of valid YAML (a long comment), over the default 4 MiB.
    let mut big = violating_filing("HH-BIG-1", "大").into_bytes();
    big.extend_from_slice(b"# ");
    big.resize(5 << 20, b'x');
    big.push(b'\n');
    let tok = a
        .post_json("/api/tokens", &serde_json::json!({"name": "t"}))
        .json();
    let t = tok["token"].as_str().unwrap().to_string();
    let answer = raw_post(
        &desk.addr(),
        &format!(
            "POST /api/filings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {t}\r\nContent-Type: application/yaml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            big.len()
        ),
        &big,
    );
    assert!(
        answer.starts_with("HTTP/1.1 413"),
        "API upload of 5 MiB: {answer:.300}"
    );
    let msg = answer.split("\r\n\r\n").nth(1).unwrap_or("");
    assert!(
        msg.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "the refusal says it in Chinese too: {msg}"
    );
    // Through the form (multipart, with the session and its token).
    let boundary = "XyZzY0123";
    let mut form = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.yaml\"\r\n\r\n",
        a.csrf().unwrap()
    )
    .into_bytes();
    form.extend_from_slice(&big);
    form.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let answer = raw_post(
        &desk.addr(),
        &format!(
            "POST /upload HTTP/1.1\r\nHost: x\r\nCookie: {SESSION_COOKIE}={}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            a.session().unwrap(),
            form.len()
        ),
        &form,
    );
    assert!(
        answer.starts_with("HTTP/1.1 413"),
        "form upload of 5 MiB: {answer:.300}"
    );
    // A declared length over the limit is refused before the body is sent.
    let tok = a
        .post_json("/api/tokens", &serde_json::json!({"name": "t"}))
        .json();
    let t = tok["token"].as_str().unwrap();
    let (answer, took) = raw_exchange(
        &desk.addr(),
        format!(
            "POST /api/filings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {t}\r\nContent-Type: application/yaml\r\nContent-Length: 900000000\r\n\r\nversion: 1\n"
        )
        .as_bytes(),
        Duration::from_secs(20),
    );
    assert!(
        answer.starts_with("HTTP/1.1 413"),
        "declared 900 MB: {answer}"
    );
    assert!(
        took < Duration::from_secs(10),
        "refused at once, not after a wait: {took:?}"
    );
    // The same through the form: refused before the body, the session
    // and its token being in the headers only.
    let (answer, took) = raw_exchange(
        &desk.addr(),
        format!(
            "POST /upload HTTP/1.1\r\nHost: x\r\nCookie: {SESSION_COOKIE}={}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: 900000000\r\n\r\n--{boundary}\r\n",
            a.session().unwrap()
        )
        .as_bytes(),
        Duration::from_secs(20),
    );
    assert!(
        answer.starts_with("HTTP/1.1 413"),
        "form declaring 900 MB: {answer}"
    );
    assert!(
        took < Duration::from_secs(10),
        "the form's refusal at once, not after a wait: {took:?}"
    );
    // Chunked, with no length declared: cut off once past the limit.
    let mut chunked = Vec::new();
    for _ in 0..100 {
        // 6.25 MiB in all, unless the server stops reading first.
        chunked.extend_from_slice(format!("{:x}\r\n", 1 << 16).as_bytes());
        chunked.extend(std::iter::repeat_n(b'#', 1 << 16));
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let answer = raw_post(
        &desk.addr(),
        &format!(
            "POST /api/filings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {t}\r\nContent-Type: application/yaml\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        ),
        &chunked,
    );
    assert!(
        answer.starts_with("HTTP/1.1 413"),
        "chunked 6 MiB: {answer:.300}"
    );
    let after = admin.get("/api/filings").json()["filings"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(before, after, "nothing was stored");
}

/// A slow client (slowloris) is cut off: the body trickled after the
/// headers gets 408 once the request time limit passes; headers trickled
/// forever get the connection closed.
#[test]
fn a_slow_upload_is_cut_off() {
    let dir = tempdir("slow");
    let db = Db::Sqlite(dir.join("d.sqlite3"));
    init_admin(&dir, &db);
    let desk = Desk::restart_with_args(dir, db, &["--request-timeout", "2"]);
    let admin = desk.login(ADMIN);
    let tok = admin
        .post_json("/api/tokens", &serde_json::json!({"name": "t"}))
        .json();
    let t = tok["token"].as_str().unwrap().to_string();

    // The headers: never finished (beside the body's case, on its own
    // connection, so that the two limits run out together).
    let addr = desk.addr();
    let headers = std::thread::spawn(move || {
        let start = Instant::now();
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        write!(s, "POST /api/filings HTTP/1.1\r\nHost: x\r\n").unwrap();
        let answer = trickle(&mut s, Duration::from_secs(45));
        (answer, start.elapsed())
    });

    // The body: one byte every 200 ms of a declared 1000.
    let start = Instant::now();
    let mut s = std::net::TcpStream::connect(desk.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    write!(
        s,
        "POST /api/filings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {t}\r\nContent-Type: application/yaml\r\nContent-Length: 1000\r\n\r\n"
    )
    .unwrap();
    let answer = trickle(&mut s, Duration::from_secs(20));
    let took = start.elapsed();
    assert!(
        answer.starts_with("HTTP/1.1 408"),
        "a trickled body: {answer:?} after {took:?}"
    );
    assert!(
        took < Duration::from_secs(8),
        "cut off near the 2 s limit, not {took:?}"
    );

    let (answer, took) = headers.join().unwrap();
    assert!(
        took < Duration::from_secs(45),
        "headers trickled for {took:?} and the connection is still open (answer so far {answer:?})"
    );
    // Meanwhile the desk serves others.
    assert_eq!(desk.anon().get("/healthz").status, 200);
}

/// Send one byte every 200 ms until the server answers or closes the
/// connection, or `limit` passes; what it answered.
fn trickle(s: &mut std::net::TcpStream, limit: Duration) -> String {
    let start = Instant::now();
    let mut out = Vec::new();
    let mut buf = [0u8; 1024];
    while start.elapsed() < limit {
        if s.write_all(b"X").is_err() {
            break;
        }
        match std::io::Read::read(s, &mut buf) {
            Ok(0) => break,
            Ok(n) => {
                out.extend_from_slice(&buf[..n]);
                break;
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => break,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn an_expired_or_logged_out_session_is_refused() {
    let desk = Desk::start("expiry");
    let admin = desk.login(ADMIN);
    desk.create_user(&admin, "a_app", "applicant", "甲单位");
    let a = desk.login("a_app");
    assert_eq!(a.get("/api/me").status, 200);
    let cookie = a.session().unwrap();
    // The session's 12 hours pass: its expiry is moved into the past in the
    // database (the clock cannot be wound on by a test).
    let Db::Sqlite(path) = &desk.db else {
        unreachable!()
    };
    sql(path, "UPDATE sessions SET expires = 1000");
    let me = a.get("/api/me");
    assert_eq!(
        me.status,
        401,
        "an expired session on the API: {}",
        me.text()
    );
    let page = a.get("/");
    assert!(
        [302, 303, 307].contains(&page.status)
            && page
                .header("location")
                .is_some_and(|l| l.contains("/login")),
        "an expired session on a page goes to /login: {} {:?}",
        page.status,
        page.header("location")
    );
    let up = a.upload(violating_filing("HH-EXP-1", "x").as_bytes(), None);
    assert_eq!(up.status, 401, "an expired session cannot upload");

    // Logged out: the old cookie opens nothing any more.
    let b = desk.login("a_app");
    let old = b.session().unwrap();
    assert_ne!(old, cookie, "a new login is a new session");
    let lo = b.post_form("/logout", &[]);
    assert!(lo.status < 400, "logout: {}", lo.status);
    let replay = Client::new(&desk.base);
    replay.set_session(Some(old));
    assert_eq!(
        replay.get("/api/me").status,
        401,
        "a logged-out session is refused"
    );
    // A made-up cookie too.
    replay.set_session(Some("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".into()));
    assert_eq!(replay.get("/api/me").status, 401);
}

/// Run SQL on a SQLite file (Python's sqlite3 module: no sqlite3 CLI needed).
fn sql(path: &std::path::Path, statement: &str) {
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg("import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()")
        .arg(path)
        .arg(statement)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn login_is_throttled_per_name() {
    let desk = Desk::start("throttle");
    let admin = desk.login(ADMIN);
    desk.create_user(&admin, "victim", "applicant", "甲单位");
    desk.create_user(&admin, "bystander", "applicant", "甲单位");
    let c = desk.anon();
    for i in 0..5 {
        let r = c.login("victim", "wrong password");
        assert!(
            [401, 403, 200, 303].contains(&r.status) && !c.has_session(),
            "failure {i}: {} (no session)",
            r.status
        );
    }
    // The sixth try, even with the right password, is throttled.
    let r = c.login("victim", PASSWORD);
    assert_eq!(r.status, 429, "after 5 failures: {}", r.text());
    assert!(!c.has_session(), "a throttled login opens no session");
    let api = desk.anon().request(
        "POST",
        "/api/login",
        &[],
        Some((
            "application/json",
            serde_json::to_vec(&serde_json::json!({"name": "victim", "password": PASSWORD}))
                .unwrap(),
        )),
    );
    assert_eq!(api.status, 429, "the API login shares the throttle");
    // Another name from the same address is not locked out.
    let other = desk.anon();
    let r = other.login("bystander", PASSWORD);
    assert!(
        r.status < 400 && other.has_session(),
        "bystander: {}",
        r.status
    );
    // The failures are in the audit log.
    let audit = admin.get("/api/admin/audit").text();
    assert!(
        audit.matches("login_failed").count() >= 5,
        "audit: {audit:.500}"
    );
}
