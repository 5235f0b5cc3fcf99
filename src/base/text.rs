//! Every word peitao says that a rule pack does not, in both languages:
//! input, usage, pack and config errors, the reports' lines, headings and
//! columns, the engine's words for findings and failed scripts, and the
//! review desk's pages and refusals (`desk.…`). Stages declare what
//! happened as typed values ([`Msg`]); the report (or the desk) turns them
//! into sentences with [`say`] and [`word`], the language a parameter of
//! the render, never a branch of the caller. This is the bottom of the
//! crate: every stage may name a message, none needs the report to do so.
//!
//! A key is a string, checked rather than typed: tests/catalogue.rs finds
//! every key the code names (given to `Msg::new`, `word` …, or any literal
//! shaped like a key of one of the catalogue's namespaces) and every word
//! of the desk's pages, and fails on one the catalogue lacks or one
//! without both languages; a debug build stops on a key it cannot find.

use super::lang::Lang;

/// A message not yet in words: a key of the [`CATALOGUE`] and its
/// arguments. The input stage says what it
/// found; the report says it in the reader's language.
#[derive(Clone, Debug, PartialEq)]
pub struct Msg {
    pub key: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

/// An argument of a [`Msg`]: a value shown as written (a key, a number, a
/// path), a phrase of the catalogue, or a text given in both languages.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    Value(String),
    Phrase(Msg),
    Both { zh: String, en: String },
}

impl Msg {
    pub fn new(key: &'static str) -> Msg {
        Msg {
            key,
            args: Vec::new(),
        }
    }
    /// An argument shown as written.
    pub fn arg(mut self, name: &'static str, value: impl std::fmt::Display) -> Msg {
        self.args.push((name, Arg::Value(value.to_string())));
        self
    }
    /// An argument that is itself a phrase of the catalogue.
    pub fn phrase(mut self, name: &'static str, value: Msg) -> Msg {
        self.args.push((name, Arg::Phrase(value)));
        self
    }
    /// Another program's words (a parser's, the system's, rhai's), shown
    /// as written; in Chinese they stand between backticks, so a backtick
    /// of their own becomes `'`.
    pub fn quote(mut self, name: &'static str, text: impl std::fmt::Display) -> Msg {
        let en = text.to_string();
        let zh = en.replace('`', "'");
        self.args.push((name, Arg::Both { zh, en }));
        self
    }
    /// A list of names (keys, fields, values) as written: in English
    /// joined by commas, in Chinese each between backticks.
    pub fn names(mut self, name: &'static str, items: &[&str]) -> Msg {
        let zh = items
            .iter()
            .map(|i| format!("`{i}`"))
            .collect::<Vec<_>>()
            .join(", ");
        self.args.push((
            name,
            Arg::Both {
                zh,
                en: items.join(", "),
            },
        ));
        self
    }
    /// An argument already written in both languages (a plan's dates).
    pub fn both(mut self, name: &'static str, zh: String, en: String) -> Msg {
        self.args.push((name, Arg::Both { zh, en }));
        self
    }
    /// An argument that is a [`Text`](super::lang::Text) (a rule's name,
    /// a unit), each language its own.
    pub fn text(self, name: &'static str, t: &super::lang::Text) -> Msg {
        self.both(name, t.zh.clone(), t.en.clone())
    }
}

impl From<&'static str> for Msg {
    fn from(key: &'static str) -> Msg {
        Msg::new(key)
    }
}

