//! Messages the report builds from several catalogue entries or from the
//! stages' own values (usage errors, region figures, rules not in force),
//! and docs/codes.md. The catalogue itself is [`crate::base::text`].

use crate::base::text::{code_meaning, say, word};
use crate::check::{ArgProblem, Usage};
use crate::input::{InputError, Msg};
use crate::plan::Lang;

fn ticked(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A usage error as printed on standard error: `error[usage::…]: …` and,
/// when there is one, a `help:` line.
pub fn usage(u: &Usage, lang: Lang) -> String {
    let (message, help) = match u {
        Usage::UnknownPlan {
            name,
            suggestion,
            known,
        } => (
            Msg::new("usage.unknown-plan").arg("name", name),
            Some(match suggestion {
                Some(s) => Msg::new("usage.unknown-plan.help-near")
                    .arg("best", s)
                    .arg("known", known),
                None => Msg::new("usage.unknown-plan.help").arg("known", known),
            }),
        ),
        Usage::UnknownRule { id, near } => (
            Msg::new("usage.unknown-rule").arg("id", id),
            Some(if near.is_empty() {
                Msg::new("usage.unknown-rule.help")
            } else {
                Msg::new("usage.unknown-rule.help-near").arg("near", ticked(near))
            }),
        ),
        Usage::NoEffect { option, format } => (
            Msg::new("usage.no-effect")
                .arg("option", option)
                .arg("format", format),
            Some(Msg::new("usage.no-effect.help").arg("option", option)),
        ),
        Usage::NoPacks => (
            Msg::new("usage.no-packs"),
            Some(Msg::new("usage.no-packs.help")),
        ),
        Usage::Arguments { problem, usage } => arguments(problem, usage.as_deref()),
    };
    let mut out = format!(
        "{}[{}]: {}\n",
        label(Label::Error, lang),
        u.code(),
        say(&message, lang)
    );
    if let Some(help) = help {
        out.push_str(&format!(
            "  {}: {}\n",
            label(Label::Help, lang),
            say(&help, lang)
        ));
    }
    out
}

/// A command line the argument parser refused: message and help. The
/// help ends with the command's usage line and where to read more.
fn arguments(problem: &ArgProblem, usage: Option<&str>) -> (Msg, Option<Msg>) {
    // `peitao check` of `peitao check [OPTIONS] <PATHS>...`.
    let command = usage.map(|u| {
        u.split_whitespace()
            .take_while(|w| !w.starts_with(['[', '<', '-']))
            .collect::<Vec<_>>()
            .join(" ")
    });
    let command = command.filter(|c| !c.is_empty());
    let command = command.unwrap_or_else(|| "peitao".into());
    let pointer = match usage {
        Some(u) => Msg::new("args.usage")
            .arg("usage", u)
            .arg("command", &command),
        None => Msg::new("args.help").arg("command", &command),
    };
    // After a question, the next part follows a space; else a semicolon.
    let with = |first: Option<Msg>| match first {
        Some(f) => {
            let question = matches!(f.key, "did-you-mean" | "args.did-you-mean");
            Msg::new(if question {
                "args.then-question"
            } else {
                "args.then"
            })
            .phrase("first", f)
            .phrase("pointer", pointer.clone())
        }
        None => pointer.clone(),
    };
    let values = |allowed: &[String]| {
        (!allowed.is_empty()).then(|| Msg::new("args.values").arg("values", ticked(allowed)))
    };
    let (message, first) = match problem {
        ArgProblem::UnknownOption { arg, suggestion } => (
            Msg::new("args.unknown-option").arg("arg", arg),
            suggestion
                .as_ref()
                .map(|s| Msg::new("did-you-mean").arg("best", s)),
        ),
        ArgProblem::UnknownCommand { name, suggestions } => (
            Msg::new("args.unknown-command").arg("name", name),
            (!suggestions.is_empty())
                .then(|| Msg::new("args.did-you-mean").arg("names", ticked(suggestions))),
        ),
        ArgProblem::InvalidValue {
            arg,
            value,
            allowed,
            suggestion,
            reason,
        } => {
            let message = match reason {
                Some(r) => Msg::new("args.invalid-value.why").quote("why", r),
                None => Msg::new("args.invalid-value"),
            };
            let first = match (suggestion, values(allowed)) {
                (Some(s), Some(v)) => Some(
                    Msg::new("args.did-you-mean.values")
                        .arg("best", s)
                        .phrase("values", v),
                ),
                (Some(s), None) => Some(Msg::new("did-you-mean").arg("best", s)),
                (None, v) => v,
            };
            (message.arg("arg", arg).arg("value", value), first)
        }
        ArgProblem::MissingValue { arg, allowed } => (
            Msg::new("args.missing-value").arg("arg", arg),
            values(allowed),
        ),
        ArgProblem::MissingArgument { args } => (
            Msg::new("args.missing-argument").arg("args", ticked(args)),
            None,
        ),
        ArgProblem::Conflict { arg, other } => (
            Msg::new("args.conflict")
                .arg("arg", arg)
                .arg("other", other),
            None,
        ),
        ArgProblem::Other { parser } => (Msg::new("args.other").quote("parser", parser), None),
    };
    (message, Some(with(first)))
}

/// The small words before a message.
#[derive(Clone, Copy, Debug)]
pub enum Label {
    Error,
    Warning,
    Help,
    Note,
}

/// The human report's one finding for a region plan's missing figures:
/// its message (a line per field, with the rules that need it), the label
/// at the region and the help line. `fields` are `(path, rule ids)`.
pub fn region_figures_missing(
    rules: usize,
    fields: &[(String, Vec<String>)],
    lang: Lang,
) -> (String, String, String) {
    let list: String = fields
        .iter()
        .map(|(path, ids)| format!("\n  {path} ({})", ids.join(", ")))
        .collect();
    let n = fields.len();
    (
        say(
            &Msg::new("human.region-figures-missing")
                .arg("n", n)
                .arg("rules", rules)
                .arg("list", list),
            lang,
        ),
        say(
            &Msg::new("human.region-figures-missing.label").arg("n", n),
            lang,
        ),
        word("human.region-figures-missing.help", lang).to_string(),
    )
}

/// The small word before a message: error, warning, help, note.
pub fn label(l: Label, lang: Lang) -> &'static str {
    word(
        match l {
            Label::Error => "label.error",
            Label::Warning => "label.warning",
            Label::Help => "label.help",
            Label::Note => "label.note",
        },
        lang,
    )
}

