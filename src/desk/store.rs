//! The desk's database: one `Store` over SQLite (a file) or PostgreSQL,
//! through sqlx's `Any` driver, so every query below is written once and
//! runs on both (`$1` placeholders, `RETURNING`, `ON CONFLICT` are common
//! to both). Only the table definitions differ (the id column, the bytes
//! column, the audit log's guard triggers).
//!
//! Every write that must be whole (an upload: filing, version, findings,
//! audit; a decision: row, status, audit) is one transaction whose first
//! statement writes, so SQLite takes its write lock at once (waiting on
//! the busy timeout) instead of failing to upgrade a read lock.
//!
//! The audit table is append-only: no function here updates or deletes it,
//! and the database refuses both (triggers on SQLite and PostgreSQL).

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};
use std::fmt;

/// The schema's version: raised with each migration below.
pub const SCHEMA_VERSION: i64 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A failure of the database, said as the driver says it.
#[derive(Debug)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError(e.to_string())
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// The four roles of docs/desk.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Applicant,
    Reviewer,
    Approver,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Applicant => "applicant",
            Role::Reviewer => "reviewer",
            Role::Approver => "approver",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "applicant" => Role::Applicant,
            "reviewer" => Role::Reviewer,
            "approver" => Role::Approver,
            "admin" => Role::Admin,
            _ => return None,
        })
    }

    /// Reviewer, approver or admin: the bureau's staff, who see every filing.
    pub fn is_staff(self) -> bool {
        self >= Role::Reviewer
    }

    pub fn grants_waivers(self) -> bool {
        self >= Role::Approver
    }
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub display: String,
    pub role: Role,
    pub org: String,
    pub active: bool,
    pub created: i64,
}

#[derive(Clone, Debug)]
pub struct NewUser<'a> {
    pub name: &'a str,
    pub display: &'a str,
    pub role: Role,
    pub org: &'a str,
    pub password_hash: &'a str,
}

/// One filing as the queue lists it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Filing {
    pub id: i64,
    pub intake_no: String,
    pub org: String,
    pub plan: String,
    pub project: String,
    pub submission_id: String,
    /// `submitted`, `invalid`, `approved`, `correction`, `rejected`.
    pub status: String,
    pub latest_version: i64,
    pub created: i64,
    pub updated: i64,
    pub created_by: String,
    /// Who recorded the last decision, if anyone.
    pub reviewer: String,
    /// Findings of the latest version that no waiver in force covers (the
    /// config's at check time, or the desk's today).
    pub findings: i64,
    /// Of those, the errors.
    pub open_errors: i64,
    /// Whether the latest version could be read.
    pub latest_valid: bool,
    /// The latest version's file status (`clean`, `findings`, `no_rule_applies`, …).
    pub latest_file_status: String,
    /// The office's gate on the latest version (`pass`, `fail`,
    /// `not_checked`): set by the desk from `fail_on`, empty from the store.
    pub gate: &'static str,
}

/// One version of a filing, without its bytes.
#[derive(Clone, Debug, serde::Serialize)]
pub struct VersionInfo {
    pub id: i64,
    pub number: i64,
    pub file_name: String,
    pub content_type: String,
    pub sha256: String,
    pub size: i64,
    /// The report's status of the file: `clean`, `findings`, `invalid` …
    pub file_status: String,
    pub valid: bool,
    pub fixed: i64,
    pub new: i64,
    pub unchanged: i64,
    pub created: i64,
    pub created_by: String,
}

