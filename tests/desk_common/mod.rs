//! What the review desk's tests share (tests/desk/desk_security.rs,
//! desk_browser.rs, desk_load.rs, in the `desk` test binary): a real
//! `peitao serve` child process on a loopback port with its own database,
//! and an HTTP client that keeps the session cookie and the CSRF token the
//! way a browser does.
//!
//! The desk is driven only from outside, through its documented contract
//! (docs/desk.md): the `listening on` line, `--init-admin`, the pages and
//! the `/api/…` routes. Nothing here reaches into src/desk.
#![allow(dead_code)] // not every part is used

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The admin every desk starts with, and the one password all test users share.
pub const ADMIN: &str = "admin";
pub const PASSWORD: &str = "correct horse battery staple 9";

/// Is this CI? There a missing tool fails the test instead of skipping it.
pub fn in_ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// A missing tool: under CI=true the test fails; elsewhere it says SKIPPED
/// on stderr and the caller returns.
pub fn missing(what: &str, how: &str) {
    assert!(
        !in_ci(),
        "CI=true and {what} is missing: this test cannot run ({how})"
    );
    eprintln!("SKIPPED: {what} is missing ({how})");
}

/// A fresh temporary directory for one test.
pub fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("peitao-desk-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A shipped example submission, as bytes.
pub fn example(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(name),
    )
    .unwrap()
}

/// A 红河 childcare filing that breaks the plan (fire safety failed),
/// with `id` as its submission id and `name` as the centre's name.
pub fn violating_filing(id: &str, name: &str) -> String {
    childcare(id, name, "failed")
}

/// The same centre, fixed: fire safety approved.
pub fn fixed_filing(id: &str, name: &str) -> String {
    childcare(id, name, "approved")
}

fn childcare(id: &str, name: &str, fire: &str) -> String {
    // The name is a YAML double-quoted scalar: escape what YAML would read.
    let quoted = name.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        "version: 1\nsubmission:\n  id: {id}\n  jurisdiction: 红河州\n  filed: 2025-02-15\n\n\
         institutions:\n  - id: T1\n    name: \"{quoted}\"\n    kind: childcare\n    operator: private\n    \
         slots: 40\n    staff: 15\n    certified_staff: 15\n    trained_staff: 15\n    fire_safety: {fire}\n"
    )
}

/// The database a desk uses: a SQLite file in the test's directory, or a
/// fresh PostgreSQL database (its own name, so parallel runs never meet).
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Db {
    pub fn arg(&self) -> String {
        match self {
            Db::Sqlite(p) => p.display().to_string(),
            Db::Postgres(url) => url.clone(),
        }
    }
}

