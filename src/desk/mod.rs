//! `peitao serve`: the bureau's review desk (docs/desk.md). The top layer:
//! it uses the library (check, review, report) and nothing below uses it.
//!
//! - [`store`]: the database (SQLite or PostgreSQL), migrations, audit log;
//! - [`auth`]: passwords, tokens, throttling;
//! - [`intake`]: an upload screened, checked and compared;
//! - [`api`]: the JSON routes; [`pages`]: the HTML ones; [`openapi`].

pub mod api;
pub mod auth;
pub mod intake;
pub mod openapi;
pub mod pages;
pub mod store;
mod words;

use crate::base::Text;
use crate::input::Msg;
use crate::plan::Lang;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use store::{AuditContext, Role, Store, User};

pub use intake::Office;

/// The name of the session cookie.
pub const COOKIE: &str = "peitao_session";
/// The largest upload by default: 4 MiB.
pub const DEFAULT_MAX_UPLOAD: usize = 4 << 20;

/// How the desk runs.
#[derive(Clone)]
pub struct Settings {
    pub office: Office,
    /// The pages' language when a request does not say (`?lang=`).
    pub lang: Lang,
    /// Mark the session cookie `Secure` (behind TLS).
    pub secure_cookies: bool,
    pub max_upload: usize,
    /// The office's name on the review opinion.
    pub office_name: String,
    /// How long a request may take (a slow upload is cut off after it).
    pub request_timeout: Duration,
    /// The office's `fail_on`: which findings fail a version's gate.
    pub fail_on: crate::report::FailOn,
}

pub struct State {
    pub store: Store,
    pub settings: Settings,
}

pub type AppState = Arc<State>;

/// Seconds since the epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The calendar day (UTC) of a time, `YYYY-MM-DD`.
pub fn day_of(secs: i64) -> String {
    crate::input::Date::from_days_since_epoch(secs.div_euclid(86_400)).to_string()
}

/// The time of `HH:MM` UTC of a time, for listing.
pub fn time_of(secs: i64) -> String {
    let s = secs.rem_euclid(86_400);
    format!("{} {:02}:{:02}", day_of(secs), s / 3600, s % 3600 / 60)
}

/// Days since the epoch of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The first second of a `YYYY-MM-DD` day (UTC); `None` for anything else.
pub fn day_start(day: &str) -> Option<i64> {
    let d = crate::input::Date::parse(day, false).ok()?;
    let dd = d.day?;
    Some(days_from_civil(d.year.into(), d.month.into(), dd.into()) * 86_400)
}

/// A request's language: `?lang=zh|en`, else the desk's.
pub fn lang_of(query: Option<&str>, default: Lang) -> Lang {
    for pair in query.unwrap_or("").split('&') {
        match pair {
            "lang=en" => return Lang::En,
            "lang=zh" => return Lang::Zh,
            _ => {}
        }
    }
    default
}

/// An error answered to a request: status, a code, and words in both
/// languages (JSON for the API, a page for the browser).
#[derive(Debug)]
pub struct Failure {
    pub status: StatusCode,
    pub code: &'static str,
    pub zh: String,
    pub en: String,
    /// Answer with a page (else JSON).
    pub page: bool,
    pub lang: Lang,
}

impl Failure {
    pub fn new(
        status: u16,
        code: &'static str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Failure {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            code,
            zh: zh.into(),
            en: en.into(),
            page: false,
            lang: Lang::Zh,
        }
    }

    /// A failure in the catalogue's words ([`crate::base::text`]).
    pub fn said(status: u16, code: &'static str, words: &Msg) -> Self {
        let Text { zh, en } = crate::base::text::both(words);
        Failure::new(status, code, zh, en)
    }

    pub fn not_found() -> Self {
        Failure::said(404, "not-found", &Msg::new("desk.fail.not-found"))
    }

    pub fn forbidden() -> Self {
        Failure::said(403, "forbidden", &Msg::new("desk.fail.forbidden"))
    }

    pub fn bad_csrf() -> Self {
        Failure::said(403, "csrf", &Msg::new("desk.fail.csrf"))
    }

    pub fn bad_request(words: Msg) -> Self {
        Failure::said(400, "bad-request", &words)
    }

    pub fn store(e: store::StoreError) -> Self {
        // The driver's words stay in the server's log, not the answer.
        log_line(&format!("database error: {e}"));
        Failure::said(500, "database", &Msg::new("desk.fail.database"))
    }

    pub fn as_page(mut self, lang: Lang) -> Self {
        self.page = true;
        self.lang = lang;
        self
    }
}

impl From<store::StoreError> for Failure {
    fn from(e: store::StoreError) -> Self {
        Failure::store(e)
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        if self.page {
            return (self.status, axum::response::Html(pages::error_page(&self))).into_response();
        }
        let body = serde_json::json!({"error": {"code": self.code, "zh": self.zh, "en": self.en}});
        (self.status, axum::Json(body)).into_response()
    }
}