/// A version with what it holds.
#[derive(Clone, Debug)]
pub struct Version {
    pub info: VersionInfo,
    pub bytes: Vec<u8>,
    /// The text the report's spans refer to (transcoded, or a workbook's
    /// canonical text).
    pub text: String,
    /// The JSON report of this file (`peitao check --format json`), in
    /// the desk's language.
    pub report: String,
    /// The same report in the other language (zh ↔ en).
    pub report_other: String,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct FindingRow {
    pub id: i64,
    pub idx: i64,
    pub rule: String,
    pub severity: String,
    pub status: String,
    pub subject: String,
    pub message: String,
    pub fingerprint: String,
    /// `new`, `unchanged`, or empty for a first version.
    pub baseline: String,
    pub waived: bool,
}

/// A finding to store with a version.
#[derive(Clone, Debug)]
pub struct NewFinding {
    pub rule: String,
    pub severity: String,
    pub status: String,
    pub subject: String,
    pub message: String,
    pub fingerprint: String,
    pub baseline: String,
    pub waived: bool,
}

/// What an upload stores, all or nothing.
#[derive(Clone, Debug)]
pub struct NewVersion {
    /// `Some(id)`: a resubmission of that filing, which must still have
    /// `expected_latest` as its latest version (else [`Stored::Stale`]).
    pub filing: Option<i64>,
    pub expected_latest: i64,
    pub org: String,
    pub plan: String,
    pub project: String,
    pub submission_id: String,
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub sha256: String,
    pub text: String,
    pub valid: bool,
    pub file_status: String,
    pub report: String,
    pub report_other: String,
    pub findings: Vec<NewFinding>,
    pub fixed: i64,
    pub new: i64,
    pub unchanged: i64,
    pub user_id: i64,
    pub now: i64,
    /// The calendar year of the intake number (`PT-2026-…`).
    pub year: i32,
    pub audit: AuditContext,
}

/// The outcome of [`Store::store_version`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stored {
    Done {
        filing: i64,
        intake_no: String,
        version: i64,
    },
    /// Another version was stored since the caller compared with the
    /// latest: compare again.
    Stale,
    /// No such filing.
    NoFiling,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Comment {
    pub id: i64,
    pub filing: i64,
    /// The finding's fingerprint, empty for the filing as a whole.
    pub finding: String,
    pub user: String,
    pub body: String,
    pub created: i64,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct WaiverRow {
    pub id: i64,
    pub filing: i64,
    /// `finding` or `rule`.
    pub scope: String,
    pub rule: String,
    /// For scope `finding`: its fingerprint and subject.
    pub fingerprint: String,
    pub subject: String,
    pub reason: String,
    /// YYYY-MM-DD, valid through that day.
    pub expires: String,
    pub approver: String,
    pub created: i64,
}

#[derive(Clone, Debug)]
pub struct NewWaiver<'a> {
    pub filing: i64,
    pub scope: &'a str,
    pub rule: &'a str,
    pub fingerprint: &'a str,
    pub subject: &'a str,
    pub reason: &'a str,
    pub expires: &'a str,
    pub approver: i64,
    pub now: i64,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Decision {
    pub id: i64,
    pub filing: i64,
    pub version: i64,
    /// `approve`, `correct`, `reject`.
    pub decision: String,
    pub opinion: String,
    pub user: String,
    pub user_display: String,
    pub created: i64,
}

/// Who did something, in which request: what every audit entry carries.
#[derive(Clone, Debug, Default)]
pub struct AuditContext {
    pub user_id: Option<i64>,
    pub user_name: String,
    pub request_id: String,
    pub ip: String,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub user: String,
    pub request_id: String,
    pub ip: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

/// The queue's filters (docs/desk.md); empty strings filter nothing.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct Query {
    pub plan: String,
    pub status: String,
    /// An organisation.
    pub applicant: String,
    /// A reviewer's user name (who decided).
    pub reviewer: String,
    /// Unix seconds, inclusive; 0: no bound.
    #[serde(skip)]
    pub from: i64,
    /// Unix seconds, exclusive; 0: no bound.
    #[serde(skip)]
    pub to: i64,
    /// Intake number, project name or submission id (a substring).
    pub q: String,
    /// Only this organisation's (an applicant's view); set by the server,
    /// never by the request.
    #[serde(skip)]
    pub only_org: Option<String>,
}

const SQLITE_ID: &str = "INTEGER PRIMARY KEY AUTOINCREMENT";
const PG_ID: &str = "BIGSERIAL PRIMARY KEY";

/// The tables, with `{ID}` and `{BLOB}` for what differs.
const TABLES: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS users (
        id {ID}, name TEXT NOT NULL UNIQUE, display TEXT NOT NULL, role TEXT NOT NULL,
        org TEXT NOT NULL, password_hash TEXT NOT NULL, active BIGINT NOT NULL,
        created BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sessions (
        token_hash TEXT PRIMARY KEY, user_id BIGINT NOT NULL, csrf TEXT NOT NULL,
        expires BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS api_tokens (
        token_hash TEXT PRIMARY KEY, user_id BIGINT NOT NULL, name TEXT NOT NULL,
        created BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS login_failures (
        id {ID}, name TEXT NOT NULL, ip TEXT NOT NULL, at BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS filings (
        id {ID}, intake_no TEXT NOT NULL UNIQUE, org TEXT NOT NULL, plan TEXT NOT NULL,
        project TEXT NOT NULL, submission_id TEXT NOT NULL, status TEXT NOT NULL,
        latest_version BIGINT NOT NULL, created BIGINT NOT NULL, updated BIGINT NOT NULL,
        created_by BIGINT NOT NULL, reviewer_id BIGINT)",
    "CREATE TABLE IF NOT EXISTS versions (
        id {ID}, filing_id BIGINT NOT NULL, number BIGINT NOT NULL, file_name TEXT NOT NULL,
        content_type TEXT NOT NULL, bytes {BLOB} NOT NULL, sha256 TEXT NOT NULL,
        size BIGINT NOT NULL, text TEXT NOT NULL, valid BIGINT NOT NULL,
        file_status TEXT NOT NULL, report TEXT NOT NULL, report_other TEXT NOT NULL,
        fixed BIGINT NOT NULL,
        new BIGINT NOT NULL, unchanged BIGINT NOT NULL, created BIGINT NOT NULL,
        created_by BIGINT NOT NULL, UNIQUE (filing_id, number))",
    "CREATE TABLE IF NOT EXISTS findings (
        id {ID}, version_id BIGINT NOT NULL, filing_id BIGINT NOT NULL, idx BIGINT NOT NULL,
        rule TEXT NOT NULL, severity TEXT NOT NULL, status TEXT NOT NULL,
        subject TEXT NOT NULL, message TEXT NOT NULL, fingerprint TEXT NOT NULL,
        baseline TEXT NOT NULL, waived BIGINT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS findings_version ON findings (version_id)",
    "CREATE TABLE IF NOT EXISTS comments (
        id {ID}, filing_id BIGINT NOT NULL, finding TEXT NOT NULL, user_id BIGINT NOT NULL,
        body TEXT NOT NULL, created BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS waivers (
        id {ID}, filing_id BIGINT NOT NULL, scope TEXT NOT NULL, rule TEXT NOT NULL,
        fingerprint TEXT NOT NULL, subject TEXT NOT NULL, reason TEXT NOT NULL,
        expires TEXT NOT NULL, approver_id BIGINT NOT NULL, created BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS decisions (
        id {ID}, filing_id BIGINT NOT NULL, version BIGINT NOT NULL, decision TEXT NOT NULL,
        opinion TEXT NOT NULL, user_id BIGINT NOT NULL, created BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS audit (
        id {ID}, at BIGINT NOT NULL, user_id BIGINT, user_name TEXT NOT NULL,
        request_id TEXT NOT NULL, ip TEXT NOT NULL, action TEXT NOT NULL,
        target TEXT NOT NULL, detail TEXT NOT NULL)",
];

/// The audit log's guards: the database refuses to change or remove an entry.
const SQLITE_GUARDS: &[&str] = &[
    "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
     BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
     BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
];

const PG_GUARDS: &[&str] = &[
    "CREATE OR REPLACE FUNCTION peitao_audit_append_only() RETURNS trigger AS $$
     BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
     FOR EACH ROW EXECUTE FUNCTION peitao_audit_append_only()",
    "CREATE OR REPLACE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
     FOR EACH STATEMENT EXECUTE FUNCTION peitao_audit_append_only()",
];

/// The advisory lock key migrations take on PostgreSQL ("peitao" in ASCII).
const MIGRATION_LOCK: i64 = 0x7065_6974_616f;

#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Open (creating a SQLite file when missing) and migrate. `db` is a
    /// path, `sqlite:…`, or `postgres://…` / `postgresql://…`.
    pub async fn open(db: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let (url, backend) = if db.starts_with("postgres://") || db.starts_with("postgresql://") {
            (db.to_string(), Backend::Postgres)
        } else if db.starts_with("sqlite:") {
            (db.to_string(), Backend::Sqlite)
        } else {
            // The URL's path is percent-decoded: a file name may hold `%`, `?`, `#`.
            let path = db
                .replace('%', "%25")
                .replace('?', "%3F")
                .replace('#', "%23");
            (format!("sqlite://{path}?mode=rwc"), Backend::Sqlite)
        };
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 4,
                Backend::Postgres => 8,
            })
            .acquire_timeout(std::time::Duration::from_secs(30))
            .connect(&url)
            .await?;
        let store = Store { pool, backend };
        store.migrate().await?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Create what is missing; safe to run at every start, and by several
    /// instances at once (PostgreSQL: under an advisory lock).
    pub async fn migrate(&self) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        let (id, blob, guards) = match self.backend {
            Backend::Sqlite => {
                // WAL: readers do not wait for the writer; kept in the file.
                sqlx::query("PRAGMA journal_mode=WAL")
                    .fetch_optional(&mut *conn)
                    .await?;
                (SQLITE_ID, "BLOB", SQLITE_GUARDS)
            }
            Backend::Postgres => {
                sqlx::query("SELECT 1 AS one FROM pg_advisory_lock($1)")
                    .bind(MIGRATION_LOCK)
                    .execute(&mut *conn)
                    .await?;
                (PG_ID, "BYTEA", PG_GUARDS)
            }
        };
        let result = async {
            for t in TABLES {
                let sql = t.replace("{ID}", id).replace("{BLOB}", blob);
                sqlx::query(&sql).execute(&mut *conn).await?;
            }
            for g in guards {
                sqlx::query(g).execute(&mut *conn).await?;
            }
            let have: Option<i64> = sqlx::query("SELECT MAX(version) AS v FROM schema_version")
                .fetch_one(&mut *conn)
                .await?
                .try_get("v")?;
            if have.is_none() {
                sqlx::query("INSERT INTO schema_version (version) VALUES ($1)")
                    .bind(SCHEMA_VERSION)
                    .execute(&mut *conn)
                    .await?;
            }
            Ok::<(), sqlx::Error>(())
        }
        .await;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT 1 AS one FROM pg_advisory_unlock($1)")
                .bind(MIGRATION_LOCK)
                .execute(&mut *conn)
                .await?;
        }
        Ok(result?)
    }

    pub async fn schema_version(&self) -> Result<i64> {
        let v: Option<i64> = sqlx::query("SELECT MAX(version) AS v FROM schema_version")
            .fetch_one(&self.pool)
            .await?
            .try_get("v")?;
        Ok(v.unwrap_or(0))
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    // ---- users ----

    /// A new user; `None` when the name is taken.
    pub async fn create_user(&self, u: &NewUser<'_>, now: i64) -> Result<Option<i64>> {
        let row = sqlx::query(
            "INSERT INTO users (name, display, role, org, password_hash, active, created)
             VALUES ($1, $2, $3, $4, $5, 1, $6) ON CONFLICT (name) DO NOTHING RETURNING id",
        )
        .bind(text(u.name))
        .bind(text(u.display))
        .bind(u.role.as_str())
        .bind(text(u.org))
        .bind(text(u.password_hash))
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some(r) => Some(r.try_get("id")?),
            None => None,
        })
    }

    /// The user of this name and their password hash.
    pub async fn user_by_name(&self, name: &str) -> Result<Option<(User, String)>> {
        let row = sqlx::query(&format!("{USER_COLUMNS} FROM users WHERE name = $1"))
            .bind(text(name))
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((user(&r)?, r.try_get("password_hash")?)))
            .transpose()
    }

