//! The JSON routes (docs/desk.md), and the operations pages share with
//! them: an upload, a filing's view, a comment, a waiver, a decision.
//! Every route that names a filing first asks [`visible_filing`], so an
//! applicant gets 404 for another organisation's filing everywhere.

use super::intake::{self, Kind, Refusal};
use super::store::{self, Filing, NewUser, NewWaiver, Query, Role, Stored};
use super::{auth, day_start, now, AppState, Auth, Failure};
use crate::input::Msg;
use crate::plan::Lang;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/login", post(login))
        .route("/api/logout", post(logout))
        .route("/api/me", get(me))
        .route("/api/tokens", post(create_token))
        .route("/api/filings", get(list).post(upload_raw))
        .route("/api/filings/{id}", get(show))
        .route("/api/filings/{id}/versions/{n}", get(version))
        .route("/api/filings/{id}/versions/{n}/source", get(source))
        .route("/api/filings/{id}/comments", post(comment))
        .route("/api/filings/{id}/waivers", post(waiver))
        .route("/api/filings/{id}/decision", post(decision))
        .route("/api/filings/{id}/opinion", get(opinion))
        .route("/api/ledger", get(ledger))
        .route("/api/admin/users", get(users).post(create_user))
        .route("/api/admin/users/{id}", patch(update_user))
        .route("/api/admin/audit", get(audit))
        .route("/api/openapi.json", get(super::openapi::document))
        .route("/healthz", get(|| async { "ok" }))
}

// ---- login ----

#[derive(Deserialize)]
pub struct Credentials {
    pub name: String,
    pub password: String,
}

/// Check a name and password (throttled); on success a new session:
/// (user, session token, csrf token).
pub async fn log_in(
    state: &AppState,
    ctx: &store::AuditContext,
    name: &str,
    password: &str,
) -> Result<(store::User, String, String), Failure> {
    let t = now();
    let name = name.trim();
    let failures = state
        .store
        .login_failures_since(name, &ctx.ip, t - auth::FAILURE_WINDOW)
        .await?;
    if failures >= auth::MAX_FAILURES {
        return Err(Failure::said(
            429,
            "throttled",
            &Msg::new("desk.fail.throttled"),
        ));
    }
    let found = state.store.user_by_name(name).await?;
    let ok = match &found {
        Some((u, hash)) => auth::verify_password(password, hash) && u.active,
        None => {
            auth::verify_password(password, auth::dummy_hash());
            false
        }
    };
    let mut ctx = ctx.clone();
    if !ok {
        state.store.record_login_failure(name, &ctx.ip, t).await?;
        ctx.user_name = name.chars().take(100).collect();
        state
            .store
            .audit(&ctx, t, "login_failed", &ctx.user_name.clone(), "")
            .await?;
        return Err(Failure::said(
            401,
            "bad-login",
            &Msg::new("desk.fail.bad-login"),
        ));
    }
    let (user, _) = found.expect("checked above");
    state.store.clear_login_failures(name, &ctx.ip).await?;
    let token = auth::new_token();
    let csrf = auth::new_token();
    state
        .store
        .create_session(
            &auth::token_hash(&token),
            user.id,
            &csrf,
            t + auth::SESSION_SECONDS,
        )
        .await?;
    ctx.user_id = Some(user.id);
    ctx.user_name = user.name.clone();
    state.store.audit(&ctx, t, "login", &user.name, "").await?;
    Ok((user, token, csrf))
}

/// The `Set-Cookie` value of a session (empty token: deleting it).
pub fn session_cookie(state: &AppState, token: &str) -> String {
    let secure = if state.settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let age = if token.is_empty() {
        0
    } else {
        auth::SESSION_SECONDS
    };
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={age}{secure}",
        super::COOKIE
    )
}