/// Write one line to the server's standard error (never panicking on a
/// closed stream).
pub fn log_line(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// How a request proved who it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    Session,
    Bearer,
}

/// The user of a request, with the session's CSRF token and what the
/// audit log records of the request.
#[derive(Clone, Debug)]
pub struct Auth {
    pub user: User,
    pub csrf: String,
    pub via: Via,
    pub audit: AuditContext,
    pub lang: Lang,
    pub page: bool,
}

impl Auth {
    /// Whether this user may see this organisation's filing.
    pub fn may_see(&self, org: &str) -> bool {
        self.user.role.is_staff() || self.user.org == org
    }

    /// A cookie-authenticated write must carry the session's token (a
    /// form's `csrf` field, or header `X-CSRF-Token`); a bearer token needs none.
    pub fn check_csrf(&self, given: Option<&str>) -> Result<(), Failure> {
        match (self.via, given) {
            (Via::Bearer, _) => Ok(()),
            (Via::Session, Some(t)) if auth::same_secret(t, &self.csrf) => Ok(()),
            _ => Err(self.fail(Failure::bad_csrf())),
        }
    }

    /// The failure, as a page or JSON as the request was.
    pub fn fail(&self, f: Failure) -> Failure {
        if self.page {
            f.as_page(self.lang)
        } else {
            f
        }
    }

    pub fn require(&self, ok: bool) -> Result<(), Failure> {
        if ok {
            Ok(())
        } else {
            Err(self.fail(Failure::forbidden()))
        }
    }
}

/// What any request carries for the audit log: its id and address.
pub fn request_context(parts: &Parts) -> AuditContext {
    AuditContext {
        user_id: None,
        user_name: String::new(),
        request_id: header(&parts.headers, "x-request-id").unwrap_or_default(),
        ip: parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "local".into()),
    }
}

pub fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The session token of the request's cookie, if any.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    for value in headers.get_all(axum::http::header::COOKIE) {
        let Ok(v) = value.to_str() else { continue };
        for pair in v.split(';') {
            if let Some((k, t)) = pair.trim().split_once('=') {
                if k == COOKIE && !t.is_empty() {
                    return Some(t.to_string());
                }
            }
        }
    }
    None
}

/// The answer to a request nobody is logged in for: the login page for a
/// browser, 401 for the API.
pub struct Unauthenticated {
    page: bool,
    lang: Lang,
    failure: Option<Failure>,
}

impl IntoResponse for Unauthenticated {
    fn into_response(self) -> Response {
        if let Some(f) = self.failure {
            return f.into_response();
        }
        if self.page {
            let to = if self.lang == Lang::En {
                "/login?lang=en"
            } else {
                "/login"
            };
            Redirect::to(to).into_response()
        } else {
            Failure::said(401, "unauthenticated", &Msg::new("desk.fail.log-in-first"))
                .into_response()
        }
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = Unauthenticated;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let page = !parts.uri.path().starts_with("/api/");
        let lang = lang_of(parts.uri.query(), state.settings.lang);
        let mut audit = request_context(parts);
        let reject = |failure: Option<Failure>| Unauthenticated {
            page,
            lang,
            failure,
        };
        let bearer = header(&parts.headers, "authorization")
            .and_then(|h| h.strip_prefix("Bearer ").map(|t| t.trim().to_string()));
        let (user, csrf, via) = if let Some(token) = bearer {
            match state.store.token_user(&auth::token_hash(&token)).await {
                Ok(Some(u)) => (u, String::new(), Via::Bearer),
                Ok(None) => return Err(reject(None)),
                Err(e) => return Err(reject(Some(Failure::store(e)))),
            }
        } else if let Some(token) = session_cookie(&parts.headers) {
            match state.store.session(&auth::token_hash(&token), now()).await {
                Ok(Some((u, csrf))) => (u, csrf, Via::Session),
                Ok(None) => return Err(reject(None)),
                Err(e) => return Err(reject(Some(Failure::store(e)))),
            }
        } else {
            return Err(reject(None));
        };
        audit.user_id = Some(user.id);
        audit.user_name = user.name.clone();
        Ok(Auth {
            user,
            csrf,
            via,
            audit,
            lang,
            page,
        })
    }
}

/// What a form upload may carry besides its file: the other fields (each at
/// most 4 KiB) and the multipart boundaries.
pub(crate) const FORM_OVERHEAD: usize = 256 << 10;

/// The whole desk: pages, API, and the layers every request passes
/// (request id, time limit).
pub fn router(state: AppState) -> Router {
    use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
    let timeout = state.settings.request_timeout;
    let body_limit = state.settings.max_upload + FORM_OVERHEAD;
    Router::new()
        .merge(pages::routes())
        .merge(api::routes())
        .layer(axum::extract::DefaultBodyLimit::max(body_limit))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(axum::middleware::map_response(security_headers))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// Headers every answer carries: no framing, no sniffing, no scripts
/// from elsewhere.
async fn security_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static("default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'none'; frame-ancestors 'none'"),
    );
    if !h.contains_key(axum::http::header::CACHE_CONTROL) {
        h.insert(
            axum::http::header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        );
    }
    r
}