    pub async fn user(&self, id: i64) -> Result<Option<User>> {
        let row = sqlx::query(&format!("{USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| user(&r)).transpose()
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query(&format!("{USER_COLUMNS} FROM users ORDER BY id"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(user).collect()
    }

    /// Change a user's role, whether they may log in, or their password;
    /// a deactivated user's sessions and tokens end. False: no such user.
    pub async fn update_user(
        &self,
        id: i64,
        role: Option<Role>,
        active: Option<bool>,
        password_hash: Option<&str>,
    ) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE users SET role = COALESCE($1, role), active = COALESCE($2, active),
             password_hash = COALESCE($3, password_hash) WHERE id = $4",
        )
        .bind(role.map(Role::as_str))
        .bind(active.map(i64::from))
        .bind(password_hash.map(text))
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if active == Some(false) || password_hash.is_some() {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        if active == Some(false) {
            sqlx::query("DELETE FROM api_tokens WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(done)
    }

    // ---- sessions, tokens, throttling ----

    pub async fn create_session(
        &self,
        token_hash: &str,
        user: i64,
        csrf: &str,
        expires: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf, expires) VALUES ($1, $2, $3, $4)",
        )
        .bind(text(token_hash))
        .bind(user)
        .bind(text(csrf))
        .bind(expires)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The active user of a session not expired at `now`, and its CSRF token.
    pub async fn session(&self, token_hash: &str, now: i64) -> Result<Option<(User, String)>> {
        let row = sqlx::query(&format!(
            "{USER_COLUMNS_U}, s.csrf AS csrf FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires > $2 AND u.active = 1"
        ))
        .bind(text(token_hash))
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((user(&r)?, r.try_get("csrf")?))).transpose()
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(text(token_hash))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn create_token(
        &self,
        token_hash: &str,
        user: i64,
        name: &str,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO api_tokens (token_hash, user_id, name, created) VALUES ($1, $2, $3, $4)",
        )
        .bind(text(token_hash))
        .bind(user)
        .bind(text(name))
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn token_user(&self, token_hash: &str) -> Result<Option<User>> {
        let row = sqlx::query(&format!(
            "{USER_COLUMNS_U} FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = $1 AND u.active = 1"
        ))
        .bind(text(token_hash))
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| user(&r)).transpose()
    }

    pub async fn record_login_failure(&self, name: &str, ip: &str, now: i64) -> Result<()> {
        sqlx::query("INSERT INTO login_failures (name, ip, at) VALUES ($1, $2, $3)")
            .bind(text(name))
            .bind(text(ip))
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn login_failures_since(&self, name: &str, ip: &str, since: i64) -> Result<i64> {
        Ok(sqlx::query(
            "SELECT COUNT(*) AS n FROM login_failures WHERE name = $1 AND ip = $2 AND at >= $3",
        )
        .bind(text(name))
        .bind(text(ip))
        .bind(since)
        .fetch_one(&self.pool)
        .await?
        .try_get("n")?)
    }

    pub async fn clear_login_failures(&self, name: &str, ip: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_failures WHERE name = $1 AND ip = $2")
            .bind(text(name))
            .bind(text(ip))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    // ---- filings ----

    /// Store an upload whole: the filing (new, with its intake number) or
    /// its next version, the findings and the audit entries, in one
    /// transaction.
    pub async fn store_version(&self, v: &NewVersion) -> Result<Stored> {
        let mut tx = self.pool.begin().await?;
        // The first statement writes (see the module's note).
        let (filing, intake_no, number) = match v.filing {
            None => {
                let n: i64 = sqlx::query(
                    "INSERT INTO counters (name, value) VALUES ($1, 1)
                     ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value",
                )
                .bind(format!("intake-{}", v.year))
                .fetch_one(&mut *tx)
                .await?
                .try_get("value")?;
                let intake_no = format!("PT-{:04}-{n:06}", v.year);
                let id: i64 = sqlx::query(
                    "INSERT INTO filings (intake_no, org, plan, project, submission_id, status,
                     latest_version, created, updated, created_by)
                     VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7, $8) RETURNING id",
                )
                .bind(&intake_no)
                .bind(text(&v.org))
                .bind(text(&v.plan))
                .bind(text(&v.project))
                .bind(text(&v.submission_id))
                .bind(if v.valid { "submitted" } else { "invalid" })
                .bind(v.now)
                .bind(v.user_id)
                .fetch_one(&mut *tx)
                .await?
                .try_get("id")?;
                (id, intake_no, 1)
            }
            Some(id) => {
                // Bumping the version locks the filing's row (PostgreSQL)
                // or the database (SQLite) until the commit.
                let row = sqlx::query(
                    "UPDATE filings SET latest_version = latest_version + 1, updated = $1,
                     status = $2, plan = $3, project = $4, submission_id = $5
                     WHERE id = $6 AND latest_version = $7 RETURNING intake_no, latest_version",
                )
                .bind(v.now)
                .bind(if v.valid { "submitted" } else { "invalid" })
                .bind(text(&v.plan))
                .bind(text(&v.project))
                .bind(text(&v.submission_id))
                .bind(id)
                .bind(v.expected_latest)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(row) = row else {
                    let exists = sqlx::query("SELECT id FROM filings WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?
                        .is_some();
                    tx.rollback().await?;
                    return Ok(if exists {
                        Stored::Stale
                    } else {
                        Stored::NoFiling
                    });
                };
                (
                    id,
                    row.try_get("intake_no")?,
                    row.try_get("latest_version")?,
                )
            }
        };
        let version: i64 = sqlx::query(
            "INSERT INTO versions (filing_id, number, file_name, content_type, bytes, sha256,
             size, text, valid, file_status, report, report_other, fixed, new, unchanged, created,
             created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
             RETURNING id",
        )
        .bind(filing)
        .bind(number)
        .bind(text(&v.file_name))
        .bind(text(&v.content_type))
        .bind(v.bytes.clone())
        .bind(text(&v.sha256))
        .bind(v.bytes.len() as i64)
        .bind(text(&v.text))
        .bind(i64::from(v.valid))
        .bind(text(&v.file_status))
        .bind(text(&v.report))
        .bind(text(&v.report_other))
        .bind(v.fixed)
        .bind(v.new)
        .bind(v.unchanged)
        .bind(v.now)
        .bind(v.user_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        for (i, f) in v.findings.iter().enumerate() {
            sqlx::query(
                "INSERT INTO findings (version_id, filing_id, idx, rule, severity, status, subject,
                 message, fingerprint, baseline, waived)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(version)
            .bind(filing)
            .bind(i as i64)
            .bind(text(&f.rule))
            .bind(text(&f.severity))
            .bind(text(&f.status))
            .bind(text(&f.subject))
            .bind(text(&f.message))
            .bind(text(&f.fingerprint))
            .bind(text(&f.baseline))
            .bind(i64::from(f.waived))
            .execute(&mut *tx)
            .await?;
        }
        let target = format!("{intake_no} v{number}");
        insert_audit(
            &mut tx,
            &v.audit,
            v.now,
            "upload",
            &target,
            &format!("{} {} bytes {}", v.file_name, v.bytes.len(), v.sha256),
        )
        .await?;
        insert_audit(
            &mut tx,
            &v.audit,
            v.now,
            "check",
            &target,
            &format!(
                "{} findings {} fixed {} new {}",
                v.file_status,
                v.findings.len(),
                v.fixed,
                v.new
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(Stored::Done {
            filing,
            intake_no,
            version: number,
        })
    }

    pub async fn filing(&self, id: i64) -> Result<Option<Filing>> {
        let row = sqlx::query(&format!(
            "{} WHERE f.id = $1",
            filing_columns(&super::day_of(super::now()))
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| filing(&r)).transpose()
    }

    /// The queue: newest first.
    pub async fn filings(&self, q: &Query) -> Result<Vec<Filing>> {
        let like = format!("%{}%", escape_like(&q.q));
        let rows = sqlx::query(&format!(
            "{}
             WHERE ($1 = '' OR f.plan = $1) AND ($2 = '' OR f.status = $2)
               AND ($3 = '' OR f.org = $3) AND ($4 = '' OR r.name = $4)
               AND ($5 = 0 OR f.created >= $5) AND ($6 = 0 OR f.created < $6)
               AND ($7 = '%%' OR f.intake_no LIKE $7 ESCAPE '\\' OR f.project LIKE $7 ESCAPE '\\'
                    OR f.submission_id LIKE $7 ESCAPE '\\')
               AND ($8 = '' OR f.org = $9)
             ORDER BY f.id DESC LIMIT 1000",
            filing_columns(&super::day_of(super::now()))
        ))
        .bind(text(&q.plan))
        .bind(text(&q.status))
        .bind(text(&q.applicant))
        .bind(text(&q.reviewer))
        .bind(q.from)
        .bind(q.to)
        .bind(text(&like))
        .bind(if q.only_org.is_some() { "only" } else { "" })
        .bind(text(q.only_org.as_deref().unwrap_or_default()))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(filing).collect()
    }

    pub async fn versions(&self, filing: i64) -> Result<Vec<VersionInfo>> {
        let rows = sqlx::query(&format!(
            "{VERSION_COLUMNS} {VERSION_FROM} WHERE v.filing_id = $1 ORDER BY v.number"
        ))
        .bind(filing)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(version_info).collect()
    }

    pub async fn version(&self, filing: i64, number: i64) -> Result<Option<Version>> {
        let row = sqlx::query(&format!(
            "{VERSION_COLUMNS}, v.bytes AS bytes, v.text AS text, v.report AS report,
             v.report_other AS report_other
             {VERSION_FROM} WHERE v.filing_id = $1 AND v.number = $2"
        ))
        .bind(filing)
        .bind(number)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Version {
                info: version_info(&r)?,
                bytes: r.try_get("bytes")?,
                text: r.try_get("text")?,
                report: r.try_get("report")?,
                report_other: r.try_get("report_other")?,
            })
        })
        .transpose()
    }

    /// Each version's stored JSON report (the desk's language, and the
    /// other), without its bytes: for the history's "what it fixed".
    pub async fn reports(&self, filing: i64) -> Result<Vec<(i64, String, String)>> {
        let rows = sqlx::query(
            "SELECT number, report, report_other FROM versions WHERE filing_id = $1 ORDER BY number",
        )
        .bind(filing)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("number")?,
                    r.try_get("report")?,
                    r.try_get("report_other")?,
                ))
            })
            .collect()
    }

    pub async fn findings(&self, version_id: i64) -> Result<Vec<FindingRow>> {
        let rows = sqlx::query(
            "SELECT id, idx, rule, severity, status, subject, message, fingerprint, baseline, waived
             FROM findings WHERE version_id = $1 ORDER BY idx",
        )
        .bind(version_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(FindingRow {
                    id: r.try_get("id")?,
                    idx: r.try_get("idx")?,
                    rule: r.try_get("rule")?,
                    severity: r.try_get("severity")?,
                    status: r.try_get("status")?,
                    subject: r.try_get("subject")?,
                    message: r.try_get("message")?,
                    fingerprint: r.try_get("fingerprint")?,
                    baseline: r.try_get("baseline")?,
                    waived: r.try_get::<i64, _>("waived")? != 0,
                })
            })
            .collect()
    }

