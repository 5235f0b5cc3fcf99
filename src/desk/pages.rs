//! The HTML pages (server-rendered with minijinja, escaped by default;
//! usable without JavaScript; printable). Each page's data comes from the
//! same operations as its `/api/…` twin (see [`super::api`]).

use super::api::{
    self, CommentRequest, DecisionRequest, FindingView, UserRequest, UserUpdate, WaiverRequest,
};
use super::store::{Role, User};
use super::{words, AppState, Auth, Failure};
use crate::input::Msg;
use crate::plan::Lang;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::{context, Environment, Value};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/", get(queue))
        .route("/upload", get(upload_form).post(upload))
        .route("/filings/{id}", get(filing))
        .route("/filings/{id}/versions/{n}/source", get(source))
        .route("/filings/{id}/comments", post(comment))
        .route("/filings/{id}/waivers", post(waiver))
        .route("/filings/{id}/decision", post(decision))
        .route("/filings/{id}/opinion", get(opinion))
        .route("/ledger.csv", get(ledger_csv))
        .route("/ledger.xlsx", get(ledger_xlsx))
        .route("/admin/users", get(users).post(create_user))
        .route("/admin/users/{id}", post(update_user))
        .route("/admin/audit", get(audit))
        .route("/admin/audit.csv", get(audit_csv))
}

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        for (name, text) in [
            ("base.html", include_str!("templates/base.html")),
            ("error.html", include_str!("templates/error.html")),
            ("login.html", include_str!("templates/login.html")),
            ("queue.html", include_str!("templates/queue.html")),
            ("upload.html", include_str!("templates/upload.html")),
            ("filing.html", include_str!("templates/filing.html")),
            ("opinion.html", include_str!("templates/opinion.html")),
            ("users.html", include_str!("templates/users.html")),
            ("audit.html", include_str!("templates/audit.html")),
        ] {
            env.add_template(name, text)
                .unwrap_or_else(|e| panic!("template {name}: {e}"));
        }
        env
    })
}

/// What every page's template gets.
fn common(lang: Lang, user: Option<&User>, csrf: &str, path: &str) -> Value {
    let en = lang == Lang::En;
    context! {
        t => words::table(lang),
        lang => if en { "en" } else { "zh" },
        user => user,
        csrf => csrf,
        q => if en { "?lang=en" } else { "" },
        amp => if en { "&lang=en" } else { "" },
        other_lang_href => format!("{path}?lang={}", if en { "zh" } else { "en" }),
    }
}

fn render(name: &str, base: Value, page: Value) -> Result<Html<String>, Failure> {
    let ctx = context! { ..page, ..base };
    env()
        .get_template(name)
        .and_then(|t| t.render(ctx))
        .map(Html)
        .map_err(|e| {
            super::log_line(&format!("template {name}: {e:#}"));
            Failure::said(500, "template", &Msg::new("desk.fail.template"))
        })
}

fn page(a: &Auth, name: &str, path: &str, data: Value) -> Result<Html<String>, Failure> {
    render(name, common(a.lang, Some(&a.user), &a.csrf, path), data).map_err(|f| a.fail(f))
}

/// The page of a failure (as [`Failure`] answers a browser).
pub fn error_page(f: &Failure) -> String {
    render(
        "error.html",
        common(f.lang, None, "", "/"),
        context! { status => f.status.as_u16(), zh => &f.zh, en => &f.en },
    )
    .map(|h| h.0)
    .unwrap_or_else(|_| format!("{} {}", f.zh, f.en))
}

fn see_other(to: String) -> Response {
    Redirect::to(&to).into_response()
}

fn q(lang: Lang) -> &'static str {
    if lang == Lang::En {
        "?lang=en"
    } else {
        ""
    }
}

// ---- login ----