/// Every key with its English and Chinese words; `{name}` is replaced by
/// the argument of that name, and `{name#one|many}` by the English word
/// agreeing with it. tests/lang.rs renders every key in both languages,
/// checks the placeholders agree and the Chinese holds no English
/// sentence; a text holds no other braces (a `#{ … }` is an argument).
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
        "unsupported-tags.help",
        "submissions are plain data: tags such as !!int or !!python/object are refused",
        "申报文件只含数据: `!!int`、`!!python/object` 之类的标签一律拒绝",
    ),
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
        "district-of.help",
        "did you mean `{city}`? A district or county is checked against its city's plan, {plan}",
        "是否指 `{city}`? 区县按所在城市的规划检查: {plan}",
    ),
    (
        "thousands.help",
        "drop the thousands separator `{separator}`: write {value}",
        "去掉千位分隔符 `{separator}`, 写作 {value}",
    ),
    (
        "unit-suffix.help",
        "drop the unit `{unit}` (the field's unit is implied): write {value}",
        "去掉单位 `{unit}` (字段的单位已确定), 写作 {value}",
    ),
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
    (
        "bad-workbook",
        "not a workbook peitao can read: {why}",
        "不是 peitao 能读取的工作簿: {why}",
    ),
    (
        "bad-workbook.help",
        "start from `peitao template xlsx` and save as .xlsx (Excel 2007 or later; WPS: 另存为 .xlsx)",
        "请从 `peitao template xlsx` 生成的模板开始填写, 并保存为 .xlsx 格式 (Excel 2007 及以后; WPS: 另存为 .xlsx)",
    ),
    (
        "workbook-parts",
        "the workbook holds {parts} parts, more than any workbook needs",
        "工作簿包含 {parts} 个部件, 超出任何工作簿所需",
    ),
    (
        "workbook-unpacked",
        "the workbook unpacks to {size} bytes, over the limit of {limit} bytes (eight times --max-file-size)",
        "工作簿解压后有 {size} 字节, 超过 {limit} 字节的上限 (`--max-file-size` 的八倍)",
    ),
    (
        "workbook-cell-beyond",
        "cell {cell} is beyond what a submission uses ({rows} rows, {columns} columns; --max-records bounds a table)",
        "单元格 {cell} 超出申报所用的范围 ({rows} 行, {columns} 列; 表格的行数由 `--max-records` 限定)",
    ),
    (
        "workbook-cells",
        "the workbook has more than {limit} filled cells (--max-nodes)",
        "工作簿中填写的单元格超过 {limit} 个 (`--max-nodes`)",
    ),
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
        "too-precise",
        "{name} `{value}` has more digits than can be checked exactly",
        "`{name}` 的值 `{value}` 位数过多, 无法精确核对",
    ),
    (
        "too-precise.label",
        "more than 38 digits",
        "超过 38 位数字",
    ),
    (
        "too-precise.help",
        "peitao compares every figure exactly as written and never rounds it; write it with at most 38 digits, counting the zeros an exponent stands for",
        "peitao 按书写的数值精确比较, 从不舍入; 请用不超过 38 位数字书写 (指数所代表的零也计在内)",
    ),
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
        "filed-in-future",
        "filed on {filed}, after the day it is judged on ({day})",
        "申报日期 {filed} 晚于审查日期 {day}",
    ),
    ("filed-in-future.label", "after {day}", "晚于 {day}"),
    (
        "year-in-future",
        "a report on {year}, a year not begun on the day it is judged on ({day})",
        "报告年度 {year} 在审查日期 {day} 时尚未开始",
    ),
    (
        "year-in-future.help",
        "a region's report is judged by the year it reports on: a year after the day of the check (today, or --as-of) would choose which rules are in force; correct `year`",
        "区域报告按其报告年度审查: 晚于审查之日 (当天, 或 `--as-of` 所给日期) 的年度会让申报人选择适用的规则; 请更正 `year`",
    ),
    (
        "filed-in-future.help",
        "a filing cannot be dated after the day it is checked (today, or --as-of): a later `filed` would choose which rules are in force; correct the date",
        "申报日期不能晚于审查之日 (当天, 或 `--as-of` 所给日期): 否则申报人可借日期选择适用的规则; 请更正 `filed`",
    ),
    (
        "duplicate-submission-id",
        "submission id `{id}` is also the id of {other}, checked in this run",
        "申报编号 `{id}` 与本次检查的 `{other}` 重复",
    ),
    (
        "duplicate-submission-id.label",
        "already used by another file",
        "已被另一份文件使用",
    ),
    (
        "duplicate-submission-id.help",
        "a submission id names one filing: this file was not judged, so that no waiver, baseline or ledger entry of the other file is taken for it; give each filing its own id",
        "申报编号只对应一份申报: 此文件未予审查, 以免把另一份文件的豁免、基线或台账记录算到它头上; 请为每份申报使用各自的编号",
    ),
    // A plan the file is judged by whose pack did not load in this run.
    (
        "plan-not-loaded",
        "the rules of this submission's plan were not loaded in this run",
        "本次运行未加载此申报所属规划的规则",
    ),
    ("plan-not-loaded.label", "nothing was checked", "未作任何检查"),
    // A rule whose own dates in force do not include the day judged on.
    (
        "rule-not-in-force",
        "{rule} is not in force on {day} (in force: {when}): not checked",
        "{rule} 在 {day} 不在有效期内 (有效期: {when}): 未检查",
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
    ("true-or-false", "true or false", "布尔值, 即 是 (true) 或 否 (false)"),
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
    // What each code means (docs/codes.md, SARIF's rule descriptors).
    (
        "code.input::yaml-syntax",
        "the file is not well-formed YAML, or breaks a parser limit",
        "文件不是格式正确的 YAML, 或超出解析器的上限",
    ),
    (
        "code.input::duplicate-key",
        "a key written twice in one mapping",
        "同一映射中有重复写出的键",
    ),
    (
        "code.input::too-complex",
        "nested too deep, or aliases expanding too far: a parser limit",
        "嵌套过深, 或别名展开过多: 超出解析器的上限",
    ),
    (
        "code.input::multiple-documents",
        "more than one YAML document in the file",
        "文件中有不止一个 YAML 文档",
    ),
    (
        "code.input::unsupported-tag",
        "a YAML tag such as !!python/object",
        "使用了 `!!python/object` 之类的 YAML 标签",
    ),
    (
        "code.input::too-large",
        "the file is larger than the configured limit",
        "文件超过设定的大小上限",
    ),
    (
        "code.input::not-utf8",
        "the file is neither UTF-8 nor GB18030/GBK text",
        "文件既不是 UTF-8 也不是 GB18030/GBK 文本",
    ),
    (
        "code.input::not-a-mapping",
        "the file or a section is not a mapping",
        "文件或其中某部分不是映射",
    ),
    (
        "code.input::missing-version",
        "the file has no `version: 1`",
        "文件缺少 `version: 1`",
    ),
    (
        "code.input::unsupported-version",
        "`version` is not 1",
        "`version` 不是 1",
    ),
    (
        "code.input::unknown-key",
        "a key the format does not define (with a did-you-mean)",
        "申报格式未定义的键 (附近似键名提示)",
    ),
    (
        "code.input::wrong-type",
        "a value of the wrong type",
        "值的类型不对",
    ),
    (
        "code.input::not-integer",
        "a count that is not a whole number",
        "计数不是整数",
    ),
    (
        "code.input::negative",
        "a negative count or quantity",
        "计数或数量为负数",
    ),
    (
        "code.input::not-finite",
        "NaN or infinity",
        "NaN 或无穷大",
    ),
    (
        "code.input::too-big",
        "a number beyond any plausible value",
        "数值大得不合常理",
    ),
    (
        "code.input::too-precise",
        "a number with more digits than an exact check holds (never rounded)",
        "数值位数超出精确核对的范围 (从不舍入)",
    ),
    (
        "code.input::bad-unit",
        "a quantity with a unit the format does not accept",
        "数量的单位不被申报格式接受",
    ),
    (
        "code.input::bad-date",
        "a date that is malformed or does not exist",
        "日期格式有误或日期不存在",
    ),
    (
        "code.input::out-of-range",
        "a share over 100% or written ambiguously, or a grade outside its levels",
        "比例超过 100% 或写法有歧义, 或等级超出其范围",
    ),
    (
        "code.input::unknown-value",
        "a word outside a field's allowed list",
        "值不在字段允许的范围内",
    ),
    (
        "code.input::exceeds-whole",
        "a part larger than its whole (nursing_beds > beds …)",
        "部分大于整体 (如 nursing_beds > beds)",
    ),
    (
        "code.input::duplicate-id",
        "two records with the same id",
        "两条记录的 id 相同",
    ),
    (
        "code.input::too-many-records",
        "more facilities, institutions, hospitals or venues than the limit",
        "设施、机构、医院或场所的数量超过上限",
    ),
    (
        "code.input::bad-workbook",
        "an .xlsx file that is not a readable workbook, or one beyond the limits",
        "无法读取的 .xlsx 工作簿, 或超出上限的工作簿",
    ),
    (
        "code.input::unknown-jurisdiction",
        "a jurisdiction no loaded plan declares",
        "没有已加载的规划声明此辖区",
    ),
    (
        "code.report::region-figures-missing",
        "a region plan's missing figures, gathered into one finding of the human report (JSON lists each rule's)",
        "区域计划缺少的数据, 在文本报告中合为一条 (JSON 逐条列出)",
    ),
    (
        "code.input::no-plan-in-force",
        "no plan of the jurisdiction is in force on the filing date",
        "申报日期时该辖区没有有效的规划",
    ),
    (
        "code.input::year-in-future",
        "a region's report on a year after the day it is judged on (today, or `--as-of`)",
        "区域报告的年度晚于审查日期 (当天, 或 `--as-of`)",
    ),
    (
        "code.input::filed-in-future",
        "a filing date after the day it is judged on (today, or `--as-of`)",
        "申报日期晚于审查日期 (当天, 或 `--as-of`)",
    ),
    (
        "code.input::duplicate-submission-id",
        "a `submission.id` another file of the same run already has",
        "`submission.id` 与同一次检查中的另一份文件重复",
    ),
    (
        "code.input::plan-not-loaded",
        "the submission's plan was not loaded in this run (its pack did not load, or the run loaded other packs only): nothing was checked",
        "本次运行未加载此申报所属的规划 (其规则包未能加载, 或本次只加载了其他规则包): 未作任何检查",
    ),
    (
        "code.usage::unknown-plan",
        "`--plan` names no loaded plan",
        "`--plan` 指定的规划未加载",
    ),
    (
        "code.usage::unknown-rule",
        "`explain` names no rule",
        "`explain` 指定的规则不存在",
    ),
    (
        "code.usage::no-effect",
        "an option that does nothing with the chosen `--format`",
        "所给选项对选定的 `--format` 不起作用",
    ),
    (
        "code.usage::no-packs",
        "`--no-builtin-rules` without `--rules DIR`",
        "`--no-builtin-rules` 未配 `--rules DIR`",
    ),
    (
        "code.usage::unknown-option",
        "an option the command does not have (under `--lang zh`; in English the parser's own message)",
        "命令没有的选项 (`--lang zh` 时; 英文时为解析器自己的提示)",
    ),
    (
        "code.usage::unknown-command",
        "a command peitao does not have",
        "peitao 没有的命令",
    ),
    (
        "code.usage::invalid-value",
        "a value an option does not take (`--format xml`)",
        "选项不接受的值 (如 `--format xml`)",
    ),
    (
        "code.usage::missing-value",
        "an option without its value",
        "选项后缺少值",
    ),
    (
        "code.usage::missing-argument",
        "a required argument left out (`check` without a path)",
        "缺少必需的参数 (如 `check` 未给路径)",
    ),
    (
        "code.usage::conflict",
        "two options that cannot go together",
        "两个不能同时使用的选项",
    ),
    (
        "code.usage::bad-arguments",
        "any other command line the parser refuses",
        "解析器拒绝的其他命令行",
    ),
    (
        "code.plan::unreadable",
        "a pack file or directory that cannot be read",
        "无法读取的规则包文件或目录",
    ),
    (
        "code.plan::not-a-file",
        "a FIFO, a device or a socket where a pack file should be",
        "规则包文件处是命名管道、设备或套接字",
    ),
    (
        "code.plan::outside-pack",
        "a file, link, seed or table outside the pack's directory",
        "文件、链接、规划原文或数据表在规则包目录之外",
    ),
    (
        "code.plan::too-large",
        "a pack file, script, directory or fixture file over its size limit",
        "规则包文件、脚本、目录或测试文件超过大小上限",
    ),
    (
        "code.plan::not-utf8",
        "a pack file that is not UTF-8 text",
        "规则包文件不是 UTF-8 文本",
    ),
    (
        "code.plan::no-packs",
        "no pack.yaml found",
        "未找到清单 pack.yaml",
    ),
    (
        "code.plan::bad-manifest",
        "pack.yaml does not read, a field is unknown, or the pack id is not lowercase ASCII",
        "清单 pack.yaml 无法读取、有未知字段, 或规则包 id 不是小写 ASCII",
    ),
    (
        "code.plan::bad-date",
        "a date of pack.yaml that is malformed or does not exist",
        "清单 pack.yaml 中的日期格式有误或不存在",
    ),
    (
        "code.plan::bad-replaces",
        "`replaces:` names no built-in pack",
        "`replaces:` 指定的不是内置规则包",
    ),
    (
        "code.plan::replace-not-allowed",
        "a pack replaces a built-in plan the run did not allow (`--allow-replace`)",
        "规则包要取代内置方案, 但本次运行未允许 (`--allow-replace`)",
    ),
    (
        "code.plan::duplicate-pack",
        "a pack whose id, alias or file path another pack has",
        "规则包的 id、别名或文件路径与其他规则包重复",
    ),
    (
        "code.plan::missing-seed",
        "the seed (the plan's text) named in pack.yaml is not there",
        "清单 pack.yaml 指定的规划原文 (seed) 不存在",
    ),
    (
        "code.plan::missing-data",
        "a data table named in pack.yaml is not there",
        "清单 pack.yaml 指定的数据表不存在",
    ),
    (
        "code.plan::bad-data",
        "a data table that is empty or has rows of the wrong length",
        "数据表为空, 或某行的列数与表头不符",
    ),
    (
        "code.plan::empty-pack",
        "a pack without rules",
        "规则包没有规则",
    ),
    (
        "code.plan::duplicate-rule",
        "two rules with the same id",
        "两条规则的 id 相同",
    ),
    (
        "code.plan::bad-rule",
        "a rule of pack.yaml with a bad name or severity",
        "清单 pack.yaml 中规则的名称或严重程度有误",
    ),
    (
        "code.plan::clause-not-in-seed",
        "a rule's clause is not word for word in the plan's text",
        "规则的条款与规划原文不逐字相同",
    ),
    (
        "code.plan::bad-template",
        "a template that does not exist, or parameters it does not take or lacks",
        "模板不存在, 或参数多出、缺少或写法有误",
    ),
    (
        "code.plan::script-syntax",
        "a rule script that does not parse (rhai's message quoted)",
        "规则脚本有语法错误 (引用 rhai 原文)",
    ),
    (
        "code.plan::script-error",
        "a rule script whose top level fails or runs over its time budget",
        "规则脚本的顶层执行出错或超过时间上限",
    ),
    (
        "code.plan::too-complex",
        "a rule script over the compile budget (switch cases)",
        "规则脚本超出编译预算 (switch 分支过多)",
    ),
    (
        "code.plan::bad-metadata",
        "a rule script's metadata map is missing, or has a bad key or value",
        "规则脚本的元数据映射缺失, 或其中的键或值有误",
    ),
    (
        "code.plan::bad-function",
        "a rule script whose functions are missing or malformed",
        "规则脚本缺少函数或函数定义有误",
    ),
    (
        "code.config::toml-syntax",
        "peitao.toml is not valid TOML",
        "peitao.toml 不是合法的 TOML",
    ),
    (
        "code.config::unknown-key",
        "a setting peitao does not know (with a did-you-mean)",
        "peitao 不认识的设置项 (附近似键名提示)",
    ),
    (
        "code.config::wrong-type",
        "a setting of the wrong type",
        "设置项的类型不对",
    ),
    (
        "code.config::negative",
        "a count or width that is not positive",
        "计数或宽度不是正数",
    ),
    (
        "code.config::unknown-value",
        "a setting outside its allowed values",
        "设置项的值不在允许范围内",
    ),
    (
        "code.config::bad-date",
        "a date that is malformed or does not exist",
        "日期格式有误或不存在",
    ),
    (
        "code.config::empty",
        "an empty field of a waiver",
        "豁免的某个字段为空",
    ),
    (
        "code.config::missing-field",
        "a waiver without rule, reason, approved_by or expires",
        "豁免缺少 rule、reason、approved_by 或 expires",
    ),
    (
        "code.config::unbound-waiver",
        "a waiver bound to neither `digest` nor `path` (only the applicant's own `submission.id`)",
        "豁免既未写 `digest` 也未写 `path` (仅凭申报人自填的 `submission.id`)",
    ),
    (
        "code.config::bad-digest",
        "a waiver's `digest` that is not `sha256:` and 64 hex digits",
        "豁免的 `digest` 不是 `sha256:` 加 64 位十六进制数",
    ),
    (
        "code.config::inside-checked-tree",
        "a warning: a peitao.toml inside a directory being checked sets more than presentation; the rest is ignored",
        "警告: 受检目录内的 peitao.toml 设置了显示方式以外的项, 这些项不予采用",
    ),
    (
        "code.config::report-path",
        "a report of `[reports]` would be written outside the config's directory or into a checked directory",
        "`[reports]` 中的报告会写到配置文件所在目录之外, 或写进受检目录",
    ),
    // SARIF's descriptors of input error codes.
    ("sarif.input-error", "Input error: {what}", "输入错误: {what}"),
    (
        "sarif.input-help",
        "See docs/submission-format.md for the submission format.",
        "申报格式见 docs/submission-format.md。",
    ),
    // Rule pack errors (`plan::…`). Paths, ids, keys and the words of
    // other programs (rhai, the YAML parser, the system) stay as written.
    (
        "plan.unreadable",
        "{os}",
        "无法读取 (系统原文: `{os}`)",
    ),
    (
        "plan.link-to-dir",
        "a link to a directory is not followed: put the pack's files in its directory",
        "指向目录的链接不予跟随: 请把规则包的文件放在规则包目录中",
    ),
    (
        "plan.links-outside",
        "links to {target}, outside {dir}: a pack reads only its own files",
        "链接指向 `{target}`, 在 `{dir}` 之外: 规则包只读取自己的文件",
    ),
    (
        "plan.not-a-file",
        "not a regular file (a FIFO, a device, a socket …): not read",
        "不是普通文件 (命名管道、设备、套接字等): 未读取",
    ),
    (
        "plan.dir-too-large",
        "the rule directory holds more than {limit} bytes of pack files",
        "规则目录中的规则包文件合计超过 {limit} 字节",
    ),
    (
        "plan.links-outside-pack",
        "links to {target}, outside the pack's directory {dir}: a pack reads only its own files",
        "链接指向 `{target}`, 在规则包目录 `{dir}` 之外: 规则包只读取自己的文件",
    ),
    (
        "plan.resolves-outside",
        "{key} `{value}` of pack {dir} resolves to {target}, outside the pack's directory",
        "规则包 `{dir}` 的 `{key}` 值 `{value}` 实际指向 `{target}`, 在规则包目录之外",
    ),
    (
        "plan.own-files.help",
        "a pack reads only regular files inside its own directory",
        "规则包只读取自己目录中的普通文件",
    ),
    (
        "plan.table-cells",
        "the table has more than {limit} cells (rows × {columns} columns) by this row",
        "数据表到此行已超过 {limit} 个单元格 (行数 × {columns} 列) 的上限",
    ),
    (
        "plan.all-table-cells",
        "the data tables of the packs loaded have more than {limit} cells in all by this row",
        "已加载规则包的数据表到此行合计超过 {limit} 个单元格的上限",
    ),
    (
        "plan.file-too-large",
        "larger than the limit of {limit} bytes for this kind of pack file",
        "超过此类规则包文件 {limit} 字节的上限",
    ),
    (
        "plan.not-utf8",
        "not UTF-8 text: {detail}",
        "不是 UTF-8 文本 (原文: `{detail}`)",
    ),
    (
        "plan.not-builtin",
        "replaces `{target}`, which is not a built-in pack",
        "`replaces` 指定的 `{target}` 不是内置规则包",
    ),
    (
        "plan.not-builtin.help",
        "`replaces:` names the id of a built-in pack (see `peitao plans`)",
        "`replaces:` 应填写内置规则包的 id (见 `peitao plans`)",
    ),
    (
        "plan.replace-not-allowed",
        "pack `{id}` replaces the built-in plan `{target}`, which this run does not allow",
        "规则包 `{id}` 要取代内置方案 `{target}`, 本次运行未允许",
    ),
    (
        "plan.replace-not-allowed.label",
        "replaces a built-in plan",
        "取代内置方案",
    ),
    (
        "plan.replace-not-allowed.help",
        "to judge `{target}` submissions by this pack instead of the built-in rules, pass `--allow-replace {target}` (or `allow_replace = [\"{target}\"]` in the office's peitao.toml); otherwise remove `replaces:` and give the pack an id and aliases of its own",
        "若确要以此规则包代替内置规则审查 `{target}` 的申报, 请加 `--allow-replace {target}` (或在审批部门的 peitao.toml 中写 `allow_replace = [\"{target}\"]`); 否则请删去 `replaces:`, 并给规则包另起 id 和别名",
    ),
    (
        "report.replaced",
        "note: the built-in plan `{target}` is replaced by pack `{id}` ({dir}); its built-in rules are not applied",
        "注意: 内置方案 `{target}` 已由规则包 `{id}` (`{dir}`) 取代, 本次不适用其内置规则",
    ),
    (
        "plan.replaced-twice",
        "pack `{target}` is also replaced by {other}",
        "规则包 `{target}` 已被 `{other}` 替换, 不能再次替换",
    ),
    (
        "plan.no-packs",
        "no rule pack found (a pack is a directory with a pack.yaml)",
        "未找到规则包 (规则包是含有清单 pack.yaml 的目录)",
    ),
    ("plan.pack-id", "pack id", "编号 (id)"),
    ("plan.alias", "alias", "别名"),
    (
        "plan.name-clash",
        "{what} `{name}` of pack `{id}` ({path}) is also a name of pack `{other}` ({other_path})",
        "规则包 `{id}` ({path}) 的{what} `{name}` 也是规则包 `{other}` ({other_path}) 的名称",
    ),
    (
        "plan.name-clash.help",
        "give the pack its own id and aliases; to stand in for a built-in pack, say `replaces: <its id>` in pack.yaml",
        "请给规则包另起 id 和别名; 若要取代内置规则包, 在清单 pack.yaml 中写 `replaces: <其 id>`",
    ),
    (
        "plan.builtin-path",
        "{path} is also the path of a built-in pack file",
        "`{path}` 与内置规则包的文件同路径",
    ),
    (
        "plan.builtin-path.help",
        "load the directory with --no-builtin-rules, or give the pack its own id (and `replaces: <id>` to stand in for a built-in pack)",
        "请配合 `--no-builtin-rules` 加载此目录, 或给规则包另起 id (要取代内置规则包, 写 `replaces: <id>`)",
    ),
    (
        "plan.bad-manifest",
        "{parser}",
        "清单 pack.yaml 无法读取 (解析器原文: `{parser}`)",
    ),
    (
        "plan.manifest-fields.help",
        "fields: {fields}",
        "可用的字段: {fields}",
    ),
    (
        "plan.bad-pack-id",
        "pack id `{id}` must be lowercase ASCII (a-z, 0-9, -, _)",
        "规则包 id `{id}` 只能由小写 ASCII 字符组成 (a-z、0-9、-、_)",
    ),
    (
        "plan.outside-dir",
        "{key} `{value}` of pack `{id}` is outside the pack's directory {dir}",
        "规则包 `{id}` 的 `{key}` 值 `{value}` 在规则包目录 `{dir}` 之外",
    ),
    (
        "plan.copy-inside.help",
        "a pack reads only regular files inside its own directory: copy the file there",
        "规则包只读取自己目录中的普通文件: 请把该文件复制到规则包目录中",
    ),
    (
        "plan.missing-seed",
        "seed file `{path}` not found",
        "找不到规划原文文件 (seed) `{path}`",
    ),
    (
        "plan.missing-data",
        "data file `{path}` not found",
        "找不到数据表文件 `{path}`",
    ),
    (
        "plan.duplicate-rule",
        "rule id `{id}` is also used by {other}",
        "规则 id `{id}` 已被 `{other}` 使用",
    ),
    (
        "plan.empty-pack",
        "pack `{id}` has no rules (*.rhai beside pack.yaml, or `rules:` in it)",
        "规则包 `{id}` 没有规则 (应在清单 pack.yaml 旁放 *.rhai 脚本, 或在清单中写 `rules:`)",
    ),
    (
        "plan.too-many-cases",
        "{cases} cases, over the limit of {limit} per fixture file: split the file",
        "共 {cases} 个用例, 超过每个测试文件 {limit} 个的上限: 请拆分文件",
    ),
    (
        "plan.cases-too-far",
        "cases that start {shift} lines down in all, over the limit of {limit}: split the file",
        "各用例的起始行数合计 {shift} 行, 超过 {limit} 行的上限: 请拆分文件",
    ),
    ("plan.empty-table", "empty table", "数据表为空"),
    (
        "plan.cells",
        "{cells} cells, the header has {header}",
        "此行有 {cells} 列, 表头有 {header} 列",
    ),
    (
        "plan.bad-rule-name",
        "rule name `{name}` must be lowercase ASCII (a-z, 0-9, -)",
        "规则名 `{name}` 只能由小写 ASCII 字符组成 (a-z、0-9、-)",
    ),
    (
        "plan.bad-severity",
        "severity must be error or warning, not `{value}`",
        "`severity` 应为 `error` 或 `warning`, 而不是 `{value}`",
    ),
    (
        "plan.clause-not-in-seed",
        "clause not found verbatim in the plan's text",
        "规划原文中找不到与此条款逐字相同的文字",
    ),
    (
        "plan.clause-not-in-seed.help",
        "copy the words exactly as the seed has them, punctuation included",
        "请按规划原文 (seed) 逐字照录, 标点符号也须一致",
    ),
    (
        "plan.params",
        "params: {error}",
        "`params` 无法读取 (原文: `{error}`)",
    ),
    (
        "plan.template-build",
        "template `{name}`: {why}",
        "模板 `{name}`: {why}",
    ),
    (
        "plan.script-too-large",
        "the script is {size} bytes, over the limit of {limit}",
        "脚本有 {size} 字节, 超过 {limit} 字节的上限",
    ),
    (
        "plan.script-syntax",
        "{rhai}",
        "脚本语法错误 (rhai 原文: `{rhai}`)",
    ),
    (
        "plan.switch-refused",
        "`switch` is not allowed in rules: a missing value would match no case and fall to `_` silently; compare with `==` in `if … else if …`, which stops the rule as \"cannot be checked\" when the value is missing",
        "规则中不允许使用 `switch`: 缺失的值不匹配任何分支, 会悄悄落入 `_`; 请在 `if … else if …` 中用 `==` 比较, 值缺失时规则会停下并报告 \"无法检查\"",
    ),
    (
        "plan.no-metadata",
        "a rule script must end its top level with the metadata map `{map}`",
        "规则脚本的顶层须以元数据映射 `{map}` 结尾",
    ),
    (
        "plan.load-over-time",
        "loading the script took longer than the budget of {ms} ms",
        "加载脚本用时超过 {ms} ms 的上限",
    ),
    (
        "plan.load-total-over-time",
        "loading the rule scripts took longer than their budget of {ms} ms in all (--load-time-limit-total); this script was loading when it ran out",
        "加载规则脚本合计用时超过 {ms} ms 的总上限 (`--load-time-limit-total`), 用尽时正在加载此脚本",
    ),
    (
        "plan.load-total-spent",
        "not loaded: the rule scripts loaded before it spent the budget of {ms} ms in all (--load-time-limit-total)",
        "未加载: 之前加载的规则脚本已用尽 {ms} ms 的总上限 (`--load-time-limit-total`)",
    ),
    (
        "plan.script-error",
        "{rhai}",
        "脚本加载时出错 (rhai 原文: `{rhai}`)",
    ),
    (
        "plan.unknown-meta-key",
        "unknown metadata key `{key}`",
        "未知的元数据键 `{key}`",
    ),
    ("plan.known-keys", "known keys: {keys}", "可用的键: {keys}"),
    (
        "plan.rule-id-prefix",
        "rule id `{id}` must start with `{prefix}`",
        "规则 id `{id}` 须以 `{prefix}` 开头",
    ),
    (
        "plan.meta-severity",
        "severity must be \"error\" or \"warning\", not {value}",
        "`severity` 应为 \"error\" 或 \"warning\", 而不是 {value}",
    ),
    (
        "plan.meta-title",
        "title must be {form}",
        "`title` 应写作 `{form}`",
    ),
    (
        "plan.clause-missing",
        "clause (the plan's words, verbatim) is missing",
        "缺少 `clause` (逐字照录的规划原文)",
    ),
    (
        "plan.bad-meta-date",
        "invalid {key} date `{date}`: {why}",
        "`{key}` 的日期 `{date}` 无效: {why}",
    ),
    (
        "plan.old-check",
        "`fn check(s)` is the old form of a rule",
        "`fn check(s)` 是规则的旧写法",
    ),
    (
        "plan.sections.help",
        "define one function per section the rule judges: {fns}; each returns {verdicts}",
        "规则判断哪一部分, 就定义对应的函数: {fns}; 每个函数返回 {verdicts}",
    ),
    (
        "plan.no-entries",
        "a rule must define at least one of {fns}",
        "规则至少要定义以下函数之一: {fns}",
    ),
    (
        "plan.fn-arity",
        "`fn {name}` must be defined once, with 1 or 2 parameters (the record, the submission)",
        "`fn {name}` 只能定义一次, 带 1 或 2 个参数 (记录、申报)",
    ),
    (
        "plan.switch-cases",
        "{cases} switch cases (`=>`), over the limit of {limit} per script",
        "脚本有 {cases} 个 switch 分支 (`=>`), 超过每个脚本 {limit} 个的上限",
    ),
    ("plan.hint", "; did you mean `{best}`?", "; 是否指 `{best}`?"),
    (
        "plan.no-param",
        "template `{name}` has no parameter `{key}`{hint} (parameters: {params})",
        "模板 `{name}` 没有参数 `{key}`{hint} (可用参数: {params})",
    ),
    (
        "plan.needs-params",
        "template `{name}` needs {missing} in `params`",
        "模板 `{name}` 的 `params` 缺少 {missing} (各参数的含义见 docs/writing-rules.md)",
    ),
    (
        "plan.unknown-template",
        "unknown template `{name}`{hint} (templates: {names})",
        "未知的模板 `{name}`{hint} (可用模板: {names})",
    ),
    ("plan.param-text", "`{key}` must be text", "`{key}` 应为文本"),
    (
        "plan.param-table",
        "`{key}` names the data table `{table}`, which the pack does not have{hint} (tables under `data:`: {tables})",
        "`{key}` 所指的数据表 `{table}` 不在本规则包中{hint} (`data:` 下的数据表: {tables})",
    ),
    (
        "plan.param-type",
        "`{key}` must be {form} ({error})",
        "`{key}` 的值类型不对, 应为 {form} (原文: `{error}`)",
    ),
    (
        "plan.param-localized",
        "`{key}` must be {form}",
        "`{key}` 应为 `{form}`",
    ),
    ("plan.param-number", "`{key}` must be a number", "`{key}` 应为数值"),
    (
        "plan.param-integer",
        "`{key}` must be a whole number",
        "`{key}` 应为整数",
    ),
    (
        "plan.param-bool",
        "`{key}` must be true or false",
        "`{key}` 应为 true 或 false",
    ),
    (
        "plan.param-section",
        "`{key}` is a field, so it needs `section:`, one of {sections}, not `{section}`",
        "`{key}` 的类型为字段名, 须写明 `section:`, 应为 {sections} 之一, 而不是 `{section}`",
    ),
    (
        "plan.template-builtin",
        "template `{name}` is a built-in template's name: give the pack's own template another name",
        "模板 `{name}` 与内置模板同名: 请为规则包自己的模板另取名称",
    ),
    (
        "plan.template-script",
        "template `{name}`: its script `{path}` is not in the pack",
        "模板 `{name}`: 其脚本 `{path}` 不在规则包中",
    ),
    (
        "plan.unknown-op",
        "unknown op `{op}` ({ops})",
        "未知的比较符 `{op}` (可用: {ops})",
    ),
    (
        "plan.param-choice",
        "`{key}` is {choices}, not `{value}`{hint}",
        "`{key}` 应为 {choices}, 而不是 `{value}`{hint}",
    ),
    (
        "plan.param-list-choice",
        "each of `{key}` is one of {choices}, not `{value}`{hint}",
        "`{key}` 的每一项应为 {choices} 之一, 而不是 `{value}`{hint}",
    ),
    (
        "plan.param-repeated",
        "`{key}` lists `{value}` more than once",
        "`{key}` 中 `{value}` 出现了不止一次",
    ),
    (
        "plan.param-too-long",
        "`{key}` has {count} entries, over the limit of {max}",
        "`{key}` 有 {count} 项, 超过上限 {max} 项",
    ),
    (
        "plan.param-text-long",
        "`{key}` is {bytes} bytes long, over the limit of {max}",
        "`{key}` 长 {bytes} 字节, 超过上限 {max} 字节",
    ),
    (
        "plan.param-positive",
        "`{key}` must be more than 0, not {value}",
        "`{key}` 应大于 0, 而不是 {value}",
    ),
    (
        "plan.param-base-per",
        "`{key}`: the per of `{field}` must be more than 0, not {value}",
        "`{key}` 中 `{field}` 的除数应大于 0, 而不是 {value}",
    ),
    (
        "plan.param-field",
        "`{key}` names `{field}`, which is no field of `{section}`{hint}",
        "`{key}` 中的 `{field}` 不是 `{section}` 的字段{hint}",
    ),
    (
        "plan.param-number-field",
        "`{key}` names `{field}`, which is no number field of `{section}`{hint}",
        "`{key}` 中的 `{field}` 不是 `{section}` 的数值字段{hint}",
    ),
    (
        "plan.param-conditions",
        "`{key}` must be a list of [field, op, value]",
        "`{key}` 应为 `[field, op, value]` 的列表",
    ),
    (
        "plan.param-condition",
        "each of `{key}` is [field, op, value]",
        "`{key}` 的每一项应为 `[field, op, value]`",
    ),
    ("plan.param-list", "`{key}` must be a list", "`{key}` 应为列表"),
    (
        "plan.param-list-text",
        "each of `{key}` must be text",
        "`{key}` 的每一项应为文本",
    ),
    (
        "plan.param-year",
        "`{key}` must be a year, or 0 for none",
        "`{key}` 应为年份 (整数), 不设年份时为 0",
    ),
    (
        "plan.param-negative",
        "`{key}` must be 0 or more, not {value}: a negative figure would hold for every file",
        "`{key}` 应不小于 0, 而不是 {value}: 负数的指标对任何文件都成立",
    ),
    (
        "plan.param-percent",
        "`{key}` is a percentage from 0 to 100 (95 for 95%), not {value}",
        "`{key}` 应为 0 至 100 之间的百分数 (95% 写作 95), 而不是 {value}",
    ),
    (
        "plan.param-year-range",
        "`{key}` must be a year from {from} to {to}, or 0 for none, not {value}",
        "`{key}` 应为 {from} 至 {to} 年之间的年份, 不设年份时为 0, 而不是 {value}",
    ),
    (
        "plan.param-value-number",
        "`{key}`: `{field}` is a number, so its value must be a number, not {value}{hint}",
        "`{key}`: `{field}` 是数值字段, 其值应为数值, 而不是 {value}{hint}",
    ),
    (
        "plan.param-unquote.hint",
        "; write it without quotes",
        "; 请去掉引号",
    ),
    (
        "plan.param-value-bool",
        "`{key}`: `{field}` is yes or no, so its value must be true or false, not {value}",
        "`{key}`: `{field}` 是是否字段, 其值应为 是 (true) 或 否 (false), 而不是 {value}",
    ),
    (
        "plan.param-value-word",
        "`{key}`: `{field}` is one of {choices}, not {value}{hint}",
        "`{key}`: `{field}` 的值应为 {choices} 之一, 而不是 {value}{hint}",
    ),
    (
        "plan.param-value-text",
        "`{key}`: `{field}` is text, so its value must be quoted text, not {value}",
        "`{key}`: `{field}` 是文本字段, 其值应为加引号的文本, 而不是 {value}",
    ),
    (
        "plan.param-value-nested",
        "`{key}`: `{field}` is a nested record; name one of its fields (`{field}.…`)",
        "`{key}`: `{field}` 是嵌套记录, 请写出其中的字段 (`{field}.…`)",
    ),
    (
        "plan.param-order-op",
        "`{key}`: `{op}` orders numbers, and `{field}` is not a number; use == or !=",
        "`{key}`: `{op}` 只能比较数值的大小, 而 `{field}` 不是数值字段; 请用 == 或 !=",
    ),
    (
        "plan.param-figure-map",
        "`{key}` is a value, or `field: NAME` (another of the record's values) alone",
        "`{key}` 应为一个值, 或仅含 `field: 字段名` (记录的另一个值)",
    ),
    (
        "plan.param-condition-field",
        "`{key}`: `{field}` must be a yes-or-no field of the record that says whether the condition holds",
        "`{key}`: `{field}` 应为记录中载明是否具备条件的是否字段",
    ),
    (
        "plan.param-figure-field",
        "`{key}` compares `{field}` with the record's `{other}`: both must be number fields",
        "`{key}` 将 `{field}` 与记录的 `{other}` 比较: 二者都应为数值字段",
    ),
    (
        "plan.param-bases",
        "`{key}` must be a list of [field, per]",
        "`{key}` 应为 `[field, per]` 的列表",
    ),
    (
        "plan.problems",
        "{problems} in the rule packs",
        "规则包中共有 {problems}",
    ),
    // peitao.toml (`config::…`).
    (
        "config.toml-syntax",
        "not valid TOML: {parser}",
        "TOML 语法错误 (解析器原文: `{parser}`)",
    ),
    (
        "config.date-quoted.help",
        "write dates as quoted strings: expires = \"2027-06-30\"",
        "日期须加引号书写: `expires = \"2027-06-30\"`",
    ),
    (
        "config.unknown-key",
        "unknown key `{key}` in {place}",
        "`{place}` 中有未知的键 `{key}`",
    ),
    (
        "config.not-a-setting",
        "not a setting peitao knows",
        "不是 peitao 的设置项",
    ),
    ("config.known-keys", "known keys: {keys}", "可用的键: {keys}"),
    (
        "config.wrong-type",
        "`{key}` must be {expected}, not a {found}",
        "`{key}` 应为{expected}, 实际是{found}",
    ),
    (
        "config.strings",
        "a string or a list of strings",
        "字符串或字符串列表",
    ),
    (
        "config.reports-table",
        "a table of format = \"path\"",
        "由 `format = \"path\"` 组成的表",
    ),
    (
        "config.waiver-list",
        "a list of [[waiver]] tables",
        "`[[waiver]]` 表的列表",
    ),
    ("config.a-table", "a table", "表"),
    (
        "config.positive",
        "`{key}` must be a positive whole number",
        "`{key}` 应为正整数",
    ),
    ("config.not-positive", "not positive", "不是正数"),
    (
        "config.not-allowed",
        "`{key}` = \"{value}\" is not one of {allowed}",
        "`{key}` = \"{value}\" 不是可选值之一: {allowed}",
    ),
    (
        "config.not-allowed.label",
        "not an allowed value",
        "不是允许的值",
    ),
    (
        "config.did-you-mean-value",
        "did you mean \"{best}\"?",
        "是否指 \"{best}\"?",
    ),
    ("config.bad-date", "`{key}`: {why}", "`{key}`: {why}"),
    ("config.not-a-date", "not a date", "不是日期"),
    (
        "config.empty",
        "`{name}` of a waiver must not be empty",
        "豁免的 `{name}` 不能为空",
    ),
    ("config.empty.label", "empty", "为空"),
    (
        "lsp.replace",
        "Replace `{old}` with `{new}`",
        "将 `{old}` 改为 `{new}`",
    ),
    (
        "lsp.write-unit",
        "Write the unit: {number} {unit}",
        "写上单位: {number} {unit}",
    ),
    (
        "init.wrote",
        "wrote {path}: edit it, then run `peitao check`",
        "已写入 {path}: 编辑后运行 `peitao check`",
    ),
    (
        "init.exists",
        "{path} exists; peitao init leaves it alone",
        "{path} 已存在; peitao init 不会改动它",
    ),
    (
        "init.cannot-write",
        "cannot write {path}: {why}",
        "无法写入 {path}: {why}",
    ),
    (
        "config.office-empty",
        "`{name}` of [office] must not be empty",
        "[office] 的 `{name}` 不能为空",
    ),
    (
        "config.office-invisible",
        "`{name}` of [office] has no visible text: only invisible characters (zero-width spaces, direction marks …)",
        "[office] 的 `{name}` 没有可见文字: 只有零宽空格、方向控制符等不可见字符",
    ),
    (
        "config.invisible",
        "`{name}` of a waiver has no visible text: only invisible characters (zero-width spaces, direction marks …)",
        "豁免的 `{name}` 没有可见文字: 只有零宽空格、方向控制符等不可见字符",
    ),
    (
        "config.invisible.label",
        "empty after removing invisible characters",
        "去掉不可见字符后为空",
    ),
    (
        "config.waiver-lacks",
        "waiver #{number} lacks {list}",
        "第 {number} 条豁免缺少 {list}",
    ),
    ("config.this-waiver", "this waiver", "此豁免"),
    (
        "config.waiver.help",
        "a waiver names the rule and the file it covers (digest or path), why (reason), who granted it (approved_by) and until when (expires = \"YYYY-MM-DD\")",
        "豁免须写明所涉规则 (`rule`) 和文件 (`digest` 或 `path`)、理由 (`reason`)、批准人 (`approved_by`) 及有效期至 (`expires = \"YYYY-MM-DD\"`)",
    ),
    (
        "config.unbound-waiver",
        "waiver #{number} is bound only to what the applicant wrote: it needs `digest` or `path`",
        "第 {number} 条豁免仅凭申报人自填的内容认定: 须写明 `digest` 或 `path`",
    ),
    (
        "config.unbound-waiver.label",
        "not bound to the file the office received",
        "未绑定到受理的文件",
    ),
    (
        "config.unbound-waiver.help",
        "any filing can copy a `submission.id`; add `digest = \"sha256:…\"` (each file's digest is in the JSON report) or `path = \"…\"` (where the office took the file in); `submission` may stay, to narrow it",
        "任何申报都可以照抄 `submission.id`; 请加上 `digest = \"sha256:…\"` (JSON 报告列出每个文件的摘要) 或 `path = \"…\"` (受理时文件所在路径); `submission` 可保留, 用于进一步限定",
    ),
    (
        "config.unbound-waiver.move-to-path",
        "`submission` names only a submission.id now: write this path glob as `path = \"{value}\"`",
        "`submission` 现只表示申报编号: 请把此路径写为 `path = \"{value}\"`",
    ),
    (
        "config.bad-digest",
        "`digest` = \"{value}\" is not `sha256:` and 64 hex digits",
        "`digest` = \"{value}\" 不是 `sha256:` 加 64 位十六进制数",
    ),
    (
        "config.bad-digest.label",
        "not a SHA-256 digest",
        "不是 SHA-256 摘要",
    ),
    (
        "config.unreadable",
        "cannot read {path}: {why}",
        "无法读取 `{path}`: {why}",
    ),
    (
        "file.not-a-file",
        "it is not a regular file (a FIFO, a device or a directory is never opened)",
        "不是普通文件 (FIFO、设备或目录一律不打开)",
    ),
    (
        "file.too-large",
        "its {size} bytes are more than the limit of {limit} bytes; it is not read",
        "文件大小 {size} 字节超过 {limit} 字节的上限, 未读取",
    ),
    (
        "file.grew-too-large",
        "it grew past the limit of {limit} bytes while being read",
        "读取时超过 {limit} 字节的上限",
    ),
    (
        "file.not-utf8",
        "it is not UTF-8 text",
        "不是 UTF-8 文本",
    ),
    (
        "config.problems",
        "{path}: {problems}; nothing was checked",
        "`{path}`: {problems}, 未检查任何文件",
    ),
    (
        "config.inside-checked-tree",
        "this peitao.toml lies inside `{tree}`, a directory being checked: it is the applicant's, not the office's; ignored: {keys} (only {kept} are used)",
        "此 peitao.toml 位于受检目录 `{tree}` 之内, 属于申报方而非审批部门: 其中的 {keys} 不予采用 (只采用 {kept})",
    ),
    (
        "config.inside-checked-tree.help",
        "the office's settings and waivers come from a peitao.toml outside the directories being checked (where peitao runs, or a parent), or from `--config FILE`",
        "审批部门的设置和豁免应来自受检目录之外的 peitao.toml (运行 peitao 的目录或其上级目录), 或用 `--config FILE` 指定",
    ),
    ("config.ignored-here", "ignored", "不予采用"),
    (
        "config.inside-unreadable",
        "{path} lies inside `{tree}`, a directory being checked, and does not read: ignored",
        "`{path}` 位于受检目录 `{tree}` 之内且无法读取: 不予采用",
    ),
    (
        "config.report-path",
        "the `{format}` report would be written to {path}: {why}",
        "`{format}` 报告将写入 `{path}`: {why}",
    ),
    (
        "config.report-in-tree",
        "that is inside `{tree}`, a directory being checked",
        "该位置在受检目录 `{tree}` 之内",
    ),
    (
        "config.report-outside",
        "that is outside {dir}, the directory of this peitao.toml",
        "该位置在此 peitao.toml 所在目录 `{dir}` 之外",
    ),
    ("config.report-path.label", "this path", "此路径"),
    (
        "config.report-path.help",
        "a report named in peitao.toml is written in the config's directory or below it, never into a checked directory; to write elsewhere, give `--report FORMAT=PATH` or `-o FILE` on the command line",
        "peitao.toml 中的报告只能写在配置文件所在目录或其下级, 且不得写进受检目录; 如需写到别处, 请在命令行上用 `--report FORMAT=PATH` 或 `-o FILE`",
    ),
    (
        "walk.no-submissions",
        "no submissions (*.yaml, *.yml) in this directory",
        "此目录中没有申报文件 (*.yaml, *.yml)",
    ),
    (
        "walk.link-leaves",
        "a symbolic link that leaves the checked directory `{root}`: not followed",
        "指向受检目录 `{root}` 之外的符号链接: 未跟随读取",
    ),
    ("walk.os", "{os}", "{os}"),
    // Report files (`-o`, `--report`) and the baseline.
    (
        "write.not-a-file-name",
        "{path}: not a file name",
        "`{path}` 不是文件名",
    ),
    (
        "write.unreachable",
        "{path}: {os}",
        "`{path}` 无法访问 (系统原文: `{os}`)",
    ),
    ("write.is-dir", "{path} is a directory", "`{path}` 是目录"),
    (
        "write.is-input",
        "{path} is one of the files being checked: it would be overwritten before it is read",
        "`{path}` 是本次要检查的文件之一: 报告会在读取它之前将其覆盖",
    ),
    (
        "write.in-checked-dir",
        "{path} is a *.yaml file inside {dir}, which is being checked: the next run would check the report; write it elsewhere or under another extension",
        "`{path}` 是受检目录 `{dir}` 中的 *.yaml 文件: 下次运行会把报告当作申报文件检查; 请写到别处, 或换一个扩展名",
    ),
    (
        "write.cannot-write",
        "cannot write {path}: {os}",
        "无法写入 `{path}` (系统原文: `{os}`)",
    ),
    (
        "workbook.failed",
        "cannot make the workbook: {why}",
        "无法生成工作簿: {why}",
    ),
    (
        "write.failed",
        "writing {name}: {os}",
        "写入 `{name}` 时出错 (系统原文: `{os}`)",
    ),
    (
        "write.stdout-failed",
        "writing standard output: {os}",
        "写入标准输出时出错 (系统原文: `{os}`)",
    ),
    ("os-error", "{os}", "系统原文: `{os}`"),
    (
        "baseline.unreadable",
        "--baseline {path}: {why}",
        "`--baseline` 的报告 `{path}` 无法使用: {why}",
    ),
    (
        "baseline.not-a-report",
        "not a peitao JSON report: {parser}",
        "不是 peitao 的 JSON 报告 (解析器原文: `{parser}`)",
    ),
    (
        "baseline.version",
        "a JSON report of format_version {found}, this peitao reads {reads}",
        "此 JSON 报告的 `format_version` 为 {found}, 本版 peitao 读取 {reads}",
    ),
    // The language server's messages.
    (
        "lsp.message-too-large",
        "a message of {size} bytes from the editor is over the limit of {max} bytes: it was skipped",
        "编辑器发来的消息有 {size} 字节, 超过上限 {max} 字节, 已跳过",
    ),
    (
        "lsp.config-unreadable",
        "{path} does not read (run `peitao check` in the workspace to see why); serving without it",
        "`{path}` 无法读取 (在工作区运行 `peitao check` 可见原因); 暂不使用此配置文件",
    ),
    (
        "lsp.config-inside",
        "{path} lies inside the workspace, which is being checked: only its {kept} are used; ignored: {keys} (start `peitao lsp --config FILE` to use the office's settings)",
        "`{path}` 位于受检的工作区之内: 只采用其中的 {kept}, {keys} 不予采用 (如需采用审批部门的设置, 请以 `peitao lsp --config FILE` 启动)",
    ),
    (
        "lsp.packs-unloaded",
        "the configured rule packs do not load ({count} problem(s)); using the built-in packs",
        "配置的规则包无法加载 ({count} 个问题); 改用内置规则包",
    ),
    // The language server's hovers and completions (src/lsp): a field's
    // names, a finding's status and figures, what a value of a type looks
    // like, the rules that read a field; in pack.yaml, templates and their
    // parameters.
    ("lsp.names", "{en} · {zh}", "{zh} · {en}"),
    ("lsp.status.violated", "violated", "不符合"),
    ("lsp.status.unchecked", "cannot be checked", "无法检查"),
    ("lsp.status.rule-error", "rule error", "规则错误"),
    ("lsp.status.holds", "holds", "符合"),
    (
        "lsp.required-provided",
        "required: {required} · provided: {provided}",
        "要求: {required} · 申报: {provided}",
    ),
    ("lsp.inputs", "from: {inputs}", "依据: {inputs}"),
    ("lsp.ty.text", "text", "文字"),
    ("lsp.ty.count", "a whole number, 0 or more", "非负整数"),
    (
        "lsp.ty.area",
        "an area in m²: a bare number, or with a unit ({units})",
        "面积, 单位 m²: 不带单位的数, 或带单位 ({units})",
    ),
    (
        "lsp.ty.distance",
        "a distance in m: a bare number, or with a unit ({units})",
        "距离, 单位 m: 不带单位的数, 或带单位 ({units})",
    ),
    ("lsp.ty.bool", "true or false", "是 (true) 或 否 (false)"),
    ("lsp.ty.date", "a date, YYYY-MM-DD", "日期, YYYY-MM-DD"),
    (
        "lsp.ty.month",
        "a month YYYY-MM (counted as its last day) or a date YYYY-MM-DD",
        "月份 YYYY-MM (按当月最后一天计) 或日期 YYYY-MM-DD",
    ),
    ("lsp.ty.year", "a calendar year, e.g. 2025", "年份, 如 2025"),
    ("lsp.ty.enum", "one of {words}", "取值之一: {words}"),
    (
        "lsp.ty.enum-aliases",
        "one of {words}; also {aliases}",
        "取值之一: {words}; 也可写 {aliases}",
    ),
    (
        "lsp.ty.percent",
        "a share: `55%`, `55 %` or a fraction `0.55`",
        "比例: `55%`、`55 %` 或小数 `0.55`",
    ),
    (
        "lsp.ty.level",
        "a grade from 1 to {max}: `3`, `三级`, `3级`",
        "等级, 1 至 {max}: `3`, `三级`, `3级`",
    ),
    ("lsp.ty.nested", "a mapping of {names}", "包含以下字段的映射: {names}"),
    ("lsp.section", "a section of the submission", "申报文件的一节"),
    (
        "lsp.readers-when-valid",
        "The rules that read it are listed once the file is a valid submission.",
        "文件成为有效的申报材料后, 才列出读取此字段的规则。",
    ),
    ("lsp.chooses-plan", "Chooses the plan: {plans}.", "据此选择规划: {plans}。"),
    ("lsp.in-force-on", "The rules in force on {day} apply.", "适用 {day} 有效的规则。"),
    (
        "lsp.no-readers",
        "No rule of {plans} reads `{path}` in this file.",
        "本文件中, {plans} 没有规则读取 `{path}`。",
    ),
    ("lsp.readers", "Rules of {plans} that read `{path}`:", "{plans} 中读取 `{path}` 的规则:"),
    (
        "lsp.template-native",
        "template written in Rust: {source}",
        "以 Rust 编写的模板: {source}",
    ),
    (
        "lsp.template-pack",
        "template of this pack, written in rhai: {script}",
        "本规则包的模板, 以 rhai 编写: {script}",
    ),
    ("lsp.param-of", "parameter of `{template}`", "模板 `{template}` 的参数"),
    ("lsp.param-required", "required", "必填"),
    ("lsp.param-may-be-left-out", "may be left out", "可省略"),
    ("lsp.param-default", "{value} when left out", "省略时为 {value}"),
    (
        "lsp.param-field",
        "names a field of `{section}` (completion lists them)",
        "取 `{section}` 的字段名 (补全时列出)",
    ),
    ("kind-map", "a mapping", "映射"),
    // Rule errors the engine's helpers stop with (what a script did wrong).
    (
        "engine.not-a-record",
        "expected a record of the submission, found {found}",
        "应为申报文件中的记录, 实际是 {found}",
    ),
    (
        "engine.due-by-year",
        "due_by: the region's year is not a number",
        "due_by: 区域的 `year` 不是数值",
    ),
    ("engine.sum-not-a-number", "sum: `{name}` is not a number", "sum: `{name}` 不是数值"),
    ("engine.sum-overflow", "arithmetic overflow: a sum is too large", "算术溢出: 合计过大"),
    (
        "engine.name-of-not-a-record",
        "name_of: expected a record, found {found}",
        "name_of: 应为记录, 实际是 {found}",
    ),
    (
        "engine.not-later-not-a-date",
        "not_later: expected a date, found {found}",
        "not_later: 应为日期, 实际是 {found}",
    ),
    ("engine.not-later", "not_later: {why}", "not_later: {why}"),
    (
        "engine.no-milestone",
        "late_milestones: no milestone `{milestone}` (planned, construction_start, acceptance, delivery)",
        "late_milestones: 无此节点 `{milestone}` (planned、construction_start、acceptance、delivery)",
    ),
    ("engine.division-by-zero", "division by zero: {a} / 0", "除数为零: {a} / 0"),
    (
        "engine.overflow",
        "arithmetic overflow: a number is too large to compare exactly",
        "算术溢出: 数值过大, 无法精确比较",
    ),
    ("engine.no-tables", "this rule's pack has no data tables", "此规则所在的规则包没有数据表"),
    ("engine.no-table", "the pack has no table `{name}`", "规则包中没有数据表 `{name}`"),
    // A script that failed, and where.
    (
        "engine.too-many-operations",
        "exceeded the limit of {limit} operations",
        "超过 {limit} 次运算的上限",
    ),
    ("engine.too-many-calls", "exceeded the limit of {limit} nested calls", "超过 {limit} 层嵌套调用的上限"),
    ("engine.too-large", "exceeded the size limit of {what}", "超出大小上限 (rhai 原文: `{what}`)"),
    (
        "engine.over-submission-time",
        "the rule scripts of this submission together exceeded their time budget of {ms} ms (--submission-time-limit)",
        "本申报文件的规则脚本合计超过 {ms} ms 的时间上限 (`--submission-time-limit`)",
    ),
    ("engine.over-time", "exceeded the time budget of {ms} ms", "超过 {ms} ms 的时间上限"),
    (
        "engine.over-scan",
        "exceeded the limit of {limit} elements scanned",
        "超过扫描 {limit} 个元素的上限",
    ),
    ("engine.no-sleep", "sleep is not available to rules", "规则不能调用 sleep"),
    ("engine.rhai", "{rhai}", "rhai 原文: `{rhai}`"),
    ("engine.at-line", "{what} at {path}:{line}", "{what}, 位于 {path}:{line}"),
    ("engine.in-file", "{what} in {path}", "{what}, 在 {path} 中"),
    // A rule's `severity` that is neither "error" nor "warning".
    ("plan.meta-severity.value", "\"{value}\"", "`{value}`"),
    ("plan.meta-severity.none", "an empty value", "空值"),
    // What a peitao.toml value is, when it is of the wrong type.
    ("config.type.string", "string", "字符串"),
    ("config.type.integer", "integer", "整数"),
    ("config.type.float", "float", "小数"),
    ("config.type.boolean", "boolean", "布尔值"),
    ("config.type.array", "array", "列表"),
    ("config.type.table", "table", "表"),
    ("count.problems", "{n} {n#problem|problems}", "{n} 个问题"),
    ("engine.rule-failed", "rule {rule} failed: {why}", "规则 {rule} 执行出错: {why}"),
    (
        "engine.must-return",
        "`fn {name}` in {path} must return {verdicts}",
        "{path} 中的 `fn {name}` 须返回 {verdicts}",
    ),
    (
        "engine.verdicts",
        "holds(), {violated}, unchecked(path) or not_applicable()",
        "`holds()`、`{violated}`、`unchecked(path)` 或 `not_applicable()`",
    ),
    // What a finding of the engine says when a rule gives no words.
    ("engine.path-not-found", "path `{path}` is not in the submission", "路径 `{path}` 不在申报文件中"),
    (
        "engine.subject-not-found",
        "subject `{subject}` is not in the submission",
        "对象 `{subject}` 不在申报文件中",
    ),
    ("engine.unchecked-why", "cannot be checked: {why}", "无法检查: {why}"),
    ("engine.unchecked-missing", "cannot be checked: {gap} missing", "无法检查: 缺少 {gap}"),
    ("engine.missing-here", "{gap} is missing here", "此处缺少 {gap}"),
    ("engine.does-not-meet", "does not meet the clause", "不符合条款"),
    (
        "engine.settled",
        "{message} ({list} missing, but every value it could take gives this verdict)",
        "{message} ({list} 缺失, 但无论取何值结论相同)",
    ),
    // A rule error of a built-in template: where the template is.
    ("engine.template-in", "{why} (template in {path})", "{why} (模板, 见 {path})"),
    ("engine.not-a-field", "`{path}` is not a field of a record", "`{path}` 不是记录的字段"),
    (
        "engine.unsteady",
        "the template judged the same record otherwise when asked again",
        "模板再次判断同一记录时结论不同",
    ),
    // The built-in templates' words (src/engine/native): their findings
    // and the rule errors they stop with.
    ("template.not-a-number", "`{what}` is not a number", "`{what}` 不是数值"),
    ("template.comma", ", ", "、"),
    ("template.or", "{init} or {last}", "{init} 或 {last}"),
    ("template.op.at-least", "at least", "不低于"),
    ("template.op.more-than", "more than", "超过"),
    ("template.op.at-most", "at most", "不超过"),
    ("template.op.less-than", "less than", "低于"),
    ("template.cmp.eq", "expected", "应为"),
    ("template.cmp.ne", "expected other than", "应不为"),
    ("template.cmp.at-least", "expected at least", "应不少于"),
    ("template.cmp.more-than", "expected more than", "应超过"),
    ("template.cmp.at-most", "expected at most", "应不超过"),
    ("template.cmp.less-than", "expected less than", "应低于"),
    (
        "template.has-facility.none",
        "{place} has no {name} (no facility of kind: {kinds})",
        "{place}未建设{name} (facilities 中无 kind 为 {kinds} 的设施)",
    ),
    ("template.has-facility.label", "{place} without {name}", "{place}, 无{name}"),
    (
        "template.has-facility.required",
        "at least 1 facility of kind {kinds}",
        "至少 1 处 kind 为 {kinds} 的设施",
    ),
    ("template.facility-kind", "{kind} facility", "{kind} 设施"),
    (
        "template.keep-pace.late",
        "{milestone} {mine} is later than the housing's {theirs}",
        "{milestone} {mine} 晚于住宅 {theirs}",
    ),
    (
        "template.keep-pace.lags",
        "{kind} {who} lags the housing: {late}",
        "{kind} {who} 未与住宅同步: {late}",
    ),
    ("template.keep-pace.later", "later than the housing", "晚于住宅"),
    ("template.keep-pace.not-later", "not later than the housing", "不晚于住宅"),
    // A base of one_per as a count reads it: in Chinese its measure word
    // and noun (⌈180 张床位 / 100⌉), in English the field (ceil(180 beds / 100)).
    ("template.base.beds", "beds", "张床位"),
    ("template.base.nursing_beds", "nursing_beds", "张护理型床位"),
    ("template.base.elderly_beds", "elderly_beds", "张养老床位"),
    ("template.base.institution_beds", "institution_beds", "张养老机构床位"),
    ("template.base.elderly_population", "elderly_population", "名老年人"),
    ("template.base.population", "population", "人"),
    ("template.base.residents", "residents", "名入住老人"),
    ("template.one-per.need", "ceil({n} {base} / {per}) = {need}", "⌈{n} {base} / {per}⌉ = {need}"),
    (
        "template.one-per.short",
        "{name} {have} < {required} required: {why}",
        "{name} {have} 名 < 应配 {required} 名: {why}",
    ),
    ("template.estate-standard.none", "no {name}", "无{name}"),
    (
        "template.estate-standard.counted",
        "counted in the {shown} {unit} total",
        "计入合计 {shown} {unit}",
    ),
    (
        "template.estate-standard.short",
        "{name} {shown} {unit} < {required} {unit} required = {formula}{note}",
        "{name} {shown} {unit} < 应有 {required} {unit} = {formula}{note}",
    ),
    (
        "template.per-county.counties",
        "{each} × {counties} counties{extra}",
        "{each} × {counties} 个县(市、区){extra}",
    ),
    ("template.per-county.each-county", "each county (district)", "每个县(市、区)"),
    (
        "template.per-county.townships",
        "{basis} + {each} × {townships} townships",
        "{basis} + {each} × {townships} 个乡镇",
    ),
    (
        "template.per-county.short",
        "{name} {value} < {required} required ({basis})",
        "{name} {value} < 应有 {required} ({basis})",
    ),
    (
        "template.rate.short",
        "{shown} {name} per {per} {of} = {count} × {per} / {base} < {least}",
        "每{per}{of}{name} {shown} = {count} × {per} / {base} < {least}",
    ),
    (
        "template.rate.label",
        "{shown} per {per} {of}",
        "每{per}{of} {shown}",
    ),
    (
        "template.rate.required",
        ">= {least} per {per} {of}",
        ">= {least} (每{per}{of})",
    ),
    (
        "template.share.short",
        "{name} are {shown}% = {n} / {w} of {whole}, below {percent}%",
        "{name}占比 {shown}% = {n} / {w} ({whole}) < {percent}%",
    ),
    ("template.share.label", "{shown}% of {whole}", "占 {whole} 的 {shown}%"),
    (
        "template.target.short",
        "{name} is {shown}{unit}; the plan's target is {wanted} {figure}{unit}{per}",
        "{name} {shown}{unit}, 规划目标为{wanted} {figure}{unit}{per}",
    ),
    ("template.target.label", "target: {wanted} {figure}{unit}", "目标: {wanted} {figure}{unit}"),
    (
        "template.allocation.name-not-text",
        "the region's name is {type}, not text",
        "区域的 `name` 是 {type}, 不是文本",
    ),
    (
        "template.allocation.no-row",
        "{written} is not a row of {column} (rows: {rows})",
        "{column} 中没有 {written} (各行: {rows})",
    ),
    (
        "template.allocation.not-a-number",
        "`{year}` of table `{table}` is not a number",
        "数据表 `{table}` 的 `{year}` 不是数值",
    ),
    (
        "template.allocation.short",
        "{written}: {have} {name} in {year} < {target} allocated in {column}",
        "{written} {year}年累计{name} {have} < {column} 分解目标 {target}",
    ),
    ("template.allocation.target", "target {target}", "目标 {target}"),
    (
        "template.record-target.cannot-order",
        "cannot order {a} and {b}",
        "无法比较 {a} 与 {b} 的大小",
    ),
    (
        "template.record-target.other-venue",
        "venue {who} is of kind {other} and has {field}: {shown}; the format cannot tell whether it is a place the clause names ({duty})",
        "场所 {who} 类型为 {other}, {field} 为 {shown}: 格式无法判断其是否属于条款所指的场所 ({duty})",
    ),
    (
        "template.record-target.unbound",
        "{name} {who} has {field}: {shown}, but the clause binds only {condition}, which the file does not record{said}; {duty}",
        "{name} {who} {field} 为 {shown}, 但条款只及于{condition}, 文件未载明是否具备{said}: {duty}",
    ),
    (
        "template.record-target.short",
        "{name} {who} has {field}: {shown}, {wanted} {figure}; {duty}",
        "{name} {who} {field} 为 {shown}, {wanted} {figure}: {duty}",
    ),
    // Usage errors and the command line the argument parser refused.
    ("usage.unknown-plan", "unknown plan `{name}`", "未知的规划 `{name}`"),
    ("usage.unknown-plan.help", "known plans: {known}", "已知的规划: {known}"),
    (
        "usage.unknown-plan.help-near",
        "did you mean `{best}`? known plans: {known}",
        "是否指 `{best}`? 已知的规划: {known}",
    ),
    ("usage.unknown-rule", "unknown rule `{id}`", "未知的规则 `{id}`"),
    ("usage.unknown-rule.help", "`peitao rules` lists them", "`peitao rules` 列出全部规则"),
    (
        "usage.unknown-rule.help-near",
        "did you mean {near}? `peitao rules` lists them all",
        "是否指 {near}? `peitao rules` 列出全部规则",
    ),
    (
        "usage.no-effect",
        "`{option}` has no effect with `--format {format}`",
        "`{option}` 对 `--format {format}` 不起作用",
    ),
    (
        "usage.no-effect.help",
        "`{option}` applies to `--format human` only",
        "`{option}` 只用于 `--format human`",
    ),
    (
        "usage.no-packs",
        "`--no-builtin-rules` without `--rules DIR`: no rules to check against",
        "`--no-builtin-rules` 未配 `--rules DIR`: 没有可用的规则",
    ),
    ("usage.no-packs.help", "name the rule packs with `--rules DIR`", "用 `--rules DIR` 指定规则包目录"),
    (
        "args.usage",
        "usage: `{usage}`; `{command} --help` lists every option",
        "用法: `{usage}`; `{command} --help` 列出全部选项",
    ),
    ("args.help", "`{command} --help` lists every option", "`{command} --help` 列出全部选项"),
    // After a question the pointer follows a space, else a semicolon.
    ("args.then", "{first}; {pointer}", "{first}; {pointer}"),
    ("args.then-question", "{first} {pointer}", "{first} {pointer}"),
    ("args.values", "possible values: {values}", "可用的值: {values}"),
    ("args.did-you-mean", "did you mean {names}?", "是否指 {names}?"),
    ("args.did-you-mean.values", "did you mean `{best}`? {values}", "是否指 `{best}`? {values}"),
    ("args.unknown-option", "unknown option `{arg}`", "未知的选项 `{arg}`"),
    ("args.unknown-command", "unknown command `{name}`", "未知的命令 `{name}`"),
    ("args.invalid-value", "invalid value `{value}` for `{arg}`", "`{arg}` 的值 `{value}` 无效"),
    (
        "args.invalid-value.why",
        "invalid value `{value}` for `{arg}`: {why}",
        "`{arg}` 的值 `{value}` 无效 (原文: `{why}`)",
    ),
    ("args.missing-value", "`{arg}` needs a value", "`{arg}` 后缺少值"),
    ("args.missing-argument", "missing required arguments: {args}", "缺少必需的参数: {args}"),
    ("args.conflict", "`{arg}` cannot be used with `{other}`", "`{arg}` 不能与 `{other}` 同时使用"),
    ("args.other", "{parser}", "命令行有误 (解析器原文: `{parser}`)"),
    // The small words before a message.
    ("label.error", "error", "错误"),
    ("label.warning", "warning", "警告"),
    ("label.help", "help", "提示"),
    ("label.note", "note", "注"),
    // A region plan's missing figures, gathered into one finding.
    (
        "human.region-figures-missing",
        "region plan: {n} {n#figure|figures} missing, so {rules} {rules#rule|rules} cannot be checked:{list}",
        "区域计划缺少 {n} 项数据, {rules} 条规则无法检查:{list}",
    ),
    ("human.region-figures-missing.label", "{n} {n#figure|figures} missing", "缺少 {n} 项数据"),
    (
        "human.region-figures-missing.help",
        "each rule is checked once its figure is given; a region's targets are for the leading group's review (docs/bureau.md); the JSON output lists each (--format json)",
        "补上各项数据后, 相应规则即可检查; 区域计划的目标由领导小组督导考核 (docs/bureau.md); JSON 输出逐条列出 (--format json)",
    ),
    // A rule's own dates.
    ("dates.from-until", "{from} – {until}", "{from} – {until}"),
    ("dates.from-open", "{from} – (no end date)", "{from} – (未定终止日期)"),
    // Waivers and the baseline.
    (
        "review.waived",
        "waived (waiver #{number} at {file}:{line}): {reason} — approved by {approver}, until {expires}",
        "已豁免 (豁免 #{number}, {file}:{line}): {reason} — 批准人 {approver}, 有效期至 {expires}",
    ),
    (
        "review.waiver-expired",
        "waiver #{number} ({file}:{line}) expired on {expires}: it no longer waives this finding (reason was: {reason}; approved by {approver})",
        "豁免 #{number} ({file}:{line}) 已于 {expires} 到期, 不再豁免此问题 (原因: {reason}; 批准人 {approver})",
    ),
    (
        "review.waiver-unused",
        "waiver #{number} ({file}:{line}) matched no finding in this run ({what}): remove it if it is no longer needed",
        "豁免 #{number} ({file}:{line}) 在本次检查中未匹配任何问题 ({what}): 如已不需要请删除",
    ),
    (
        "review.waiver-expired-unused",
        "waiver #{number} ({file}:{line}) expired on {expires} and no longer waives {n} finding(s) ({what})",
        "豁免 #{number} ({file}:{line}) 已于 {expires} 到期, {n} 项问题不再豁免 ({what})",
    ),
    ("review.new", "── new since the baseline: {n} ──", "── 新增问题 (基线中没有): {n} ──"),
    ("review.unchanged", "── unchanged from the baseline: {n} ──", "── 未改正 (基线中已有): {n} ──"),
    ("review.fixed", "── fixed since the baseline: {n} ──", "── 已改正 (基线中有, 现已没有): {n} ──"),
    (
        "review.waived-count",
        "{n} finding(s) waived (shown, not counted against the run)",
        "{n} 项问题已豁免 (仍列出, 不计入结果)",
    ),
    (
        "review.against-baseline",
        "against the baseline: {new} new, {unchanged} unchanged, {fixed} fixed",
        "与基线相比: 新增 {new} 项, 未改正 {unchanged} 项, 已改正 {fixed} 项",
    ),
    ("review.waived-mark", "[waived] {message}", "[已豁免] {message}"),
    // The human report.
    (
        "human.rule-error.help",
        "a bug in the rule script, not in the submission; tell the rule's author ({path})",
        "规则脚本的问题, 不是申报材料的问题; 请告知规则作者 ({path})",
    ),
    ("human.clause", "clause of {cite}: “{clause}”", "{cite}: “{clause}”"),
    (
        "human.transcoded",
        "note: this file was read as {encoding} (GBK) and transcoded to UTF-8; lines and columns refer to the transcoded text",
        "注: 此文件按 {encoding} (GBK) 编码读取并转为 UTF-8; 行号和列号按转换后的文本计",
    ),
    // A file's closing line, and the counts in it.
    ("line.unreadable", "{path}: unreadable: {why}", "{path}: 无法读取: {why}"),
    (
        "line.invalid",
        "{path}: invalid submission ({n} {n#input error|input errors})",
        "{path}: 无效的申报文件 ({n} 处输入错误)",
    ),
    ("line.no-rule", "{path}: no rule applies to this submission", "{path}: 没有适用于此申报的规则"),
    ("line.ok", "{path}: ok", "{path}: 通过"),
    ("line.counts", "{path}: {counts}", "{path}: {counts}"),
    ("line.waived", "{path}: {counts} ({n} waived)", "{path}: {counts} (其中 {n} 项已豁免)"),
    ("count.errors", "{n} {n#error|errors}", "{n} 个错误"),
    ("count.warnings", "{n} {n#warning|warnings}", "{n} 个警告"),
    ("count.unchecked", "{n} cannot be checked", "{n} 项无法检查"),
    ("count.rule-errors", "{n} {n#rule error|rule errors}", "{n} 个规则错误"),
    // The closing line over all files.
    (
        "summary.line",
        "{files} {files#file|files}: {clean} clean, {findings} with findings{none}, {invalid} invalid, {unreadable} unreadable{counts}",
        "共 {files} 个文件: {clean} 个通过, {findings} 个有问题{none}, {invalid} 个无效, {unreadable} 个无法读取{counts}",
    ),
    ("summary.no-rule", ", {n} with no rule applying", ", {n} 个没有适用的规则"),
    // The first line of a report an office makes.
    ("office.office", "Office", "审查单位"),
    ("office.reviewer", "Reviewer", "审查人"),
    ("office.made-on", "Made on", "生成日期"),
    // `peitao plans`, `peitao rules`, `peitao explain`.
    ("plans.unknown", "unknown (not in the plan's text)", "未知 (原文未载明)"),
    ("plans.title", "title", "标题"),
    ("plans.number", "number", "文号"),
    ("plans.issuer", "issuer", "发文单位"),
    ("plans.dated", "dated", "成文日期"),
    ("plans.published", "published", "发布日期"),
    ("plans.in-force", "in force", "有效期"),
    ("plans.aliases", "aliases", "别名"),
    ("plans.rules", "rules", "规则数"),
    ("plans.notes", "notes", "说明"),
    ("plans.total", "{plans} {plans#plan|plans}, {rules} {rules#rule|rules}", "共 {plans} 个规划, {rules} 条规则"),
    ("rules.total", "{n} {n#rule|rules}", "共 {n} 条规则"),
    ("explain.template", "template {name} (written in Rust: {source})", "模板 {name} (以 Rust 编写: {source})"),
    ("explain.params", "params:", "参数 (params):"),
    ("explain.param-required", "required", "必填"),
    ("explain.param-optional", "may be left out", "可省略"),
    ("explain.param-default", "{value} when left out", "省略时为 {value}"),
    ("explain.plan", "Plan: {cite}", "出处 {cite}"),
    ("explain.in-words", "In the plan's words (the clause in 【】):", "原文 (【】内为条款):"),
    (
        "explain.severity.error",
        "Severity: error: the plan makes it binding (必须 / 应 / 不得 / a 标准)",
        "严重程度: error: 规划的约束性要求 (必须 / 应 / 不得 / 标准)",
    ),
    (
        "explain.severity.warning",
        "Severity: warning: a target or goal of the plan, not a binding standard",
        "严重程度: warning: 规划的目标或倡导性要求",
    ),
    (
        "explain.pack-template",
        "template {name} of pack {pack} (written in rhai: {path})",
        "规则包 {pack} 的模板 {name} (以 rhai 编写: {path})",
    ),
    (
        "explain.rule-pack-template",
        "template {name} (written in rhai: {path}), figures from {rule}",
        "模板 {name} (以 rhai 编写: {path}), 数据来自 {rule}",
    ),
    (
        "explain.rule-template",
        "template {name} (written in Rust: {source}), from {path}",
        "模板 {name} (以 Rust 编写: {source}), 数据来自 {path}",
    ),
    // `peitao test`: fixture results and coverage.
    ("fixtures.passed", "ok     {path} ({n} {n#case|cases})", "通过   {path} ({n} 个用例)"),
    ("fixtures.failed", "FAILED {path} ({n} {n#case|cases})", "失败   {path} ({n} 个用例)"),
    ("fixtures.case", "case at line {line}:", "第 {line} 行的用例:"),
    (
        "fixtures.no-expectation",
        "states no expectation: add `# expect: RULE` on a line, or `# expect-none`",
        "未写明预期: 请在某行加 `# expect: RULE`, 或写 `# expect-none`",
    ),
    ("fixtures.bad-mark", "malformed marker: {mark}", "标记格式有误: {mark}"),
    ("fixtures.missing", "- {mark}   (expected, not found)", "- {mark}   (预期有, 未发现)"),
    ("fixtures.unexpected", "+ {mark}   (found, not expected)", "+ {mark}   (发现了, 未预期)"),
    ("fixtures.actual", "actual: {got}", "实际: {got}"),
    ("fixtures.nothing", "(nothing)", "(无)"),
    ("fixtures.never-fires", "no passing case where it fires", "没有触发它的通过用例"),
    ("fixtures.never-holds", "no passing case where it holds", "没有它成立的通过用例"),
    ("fixtures.uncovered", "uncovered {rule}: {gaps}", "未覆盖 {rule}: {gaps}"),
    (
        "fixtures.coverage",
        "coverage: {covered} of {all} {all#rule|rules} fire and hold in some fixture",
        "覆盖: {all} 条规则中 {covered} 条在用例中既触发过也成立过",
    ),
    (
        "fixtures.total",
        "{files} {files#fixture file|fixture files}, {cases} {cases#case|cases}: {passed} passed, {failed} failed",
        "共 {files} 个用例文件, {cases} 个用例: {passed} 个通过, {failed} 个失败",
    ),
    // The HTML report.
    ("html.lang", "en", "zh-CN"),
    ("html.title", "peitao review report", "peitao 审查报告"),
    ("html.file", "File", "文件"),
    ("html.plan", "Plan", "规划"),
    ("html.result", "Result", "结果"),
    ("html.errors", "Errors", "错误"),
    ("html.warnings", "Warnings", "警告"),
    ("html.unchecked", "Cannot be checked", "无法检查"),
    ("html.rule-errors", "Rule errors", "规则错误"),
    ("html.clean", "clean", "通过"),
    ("html.findings", "findings", "有问题"),
    ("html.invalid", "invalid", "无效"),
    ("html.unreadable", "unreadable", "无法读取"),
    ("html.no-rule", "no rule applies", "没有适用的规则"),
    ("html.contact", "Contact", "联系方式"),
    ("html.submission-id", "Submission id", "申报编号"),
    ("html.project", "Project", "项目名称"),
    ("html.signature", "Signature", "签字"),
    ("html.date", "Date", "日期"),
    ("html.sign-off", "Sign-off", "审查意见签署"),
    ("html.show-all", "all", "全部"),
    ("html.show-problems", "problems only", "只看有问题的"),
    ("html.show-broken", "invalid and unreadable only", "只看无效和无法读取的"),
    ("html.passed", "{n} {n#file|files} passed", "{n} 个文件通过检查"),
    ("html.badge.new", "new", "新增"),
    ("html.badge.unchanged", "unchanged", "未变"),
    ("html.badge.expired", "expired", "豁免已过期"),
    ("html.badge.waived", "waived", "已豁免"),
    ("html.sev.unchecked", "cannot be checked", "无法检查"),
    ("html.sev.rule-error", "rule error", "规则错误"),
    // The ledgers' column headers (CSV, Excel).
    ("ledger.file", "file", "文件"),
    ("ledger.project", "project", "项目名称"),
    ("ledger.submission-id", "submission id", "申报编号"),
    ("ledger.plan", "plan", "规划"),
    ("ledger.result", "result", "结果"),
    ("ledger.errors", "errors", "错误"),
    ("ledger.warnings", "warnings", "警告"),
    ("ledger.cannot-be-checked", "cannot be checked", "无法核查"),
    ("ledger.rule-errors", "rule errors", "规则错误"),
    ("ledger.waived", "waived", "已豁免"),
    ("ledger.input-errors", "input errors", "输入错误"),
    ("ledger.location", "location", "位置"),
    ("ledger.rule", "rule", "规则"),
    ("ledger.severity", "severity", "严重程度"),
    ("ledger.status", "status", "状态"),
    ("ledger.subject", "subject", "对象"),
    ("ledger.message", "message", "说明"),
    ("ledger.required", "required", "应为"),
    ("ledger.provided", "provided", "实为"),
    ("ledger.clause", "clause", "条文"),
    ("ledger.waiver-reason", "waiver reason", "豁免理由"),
    ("ledger.approved-by", "approved by", "批准人"),
    ("ledger.waiver-expires", "waiver expires", "豁免到期"),
    ("ledger.baseline", "baseline", "基线"),
    // The workbook's sheets.
    ("xlsx.summary", "Summary", "汇总"),
    ("xlsx.findings", "Findings", "问题"),
    // The desk's refusals: an upload it does not keep, a request it
    // does not carry out (the API answers both languages).
    ("desk.fail.not-found", "not found.", "未找到。"),
    ("desk.fail.forbidden", "you may not do this.", "无权执行此操作。"),
    (
        "desk.fail.csrf",
        "the form's security token is missing or stale: go back and try again.",
        "表单已过期或缺少安全令牌，请返回重试。",
    ),
    ("desk.fail.database", "database error: try again later.", "数据库错误，请稍后重试。"),
    ("desk.fail.log-in-first", "log in first.", "请先登录。"),
    (
        "desk.fail.throttled",
        "too many failed logins: try again in 15 minutes.",
        "登录失败次数过多，请 15 分钟后再试。",
    ),
    ("desk.fail.bad-login", "wrong name or password.", "用户名或密码错误。"),
    ("desk.fail.too-large", "the request is too large.", "请求过大。"),
    ("desk.fail.not-json", "the body is not the JSON expected.", "请求正文不是所需的 JSON。"),
    ("desk.fail.date", "dates are written YYYY-MM-DD.", "日期应写作 YYYY-MM-DD。"),
    ("desk.fail.query-encoding", "a query parameter is badly encoded.", "查询参数编码有误。"),
    ("desk.fail.check-failed", "the check failed.", "检查过程出错。"),
    (
        "desk.fail.busy",
        "the filing is being updated at the same time: try again.",
        "该申报正被同时更新，请重试。",
    ),
    (
        "desk.fail.comment-length",
        "a comment must be 1 to 10000 characters.",
        "意见内容不能为空，且不超过 10000 字。",
    ),
    (
        "desk.fail.waiver-reason",
        "a waiver needs a reason (at most 2000 characters).",
        "豁免须写明理由（不超过 2000 字）。",
    ),
    ("desk.fail.expiry-date", "the expiry is written YYYY-MM-DD.", "有效期应写作 YYYY-MM-DD。"),
    ("desk.fail.expiry-past", "the expiry cannot be before today.", "有效期不能早于今天。"),
    (
        "desk.fail.no-such-finding",
        "the filing's latest version has no such finding.",
        "该申报的当前版本没有这一问题。",
    ),
    ("desk.fail.no-such-rule", "there is no such rule.", "没有这条规则。"),
    (
        "desk.fail.waiver-scope",
        "a waiver's scope is one finding or one rule (exactly one).",
        "豁免的范围须是一个问题或一条规则（二选一）。",
    ),
    (
        "desk.fail.decision",
        "the decision is {approve}, {correct} or {reject}.",
        "决定须是 通过（{approve}）、补正（{correct}）或 不予通过（{reject}）。",
    ),
    ("desk.fail.opinion-length", "the opinion is too long.", "意见过长。"),
    ("desk.fail.user-name-length", "a user name is 1 to 100 characters.", "用户名须为 1 到 100 个字符。"),
    ("desk.fail.password-length", "a password has at least 8 characters.", "密码至少 8 个字符。"),
    (
        "desk.fail.role",
        "the role is {applicant}, {reviewer}, {approver} or {admin}.",
        "角色须是 {applicant}、{reviewer}、{approver} 或 {admin}。",
    ),
    ("desk.fail.applicant-org", "an applicant belongs to an organisation.", "申报人须属于一个单位。"),
    ("desk.fail.user-exists", "that user name is taken.", "该用户名已存在。"),
    ("desk.fail.unknown-role", "unknown role.", "未知角色。"),
    (
        "desk.fail.self-admin",
        "you cannot deactivate yourself or drop your own admin role.",
        "不能停用自己或取消自己的管理员角色。",
    ),
    ("desk.fail.template", "the page could not be made.", "页面生成出错。"),
    ("desk.fail.bad-form", "the form is malformed.", "表单内容有误。"),
    ("desk.fail.xlsx", "the workbook could not be made: {why}", "无法生成工作簿 (原文: `{why}`)。"),
    ("desk.fail.credentials", "expected JSON {form}.", "需要 JSON {form}。"),
    (
        "desk.refuse.too-large",
        "the upload is too large: {size} bytes, the limit is {limit}; nothing was stored.",
        "上传文件过大：{size} 字节，上限 {limit} 字节；未保存任何内容。",
    ),
    (
        "desk.refuse.wrong-type",
        "file type \"{type}\" is not accepted: upload YAML (.yaml/.yml) or an Excel workbook (.xlsx); nothing was stored.",
        "不接受的文件类型“{type}”：请上传 YAML（.yaml/.yml）或 Excel 工作簿（.xlsx）；未保存任何内容。",
    ),
    (
        "desk.refuse.not-a-workbook",
        "the file sent as .xlsx is not an Excel workbook; nothing was stored.",
        "声明为 .xlsx 的文件不是 Excel 工作簿；未保存任何内容。",
    ),
    (
        "desk.refuse.encoding",
        "the file's encoding is not recognised: save it as UTF-8 (or GB18030/GBK); nothing was stored.",
        "文件编码无法识别：请以 UTF-8（或 GB18030/GBK）保存；未保存任何内容。",
    ),
    ("desk.refuse.empty", "no file content was received; nothing was stored.", "未收到文件内容；未保存任何内容。"),
    // The review desk's pages: a page says `t.name` for `desk.name`.
    ("desk.desk", "Review desk", "配套审查台"),
    ("desk.login", "Log in", "登录"),
    ("desk.logout", "Log out", "退出"),
    ("desk.name", "Name", "用户名"),
    ("desk.password", "Password", "密码"),
    ("desk.queue", "Queue", "受理队列"),
    ("desk.upload", "Upload a filing", "上传申报"),
    ("desk.upload_file", "Submission file (YAML or .xlsx)", "申报文件（YAML 或 .xlsx）"),
    ("desk.resubmit", "Resubmit (new version)", "提交新版本（补正）"),
    ("desk.org", "Organisation", "单位"),
    ("desk.submit", "Submit", "提交"),
    ("desk.filter", "Filter", "筛选"),
    ("desk.search", "Intake number, project name or submission id", "受理编号、项目名称或申报编号"),
    ("desk.plan", "Plan", "规划"),
    ("desk.status", "Status", "状态"),
    ("desk.applicant", "Applicant", "申报单位"),
    ("desk.reviewer", "Reviewer", "审查人"),
    ("desk.from", "From", "自"),
    ("desk.to", "To", "至"),
    ("desk.intake_no", "Intake number", "受理编号"),
    ("desk.project", "Project", "项目"),
    ("desk.submission_id", "Submission id", "申报编号"),
    ("desk.version", "Version", "版本"),
    ("desk.versions", "Version history", "版本历史"),
    ("desk.findings", "Findings", "问题"),
    ("desk.finding", "Finding", "问题"),
    ("desk.no_findings", "No findings.", "未发现问题。"),
    ("desk.created", "Received", "受理时间"),
    ("desk.updated", "Updated", "更新时间"),
    ("desk.any", "any", "全部"),
    ("desk.st_submitted", "submitted", "待审查"),
    ("desk.st_invalid", "invalid", "无法读取"),
    ("desk.st_approved", "approved", "通过"),
    ("desk.st_correction", "returned for correction", "补正"),
    ("desk.st_rejected", "rejected", "不予通过"),
    ("desk.source", "Submission text", "申报原文"),
    ("desk.download", "Download the file", "下载原文件"),
    ("desk.rule", "Rule", "规则"),
    ("desk.severity", "Severity", "级别"),
    ("desk.subject", "Subject", "对象"),
    ("desk.required", "Required", "要求"),
    ("desk.provided", "Provided", "实际"),
    ("desk.clause", "Clause", "条文"),
    ("desk.document_number", "Document number", "文号"),
    ("desk.value", "Value", "取值"),
    ("desk.new", "new", "新增"),
    ("desk.unchanged", "unchanged", "未改"),
    ("desk.fixed", "fixed", "已改正"),
    ("desk.fixed_here", "Fixed in this version", "本版本已改正的问题"),
    ("desk.compare", "Compared with the previous version", "与上一版本比较"),
    ("desk.waived", "waived", "已豁免"),
    ("desk.waivers", "Waivers", "豁免"),
    ("desk.waiver", "Waiver", "豁免"),
    ("desk.grant_waiver", "Grant a waiver", "批准豁免"),
    ("desk.scope", "Scope", "范围"),
    ("desk.scope_finding", "this finding", "此问题"),
    ("desk.scope_rule", "this rule, for this filing", "本申报的此条规则"),
    ("desk.reason", "Reason", "理由"),
    ("desk.expires", "Expires", "有效期至"),
    ("desk.approver", "Approver", "批准人"),
    ("desk.comments", "Comments", "意见"),
    ("desk.comment", "Add a comment", "添加意见"),
    ("desk.decision", "Decision", "审查决定"),
    ("desk.decide", "Record the decision", "记录决定"),
    ("desk.approve", "Approve", "通过"),
    ("desk.correct", "Return for correction", "补正"),
    ("desk.reject", "Reject", "不予通过"),
    ("desk.opinion_text", "Opinion", "审查意见"),
    ("desk.opinion", "Review opinion", "审查意见书"),
    ("desk.print", "Print", "打印"),
    ("desk.office", "Office", "审查机关"),
    ("desk.date", "Date", "日期"),
    ("desk.no_decision", "No decision recorded yet.", "尚未作出决定。"),
    ("desk.ledger", "Ledger", "台账"),
    ("desk.ledger_csv", "Ledger as CSV", "导出台账 CSV"),
    ("desk.ledger_xlsx", "Ledger as Excel", "导出台账 Excel"),
    ("desk.users", "Users", "用户"),
    ("desk.audit", "Audit log", "审计日志"),
    ("desk.audit_csv", "Audit log as CSV", "导出审计日志 CSV"),
    ("desk.role", "Role", "角色"),
    ("desk.display", "Display name", "显示名称"),
    ("desk.active", "Active", "启用"),
    ("desk.create_user", "Create a user", "新建用户"),
    ("desk.save", "Save", "保存"),
    ("desk.new_password", "New password (optional)", "新密码（可空）"),
    ("desk.time", "Time", "时间"),
    ("desk.user", "User", "用户"),
    ("desk.action", "Action", "操作"),
    ("desk.target", "Target", "对象"),
    ("desk.detail", "Detail", "详情"),
    ("desk.request_id", "Request id", "请求编号"),
    ("desk.input_errors", "The file could not be checked:", "文件无法检查："),
    (
        "desk.invalid_note",
        "This version could not be read and was not checked (never a pass).",
        "此版本无法读取，未进行检查（不视为通过）。",
    ),
    ("desk.error", "Error", "错误"),
    ("desk.back", "Back", "返回"),
    ("desk.other_lang", "中文", "English"),
    ("desk.file_status", "Check result", "检查结果"),
    ("desk.fs_clean", "clean", "无问题"),
    ("desk.fs_findings", "findings", "有问题"),
    ("desk.fs_invalid", "invalid", "无法读取"),
    ("desk.fs_unreadable", "unreadable", "无法读取"),
    ("desk.fs_no_rule_applies", "no rule applies", "无适用规则"),
    ("desk.violated", "violated", "不符合"),
    ("desk.cannot_be_checked", "cannot be checked", "无法检查"),
    ("desk.rule_error", "rule error", "规则错误"),
    ("desk.sev_error", "error", "错误"),
    ("desk.sev_warning", "warning", "警告"),
    ("desk.signature", "Reviewer (signature)", "审查人（签字）"),
    ("desk.seal", "(seal)", "（盖章）"),
    ("desk.none", "none", "无"),
    ("desk.count", "Count", "数量"),
    ("desk.gate", "Gate", "结论"),
    ("desk.gate_pass", "passes (the office's fail_on)", "符合（按本机关 fail_on）"),
    ("desk.gate_fail", "fails (the office's fail_on)", "不符合（按本机关 fail_on）"),
    ("desk.gate_not_checked", "not checked (never a pass)", "未检查（不视为通过）"),
];

