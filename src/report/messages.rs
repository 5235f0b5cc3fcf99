//! The words of every message that is not a rule's finding, in both
//! languages: usage errors and the like. Stages declare what happened as
//! typed values; only this module turns them into sentences.

use crate::check::Usage;
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
    };
    let mut out = format!("{}[{}]: {message}\n", label(Label::Error, lang), u.code());
    if let Some(help) = help {
        out.push_str(&format!("  {}: {help}\n", label(Label::Help, lang)));
    }
    out
}

/// The small words before a message.
#[derive(Clone, Copy, Debug)]
pub enum Label {
    Error,
    Help,
}

pub fn label(l: Label, lang: Lang) -> &'static str {
    match (l, lang) {
        (Label::Error, Lang::Zh) => "错误",
        (Label::Error, Lang::En) => "error",
        (Label::Help, Lang::Zh) => "提示",
        (Label::Help, Lang::En) => "help",
    }
}