async fn login(
    State(state): State<AppState>,
    req: axum::extract::Request,
) -> Result<Response, Failure> {
    let (parts, body) = req.into_parts();
    let ctx = super::request_context(&parts);
    let bytes = axum::body::to_bytes(body, 64 << 10)
        .await
        .map_err(|_| Failure::bad_request(Msg::new("desk.fail.too-large")))?;
    let c: Credentials = serde_json::from_slice(&bytes).map_err(|_| {
        Failure::bad_request(
            Msg::new("desk.fail.credentials").arg("form", r#"{"name","password"}"#),
        )
    })?;
    let (user, token, csrf) = log_in(&state, &ctx, &c.name, &c.password).await?;
    let mut r = Json(json!({"user": user, "csrf": csrf})).into_response();
    r.headers_mut().insert(
        axum::http::header::SET_COOKIE,
        session_cookie(&state, &token)
            .parse()
            .expect("a cookie is a header value"),
    );
    Ok(r)
}

pub async fn log_out(state: &AppState, a: &Auth, headers: &HeaderMap) -> Result<(), Failure> {
    if let Some(token) = super::session_cookie(headers) {
        state
            .store
            .delete_session(&auth::token_hash(&token))
            .await?;
    }
    state
        .store
        .audit(&a.audit, now(), "logout", &a.user.name, "")
        .await?;
    Ok(())
}

async fn logout(
    State(state): State<AppState>,
    a: Auth,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    a.check_csrf(super::header(&headers, "x-csrf-token").as_deref())?;
    log_out(&state, &a, &headers).await?;
    let mut r = Json(json!({"ok": true})).into_response();
    r.headers_mut().insert(
        axum::http::header::SET_COOKIE,
        session_cookie(&state, "")
            .parse()
            .expect("a cookie is a header value"),
    );
    Ok(r)
}

async fn me(a: Auth) -> Json<Value> {
    Json(json!({
        "id": a.user.id, "name": a.user.name, "role": a.user.role, "org": a.user.org,
        "display": a.user.display, "csrf": a.csrf,
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TokenRequest {
    name: String,
}

async fn create_token(
    State(state): State<AppState>,
    a: Auth,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, Failure> {
    a.check_csrf(super::header(&headers, "x-csrf-token").as_deref())?;
    let req: TokenRequest = if body.is_empty() {
        TokenRequest::default()
    } else {
        serde_json::from_slice(&body).map_err(|_| bad_json())?
    };
    let token = auth::new_token();
    let t = now();
    state
        .store
        .create_token(&auth::token_hash(&token), a.user.id, &req.name, t)
        .await?;
    state
        .store
        .audit(&a.audit, t, "token_create", &a.user.name, &req.name)
        .await?;
    Ok((StatusCode::CREATED, Json(json!({"token": token}))).into_response())
}

fn bad_json() -> Failure {
    Failure::bad_request(Msg::new("desk.fail.not-json"))
}

fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Failure> {
    serde_json::from_slice(body).map_err(|_| bad_json())
}

// ---- the queue ----

/// The queue's query from a URL's query string.
pub fn queue_query(a: &Auth, raw: Option<&str>) -> Result<Query, Failure> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded(raw.unwrap_or("")).map_err(|f| a.fail(f))?;
    let mut q = Query::default();
    let mut from = String::new();
    let mut to = String::new();
    for (k, v) in pairs {
        match k.as_str() {
            "plan" => q.plan = v,
            "status" => q.status = v,
            "applicant" => q.applicant = v,
            "reviewer" => q.reviewer = v,
            "q" => q.q = v,
            "from" => from = v,
            "to" => to = v,
            _ => {}
        }
    }
    let bad_day = || a.fail(Failure::bad_request(Msg::new("desk.fail.date")));
    if !from.is_empty() {
        q.from = day_start(&from).ok_or_else(bad_day)?;
    }
    if !to.is_empty() {
        // Through the `to` day.
        q.to = day_start(&to).ok_or_else(bad_day)? + 86_400;
    }
    if !a.user.role.is_staff() {
        q.only_org = Some(a.user.org.clone());
    }
    Ok(q)
}

/// `a=1&b=2` decoded (`+` and `%XX`).
pub fn serde_urlencoded(raw: &str) -> Result<Vec<(String, String)>, Failure> {
    let mut out = Vec::new();
    for pair in raw.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        out.push((percent_decode(k)?, percent_decode(v)?));
    }
    Ok(out)
}

fn percent_decode(s: &str) -> Result<String, Failure> {
    let bad = || Failure::bad_request(Msg::new("desk.fail.query-encoding"));
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = b.get(i + 1..i + 3).ok_or_else(bad)?;
                let hex = std::str::from_utf8(hex).map_err(|_| bad())?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| bad())?);
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| bad())
}

async fn list(
    State(state): State<AppState>,
    a: Auth,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, Failure> {
    let q = queue_query(&a, raw.as_deref())?;
    let filings = queue(&state, &q).await?;
    Ok(Json(json!({ "filings": filings })))
}

/// The queue's filings, each with the office's gate on its latest version.
pub async fn queue(state: &AppState, q: &Query) -> Result<Vec<Filing>, Failure> {
    let mut filings = state.store.filings(q).await?;
    for f in &mut filings {
        f.gate = queue_gate(state.settings.fail_on, f);
    }
    Ok(filings)
}

/// The gate of a filing's latest version from the queue's derived counts:
/// the same verdict as [`gate`] gives on the filing's page.
fn queue_gate(fail_on: crate::report::FailOn, f: &Filing) -> &'static str {
    use crate::report::FailOn;
    if !f.latest_valid {
        return "not_checked";
    }
    let failing = match fail_on {
        FailOn::Never => false,
        FailOn::Error => f.open_errors > 0,
        FailOn::Warning => f.findings > 0 || f.latest_file_status == "no_rule_applies",
    };
    if failing {
        "fail"
    } else {
        "pass"
    }
}

// ---- intake ----

/// What an upload answers.
#[derive(Serialize, Debug)]
pub struct Uploaded {
    pub filing: i64,
    pub intake_no: String,
    pub version: i64,
    pub status: String,
    pub valid: bool,
    pub findings: usize,
    pub compare: Compare,
}

#[derive(Serialize, Debug, Default)]
pub struct Compare {
    pub fixed: i64,
    pub new: i64,
    pub unchanged: i64,
}

/// Take an upload in: screen it, check it (on a blocking thread), store it
/// whole. `filing`: a resubmission of that filing; `org`: staff filing
/// for an organisation (an applicant always files for its own).
pub async fn take_upload(
    state: &AppState,
    a: &Auth,
    file_name: &str,
    content_type: &str,
    bytes: Vec<u8>,
    filing: Option<i64>,
    org: Option<&str>,
) -> Result<Uploaded, Failure> {
    a.require(a.user.role == Role::Applicant || a.user.role.is_staff())?;
    let refuse = |r: Refusal| {
        let (zh, en) = r.words();
        a.fail(Failure::new(r.status(), r.code(), zh, en))
    };
    let kind = intake::kind_of(file_name, content_type).map_err(refuse)?;
    intake::screen(&bytes, kind, state.settings.max_upload).map_err(refuse)?;
    let file_name = clean_name(file_name, kind);
    let existing = match filing {
        Some(id) => Some(visible_filing(state, a, id).await?),
        None => None,
    };
    let org = match (&existing, a.user.role.is_staff(), org) {
        (Some(f), _, _) => f.org.clone(),
        (None, true, Some(o)) if !o.trim().is_empty() => o.trim().to_string(),
        (None, _, _) => a.user.org.clone(),
    };
    let content_type = match kind {
        Kind::Yaml => "application/yaml",
        Kind::Workbook => intake::XLSX_TYPE,
    };
    // A resubmission compares with the latest version; if another lands
    // meanwhile, compare again.
    for _ in 0..5 {
        let (previous, latest, waivers) = match &existing {
            Some(f) => {
                let latest = state
                    .store
                    .filing(f.id)
                    .await?
                    .ok_or_else(|| a.fail(Failure::not_found()))?;
                let prev = state.store.version(f.id, latest.latest_version).await?;
                (
                    prev.map(|v| v.report),
                    latest.latest_version,
                    state.store.waivers(f.id).await?,
                )
            }
            None => (None, 0, Vec::new()),
        };
        let office = state.settings.office.clone();
        let (name, body) = (file_name.clone(), bytes.clone());
        let checked = tokio::task::spawn_blocking(move || {
            intake::run(&office, &name, &body, kind, previous.as_deref(), &waivers)
        })
        .await
        .map_err(|_| Failure::said(500, "check-failed", &Msg::new("desk.fail.check-failed")))?;
        let t = now();
        let new = store::NewVersion {
            filing: existing.as_ref().map(|f| f.id),
            expected_latest: latest,
            org: org.clone(),
            plan: checked.plan,
            project: checked.project,
            submission_id: checked.submission_id,
            file_name: file_name.clone(),
            content_type: content_type.into(),
            bytes: bytes.clone(),
            sha256: checked.sha256,
            text: checked.text,
            valid: checked.valid,
            file_status: checked.file_status.clone(),
            report: checked.report,
            report_other: checked.report_other,
            findings: checked.findings.clone(),
            fixed: checked.fixed,
            new: checked.new,
            unchanged: checked.unchanged,
            user_id: a.user.id,
            now: t,
            year: crate::input::Date::from_days_since_epoch(t.div_euclid(86_400)).year,
            audit: a.audit.clone(),
        };
        match state.store.store_version(&new).await? {
            Stored::Done {
                filing,
                intake_no,
                version,
            } => {
                return Ok(Uploaded {
                    filing,
                    intake_no,
                    version,
                    status: checked.file_status,
                    valid: checked.valid,
                    findings: checked.findings.iter().filter(|f| !f.waived).count(),
                    compare: Compare {
                        fixed: checked.fixed,
                        new: checked.new,
                        unchanged: checked.unchanged,
                    },
                })
            }
            Stored::Stale => continue,
            Stored::NoFiling => return Err(a.fail(Failure::not_found())),
        }
    }
    Err(a.fail(Failure::said(409, "busy", &Msg::new("desk.fail.busy"))))
}

/// A file name as stored and shown: its last path part, without control
/// characters, at most 100 characters; a name for one without.
fn clean_name(name: &str, kind: Kind) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base.chars().filter(|c| !c.is_control()).take(100).collect();
    if clean.trim().is_empty() || clean.starts_with('.') {
        match kind {
            Kind::Yaml => "submission.yaml".into(),
            Kind::Workbook => "submission.xlsx".into(),
        }
    } else {
        clean
    }
}

