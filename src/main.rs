//! The `peitao` command: arguments in, report out, exit code back.

use clap::{Parser, Subcommand, ValueEnum};
use peitao::check::{self, Options};
use peitao::input::{Date, Limits};
use peitao::plan::{self, Catalog, Lang, Selection};
use peitao::report::{self, human, output, FailOn};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

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
    #[arg(long = "rules", value_name = "DIR", global = true)]
    rules: Vec<PathBuf>,
    /// Use only the packs given with --rules.
    #[arg(long, global = true)]
    no_builtin_rules: bool,
    /// Wall-clock budget of one rule on one submission, in milliseconds;
    /// past it the rule is a rule error and the others' results stand.
    #[arg(long, value_name = "MS", global = true,
          default_value_t = peitao::engine::sandbox::DEFAULT_RULE_TIME.as_millis() as u64)]
    rule_time_limit: u64,
    /// Wall-clock budget of loading one rule script, in milliseconds; past
    /// it the pack is refused.
    #[arg(long, value_name = "MS", global = true,
          default_value_t = peitao::engine::sandbox::DEFAULT_LOAD_TIME.as_millis() as u64)]
    load_time_limit: u64,
}

#[derive(Subcommand)]
enum Command {
    /// Check submission files, or directories of them (*.yaml, *.yml).
    ///
    /// Exit codes: 0 nothing at or above --fail-on; 1 findings at or above
    /// it; 2 a file could not be read or is not a valid submission.
    Check(CheckArgs),
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
    },
    /// Print the JSON Schema of the submission format (for editors).
    Schema,
    /// Explain one rule: its clause in context, what it checks, and its script.
    Explain {
        rule_id: String,
        #[command(flatten)]
        common: CommonArgs,
    },
}

