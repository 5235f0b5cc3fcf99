//! The `peitao` command: arguments in, report out, exit code back.

// `eprint!` and `print!` panic when the stream is a closed pipe: every
// write goes through `to_stderr` or a checked `write_all`.
#![deny(clippy::print_stderr, clippy::print_stdout)]

use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use peitao::base::code::PlanCode;
use peitao::check::{self, Options};
use peitao::config::{self, Config};
use peitao::engine::Catalog;
use peitao::input::{Date, Limits, Msg};
use peitao::plan::{self, Lang, Selection};
use peitao::report::{self, human, FailOn};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// mimalloc: a check allocates many small values per file (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// peitao (配套): check planning submissions against the rules of Chinese
/// 一老一小 (elderly care and childcare) plans.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Load rule packs from DIR (a pack directory or a directory of packs)
    /// besides the built-in ones. A pack replaces a built-in one only if its
    /// pack.yaml says `replaces: <id>`; ids and aliases never clash. Repeatable.
    #[arg(
        long = "rules",
        value_name = "DIR",
        global = true,
        help_heading = "Rule packs"
    )]
    rules: Vec<PathBuf>,
    /// Use only the packs given with --rules.
    #[arg(long, global = true, help_heading = "Rule packs")]
    no_builtin_rules: bool,
    /// Let a pack of --rules that says `replaces: ID` stand in for the
    /// built-in plan ID (its submissions are then judged by that pack
    /// alone, and every report says so); without it such a pack is
    /// refused. Repeatable.
    #[arg(
        long = "allow-replace",
        value_name = "ID",
        global = true,
        help_heading = "Rule packs"
    )]
    allow_replace: Vec<String>,
    /// Read settings and waivers from FILE instead of the peitao.toml found
    /// in the current directory or a parent.
    #[arg(long, value_name = "FILE", global = true)]
    config: Option<PathBuf>,
    /// Read no peitao.toml.
    #[arg(long, global = true, conflicts_with = "config")]
    no_config: bool,
    /// Wall-clock budget of one rule on one submission, in milliseconds;
    /// past it the rule is a rule error and the others' results stand.
    #[arg(long, value_name = "MS", global = true, help_heading = "Limits",
          default_value_t = peitao::engine::sandbox::DEFAULT_RULE_TIME.as_millis() as u64)]
    rule_time_limit: u64,
    /// Wall-clock budget of every rule script on one submission together,
    /// in milliseconds, and a thousandth of it more a record; past it the
    /// scripts not finished are rule errors. Default: 4 × --rule-time-limit.
    #[arg(long, value_name = "MS", global = true, help_heading = "Limits")]
    submission_time_limit: Option<u64>,
    /// Wall-clock budget of loading one rule script, in milliseconds; past
    /// it the pack is refused.
    #[arg(long, value_name = "MS", global = true, help_heading = "Limits",
          default_value_t = peitao::engine::sandbox::DEFAULT_LOAD_TIME.as_millis() as u64)]
    load_time_limit: u64,
    /// Wall-clock budget of loading every rule script together, in
    /// milliseconds; past it the packs of the scripts not loaded are
    /// refused. Default: 4 × --load-time-limit.
    #[arg(long, value_name = "MS", global = true, help_heading = "Limits")]
    load_time_limit_total: Option<u64>,
}