async fn upload_raw(
    State(state): State<AppState>,
    a: Auth,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Body,
) -> Result<Response, Failure> {
    a.check_csrf(super::header(&headers, "x-csrf-token").as_deref())?;
    let mut filing = None;
    let mut org = None;
    let mut name = String::new();
    for (k, v) in serde_urlencoded(raw.as_deref().unwrap_or(""))? {
        match k.as_str() {
            "filing" => {
                filing = Some(v.parse::<i64>().map_err(|_| Failure::not_found())?);
            }
            "org" => org = Some(v),
            "name" => name = v,
            _ => {}
        }
    }
    let limit = state.settings.max_upload;
    // A declared length over the limit is refused before any of the body
    // is read: waiting for it would hold the connection until the request
    // timeout (and the client, sending nothing more, would never hear why).
    let declared = super::header(&headers, "content-length").and_then(|v| v.parse::<u64>().ok());
    let read = match declared {
        Some(n) if n > limit as u64 => Err(()),
        _ => axum::body::to_bytes(body, limit + 1).await.map_err(|_| ()),
    };
    let bytes = match read {
        Ok(b) => b.to_vec(),
        Err(()) => {
            let (zh, en) = Refusal::TooLarge {
                size: limit + 1,
                limit,
            }
            .words();
            return Err(Failure::new(413, "upload-too-large", zh, en));
        }
    };
    let content_type = super::header(&headers, "content-type").unwrap_or_default();
    let up = take_upload(
        &state,
        &a,
        &name,
        &content_type,
        bytes,
        filing,
        org.as_deref(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(up)).into_response())
}

