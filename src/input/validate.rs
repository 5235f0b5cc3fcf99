//! Spanned YAML tree → validated [`Submission`], collecting every problem.

use super::format::{self, Field, Ty};
use super::units::{self, UnitError};
use super::yaml::{self, Node, NodeKind, Span};
use super::{Date, Entry, InputError, Msg, Record, Submission, Value};
use crate::base::num::Num;

/// Resource limits on one submission file. Past any of them the file gets an
/// input error and a batch goes on with the next file.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest file read, in bytes.
    pub max_file_bytes: usize,
    /// Deepest nesting of mappings and lists.
    pub max_depth: usize,
    /// Most YAML nodes (scalars, lists, mappings) after alias expansion.
    pub max_nodes: usize,
    /// Most alias references (`*name`).
    pub max_aliases: usize,
    /// Most facilities, institutions, hospitals or venues in one list.
    pub max_records: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 16 << 20,
            max_depth: 32,
            max_nodes: 1_000_000,
            max_aliases: 1_000,
            max_records: 100_000,
        }
    }
}

impl Limits {
    /// The YAML parser's options for these limits (budgets, duplicate keys
    /// passed through to validation, tags refused).
    pub fn yaml_options(&self) -> serde_saphyr::Options {
        let mut budget = serde_saphyr::Budget::default();
        budget.max_depth = self.max_depth;
        budget.max_nodes = self.max_nodes;
        budget.max_events = self.max_nodes.saturating_mul(2);
        budget.max_aliases = self.max_aliases;
        budget.max_anchors = self.max_aliases;
        // Aliases are replayed event by event: bound the copies too, so an
        // alias bomb fails in milliseconds.
        budget.max_recorded_anchor_events = self.max_nodes.min(20_000);
        budget.max_documents = 1;
        let mut options = serde_saphyr::Options::default();
        options.budget = Some(budget);
        options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::PassThrough;
        options.with_snippet = false;
        options.reject_unsupported_tags = true;
        options.alias_limits.max_total_replayed_events = self.max_nodes.min(20_000);
        options
    }
}

/// Read one submission. `text` is the whole file.
/// Most tags reported in one file.
const MAX_TAG_ERRORS: usize = 100;

/// Every explicit YAML tag in the file, as `unsupported-tag` errors. The
/// parser resolves the core tags itself (`!!int "0x10"` would read as 16,
/// `!!str 5` as text), so they are found on the event stream, which does
/// not expand aliases: one linear pass.
fn explicit_tags(text: &str) -> Vec<InputError> {
    use serde_saphyr::granit_parser::{Event, Parser};
    let mut errors = Vec::new();
    // Every tag starts with `!`: a file without one has none, and is not
    // parsed a second time (that pass was as costly as the parse itself).
    if !text.contains('!') {
        return errors;
    }
    for item in Parser::new_from_str(text) {
        let Ok((event, span)) = item else { break };
        let tag = match &event {
            Event::Scalar(_, _, _, tag)
            | Event::SequenceStart(_, _, tag)
            | Event::MappingStart(_, _, tag) => tag,
            _ => continue,
        };
        let Some(tag) = tag else { continue };
        let at = span.tag_start.unwrap_or(span.start);
        let offset = at.byte_offset().unwrap_or_else(|| {
            text.char_indices()
                .nth(at.index())
                .map_or(text.len(), |(i, _)| i)
        });
        let offset = (0..=offset.min(text.len()))
            .rev()
            .find(|&o| text.is_char_boundary(o))
            .unwrap_or(0);
        // The tag token: up to the space after it, at most 200 bytes.
        let len = text[offset..]
            .char_indices()
            .take_while(|&(i, c)| i < 200 && !c.is_whitespace() && !matches!(c, ',' | '}' | ']'))
            .last()
            .map_or(0, |(i, c)| i + c.len_utf8());
        // As written (`!!int`), where the source shows it; else resolved.
        let written = &text[offset..offset + len];
        let shown = if written.starts_with('!') {
            written.to_string()
        } else {
            tag.to_string()
        };
        errors.push(
            InputError::new(
                crate::base::code::InputCode::UnsupportedTag,
                Span::new(offset, len),
                Msg::new("unsupported-tag").arg("tag", &shown),
                "unsupported-tag.label",
            )
            .with_help("unsupported-tags.help"),
        );
        if errors.len() >= MAX_TAG_ERRORS {
            break;
        }
    }
    errors
}

pub fn parse_submission(text: &str, limits: &Limits) -> Result<Submission, Vec<InputError>> {
    if text.len() > limits.max_file_bytes {
        return Err(vec![InputError::new(
            crate::base::code::InputCode::TooLarge,
            Span::new(0, 0),
            Msg::new("too-large")
                .arg("size", text.len())
                .arg("limit", limits.max_file_bytes),
            "file-starts-here",
        )
        .with_help("too-large.help")]);
    }
    let root = yaml::parse(text, limits.yaml_options())
        .map_err(|e| vec![syntax_error(text, &e, limits)])?;
    let tags = explicit_tags(text);
    if !tags.is_empty() {
        return Err(tags);
    }
    let mut v = Validator {
        text,
        errors: Vec::new(),
        limits,
    };
    let submission = v.submission(root);
    match submission {
        Some(s) if v.errors.is_empty() => Ok(s),
        _ => {
            v.errors.sort_by_key(|e| e.span.offset);
            Err(v.errors)
        }
    }
}

/// The sections that are lists of records.
const LISTS: [&str; 4] = ["facilities", "institutions", "hospitals", "venues"];

/// `section[i]`, the path of a list's record, without the formatting
/// machinery (one a record: 0.9 k instructions each by `format!`).
fn indexed(section: &str, i: usize) -> String {
    let mut digits = [0u8; 20];
    let (mut at, mut n) = (digits.len(), i);
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let mut path = String::with_capacity(section.len() + 2 + digits.len() - at);
    path.push_str(section);
    path.push('[');
    path.extend(digits[at..].iter().map(|&d| d as char));
    path.push(']');
    path
}