#[derive(Subcommand)]
enum Command {
    /// Check submission files, or directories of them (*.yaml, *.yml, *.xlsx).
    ///
    /// Exit codes: 0 nothing at or above --fail-on; 1 findings at or above
    /// it; 2 a file could not be read or is not a valid submission.
    Check(Box<CheckArgs>),
    /// List the plans peitao knows (id, title, document number, dates in force, aliases, rules).
    Plans(CommonArgs),
    /// List the rules (id, severity, title, clause).
    Rules {
        /// Only the rules of this plan.
        #[arg(long)]
        plan: Option<String>,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Run the rule packs' fixtures (tests/*.yaml beside the rules) and compare
    /// each case's `# expect…` markers with what the rules find. Exit 1 on
    /// any mismatch.
    Test {
        /// Test only the packs in DIR (a pack directory or a directory of
        /// packs); default: every loaded pack.
        dir: Option<PathBuf>,
        /// Also fail unless every rule has a case where it fires and one where it holds.
        #[arg(long)]
        coverage: bool,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Print the JSON Schema of the submission format (for editors); with
    /// --pack, that of a rule pack's pack.yaml.
    Schema {
        /// The schema of pack.yaml (docs/pack.schema.json), each template's
        /// parameters included.
        #[arg(long)]
        pack: bool,
    },
    /// Write a commented peitao.toml (settings and waivers) in the current
    /// directory; an existing one is left alone. Its comments are in the
    /// language of --lang (or LANG).
    Init {
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Serve the Language Server Protocol on standard input and output, for
    /// editors: diagnostics while typing, hover, completion, quick fixes
    /// (docs/editors.md).
    Lsp {
        #[command(flatten)]
        common: CommonArgs,
        /// Wait this many milliseconds after the last change before checking
        /// (0: check as soon as the editor stops sending).
        #[arg(long, value_name = "MS", default_value_t = 0)]
        debounce: u64,
    },
    /// The plans' checkable clauses: each one's status (encoded, partial,
    /// open, out-of-scope) and the rules that encode it, with counts per plan.
    Coverage {
        /// Only the clauses of this plan.
        #[arg(long)]
        plan: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "human")]
        format: CoverageFormat,
    },
    /// Explain one rule: its clause in context, what it checks, and its script.
    Explain {
        rule_id: String,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Write a blank submission workbook to fill in: one sheet per record
    /// kind, Chinese headers with units, notes and drop-downs
    /// (docs/workbooks.md). `peitao check` reads it back.
    Template {
        /// What to write (only `xlsx` for now).
        #[arg(value_parser = ["xlsx"])]
        kind: String,
        /// Fill in the filing's jurisdiction with this plan (id or alias).
        #[arg(long, value_name = "ID")]
        plan: Option<String>,
        /// The workbook to write.
        #[arg(long, short, value_name = "FILE")]
        output: PathBuf,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Serve the review desk: filings uploaded, checked, compared, waived
    /// and decided in the browser, kept in a SQLite file or PostgreSQL
    /// (docs/desk.md).
    Serve(Box<ServeArgs>),
    /// Convert a YAML submission into a workbook (for tests and migration).
    #[command(hide = true)]
    Convert {
        input: PathBuf,
        #[arg(long, short, value_name = "FILE")]
        output: PathBuf,
        #[command(flatten)]
        common: CommonArgs,
    },
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Where to listen (`:0` picks a free port; the line printed when ready
    /// says which).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    addr: String,
    /// The database: a SQLite file (created and migrated on first start) or
    /// a postgres:// URL (several instances may share it).
    #[arg(long, value_name = "PATH|URL", default_value = "peitao-desk.sqlite3")]
    db: String,
    /// The pages' language when a request does not say (?lang=) [default:
    /// the config's lang, else zh].
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// Create the administrator NAME (or reset its password) and exit; the
    /// password comes from PEITAO_ADMIN_PASSWORD, else the first line of
    /// standard input.
    #[arg(long, value_name = "NAME")]
    init_admin: Option<String>,
    /// Mark the session cookie Secure (set it behind a TLS proxy).
    #[arg(long)]
    secure_cookies: bool,
    /// The largest upload in bytes; larger ones are refused (413).
    #[arg(long, value_name = "BYTES", default_value_t = peitao::desk::DEFAULT_MAX_UPLOAD)]
    max_upload: usize,
    /// The office's name on the review opinion (审查意见书).
    #[arg(long, value_name = "NAME", default_value = "审查机关")]
    office: String,
    /// How long one request may take, in seconds (a slower upload is cut off).
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    request_timeout: u64,
}

#[derive(clap::Args)]
struct CommonArgs {
    /// Language of titles and messages (clauses are always quoted in Chinese).
    /// Default: from LANG (zh* → zh, else en).
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

#[derive(clap::Args)]
#[command(next_help_heading = "Output")]
struct CheckArgs {
    /// Files or directories to check; `-` reads one submission from
    /// standard input.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The name standard input has in reports (with `-`).
    #[arg(long, value_name = "NAME")]
    stdin_name: Option<String>,
    /// Report format [default: human].
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also write a report in FORMAT to PATH (e.g. `sarif=out.sarif`),
    /// atomically; repeatable.
    #[arg(long = "report", value_name = "FORMAT=PATH", value_parser = parse_report)]
    reports: Vec<(FormatArg, PathBuf)>,
    /// An earlier JSON report of the same submissions: mark each finding
    /// new or unchanged and list the fixed ones.
    #[arg(long, value_name = "REPORT.json")]
    baseline: Option<PathBuf>,
    /// With a baseline: only new findings fail the run.
    #[arg(long)]
    new_only: bool,
    /// The CSV and xlsx ledgers' column headers as the stable English keys
    /// (`submission_id`), for scripts, instead of words in the report's
    /// language.
    #[arg(long)]
    ledger_keys: bool,
    /// Show only problems and the summary (human format).
    #[arg(long, short, conflicts_with = "summary")]
    quiet: bool,
    /// Show only the summary (human format).
    #[arg(long)]
    summary: bool,
    /// Colour: auto (when writing to a terminal and NO_COLOR is unset), always, never [default: auto].
    #[arg(long, value_enum)]
    color: Option<ColorArg>,
    /// Width the diagnostics wrap at (human format; at least 20). Default:
    /// the terminal's width when writing to one, else 100.
    #[arg(long, value_name = "COLUMNS", value_parser = clap::value_parser!(u16).range(20..))]
    width: Option<u16>,
    /// Check against this plan (id or alias) instead of each file's jurisdiction; repeat to compare plans.
    #[arg(long = "plan", value_name = "ID", help_heading = "Checking")]
    plans: Vec<String>,
    /// Judge as of this date (YYYY-MM-DD) instead of each file's `filed` date.
    #[arg(long, value_name = "DATE", value_parser = parse_date, help_heading = "Checking")]
    as_of: Option<Date>,
    /// Lowest severity that makes the run fail (exit 1) [default: error].
    #[arg(long, value_enum, help_heading = "Checking")]
    fail_on: Option<FailOnArg>,
    /// `--deny warnings`: the same as `--fail-on warning`.
    #[arg(
        long,
        value_name = "warnings",
        value_parser = ["warnings"],
        conflicts_with = "fail_on",
        help_heading = "Checking"
    )]
    deny: Option<String>,
    #[command(flatten)]
    common: CommonArgs,
    /// Largest submission file read, in bytes.
    #[arg(long, value_name = "BYTES", help_heading = "Limits")]
    max_file_size: Option<usize>,
    /// Deepest nesting of mappings and lists in a submission.
    #[arg(long, value_name = "N", help_heading = "Limits")]
    max_depth: Option<usize>,
    /// Most YAML values (scalars, lists, mappings) in a submission.
    #[arg(long, value_name = "N", help_heading = "Limits")]
    max_nodes: Option<usize>,
    /// Most alias references (`*name`) in a submission.
    #[arg(long, value_name = "N", help_heading = "Limits")]
    max_aliases: Option<usize>,
    /// Most facilities, institutions, hospitals or venues in one list.
    #[arg(long, value_name = "N", help_heading = "Limits")]
    max_records: Option<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    /// Annotated diagnostics for a terminal.
    Human,
    /// One JSON document (docs/json-output.md).
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// JUnit XML, for CI dashboards.
    Junit,
    /// One self-contained HTML page for a reviewer.
    Html,
    /// A ledger for spreadsheets: one row per finding, UTF-8 with BOM.
    Csv,
    /// GitHub Actions annotations (`::error file=…`).
    Github,
    /// A ledger workbook (台账): a summary sheet and a findings sheet
    /// (docs/workbooks.md).
    Xlsx,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CoverageFormat {
    /// Every clause, then counts per plan.
    Human,
    /// `{"clauses": [...], "summary": {...}}`.
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Zh,
    En,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOnArg {
    Error,
    Warning,
    Never,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s, false)
}

fn parse_format(s: &str) -> Result<FormatArg, String> {
    FormatArg::from_str(s, false).map_err(|_| {
        let names: Vec<String> = FormatArg::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_string()))
            .collect();
        format!("unknown format `{s}` (one of {})", names.join(", "))
    })
}

fn parse_report(s: &str) -> Result<(FormatArg, PathBuf), String> {
    let (format, path) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}`: expected FORMAT=PATH, e.g. sarif=out.sarif"))?;
    if path.is_empty() {
        return Err(format!("`{s}`: no path after `=`"));
    }
    Ok((parse_format(format)?, PathBuf::from(path)))
}

fn lang(arg: &CommonArgs) -> Lang {
    lang_with(arg, None)
}

/// The command line's language, else the config's, else the environment's.
fn lang_with(arg: &CommonArgs, config: Option<&Config>) -> Lang {
    match (arg.lang, config.and_then(|c| c.lang.as_deref())) {
        (Some(LangArg::Zh), _) | (None, Some("zh")) => Lang::Zh,
        (Some(LangArg::En), _) | (None, Some("en")) => Lang::En,
        _ => Lang::from_env(),
    }
}

/// The directories a command checks (canonical): the applicant's ground,
/// where no config of the office lies. A file named on the command line is
/// itself, and holds no config; standard input is no place at all.
fn checked_trees(command: &Command) -> Vec<PathBuf> {
    match command {
        Command::Check(args) => checked_trees_of(&args.paths),
        _ => Vec::new(),
    }
}

fn checked_trees_of(paths: &[PathBuf]) -> Vec<PathBuf> {
    paths
        .iter()
        .filter(|p| p.as_path() != Path::new("-") && p.is_dir())
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect()
}

/// A checked directory as the command line named it (`.`, `incoming/`).
fn tree_as_given(command: &Command, tree: &Path) -> PathBuf {
    match command {
        Command::Check(args) => args
            .paths
            .iter()
            .find(|p| std::fs::canonicalize(p).is_ok_and(|c| c == tree))
            .cloned()
            .unwrap_or_else(|| tree.to_path_buf()),
        _ => tree.to_path_buf(),
    }
}

/// The config file: --config's, else the nearest peitao.toml here or in a
/// parent that lies outside every checked directory (the office's). One
/// nearer, inside a checked directory, is the applicant's: only its
/// presentation is used, under the office's, with a warning on standard
/// error naming what was ignored (docs/bureau.md).
fn load_config(cli: &Cli) -> Result<Option<Config>, String> {
    // The config that does not read cannot say the language: the command
    // line's, else the environment's.
    let lang = command_lang(&cli.command);
    let (office, planted) = match (&cli.config, cli.no_config) {
        (_, true) => return Ok(None),
        (Some(p), _) => (Some(p.clone()), None),
        (None, _) => {
            let found = config::discover_outside(Path::new("."), &checked_trees(&cli.command));
            (found.office, found.planted)
        }
    };
    let office = match office {
        None => None,
        Some(path) => Some(read_config(&path, lang)?),
    };
    let Some((path, tree)) = planted else {
        return Ok(office);
    };
    let tree = tree_as_given(&cli.command, &tree);
    // The applicant's file: whatever is wrong with it is a warning, and
    // the run goes on without it.
    let shown = path.to_string_lossy().replace('\\', "/");
    let applicant = match config::load(&path) {
        Ok(c) => c,
        Err(_) => {
            let m = Msg::new("config.inside-unreadable")
                .arg("path", human::sanitize_line(&shown))
                .arg("tree", human::sanitize_line(&check::display_path(&tree)));
            to_stderr(&warning_line(&m, lang));
            return Ok(office);
        }
    };
    let merged = match office {
        Some(mut office) => {
            office.fill_presentation_from(&applicant);
            office
        }
        None => applicant.presentation_only(),
    };
    if let Some(warning) = applicant.ignored_inside(&tree) {
        let lang = lang_of(&cli.command, Some(&merged));
        to_stderr(&report::config_warnings(
            &shown,
            applicant.source.clone(),
            vec![warning],
            lang,
        ));
    }
    Ok(Some(merged))
}

/// Read the office's config; its problems stop the run (exit 2).
fn read_config(path: &Path, lang: Lang) -> Result<Config, String> {
    match config::load(path) {
        Ok(c) => Ok(c),
        Err(config::ConfigError::Unreadable { path, why }) => Err(error_line(
            &Msg::new("config.unreadable")
                .arg("path", human::sanitize_line(&path.display().to_string()))
                .phrase("why", why),
            lang,
        )),
        Err(config::ConfigError::Invalid {
            path,
            source,
            errors,
        }) => Err(report::config_errors(
            &path.to_string_lossy().replace('\\', "/"),
            source,
            errors,
            lang,
        )),
    }
}

fn run_init(lang: Lang) -> (String, u8) {
    let path = Path::new(config::FILE_NAME);
    let created = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| f.write_all(config::starter(lang).as_bytes()));
    let msg = |key: &'static str| Msg::new(key).arg("path", path.display());
    match created {
        Ok(()) => (
            format!("{}\n", report::messages::say(&msg("init.wrote"), lang)),
            0,
        ),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            to_stderr(&error_line(&msg("init.exists"), lang));
            (String::new(), 2)
        }
        Err(e) => {
            to_stderr(&error_line(&msg("init.cannot-write").arg("why", e), lang));
            (String::new(), 2)
        }
    }
}

/// The command line, with each limit's default shown from the one place
/// it is set (`Limits::default()`, which docs/limits.md also states).
fn cli_command() -> clap::Command {
    let limits = peitao::input::Limits::default();
    let defaults = [
        ("max_file_size", limits.max_file_bytes),
        ("max_depth", limits.max_depth),
        ("max_nodes", limits.max_nodes),
        ("max_aliases", limits.max_aliases),
        ("max_records", limits.max_records),
    ];
    Cli::command().mut_subcommand("check", |mut check| {
        for (arg, value) in defaults {
            check = check.mut_arg(arg, |a| {
                let help = a.get_help().map(ToString::to_string).unwrap_or_default();
                a.help(format!("{help} [default: {value}]"))
            });
        }
        check
    })
}

fn main() -> ExitCode {
    let matches = match cli_command().try_get_matches() {
        Ok(m) => m,
        Err(e) => return parse_error(e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return parse_error(e),
    };
    let ms = std::time::Duration::from_millis;
    peitao::engine::sandbox::set_time_limits(peitao::engine::sandbox::TimeLimits::new(
        ms(cli.rule_time_limit),
        cli.submission_time_limit.map(ms),
        ms(cli.load_time_limit),
        cli.load_time_limit_total.map(ms),
    ));
    if let Err(u) = check_usage(&cli, &matches) {
        return usage_error(&u, command_lang(&cli.command));
    }
    if let Command::Init { common } = &cli.command {
        let (text, code) = run_init(lang(common));
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
        return ExitCode::from(code);
    }
    if let Command::Lsp { common, debounce } = &cli.command {
        let settings = peitao::lsp::Settings {
            rules: cli.rules.clone(),
            no_builtin_rules: cli.no_builtin_rules,
            lang: lang(common),
            lang_given: common.lang.is_some(),
            debounce: std::time::Duration::from_millis(*debounce),
            config: cli.config.clone(),
            no_config: cli.no_config,
            allow_replace: cli.allow_replace.clone(),
            ..Default::default()
        };
        return match peitao::lsp::run_stdio(settings) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                to_stderr(&format!("error: peitao lsp: {e}\n"));
                ExitCode::from(2)
            }
        };
    }
    // `peitao test DIR` tests DIR's packs: no config is needed.
    let config = match &cli.command {
        Command::Test { dir: Some(_), .. } | Command::Schema { .. } => Ok(None),
        _ => load_config(&cli),
    };
    let config = match config {
        Ok(c) => c,
        Err(text) => {
            to_stderr(&text);
            return ExitCode::from(2);
        }
    };
    let loaded = load_packs(&cli, config.as_ref());
    let catalog = match loaded {
        Ok(c) => c,
        Err(errors) => {
            to_stderr(&report::plan_errors(
                &errors,
                lang_of(&cli.command, config.as_ref()),
            ));
            return ExitCode::from(2);
        }
    };
    if let Command::Serve(args) = &cli.command {
        return run_serve(catalog, args, config.as_ref());
    }
    let lang_of_command = command_lang(&cli.command);
    let (text, code) = match cli.command {
        Command::Check(args) => {
            if let Err(u) = check::check_plans(&catalog, &args.plans) {
                return usage_error(&u, lang_of_command);
            }
            run_check(&catalog, *args, config.as_ref())
        }
        Command::Init { .. } => unreachable!("handled before the packs are loaded"),
        Command::Plans(common) => (report::catalog::plans(&catalog, lang(&common)), 0),
        Command::Rules { plan, common } => {
            match report::catalog::rules(&catalog, plan.as_deref(), lang(&common)) {
                Ok(t) => (t, 0),
                Err(u) => return usage_error(&u, lang_of_command),
            }
        }
        Command::Test {
            coverage, common, ..
        } => run_tests(&catalog, coverage, lang(&common)),
        Command::Schema { pack: false } => (peitao::input::schema::submission_schema(), 0),
        Command::Schema { pack: true } => (
            serde_json::to_string_pretty(&peitao::engine::pack_schema()).unwrap_or_default() + "\n",
            0,
        ),
        Command::Lsp { .. } | Command::Serve(_) => unreachable!("served above"),
        Command::Coverage { plan, format } => {
            // An alias (十堰, 十堰市) names the plan as well as its id.
            let plan = plan.map(|p| {
                catalog
                    .packs
                    .iter()
                    .find(|pack| pack.manifest.aliases.contains(&p))
                    .map_or(p, |pack| pack.manifest.id.clone())
            });
            run_coverage(&catalog, plan.as_deref(), format)
        }
        Command::Explain { rule_id, common } => {
            match report::catalog::explain(&catalog, &rule_id, lang(&common)) {
                Ok(t) => (t, 0),
                Err(u) => return usage_error(&u, lang_of_command),
            }
        }
        Command::Template {
            plan,
            output,
            common,
            ..
        } => {
            let plan = match plan {
                None => None,
                Some(name) => match catalog.resolve(&name) {
                    Some(p) => Some(catalog.packs[p].manifest.id.clone()),
                    None => {
                        return usage_error(&check::unknown_plan(&catalog, &name), lang_of_command)
                    }
                },
            };
            let book = peitao::input::workbook::template(plan.as_deref());
            write_workbook(book, &output, &[], lang(&common))
        }
        Command::Convert {
            input,
            output,
            common,
        } => {
            let book = std::fs::read_to_string(&input)
                .map_err(|e| e.to_string())
                .and_then(|text| peitao::input::workbook::from_yaml(&text));
            write_workbook(book, &output, std::slice::from_ref(&input), lang(&common))
        }
    };
    // A closed pipe (`peitao check … | head`) is not an error worth a panic.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    ExitCode::from(code)
}

/// `peitao serve`: the review desk on the office's packs and settings.
fn run_serve(catalog: Catalog, args: &ServeArgs, config: Option<&Config>) -> ExitCode {
    let cfg = config.cloned().unwrap_or_default();
    let lang = match (args.lang, cfg.lang.as_deref()) {
        (Some(LangArg::Zh), _) => Lang::Zh,
        (Some(LangArg::En), _) => Lang::En,
        (None, Some("en")) => Lang::En,
        _ => Lang::Zh,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            to_stderr(&format!("error: peitao serve: {e}\n"));
            return ExitCode::from(2);
        }
    };
    if let Some(name) = &args.init_admin {
        let password = match std::env::var("PEITAO_ADMIN_PASSWORD") {
            Ok(p) => p,
            Err(_) => {
                let mut line = String::new();
                let _ = std::io::stdin().read_line(&mut line);
                line.trim_end_matches(['\n', '\r']).to_string()
            }
        };
        return match runtime.block_on(peitao::desk::init_admin(&args.db, name, &password)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                to_stderr(&format!("error: peitao serve --init-admin: {e}\n"));
                ExitCode::from(2)
            }
        };
    }
    let defaults = Limits::default();
    let options = Options {
        selection: Selection {
            plans: cfg.plans.clone(),
            as_of: cfg.as_of,
            today: None,
        },
        limits: Limits {
            max_file_bytes: cfg.max_file_size.unwrap_or(defaults.max_file_bytes),
            max_depth: cfg.max_depth.unwrap_or(defaults.max_depth),
            max_nodes: cfg.max_nodes.unwrap_or(defaults.max_nodes),
            max_aliases: cfg.max_aliases.unwrap_or(defaults.max_aliases),
            max_records: cfg.max_records.unwrap_or(defaults.max_records),
        },
        stdin_name: None,
        lang,
    };
    let settings = peitao::desk::Settings {
        office: peitao::desk::Office {
            catalog: std::sync::Arc::new(catalog),
            options,
            waivers: cfg.waivers.clone(),
            lang,
        },
        lang,
        secure_cookies: args.secure_cookies,
        max_upload: args.max_upload,
        office_name: args.office.clone(),
        request_timeout: std::time::Duration::from_secs(args.request_timeout.max(1)),
        fail_on: match cfg.fail_on.as_deref() {
            Some("warning") => FailOn::Warning,
            Some("never") => FailOn::Never,
            _ => FailOn::Error,
        },
    };
    let ready = |addr: std::net::SocketAddr| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "peitao desk listening on http://{addr}");
        let _ = out.flush();
    };
    match runtime.block_on(peitao::desk::serve(&args.db, &args.addr, settings, ready)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            to_stderr(&format!("error: peitao serve: {e}\n"));
            ExitCode::from(2)
        }
    }
}

/// The language a command speaks in: its --lang, else the config's, else
/// the environment's.
fn lang_of(command: &Command, config: Option<&Config>) -> Lang {
    match command {
        Command::Check(args) => lang_with(&args.common, config),
        Command::Plans(common)
        | Command::Rules { common, .. }
        | Command::Explain { common, .. }
        | Command::Test { common, .. }
        | Command::Template { common, .. }
        | Command::Convert { common, .. }
        | Command::Lsp { common, .. } => lang_with(common, config),
        _ => match config.and_then(|c| c.lang.as_deref()) {
            Some("zh") => Lang::Zh,
            Some("en") => Lang::En,
            _ => Lang::from_env(),
        },
    }
}

/// The language a command speaks in (its --lang, else the environment's).
fn command_lang(command: &Command) -> Lang {
    match command {
        Command::Check(args) => lang(&args.common),
        Command::Plans(common)
        | Command::Rules { common, .. }
        | Command::Explain { common, .. }
        | Command::Template { common, .. }
        | Command::Convert { common, .. }
        | Command::Test { common, .. } => lang(common),
        _ => Lang::from_env(),
    }
}

/// A command line clap refused. Help and version are printed as clap
/// prints them; an error is clap's own English under en, and a usage error
/// of the catalogue under zh (exit 2, on standard error, once).
fn parse_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) || raw_lang() == Lang::En
    {
        e.exit()
    }
    // Its usage line, else the command's name (`peitao check`) for --help.
    let command = std::env::args().skip(1).find_map(|a| {
        let mut cli = cli_command();
        cli.build();
        let sub = cli.find_subcommand_mut(&a)?;
        Some(sub.render_usage().to_string())
    });
    let usage = check::Usage::Arguments {
        problem: Box::new(arg_problem(&e)),
        usage: context_text(&e, clap::error::ContextKind::Usage)
            .or(command)
            .map(|u| {
                let u = u.trim();
                u.strip_prefix("Usage:").unwrap_or(u).trim().to_string()
            }),
    };
    usage_error(&usage, Lang::Zh)
}

/// A context value of a clap error as text (a list joined by ", ").
fn context_text(e: &clap::Error, kind: clap::error::ContextKind) -> Option<String> {
    use clap::error::ContextValue;
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        ContextValue::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn context_list(e: &clap::Error, kind: clap::error::ContextKind) -> Vec<String> {
    use clap::error::ContextValue;
    match e.get(kind) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::StyledStrs(v)) => v.iter().map(ToString::to_string).collect(),
        Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
        _ => Vec::new(),
    }
}

/// What clap's error says, as a typed value: its kind and context.
fn arg_problem(e: &clap::Error) -> check::ArgProblem {
    use check::ArgProblem as P;
    use clap::error::{ContextKind as K, ErrorKind};
    let arg = || context_text(e, K::InvalidArg).unwrap_or_default();
    let other = || P::Other {
        parser: e
            .render()
            .to_string()
            .lines()
            .next()
            .unwrap_or("")
            .trim_start_matches("error: ")
            .to_string(),
    };
    match e.kind() {
        ErrorKind::UnknownArgument => P::UnknownOption {
            arg: arg(),
            suggestion: context_text(e, K::SuggestedArg),
        },
        ErrorKind::InvalidSubcommand => P::UnknownCommand {
            name: context_text(e, K::InvalidSubcommand).unwrap_or_default(),
            suggestions: context_list(e, K::SuggestedSubcommand),
        },
        ErrorKind::InvalidValue
            if context_text(e, K::InvalidValue).is_some_and(|v| v.is_empty()) =>
        {
            P::MissingValue {
                arg: arg(),
                allowed: context_list(e, K::ValidValue),
            }
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => P::InvalidValue {
            arg: arg(),
            value: context_text(e, K::InvalidValue).unwrap_or_default(),
            allowed: context_list(e, K::ValidValue),
            suggestion: context_text(e, K::SuggestedValue),
            reason: std::error::Error::source(e).map(|s| s.to_string()),
        },
        ErrorKind::MissingRequiredArgument => P::MissingArgument {
            args: context_list(e, K::InvalidArg),
        },
        ErrorKind::ArgumentConflict => P::Conflict {
            arg: arg(),
            other: context_text(e, K::PriorArg).unwrap_or_default(),
        },
        ErrorKind::NoEquals | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            P::MissingValue {
                arg: arg(),
                allowed: context_list(e, K::ValidValue),
            }
        }
        _ => other(),
    }
}

/// The language of a command line clap refused: its `--lang`, else the
/// config's (`--config FILE`, else the peitao.toml found, unless
/// `--no-config`), else the environment's.
fn raw_lang() -> Lang {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value_of = |name: &str| {
        args.iter().enumerate().find_map(|(i, a)| {
            a.strip_prefix(&format!("{name}="))
                .map(str::to_string)
                .or_else(|| (a == name).then(|| args.get(i + 1).cloned()).flatten())
        })
    };
    match value_of("--lang").as_deref() {
        Some("zh") => return Lang::Zh,
        Some("en") => return Lang::En,
        _ => {}
    }
    let config = if args.iter().any(|a| a == "--no-config") {
        None
    } else {
        value_of("--config")
            .map(PathBuf::from)
            .or_else(|| config::discover(Path::new(".")))
    };
    match config
        .and_then(|p| config::load(&p).ok())
        .and_then(|c| c.lang)
        .as_deref()
    {
        Some("zh") => Lang::Zh,
        Some("en") => Lang::En,
        _ => Lang::from_env(),
    }
}

/// One usage error on standard error, exit 2.
fn usage_error(u: &check::Usage, lang: Lang) -> ExitCode {
    to_stderr(&report::messages::usage(u, lang));
    ExitCode::from(2)
}

/// Combinations that parse but mean nothing.
fn check_usage(cli: &Cli, matches: &ArgMatches) -> Result<(), check::Usage> {
    let testing_a_dir = matches!(cli.command, Command::Test { dir: Some(_), .. });
    if cli.no_builtin_rules && cli.rules.is_empty() && !testing_a_dir {
        return Err(check::Usage::NoPacks);
    }
    if let (Command::Check(args), Some(("check", sub))) = (&cli.command, matches.subcommand()) {
        let chosen = args.format.unwrap_or(FormatArg::Human);
        if chosen != FormatArg::Human {
            let format = match chosen {
                FormatArg::Human => "human",
                FormatArg::Json => "json",
                FormatArg::Sarif => "sarif",
                FormatArg::Junit => "junit",
                FormatArg::Html => "html",
                FormatArg::Csv => "csv",
                FormatArg::Github => "github",
                FormatArg::Xlsx => "xlsx",
            };
            for (id, option) in [("color", "--color"), ("width", "--width")] {
                if sub.value_source(id) == Some(ValueSource::CommandLine) {
                    return Err(check::Usage::NoEffect { option, format });
                }
            }
        }
    }
    Ok(())
}

/// The built-in packs and those of --rules (`peitao test DIR`: DIR's only).
fn load_packs(cli: &Cli, config: Option<&Config>) -> Result<Catalog, Vec<plan::PlanError>> {
    // The config's rule directories first: a file of --rules replaces theirs.
    let mut dirs = config.map_or(Vec::new(), |c| c.rules.clone());
    dirs.extend(cli.rules.iter().cloned());
    let mut builtin = !cli.no_builtin_rules && config.and_then(|c| c.builtin_rules).unwrap_or(true);
    if let Command::Test { dir: Some(dir), .. } = &cli.command {
        dirs.push(dir.clone());
        builtin = false;
    }
    let mut files = if builtin {
        plan::embedded_files()
    } else {
        plan::Files::new()
    };
    let mut errors = Vec::new();
    for dir in &dirs {
        for (path, text) in plan::load_dir(dir)? {
            // A file of --rules never takes the place of a built-in one by
            // its path: a pack replaces a built-in only by `replaces:`.
            match files.get(&path) {
                Some(builtin) if *builtin != text => errors.push(
                    plan::PlanError::new(
                        &path,
                        &text,
                        PlanCode::DuplicatePack,
                        Default::default(),
                        Msg::new("plan.builtin-path").arg("path", &path),
                    )
                    .help(Msg::new("plan.builtin-path.help")),
                ),
                _ => {
                    files.insert(path, text);
                }
            }
        }
    }
    // Replacing a built-in plan is the office's decision, said on its
    // command line or in its config.
    let mut allowed = cli.allow_replace.clone();
    allowed.extend(config.map_or(&[][..], |c| &c.allow_replace).iter().cloned());
    errors.extend(plan::refuse_replacements(&files, &allowed));
    if !errors.is_empty() {
        return Err(errors);
    }
    // Checking one file needs its own plan's rules only.
    if let Command::Check(args) = &cli.command {
        if let Some(names) = plans_of_one_file(args, config) {
            return peitao::engine::load_files_naming(&files, &names);
        }
    }
    peitao::engine::load_files(&files)
}

/// The plans one file to check names (its jurisdiction, or --plan), when
/// the run checks exactly one regular file; `None` to load every plan.
fn plans_of_one_file(args: &CheckArgs, config: Option<&Config>) -> Option<Vec<String>> {
    if !args.plans.is_empty() {
        return Some(args.plans.clone());
    }
    if let Some(plans) = config.map(|c| &c.plans).filter(|p| !p.is_empty()) {
        return Some(plans.clone());
    }
    let [path] = args.paths.as_slice() else {
        return None;
    };
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > 1 << 20 {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let sub = peitao::input::parse_submission(&text, &Default::default()).ok()?;
    let name = sub.filing.text("jurisdiction")?.to_string();
    Some(vec![name])
}

/// Where one report goes.
enum Target {
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
    Atomic(report::write::AtomicFile),
}

impl Target {
    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Target::Stdout(w) => w,
            Target::Atomic(w) => w,
        }
    }
}

/// One report of the run: its writer, where it goes, and the first error
/// writing it (after which it is left alone while the others go on).
struct Output<'a> {
    sink: Box<dyn report::Sink + 'a>,
    target: Target,
    /// The report file; `None` for standard output.
    name: Option<String>,
    failed: Option<std::io::Error>,
}

impl Output<'_> {
    fn write(
        &mut self,
        f: impl FnOnce(&mut dyn report::Sink, &mut dyn Write) -> std::io::Result<()>,
    ) {
        if self.failed.is_none() {
            if let Err(e) = f(self.sink.as_mut(), self.target.writer()) {
                self.failed = Some(e);
            }
        }
    }
}

/// What the ledgers and the reports to sign need of the run: the ledger's
/// headers, the office of `[office]`, the day the reports are made.
struct Made {
    ledger_keys: bool,
    office: Option<config::Office>,
    day: Date,
}

/// The writer of a format, and its renderer when a file's part of the
/// report depends on that file alone (rendered in the worker that checked it).
fn make_sink<'a>(
    format: FormatArg,
    catalog: &'a Catalog,
    lang: Lang,
    style: human::Style,
    verbosity: human::Verbosity,
    fail_on: FailOn,
    made: &Made,
) -> (Box<dyn report::Sink + 'a>, Option<report::Renderer<'a>>) {
    fn with<'a, S: report::Sink + 'a>(
        sink: S,
        renderer: impl FnOnce(&S) -> report::Renderer<'a>,
    ) -> (Box<dyn report::Sink + 'a>, Option<report::Renderer<'a>>) {
        let r = renderer(&sink);
        (Box::new(sink), Some(r))
    }
    let ledger_keys = made.ledger_keys;
    let signed = (made.office.clone(), made.day);
    let sink: Box<dyn report::Sink + 'a> = match format {
        FormatArg::Human => {
            return with(
                human::HumanSink {
                    catalog,
                    style,
                    verbosity,
                    signed: signed.0.clone().map(|o| (o, signed.1)),
                },
                human::HumanSink::renderer,
            )
        }
        FormatArg::Json => {
            return with(
                report::json::JsonSink::new(catalog, lang),
                report::json::JsonSink::renderer,
            )
        }
        FormatArg::Sarif => {
            return with(
                report::sarif::SarifSink::new(catalog, lang),
                report::sarif::SarifSink::renderer,
            )
        }
        FormatArg::Csv => {
            return with(
                report::csv::CsvSink {
                    catalog,
                    lang,
                    headers: report::ledger::Headers::new(lang, ledger_keys),
                },
                report::csv::CsvSink::renderer,
            )
        }
        FormatArg::Github => {
            return with(
                report::github::GithubSink { catalog, lang },
                report::github::GithubSink::renderer,
            )
        }
        FormatArg::Junit => {
            Box::new(report::junit::JunitSink::new(catalog, lang).with_fail_on(fail_on))
        }
        FormatArg::Html => {
            Box::new(report::html::HtmlSink::new(catalog, lang).signed(signed.0.clone(), signed.1))
        }
        FormatArg::Xlsx => Box::new(report::xlsx::XlsxSink::new(catalog, lang, ledger_keys)),
    };
    (sink, None)
}

fn run_check(catalog: &Catalog, args: CheckArgs, config: Option<&Config>) -> (String, u8) {
    let cfg = config.cloned().unwrap_or_default();
    let lang = lang_with(&args.common, config);
    let color = args
        .color
        .or_else(|| {
            cfg.color
                .as_deref()
                .and_then(|c| ColorArg::from_str(c, false).ok())
        })
        .unwrap_or(ColorArg::Auto);
    let color = match color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let fail_on = args
        .fail_on
        .or_else(|| {
            cfg.fail_on
                .as_deref()
                .and_then(|c| FailOnArg::from_str(c, false).ok())
        })
        .unwrap_or(FailOnArg::Error);
    let fail_on = match (args.deny.is_some(), fail_on) {
        (true, _) | (_, FailOnArg::Warning) => FailOn::Warning,
        (_, FailOnArg::Error) => FailOn::Error,
        (_, FailOnArg::Never) => FailOn::Never,
    };
    let format = args
        .format
        .or_else(|| cfg.format.as_deref().and_then(|c| parse_format(c).ok()))
        .unwrap_or(FormatArg::Human);
    let defaults = Limits::default();
    // One day for the whole run: what no filing may be dated after, and
    // what waivers expire against.
    let today = Date::today();
    let options = Options {
        selection: Selection {
            plans: if args.plans.is_empty() {
                cfg.plans.clone()
            } else {
                args.plans
            },
            as_of: args.as_of.or(cfg.as_of),
            today: Some(today),
        },
        limits: Limits {
            max_file_bytes: args
                .max_file_size
                .or(cfg.max_file_size)
                .unwrap_or(defaults.max_file_bytes),
            max_depth: args
                .max_depth
                .or(cfg.max_depth)
                .unwrap_or(defaults.max_depth),
            max_nodes: args
                .max_nodes
                .or(cfg.max_nodes)
                .unwrap_or(defaults.max_nodes),
            max_aliases: args
                .max_aliases
                .or(cfg.max_aliases)
                .unwrap_or(defaults.max_aliases),
            max_records: args
                .max_records
                .or(cfg.max_records)
                .unwrap_or(defaults.max_records),
        },
        stdin_name: args.stdin_name.clone(),
        lang,
    };
    let verbosity = if args.summary || (!args.quiet && cfg.summary == Some(true)) {
        human::Verbosity::Summary
    } else if args.quiet || cfg.quiet == Some(true) {
        human::Verbosity::Quiet
    } else {
        human::Verbosity::Normal
    };
    let new_only = args.new_only || cfg.new_only == Some(true);

    // The earlier report, read before anything is checked or written.
    let baseline = match args.baseline.clone().or(cfg.baseline.clone()) {
        None => None,
        Some(path) => match peitao::input::bounded::read_regular(
            &path,
            peitao::input::bounded::MAX_BASELINE_BYTES,
        )
        .map_err(|why| why.msg())
        .and_then(|text| peitao::review::baseline::Baseline::parse(&text))
        {
            Ok(b) => Some(b),
            Err(why) => {
                let m = Msg::new("baseline.unreadable")
                    .arg("path", human::sanitize_line(&path.display().to_string()))
                    .phrase("why", why);
                to_stderr(&error_line(&m, lang));
                return (String::new(), 2);
            }
        },
    };
    let mut reviewer = peitao::review::Reviewer::new(cfg.waivers.clone(), today, baseline);

    // --width, the config's, else the terminal's when writing to one, else 100.
    let width = args
        .width
        .map(usize::from)
        .or(cfg.width)
        .unwrap_or_else(
            || match terminal_size::terminal_size_of(std::io::stdout()) {
                Some((terminal_size::Width(w), _)) if args.output.is_none() && w >= 20 => w.into(),
                _ => 100,
            },
        );
    let plain = human::Style {
        lang,
        color: false,
        width,
    };
    let made = Made {
        ledger_keys: args.ledger_keys || cfg.ledger_keys.unwrap_or(false),
        office: cfg.office.clone(),
        day: today,
    };
    let mut outputs = Vec::new();
    let terminal = match &args.output {
        None => Target::Stdout(std::io::BufWriter::new(std::io::stdout().lock())),
        Some(path) => match open_report(path, &args.paths) {
            Ok(f) => Target::Atomic(f),
            Err(why) => {
                to_stderr(&error_line(&why, lang));
                return (String::new(), 2);
            }
        },
    };
    let style = human::Style {
        color: color && args.output.is_none(),
        ..plain
    };
    let mut renderers = Vec::new();
    let (sink, renderer) = make_sink(format, catalog, lang, style, verbosity, fail_on, &made);
    renderers.push(renderer);
    outputs.push(Output {
        sink,
        target: terminal,
        name: args.output.as_ref().map(|p| p.display().to_string()),
        failed: None,
    });
    // Reports of the config first, then those of the command line; one per
    // path. The config's stay in its own directory and out of the checked
    // ones; the command line's go where it says.
    let trees: Vec<(PathBuf, PathBuf)> = args
        .paths
        .iter()
        .filter(|p| p.as_path() != Path::new("-") && p.is_dir())
        .filter_map(|p| Some((std::fs::canonicalize(p).ok()?, p.clone())))
        .collect();
    let misplaced = cfg.report_path_errors(&trees);
    if !misplaced.is_empty() {
        to_stderr(&report::config_errors(
            &cfg.path.to_string_lossy().replace('\\', "/"),
            cfg.source.clone(),
            misplaced,
            lang,
        ));
        return (String::new(), 2);
    }
    let mut reports: Vec<(FormatArg, PathBuf)> = cfg
        .reports
        .iter()
        .filter_map(|r| Some((parse_format(&r.format).ok()?, r.path.clone())))
        .collect();
    for (f, p) in args.reports {
        reports.retain(|(_, q)| *q != p);
        reports.push((f, p));
    }
    for (f, path) in reports {
        match open_report(&path, &args.paths) {
            Ok(file) => {
                let (sink, renderer) = make_sink(
                    f,
                    catalog,
                    lang,
                    plain,
                    human::Verbosity::Normal,
                    fail_on,
                    &made,
                );
                renderers.push(renderer);
                outputs.push(Output {
                    sink,
                    target: Target::Atomic(file),
                    name: Some(path.display().to_string()),
                    failed: None,
                })
            }
            Err(why) => {
                to_stderr(&error_line(&why, lang));
                return (String::new(), 2);
            }
        }
    }

    let (files, walk_errors) = check::collect(&args.paths);
    let progress = Progress::start(files.len());
    for o in &mut outputs {
        o.write(|s, w| s.begin(w));
    }
    // Each file is reviewed and its part of each report rendered in the
    // worker that checked it; this thread counts and writes, in path order.
    let mut tally = reviewer.tally();
    let summary = check::check_stream_prepared(
        catalog,
        files,
        walk_errors,
        &options,
        &|| progress.tick(),
        &|r| {
            let uses = match &r.outcome {
                check::Outcome::Checked(c) => {
                    Some(reviewer.mark(catalog, &r.path, c, &mut r.review))
                }
                _ => None,
            };
            let pieces: Vec<Option<report::Piece>> = renderers
                .iter()
                .map(|render| render.as_ref().map(|render| render(r)))
                .collect();
            (uses, pieces)
        },
        &mut |r, prepared| {
            let pieces = match prepared {
                Some((uses, pieces)) => {
                    if let Some(uses) = uses {
                        tally.add(&uses);
                    }
                    pieces
                }
                None => Vec::new(),
            };
            let mut pieces = pieces.into_iter();
            for o in &mut outputs {
                match pieces.next().flatten() {
                    Some(piece) => o.write(|s, w| s.file_rendered(r, piece, w)),
                    None => o.write(|s, w| s.file(r, w)),
                }
            }
            Ok(())
        },
    );
    drop(progress);
    let Ok(mut summary) = summary else {
        unreachable!("the outputs keep their own errors")
    };
    reviewer.add_tally(tally);
    summary.waivers = reviewer.waiver_uses();
    let mut code = summary.exit_code_with(fail_on, new_only);
    for mut o in outputs {
        o.write(|s, w| {
            s.finish(&summary, w)?;
            w.flush()
        });
        let result = match (o.failed, o.target) {
            (Some(e), _) => Err(e),
            (None, Target::Atomic(file)) => file.commit(),
            (None, _) => Ok(()),
        };
        match result {
            Ok(()) => {}
            // A closed pipe (`peitao check … | head`) ends the terminal output quietly.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe && o.name.is_none() => {}
            Err(e) => {
                let m = match &o.name {
                    Some(name) => Msg::new("write.failed")
                        .arg("name", human::sanitize_line(name))
                        .quote("os", e),
                    None => Msg::new("write.stdout-failed").quote("os", e),
                };
                to_stderr(&error_line(&m, lang));
                code = 2;
            }
        }
    }
    if args.output.is_some() {
        to_stderr(&format!("{}\n", human::summary_line(&summary, lang)));
    }
    (String::new(), code)
}

/// Write a workbook made in memory to `path`, atomically.
fn write_workbook(
    book: Result<Vec<u8>, String>,
    path: &Path,
    inputs: &[PathBuf],
    lang: Lang,
) -> (String, u8) {
    let name = human::sanitize_line(&path.display().to_string());
    let written = book
        .map_err(|why| Msg::new("workbook.failed").quote("why", why))
        .and_then(|bytes| {
            let mut file = open_report(path, inputs)?;
            file.write_all(&bytes)
                .and_then(|()| file.commit())
                .map_err(|e| Msg::new("write.failed").arg("name", &name).quote("os", e))
        });
    match written {
        Ok(()) => (String::new(), 0),
        Err(m) => {
            to_stderr(&error_line(&m, lang));
            (String::new(), 2)
        }
    }
}

/// A report file, refused if it is one of the inputs or a `*.yaml` inside a
/// checked directory, written beside its destination and renamed over it.
fn open_report(path: &Path, inputs: &[PathBuf]) -> Result<report::write::AtomicFile, Msg> {
    let dest = report::write::check_destination(path, inputs)?;
    report::write::AtomicFile::create_at(dest).map_err(|e| {
        Msg::new("write.cannot-write")
            .arg("path", human::sanitize_line(&path.display().to_string()))
            .quote("os", e)
    })
}

/// `error: …` (`错误: …`) and a newline: a message of the catalogue.
fn error_line(m: &Msg, lang: Lang) -> String {
    use report::messages::{label, say, Label};
    format!("{}: {}\n", label(Label::Error, lang), say(m, lang))
}

/// `warning: …` (`警告: …`) and a newline: a message of the catalogue.
fn warning_line(m: &Msg, lang: Lang) -> String {
    use report::messages::{label, say, Label};
    format!("{}: {}\n", label(Label::Warning, lang), say(m, lang))
}

/// Write to standard error, ignoring a closed one: a diagnostic that
/// cannot be shown is no reason to panic. Every diagnostic of peitao goes
/// through here (`eprint!` panics on a closed pipe).
fn to_stderr(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// "checked 120/1000" on standard error while a large batch runs, when
/// standard error is a terminal; nothing otherwise.
struct Progress {
    done: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    fn start(total: usize) -> Progress {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let done = std::sync::Arc::new(AtomicUsize::new(0));
        let thread = (total >= 200 && std::io::stderr().is_terminal()).then(|| {
            let done = done.clone();
            std::thread::spawn(move || loop {
                let n = done.load(Ordering::Relaxed);
                to_stderr(&format!("\rchecked {n}/{total}"));
                if n >= total || n == usize::MAX {
                    to_stderr("\r\x1b[2K");
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            })
        });
        Progress { done, thread }
    }

    fn tick(&self) {
        self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.done
            .store(usize::MAX, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn run_coverage(catalog: &Catalog, plan: Option<&str>, format: CoverageFormat) -> (String, u8) {
    use report::coverage;
    // The loaded packs (built-in and --rules) that have no coverage table:
    // said so, with their rules counted (a sixth city before its table).
    let untraced: Vec<coverage::Untraced> = catalog
        .packs
        .iter()
        .filter(|p| !plan::coverage::plans().any(|t| t == p.manifest.id))
        .filter(|p| plan.is_none_or(|id| id == p.manifest.id))
        .map(|p| coverage::Untraced {
            plan: p.manifest.id.clone(),
            rules: p.rules.len(),
        })
        .collect();
    let all = match plan::coverage::clauses() {
        Ok(all) => all,
        Err(e) => return (format!("error: {e}\n"), 2),
    };
    let gaps: Vec<_> = match plan::coverage::gaps() {
        Ok(gaps) => gaps
            .into_iter()
            .filter(|g| plan.is_none_or(|p| g.plan == p))
            .collect(),
        Err(e) => return (format!("error: {e}\n"), 2),
    };
    match coverage::select(&all, plan, &untraced) {
        Ok(clauses) if format == CoverageFormat::Json => {
            (coverage::json(&clauses, &gaps, &untraced), 0)
        }
        Ok(clauses) => (coverage::human(&clauses, &gaps, &untraced), 0),
        Err(e) => (e, 2),
    }
}

fn run_tests(catalog: &Catalog, coverage: bool, lang: Lang) -> (String, u8) {
    use peitao::fixture;
    use report::fixtures::FileRuns;
    let mut files = Vec::new();
    for (p, pack) in catalog.packs.iter().enumerate() {
        for (path, text) in &pack.fixtures {
            files.push(FileRuns {
                path,
                runs: fixture::run_fixture(catalog, p, path, text),
            });
        }
    }
    let all: Vec<_> = files.iter().flat_map(|f| f.runs.iter()).collect();
    let cov = coverage.then(|| fixture::coverage_of(catalog, all.iter().copied()));
    let (text, ok) = report::fixtures::render(catalog, &files, cov.as_deref(), lang);
    (text, if ok { 0 } else { 1 })
}