// ---- a filing ----

/// The filing if this user may see it; 404 alike for none and not yours.
pub async fn visible_filing(state: &AppState, a: &Auth, id: i64) -> Result<Filing, Failure> {
    match state.store.filing(id).await? {
        Some(mut f) if a.may_see(&f.org) => {
            f.gate = queue_gate(state.settings.fail_on, &f);
            Ok(f)
        }
        _ => Err(a.fail(Failure::not_found())),
    }
}

/// Everything a filing's page shows.
#[derive(Serialize)]
pub struct FilingView {
    pub filing: Filing,
    /// The version history, each with the findings it fixed.
    pub versions: Vec<VersionEntry>,
    /// The version shown.
    pub version: store::VersionInfo,
    /// The report's file entry (`files[0]` of the JSON report).
    pub report: Value,
    /// The report's findings, each with the desk's waivers and comments on it.
    pub findings: Vec<FindingView>,
    pub fixed: Vec<Value>,
    pub input_errors: Vec<Value>,
    pub waivers: Vec<store::WaiverRow>,
    pub comments: Vec<store::Comment>,
    pub decisions: Vec<store::Decision>,
    /// The source text the report's places refer to.
    pub text: String,
    /// The office's gate (`fail_on`) on the version shown: `pass`, `fail`,
    /// or `not_checked` (never a pass) when the file could not be read.
    pub gate: &'static str,
}

