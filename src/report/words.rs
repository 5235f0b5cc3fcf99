//! Messages the report builds from several catalogue entries or from the
//! stages' own values (usage errors, region figures, rules not in force),
//! and docs/codes.md. The catalogue itself is [`crate::base::text`].

use crate::base::text::{code_meaning, say};
use crate::check::{ArgProblem, Usage};
use crate::input::{InputError, Msg};
use crate::plan::Lang;

/// "1 file", "2 files": English counts with the right plural.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

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
    let zh = lang == Lang::Zh;
    let (message, help) = match u {
        Usage::UnknownPlan {
            name,
            suggestion,
            known,
        } => {
            let mean = suggestion.as_ref().map(|s| {
                if zh {
                    format!("是否指 `{s}`? ")
                } else {
                    format!("did you mean `{s}`? ")
                }
            });
            let mean = mean.unwrap_or_default();
            if zh {
                (
                    format!("未知的规划 `{name}`"),
                    Some(format!("{mean}已知的规划: {known}")),
                )
            } else {
                (
                    format!("unknown plan `{name}`"),
                    Some(format!("{mean}known plans: {known}")),
                )
            }
        }
        Usage::UnknownRule { id, near } => {
            let list = ticked(near);
            match (zh, near.is_empty()) {
                (true, true) => (
                    format!("未知的规则 `{id}`"),
                    Some("`peitao rules` 列出全部规则".to_string()),
                ),
                (true, false) => (
                    format!("未知的规则 `{id}`"),
                    Some(format!("是否指 {list}? `peitao rules` 列出全部规则")),
                ),
                (false, true) => (
                    format!("unknown rule `{id}`"),
                    Some("`peitao rules` lists them".to_string()),
                ),
                (false, false) => (
                    format!("unknown rule `{id}`"),
                    Some(format!(
                        "did you mean {list}? `peitao rules` lists them all"
                    )),
                ),
            }
        }
        Usage::NoEffect { option, format } => {
            if zh {
                (
                    format!("`{option}` 对 `--format {format}` 不起作用"),
                    Some(format!("`{option}` 只用于 `--format human`")),
                )
            } else {
                (
                    format!("`{option}` has no effect with `--format {format}`"),
                    Some(format!("`{option}` applies to `--format human` only")),
                )
            }
        }
        Usage::NoPacks => {
            if zh {
                (
                    "`--no-builtin-rules` 未配 `--rules DIR`: 没有可用的规则".to_string(),
                    Some("用 `--rules DIR` 指定规则包目录".to_string()),
                )
            } else {
                (
                    "`--no-builtin-rules` without `--rules DIR`: no rules to check against"
                        .to_string(),
                    Some("name the rule packs with `--rules DIR`".to_string()),
                )
            }
        }
        Usage::Arguments { problem, usage } => arguments(problem, usage.as_deref(), zh),
    };
    let mut out = format!("{}[{}]: {message}\n", label(Label::Error, lang), u.code());
    if let Some(help) = help {
        out.push_str(&format!("  {}: {help}\n", label(Label::Help, lang)));
    }
    out
}

