//! The `peitao` command: arguments in, report out, exit code back.

use clap::{Parser, Subcommand, ValueEnum};
use peitao::check::{self, Options};
use peitao::input::{Date, Limits};
use peitao::plan::{self, Catalog, Lang, Selection};
use peitao::report::{self, human, FailOn};
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
    /// besides the built-in ones; a file at the same path as a built-in one
    /// replaces it. Repeatable.
    #[arg(long = "rules", value_name = "DIR", global = true)]
    rules: Vec<PathBuf>,
    /// Use only the packs given with --rules.
    #[arg(long, global = true)]
    no_builtin_rules: bool,
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

fn lang(arg: &CommonArgs) -> Lang {
    match arg.lang {
        Some(LangArg::Zh) => Lang::Zh,
        Some(LangArg::En) => Lang::En,
        None => Lang::from_env(),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Lsp { common, debounce } = &cli.command {
        let settings = peitao::lsp::Settings {
            rules: cli.rules.clone(),
            no_builtin_rules: cli.no_builtin_rules,
            lang: lang(common),
            debounce: std::time::Duration::from_millis(*debounce),
            ..Default::default()
        };
        return match peitao::lsp::run_stdio(settings) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: peitao lsp: {e}");
                ExitCode::from(2)
            }
        };
    }
    let loaded = load_packs(&cli);
    let catalog = match loaded {
        Ok(c) => c,
        Err(errors) => {
            eprint!("{}", report::plan_errors(&errors));
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
        Command::Lsp { .. } => unreachable!("served above"),
        Command::Coverage { plan, format } => {
            // An alias (十堰, 十堰市) names the plan as well as its id.
            let plan = plan.map(|p| {
                catalog
                    .packs
                    .iter()
                    .find(|pack| pack.manifest.aliases.contains(&p))
                    .map_or(p, |pack| pack.manifest.id.clone())
            });
            run_coverage(plan.as_deref(), format)
        }
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
    for dir in &dirs {
        files.extend(plan::load_dir(dir)?);
    }
    peitao::engine::load_files(&files)
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
    let mut out: Box<dyn Write> = match &args.output {
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => Box::new(std::io::BufWriter::new(f)),
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                return (String::new(), 2);
            }
        },
    };
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
    match written {
        Ok(summary) => {
            if args.output.is_some() {
                eprintln!("{}", human::summary_line(&summary, lang));
            }
            (String::new(), summary.exit_code(fail_on))
        }
        // A closed pipe (`peitao check … | head`) ends the run quietly.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => (String::new(), 0),
        Err(e) => {
            eprintln!("error: writing the report: {e}");
            (String::new(), 2)
        }
    }
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
                eprint!("\rchecked {n}/{total}");
                if n >= total || n == usize::MAX {
                    eprint!("\r\x1b[2K");
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

fn run_coverage(plan: Option<&str>, format: CoverageFormat) -> (String, u8) {
    use report::coverage;
    let all = match plan::coverage::clauses() {
        Ok(all) => all,
        Err(e) => return (format!("error: {e}\n"), 2),
    };
    match coverage::select(&all, plan) {
        Ok(clauses) if format == CoverageFormat::Json => (coverage::json(&clauses), 0),
        Ok(clauses) => (coverage::human(&clauses), 0),
        Err(e) => (e, 2),
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
