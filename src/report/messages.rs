//! The words of every message that is not a rule's finding, in both
//! languages: usage errors and the like. Stages declare what happened as
//! typed values; only this module turns them into sentences.

use crate::check::Usage;
use crate::input::{Arg, InputError, Msg};
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

/// Every message key of the input stage with its English and Chinese
/// text; `{name}` is replaced by the argument of that name. A test renders
/// every key in both languages and checks the placeholders agree.
pub const CATALOGUE: &[(&str, &str, &str)] = &[
    // Messages.
    (
        "too-large",
        "file is {size} bytes, over the limit of {limit} bytes",
        "文件有 {size} 字节, 超过 {limit} 字节的上限",
    ),
    (
        "too-large.help",
        "raise it with --max-file-size if the file is genuine",
        "若文件确属正常, 可用 `--max-file-size` 调高上限",
    ),
    ("file-starts-here", "file starts here", "文件从这里开始"),
    ("here", "here", "此处"),
    (
        "too-deep",
        "nested deeper than the limit of {limit} levels",
        "嵌套超过 {limit} 层的上限",
    ),
    (
        "too-deep.help",
        "a submission needs a few levels; raise --max-depth only for a genuine file",
        "申报文件只需几层嵌套; 仅在文件确属正常时调高 `--max-depth`",
    ),
    (
        "parser-depth",
        "nested deeper than the parser allows",
        "嵌套深度超出解析器允许的范围",
    ),
    (
        "parser-depth.help",
        "a submission needs a few levels of nesting",
        "申报文件只需几层嵌套",
    ),
    (
        "multiple-documents",
        "the file holds more than one YAML document",
        "文件包含不止一个 YAML 文档",
    ),
    (
        "multiple-documents.label",
        "a second document starts here",
        "第二个文档从这里开始",
    ),
    (
        "multiple-documents.help",
        "a submission is one document: put each in its own file",
        "一份申报是一个文档: 请各存为一个文件",
    ),
    (
        "aliases",
        "YAML anchors and aliases expand beyond the parser's limits",
        "YAML 锚点和别名展开后超出解析器的上限",
    ),
    (
        "aliases.help",
        "write the values out; aliases are limited to keep files from expanding without bound",
        "请直接写出数值; 别名受限, 以免文件无限展开",
    ),
    (
        "parser-limit",
        "the file exceeds a parser limit ({what})",
        "文件超出解析器的上限 (`{what}`)",
    ),
    (
        "parser-limit.help",
        "raise --max-nodes only for a genuine file",
        "仅在文件确属正常时调高 `--max-nodes`",
    ),
    (
        "not-finite.value",
        "`{value}` is not a finite number",
        "`{value}` 不是有限数值",
    ),
    (
        "expected-finite",
        "expected a finite number",
        "应为有限数值",
    ),
    (
        "unsupported-tag",
        "YAML tag `{tag}` is not allowed",
        "不允许使用 YAML 标签 `{tag}`",
    ),
    ("unsupported-tag.label", "remove the tag", "请删除此标签"),
    (
        "unsupported-tag.help",
        "submissions are plain data: tags such as !!python/object are refused",
        "申报文件只含数据: `!!python/object` 之类的标签一律拒绝",
    ),
    ("duplicate-key", "duplicate key `{key}`", "重复的键 `{key}`"),
    (
        "duplicate-key.label",
        "written again here",
        "在此处重复出现",
    ),
    ("duplicate-key.first", "first written here", "首次出现在此"),
    (
        "duplicate-key.help",
        "each key may appear once in a mapping: keep one of them",
        "同一映射中每个键只能出现一次: 请保留其中一个",
    ),
    // The parser's own words are quoted as it wrote them.
    (
        "yaml-syntax",
        "{parser}",
        "YAML 语法错误 (解析器原文: `{parser}`)",
    ),
    (
        "wrong-type",
        "expected {expected}, found {found}",
        "应为{expected}, 实际是{found}",
    ),
    ("expected", "expected {expected}", "应为{expected}"),
    (
        "unquote.help",
        "write {value} without quotes",
        "请去掉引号, 写作 {value}",
    ),
    (
        "not-a-mapping",
        "{what} must be a mapping of `key: value` lines, found {found}",
        "{what}应为由 `key: value` 行组成的映射, 实际是{found}",
    ),
    ("expected-mapping", "expected a mapping", "应为映射"),
    ("keys-words", "keys must be words", "键必须是文字"),
    ("keys-words.label", "not a field name", "不是字段名"),
    (
        "unknown-key",
        "unknown key `{key}` in {section}",
        "{section}中有未知的键 `{key}`",
    ),
    (
        "unknown-key.label",
        "not a field of the submission format",
        "不是申报格式中的字段",
    ),
    ("did-you-mean", "did you mean `{best}`?", "是否指 `{best}`?"),
    (
        "known-keys",
        "known keys here: {keys}",
        "此处可用的键: {keys}",
    ),
    (
        "empty-file",
        "the file holds no submission (it is empty or only comments)",
        "文件中没有申报内容 (为空或只有注释)",
    ),
    (
        "expected-version-here",
        "expected `version: 1` here",
        "此处应为 `version: 1`",
    ),
    (
        "empty-file.help",
        "a submission starts with `version: 1`; see docs/submission-format.md",
        "申报文件以 `version: 1` 开头; 见 docs/submission-format.md",
    ),
    (
        "unsupported-version",
        "unsupported format version `{version}`",
        "不支持的格式版本 `{version}`",
    ),
    ("expected-1", "expected 1", "应为 1"),
    (
        "unsupported-version.help",
        "this peitao reads format version 1: write `version: 1`",
        "本版 peitao 读取格式版本 1: 请写 `version: 1`",
    ),
    ("missing-version", "missing `version`", "缺少 `version`"),
    (
        "missing-version.label",
        "expected `version: 1` in this file",
        "此文件应包含 `version: 1`",
    ),
    (
        "missing-version.help",
        "start the file with `version: 1`",
        "请在文件开头写 `version: 1`",
    ),
    (
        "too-many-records",
        "{count} {section}, over the limit of {limit}",
        "`{section}` 有 {count} 项, 超过 {limit} 项的上限",
    ),
    ("this-list", "this list", "此列表"),
    ("year-range", "year out of range", "年份超出范围"),
    (
        "year-range.label",
        "expected a year 1900–2100",
        "应为 1900–2100 之间的年份",
    ),
    (
        "bad-date",
        "invalid date `{date}`: {why}",
        "无效的日期 `{date}`: {why}",
    ),
    (
        "date-shape",
        "expected a date as {expected}",
        "日期应写作 {expected}",
    ),
    (
        "no-such-month",
        "month {month} does not exist (01–12)",
        "没有 {month} 月 (01–12)",
    ),
    (
        "no-such-day",
        "{month} has days 01–{last}, not {day}",
        "{month} 只有 01–{last} 日, 没有 {day} 日",
    ),
    (
        "unknown-value",
        "unknown {field} `{value}`",
        "`{field}` 的值 `{value}` 不在允许的范围内",
    ),
    (
        "decimal-digits",
        "{name} must be written in decimal digits",
        "`{name}` 必须用十进制数字书写",
    ),
    ("not-decimal", "not a decimal number", "不是十进制数"),
    (
        "implausible",
        "{name} is implausibly large",
        "`{name}` 大得不合常理",
    ),
    ("at-most", "expected at most {max}", "应不超过 {max}"),
    (
        "not-finite",
        "{name} is not a finite number",
        "`{name}` 不是有限数值",
    ),
    ("expected-whole", "expected a whole number", "应为整数"),
    (
        "not-integer",
        "{name} must be a whole number",
        "`{name}` 必须是整数",
    ),
    ("not-whole", "not a whole number", "不是整数"),
    (
        "not-integer.help",
        "{name} counts things: write a whole number such as {example}",
        "`{name}` 是计数: 请写整数, 如 {example}",
    ),
    (
        "negative",
        "{name} cannot be negative",
        "`{name}` 不能为负数",
    ),
    ("at-least-0", "expected 0 or more", "应为 0 或以上"),
    ("expected-number", "expected a number", "应为数值"),
    (
        "starts-number",
        "{name} must start with a number",
        "`{name}` 必须以数字开头",
    ),
    (
        "number-unit",
        "expected a number with an optional unit",
        "应为数值, 可带单位",
    ),
    (
        "units-accepted",
        "units accepted: {units}",
        "可用的单位: {units}",
    ),
    (
        "bad-unit",
        "unknown unit `{unit}` for {name}",
        "`{name}` 的单位 `{unit}` 未知",
    ),
    ("accepted", "accepted: {units}", "可用: {units}"),
    (
        "exceeds-whole",
        "{part} ({pv}) exceeds {whole} ({wv})",
        "`{part}` ({pv}) 超过 `{whole}` ({wv})",
    ),
    ("field-value", "{field}: {value}", "{field}: {value}"),
    ("duplicate-id", "duplicate id `{id}`", "重复的 id `{id}`"),
    ("used-again", "used again here", "在此处再次使用"),
    ("first-used", "first used here", "首次使用在此"),
    (
        "duplicate-id.help",
        "ids must be unique within the file",
        "同一文件中的 id 必须唯一",
    ),
    (
        "missing-jurisdiction",
        "missing submission.jurisdiction: no plan to check against",
        "缺少 `submission.jurisdiction`: 没有可对照的规划",
    ),
    (
        "add-jurisdiction",
        "add `jurisdiction:` here",
        "请在此处添加 `jurisdiction:`",
    ),
    (
        "known-plans-or-plan",
        "known plans: {plans}; or choose one with --plan",
        "已知的规划: {plans}; 或用 `--plan` 指定",
    ),
    (
        "not-in-force",
        "{plan} is not in force on {day}",
        "{plan}在 {day} 不在有效期内",
    ),
    ("judged-on", "judged on {day}", "按 {day} 判断"),
    (
        "in-force.help",
        "in force: {when}; set the filing date, or --as-of",
        "有效期: {when}; 请填写申报日期, 或用 `--as-of`",
    ),
    (
        "unknown-jurisdiction",
        "unknown jurisdiction `{name}`",
        "未知的辖区 `{name}`",
    ),
    (
        "no-plan-name",
        "no loaded plan has this name",
        "没有已加载的规划使用此名称",
    ),
    ("known-plans", "known plans: {plans}", "已知的规划: {plans}"),
    (
        "not-utf8",
        "neither UTF-8 nor GB18030 (GBK) text: invalid byte at offset {at}",
        "既不是 UTF-8 也不是 GB18030 (GBK) 文本: 第 {at} 字节 (从 0 起) 无效",
    ),
    (
        "not-utf8.label",
        "invalid UTF-8 starts here",
        "无效的 UTF-8 从这里开始",
    ),
    (
        "not-utf8.help",
        "save the file as UTF-8",
        "请将文件另存为 UTF-8 编码",
    ),
    // Phrases inside messages.
    ("a-submission", "a submission", "申报文件"),
    ("the-top-level", "the top level", "顶层"),
    ("path", "`{path}`", "`{path}` "),
    (
        "a-list-of",
        "a list of {section} (`- id: …` items)",
        "`{section}` 列表 (`- id: …` 各项)",
    ),
    ("text", "text", "文本"),
    (
        "a-share",
        "a share such as 55% or 0.55",
        "比例, 如 55% 或 0.55",
    ),
    (
        "a-grade",
        "a grade 1–{max} such as 3 or 三级",
        "等级 1–{max}, 如 3 或 三级",
    ),
    ("a-year", "a year such as 2025", "年份, 如 2025"),
    ("true-or-false", "true or false", "布尔值 (true 或 false)"),
    ("a-date", "a date YYYY-MM-DD", "日期 YYYY-MM-DD"),
    (
        "a-date-or-month",
        "a date YYYY-MM or YYYY-MM-DD",
        "日期 YYYY-MM 或 YYYY-MM-DD",
    ),
    ("one-of", "one of {allowed}", "以下之一: {allowed}"),
    ("a-whole-number", "a whole number", "整数"),
    (
        "an-area",
        "an area such as 560 or \"180 m²\"",
        "面积, 如 560 或 \"180 m²\"",
    ),
    (
        "a-distance",
        "a distance such as 350 or \"0.3 km\"",
        "距离, 如 350 或 \"0.3 km\"",
    ),
    (
        "units-area",
        "m², ㎡, m2, sqm, 平方米 (optionally after 万)",
        "m², ㎡, m2, sqm, 平方米 (前面可加 万)",
    ),
    (
        "units-distance",
        "m, 米, km, 公里, 千米",
        "m, 米, km, 公里, 千米",
    ),
    ("kind-null", "nothing (null)", "空值 (null)"),
    ("kind-bool", "a boolean", "布尔值"),
    ("kind-int", "an integer", "整数"),
    ("kind-float", "a number", "数值"),
    ("kind-str", "a string", "字符串"),
    ("kind-seq", "a list", "列表"),
    ("over-hundred", "{name} is over 100%", "{name} 超过 100%"),
    (
        "share-0-100",
        "expected a share from 0% to 100%",
        "应为 0% 到 100% 的比例",
    ),
    (
        "ambiguous-share",
        "{name}: a bare number above 1 is not a share",
        "{name}: 大于 1 的纯数字不是比例",
    ),
    (
        "fraction-or-percent",
        "expected a fraction 0–1 or a percent with %",
        "应为 0–1 的小数或带 % 的百分数",
    ),
    (
        "write-percent",
        "write `{value}%` for a percent, or a fraction such as 0.55",
        "百分数写作 `{value}%`, 或写小数如 0.55",
    ),
    (
        "grade-range",
        "{name} `{value}` is not a grade from 1 to {max}",
        "{name} `{value}` 不是 1 到 {max} 的等级",
    ),
    ("expected-1-to", "expected 1–{max}", "应为 1–{max}"),
    (
        "not-a-share",
        "{name}: `{value}` is not a share",
        "{name}: `{value}` 不是比例",
    ),
    (
        "percent-or-fraction",
        "expected a percent or a fraction",
        "应为百分数或小数",
    ),
    (
        "not-a-grade",
        "{name}: `{value}` is not a grade",
        "{name}: `{value}` 不是等级",
    ),
    (
        "expected-grade",
        "expected a grade such as 3 or 三级",
        "应为等级, 如 3 或 三级",
    ),
    ("write-as", "write it as {forms}", "写作 {forms}"),
    ("raw-text", "{text}", "{text}"),
    ("kind-map", "a mapping", "映射"),
];

