//! peitao against regorus on the same nine rules and the same files
//! (issue 25). Before anything is timed, every file's verdicts from both
//! engines must be equal, rule by rule and subject by subject; a difference
//! stops the run naming the file and the rule. See README.md.

use std::collections::{BTreeMap, BTreeSet};
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use peitao::engine::{self, Status};
use peitao::input::{self, Record, Submission, Value};
use peitao::plan::{self, Catalog};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The nine rules: three templates' worth of figures (estate-standard,
/// share, rate, one-per, record-target) and two scripts, over four packs.
const RULES: [&str; 9] = [
    "shiyan.elderly-space-new",
    "shiyan.elderly-space-existing",
    "kunming.childcare-slots-new",
    "shiyan.nursing-bed-ratio",
    "shiyan.childcare-slots-region",
    "shiyan.social-workers",
    "shiyan.medical-room",
    "honghe.childcare-radius",
    "jiamusi.certified-staff",
];

/// The Rego of the nine rules, compiled into the binary.
const REGO: [(&str, &str); 9] = [
    ("plan.rego", include_str!("../rules/plan.rego")),
    (
        "elderly-space.rego",
        include_str!("../rules/elderly-space.rego"),
    ),
    (
        "childcare-slots-new.rego",
        include_str!("../rules/childcare-slots-new.rego"),
    ),
    (
        "nursing-bed-ratio.rego",
        include_str!("../rules/nursing-bed-ratio.rego"),
    ),
    (
        "childcare-slots-region.rego",
        include_str!("../rules/childcare-slots-region.rego"),
    ),
    (
        "social-workers.rego",
        include_str!("../rules/social-workers.rego"),
    ),
    (
        "medical-room.rego",
        include_str!("../rules/medical-room.rego"),
    ),
    (
        "childcare-radius.rego",
        include_str!("../rules/childcare-radius.rego"),
    ),
    (
        "certified-staff.rego",
        include_str!("../rules/certified-staff.rego"),
    ),
];

const QUERY: &str = "data.peitao.outcomes";