    pub async fn add_comment(
        &self,
        filing: i64,
        finding: &str,
        body: &str,
        now: i64,
        audit: &AuditContext,
    ) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO comments (filing_id, finding, user_id, body, created)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(filing)
        .bind(text(finding))
        .bind(audit.user_id.unwrap_or(0))
        .bind(text(body))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        insert_audit(
            &mut tx,
            audit,
            now,
            "comment",
            &format!("filing {filing}"),
            &format!("comment {id} finding {finding}"),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn comments(&self, filing: i64) -> Result<Vec<Comment>> {
        let rows = sqlx::query(
            "SELECT c.id AS id, c.filing_id AS filing_id, c.finding AS finding, u.name AS name,
             c.body AS body, c.created AS created
             FROM comments c JOIN users u ON u.id = c.user_id WHERE c.filing_id = $1 ORDER BY c.id",
        )
        .bind(filing)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Comment {
                    id: r.try_get("id")?,
                    filing: r.try_get("filing_id")?,
                    finding: r.try_get("finding")?,
                    user: r.try_get("name")?,
                    body: r.try_get("body")?,
                    created: r.try_get("created")?,
                })
            })
            .collect()
    }

    pub async fn add_waiver(&self, w: &NewWaiver<'_>, audit: &AuditContext) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO waivers (filing_id, scope, rule, fingerprint, subject, reason, expires,
             approver_id, created) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(w.filing)
        .bind(text(w.scope))
        .bind(text(w.rule))
        .bind(text(w.fingerprint))
        .bind(text(w.subject))
        .bind(text(w.reason))
        .bind(text(w.expires))
        .bind(w.approver)
        .bind(w.now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        insert_audit(
            &mut tx,
            audit,
            w.now,
            "waiver",
            &format!("filing {}", w.filing),
            &format!(
                "waiver {id} scope {} rule {} finding {} expires {}",
                w.scope, w.rule, w.fingerprint, w.expires
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn waivers(&self, filing: i64) -> Result<Vec<WaiverRow>> {
        let rows = sqlx::query(
            "SELECT w.id AS id, w.filing_id AS filing_id, w.scope AS scope, w.rule AS rule,
             w.fingerprint AS fingerprint, w.subject AS subject, w.reason AS reason,
             w.expires AS expires, u.display AS name, w.created AS created
             FROM waivers w JOIN users u ON u.id = w.approver_id WHERE w.filing_id = $1
             ORDER BY w.id",
        )
        .bind(filing)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(WaiverRow {
                    id: r.try_get("id")?,
                    filing: r.try_get("filing_id")?,
                    scope: r.try_get("scope")?,
                    rule: r.try_get("rule")?,
                    fingerprint: r.try_get("fingerprint")?,
                    subject: r.try_get("subject")?,
                    reason: r.try_get("reason")?,
                    expires: r.try_get("expires")?,
                    approver: r.try_get("name")?,
                    created: r.try_get("created")?,
                })
            })
            .collect()
    }

    /// Record a decision on the filing's latest version and set its status.
    pub async fn decide(
        &self,
        filing: i64,
        decision: &str,
        opinion: &str,
        now: i64,
        audit: &AuditContext,
    ) -> Result<Option<i64>> {
        let status = match decision {
            "approve" => "approved",
            "correct" => "correction",
            "reject" => "rejected",
            _ => return Ok(None),
        };
        let user = audit.user_id.unwrap_or(0);
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "UPDATE filings SET status = $1, reviewer_id = $2, updated = $3 WHERE id = $4
             RETURNING latest_version, intake_no",
        )
        .bind(text(status))
        .bind(user)
        .bind(now)
        .bind(filing)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            tx.rollback().await?;
            return Ok(None);
        };
        let version: i64 = row.try_get("latest_version")?;
        let intake: String = row.try_get("intake_no")?;
        let id: i64 = sqlx::query(
            "INSERT INTO decisions (filing_id, version, decision, opinion, user_id, created)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(filing)
        .bind(version)
        .bind(text(decision))
        .bind(text(opinion))
        .bind(user)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        insert_audit(
            &mut tx,
            audit,
            now,
            "decision",
            &format!("{intake} v{version}"),
            decision,
        )
        .await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    pub async fn decisions(&self, filing: i64) -> Result<Vec<Decision>> {
        let rows = sqlx::query(
            "SELECT d.id AS id, d.filing_id AS filing_id, d.version AS version,
             d.decision AS decision, d.opinion AS opinion, u.name AS name,
             u.display AS display, d.created AS created
             FROM decisions d JOIN users u ON u.id = d.user_id WHERE d.filing_id = $1
             ORDER BY d.id",
        )
        .bind(filing)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Decision {
                    id: r.try_get("id")?,
                    filing: r.try_get("filing_id")?,
                    version: r.try_get("version")?,
                    decision: r.try_get("decision")?,
                    opinion: r.try_get("opinion")?,
                    user: r.try_get("name")?,
                    user_display: r.try_get("display")?,
                    created: r.try_get("created")?,
                })
            })
            .collect()
    }

    // ---- audit ----

    /// Append one entry to the audit log.
    pub async fn audit(
        &self,
        ctx: &AuditContext,
        now: i64,
        action: &str,
        target: &str,
        detail: &str,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        insert_audit(&mut tx, ctx, now, action, target, detail).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Entries in [from, to) (unix seconds; 0: no bound), oldest first.
    pub async fn audit_entries(&self, from: i64, to: i64) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT id, at, user_name, request_id, ip, action, target, detail FROM audit
             WHERE ($1 = 0 OR at >= $1) AND ($2 = 0 OR at < $2) ORDER BY id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    user: r.try_get("user_name")?,
                    request_id: r.try_get("request_id")?,
                    ip: r.try_get("ip")?,
                    action: r.try_get("action")?,
                    target: r.try_get("target")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect()
    }

    /// Run one raw statement: for tests that prove the database itself
    /// refuses what the code never does (changing the audit log).
    #[doc(hidden)]
    pub async fn raw_execute(&self, sql: &str) -> Result<u64> {
        Ok(sqlx::query(sql).execute(&self.pool).await?.rows_affected())
    }

    /// Counts of rows per table, for consistency checks.
    #[doc(hidden)]
    pub async fn count(&self, table: &str) -> Result<i64> {
        let allowed = [
            "users",
            "filings",
            "versions",
            "findings",
            "comments",
            "waivers",
            "decisions",
            "audit",
            "sessions",
        ];
        if !allowed.contains(&table) {
            return Err(StoreError(format!("no table {table}")));
        }
        Ok(sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?)
    }
}