/// A new, empty PostgreSQL database on 127.0.0.1:5432 (trust auth, as
/// .ci/run sets it up), or None when there is no server or no psql.
pub fn postgres_db(name: &str) -> Option<Db> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let db = format!("peitao_desk2_{}_{}_{}", name, std::process::id(), nanos);
    let ok = Command::new("psql")
        .args(["-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-qc"])
        .arg(format!("CREATE DATABASE {db}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then(|| Db::Postgres(format!("postgres://postgres@127.0.0.1:5432/{db}")))
}

/// Drop a database made by [`postgres_db`] (after its desk has stopped).
pub fn drop_postgres(db: &Db) {
    if let Db::Postgres(url) = db {
        let name = url.rsplit('/').next().unwrap();
        let _ = Command::new("psql")
            .args(["-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-qc"])
            .arg(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// A running `peitao serve` child. Dropped, it is killed.
pub struct Desk {
    child: Option<Child>,
    pub base: String,
    pub dir: PathBuf,
    pub db: Db,
}

impl Desk {
    /// A desk on a fresh SQLite database in a new temporary directory,
    /// with the admin created by `--init-admin`.
    pub fn start(name: &str) -> Desk {
        let dir = tempdir(name);
        let db = Db::Sqlite(dir.join("d.sqlite3"));
        Desk::start_with(dir, db)
    }

    /// A desk on `db` (fresh), its admin created first.
    pub fn start_with(dir: PathBuf, db: Db) -> Desk {
        init_admin(&dir, &db);
        Desk::restart(dir, db)
    }

    /// Start (again) on an existing database: what a restart after a crash does.
    pub fn restart(dir: PathBuf, db: Db) -> Desk {
        Desk::restart_with_args(dir, db, &[])
    }

    /// Start on an existing database with extra `serve` options.
    pub fn restart_with_args(dir: PathBuf, db: Db, extra: &[&str]) -> Desk {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("desk.log"))
            .unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_peitao"))
            .args(["serve", "--addr", "127.0.0.1:0", "--db"])
            .arg(db.arg())
            .args(extra)
            .current_dir(&dir)
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .expect("peitao serve starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            for line in lines.by_ref() {
                let Ok(line) = line else { break };
                if let Some(url) = line.strip_prefix("peitao desk listening on ") {
                    let _ = tx.send(url.trim().to_string());
                }
            }
        });
        let base = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(url) => url,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "peitao serve printed no `peitao desk listening on` line within 60 s; its log:\n{}",
                    std::fs::read_to_string(dir.join("desk.log")).unwrap_or_default()
                );
            }
        };
        assert!(
            base.starts_with("http://127.0.0.1:") && !base.ends_with(":0"),
            "the listening line names the real port: {base}"
        );
        Desk {
            child: Some(child),
            base,
            dir,
            db,
        }
    }

    /// host:port, for raw sockets.
    pub fn addr(&self) -> String {
        self.base
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string()
    }

    /// SIGKILL (Child::kill sends SIGKILL on Unix): no shutdown handler runs.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// The server's stderr so far (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("desk.log")).unwrap_or_default()
    }

    /// A client with no session.
    pub fn anon(&self) -> Client {
        Client::new(&self.base)
    }

    /// A client logged in as `name` (with the shared test password).
    pub fn login(&self, name: &str) -> Client {
        let c = self.anon();
        let r = c.login(name, PASSWORD);
        assert!(
            r.status < 400,
            "login as {name}: {} {}\n{}",
            r.status,
            r.text(),
            self.log()
        );
        assert!(c.has_session(), "login as {name} set no session cookie");
        c
    }

    /// The admin creates a user with `role` in organisation `org`.
    pub fn create_user(&self, admin: &Client, name: &str, role: &str, org: &str) {
        let body = serde_json::json!({
            "name": name,
            "password": PASSWORD,
            "role": role,
            "org": org,
            "display": name,
        });
        let r = admin.post_json("/api/admin/users", &body);
        assert!(
            (200..300).contains(&r.status),
            "create user {name} ({role}, {org}): {} {}",
            r.status,
            r.text()
        );
    }
}

impl Drop for Desk {
    fn drop(&mut self) {
        self.kill();
    }
}

/// `peitao serve --db DB --init-admin admin`, the password from the environment.
pub fn init_admin(dir: &Path, db: &Db) {
    let out = Command::new(env!("CARGO_BIN_EXE_peitao"))
        .args(["serve", "--db"])
        .arg(db.arg())
        .args(["--init-admin", ADMIN])
        .current_dir(dir)
        .env("PEITAO_ADMIN_PASSWORD", PASSWORD)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("peitao serve --init-admin runs");
    assert!(
        out.status.success(),
        "--init-admin failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// One HTTP answer.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub millis: f64,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}), status {}: {}", self.status, self.text()))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// An HTTP client that behaves like a browser tab: it keeps the
/// `peitao_session` cookie, follows no redirects by itself (each status is
/// seen), and sends the CSRF token it last saw on a page with every form
/// and with cookie-authenticated JSON writes.
pub struct Client {
    agent: ureq::Agent,
    pub base: String,
    cookie: std::cell::RefCell<Option<String>>,
    csrf: std::cell::RefCell<Option<String>>,
    pub bearer: Option<String>,
}

/// The session cookie's name (docs/desk.md).
pub const SESSION_COOKIE: &str = "peitao_session";