/// One version in the history: its row, and the findings of the version
/// before it that it fixed (the `fixed` list of its stored report, the
/// same comparison as `check --baseline`), in the reader's language.
#[derive(Serialize)]
pub struct VersionEntry {
    #[serde(flatten)]
    pub info: store::VersionInfo,
    pub fixed_findings: Vec<Value>,
}

#[derive(Serialize)]
pub struct FindingView {
    /// 1-based, as labelled in the source.
    pub number: usize,
    #[serde(flatten)]
    pub finding: Value,
    pub desk_waivers: Vec<store::WaiverRow>,
    pub comments: Vec<store::Comment>,
}

pub async fn filing_view(
    state: &AppState,
    a: &Auth,
    id: i64,
    number: Option<i64>,
) -> Result<FilingView, Failure> {
    let filing = visible_filing(state, a, id).await?;
    let n = number.unwrap_or(filing.latest_version);
    let version = state
        .store
        .version(id, n)
        .await?
        .ok_or_else(|| a.fail(Failure::not_found()))?;
    let mine = a.lang == state.settings.office.lang;
    let reports = state.store.reports(id).await?;
    let versions: Vec<VersionEntry> = state
        .store
        .versions(id)
        .await?
        .into_iter()
        .map(|info| {
            let fixed_findings = reports
                .iter()
                .find(|(n, _, _)| *n == info.number)
                .and_then(|(_, r, o)| {
                    let r: Value = serde_json::from_str(if mine { r } else { o }).ok()?;
                    r["files"][0]["fixed"].as_array().cloned()
                })
                .unwrap_or_default();
            VersionEntry {
                info,
                fixed_findings,
            }
        })
        .collect();
    let waivers = state.store.waivers(id).await?;
    let comments = state.store.comments(id).await?;
    let decisions = state.store.decisions(id).await?;
    // The report in the reader's language.
    let chosen = if mine {
        &version.report
    } else {
        &version.report_other
    };
    let report: Value = serde_json::from_str(chosen).unwrap_or(Value::Null);
    let file = report
        .get("files")
        .and_then(|f| f.get(0))
        .cloned()
        .unwrap_or(Value::Null);
    let list = |k: &str| {
        file.get(k)
            .and_then(|v| v.as_array())
            .cloned()
            .unwrap_or_default()
    };
    let today = super::day_of(now());
    let findings: Vec<FindingView> = list("findings")
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let fp = f.get("fingerprint").and_then(|x| x.as_str()).unwrap_or("");
            let rule = f.get("rule").and_then(|x| x.as_str()).unwrap_or("");
            FindingView {
                number: i + 1,
                desk_waivers: waivers
                    .iter()
                    .filter(|w| {
                        (w.scope == "rule" && w.rule == rule)
                            || (w.scope == "finding" && !fp.is_empty() && w.fingerprint == fp)
                    })
                    .filter(|w| w.expires >= today)
                    .cloned()
                    .collect(),
                comments: comments
                    .iter()
                    .filter(|c| !fp.is_empty() && c.finding == fp)
                    .cloned()
                    .collect(),
                finding: f,
            }
        })
        .collect();
    let gate = gate(state.settings.fail_on, version.info.valid, &file, &findings);
    Ok(FilingView {
        gate,
        fixed: list("fixed"),
        input_errors: list("input_errors"),
        findings,
        filing,
        versions,
        version: version.info,
        waivers,
        comments,
        decisions,
        text: version.text,
        report: file,
    })
}

/// Whether a version passes the office's `fail_on`: no finding at or
/// above it that no waiver (the config's, or the desk's) covers; a file
/// with no rule that applies fails only under `warning`, as in `check`.
fn gate(
    fail_on: crate::report::FailOn,
    valid: bool,
    file: &Value,
    findings: &[FindingView],
) -> &'static str {
    use crate::report::FailOn;
    if !valid {
        return "not_checked";
    }
    let counts = |severity: &str| match fail_on {
        FailOn::Never => false,
        FailOn::Error => severity == "error",
        FailOn::Warning => true,
    };
    let failing = findings.iter().any(|f| {
        let waived = f.finding["waiver"]["state"] == "waived" || !f.desk_waivers.is_empty();
        !waived && counts(f.finding["severity"].as_str().unwrap_or("error"))
    });
    let nothing_applied = file["status"] == "no_rule_applies" && fail_on == FailOn::Warning;
    if failing || nothing_applied {
        "fail"
    } else {
        "pass"
    }
}