/// A message of the catalogue in `lang`, its arguments filled in. A key
/// missing from [`CATALOGUE`] is a bug (the catalogue's tests and the zh
/// scan catch it); it is shown as written rather than stopping the run.
pub fn say(m: &Msg, lang: Lang) -> String {
    let (en, zh) = CATALOGUE
        .iter()
        .find(|(key, _, _)| *key == m.key)
        .map_or((m.key, m.key), |(_, en, zh)| (*en, *zh));
    let mut out = match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    };
    for (name, arg) in &m.args {
        let value = match arg {
            Arg::Value(v) => v.clone(),
            Arg::Phrase(p) => say(p, lang),
            Arg::Both { zh, en } => match lang {
                Lang::Zh => zh.clone(),
                Lang::En => en.clone(),
            },
        };
        out = out.replace(&format!("{{{name}}}"), &value);
    }
    out
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
         `src/report/messages.rs`.\n\n\
         This page is generated: `PEITAO_WRITE_CODES=1 cargo test --test lang`.\n\n\
         ## Input errors (exit 2)\n\n| code | what |\n|---|---|\n",
    );
    for (code, what) in crate::input::INPUT_CODES {
        out.push_str(&format!("| `input::{code}` | {what} |\n"));
    }
    out.push_str(
        "\n## Usage errors (exit 2, before any file is read)\n\n| code | what |\n|---|---|\n",
    );
    for (code, what) in crate::check::USAGE_CODES {
        out.push_str(&format!("| `{code}` | {what} |\n"));
    }
    out.push_str(
        "\n## Rule pack errors (exit 2)\n\n\
         `plan::…` codes point into a pack's manifest, script or table; see\n\
         [authoring.md](authoring.md). Their messages are English only so far.\n",
    );
    out
}