async fn login_form(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, Failure> {
    let lang = api::page_lang(&state, raw.as_deref());
    render(
        "login.html",
        common(lang, None, "", "/login"),
        context! { name => "" },
    )
}

async fn login(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    req: axum::extract::Request,
) -> Result<Response, Failure> {
    let lang = api::page_lang(&state, raw.as_deref());
    let (parts, body) = req.into_parts();
    let ctx = super::request_context(&parts);
    let bytes = axum::body::to_bytes(body, 64 << 10)
        .await
        .map_err(|_| Failure::bad_request(Msg::new("desk.fail.too-large")).as_page(lang))?;
    let form: HashMap<String, String> = api::serde_urlencoded(&String::from_utf8_lossy(&bytes))
        .map_err(|f| f.as_page(lang))?
        .into_iter()
        .collect();
    let name = form.get("name").cloned().unwrap_or_default();
    let password = form.get("password").cloned().unwrap_or_default();
    match api::log_in(&state, &ctx, &name, &password).await {
        Ok((_, token, _)) => {
            let mut r = see_other(format!("/{}", q(lang)));
            r.headers_mut().insert(
                header::SET_COOKIE,
                api::session_cookie(&state, &token)
                    .parse()
                    .expect("a cookie is a header value"),
            );
            Ok(r)
        }
        Err(f) if f.status.is_client_error() => {
            let status = f.status;
            let html = render(
                "login.html",
                common(lang, None, "", "/login"),
                context! { name => name, failure => context! { zh => f.zh, en => f.en } },
            )?;
            Ok((status, html).into_response())
        }
        Err(f) => Err(f.as_page(lang)),
    }
}

async fn logout(
    State(state): State<AppState>,
    a: Auth,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Failure> {
    a.check_csrf(form.get("csrf").map(String::as_str))?;
    api::log_out(&state, &a, &headers)
        .await
        .map_err(|f| a.fail(f))?;
    let mut r = see_other(format!("/login{}", q(a.lang)));
    r.headers_mut().insert(
        header::SET_COOKIE,
        api::session_cookie(&state, "")
            .parse()
            .expect("a cookie is a header value"),
    );
    Ok(r)
}

// ---- the queue ----

#[derive(Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    f: &'a super::store::Filing,
    created_at: String,
}

async fn queue(
    State(state): State<AppState>,
    a: Auth,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, Failure> {
    let query = api::queue_query(&a, raw.as_deref())?;
    let filings = api::queue(&state, &query).await.map_err(|f| a.fail(f))?;
    let rows: Vec<Row> = filings
        .iter()
        .map(|f| Row {
            f,
            created_at: super::time_of(f.created),
        })
        .collect();
    let pairs: HashMap<String, String> = api::serde_urlencoded(raw.as_deref().unwrap_or(""))
        .unwrap_or_default()
        .into_iter()
        .collect();
    page(
        &a,
        "queue.html",
        "/",
        context! {
            filings => rows,
            query => &query,
            from => pairs.get("from").cloned().unwrap_or_default(),
            to => pairs.get("to").cloned().unwrap_or_default(),
        },
    )
}

// ---- upload ----

async fn upload_form(
    State(state): State<AppState>,
    a: Auth,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, Failure> {
    a.require(a.user.role == Role::Applicant || a.user.role.is_staff())?;
    let mut filing = None;
    for (k, v) in api::serde_urlencoded(raw.as_deref().unwrap_or("")).map_err(|f| a.fail(f))? {
        if k == "filing" {
            let id = v.parse::<i64>().map_err(|_| a.fail(Failure::not_found()))?;
            filing = Some(api::visible_filing(&state, &a, id).await?);
        }
    }
    page(&a, "upload.html", "/upload", context! { filing => filing })
}

async fn upload(
    State(state): State<AppState>,
    a: Auth,
    headers: HeaderMap,
    mut form: Multipart,
) -> Result<Response, Failure> {
    let limit = state.settings.max_upload;
    let too_large = || {
        let (zh, en) = super::intake::Refusal::TooLarge {
            size: limit + 1,
            limit,
        }
        .words();
        a.fail(Failure::new(413, "upload-too-large", zh, en))
    };
    // A declared length over what a form with a file of the limit can be
    // (the file plus the form's other fields and boundaries) is refused
    // before any of the body is read, as the API route does: waiting for
    // it would hold the connection until the request time limit.
    let declared = super::header(&headers, "content-length").and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > (limit + super::FORM_OVERHEAD) as u64) {
        return Err(too_large());
    }
    let bad_form = || a.fail(Failure::bad_request(Msg::new("desk.fail.bad-form")));
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut file: Option<(String, String, Vec<u8>)> = None;
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(_) => return Err(bad_form()),
        };
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("").to_string();
            let content_type = field.content_type().unwrap_or("").to_string();
            let mut field = field;
            let mut bytes = Vec::new();
            loop {
                match field.chunk().await {
                    Ok(Some(c)) => {
                        if bytes.len() + c.len() > limit {
                            return Err(too_large());
                        }
                        bytes.extend_from_slice(&c);
                    }
                    Ok(None) => break,
                    Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                        return Err(too_large())
                    }
                    Err(_) => return Err(bad_form()),
                }
            }
            file = Some((file_name, content_type, bytes));
        } else {
            let text = field.text().await.map_err(|_| bad_form())?;
            if text.len() > 4096 {
                return Err(bad_form());
            }
            fields.insert(name, text);
        }
    }
    a.check_csrf(fields.get("csrf").map(String::as_str))?;
    let (file_name, content_type, bytes) = file.ok_or_else(|| {
        let (zh, en) = super::intake::Refusal::Empty.words();
        a.fail(Failure::new(400, "upload-empty", zh, en))
    })?;
    let filing = match fields
        .get("filing")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        Some(s) => Some(s.parse::<i64>().map_err(|_| a.fail(Failure::not_found()))?),
        None => None,
    };
    let up = api::take_upload(
        &state,
        &a,
        &file_name,
        &content_type,
        bytes,
        filing,
        fields.get("org").map(String::as_str),
    )
    .await
    .map_err(|f| a.fail(f))?;
    Ok(see_other(format!("/filings/{}{}", up.filing, q(a.lang))))
}