/// One verdict: rule, subject (`estate`, `institutions[0]`), status.
type Verdict = (String, String, &'static str);

fn usage() -> ! {
    eprintln!(
        "usage: peitao-peer [compare] [--files N] [--rounds N] [--rego DIR]\n       \
         peitao-peer only peitao|peitao-rules|regorus|regorus-rules|regorus-yaml [--files N]\n\
         (`only` runs one engine once over the files after the verdict check, for callgrind)"
    );
    std::process::exit(2)
}

struct Args {
    only: Option<String>,
    rego: Option<String>,
    files: u64,
    rounds: usize,
}

fn args() -> Args {
    let mut a = Args {
        only: None,
        rego: None,
        files: 2000,
        rounds: 5,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "compare" => {}
            "only" => a.only = Some(it.next().unwrap_or_else(|| usage())),
            "--rego" => a.rego = Some(it.next().unwrap_or_else(|| usage())),
            "--files" => {
                a.files = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            "--rounds" => {
                a.rounds = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            _ => usage(),
        }
    }
    a
}

// ------------------------------------------------------------------ peitao

/// The catalog indices of the nine rules.
fn rule_indices(catalog: &Catalog) -> Vec<usize> {
    RULES
        .iter()
        .map(|id| {
            catalog
                .rules
                .iter()
                .position(|r| r.id == *id)
                .unwrap_or_else(|| panic!("no rule {id} in the built-in packs"))
        })
        .collect()
}

/// peitao on one submission's text: parse, validate, select its plan, and
/// run those of the nine rules its plan has (as `peitao check` would, with
/// the other rules left out). No report is rendered.
fn peitao_text(catalog: &Catalog, rules: &[usize], text: &str) -> Vec<engine::Finding> {
    let limits = input::Limits::default();
    let sub = input::parse_submission(text, &limits).expect("corpus files are valid");
    peitao_rules(catalog, rules, &sub)
}

/// peitao's rules on a submission already parsed and validated.
fn peitao_rules(catalog: &Catalog, rules: &[usize], sub: &Submission) -> Vec<engine::Finding> {
    let (packs, day) =
        plan::select(catalog, sub, &plan::Selection::default()).expect("a plan answers");
    let mine = rules
        .iter()
        .copied()
        .filter(|r| packs.iter().any(|&p| catalog.packs[p].rules.contains(r)));
    engine::run_rules(catalog, mine, sub, &day)
}

fn peitao_verdicts(catalog: &Catalog, findings: &[engine::Finding]) -> BTreeSet<Verdict> {
    findings
        .iter()
        .map(|f| {
            let status = match f.status {
                Status::Holds => "holds",
                Status::Violated => "violated",
                Status::Unchecked => "cannot be checked",
                Status::RuleError => panic!(
                    "rule error in {}: {}",
                    catalog.rules[f.rule].id, f.message.en
                ),
            };
            (catalog.rules[f.rule].id.clone(), f.subject.clone(), status)
        })
        .collect()
}

// ------------------------------------------------------- the JSON regorus reads

/// The validated submission as JSON: each section's fields by their names
/// in the format, quantities in the units peitao judges them in (m², m),
/// dates as written. What regorus is given, so that both engines judge
/// the same values (units in strings such as `0.3 km` are read by peitao's
/// validation, which Rego has no builtin for).
fn to_json(sub: &Submission) -> serde_json::Value {
    use serde_json::{Map, Value as J};
    fn value(v: &Value) -> J {
        match v {
            Value::Int(i) => J::from(*i),
            Value::Num(n) => {
                let s = n.to_string();
                match s.parse::<i64>() {
                    Ok(i) => J::from(i),
                    Err(_) => J::from(s.parse::<f64>().expect("a submission's numbers terminate")),
                }
            }
            Value::Bool(b) => J::Bool(*b),
            Value::Text(t) => J::String(t.clone()),
            Value::Date(d) => J::String(d.to_string()),
            Value::Record(r) => record(r),
        }
    }
    fn record(r: &Record) -> J {
        let mut m = Map::new();
        for e in &r.entries {
            m.insert(e.name.to_string(), value(&e.value));
        }
        J::Object(m)
    }
    let list = |rs: &[Record]| J::Array(rs.iter().map(record).collect());
    let mut m = Map::new();
    m.insert("submission".into(), record(&sub.filing));
    if let Some(e) = &sub.estate {
        m.insert("estate".into(), record(e));
    }
    m.insert("facilities".into(), list(&sub.facilities));
    m.insert("institutions".into(), list(&sub.institutions));
    m.insert("hospitals".into(), list(&sub.hospitals));
    m.insert("venues".into(), list(&sub.venues));
    if let Some(r) = &sub.region {
        m.insert("region".into(), record(r));
    }
    J::Object(m)
}

// ------------------------------------------------------------------ regorus

/// The nine rules in Rego: those compiled in, or every `*.rego` of `dir`
/// (`--rego DIR`: to try a changed rule without a rebuild, or to see the
/// verdict check fail on a rule changed on purpose).
fn regorus_engine(dir: Option<&str>) -> regorus::Engine {
    let mut e = regorus::Engine::new();
    let policies: Vec<(String, String)> = match dir {
        None => REGO
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect(),
        Some(dir) => {
            let mut files: Vec<_> = std::fs::read_dir(dir)
                .unwrap_or_else(|err| panic!("{dir}: {err}"))
                .map(|f| f.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "rego"))
                .collect();
            files.sort();
            files
                .into_iter()
                .map(|p| {
                    (
                        p.display().to_string(),
                        std::fs::read_to_string(&p).unwrap(),
                    )
                })
                .collect()
        }
    };
    for (name, text) in policies {
        e.add_policy(format!("rules/{name}"), text)
            .unwrap_or_else(|err| panic!("{name}: {err}"));
    }
    e
}

/// regorus on one file's JSON text: parse it as its input, evaluate.
fn regorus_text(e: &mut regorus::Engine, json: &str) -> regorus::Value {
    e.set_input_json(json).expect("valid JSON");
    e.eval_rule(QUERY.to_string()).expect("the rules evaluate")
}

/// regorus on an input already parsed.
fn regorus_value(e: &mut regorus::Engine, input: &regorus::Value) -> regorus::Value {
    e.set_input(input.clone());
    e.eval_rule(QUERY.to_string()).expect("the rules evaluate")
}

fn regorus_verdicts(v: &regorus::Value) -> BTreeSet<Verdict> {
    if *v == regorus::Value::Undefined {
        return BTreeSet::new();
    }
    let json: serde_json::Value = serde_json::from_str(&v.to_json_str().expect("JSON")).unwrap();
    json.as_array()
        .expect("a set of verdicts")
        .iter()
        .map(|t| {
            let t = t.as_array().expect("[rule, subject, status]");
            let s = |i: usize| t[i].as_str().expect("strings").to_string();
            let status = match s(2).as_str() {
                "holds" => "holds",
                "violated" => "violated",
                "cannot be checked" => "cannot be checked",
                other => panic!("unknown status {other:?} from the Rego rules"),
            };
            (s(0), s(1), status)
        })
        .collect()
}

fn count(v: &regorus::Value) -> usize {
    v.as_set().map_or(0, |s| s.len())
}

// ------------------------------------------------------------ fixture cases

/// The fixture cases of the nine rules (`rules/<pack>/tests/<rule>.yaml`),
/// each run as `peitao test` runs it (against its own rule, on its plan's
/// fixture day when it has no filing date), and given to regorus as JSON
/// with its jurisdiction set to the rule's plan. They put each rule on both
/// sides of its figures and on missing values, which the corpus does not.
/// The verdicts must be equal; returns the number of cases compared and
/// the verdicts per rule and status.
fn fixture_check(
    catalog: &Catalog,
    rules: &[usize],
    rego: &mut regorus::Engine,
) -> (usize, BTreeMap<(String, &'static str), usize>) {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let mut compared = 0;
    let mut per_status = BTreeMap::new();
    for &r in rules {
        let id = &catalog.rules[r].id;
        let (pack_id, name) = id.split_once('.').expect("pack.rule");
        let pack = catalog
            .packs
            .iter()
            .position(|p| p.manifest.id == pack_id)
            .expect("the rule's pack");
        let path = format!("rules/{pack_id}/tests/{name}.yaml");
        let text = std::fs::read_to_string(format!("{root}/{path}"))
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        for case in peitao::fixture::cases(&text) {
            let line = case.first_line;
            let run = peitao::fixture::run_case(catalog, pack, &[r], case, &path);
            let peitao::check::Outcome::Checked(checked) = &run.result.outcome else {
                continue; // an input error: no rule runs
            };
            let ours = peitao_verdicts(catalog, &checked.outcomes);
            let sub = input::parse_submission(&run.case.text, &input::Limits::default())
                .expect("a checked case parses");
            let mut json = to_json(&sub);
            json["submission"]["jurisdiction"] = serde_json::Value::from(pack_id);
            let json = json.to_string();
            let theirs: BTreeSet<Verdict> = regorus_verdicts(&regorus_text(rego, &json))
                .into_iter()
                .filter(|v| v.0 == *id)
                .collect();
            if ours != theirs {
                mismatch(
                    &format!("{path}:{line}"),
                    &ours,
                    &theirs,
                    &run.case.text,
                    &json,
                );
            }
            compared += 1;
            for (rule, _, status) in ours {
                *per_status.entry((rule, status)).or_default() += 1;
            }
        }
    }
    (compared, per_status)
}

fn print_counts(per_status: &BTreeMap<(String, &'static str), usize>) {
    for ((rule, status), n) in per_status {
        println!("  {rule:32} {status:18} {n}");
    }
}

fn mismatch(
    what: &str,
    ours: &BTreeSet<Verdict>,
    theirs: &BTreeSet<Verdict>,
    text: &str,
    json: &str,
) -> ! {
    eprintln!("MISMATCH on {what}:");
    for v in ours.difference(theirs) {
        eprintln!("  peitao only:  {} {} {}", v.0, v.1, v.2);
    }
    for v in theirs.difference(ours) {
        eprintln!("  regorus only: {} {} {}", v.0, v.1, v.2);
    }
    eprintln!("--- the file ---\n{text}--- as JSON ---\n{json}");
    std::process::exit(1);
}

// ------------------------------------------------------------------ timing

// What is measured, one function each so that callgrind can count it alone.

/// peitao over the files' YAML texts.
#[inline(never)]
fn run_peitao(catalog: &Catalog, rules: &[usize], texts: &[Arc<str>]) -> usize {
    texts
        .iter()
        .map(|t| peitao_text(catalog, rules, t).len())
        .sum()
}

/// peitao's rules over the parsed submissions.
#[inline(never)]
fn run_peitao_rules(catalog: &Catalog, rules: &[usize], subs: &[Submission]) -> usize {
    subs.iter()
        .map(|s| peitao_rules(catalog, rules, s).len())
        .sum()
}

/// regorus over the files' JSON texts.
#[inline(never)]
fn run_regorus(e: &mut regorus::Engine, jsons: &[String]) -> usize {
    jsons.iter().map(|j| count(&regorus_text(e, j))).sum()
}

/// regorus over the files' YAML texts, behind peitao's reader: each file
/// parsed and validated by peitao (its units read), written as JSON and
/// given to regorus. What a Rego user of this format would run.
#[inline(never)]
fn run_regorus_yaml(e: &mut regorus::Engine, texts: &[Arc<str>]) -> usize {
    let limits = input::Limits::default();
    texts
        .iter()
        .map(|t| {
            let sub = input::parse_submission(t, &limits).expect("corpus files are valid");
            count(&regorus_text(e, &to_json(&sub).to_string()))
        })
        .sum()
}

/// regorus over the parsed inputs.
#[inline(never)]
fn run_regorus_rules(e: &mut regorus::Engine, inputs: &[regorus::Value]) -> usize {
    inputs.iter().map(|v| count(&regorus_value(e, v))).sum()
}

/// Best of `rounds` for each measure, taken in turns (a, b, c, a, b, c …)
/// so that a change of machine load falls on all of them.
fn interleaved(rounds: usize, measures: &mut [&mut dyn FnMut() -> usize]) -> Vec<Duration> {
    let mut best = vec![Duration::MAX; measures.len()];
    for _ in 0..rounds {
        for (i, m) in measures.iter_mut().enumerate() {
            let t = Instant::now();
            black_box(m());
            best[i] = best[i].min(t.elapsed());
        }
    }
    best
}

fn main() {
    let args = args();
    let catalog = engine::load_embedded().expect("the built-in packs load");
    let rules = rule_indices(&catalog);
    let mut rego = regorus_engine(args.rego.as_deref());

    // The corpus of `cargo bench` (src/corpus.rs), and each file's JSON,
    // made once, before anything is timed.
    let texts: Vec<Arc<str>> = (0..args.files)
        .map(|i| Arc::from(peitao::corpus::submission(i)))
        .collect();
    let subs: Vec<Submission> = texts
        .iter()
        .map(|t| {
            input::parse_submission(t, &input::Limits::default()).expect("corpus files are valid")
        })
        .collect();
    let jsons: Vec<String> = subs.iter().map(|s| to_json(s).to_string()).collect();
    let inputs: Vec<regorus::Value> = jsons
        .iter()
        .map(|j| regorus::Value::from_json_str(j).unwrap())
        .collect();

    // The verdicts, equal on every fixture case and every file before
    // either engine is timed.
    let (cases, per_case) = fixture_check(&catalog, &rules, &mut rego);
    println!("verdicts equal on all {cases} fixture cases of the nine rules:");
    print_counts(&per_case);
    let mut per_status = BTreeMap::<(String, &str), usize>::new();
    for (i, text) in texts.iter().enumerate() {
        let ours = peitao_verdicts(&catalog, &peitao_text(&catalog, &rules, text));
        let theirs = regorus_verdicts(&regorus_text(&mut rego, &jsons[i]));
        if ours != theirs {
            let what = format!("corpus file {i} (peitao::corpus::submission({i}))");
            mismatch(&what, &ours, &theirs, text, &jsons[i]);
        }
        for (rule, _, status) in ours {
            *per_status.entry((rule, status)).or_default() += 1;
        }
    }
    println!("verdicts equal on all {} files:", args.files);
    print_counts(&per_status);
    for rule in RULES {
        if !per_status.keys().any(|(r, _)| r == rule) {
            eprintln!("rule {rule} has no verdict on the corpus: it would compare nothing");
            std::process::exit(1);
        }
    }

    if let Some(only) = &args.only {
        // One engine, once, for callgrind: count with
        // --toggle-collect='peitao_peer::run_*' (callgrind.sh).
        let n = match only.as_str() {
            "peitao" => run_peitao(&catalog, &rules, &texts),
            "peitao-rules" => run_peitao_rules(&catalog, &rules, &subs),
            "regorus" => run_regorus(&mut rego, &jsons),
            "regorus-rules" => run_regorus_rules(&mut rego, &inputs),
            "regorus-yaml" => run_regorus_yaml(&mut rego, &texts),
            _ => usage(),
        };
        println!("{only}: {n} outcomes");
        return;
    }

    let (mut e1, mut e2, mut e3) = (rego.clone(), rego.clone(), rego.clone());
    let t = interleaved(
        args.rounds,
        &mut [
            &mut || run_peitao(&catalog, &rules, &texts),
            &mut || run_regorus(&mut e1, &jsons),
            &mut || run_peitao_rules(&catalog, &rules, &subs),
            &mut || run_regorus_rules(&mut e2, &inputs),
            &mut || run_regorus_yaml(&mut e3, &texts),
        ],
    );
    let us = |d: Duration| d.as_secs_f64() * 1e6 / args.files as f64;
    println!(
        "\nbest of {} rounds, one thread, {} files, µs per file:",
        args.rounds, args.files
    );
    println!("  each from its own text (peitao: YAML parse + validation + plan + rules; regorus: JSON parse + eval):");
    println!("    peitao  {:8.2}", us(t[0]));
    println!("    regorus {:8.2}", us(t[1]));
    println!(
        "    regorus / peitao = {:.2}×",
        t[1].as_secs_f64() / t[0].as_secs_f64()
    );
    println!(
        "  from the YAML text, regorus behind peitao's reader (parse, validate, JSON, regorus):"
    );
    println!("    peitao  {:8.2}", us(t[0]));
    println!("    regorus {:8.2}", us(t[4]));
    println!(
        "    regorus / peitao = {:.2}×",
        t[4].as_secs_f64() / t[0].as_secs_f64()
    );
    println!("  rules only (each from its parsed input: peitao's Submission, regorus's Value):");
    println!("    peitao  {:8.2}", us(t[2]));
    println!("    regorus {:8.2}", us(t[3]));
    println!(
        "    regorus / peitao = {:.2}×",
        t[3].as_secs_f64() / t[2].as_secs_f64()
    );
}