/// Open the store and serve on `addr` until the process ends; `ready`
/// is told the address actually bound.
pub async fn serve(
    db: &str,
    addr: &str,
    settings: Settings,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), String> {
    let store = Store::open(db)
        .await
        .map_err(|e| format!("cannot open the database {}: {e}", redact(db)))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let head_timeout = settings.request_timeout.min(HEAD_TIMEOUT);
    let state = Arc::new(State { store, settings });
    let app = router(state);
    ready(local);
    accept_loop(listener, app, head_timeout, shutdown()).await;
    Ok(())
}

/// The longest a client may take to send a request's head (line and
/// headers); the body is bounded by `--request-timeout` (the TimeoutLayer).
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(30);

/// Serve connections until `stop` completes, then let requests under way
/// finish. Each connection is hyper's HTTP/1 with a timer, so a client
/// that trickles its request head (slowloris) is dropped after
/// `head_timeout`: `axum::serve` sets no timer, and without one hyper's
/// header read timeout does nothing, so the request timeout (which starts
/// only once the head is read) never saw such a client.
pub async fn accept_loop(
    listener: tokio::net::TcpListener,
    app: Router,
    head_timeout: Duration,
    stop: impl std::future::Future<Output = ()>,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;
    let (closing, closed) = tokio::sync::watch::channel(false);
    let mut running = tokio::task::JoinSet::new();
    tokio::pin!(stop);
    loop {
        let (stream, remote) = tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok(c) => c,
                Err(e) => {
                    // Out of descriptors and the like: wait, do not spin.
                    log_line(&format!("accept: {e}"));
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        while running.try_join_next().is_some() {}
        let app =
            app.clone()
                .map_request(move |mut req: axum::http::Request<hyper::body::Incoming>| {
                    req.extensions_mut().insert(ConnectInfo(remote));
                    req.map(axum::body::Body::new)
                });
        let mut closed = closed.clone();
        running.spawn(async move {
            let service = hyper_util::service::TowerToHyperService::new(app);
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(head_timeout)
                .serve_connection(TokioIo::new(stream), service);
            tokio::pin!(conn);
            let stopping = tokio::select! {
                _ = conn.as_mut() => false,
                r = closed.wait_for(|c| *c) => r.is_ok(),
            };
            if stopping {
                conn.as_mut().graceful_shutdown();
                let _ = conn.await;
            }
        });
    }
    drop(listener);
    let _ = closing.send(true);
    while running.join_next().await.is_some() {}
}

/// Ctrl-C, or SIGTERM (what a service manager sends): requests under way
/// finish, new ones are refused.
async fn shutdown() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Create the first administrator (or reset an administrator's password).
pub async fn init_admin(db: &str, name: &str, password: &str) -> Result<(), String> {
    if name.trim().is_empty() || password.len() < 8 {
        return Err(
            "the administrator needs a name and a password of at least 8 characters".into(),
        );
    }
    let store = Store::open(db)
        .await
        .map_err(|e| format!("cannot open the database {}: {e}", redact(db)))?;
    let hash = auth::hash_password(password);
    let ctx = AuditContext {
        user_name: "peitao serve --init-admin".into(),
        request_id: "cli".into(),
        ip: "local".into(),
        ..Default::default()
    };
    let created = store
        .create_user(
            &store::NewUser {
                name,
                display: name,
                role: Role::Admin,
                org: "",
                password_hash: &hash,
            },
            now(),
        )
        .await
        .map_err(|e| e.to_string())?;
    let (action, detail) = match created {
        Some(id) => ("user_create", format!("user {id} {name} role admin")),
        None => {
            let (u, _) = store
                .user_by_name(name)
                .await
                .map_err(|e| e.to_string())?
                .ok_or("the user vanished")?;
            store
                .update_user(u.id, Some(Role::Admin), Some(true), Some(&hash))
                .await
                .map_err(|e| e.to_string())?;
            (
                "user_update",
                format!("user {} {name} role admin password reset", u.id),
            )
        }
    };
    store
        .audit(&ctx, now(), action, name, &detail)
        .await
        .map_err(|e| e.to_string())?;
    store.close().await;
    Ok(())
}

/// A database address without its password, for messages.
pub fn redact(db: &str) -> String {
    match (db.find("://"), db.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let cred = &db[s + 3..at];
            match cred.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &db[..s + 3], &db[at..]),
                None => db.to_string(),
            }
        }
        _ => db.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip() {
        for d in [0i64, 1, 59, 365, 10_957, 20_000, 20_454] {
            let s = day_of(d * 86_400);
            assert_eq!(day_start(&s), Some(d * 86_400), "{s}");
        }
        assert_eq!(day_start("2026-02-30"), None);
        assert_eq!(day_start("2026-02"), None);
    }

    #[test]
    fn passwords_leave_database_addresses() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("desk.sqlite3"), "desk.sqlite3");
    }
}