/// Byte offset of a 1-based line and character column.
fn offset_at(text: &str, line: u64, column: u64) -> usize {
    // Lines end at LF, CRLF or a lone CR, as the parser (and every report)
    // counts them.
    let bytes = text.as_bytes();
    let (mut at, mut start) = (1u64, 0usize);
    for (i, &b) in bytes.iter().enumerate() {
        if at >= line {
            break;
        }
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            at += 1;
            start = i + 1;
        }
    }
    if at < line {
        return text.len();
    }
    let rest = text.get(start..).unwrap_or("");
    let line_text = rest.split(['\n', '\r']).next().unwrap_or("");
    start
        + line_text
            .char_indices()
            .nth(column.saturating_sub(1) as usize)
            .map_or(line_text.len(), |(i, _)| i)
}

/// The parser's error in the format's terms, located from its line and
/// column (byte offsets are not always known, e.g. for tab errors).
fn syntax_error(text: &str, e: &serde_saphyr::Error, limits: &Limits) -> InputError {
    use serde_saphyr::budget::BudgetBreach as B;
    use serde_saphyr::Error as E;
    let span = e
        .location()
        .filter(|l| l.line() > 0)
        .map(|l| {
            let offset = offset_at(text, l.line(), l.column()).min(text.len());
            let len = l.span().byte_len().unwrap_or(0) as usize;
            Span::new(offset, len.min(text.len() - offset))
        })
        .unwrap_or_default();
    let message = e.to_string();
    // The library's message may end in its own "at line X, column Y": miette shows that.
    let message = match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    let too_complex = |what: Msg, help: &'static str| {
        InputError::new(crate::base::code::InputCode::TooComplex, span, what, "here")
            .with_help(help)
    };
    match e {
        E::Budget { breach, .. } => match breach {
            B::Depth { .. } => too_complex(
                Msg::new("too-deep").arg("limit", limits.max_depth),
                "too-deep.help",
            ),
            B::Documents { .. } => InputError::new(
                crate::base::code::InputCode::MultipleDocuments,
                span,
                "multiple-documents",
                "multiple-documents.label",
            )
            .with_help("multiple-documents.help"),
            B::Aliases { .. }
            | B::Anchors { .. }
            | B::RecordedAnchorEvents { .. }
            | B::RecordedAnchorBytes { .. } => too_complex("aliases".into(), "aliases.help"),
            _ => too_complex(
                Msg::new("parser-limit").arg("what", format!("{breach:?}")),
                "parser-limit.help",
            ),
        },
        E::NonFiniteFloat { value, .. } => InputError::new(
            crate::base::code::InputCode::NotFinite,
            span,
            Msg::new("not-finite.value").arg("value", value),
            "expected-finite",
        ),
        E::MultipleDocuments { .. } => InputError::new(
            crate::base::code::InputCode::MultipleDocuments,
            span,
            "multiple-documents",
            "multiple-documents.label",
        )
        .with_help("multiple-documents.help"),
        E::UnsupportedTag { tag, .. } => InputError::new(
            crate::base::code::InputCode::UnsupportedTag,
            span,
            Msg::new("unsupported-tag").arg("tag", tag),
            "unsupported-tag.label",
        )
        .with_help("unsupported-tag.help"),
        _ if message.starts_with("budget breached") || message.contains("alias replay") => {
            too_complex("aliases".into(), "aliases.help")
        }
        _ if message.starts_with("recursion limit exceeded") => {
            too_complex("parser-depth".into(), "parser-depth.help")
        }
        _ => {
            // The library's wording speaks to programmers; say it in the format's terms.
            if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
                let key = rest
                    .split(", set DuplicateKeyPolicy")
                    .next()
                    .unwrap_or(rest);
                return InputError::new(
                    crate::base::code::InputCode::DuplicateKey,
                    span,
                    Msg::new("duplicate-key").arg("key", key),
                    "duplicate-key.label",
                )
                .with_help("duplicate-key.help");
            }
            InputError::new(
                crate::base::code::InputCode::YamlSyntax,
                span,
                Msg::new("yaml-syntax").arg("parser", message),
                "here",
            )
        }
    }
}

/// How a number-like value is written, for what its errors say.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Written {
    /// An area or distance, with the units accepted.
    Quantity(&'static str),
    /// A share: `55%` or `0.55`.
    Share,
    /// A grade or level: `3`, `三级`, `三甲`.
    Grade,
}

impl Written {
    fn forms(self) -> &'static str {
        match self {
            Written::Quantity(units) => units,
            Written::Share => units::PERCENT_FORMS,
            Written::Grade => units::LEVEL_FORMS,
        }
    }
}

struct Validator<'a> {
    text: &'a str,
    errors: Vec<InputError>,
    limits: &'a Limits,
}

/// Keys compare after folding case, full-width forms and `-`, so a did-you-mean
/// catches `Households`, `ｈｏｕｓｅｈｏｌｄｓ` and `floor-area`.
fn fold_key(key: &str) -> String {
    key.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '-' => '_',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The closest of `candidates` to `word`, if close enough to be a typo.
/// Two letters swapped count as one edit (optimal string alignment), so
/// `kidn` is `kind`, not `id` (two edits either way by Levenshtein, where
/// the first candidate won).
pub fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let folded = fold_key(word);
    candidates
        .into_iter()
        .map(|c| (c, strsim::osa_distance(&folded, &fold_key(c))))
        .filter(|&(c, d)| d <= 2.max(c.chars().count() / 4))
        .min_by_key(|&(_, d)| d)
        .map(|(c, _)| c)
}

/// Why a date is wrong, as a phrase of the catalogue.
fn date_reason(e: &super::date::DateError) -> Msg {
    e.msg()
}

fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl<'a> Validator<'a> {
    fn source(&self, span: Span) -> &'a str {
        self.text
            .get(span.offset..span.offset + span.len)
            .unwrap_or("")
    }

    /// Where `word` is inside `span` (a key or value written in quotes is
    /// longer than its text), for fixes that replace just the word.
    fn within(&self, span: Span, word: &str) -> Span {
        match self.source(span).rfind(word) {
            Some(i) if !word.is_empty() => Span::new(span.offset + i, word.len()),
            _ => span,
        }
    }

    fn error(&mut self, e: InputError) {
        self.errors.push(e);
    }

    /// `expected` is a phrase of the catalogue (`a-whole-number` …).
    fn wrong_type(&mut self, node: &Node, expected: Msg) {
        let found = Msg::new(node.kind.describe());
        let numeric = matches!(
            expected.key,
            "a-whole-number" | "an-area" | "a-distance" | "a-year"
        );
        let mut e = InputError::new(
            crate::base::code::InputCode::WrongType,
            node.span,
            Msg::new("wrong-type")
                .phrase("expected", expected.clone())
                .phrase("found", found),
            Msg::new("expected").phrase("expected", expected),
        );
        if let NodeKind::Str(s) = &node.kind {
            if s.trim().parse::<f64>().is_ok() && numeric {
                e = e.with_help(Msg::new("unquote.help").arg("value", s.trim()));
            } else if let Some((number, help)) = numeric.then(|| number_hint(s)).flatten() {
                // The number with the character that made it text dropped:
                // said, and offered as the fix (the editor's quick fix).
                e = e.with_help(help).with_fix(node.span, number);
            }
        }
        self.error(e);
    }

    /// The entries of a mapping node, with keys as strings; reports keys
    /// that are not strings. `what` names the mapping in an error (written
    /// only then: this runs for every record).
    fn map_entries<'n>(
        &mut self,
        node: &'n Node<'n>,
        what: impl FnOnce() -> Msg,
    ) -> Option<Vec<(&'n str, &'n Node<'n>, &'n Node<'n>)>> {
        let NodeKind::Map(entries) = &node.kind else {
            self.error(InputError::new(
                crate::base::code::InputCode::NotAMapping,
                node.span,
                Msg::new("not-a-mapping")
                    .phrase("what", what())
                    .phrase("found", Msg::new(node.kind.describe())),
                "expected-mapping",
            ));
            return None;
        };
        let mut out: Vec<(&'n str, &'n Node<'n>, &'n Node<'n>)> = Vec::with_capacity(entries.len());
        // The parser passes repeated keys through (cheaper than its own
        // hashing); they are caught here, pointing at both. Mappings of the
        // format are small: a map only for a hostile, huge one.
        let mut index: Option<std::collections::HashMap<&'n str, Span>> = None;
        for (k, v) in entries {
            let NodeKind::Str(key) = &k.kind else {
                self.error(InputError::new(
                    crate::base::code::InputCode::WrongType,
                    k.span,
                    "keys-words",
                    "keys-words.label",
                ));
                continue;
            };
            if out.len() == 32 {
                index = Some(out.iter().map(|(name, key, _)| (*name, key.span)).collect());
            }
            let first = match &mut index {
                Some(map) => map.get(key.as_ref()).copied().or_else(|| {
                    map.insert(key.as_ref(), k.span);
                    None
                }),
                None => out
                    .iter()
                    .find(|(name, _, _)| *name == key.as_ref())
                    .map(|(_, first, _)| first.span),
            };
            if let Some(first) = first {
                self.error(
                    InputError::new(
                        crate::base::code::InputCode::DuplicateKey,
                        k.span,
                        Msg::new("duplicate-key").arg("key", key),
                        "duplicate-key.label",
                    )
                    .with_related(first, "duplicate-key.first")
                    .with_help("duplicate-key.help"),
                );
                continue;
            }
            out.push((key.as_ref(), k, v));
        }
        Some(out)
    }

    fn unknown_key(&mut self, key: &str, span: Span, fields: &[Field], section: Msg) {
        let names = fields.iter().map(|f| f.name);
        let mut e = InputError::new(
            crate::base::code::InputCode::UnknownKey,
            span,
            Msg::new("unknown-key")
                .arg("key", key)
                .phrase("section", section),
            "unknown-key.label",
        );
        e = match did_you_mean(key, names.clone()) {
            Some(best) => e
                .with_help(Msg::new("did-you-mean").arg("best", best))
                .with_fix(self.within(span, key), best),
            None => {
                e.with_help(Msg::new("known-keys").arg("keys", list(&names.collect::<Vec<_>>())))
            }
        };
        self.error(e);
    }

    fn submission(&mut self, mut root: Node) -> Option<Submission> {
        if root.kind == NodeKind::Null {
            self.error(
                InputError::new(
                    crate::base::code::InputCode::NotAMapping,
                    Span::new(0, 0),
                    "empty-file",
                    "expected-version-here",
                )
                .with_help("empty-file.help"),
            );
            return None;
        }
        // The items of the lists are taken out of the tree, and each is
        // freed once its record is made: the tree and the records are never
        // both whole (issue 25: a large file's peak).
        let mut lists: [Vec<Node>; 4] = Default::default();
        if let NodeKind::Map(entries) = &mut root.kind {
            let mut taken = [false; 4];
            for (k, v) in entries.iter_mut() {
                let (NodeKind::Str(key), NodeKind::Seq(items)) = (&k.kind, &mut v.kind) else {
                    continue;
                };
                // The first of a repeated key is the one read (map_entries).
                if let Some(i) = LISTS.iter().position(|l| *l == key.as_ref()) {
                    if !taken[i] {
                        taken[i] = true;
                        lists[i] = std::mem::take(items);
                    }
                }
            }
        }
        let [facilities, institutions, hospitals, venues] = lists;
        let (mut facilities, mut institutions, mut hospitals, mut venues) = (
            Some(facilities),
            Some(institutions),
            Some(hospitals),
            Some(venues),
        );
        let entries = self.map_entries(&root, || Msg::new("a-submission"))?;
        let mut s = Submission {
            filing: Record {
                path: "submission".into(),
                anchor: Span::default(),
                entries: Vec::new(),
            },
            estate: None,
            facilities: Vec::new(),
            institutions: Vec::new(),
            hospitals: Vec::new(),
            venues: Vec::new(),
            region: None,
            version_span: Span::default(),
        };
        let mut version_seen = false;
        for (key, k, v) in entries {
            if matches!(v.kind, NodeKind::Null) && key != "version" {
                continue;
            }
            match key {
                "version" => {
                    version_seen = true;
                    s.version_span = v.span;
                    if v.kind != NodeKind::Int(1) {
                        self.error(
                            InputError::new(
                                crate::base::code::InputCode::UnsupportedVersion,
                                v.span,
                                Msg::new("unsupported-version").arg("version", self.source(v.span)),
                                "expected-1",
                            )
                            .with_help("unsupported-version.help"),
                        );
                    }
                }
                "submission" => {
                    s.filing = self.record(v, k.span, "submission", format::SUBMISSION)?
                }
                "estate" => s.estate = self.record(v, k.span, "estate", format::ESTATE),
                "region" => s.region = self.record(v, k.span, "region", format::REGION),
                "facilities" => {
                    s.facilities =
                        self.records(v, facilities.take(), "facilities", format::FACILITY)
                }
                "institutions" => {
                    s.institutions =
                        self.records(v, institutions.take(), "institutions", format::INSTITUTION)
                }
                "hospitals" => {
                    s.hospitals = self.records(v, hospitals.take(), "hospitals", format::HOSPITAL)
                }
                "venues" => s.venues = self.records(v, venues.take(), "venues", format::VENUE),
                _ => self.unknown_key(key, k.span, format::TOP, Msg::new("the-top-level")),
            }
        }
        if !version_seen {
            self.error(
                InputError::new(
                    crate::base::code::InputCode::MissingVersion,
                    Span::new(0, 0),
                    "missing-version",
                    "missing-version.label",
                )
                .with_help("missing-version.help"),
            );
        }
        self.unique_ids(&s);
        Some(s)
    }

    /// The records of a list section, from its items taken out of the
    /// tree (`node` is the list, left empty).
    fn records(
        &mut self,
        node: &Node,
        items: Option<Vec<Node>>,
        section: &str,
        fields: &[Field],
    ) -> Vec<Record> {
        if !matches!(node.kind, NodeKind::Seq(_)) {
            self.wrong_type(node, Msg::new("a-list-of").arg("section", section));
            return Vec::new();
        }
        let items = items.unwrap_or_default();
        if items.len() > self.limits.max_records {
            self.error(InputError::new(
                crate::base::code::InputCode::TooManyRecords,
                node.span,
                Msg::new("too-many-records")
                    .arg("count", items.len())
                    .arg("section", section)
                    .arg("limit", self.limits.max_records),
                "this-list",
            ));
            return Vec::new();
        }
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let path = indexed(section, i);
            if let Some(r) = self.record(&item, item.span, &path, fields) {
                out.push(r);
            }
            // The item's nodes are freed here, as its record is made.
        }
        out
    }

    fn record(
        &mut self,
        node: &Node,
        key_span: Span,
        path: &str,
        fields: &[Field],
    ) -> Option<Record> {
        let entries = self.map_entries(node, || Msg::new("path").arg("path", path))?;
        let first_key = entries.first().map(|(_, k, _)| k.span);
        let mut record = Record {
            path: path.to_string(),
            anchor: key_span,
            entries: Vec::with_capacity(entries.len()),
        };
        for (key, k, v) in entries {
            let Some(field) = fields.iter().find(|f| f.name == key) else {
                self.unknown_key(key, k.span, fields, Msg::new("path").arg("path", path));
                continue;
            };
            if matches!(v.kind, NodeKind::Null) {
                continue; // written but empty: the same as absent
            }
            if let Some(value) = self.value(v, field, path) {
                record.entries.push(Entry {
                    name: field.name,
                    value,
                    span: v.span,
                });
            }
        }
        // A list item is best pointed at by its id, else its first key.
        if path.ends_with(']') {
            record.anchor = record
                .get("id")
                .map(|e| e.span)
                .or(first_key)
                .unwrap_or(node.span);
        }
        self.parts_within_wholes(&record);
        Some(record)
    }

    fn value(&mut self, v: &Node, field: &Field, path: &str) -> Option<Value> {
        let text_of = |v: &Node| self.source(v.span).to_string();
        match field.ty {
            Ty::Text => match &v.kind {
                NodeKind::Str(s) => Some(Value::Text(s.to_string())),
                NodeKind::Int(_) | NodeKind::Float(..) => Some(Value::Text(text_of(v))),
                _ => {
                    self.wrong_type(v, "text".into());
                    None
                }
            },
            Ty::Count => self.count(v, field.name),
            Ty::Year => match &v.kind {
                NodeKind::Int(y) if (1900..=2100).contains(y) => Some(Value::Int(*y as i64)),
                NodeKind::Int(_) => {
                    self.error(InputError::new(
                        crate::base::code::InputCode::TooBig,
                        v.span,
                        "year-range",
                        "year-range.label",
                    ));
                    None
                }
                _ => {
                    self.wrong_type(v, "a-year".into());
                    None
                }
            },
            Ty::Area | Ty::Distance => self.quantity(v, field),
            Ty::Bool => match v.kind {
                NodeKind::Bool(b) => Some(Value::Bool(b)),
                _ => {
                    self.wrong_type(v, "true-or-false".into());
                    None
                }
            },
            Ty::Date | Ty::Month => {
                let NodeKind::Str(s) = &v.kind else {
                    self.wrong_type(
                        v,
                        Msg::new(if field.ty == Ty::Date {
                            "a-date"
                        } else {
                            "a-date-or-month"
                        }),
                    );
                    return None;
                };
                match Date::parse_checked(s, field.ty == Ty::Month) {
                    Ok(d) => Some(Value::Date(d)),
                    Err(why) => {
                        self.error(InputError::new(
                            crate::base::code::InputCode::BadDate,
                            v.span,
                            Msg::new("bad-date")
                                .arg("date", s)
                                .phrase("why", date_reason(&why)),
                            date_reason(&why),
                        ));
                        None
                    }
                }
            }
            Ty::Enum(allowed) => {
                let NodeKind::Str(s) = &v.kind else {
                    self.wrong_type(v, Msg::new("one-of").arg("allowed", list(allowed)));
                    return None;
                };
                if allowed.contains(&s.as_ref()) {
                    return Some(Value::Text(s.to_string()));
                }
                // 县级市 for county_city: the plans' own words, read as the word.
                if let Some(word) = super::format::alias_of(allowed, s.trim()) {
                    return Some(Value::Text(word.to_string()));
                }
                let mut e = InputError::new(
                    crate::base::code::InputCode::UnknownValue,
                    v.span,
                    Msg::new("unknown-value")
                        .arg("field", field.name)
                        .arg("value", s),
                    Msg::new("expected")
                        .phrase("expected", Msg::new("one-of").arg("allowed", list(allowed))),
                );
                if let Some(best) = did_you_mean(s, allowed.iter().copied()) {
                    e = e
                        .with_help(Msg::new("did-you-mean").arg("best", best))
                        .with_fix(self.within(v.span, s), best);
                }
                self.error(e);
                None
            }
            Ty::Nested(fields) => {
                let inner_path = format!("{path}.{}", field.name);
                self.record(v, v.span, &inner_path, fields)
                    .map(|r| Value::Record(Box::new(r)))
            }
            Ty::Percent => {
                if self.refuse_non_decimal(v, field.name) {
                    return None;
                }
                let parsed = match &v.kind {
                    NodeKind::Int(_) | NodeKind::Float(..) => {
                        self.bare_number(v).and_then(units::percent_of_number)
                    }
                    NodeKind::Str(s) => units::parse_percent(s),
                    _ => {
                        self.wrong_type(v, "a-share".into());
                        return None;
                    }
                };
                self.unit_value(v, field.name, parsed.map(Value::Num), Written::Share)
            }
            Ty::Level(max) => {
                let parsed = match &v.kind {
                    NodeKind::Int(n) => units::level_of_number(*n, max),
                    NodeKind::Str(s) => units::parse_level(s, max),
                    _ => {
                        self.wrong_type(v, Msg::new("a-grade").arg("max", max));
                        return None;
                    }
                };
                self.unit_value(v, field.name, parsed.map(Value::Int), Written::Grade)
            }
        }
    }

    /// YAML also reads 0x10, 0o20 and 0b10000 as integers; a number in hex
    /// is far likelier a slip (or a disguise: `floor_area: 0x208` is 520 m²
    /// to the checker and to no reviewer) than a choice, so counts,
    /// quantities and shares are decimal. Refuses such a number, located.
    fn refuse_non_decimal(&mut self, v: &Node, name: &str) -> bool {
        let written = self.source(v.span).trim_start_matches(['-', '+']);
        let non_decimal = matches!(v.kind, NodeKind::Int(_))
            && (written.starts_with("0x")
                || written.starts_with("0o")
                || written.starts_with("0b"));
        if non_decimal {
            self.error(InputError::new(
                crate::base::code::InputCode::WrongType,
                v.span,
                Msg::new("decimal-digits").arg("name", name),
                "not-decimal",
            ));
        }
        non_decimal
    }

    fn count(&mut self, v: &Node, name: &str) -> Option<Value> {
        const MAX: i128 = 1_000_000_000_000; // more than any plausible count
        if self.refuse_non_decimal(v, name) {
            return None;
        }
        let n = match &v.kind {
            NodeKind::Int(n) => *n,
            NodeKind::Float(x, _) if x.is_finite() && x.fract() == 0.0 && x.abs() < MAX as f64 => {
                *x as i128
            }
            NodeKind::Float(x, _) if x.is_finite() && x.fract() == 0.0 => {
                self.error(InputError::new(
                    crate::base::code::InputCode::TooBig,
                    v.span,
                    Msg::new("implausible").arg("name", name),
                    Msg::new("at-most").arg("max", MAX),
                ));
                return None;
            }
            NodeKind::Float(x, _) if !x.is_finite() => {
                self.error(InputError::new(
                    crate::base::code::InputCode::NotFinite,
                    v.span,
                    Msg::new("not-finite").arg("name", name),
                    "expected-whole",
                ));
                return None;
            }
            NodeKind::Float(..) => {
                self.error(
                    InputError::new(
                        crate::base::code::InputCode::NotInteger,
                        v.span,
                        Msg::new("not-integer").arg("name", name),
                        "not-whole",
                    )
                    .with_help(
                        Msg::new("not-integer.help").arg("name", name).arg(
                            "example",
                            self.source(v.span).split('.').next().unwrap_or("0"),
                        ),
                    ),
                );
                return None;
            }
            _ => {
                self.wrong_type(v, "a-whole-number".into());
                return None;
            }
        };
        if n < 0 {
            self.error(InputError::new(
                crate::base::code::InputCode::Negative,
                v.span,
                Msg::new("negative").arg("name", name),
                "at-least-0",
            ));
            None
        } else if n > MAX {
            self.error(InputError::new(
                crate::base::code::InputCode::TooBig,
                v.span,
                Msg::new("implausible").arg("name", name),
                Msg::new("at-most").arg("max", MAX),
            ));
            None
        } else {
            Some(Value::Int(n as i64))
        }
    }

    fn quantity(&mut self, v: &Node, field: &Field) -> Option<Value> {
        let units = if field.ty == Ty::Area {
            "units-area"
        } else {
            "units-distance"
        };
        if self.refuse_non_decimal(v, field.name) {
            return None;
        }
        let parsed = match (&v.kind, field.ty) {
            (NodeKind::Int(_) | NodeKind::Float(..), _) => {
                self.bare_number(v).and_then(units::check_number)
            }
            (NodeKind::Str(s), Ty::Area) => units::parse_area(s),
            (NodeKind::Str(s), _) => units::parse_distance(s),
            _ => {
                self.wrong_type(
                    v,
                    if field.ty == Ty::Area {
                        "an-area".into()
                    } else {
                        "a-distance".into()
                    },
                );
                return None;
            }
        };
        self.unit_value(
            v,
            field.name,
            parsed.map(Value::Num),
            Written::Quantity(units),
        )
    }

    /// A bare YAML number exactly as written: read from its text (the
    /// anchored scalar's, for an alias), never from the double the YAML
    /// parser made of it (`319.99999999999999` is a double's 320).
    fn bare_number(&self, v: &Node) -> Result<Num, UnitError> {
        match &v.kind {
            NodeKind::Int(n) => Ok(Num::whole(*n)),
            NodeKind::Float(_, written) => units::parse_number(self.source(*written).trim()),
            _ => Err(UnitError::NotANumber),
        }
    }

    /// A parsed quantity, share or grade, or the located error saying why not.
    fn unit_value(
        &mut self,
        v: &Node,
        name: &str,
        parsed: Result<Value, UnitError>,
        written: Written,
    ) -> Option<Value> {
        let units = written.forms();
        let e = match parsed {
            Ok(x) => return Some(x),
            Err(UnitError::OverHundred) => InputError::new(
                crate::base::code::InputCode::OutOfRange,
                v.span,
                Msg::new("over-hundred").arg("name", name),
                "share-0-100",
            ),
            Err(UnitError::AmbiguousShare) => InputError::new(
                crate::base::code::InputCode::OutOfRange,
                v.span,
                Msg::new("ambiguous-share").arg("name", name),
                "fraction-or-percent",
            )
            .with_help(Msg::new("write-percent").arg("value", self.source(v.span).trim())),
            Err(UnitError::OutOfRange(max)) => InputError::new(
                crate::base::code::InputCode::OutOfRange,
                v.span,
                Msg::new("grade-range")
                    .arg("name", name)
                    .arg("value", self.source(v.span).trim())
                    .arg("max", max),
                Msg::new("expected-1-to").arg("max", max),
            ),
            Err(UnitError::Negative) => InputError::new(
                crate::base::code::InputCode::Negative,
                v.span,
                Msg::new("negative").arg("name", name),
                "at-least-0",
            ),
            Err(UnitError::TooLong) => InputError::new(
                crate::base::code::InputCode::TooPrecise,
                v.span,
                Msg::new("too-precise")
                    .arg("name", name)
                    .arg("value", self.source(v.span).trim()),
                "too-precise.label",
            )
            .with_help("too-precise.help"),
            Err(UnitError::NotANumber) if written == Written::Share => InputError::new(
                crate::base::code::InputCode::WrongType,
                v.span,
                Msg::new("not-a-share")
                    .arg("name", name)
                    .arg("value", self.source(v.span).trim()),
                "percent-or-fraction",
            )
            .with_help(Msg::new("write-as").arg("forms", units)),
            Err(UnitError::NotANumber) if written == Written::Grade => InputError::new(
                crate::base::code::InputCode::WrongType,
                v.span,
                Msg::new("not-a-grade")
                    .arg("name", name)
                    .arg("value", self.source(v.span).trim()),
                "expected-grade",
            )
            .with_help(Msg::new("write-as").arg("forms", units)),
            Err(UnitError::NotANumber) => InputError::new(
                crate::base::code::InputCode::WrongType,
                v.span,
                Msg::new("starts-number").arg("name", name),
                "number-unit",
            )
            .with_help(Msg::new("units-accepted").phrase("units", Msg::new(units))),
            Err(UnitError::UnknownUnit(u)) => {
                let e = InputError::new(
                    crate::base::code::InputCode::BadUnit,
                    v.span,
                    Msg::new("bad-unit").arg("unit", &u).arg("name", name),
                    Msg::new("accepted").phrase("units", Msg::new(units)),
                );
                let closest = match written {
                    Written::Quantity(q) => units::closest_unit(&u, q == "units-area"),
                    _ => None,
                };
                match closest {
                    Some(unit) => e
                        .with_help(Msg::new("did-you-mean").arg("best", unit))
                        .with_fix(self.within(v.span, &u), unit),
                    None => e,
                }
            }
        };
        self.error(e);
        None
    }

    fn parts_within_wholes(&mut self, r: &Record) {
        for &(part, whole) in format::PART_OF {
            if let (Some(p), Some(w)) = (r.get(part), r.get(whole)) {
                if let (Value::Int(pv), Value::Int(wv)) = (&p.value, &w.value) {
                    if pv > wv {
                        self.error(
                            InputError::new(
                                crate::base::code::InputCode::ExceedsWhole,
                                p.span,
                                Msg::new("exceeds-whole")
                                    .arg("part", part)
                                    .arg("pv", pv)
                                    .arg("whole", whole)
                                    .arg("wv", wv),
                                Msg::new("field-value").arg("field", part).arg("value", pv),
                            )
                            .with_related(
                                w.span,
                                Msg::new("field-value").arg("field", whole).arg("value", wv),
                            ),
                        );
                    }
                }
            }
        }
    }

    fn unique_ids(&mut self, s: &Submission) {
        // A map, not a list: a file may hold 100,000 records.
        let mut seen: std::collections::HashMap<&str, Span> = std::collections::HashMap::new();
        for r in s
            .facilities
            .iter()
            .chain(&s.institutions)
            .chain(&s.hospitals)
            .chain(&s.venues)
        {
            let Some(e) = r.get("id") else { continue };
            let Value::Text(id) = &e.value else { continue };
            if let Some(&first) = seen.get(id.as_str()) {
                self.error(
                    InputError::new(
                        crate::base::code::InputCode::DuplicateId,
                        e.span,
                        Msg::new("duplicate-id").arg("id", id),
                        "used-again",
                    )
                    .with_related(first, "first-used")
                    .with_help("duplicate-id.help"),
                );
            } else {
                seen.insert(id, e.span);
            }
        }
    }
}