impl Client {
    pub fn new(base: &str) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        Client {
            agent,
            base: base.trim_end_matches('/').to_string(),
            cookie: Default::default(),
            csrf: Default::default(),
            bearer: None,
        }
    }

    /// A client that authenticates with an API token only.
    pub fn with_token(base: &str, token: &str) -> Client {
        let mut c = Client::new(base);
        c.bearer = Some(token.to_string());
        c
    }

    pub fn has_session(&self) -> bool {
        self.cookie.borrow().is_some()
    }
    pub fn session(&self) -> Option<String> {
        self.cookie.borrow().clone()
    }
    pub fn set_session(&self, value: Option<String>) {
        *self.cookie.borrow_mut() = value;
    }
    pub fn csrf(&self) -> Option<String> {
        self.csrf.borrow().clone()
    }
    pub fn set_csrf(&self, value: Option<String>) {
        *self.csrf.borrow_mut() = value;
    }

    /// One request. `body` is (content type, bytes). Extra headers as given.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, Vec<u8>)>,
    ) -> Resp {
        self.try_request(method, path, headers, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    /// One request; an error when the connection fails (a killed server).
    pub fn try_request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, Vec<u8>)>,
    ) -> Result<Resp, String> {
        let url = if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{}", self.base, path)
        };
        let mut req = ureq::http::Request::builder().method(method).uri(&url);
        if let Some(c) = self.cookie.borrow().as_ref() {
            req = req.header("Cookie", format!("{SESSION_COOKIE}={c}"));
        }
        if let Some(t) = &self.bearer {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let bytes = match body {
            Some((ctype, bytes)) => {
                req = req.header("Content-Type", ctype);
                bytes
            }
            None => Vec::new(),
        };
        let start = Instant::now();
        let resp = self
            .agent
            .run(req.body(bytes).unwrap())
            .map_err(|e| e.to_string())?;
        let status = resp.status().as_u16();
        let headers: Vec<(String, String)> = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut body = Vec::new();
        resp.into_body()
            .into_reader()
            .read_to_end(&mut body)
            .map_err(|e| format!("reading the body: {e}"))?;
        let millis = start.elapsed().as_secs_f64() * 1000.0;
        for (k, v) in &headers {
            if k.eq_ignore_ascii_case("set-cookie") {
                if let Some(rest) = v.strip_prefix(&format!("{SESSION_COOKIE}=")) {
                    let value = rest.split(';').next().unwrap_or("").to_string();
                    let cleared = value.is_empty() || v.to_ascii_lowercase().contains("max-age=0");
                    *self.cookie.borrow_mut() = (!cleared).then_some(value);
                }
            }
        }
        let r = Resp {
            status,
            headers,
            body,
            millis,
        };
        if r.header("content-type")
            .is_some_and(|t| t.contains("text/html"))
        {
            if let Some(t) = csrf_in(&r.text()) {
                *self.csrf.borrow_mut() = Some(t);
            }
        }
        Ok(r)
    }

    pub fn get(&self, path: &str) -> Resp {
        self.request("GET", path, &[], None)
    }

    /// A JSON write, with the X-CSRF-Token header when the client has a token.
    pub fn post_json(&self, path: &str, body: &serde_json::Value) -> Resp {
        self.send_json("POST", path, body)
    }

    pub fn send_json(&self, method: &str, path: &str, body: &serde_json::Value) -> Resp {
        self.ensure_csrf();
        let token = self.csrf();
        let mut h = vec![("Accept", "application/json")];
        if let Some(t) = token.as_deref() {
            h.push(("X-CSRF-Token", t));
        }
        self.request(
            method,
            path,
            &h,
            Some(("application/json", serde_json::to_vec(body).unwrap())),
        )
    }

    /// A form post (urlencoded) with the page's CSRF token in `csrf`,
    /// unless the fields already carry one.
    pub fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        self.ensure_csrf();
        let mut all: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        if !fields.iter().any(|(k, _)| *k == "csrf") {
            if let Some(t) = self.csrf() {
                all.push(("csrf".into(), t));
            }
        }
        self.post_form_raw(path, &all)
    }

    /// A form post with exactly these fields (no token added).
    pub fn post_form_raw(&self, path: &str, fields: &[(String, String)]) -> Resp {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.request(
            "POST",
            path,
            &[],
            Some(("application/x-www-form-urlencoded", body.into_bytes())),
        )
    }

    /// A multipart form post: text fields, then one file part.
    pub fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &str, &[u8])>,
        with_csrf: bool,
    ) -> Resp {
        self.ensure_csrf();
        let boundary = "----peitao-desk2-boundary-7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        let mut field = |k: &str, v: &str| {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        };
        if with_csrf {
            if let Some(t) = self.csrf() {
                field("csrf", &t);
            }
        }
        for (k, v) in fields {
            field(k, v);
        }
        if let Some((name, filename, bytes)) = file {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.request(
            "POST",
            path,
            &[],
            Some((&format!("multipart/form-data; boundary={boundary}"), body)),
        )
    }

    /// Learn the session's CSRF token (`GET /api/me`), when the client has
    /// none yet.
    fn ensure_csrf(&self) {
        if self.csrf().is_none() && self.has_session() {
            let me = self.get("/api/me");
            if me.ok() {
                *self.csrf.borrow_mut() = me.json()["csrf"].as_str().map(str::to_string);
            }
        }
    }

    /// Log in through the login form (the token from the login page).
    pub fn login(&self, name: &str, password: &str) -> Resp {
        let page = self.get("/login");
        let mut fields = vec![
            ("name".to_string(), name.to_string()),
            ("password".to_string(), password.to_string()),
        ];
        if let Some(t) = csrf_in(&page.text()) {
            fields.push(("csrf".into(), t));
        }
        let r = self.post_form_raw("/login", &fields);
        // The token of the session's pages (it may change at login).
        self.set_csrf(None);
        if self.has_session() && r.status < 400 {
            self.ensure_csrf();
        }
        r
    }

    /// Upload a filing through the API under a file name (`?name=`).
    pub fn upload_named(&self, yaml: &[u8], name: &str) -> Resp {
        self.ensure_csrf();
        let token = self.csrf();
        let mut h = vec![("Accept", "application/json")];
        if let Some(t) = token.as_deref() {
            h.push(("X-CSRF-Token", t));
        }
        self.request(
            "POST",
            &format!("/api/filings?name={}", urlencode(name)),
            &h,
            Some(("application/yaml", yaml.to_vec())),
        )
    }

    /// Upload a filing through the API; `filing` makes it a resubmission.
    pub fn upload(&self, yaml: &[u8], filing: Option<&str>) -> Resp {
        let path = match filing {
            Some(id) => format!("/api/filings?filing={id}"),
            None => "/api/filings".to_string(),
        };
        self.ensure_csrf();
        let token = self.csrf();
        let mut h = vec![("Accept", "application/json")];
        if let Some(t) = token.as_deref() {
            h.push(("X-CSRF-Token", t));
        }
        self.request("POST", &path, &h, Some(("application/yaml", yaml.to_vec())))
    }
}