async fn show(
    State(state): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> Result<Json<FilingView>, Failure> {
    Ok(Json(filing_view(&state, &a, id, None).await?))
}

async fn version(
    State(state): State<AppState>,
    a: Auth,
    Path((id, n)): Path<(i64, i64)>,
) -> Result<Json<FilingView>, Failure> {
    Ok(Json(filing_view(&state, &a, id, Some(n)).await?))
}

/// The exact bytes of a version, as a download.
pub async fn source_response(
    state: &AppState,
    a: &Auth,
    id: i64,
    n: i64,
) -> Result<Response, Failure> {
    visible_filing(state, a, id).await?;
    let v = state
        .store
        .version(id, n)
        .await?
        .ok_or_else(|| a.fail(Failure::not_found()))?;
    let ascii: String = v
        .info
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"");
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                v.info.content_type.clone(),
            ),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        v.bytes,
    )
        .into_response())
}

async fn source(
    State(state): State<AppState>,
    a: Auth,
    Path((id, n)): Path<(i64, i64)>,
) -> Result<Response, Failure> {
    source_response(&state, &a, id, n).await
}

// ---- comments, waivers, decisions ----

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CommentRequest {
    pub body: String,
    pub finding: String,
}

pub async fn add_comment(
    state: &AppState,
    a: &Auth,
    id: i64,
    c: &CommentRequest,
) -> Result<i64, Failure> {
    visible_filing(state, a, id).await?;
    let body = c.body.trim();
    if body.is_empty() || body.chars().count() > 10_000 {
        return Err(a.fail(Failure::bad_request(Msg::new("desk.fail.comment-length"))));
    }
    Ok(state
        .store
        .add_comment(id, c.finding.trim(), body, now(), &a.audit)
        .await?)
}