/// A number written as text a reader would take for a number: with
/// thousands separators (`1,860`, `1，860`) or a unit after it (`5580人`,
/// `45个`, `2600 户`). The number as it must be written, and the help that
/// says which characters to drop.
fn number_hint(text: &str) -> Option<(String, Msg)> {
    let t = text.trim();
    let grouped = |t: &str| -> Option<String> {
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        let sep = int.chars().find(|c| matches!(c, ',' | '，'))?;
        let groups: Vec<&str> = int.split(sep).collect();
        let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
        let ok = groups.len() > 1
            && (1..=3).contains(&groups[0].len())
            && groups.iter().all(|g| digits(g))
            && groups[1..].iter().all(|g| g.len() == 3)
            && (frac.is_empty() || digits(frac));
        ok.then(|| {
            let mut n = groups.concat();
            if !frac.is_empty() {
                n.push('.');
                n.push_str(frac);
            }
            n
        })
    };
    if let Some(n) = grouped(t) {
        let sep = t.chars().find(|c| matches!(c, ',' | '，')).unwrap_or(',');
        return Some((
            n.clone(),
            Msg::new("thousands.help")
                .arg("separator", sep)
                .arg("value", n),
        ));
    }
    // Digits, then a unit of words (not a unit of area or distance, which
    // those fields read): `5580人`, `45 个`.
    let end = t
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.'))
        .map(|(i, _)| i)?;
    let (number, unit) = (&t[..end], t[end..].trim());
    let number_ok = !number.is_empty()
        && number.parse::<f64>().is_ok()
        && !number.starts_with('.')
        && !number.ends_with('.');
    let unit_ok = !unit.is_empty()
        && unit.chars().count() <= 4
        && unit.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
    (number_ok && unit_ok).then(|| {
        (
            number.to_string(),
            Msg::new("unit-suffix.help")
                .arg("unit", unit)
                .arg("value", number),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A message as the English report says it.
    fn en(m: &Msg) -> String {
        crate::base::text::say(m, crate::base::Lang::En)
    }

    fn errors(text: &str) -> Vec<InputError> {
        parse_submission(text, &Limits::default()).expect_err("should be rejected")
    }

    fn one_error(text: &str) -> InputError {
        let mut e = errors(text);
        assert_eq!(e.len(), 1, "{e:#?}");
        e.remove(0)
    }

    fn at<'t>(text: &'t str, e: &InputError) -> &'t str {
        &text[e.span.offset..e.span.offset + e.span.len]
    }

    #[test]
    fn a_valid_submission_keeps_values_and_spans() {
        let text = "version: 1\nestate:\n  status: new\n  households: 2600\nfacilities:\n  - id: F1\n    kind: elderly_service\n    floor_area: 1.2万㎡\n";
        let s = parse_submission(text, &Limits::default()).unwrap();
        let estate = s.estate.as_ref().unwrap();
        assert_eq!(estate.int("households"), Some(2600));
        assert_eq!(
            s.facilities[0].get("floor_area").unwrap().value,
            Value::Num(Num::int(12_000))
        );
        let span = s.span_of("facilities[0].floor_area").unwrap();
        assert_eq!(&text[span.offset..span.offset + span.len], "1.2万㎡");
        let anchor = s.span_of("facilities[0]").unwrap();
        assert_eq!(&text[anchor.offset..anchor.offset + anchor.len], "F1");
    }

    #[test]
    fn typo_gets_did_you_mean() {
        let text = "version: 1\nfacilities:\n  - id: F1\n    floor_aera: 500\n";
        let e = one_error(text);
        assert_eq!(e.code, "unknown-key");
        assert_eq!(at(text, &e), "floor_aera");
        assert_eq!(
            e.help.as_ref().map(en).as_deref(),
            Some("did you mean `floor_area`?")
        );
        let fix = e.fix.expect("a typo has a fix");
        assert_eq!(
            (&text[fix.span.offset..][..fix.span.len], fix.text.as_str()),
            ("floor_aera", "floor_area")
        );
    }

    #[test]
    fn swapped_letters_are_one_typo() {
        // `id` comes before `kind` in a record's keys and is as far from
        // `kidn` by Levenshtein; the swap is the nearer typo.
        let e = one_error("version: 1\ninstitutions:\n  - id: I1\n    kidn: elderly_care\n");
        assert_eq!(e.code, "unknown-key");
        assert_eq!(
            e.help.as_ref().map(en).as_deref(),
            Some("did you mean `kind`?")
        );
    }

    #[test]
    fn case_and_full_width_keys_are_caught() {
        let e = one_error("version: 1\nestate:\n  Households: 5\n");
        assert_eq!(
            e.help.as_ref().map(en).as_deref(),
            Some("did you mean `households`?")
        );
        let e = one_error("version: 1\nestate:\n  ｈｏｕｓｅｈｏｌｄｓ: 5\n");
        assert_eq!(
            e.help.as_ref().map(en).as_deref(),
            Some("did you mean `households`?")
        );
    }

    #[test]
    fn duplicate_key_is_located() {
        let text = "version: 1\nestate:\n  households: 5\n  households: 6\n";
        let e = one_error(text);
        assert_eq!(e.code, "duplicate-key");
        assert_eq!(en(&e.message), "duplicate key `households`");
        assert!(e.span.offset > text.find("households").unwrap(), "{e:?}");
    }

    #[test]
    fn counts_must_be_whole_and_non_negative() {
        let text = "version: 1\nestate:\n  households: -3\n  population: 1.5\n";
        let e = errors(text);
        assert_eq!(
            e.iter().map(|e| e.code).collect::<Vec<_>>(),
            ["negative", "not-integer"]
        );
        assert_eq!(at(text, &e[0]), "-3");
        assert_eq!(at(text, &e[1]), "1.5");
    }

    #[test]
    fn quoted_number_is_a_wrong_type_with_a_hint() {
        let e = one_error("version: 1\nestate:\n  households: \"2600\"\n");
        assert_eq!(e.code, "wrong-type");
        assert_eq!(
            e.help.as_ref().map(en).as_deref(),
            Some("write 2600 without quotes")
        );
    }

    #[test]
    fn a_number_written_with_separators_or_a_unit_says_what_to_drop() {
        let text = "version: 1\nestate:\n  households: 1,860\n  population: 5580人\nfacilities:\n  - slots: 45个\n  - slots: 1，200\n  - slots: 很多\n  - slots: 12,34\n";
        let e = errors(text);
        let zh = |m: &Msg| crate::base::text::say(m, crate::base::Lang::Zh);
        type Said<'a> = (&'a str, Option<String>, Option<String>, Option<&'a str>);
        let said: Vec<Said> = e
            .iter()
            .map(|e| {
                (
                    at(text, e),
                    e.help.as_ref().map(en),
                    e.help.as_ref().map(zh),
                    e.fix.as_ref().map(|f| f.text.as_str()),
                )
            })
            .collect();
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            said,
            [
                (
                    "1,860",
                    some("drop the thousands separator `,`: write 1860"),
                    some("去掉千位分隔符 `,`, 写作 1860"),
                    Some("1860")
                ),
                (
                    "5580人",
                    some("drop the unit `人` (the field's unit is implied): write 5580"),
                    some("去掉单位 `人` (字段的单位已确定), 写作 5580"),
                    Some("5580")
                ),
                (
                    "45个",
                    some("drop the unit `个` (the field's unit is implied): write 45"),
                    some("去掉单位 `个` (字段的单位已确定), 写作 45"),
                    Some("45")
                ),
                (
                    "1，200",
                    some("drop the thousands separator `，`: write 1200"),
                    some("去掉千位分隔符 `，`, 写作 1200"),
                    Some("1200")
                ),
                // Not a number at all, and not a grouping of thousands:
                // no guess.
                ("很多", None, None, None),
                ("12,34", None, None, None),
            ]
        );
        assert!(e.iter().all(|e| e.code == "wrong-type"));
    }

    #[test]
    fn bad_unit_names_the_accepted_ones() {
        let text = "version: 1\nfacilities:\n  - floor_area: 180 acres\n";
        let e = one_error(text);
        assert_eq!(e.code, "bad-unit");
        assert_eq!(at(text, &e), "180 acres");
        assert!(en(&e.label).contains("平方米"));
        assert_eq!(e.fix, None, "acres is not a misspelt m²");
        let text = "version: 1\nfacilities:\n  - floor_area: \"180 平米\"\n";
        let e = one_error(text);
        let fix = e.fix.expect("平米 is a misspelt 平方米");
        assert_eq!(
            (&text[fix.span.offset..][..fix.span.len], fix.text.as_str()),
            ("平米", "平方米")
        );
        assert_eq!(
            e.help.as_ref().map(en).as_deref(),
            Some("did you mean `平方米`?")
        );
    }

    #[test]
    fn a_region_level_is_read_from_the_plans_own_words() {
        for (written, read) in [
            ("county_city", "county_city"),
            ("县级市", "county_city"),
            ("区", "district"),
            ("县", "county"),
            ("州", "city"),
        ] {
            let text = format!("version: 1\nregion:\n  scope: district\n  level: {written}\n");
            let sub = parse_submission(&text, &Limits::default()).unwrap();
            assert_eq!(sub.region.unwrap().text("level"), Some(read), "{written}");
        }
        // A bare 市 could be a city or a county-level city: refused.
        let e = one_error("version: 1\nregion:\n  level: 市\n");
        assert_eq!(e.code, "unknown-value");
    }

    #[test]
    fn unknown_enum_value_lists_allowed_ones() {
        let e = one_error("version: 1\nestate:\n  status: nwe\n");
        assert_eq!(e.code, "unknown-value");
        assert_eq!(en(&e.label), "expected one of `new`, `existing`");
        assert_eq!(
            e.help.as_ref().map(en).as_deref(),
            Some("did you mean `new`?")
        );
    }

    #[test]
    fn missing_and_wrong_version() {
        assert_eq!(
            one_error("estate: {households: 1}\n").code,
            "missing-version"
        );
        assert_eq!(one_error("version: 2\n").code, "unsupported-version");
    }

    #[test]
    fn parts_may_not_exceed_wholes() {
        let text = "version: 1\ninstitutions:\n  - beds: 10\n    nursing_beds: 11\n";
        let e = one_error(text);
        assert_eq!(e.code, "exceeds-whole");
        assert_eq!(at(text, &e), "11");
        assert_eq!(e.related.len(), 1);
    }

    #[test]
    fn duplicate_ids_point_at_both() {
        let text = "version: 1\nfacilities:\n  - id: F1\n  - id: F1\n";
        let e = one_error(text);
        assert_eq!(e.code, "duplicate-id");
        assert_eq!(e.span.offset, text.rfind("F1").unwrap());
        assert_eq!(e.related[0].0.offset, text.find("F1").unwrap());
    }

    #[test]
    fn every_problem_is_reported_not_just_the_first() {
        let e = errors(
            "version: 1\nestate:\n  housholds: 1\n  status: old\nfacilities:\n  - floor_area: -1\n",
        );
        assert_eq!(e.len(), 3, "{e:#?}");
    }

    #[test]
    fn impossible_dates_are_rejected() {
        let e = one_error("version: 1\nsubmission:\n  filed: 2025-02-30\n");
        assert_eq!(e.code, "bad-date");
    }
}