async fn insert_audit(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ctx: &AuditContext,
    now: i64,
    action: &str,
    target: &str,
    detail: &str,
) -> std::result::Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit (at, user_id, user_name, request_id, ip, action, target, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(now)
    .bind(ctx.user_id)
    .bind(text(&ctx.user_name))
    .bind(text(&ctx.request_id))
    .bind(text(&ctx.ip))
    .bind(text(action))
    .bind(text(target))
    .bind(text(detail))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Text as the database keeps it: PostgreSQL's TEXT holds no NUL, so a
/// NUL (which no filing, name or comment needs) is kept as U+FFFD on both
/// backends alike; the uploaded bytes themselves are kept exactly.
fn text(s: &str) -> String {
    s.replace('\0', "\u{FFFD}")
}

/// `%`, `_` and `\` taken literally in a LIKE pattern (escape `\`).
fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

const USER_COLUMNS: &str = "SELECT id, name, display, role, org, active, created, password_hash";
const USER_COLUMNS_U: &str = "SELECT u.id AS id, u.name AS name, u.display AS display, \
     u.role AS role, u.org AS org, u.active AS active, u.created AS created";

fn user(r: &AnyRow) -> Result<User> {
    let role: String = r.try_get("role")?;
    Ok(User {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        display: r.try_get("display")?,
        role: Role::parse(&role).ok_or_else(|| StoreError(format!("unknown role {role}")))?,
        org: r.try_get("org")?,
        active: r.try_get::<i64, _>("active")? != 0,
        created: r.try_get("created")?,
    })
}

/// The queue's columns. The counts are derived when read, from the stored
/// findings of the latest version and the desk's waivers in force today
/// (`today` is the server's `YYYY-MM-DD`, never a request's text): a waiver
/// granted after the check, or one that has expired, changes the queue
/// at once, without re-running the check or rewriting the stored report.
fn filing_columns(today: &str) -> String {
    debug_assert!(today.bytes().all(|b| b.is_ascii_digit() || b == b'-'));
    let open = format!(
        "x.waived = 0 AND NOT EXISTS (SELECT 1 FROM waivers w WHERE w.filing_id = f.id
           AND w.expires >= '{today}' AND ((w.scope = 'rule' AND w.rule = x.rule)
             OR (w.scope = 'finding' AND w.fingerprint <> '' AND w.fingerprint = x.fingerprint)))"
    );
    format!(
        "SELECT f.id AS id, f.intake_no AS intake_no, f.org AS org,
     f.plan AS plan, f.project AS project, f.submission_id AS submission_id,
     f.status AS status, f.latest_version AS latest_version, f.created AS created,
     f.updated AS updated, COALESCE(c.name, '') AS created_by, COALESCE(r.name, '') AS reviewer,
     (SELECT COUNT(*) FROM findings x JOIN versions v ON v.id = x.version_id
      WHERE v.filing_id = f.id AND v.number = f.latest_version AND {open}) AS findings,
     (SELECT COUNT(*) FROM findings x JOIN versions v ON v.id = x.version_id
      WHERE v.filing_id = f.id AND v.number = f.latest_version AND x.severity = 'error'
        AND {open}) AS open_errors,
     COALESCE((SELECT v.valid FROM versions v WHERE v.filing_id = f.id
      AND v.number = f.latest_version), 0) AS latest_valid,
     COALESCE((SELECT v.file_status FROM versions v WHERE v.filing_id = f.id
      AND v.number = f.latest_version), '') AS latest_file_status
     FROM filings f LEFT JOIN users c ON c.id = f.created_by
     LEFT JOIN users r ON r.id = f.reviewer_id"
    )
}