/// A message in both languages, for a value that carries both (a rule
/// error's [`Text`](super::lang::Text), a desk refusal).
///
/// The key is looked up once for both languages: the engine builds a
/// finding's words for every verdict it tries, so this is on its hot path.
pub fn both(m: &Msg) -> super::lang::Text {
    match entry(m.key) {
        Some(e) => super::lang::Text {
            zh: e.zh.fill(m, Lang::Zh),
            en: e.en.fill(m, Lang::En),
        },
        None => {
            debug_assert!(false, "message key `{}` is not in the catalogue", m.key);
            super::lang::Text {
                zh: fill(m.key, m, Lang::Zh),
                en: fill(m.key, m, Lang::En),
            }
        }
    }
}

/// The words of `key` in `lang`, as the catalogue writes them. A key
/// missing from [`CATALOGUE`] is a bug: tests/catalogue.rs finds every key
/// the code names and fails on one the catalogue lacks, and a debug build
/// (every test) stops on one that slipped past it; a release build shows
/// the key as written rather than stopping the run.
fn words(key: &str, lang: Lang) -> &str {
    match lookup(key) {
        Some((en, zh)) => lang.pick(zh, en),
        None => {
            debug_assert!(false, "message key `{key}` is not in the catalogue");
            key
        }
    }
}