// ---- a filing ----

/// One piece of a source line: marked when a finding's value covers it,
/// with the finding numbers whose value ends there.
#[derive(Serialize, Debug, PartialEq)]
pub struct Seg {
    pub text: String,
    pub marks: bool,
    pub labels: Vec<usize>,
    pub title: String,
}

#[derive(Serialize, Debug, PartialEq)]
pub struct Line {
    pub no: usize,
    pub segs: Vec<Seg>,
}

/// The source cut into lines and pieces, each piece marked by the
/// findings whose values (byte spans of `text`) cover it.
pub fn highlight(text: &str, spans: &[(usize, usize, usize, String)]) -> Vec<Line> {
    let len = text.len();
    let spans: Vec<&(usize, usize, usize, String)> = spans
        .iter()
        .filter(|(s, e, _, _)| {
            s <= e && *e <= len && text.is_char_boundary(*s) && text.is_char_boundary(*e)
        })
        .collect();
    let mut cuts = std::collections::BTreeSet::from([0, len]);
    for (s, e, _, _) in &spans {
        cuts.insert(*s);
        cuts.insert(*e);
    }
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            cuts.insert(i + 1);
        }
    }
    let cuts: Vec<usize> = cuts.into_iter().collect();
    let mut lines = vec![Line {
        no: 1,
        segs: vec![],
    }];
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        // A value of no length (a missing one's place) is labelled where it is.
        for (_, _, n, title) in spans.iter().filter(|(s, e, _, _)| *s == a && *e == a) {
            let line = lines.last_mut().expect("one line at least");
            line.segs.push(Seg {
                text: String::new(),
                marks: true,
                labels: vec![*n],
                title: title.clone(),
            });
        }
        let piece = &text[a..b];
        let covering: Vec<&&(usize, usize, usize, String)> = spans
            .iter()
            .filter(|(s, e, _, _)| *s <= a && b <= *e && s < e)
            .collect();
        let mut labels: Vec<usize> = covering
            .iter()
            .filter(|(_, e, _, _)| *e == b)
            .map(|x| x.2)
            .collect();
        labels.dedup();
        let title = covering
            .iter()
            .map(|x| x.3.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        let newline = piece.ends_with('\n');
        let body = piece.trim_end_matches(['\n', '\r']).to_string();
        let line = lines.last_mut().expect("one line at least");
        if !body.is_empty() || !labels.is_empty() {
            line.segs.push(Seg {
                text: body,
                marks: !covering.is_empty(),
                labels,
                title,
            });
        }
        if newline && b < len {
            let no = line.no + 1;
            lines.push(Line { no, segs: vec![] });
        }
    }
    lines
}