fn filing(r: &AnyRow) -> Result<Filing> {
    Ok(Filing {
        id: r.try_get("id")?,
        intake_no: r.try_get("intake_no")?,
        org: r.try_get("org")?,
        plan: r.try_get("plan")?,
        project: r.try_get("project")?,
        submission_id: r.try_get("submission_id")?,
        status: r.try_get("status")?,
        latest_version: r.try_get("latest_version")?,
        created: r.try_get("created")?,
        updated: r.try_get("updated")?,
        created_by: r.try_get("created_by")?,
        reviewer: r.try_get("reviewer")?,
        findings: r.try_get("findings")?,
        open_errors: r.try_get("open_errors")?,
        latest_valid: r.try_get::<i64, _>("latest_valid")? != 0,
        latest_file_status: r.try_get("latest_file_status")?,
        gate: "",
    })
}

const VERSION_COLUMNS: &str = "SELECT v.id AS id, v.number AS number, v.file_name AS file_name,
     v.content_type AS content_type, v.sha256 AS sha256, v.size AS size,
     v.file_status AS file_status, v.valid AS valid, v.fixed AS fixed, v.new AS new,
     v.unchanged AS unchanged, v.created AS created, COALESCE(u.name, '') AS created_by";
const VERSION_FROM: &str = "FROM versions v LEFT JOIN users u ON u.id = v.created_by";

fn version_info(r: &AnyRow) -> Result<VersionInfo> {
    Ok(VersionInfo {
        id: r.try_get("id")?,
        number: r.try_get("number")?,
        file_name: r.try_get("file_name")?,
        content_type: r.try_get("content_type")?,
        sha256: r.try_get("sha256")?,
        size: r.try_get("size")?,
        file_status: r.try_get("file_status")?,
        valid: r.try_get::<i64, _>("valid")? != 0,
        fixed: r.try_get("fixed")?,
        new: r.try_get("new")?,
        unchanged: r.try_get("unchanged")?,
        created: r.try_get("created")?,
        created_by: r.try_get("created_by")?,
    })
}