/// A key's (English, Chinese) words, `None` for a key not in the catalogue.
pub fn lookup(key: &str) -> Option<(&'static str, &'static str)> {
    entry(key).map(|e| (e.en.text, e.zh.text))
}

/// A key of the catalogue, its words in each language cut at their
/// placeholders once, on first use: the engine words a finding for every
/// verdict it tries, so filling a message is on its hot path.
struct Entry {
    en: Template,
    zh: Template,
}

/// One language's words of a key, and their pieces.
struct Template {
    text: &'static str,
    /// `None` when some `{…}` is not a placeholder [`fill`] fills (then
    /// every fill takes [`fill`]'s way, which shows it as written).
    pieces: Option<Vec<Piece>>,
}

#[derive(Debug, PartialEq)]
enum Piece {
    Text(&'static str),
    /// `{name}`.
    Arg(&'static str),
    /// `{name#one|many}`.
    Agree {
        name: &'static str,
        one: &'static str,
        many: &'static str,
    },
}

fn entry(key: &str) -> Option<&'static Entry> {
    use std::sync::OnceLock;
    /// Where each key stands in the catalogue.
    static INDEX: OnceLock<std::collections::HashMap<&str, usize>> = OnceLock::new();
    /// Each key's words, cut when the key is first used: a run uses a few
    /// dozen of the catalogue's keys, and cutting all of them at the first
    /// took 1.4 M instructions, about 5 % of a cold check.
    static CUT: [OnceLock<Entry>; CATALOGUE.len()] = [const { OnceLock::new() }; CATALOGUE.len()];
    let index = INDEX.get_or_init(|| {
        CATALOGUE
            .iter()
            .enumerate()
            .map(|(i, &(k, _, _))| (k, i))
            .collect()
    });
    let i = *index.get(key)?;
    Some(CUT[i].get_or_init(|| {
        let (_, en, zh) = CATALOGUE[i];
        Entry {
            en: Template::new(en),
            zh: Template::new(zh),
        }
    }))
}

impl Template {
    /// `text` cut as [`fill`] reads it: up to each `{`, then up to the
    /// next `}`.
    fn new(text: &'static str) -> Template {
        let mut pieces = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                pieces.push(Piece::Text(&rest[..open]));
            }
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                return Template { text, pieces: None };
            };
            let inner = &after[..close];
            pieces.push(match inner.split_once('#') {
                Some((name, forms)) => match forms.split_once('|') {
                    Some((one, many)) => Piece::Agree { name, one, many },
                    None => return Template { text, pieces: None },
                },
                None => Piece::Arg(inner),
            });
            rest = &after[close + 1..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest));
        }
        Template {
            text,
            pieces: Some(pieces),
        }
    }

    /// The words with `m`'s arguments, exactly as [`fill`] gives them,
    /// made to size: a finding's words are kept for its file's whole
    /// report, so they are not grown by doubling (issue 25).
    fn fill(&self, m: &Msg, lang: Lang) -> String {
        let Some(pieces) = &self.pieces else {
            return fill(self.text, m, lang);
        };
        let arg = |name: &str| m.args.iter().find(|(n, _)| *n == name).map(|(_, a)| a);
        // Each piece's words; a phrase's are made first (none allocated
        // for a message without one).
        let mut phrases: Vec<String> = Vec::new();
        let mut len = 0;
        for piece in pieces {
            len += match piece {
                Piece::Text(t) => t.len(),
                Piece::Arg(name) => match arg(name) {
                    Some(Arg::Value(v)) => v.len(),
                    Some(Arg::Both { zh, en }) => lang.pick(zh, en).len(),
                    Some(Arg::Phrase(p)) => {
                        phrases.push(say(p, lang));
                        phrases.last().map_or(0, String::len)
                    }
                    // A placeholder no argument fills is shown as
                    // written, as `fill` shows it.
                    None => return fill(self.text, m, lang),
                },
                Piece::Agree { name, one, many } => match arg(name) {
                    Some(value) => {
                        let is_one = match value {
                            Arg::Value(v) => v == "1",
                            Arg::Both { zh, en } => lang.pick(zh, en) == "1",
                            Arg::Phrase(p) => say(p, lang) == "1",
                        };
                        if is_one {
                            one.len()
                        } else {
                            many.len()
                        }
                    }
                    None => return fill(self.text, m, lang),
                },
            };
        }
        let mut out = String::with_capacity(len);
        let mut phrases = phrases.into_iter();
        for piece in pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Arg(name) => match arg(name) {
                    Some(Arg::Value(v)) => out.push_str(v),
                    Some(Arg::Both { zh, en }) => out.push_str(lang.pick(zh, en)),
                    _ => out.push_str(&phrases.next().unwrap_or_default()),
                },
                Piece::Agree { name, one, many } => {
                    let is_one = match arg(name) {
                        Some(Arg::Value(v)) => v == "1",
                        Some(Arg::Both { zh, en }) => lang.pick(zh, en) == "1",
                        Some(Arg::Phrase(p)) => say(p, lang) == "1",
                        None => false,
                    };
                    out.push_str(if is_one { one } else { many });
                }
            }
        }
        debug_assert_eq!(out.len(), len);
        out
    }
}