/// "rule X is not in force on <day> (in force: from – until): not
/// checked": said of a rule whose own dates leave out the day judged on.
pub fn rule_not_in_force(
    rule: &crate::engine::Rule,
    day: &crate::input::Date,
    lang: Lang,
) -> String {
    let when = match rule.until {
        Some(d) => Msg::new("dates.from-until").arg("until", d),
        None => Msg::new("dates.from-open"),
    };
    let when = when.arg("from", rule.from.map_or("?".into(), |d| d.to_string()));
    say(
        &Msg::new("rule-not-in-force")
            .arg("rule", &rule.id)
            .arg("day", day)
            .phrase("when", when),
        lang,
    )
}

/// An input error in words: message, label, help and related labels.
pub struct InputText {
    pub message: String,
    pub label: String,
    pub help: Option<String>,
    pub related: Vec<String>,
}

pub fn input_error(e: &InputError, lang: Lang) -> InputText {
    InputText {
        message: say(&e.message, lang),
        label: say(&e.label, lang),
        help: e.help.as_ref().map(|h| say(h, lang)),
        related: e.related.iter().map(|(_, m)| say(m, lang)).collect(),
    }
}

/// docs/codes.md: every code peitao reports, generated from the code (a
/// test keeps the page in step).
pub fn codes_page() -> String {
    let mut out = String::from(
        "# Codes\n\n\
         Every diagnostic peitao reports has a stable code, written the same in\n\
         the terminal, JSON, SARIF (`ruleId`) and JUnit: `stage::code`. Rule\n\
         findings use the rule's id (`pack.rule`, listed by `peitao rules`).\n\
         Messages are in English and Chinese (`--lang`), from one catalogue,\n\
         `src/base/text.rs`; so is what each code means (below, and in\n\
         SARIF's rule descriptors). Words of other programs (the YAML and TOML\n\
         parsers, rhai, the operating system) are quoted as they wrote them.\n\n\
         This page is generated: `PEITAO_WRITE_CODES=1 cargo test --test lang`.\n",
    );
    let mut section = |title: &str, intro: &str, codes: Vec<String>| {
        out.push_str(&format!("\n## {title}\n\n"));
        if !intro.is_empty() {
            out.push_str(intro);
            out.push_str("\n\n");
        }
        out.push_str("| code | what |\n|---|---|\n");
        for code in codes {
            out.push_str(&format!(
                "| `{code}` | {} |\n",
                code_meaning(&code, Lang::En)
            ));
        }
    };
    section(
        "Input errors (exit 2)",
        "",
        crate::input::INPUT_CODES
            .iter()
            .map(|c| format!("input::{c}"))
            .collect(),
    );
    section(
        "Usage errors (exit 2, before any file is read)",
        "Command lines the argument parser refuses (`unknown-option` to\n\
         `bad-arguments`) carry a code under `--lang zh`; in English they are\n\
         the parser's own messages.",
        crate::check::USAGE_CODES
            .iter()
            .map(|c| c.to_string())
            .collect(),
    );
    section(
        "Rule pack errors (exit 2)",
        "`plan::…` codes point into a pack's manifest, script or table; see\n\
         [writing-rules.md](writing-rules.md).",
        crate::plan::PLAN_CODES
            .iter()
            .map(|c| format!("plan::{c}"))
            .collect(),
    );
    section(
        "Report notes",
        "The human report gathers findings a consumer would otherwise read\n         many times over; the JSON, SARIF and JUnit outputs keep each.",
        crate::report::REPORT_CODES
            .iter()
            .map(|c| format!("report::{c}"))
            .collect(),
    );
    section(
        "Config errors (exit 2)",
        "`config::…` codes point into `peitao.toml`; see [bureau.md](bureau.md).\n\
         `inside-checked-tree` is a warning: the run goes on without what it names.",
        crate::config::CONFIG_CODES
            .iter()
            .map(|c| format!("config::{c}"))
            .collect(),
    );
    out
}