async fn comment(
    State(state): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, Failure> {
    a.check_csrf(super::header(&headers, "x-csrf-token").as_deref())?;
    let c: CommentRequest = parse_json(&body)?;
    let cid = add_comment(&state, &a, id, &c).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": cid}))).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct WaiverRequest {
    pub reason: String,
    pub expires: String,
    /// A finding's fingerprint (scope: that finding).
    pub finding: String,
    /// A rule id (scope: that rule, for this filing).
    pub rule: String,
}

pub async fn grant_waiver(
    state: &AppState,
    a: &Auth,
    id: i64,
    w: &WaiverRequest,
) -> Result<i64, Failure> {
    let filing = visible_filing(state, a, id).await?;
    a.require(a.user.role.grants_waivers())?;
    let bad = |words: Msg| a.fail(Failure::bad_request(words));
    let reason = w.reason.trim();
    if reason.is_empty() || reason.chars().count() > 2000 {
        return Err(bad(Msg::new("desk.fail.waiver-reason")));
    }
    let expires = crate::input::Date::parse(w.expires.trim(), false)
        .ok()
        .filter(|d| d.day.is_some())
        .ok_or_else(|| bad(Msg::new("desk.fail.expiry-date")))?
        .to_string();
    if expires < super::day_of(now()) {
        return Err(bad(Msg::new("desk.fail.expiry-past")));
    }
    let latest = state
        .store
        .version(id, filing.latest_version)
        .await?
        .ok_or_else(|| a.fail(Failure::not_found()))?;
    let findings = state.store.findings(latest.info.id).await?;
    let (scope, rule, fingerprint, subject) = match (w.finding.trim(), w.rule.trim()) {
        (fp, "") if !fp.is_empty() => {
            let f = findings
                .iter()
                .find(|f| f.fingerprint == fp)
                .ok_or_else(|| bad(Msg::new("desk.fail.no-such-finding")))?;
            (
                "finding",
                f.rule.clone(),
                f.fingerprint.clone(),
                f.subject.clone(),
            )
        }
        ("", rule) if !rule.is_empty() => {
            if !state
                .settings
                .office
                .catalog
                .rules
                .iter()
                .any(|r| r.id == rule)
            {
                return Err(bad(Msg::new("desk.fail.no-such-rule")));
            }
            ("rule", rule.to_string(), String::new(), String::new())
        }
        _ => return Err(bad(Msg::new("desk.fail.waiver-scope"))),
    };
    Ok(state
        .store
        .add_waiver(
            &NewWaiver {
                filing: id,
                scope,
                rule: &rule,
                fingerprint: &fingerprint,
                subject: &subject,
                reason,
                expires: &expires,
                approver: a.user.id,
                now: now(),
            },
            &a.audit,
        )
        .await?)
}

async fn waiver(
    State(state): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, Failure> {
    a.check_csrf(super::header(&headers, "x-csrf-token").as_deref())?;
    let w: WaiverRequest = parse_json(&body)?;
    let wid = grant_waiver(&state, &a, id, &w).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": wid}))).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecisionRequest {
    pub decision: String,
    pub opinion: String,
}

pub async fn decide(
    state: &AppState,
    a: &Auth,
    id: i64,
    d: &DecisionRequest,
) -> Result<i64, Failure> {
    visible_filing(state, a, id).await?;
    a.require(a.user.role.is_staff())?;
    if !matches!(d.decision.as_str(), "approve" | "correct" | "reject") {
        return Err(a.fail(Failure::bad_request(
            Msg::new("desk.fail.decision")
                .arg("approve", "approve")
                .arg("correct", "correct")
                .arg("reject", "reject"),
        )));
    }
    if d.opinion.chars().count() > 20_000 {
        return Err(a.fail(Failure::bad_request(Msg::new("desk.fail.opinion-length"))));
    }
    state
        .store
        .decide(id, &d.decision, d.opinion.trim(), now(), &a.audit)
        .await?
        .ok_or_else(|| a.fail(Failure::not_found()))
}

async fn decision(
    State(state): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, Failure> {
    a.check_csrf(super::header(&headers, "x-csrf-token").as_deref())?;
    let d: DecisionRequest = parse_json(&body)?;
    let did = decide(&state, &a, id, &d).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": did}))).into_response())
}

/// The review opinion's data.
#[derive(Serialize)]
pub struct Opinion {
    pub office: String,
    pub date: String,
    pub intake_no: String,
    pub org: String,
    pub project: String,
    pub submission_id: String,
    pub plan: String,
    pub version: i64,
    /// The last decision, if one was recorded.
    pub decision: Option<store::Decision>,
    pub reviewer: String,
    pub findings: Vec<FindingView>,
    pub waivers: Vec<store::WaiverRow>,
    pub fixed: Vec<Value>,
}

pub async fn opinion_data(state: &AppState, a: &Auth, id: i64) -> Result<Opinion, Failure> {
    let v = filing_view(state, a, id, None).await?;
    let decision = v.decisions.last().cloned();
    Ok(Opinion {
        office: state.settings.office_name.clone(),
        date: super::day_of(decision.as_ref().map_or(now(), |d| d.created)),
        reviewer: decision
            .as_ref()
            .map(|d| {
                if d.user_display.is_empty() {
                    d.user.clone()
                } else {
                    d.user_display.clone()
                }
            })
            .unwrap_or_default(),
        intake_no: v.filing.intake_no.clone(),
        org: v.filing.org.clone(),
        project: v.filing.project.clone(),
        submission_id: v.filing.submission_id.clone(),
        plan: v.filing.plan.clone(),
        version: v.version.number,
        decision,
        findings: v.findings,
        waivers: v.waivers,
        fixed: v.fixed,
    })
}

async fn opinion(
    State(state): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> Result<Json<Opinion>, Failure> {
    Ok(Json(opinion_data(&state, &a, id).await?))
}

// ---- ledger ----

/// The filings of a period (by intake date), for staff.
pub async fn ledger_rows(
    state: &AppState,
    a: &Auth,
    raw: Option<&str>,
) -> Result<Vec<Filing>, Failure> {
    a.require(a.user.role.is_staff())?;
    let q = queue_query(a, raw)?;
    let mut rows = queue(state, &q).await?;
    rows.reverse();
    Ok(rows)
}

async fn ledger(
    State(state): State<AppState>,
    a: Auth,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, Failure> {
    Ok(Json(
        json!({"filings": ledger_rows(&state, &a, raw.as_deref()).await?}),
    ))
}

// ---- admin ----

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct UserRequest {
    pub name: String,
    pub password: String,
    pub role: String,
    pub org: String,
    pub display: String,
}

pub async fn add_user(state: &AppState, a: &Auth, u: &UserRequest) -> Result<i64, Failure> {
    a.require(a.user.role == Role::Admin)?;
    let bad = |words: Msg| a.fail(Failure::bad_request(words));
    let name = u.name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(bad(Msg::new("desk.fail.user-name-length")));
    }
    if u.password.chars().count() < 8 {
        return Err(bad(Msg::new("desk.fail.password-length")));
    }
    let role = Role::parse(u.role.trim()).ok_or_else(|| {
        bad(Msg::new("desk.fail.role")
            .arg("applicant", Role::Applicant.as_str())
            .arg("reviewer", Role::Reviewer.as_str())
            .arg("approver", Role::Approver.as_str())
            .arg("admin", Role::Admin.as_str()))
    })?;
    let org = u.org.trim();
    if role == Role::Applicant && org.is_empty() {
        return Err(bad(Msg::new("desk.fail.applicant-org")));
    }
    let hash = auth::hash_password(&u.password);
    let display = if u.display.trim().is_empty() {
        name
    } else {
        u.display.trim()
    };
    let t = now();
    let id = state
        .store
        .create_user(
            &NewUser {
                name,
                display,
                role,
                org,
                password_hash: &hash,
            },
            t,
        )
        .await?
        .ok_or_else(|| {
            a.fail(Failure::said(
                409,
                "user-exists",
                &Msg::new("desk.fail.user-exists"),
            ))
        })?;
    state
        .store
        .audit(
            &a.audit,
            t,
            "user_create",
            name,
            &format!("user {id} role {} org {org}", role.as_str()),
        )
        .await?;
    Ok(id)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct UserUpdate {
    pub role: Option<String>,
    pub active: Option<bool>,
    pub password: Option<String>,
}

pub async fn change_user(
    state: &AppState,
    a: &Auth,
    id: i64,
    u: &UserUpdate,
) -> Result<(), Failure> {
    a.require(a.user.role == Role::Admin)?;
    let bad = |words: Msg| a.fail(Failure::bad_request(words));
    let role = match u.role.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => Some(Role::parse(r).ok_or_else(|| bad(Msg::new("desk.fail.unknown-role")))?),
        None => None,
    };
    let password = u.password.as_deref().filter(|p| !p.is_empty());
    if password.is_some_and(|p| p.chars().count() < 8) {
        return Err(bad(Msg::new("desk.fail.password-length")));
    }
    if id == a.user.id && (u.active == Some(false) || role.is_some_and(|r| r != Role::Admin)) {
        return Err(bad(Msg::new("desk.fail.self-admin")));
    }
    let hash = password.map(auth::hash_password);
    if !state
        .store
        .update_user(id, role, u.active, hash.as_deref())
        .await?
    {
        return Err(a.fail(Failure::not_found()));
    }
    let detail = format!(
        "user {id}{}{}{}",
        role.map_or(String::new(), |r| format!(" role {}", r.as_str())),
        u.active.map_or(String::new(), |x| format!(" active {x}")),
        if hash.is_some() {
            " password reset"
        } else {
            ""
        }
    );
    state
        .store
        .audit(&a.audit, now(), "user_update", &id.to_string(), &detail)
        .await?;
    Ok(())
}

async fn users(State(state): State<AppState>, a: Auth) -> Result<Json<Value>, Failure> {
    a.require(a.user.role == Role::Admin)?;
    Ok(Json(json!({"users": state.store.users().await?})))
}

async fn create_user(
    State(state): State<AppState>,
    a: Auth,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, Failure> {
    a.check_csrf(super::header(&headers, "x-csrf-token").as_deref())?;
    let u: UserRequest = parse_json(&body)?;
    let id = add_user(&state, &a, &u).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))).into_response())
}

async fn update_user(
    State(state): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<Value>, Failure> {
    a.check_csrf(super::header(&headers, "x-csrf-token").as_deref())?;
    let u: UserUpdate = parse_json(&body)?;
    change_user(&state, &a, id, &u).await?;
    Ok(Json(json!({"ok": true})))
}

/// The audit log of a period, for admins.
pub async fn audit_rows(
    state: &AppState,
    a: &Auth,
    raw: Option<&str>,
) -> Result<Vec<store::AuditEntry>, Failure> {
    a.require(a.user.role == Role::Admin)?;
    let q = queue_query(a, raw)?;
    Ok(state.store.audit_entries(q.from, q.to).await?)
}

async fn audit(
    State(state): State<AppState>,
    a: Auth,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, Failure> {
    Ok(Json(
        json!({"entries": audit_rows(&state, &a, raw.as_deref()).await?}),
    ))
}

/// The language of a request's page (for handlers outside `Auth`).
pub fn page_lang(state: &AppState, raw: Option<&str>) -> Lang {
    super::lang_of(raw, state.settings.lang)
}