/// One word or phrase of the catalogue, without arguments.
pub fn word(key: &'static str, lang: Lang) -> &'static str {
    words(key, lang)
}

/// A message of the catalogue in `lang`, its arguments filled in:
/// `{name}` is the argument of that name, and `{name#one|many}` the word
/// that agrees with it (`one` when it is 1: "{n} {n#file|files}"). Each
/// placeholder is filled once, from the text as the catalogue writes it,
/// so an argument that itself holds `{…}` (a reason, a file name) is shown
/// as written.
pub fn say(m: &Msg, lang: Lang) -> String {
    match entry(m.key) {
        Some(e) => lang.pick(&e.zh, &e.en).fill(m, lang),
        None => fill(words(m.key, lang), m, lang),
    }
}

/// `text`, the words of `m`'s key in `lang`, with `m`'s arguments filled
/// in as [`say`] describes.
fn fill(text: &str, m: &Msg, lang: Lang) -> String {
    use std::borrow::Cow;
    let value = |name: &str| {
        m.args
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, arg)| match arg {
                Arg::Value(v) => Cow::Borrowed(v.as_str()),
                Arg::Phrase(p) => Cow::Owned(say(p, lang)),
                Arg::Both { zh, en } => Cow::Borrowed(lang.pick(zh.as_str(), en.as_str())),
            })
    };
    // Room for the words when each argument fills one `{name}`: a
    // finding's words are kept for its file's whole report, so they are
    // made to size, not grown by doubling (issue 25).
    let room = m.args.iter().fold(text.len(), |n, (name, arg)| {
        let len = match arg {
            Arg::Value(v) => v.len(),
            Arg::Both { zh, en } => lang.pick(zh, en).len(),
            Arg::Phrase(_) => 0,
        };
        (n + len).saturating_sub(name.len() + 2)
    });
    // A brace by a plain scan: the texts between placeholders are short,
    // where a `str::find` costs more in setting up than in searching.
    let brace = |s: &str, b: u8| s.bytes().position(|c| c == b);
    let mut out = String::with_capacity(room);
    let mut rest = text;
    while let Some(open) = brace(rest, b'{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let filled = brace(after, b'}').and_then(|close| {
            let inner = &after[..close];
            let filled = match inner.split_once('#') {
                Some((name, forms)) => {
                    let (one, many) = forms.split_once('|')?;
                    value(name).map(|v| Cow::Borrowed(if v == "1" { one } else { many }))
                }
                None => value(inner),
            };
            filled.map(|f| (f, close))
        });
        match filled {
            Some((f, close)) => {
                out.push_str(&f);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    if out.capacity() - out.len() >= 16 {
        out.shrink_to_fit();
    }
    out
}

/// What a code (`input::bad-date`, `usage::no-packs` …) means, in `lang`.
pub fn code_meaning(code: &str, lang: Lang) -> String {
    let key = format!("code.{code}");
    lookup(&key).map_or_else(String::new, |(en, zh)| lang.pick(zh, en).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names of `text`'s placeholders, as [`fill`] reads them.
    fn names(text: &'static str) -> Vec<&'static str> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else { break };
            let inner = &after[..close];
            out.push(inner.split_once('#').map_or(inner, |(n, _)| n));
            rest = &after[close + 1..];
        }
        out
    }

    /// Every key in both languages, with every argument given (as one, as
    /// many, as a phrase, in both languages), with none, and with all but
    /// one: the pieces cut once fill exactly as the catalogue's text does.
    #[test]
    fn cut_words_fill_as_the_text_does() {
        let mut filled = 0;
        for &(key, en, zh) in CATALOGUE {
            let e = entry(key).expect("every key is in the index");
            let mut all: Vec<&'static str> = names(en).into_iter().chain(names(zh)).collect();
            all.sort_unstable();
            all.dedup();
            let mut msgs = vec![Msg::new(key)];
            for value in ["1", "3", "{x}"] {
                let mut m = Msg::new(key);
                for n in &all {
                    m = m.arg(n, value);
                }
                msgs.push(m);
            }
            let mut m = Msg::new(key);
            for n in &all {
                m = m.both(n, "一".into(), "1".into());
            }
            msgs.push(m);
            let mut m = Msg::new(key);
            for n in &all {
                m = m.phrase(n, Msg::new("desk.none"));
            }
            msgs.push(m);
            if let Some((_, rest)) = all.split_first() {
                let mut m = Msg::new(key);
                for n in rest {
                    m = m.arg(n, "2");
                }
                msgs.push(m);
            }
            for m in &msgs {
                for (lang, text, cut) in [(Lang::En, en, &e.en), (Lang::Zh, zh, &e.zh)] {
                    assert_eq!(
                        cut.fill(m, lang),
                        fill(text, m, lang),
                        "{key} {lang:?} {m:?}"
                    );
                    filled += 1;
                }
            }
        }
        assert!(filled > 4 * CATALOGUE.len(), "{filled}");
    }

    #[test]
    fn a_text_is_cut_at_its_placeholders() {
        let t = Template::new("{n} {n#file|files} in {dir}");
        assert_eq!(
            t.pieces,
            Some(vec![
                Piece::Arg("n"),
                Piece::Text(" "),
                Piece::Agree {
                    name: "n",
                    one: "file",
                    many: "files"
                },
                Piece::Text(" in "),
                Piece::Arg("dir"),
            ])
        );
        // Not a placeholder fill fills: the whole text goes the slow way.
        assert_eq!(Template::new("a {b#c} d").pieces, None);
        assert_eq!(Template::new("a { b").pieces, None);
    }
}