/// A command line the argument parser refused: message and help. The
/// help ends with the command's usage line and where to read more.
fn arguments(problem: &ArgProblem, usage: Option<&str>, zh: bool) -> (String, Option<String>) {
    // `peitao check` of `peitao check [OPTIONS] <PATHS>...`.
    let command = usage.map(|u| {
        u.split_whitespace()
            .take_while(|w| !w.starts_with(['[', '<', '-']))
            .collect::<Vec<_>>()
            .join(" ")
    });
    let command = command.filter(|c| !c.is_empty());
    let command = command.unwrap_or_else(|| "peitao".into());
    let pointer = match (usage, zh) {
        (Some(u), true) => format!("用法: `{u}`; `{command} --help` 列出全部选项"),
        (Some(u), false) => format!("usage: `{u}`; `{command} --help` lists every option"),
        (None, true) => format!("`{command} --help` 列出全部选项"),
        (None, false) => format!("`{command} --help` lists every option"),
    };
    // After a question, the next part follows a space; else a semicolon.
    let with = |first: Option<String>| match first {
        Some(f) if f.ends_with('?') => format!("{f} {pointer}"),
        Some(f) => format!("{f}; {pointer}"),
        None => pointer.clone(),
    };
    let values = |allowed: &[String]| (!allowed.is_empty()).then(|| ticked(allowed));
    let (message, first) = match problem {
        ArgProblem::UnknownOption { arg, suggestion } => (
            if zh {
                format!("未知的选项 `{arg}`")
            } else {
                format!("unknown option `{arg}`")
            },
            suggestion.as_ref().map(|s| {
                if zh {
                    format!("是否指 `{s}`?")
                } else {
                    format!("did you mean `{s}`?")
                }
            }),
        ),
        ArgProblem::UnknownCommand { name, suggestions } => (
            if zh {
                format!("未知的命令 `{name}`")
            } else {
                format!("unknown command `{name}`")
            },
            (!suggestions.is_empty()).then(|| {
                if zh {
                    format!("是否指 {}?", ticked(suggestions))
                } else {
                    format!("did you mean {}?", ticked(suggestions))
                }
            }),
        ),
        ArgProblem::InvalidValue {
            arg,
            value,
            allowed,
            suggestion,
            reason,
        } => {
            let why = reason.as_ref().map(|r| {
                if zh {
                    format!(" (原文: `{}`)", r.replace('`', "'"))
                } else {
                    format!(": {r}")
                }
            });
            let message = if zh {
                format!("`{arg}` 的值 `{value}` 无效{}", why.unwrap_or_default())
            } else {
                format!(
                    "invalid value `{value}` for `{arg}`{}",
                    why.unwrap_or_default()
                )
            };
            let mut first = Vec::new();
            if let Some(s) = suggestion {
                first.push(if zh {
                    format!("是否指 `{s}`?")
                } else {
                    format!("did you mean `{s}`?")
                });
            }
            if let Some(v) = values(allowed) {
                first.push(if zh {
                    format!("可用的值: {v}")
                } else {
                    format!("possible values: {v}")
                });
            }
            (message, (!first.is_empty()).then(|| first.join(" ")))
        }
        ArgProblem::MissingValue { arg, allowed } => (
            if zh {
                format!("`{arg}` 后缺少值")
            } else {
                format!("`{arg}` needs a value")
            },
            values(allowed).map(|v| {
                if zh {
                    format!("可用的值: {v}")
                } else {
                    format!("possible values: {v}")
                }
            }),
        ),
        ArgProblem::MissingArgument { args } => (
            if zh {
                format!("缺少必需的参数: {}", ticked(args))
            } else {
                format!("missing required arguments: {}", ticked(args))
            },
            None,
        ),
        ArgProblem::Conflict { arg, other } => (
            if zh {
                format!("`{arg}` 不能与 `{other}` 同时使用")
            } else {
                format!("`{arg}` cannot be used with `{other}`")
            },
            None,
        ),
        ArgProblem::Other { parser } => (
            if zh {
                format!("命令行有误 (解析器原文: `{}`)", parser.replace('`', "'"))
            } else {
                parser.clone()
            },
            None,
        ),
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
    match lang {
        Lang::Zh => (
            format!("区域计划缺少 {n} 项数据, {rules} 条规则无法检查:{list}"),
            format!("缺少 {n} 项数据"),
            "补上各项数据后, 相应规则即可检查; 区域计划的目标由领导小组督导考核 (docs/bureau.md); JSON 输出逐条列出 (--format json)".to_string(),
        ),
        Lang::En => (
            format!(
                "region plan: {} missing, so {} cannot be checked:{list}",
                plural(n, "figure", "figures"),
                plural(rules, "rule", "rules")
            ),
            format!("{} missing", plural(n, "figure", "figures")),
            "each rule is checked once its figure is given; a region's targets are for the leading group's review (docs/bureau.md); the JSON output lists each (--format json)".to_string(),
        ),
    }
}

pub fn label(l: Label, lang: Lang) -> &'static str {
    match (l, lang) {
        (Label::Error, Lang::Zh) => "错误",
        (Label::Error, Lang::En) => "error",
        (Label::Warning, Lang::Zh) => "警告",
        (Label::Warning, Lang::En) => "warning",
        (Label::Help, Lang::Zh) => "提示",
        (Label::Help, Lang::En) => "help",
        (Label::Note, Lang::Zh) => "注",
        (Label::Note, Lang::En) => "note",
    }
}

/// "rule X is not in force on <day> (in force: from – until): not
/// checked": said of a rule whose own dates leave out the day judged on.
pub fn rule_not_in_force(
    rule: &crate::engine::Rule,
    day: &crate::input::Date,
    lang: Lang,
) -> String {
    let when = |zh: bool| {
        let open = if zh {
            "(未定终止日期)"
        } else {
            "(no end date)"
        };
        format!(
            "{} – {}",
            rule.from.map_or("?".into(), |d| d.to_string()),
            rule.until.map_or(open.into(), |d| d.to_string())
        )
    };
    say(
        &Msg::new("rule-not-in-force")
            .arg("rule", &rule.id)
            .arg("day", day)
            .both("when", when(true), when(false)),
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