/// The spans of the findings' offending values: (start, end, number, title).
fn finding_spans(findings: &[FindingView]) -> Vec<(usize, usize, usize, String)> {
    let mut out = Vec::new();
    for f in findings {
        let rule = f.finding.get("rule").and_then(|x| x.as_str()).unwrap_or("");
        for p in f
            .finding
            .get("primary")
            .and_then(|x| x.as_array())
            .into_iter()
            .flatten()
        {
            let loc = &p["location"];
            let (Some(s), Some(l)) = (loc["byte_offset"].as_u64(), loc["byte_length"].as_u64())
            else {
                continue;
            };
            let path = p["path"].as_str().unwrap_or("");
            out.push((
                s as usize,
                (s + l) as usize,
                f.number,
                format!("#{} {rule} {path}", f.number),
            ));
        }
    }
    out
}

async fn filing(
    State(state): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, Failure> {
    let mut version = None;
    for (k, v) in api::serde_urlencoded(raw.as_deref().unwrap_or("")).map_err(|f| a.fail(f))? {
        if k == "version" {
            version = Some(v.parse::<i64>().map_err(|_| a.fail(Failure::not_found()))?);
        }
    }
    let v = api::filing_view(&state, &a, id, version).await?;
    let lines = highlight(&v.text, &finding_spans(&v.findings));
    // The page's view: times as text beside the numbers.
    let mut value = serde_json::to_value(&v).unwrap_or_default();
    let stamp = |list: &mut serde_json::Value, key: &str| {
        if let Some(items) = list.as_array_mut() {
            for it in items {
                let t = it.get(key).and_then(|x| x.as_i64()).unwrap_or(0);
                it["created_at"] = super::time_of(t).into();
            }
        }
    };
    stamp(&mut value["versions"], "created");
    stamp(&mut value["comments"], "created");
    stamp(&mut value["decisions"], "created");
    if let Some(fs) = value["findings"].as_array_mut() {
        for f in fs {
            stamp(&mut f["comments"], "created");
        }
    }
    page(
        &a,
        "filing.html",
        &format!("/filings/{id}"),
        context! { v => Value::from_serialize(&value), lines => lines },
    )
}

async fn source(
    State(state): State<AppState>,
    a: Auth,
    Path((id, n)): Path<(i64, i64)>,
) -> Result<Response, Failure> {
    api::source_response(&state, &a, id, n)
        .await
        .map_err(|f| a.fail(f))
}

fn filing_page(id: i64, lang: Lang) -> Response {
    see_other(format!("/filings/{id}{}", q(lang)))
}

async fn comment(
    State(state): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Failure> {
    a.check_csrf(form.get("csrf").map(String::as_str))?;
    let c = CommentRequest {
        body: form.get("body").cloned().unwrap_or_default(),
        finding: form.get("finding").cloned().unwrap_or_default(),
    };
    api::add_comment(&state, &a, id, &c)
        .await
        .map_err(|f| a.fail(f))?;
    Ok(filing_page(id, a.lang))
}

async fn waiver(
    State(state): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Failure> {
    a.check_csrf(form.get("csrf").map(String::as_str))?;
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let rule_scope = get("scope") == "rule";
    let w = WaiverRequest {
        reason: get("reason"),
        expires: get("expires"),
        finding: if rule_scope {
            String::new()
        } else {
            get("finding")
        },
        rule: if rule_scope {
            get("rule")
        } else {
            String::new()
        },
    };
    api::grant_waiver(&state, &a, id, &w)
        .await
        .map_err(|f| a.fail(f))?;
    Ok(filing_page(id, a.lang))
}

async fn decision(
    State(state): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Failure> {
    a.check_csrf(form.get("csrf").map(String::as_str))?;
    let d = DecisionRequest {
        decision: form.get("decision").cloned().unwrap_or_default(),
        opinion: form.get("opinion").cloned().unwrap_or_default(),
    };
    api::decide(&state, &a, id, &d)
        .await
        .map_err(|f| a.fail(f))?;
    Ok(see_other(format!("/filings/{id}/opinion{}", q(a.lang))))
}

async fn opinion(
    State(state): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> Result<Html<String>, Failure> {
    let o = api::opinion_data(&state, &a, id).await?;
    page(
        &a,
        "opinion.html",
        &format!("/filings/{id}/opinion"),
        context! { o => o },
    )
}

// ---- ledger and audit exports ----

fn ledger_header(lang: Lang) -> Vec<&'static str> {
    [
        "intake_no",
        "applicant",
        "project",
        "submission_id",
        "plan",
        "status",
        "version",
        "findings",
        "created",
        "updated",
        "reviewer",
    ]
    .iter()
    .map(|k| words::named(k, lang))
    .collect()
}

fn ledger_cells(f: &super::store::Filing, lang: Lang) -> Vec<String> {
    vec![
        f.intake_no.clone(),
        f.org.clone(),
        f.project.clone(),
        f.submission_id.clone(),
        f.plan.clone(),
        words::named(&format!("st_{}", f.status), lang).to_string(),
        f.latest_version.to_string(),
        f.findings.to_string(),
        super::time_of(f.created),
        super::time_of(f.updated),
        f.reviewer.clone(),
    ]
}

/// Rows as CSV (the report's field rules: quoting, formulas defused),
/// with a BOM so that Excel reads the Chinese as UTF-8.
fn csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from("\u{FEFF}");
    let line = |cells: Vec<String>| cells.join(",") + "\r\n";
    out.push_str(&line(
        header
            .iter()
            .map(|h| crate::report::csv::field(h))
            .collect(),
    ));
    for r in rows {
        out.push_str(&line(
            r.iter().map(|c| crate::report::csv::field(c)).collect(),
        ));
    }
    out
}

fn download(body: impl IntoResponse, content_type: &'static str, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

async fn ledger_csv(
    State(state): State<AppState>,
    a: Auth,
    RawQuery(raw): RawQuery,
) -> Result<Response, Failure> {
    let rows = api::ledger_rows(&state, &a, raw.as_deref())
        .await
        .map_err(|f| a.fail(f))?;
    let cells: Vec<Vec<String>> = rows.iter().map(|f| ledger_cells(f, a.lang)).collect();
    Ok(download(
        csv(&ledger_header(a.lang), &cells),
        "text/csv; charset=utf-8",
        "ledger.csv",
    ))
}

async fn ledger_xlsx(
    State(state): State<AppState>,
    a: Auth,
    RawQuery(raw): RawQuery,
) -> Result<Response, Failure> {
    let rows = api::ledger_rows(&state, &a, raw.as_deref())
        .await
        .map_err(|f| a.fail(f))?;
    let header = ledger_header(a.lang);
    let cells: Vec<Vec<String>> = rows.iter().map(|f| ledger_cells(f, a.lang)).collect();
    let book = xlsx(words::named("ledger", a.lang), &header, &cells).map_err(|e| {
        a.fail(Failure::said(
            500,
            "xlsx",
            &Msg::new("desk.fail.xlsx").quote("why", e),
        ))
    })?;
    Ok(download(book, super::intake::XLSX_TYPE, "ledger.xlsx"))
}

/// One sheet of text cells (never formulas), the header bold and frozen.
fn xlsx(
    sheet: &str,
    header: &[&str],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet)?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
        ws.set_column_width(c as u16, 16)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, crate::report::human::sanitize(cell))?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}

// ---- admin ----

async fn users(State(state): State<AppState>, a: Auth) -> Result<Html<String>, Failure> {
    a.require(a.user.role == Role::Admin)?;
    let users = state.store.users().await.map_err(|e| a.fail(e.into()))?;
    page(
        &a,
        "users.html",
        "/admin/users",
        context! { users => users, roles => ["applicant", "reviewer", "approver", "admin"] },
    )
}

async fn create_user(
    State(state): State<AppState>,
    a: Auth,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Failure> {
    a.check_csrf(form.get("csrf").map(String::as_str))?;
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let u = UserRequest {
        name: get("name"),
        password: get("password"),
        role: get("role"),
        org: get("org"),
        display: get("display"),
    };
    api::add_user(&state, &a, &u).await.map_err(|f| a.fail(f))?;
    Ok(see_other(format!("/admin/users{}", q(a.lang))))
}

async fn update_user(
    State(state): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Failure> {
    a.check_csrf(form.get("csrf").map(String::as_str))?;
    let u = UserUpdate {
        role: form.get("role").cloned(),
        active: form.get("active").map(|v| v == "true"),
        password: form.get("password").cloned(),
    };
    api::change_user(&state, &a, id, &u)
        .await
        .map_err(|f| a.fail(f))?;
    Ok(see_other(format!("/admin/users{}", q(a.lang))))
}

async fn audit(
    State(state): State<AppState>,
    a: Auth,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, Failure> {
    let entries = api::audit_rows(&state, &a, raw.as_deref())
        .await
        .map_err(|f| a.fail(f))?;
    let mut value = serde_json::to_value(&entries).unwrap_or_default();
    if let Some(items) = value.as_array_mut() {
        for it in items {
            let t = it["at"].as_i64().unwrap_or(0);
            it["at_text"] = super::time_of(t).into();
        }
    }
    page(
        &a,
        "audit.html",
        "/admin/audit",
        context! { entries => Value::from_serialize(&value) },
    )
}

async fn audit_csv(
    State(state): State<AppState>,
    a: Auth,
    RawQuery(raw): RawQuery,
) -> Result<Response, Failure> {
    let entries = api::audit_rows(&state, &a, raw.as_deref())
        .await
        .map_err(|f| a.fail(f))?;
    let header = [
        "id",
        "time",
        "user",
        "action",
        "target",
        "detail",
        "ip",
        "request_id",
    ];
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            vec![
                e.id.to_string(),
                super::time_of(e.at),
                e.user.clone(),
                e.action.clone(),
                e.target.clone(),
                e.detail.clone(),
                e.ip.clone(),
                e.request_id.clone(),
            ]
        })
        .collect();
    Ok(download(
        csv(&header, &rows),
        "text/csv; charset=utf-8",
        "audit.csv",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlighting_cuts_lines_and_labels_values() {
        let text = "a: 1\nb: 22\nc: 3\n";
        let lines = highlight(text, &[(8, 10, 1, "#1".into()), (8, 9, 2, "#2".into())]);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1].no, 2);
        let segs = &lines[1].segs;
        let joined: String = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, "b: 22");
        assert_eq!(segs[1].text, "2");
        assert!(segs[1].marks);
        assert_eq!(segs[1].labels, vec![2]);
        assert_eq!(segs[2].text, "2");
        assert_eq!(segs[2].labels, vec![1]);
        // Unmarked lines keep their text whole.
        assert_eq!(lines[2].segs.len(), 1);
        assert!(!lines[2].segs[0].marks);
        // A span beyond the text, or inside a character, is left out.
        let lines = highlight(
            "名: 1",
            &[(1, 2, 1, String::new()), (0, 99, 2, String::new())],
        );
        assert!(lines[0].segs.iter().all(|s| !s.marks));
    }

    #[test]
    fn every_template_compiles() {
        for name in [
            "base.html",
            "error.html",
            "login.html",
            "queue.html",
            "upload.html",
            "filing.html",
            "opinion.html",
            "users.html",
            "audit.html",
        ] {
            assert!(env().get_template(name).is_ok(), "{name}");
        }
    }
}
