//! Spanned YAML tree → validated [`Submission`], collecting every problem.

use super::format::{self, Field, Ty};
use super::units::{self, UnitError};
use super::yaml::{self, Node, NodeKind, Span};
use super::{Date, Entry, InputError, Record, Submission, Value};

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
    /// Most facilities, institutions or venues in one list.
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
pub fn parse_submission(text: &str, limits: &Limits) -> Result<Submission, Vec<InputError>> {
    if text.len() > limits.max_file_bytes {
        return Err(vec![InputError::new(
            "too-large",
            Span::new(0, 0),
            format!(
                "file is {} bytes, over the limit of {} bytes",
                text.len(),
                limits.max_file_bytes
            ),
            "file starts here",
        )
        .with_help("raise it with --max-file-size if the file is genuine")]);
    }
    let root = yaml::parse(text, limits.yaml_options())
        .map_err(|e| vec![syntax_error(text, &e, limits)])?;
    let mut v = Validator {
        text,
        errors: Vec::new(),
        limits,
    };
    let submission = v.submission(&root);
    match submission {
        Some(s) if v.errors.is_empty() => Ok(s),
        _ => {
            v.errors.sort_by_key(|e| e.span.offset);
            Err(v.errors)
        }
    }
}

/// Byte offset of a 1-based line and character column.
fn offset_at(text: &str, line: u64, column: u64) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1) as usize)
        .map(str::len)
        .sum();
    let rest = text.get(start..).unwrap_or("");
    let line_text = rest.split('\n').next().unwrap_or("");
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
    let too_complex = |what: String, help: &str| {
        InputError::new("too-complex", span, what, "here").with_help(help.to_string())
    };
    match e {
        E::Budget { breach, .. } => match breach {
            B::Depth { .. } => too_complex(
                format!("nested deeper than the limit of {} levels", limits.max_depth),
                "a submission needs a few levels; raise --max-depth only for a genuine file",
            ),
            B::Documents { .. } => InputError::new(
                "multiple-documents",
                span,
                "the file holds more than one YAML document",
                "a second document starts here",
            )
            .with_help("a submission is one document: put each in its own file"),
            B::Aliases { .. } | B::Anchors { .. } | B::RecordedAnchorEvents { .. } | B::RecordedAnchorBytes { .. } => too_complex(
                "YAML anchors and aliases expand beyond the parser's limits".into(),
                "write the values out; aliases are limited to keep files from expanding without bound",
            ),
            _ => too_complex(
                format!("the file exceeds a parser limit ({breach:?})"),
                "raise --max-nodes only for a genuine file",
            ),
        },
        E::NonFiniteFloat { value, .. } => {
            InputError::new("not-finite", span, format!("`{value}` is not a finite number"), "expected a finite number")
        }
        E::MultipleDocuments { .. } => {
            InputError::new("multiple-documents", span, "the file holds more than one YAML document", "a second document starts here")
                .with_help("a submission is one document: put each in its own file")
        }
        E::UnsupportedTag { tag, .. } => InputError::new("unsupported-tag", span, format!("YAML tag `{tag}` is not allowed"), "remove the tag")
            .with_help("submissions are plain data: tags such as !!python/object are refused"),
        _ if message.starts_with("budget breached") || message.contains("alias replay") => too_complex(
            "YAML anchors and aliases expand beyond the parser's limits".into(),
            "write the values out; aliases are limited to keep files from expanding without bound",
        ),
        _ if message.starts_with("recursion limit exceeded") => too_complex(
            "nested deeper than the parser allows".into(),
            "a submission needs a few levels of nesting",
        ),
        _ => {
            // The library's wording speaks to programmers; say it in the format's terms.
            if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
                let key = rest.split(", set DuplicateKeyPolicy").next().unwrap_or(rest);
                return InputError::new("duplicate-key", span, format!("duplicate key `{key}`"), "written again here")
                    .with_help("each key may appear once in a mapping: keep one of them");
            }
            InputError::new("yaml-syntax", span, message, "here")
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
pub fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let folded = fold_key(word);
    candidates
        .into_iter()
        .map(|c| (c, strsim::levenshtein(&folded, &fold_key(c))))
        .filter(|&(c, d)| d <= 2.max(c.chars().count() / 4))
        .min_by_key(|&(_, d)| d)
        .map(|(c, _)| c)
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

    fn error(&mut self, e: InputError) {
        self.errors.push(e);
    }

    fn wrong_type(&mut self, node: &Node, expected: &str) {
        let found = node.kind.describe();
        let mut e = InputError::new(
            "wrong-type",
            node.span,
            format!("expected {expected}, found {found}"),
            format!("expected {expected}"),
        );
        if let NodeKind::Str(s) = &node.kind {
            if s.trim().parse::<f64>().is_ok() && expected.contains("number") {
                e = e.with_help(format!("write {} without quotes", s.trim()));
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
        what: impl FnOnce() -> String,
    ) -> Option<Vec<(&'n str, &'n Node<'n>, &'n Node<'n>)>> {
        let NodeKind::Map(entries) = &node.kind else {
            self.error(InputError::new(
                "not-a-mapping",
                node.span,
                format!(
                    "{} must be a mapping of `key: value` lines, found {}",
                    what(),
                    node.kind.describe()
                ),
                "expected a mapping",
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
                    "wrong-type",
                    k.span,
                    "keys must be words",
                    "not a field name",
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
                        "duplicate-key",
                        k.span,
                        format!("duplicate key `{key}`"),
                        "written again here",
                    )
                    .with_related(first, "first written here")
                    .with_help("each key may appear once in a mapping: keep one of them"),
                );
                continue;
            }
            out.push((key.as_ref(), k, v));
        }
        Some(out)
    }

    fn unknown_key(&mut self, key: &str, span: Span, fields: &[Field], section: &str) {
        let names = fields.iter().map(|f| f.name);
        let mut e = InputError::new(
            "unknown-key",
            span,
            format!("unknown key `{key}` in {section}"),
            "not a field of the submission format",
        );
        e = match did_you_mean(key, names.clone()) {
            Some(best) => e.with_help(format!("did you mean `{best}`?")),
            None => e.with_help(format!(
                "known keys here: {}",
                list(&names.collect::<Vec<_>>())
            )),
        };
        self.error(e);
    }

    fn submission(&mut self, root: &Node) -> Option<Submission> {
        if root.kind == NodeKind::Null {
            self.error(
                InputError::new(
                    "not-a-mapping",
                    Span::new(0, 0),
                    "the file holds no submission (it is empty or only comments)",
                    "expected `version: 1` here",
                )
                .with_help("a submission starts with `version: 1`; see docs/submission-format.md"),
            );
            return None;
        }
        let entries = self.map_entries(root, || "a submission".into())?;
        let mut s = Submission {
            filing: Record {
                path: "submission".into(),
                anchor: Span::default(),
                entries: Vec::new(),
            },
            estate: None,
            facilities: Vec::new(),
            institutions: Vec::new(),
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
                                "unsupported-version",
                                v.span,
                                format!("unsupported format version `{}`", self.source(v.span)),
                                "expected 1",
                            )
                            .with_help("this peitao reads format version 1: write `version: 1`"),
                        );
                    }
                }
                "submission" => {
                    s.filing = self.record(v, k.span, "submission", format::SUBMISSION)?
                }
                "estate" => s.estate = self.record(v, k.span, "estate", format::ESTATE),
                "region" => s.region = self.record(v, k.span, "region", format::REGION),
                "facilities" => s.facilities = self.records(v, "facilities", format::FACILITY),
                "institutions" => {
                    s.institutions = self.records(v, "institutions", format::INSTITUTION)
                }
                "venues" => s.venues = self.records(v, "venues", format::VENUE),
                _ => self.unknown_key(key, k.span, format::TOP, "the top level"),
            }
        }
        if !version_seen {
            self.error(
                InputError::new(
                    "missing-version",
                    Span::new(0, 0),
                    "missing `version`",
                    "expected `version: 1` in this file",
                )
                .with_help("start the file with `version: 1`"),
            );
        }
        self.unique_ids(&s);
        Some(s)
    }

    fn records(&mut self, node: &Node, section: &str, fields: &[Field]) -> Vec<Record> {
        let NodeKind::Seq(items) = &node.kind else {
            self.wrong_type(node, &format!("a list of {section} (`- id: …` items)"));
            return Vec::new();
        };
        if items.len() > self.limits.max_records {
            self.error(InputError::new(
                "too-many-records",
                node.span,
                format!(
                    "{} {section}, over the limit of {}",
                    items.len(),
                    self.limits.max_records
                ),
                "this list",
            ));
            return Vec::new();
        }
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let path = format!("{section}[{i}]");
            if let Some(r) = self.record(item, item.span, &path, fields) {
                out.push(r);
            }
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
        let entries = self.map_entries(node, || format!("`{path}`"))?;
        let first_key = entries.first().map(|(_, k, _)| k.span);
        let mut record = Record {
            path: path.to_string(),
            anchor: key_span,
            entries: Vec::with_capacity(entries.len()),
        };
        for (key, k, v) in entries {
            let Some(field) = fields.iter().find(|f| f.name == key) else {
                self.unknown_key(key, k.span, fields, &format!("`{path}`"));
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
                NodeKind::Int(_) | NodeKind::Float(_) => Some(Value::Text(text_of(v))),
                _ => {
                    self.wrong_type(v, "text");
                    None
                }
            },
            Ty::Count => self.count(v, field.name),
            Ty::Year => match &v.kind {
                NodeKind::Int(y) if (1900..=2100).contains(y) => Some(Value::Int(*y as i64)),
                NodeKind::Int(_) => {
                    self.error(InputError::new(
                        "too-big",
                        v.span,
                        "year out of range",
                        "expected a year 1900–2100",
                    ));
                    None
                }
                _ => {
                    self.wrong_type(v, "a year such as 2025");
                    None
                }
            },
            Ty::Area | Ty::Distance => self.quantity(v, field),
            Ty::Bool => match v.kind {
                NodeKind::Bool(b) => Some(Value::Bool(b)),
                _ => {
                    self.wrong_type(v, "true or false");
                    None
                }
            },
            Ty::Date | Ty::Month => {
                let NodeKind::Str(s) = &v.kind else {
                    self.wrong_type(
                        v,
                        if field.ty == Ty::Date {
                            "a date YYYY-MM-DD"
                        } else {
                            "a date YYYY-MM or YYYY-MM-DD"
                        },
                    );
                    return None;
                };
                match Date::parse(s, field.ty == Ty::Month) {
                    Ok(d) => Some(Value::Date(d)),
                    Err(why) => {
                        self.error(InputError::new(
                            "bad-date",
                            v.span,
                            format!("invalid date `{s}`: {why}"),
                            why,
                        ));
                        None
                    }
                }
            }
            Ty::Enum(allowed) => {
                let NodeKind::Str(s) = &v.kind else {
                    self.wrong_type(v, &format!("one of {}", list(allowed)));
                    return None;
                };
                if allowed.contains(&s.as_ref()) {
                    return Some(Value::Text(s.to_string()));
                }
                let mut e = InputError::new(
                    "unknown-value",
                    v.span,
                    format!("unknown {} `{s}`", field.name),
                    format!("expected one of {}", list(allowed)),
                );
                if let Some(best) = did_you_mean(s, allowed.iter().copied()) {
                    e = e.with_help(format!("did you mean `{best}`?"));
                }
                self.error(e);
                None
            }
            Ty::Schedule => {
                let inner_path = format!("{path}.{}", field.name);
                self.record(v, v.span, &inner_path, format::SCHEDULE)
                    .map(Value::Record)
            }
        }
    }

    fn count(&mut self, v: &Node, name: &str) -> Option<Value> {
        const MAX: i128 = 1_000_000_000_000; // more than any plausible count
                                             // YAML also reads 0x10, 0o20 and 0b10000 as integers; a count in hex is
                                             // far likelier a slip than a choice, so counts are decimal.
        let written = self.source(v.span).trim_start_matches(['-', '+']);
        if matches!(v.kind, NodeKind::Int(_))
            && (written.starts_with("0x") || written.starts_with("0o") || written.starts_with("0b"))
        {
            self.error(InputError::new(
                "wrong-type",
                v.span,
                format!("{name} must be written in decimal digits"),
                "not a decimal number",
            ));
            return None;
        }
        let n = match &v.kind {
            NodeKind::Int(n) => *n,
            NodeKind::Float(x) if x.is_finite() && x.fract() == 0.0 && x.abs() < MAX as f64 => {
                *x as i128
            }
            NodeKind::Float(x) if x.is_finite() && x.fract() == 0.0 => {
                self.error(InputError::new(
                    "too-big",
                    v.span,
                    format!("{name} is implausibly large"),
                    format!("expected at most {MAX}"),
                ));
                return None;
            }
            NodeKind::Float(x) if !x.is_finite() => {
                self.error(InputError::new(
                    "not-finite",
                    v.span,
                    format!("{name} is not a finite number"),
                    "expected a whole number",
                ));
                return None;
            }
            NodeKind::Float(_) => {
                self.error(
                    InputError::new(
                        "not-integer",
                        v.span,
                        format!("{name} must be a whole number"),
                        "not a whole number",
                    )
                    .with_help(format!(
                        "{name} counts things: write a whole number such as {}",
                        self.source(v.span).split('.').next().unwrap_or("0")
                    )),
                );
                return None;
            }
            _ => {
                self.wrong_type(v, "a whole number");
                return None;
            }
        };
        if n < 0 {
            self.error(InputError::new(
                "negative",
                v.span,
                format!("{name} cannot be negative"),
                "expected 0 or more",
            ));
            None
        } else if n > MAX {
            self.error(InputError::new(
                "too-big",
                v.span,
                format!("{name} is implausibly large"),
                format!("expected at most {MAX}"),
            ));
            None
        } else {
            Some(Value::Int(n as i64))
        }
    }

    fn quantity(&mut self, v: &Node, field: &Field) -> Option<Value> {
        let (parsed, units) = match (&v.kind, field.ty) {
            (NodeKind::Int(n), _) => (units::check_number(*n as f64), ""),
            (NodeKind::Float(x), _) => (units::check_number(*x), ""),
            (NodeKind::Str(s), Ty::Area) => (units::parse_area(s), units::AREA_UNIT_NAMES),
            (NodeKind::Str(s), _) => (units::parse_distance(s), units::DISTANCE_UNIT_NAMES),
            _ => {
                self.wrong_type(
                    v,
                    if field.ty == Ty::Area {
                        "an area such as 560 or \"180 m²\""
                    } else {
                        "a distance such as 350 or \"0.3 km\""
                    },
                );
                return None;
            }
        };
        let name = field.name;
        let e = match parsed {
            Ok(x) => return Some(Value::Num(x)),
            Err(UnitError::Negative) => InputError::new(
                "negative",
                v.span,
                format!("{name} cannot be negative"),
                "expected 0 or more",
            ),
            Err(UnitError::NotFinite) => InputError::new(
                "not-finite",
                v.span,
                format!("{name} is not a finite number"),
                "expected a number",
            ),
            Err(UnitError::NotANumber) => InputError::new(
                "wrong-type",
                v.span,
                format!("{name} must start with a number"),
                "expected a number with an optional unit",
            )
            .with_help(format!("units accepted: {units}")),
            Err(UnitError::UnknownUnit(u)) => InputError::new(
                "bad-unit",
                v.span,
                format!("unknown unit `{u}` for {name}"),
                format!("accepted: {units}"),
            ),
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
                                "exceeds-whole",
                                p.span,
                                format!("{part} ({pv}) exceeds {whole} ({wv})"),
                                format!("{part}: {pv}"),
                            )
                            .with_related(w.span, format!("{whole}: {wv}")),
                        );
                    }
                }
            }
        }
    }

    fn unique_ids(&mut self, s: &Submission) {
        // A map, not a list: a file may hold 100,000 records.
        let mut seen: std::collections::HashMap<&str, Span> = std::collections::HashMap::new();
        for r in s.facilities.iter().chain(&s.institutions).chain(&s.venues) {
            let Some(e) = r.get("id") else { continue };
            let Value::Text(id) = &e.value else { continue };
            if let Some(&first) = seen.get(id.as_str()) {
                self.error(
                    InputError::new(
                        "duplicate-id",
                        e.span,
                        format!("duplicate id `{id}`"),
                        "used again here",
                    )
                    .with_related(first, "first used here")
                    .with_help("ids must be unique within the file"),
                );
            } else {
                seen.insert(id, e.span);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            Value::Num(12_000.0)
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
        assert_eq!(e.help.as_deref(), Some("did you mean `floor_area`?"));
    }

    #[test]
    fn case_and_full_width_keys_are_caught() {
        let e = one_error("version: 1\nestate:\n  Households: 5\n");
        assert_eq!(e.help.as_deref(), Some("did you mean `households`?"));
        let e = one_error("version: 1\nestate:\n  ｈｏｕｓｅｈｏｌｄｓ: 5\n");
        assert_eq!(e.help.as_deref(), Some("did you mean `households`?"));
    }

    #[test]
    fn duplicate_key_is_located() {
        let text = "version: 1\nestate:\n  households: 5\n  households: 6\n";
        let e = one_error(text);
        assert_eq!(e.code, "duplicate-key");
        assert_eq!(e.message, "duplicate key `households`");
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
        assert_eq!(e.help.as_deref(), Some("write 2600 without quotes"));
    }

    #[test]
    fn bad_unit_names_the_accepted_ones() {
        let text = "version: 1\nfacilities:\n  - floor_area: 180 acres\n";
        let e = one_error(text);
        assert_eq!(e.code, "bad-unit");
        assert_eq!(at(text, &e), "180 acres");
        assert!(e.label.contains("平方米"));
    }

    #[test]
    fn unknown_enum_value_lists_allowed_ones() {
        let e = one_error("version: 1\nestate:\n  status: nwe\n");
        assert_eq!(e.code, "unknown-value");
        assert_eq!(e.label, "expected one of `new`, `existing`");
        assert_eq!(e.help.as_deref(), Some("did you mean `new`?"));
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