/// The value of the first hidden `csrf` input in a page.
pub fn csrf_in(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\"")?;
    // The input's tag: from its '<' to its '>'.
    let start = html[..at].rfind('<')?;
    let end = at + html[at..].find('>')?;
    let tag = &html[start..end];
    let v = tag.find("value=\"")? + "value=\"".len();
    let len = tag[v..].find('"')?;
    Some(tag[v..v + len].to_string())
}

pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Send raw bytes on a fresh TCP connection; what the server answers
/// (until it closes or `wait` passes), and how long that took.
pub fn raw_exchange(addr: &str, bytes: &[u8], wait: Duration) -> (String, Duration) {
    let start = Instant::now();
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(wait)).unwrap();
    s.write_all(bytes).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
    (String::from_utf8_lossy(&out).into_owned(), start.elapsed())
}

/// The percentile `p` (0..=100) of sorted values (nearest rank).
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    assert!(!sorted.is_empty());
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Send `head` (request line and headers, ending in a blank line) and then
/// `body` on a fresh connection, reading the answer at the same time (a
/// server that refuses a large body answers and closes before the body is
/// all sent; the writer then stops). What the server answered.
pub fn raw_post(addr: &str, head: &str, body: &[u8]) -> String {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut r = s.try_clone().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match r.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
        out
    });
    if s.write_all(head.as_bytes()).is_ok() {
        for chunk in body.chunks(64 << 10) {
            if s.write_all(chunk).is_err() {
                break;
            }
        }
    }
    let out = reader.join().unwrap();
    String::from_utf8_lossy(&out).into_owned()
}