#[derive(clap::Args)]
struct CommonArgs {
    /// Language of titles and messages (clauses are always quoted in Chinese).
    /// Default: from LANG (zh* → zh, else en).
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files or directories to check.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Check against this plan (id or alias) instead of each file's jurisdiction; repeat to compare plans.
    #[arg(long = "plan", value_name = "ID")]
    plans: Vec<String>,
    /// Judge as of this date (YYYY-MM-DD) instead of each file's `filed` date.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<Date>,
    /// Lowest severity that makes the run fail (exit 1).
    #[arg(long, value_enum, default_value = "error")]
    fail_on: FailOnArg,
    /// `--deny warnings`: the same as `--fail-on warning`.
    #[arg(long, value_name = "warnings", value_parser = ["warnings"])]
    deny: Option<String>,
    #[command(flatten)]
    common: CommonArgs,
    /// Colour: auto (when writing to a terminal and NO_COLOR is unset), always, never.
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorArg,
    /// Width the diagnostics wrap at.
    #[arg(long, default_value_t = 100)]
    width: usize,
    /// Largest submission file read, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_file_bytes)]
    max_file_size: usize,
    /// Deepest nesting of mappings and lists in a submission.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_depth)]
    max_depth: usize,
    /// Most YAML values (scalars, lists, mappings) in a submission.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_nodes)]
    max_nodes: usize,
    /// Most alias references (`*name`) in a submission.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_aliases)]
    max_aliases: usize,
    /// Most facilities, institutions or venues in one list.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_records)]
    max_records: usize,
    /// Report format.
    #[arg(long, value_enum, default_value = "human")]
    format: FormatArg,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
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

fn lang(arg: &CommonArgs) -> Lang {
    match arg.lang {
        Some(LangArg::Zh) => Lang::Zh,
        Some(LangArg::En) => Lang::En,
        None => Lang::from_env(),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    peitao::engine::sandbox::set_time_limits(
        std::time::Duration::from_millis(cli.rule_time_limit),
        std::time::Duration::from_millis(cli.load_time_limit),
    );
    let loaded = load_packs(&cli);
    let catalog = match loaded {
        Ok(c) => c,
        Err(errors) => {
            to_stderr(&report::plan_errors(&errors));
            return ExitCode::from(2);
        }
    };
    let (text, code) = match cli.command {
        Command::Check(args) => run_check(&catalog, args),
        Command::Plans(common) => (report::catalog::plans(&catalog, lang(&common)), 0),
        Command::Rules { plan, common } => {
            match report::catalog::rules(&catalog, plan.as_deref(), lang(&common)) {
                Ok(t) => (t, 0),
                Err(e) => (e, 2),
            }
        }
        Command::Test { coverage, .. } => run_tests(&catalog, coverage),
        Command::Schema => (peitao::input::schema::submission_schema(), 0),
        Command::Explain { rule_id, common } => {
            match report::catalog::explain(&catalog, &rule_id, lang(&common)) {
                Ok(t) => (t, 0),
                Err(e) => (e, 2),
            }
        }
    };
    // A closed pipe (`peitao check … | head`) is not an error worth a panic.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    ExitCode::from(code)
}

/// The built-in packs and those of --rules (`peitao test DIR`: DIR's only).
fn load_packs(cli: &Cli) -> Result<Catalog, Vec<plan::PlanError>> {
    let mut dirs = cli.rules.clone();
    let mut builtin = !cli.no_builtin_rules;
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
                Some(builtin) if *builtin != text => errors.push(plan::PlanError {
                    file: path.clone(),
                    source: text.clone(),
                    code: "duplicate-pack",
                    message: format!("{path} is also the path of a built-in pack file"),
                    span: Default::default(),
                    label: "here".into(),
                    help: Some("load the directory with --no-builtin-rules, or give the pack its own id (and `replaces: <id>` to stand in for a built-in pack)".into()),
                }),
                _ => {
                    files.insert(path, text);
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    plan::load_files(&files)
}

fn run_check(catalog: &Catalog, args: CheckArgs) -> (String, u8) {
    let lang = lang(&args.common);
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let fail_on = match (args.deny.is_some(), args.fail_on) {
        (true, _) | (_, FailOnArg::Warning) => FailOn::Warning,
        (_, FailOnArg::Error) => FailOn::Error,
        (_, FailOnArg::Never) => FailOn::Never,
    };
    let options = Options {
        selection: Selection {
            plans: args.plans,
            as_of: args.as_of,
        },
        limits: Limits {
            max_file_bytes: args.max_file_size,
            max_depth: args.max_depth,
            max_nodes: args.max_nodes,
            max_aliases: args.max_aliases,
            max_records: args.max_records,
        },
    };
    let (files, walk_errors) = check::collect(&args.paths);
    let style = human::Style {
        lang,
        color: color && args.output.is_none(),
        width: args.width,
    };
    let mut sink: Box<dyn report::Sink> = match args.format {
        FormatArg::Human => Box::new(human::HumanSink { catalog, style }),
        FormatArg::Json => Box::new(report::json::JsonSink::new(catalog, lang)),
        FormatArg::Sarif => Box::new(report::sarif::SarifSink::new(catalog, lang)),
        FormatArg::Junit => Box::new(report::junit::JunitSink::new(catalog, lang)),
        FormatArg::Html => Box::new(report::html::HtmlSink::new(catalog, lang)),
    };
    let target = match &args.output {
        None => None,
        Some(path) => match output::Target::new(path, &args.paths) {
            Ok(t) => Some(t),
            Err(why) => {
                to_stderr(&format!("error: {why}\n"));
                return (String::new(), 2);
            }
        },
    };
    let writer: Box<dyn Write> = match &target {
        None => Box::new(std::io::stdout().lock()),
        Some(t) => match t.create() {
            Ok(f) => Box::new(f),
            Err(e) => {
                to_stderr(&format!(
                    "error: cannot write {}: {e}\n",
                    human::sanitize_line(&t.path.display().to_string())
                ));
                return (String::new(), 2);
            }
        },
    };
    let mut out = output::Quiet::new(std::io::BufWriter::new(writer));
    let progress = Progress::start(files.len());
    let summary = sink.begin(&mut out).and_then(|()| {
        check::check_stream(
            catalog,
            files,
            walk_errors,
            &options,
            &|| progress.tick(),
            &mut |r| sink.file(r, &mut out),
        )
    });
    drop(progress);
    let written = summary.and_then(|summary| {
        sink.finish(&summary, &mut out)?;
        out.flush()?;
        Ok(summary)
    });
    let written = written.and_then(|summary| match &target {
        Some(t) => t.commit().map(|()| summary),
        None => Ok(summary),
    });
    match written {
        // A closed pipe (`peitao check … | head`) ended the output, not the
        // run: every file was still checked, and the exit code says so.
        Ok(summary) => {
            if args.output.is_some() {
                to_stderr(&format!("{}\n", human::summary_line(&summary, lang)));
            }
            (String::new(), summary.exit_code(fail_on))
        }
        Err(e) => {
            to_stderr(&format!("error: writing the report: {e}\n"));
            (String::new(), 2)
        }
    }
}

/// Write to standard error, ignoring a closed one: a diagnostic that
/// cannot be shown is no reason to panic.
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

fn run_tests(catalog: &Catalog, coverage: bool) -> (String, u8) {
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
    let (text, ok) = report::fixtures::render(catalog, &files, cov.as_deref());
    (text, if ok { 0 } else { 1 })
}
