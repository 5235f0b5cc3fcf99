//! Stage 2, plan: rule packs, one per city plan. A pack is a directory with
//! a manifest (`pack.yaml`), the plan's text (its seed) and one script per
//! rule, which the engine compiles (see [`RuleCompiler`]). Packs are validated the way a compiler checks source: every
//! problem is collected and points into the offending file.

pub mod coverage;
pub(crate) mod load;
pub mod manifest;
mod select;
mod template;

pub(crate) use load::find_key;
pub use load::{
    embedded_files, load_dir, load_files, load_files_for, refuse_replacements, Files, PlanError,
    Wanted,
};
pub use manifest::Manifest;
pub use select::{select, unknown as unknown_jurisdiction, Selection};

pub use crate::base::lang::{Lang, Text};
use crate::input::Date;
use std::sync::Arc;

/// Is `quote` in the plan's text (its seed), word for word? The seeds
/// print a target table (佳木斯's 专栏) one cell per line, each ending in
/// " |", and break a long cell over two lines ("街道居家养老" / "服务站(个) |").
/// So a quote may give such a cell whole ("街道居家养老服务站(个)") and a
/// row as its cells joined by " | " ("街道居家养老服务站(个) | 12 | 21 | 约束性"):
/// it is read against the seed with each cell on one line and each row on
/// one line (in a seed that has such a table, any other line break reads as
/// nothing). Nothing else is loosened: every character of the quote is the
/// seed's, in the seed's order.
pub fn in_seed(seed: &str, quote: &str) -> bool {
    seed.contains(quote) || (seed.contains(" |") && table_rows(seed).contains(quote))
}

/// The seed with its tables' cells rejoined: a line ending in " |" is
/// followed by " ", any other line by nothing.
fn table_rows(seed: &str) -> String {
    let mut out = String::with_capacity(seed.len());
    for line in seed.lines() {
        out.push_str(line);
        if line.ends_with(" |") {
            out.push(' ');
        }
    }
    out
}

/// Every code of a rule pack error (`plan::…`); what each means is the
/// catalogue's `code.plan::…` (docs/codes.md).
pub const PLAN_CODES: &[&str] = crate::base::code::PlanCode::IDS;

/// Compiles a pack's rule scripts: the engine's, handed to [`load_files`].
/// What it makes of them are its own types, named here only as the
/// associated types below: the plan stage knows packs and clauses, not the
/// scripting language, and the engine gets back exactly what it compiled
/// ([`Catalog<C>`] holds `C`'s rules, tables and runtime).
pub trait RuleCompiler {
    /// A rule as the engine runs it: a script, or a template with its
    /// parameters.
    type Rule: Send + Sync;
    /// A template of a pack written in rhai, compiled once for its rules.
    type Template;
    /// A pack's data tables as the rules read them.
    type Tables: Send + Sync;
    /// The runtime every compiled rule runs on.
    type Runtime: Send + Sync;

    /// The rule in `script` (of pack `pack_id`, whose text is `seed`), or
    /// its problems pushed onto `errors`.
    #[allow(clippy::too_many_arguments)]
    fn compile_rule(
        &self,
        path: &str,
        script: &Arc<str>,
        pack_id: &str,
        seed: &str,
        pack: usize,
        errors: &mut Vec<PlanError>,
    ) -> Option<Rule<Self>>
    where
        Self: Sized;
    /// The shared template `name` with `params`, for a rule of pack.yaml
    /// whose pack has the data tables `tables`: the sections it judges and
    /// the rule built from it, or why not.
    fn compile_template(
        &self,
        name: &str,
        params: &serde_json::Map<String, serde_json::Value>,
        tables: &[&str],
    ) -> Result<(Vec<Entry>, Self::Rule), crate::input::Msg>;
    /// A template of the pack written in rhai (`script`, at `path`),
    /// compiled once with the sandbox and checks of a rule script, or its
    /// problems pushed onto `errors`.
    fn compile_script_template(
        &self,
        path: &str,
        script: &Arc<str>,
        errors: &mut Vec<PlanError>,
    ) -> Option<Self::Template>;
    /// A rule of the rhai template `template` with its checked parameters:
    /// the sections it judges and the rule.
    fn instantiate(
        &self,
        template: &Self::Template,
        params: &[(String, ParamValue)],
    ) -> Option<(Vec<Entry>, Self::Rule)>;
    /// Is `name` a template the engine has built in? A pack's own template
    /// may not take such a name (a rule naming it would read one thing to
    /// its author and another to a reader of the template reference).
    fn is_builtin_template(&self, name: &str) -> bool;
    /// A pack's data tables as the rules read them.
    fn tables(&self, tables: &[(String, Table)]) -> Self::Tables;
    /// The runtime every compiled rule runs on.
    fn runtime(&self) -> Self::Runtime;
}

/// A parameter of a rhai template, checked against its declared type.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamValue {
    /// Text, or (`type: field`) a field's name.
    Text(String),
    Number(crate::base::num::Num),
    Integer(i64),
    Bool(bool),
    Words(Text),
    List(Vec<String>),
}

/// How binding a rule is: `error` for what the plan makes binding (必须, 应,
/// 不得, a 标准 of 不低于 for new builds), `warning` for targets and goals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The parts of a submission a rule can apply to. A rule runs only when the
/// submission has at least one of its sections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Estate,
    Facilities,
    Institutions,
    Hospitals,
    Venues,
    Region,
}

impl Section {
    pub const ALL: [(&'static str, Section); 6] = [
        ("estate", Section::Estate),
        ("facilities", Section::Facilities),
        ("institutions", Section::Institutions),
        ("hospitals", Section::Hospitals),
        ("venues", Section::Venues),
        ("region", Section::Region),
    ];
}

impl Section {
    /// The function a rule defines to judge one record of this section:
    /// `fn institution(i)` is called once per institution.
    pub fn function(self) -> &'static str {
        match self {
            Section::Estate => "estate",
            Section::Facilities => "facility",
            Section::Institutions => "institution",
            Section::Hospitals => "hospital",
            Section::Venues => "venue",
            Section::Region => "region",
        }
    }
}

/// A function of a rule the engine calls for each record of `section`,
/// with the record, then the submission, as many of these as it declares
/// (`arity`; a template takes both).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub section: Section,
    pub arity: usize,
    /// The kinds of record it can apply to, when its template says so: a
    /// record whose `kind` is given and is none of these is not applicable,
    /// and is not even called. A record without `kind` is always called.
    pub kinds: Option<Vec<String>>,
}

/// One rule: a clause of a plan turned into a rhai script, or into a
/// template with the clause's figures, compiled by `C`.
pub struct Rule<C: RuleCompiler> {
    /// `<pack>.<name>`, e.g. `shiyan.elderly-space-new`.
    pub id: String,
    pub severity: Severity,
    pub title: Text,
    /// The clause, verbatim from the seed.
    pub clause: String,
    /// Further clauses the plan restates the same obligation in, verbatim:
    /// one rule checks them all, and a finding cites each (`also:` in a
    /// pack; none for a script).
    pub also: Vec<String>,
    /// The sections it judges, one call per record: from the functions
    /// the script (or its template) defines.
    pub entries: Vec<Entry>,
    /// `template: "share"`: the template it instantiates, if any (a pack's
    /// own by its name, even where the rule names its script).
    pub template: Option<String>,
    /// Dates the rule itself is in force, where the plan sets them.
    pub from: Option<Date>,
    pub until: Option<Date>,
    /// Where the script is (`rules/shiyan/elderly-space-new.rhai`).
    pub path: String,
    pub script: Arc<str>,
    /// The compiled script or template (the engine's: `C`'s type).
    pub compiled: C::Rule,
    /// Index of its pack in the catalog.
    pub pack: usize,
}

impl<C: RuleCompiler> std::fmt::Debug for Rule<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule")
            .field("id", &self.id)
            .field("severity", &self.severity)
            .field("template", &self.template)
            .field("path", &self.path)
            .field("pack", &self.pack)
            .finish_non_exhaustive()
    }
}

impl<C: RuleCompiler> Rule<C> {
    /// Every clause the rule cites, the first one first.
    pub fn clauses(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.clause.as_str()).chain(self.also.iter().map(String::as_str))
    }

    /// The clauses for a quotation: `A` alone, or `A” “B` so that
    /// “{quoted}” reads “A” “B”.
    pub fn quoted(&self) -> String {
        self.clauses().collect::<Vec<_>>().join("” “")
    }

    /// The comment block at the top of the script: the rule's documentation.
    pub fn header(&self) -> String {
        self.script
            .lines()
            .take_while(|l| l.trim_start().starts_with("//") || l.trim().is_empty())
            .map(|l| {
                l.trim_start()
                    .trim_start_matches('/')
                    .strip_prefix(' ')
                    .unwrap_or(l.trim_start().trim_start_matches('/'))
            })
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string()
    }

    pub fn in_force(&self, day: &Date) -> bool {
        self.from
            .is_none_or(|f| f.earliest_day() <= day.earliest_day())
            && self
                .until
                .is_none_or(|u| day.earliest_day() <= u.latest_day())
    }
}

/// A plan's rule pack, its tables as `C` gives them to rules.
pub struct Pack<C: RuleCompiler> {
    pub manifest: Manifest,
    /// Digest of the manifest, seed, scripts and tables: the pack's version.
    pub digest: String,
    /// Directory of the pack (`rules/shiyan`).
    pub dir: String,
    pub seed_path: String,
    pub seed: Arc<str>,
    /// Indices into `Catalog::rules`.
    pub rules: Vec<usize>,
    /// Fixture files (`tests/*.yaml` beside the rules): path → text.
    pub fixtures: Vec<(String, Arc<str>)>,
    /// Data tables the pack declares (name → rows of cells), for rules to read.
    pub tables: Vec<(String, Table)>,
    /// The same tables as the engine gives them to rules (`C`'s type).
    pub tables_view: C::Tables,
    /// False for a pack loaded only as far as its manifest (its rules were
    /// not needed by this run): the engine refuses to run it.
    pub complete: bool,
    /// The pack's own templates in rhai (`templates:` in pack.yaml), as
    /// `peitao explain` describes them.
    pub templates: Vec<PackTemplate>,
}

/// A template of a pack, written in rhai: its declaration in pack.yaml and
/// its script.
#[derive(Clone, Debug)]
pub struct PackTemplate {
    pub name: String,
    /// Its script (`rules/nanhu/at-least.rhai`).
    pub path: String,
    pub script: Arc<str>,
    /// What it checks (`doc:`).
    pub doc: Option<String>,
    /// Its parameters in alphabetical order.
    pub params: Vec<PackTemplateParam>,
}

/// A parameter a pack's template declares.
#[derive(Clone, Debug)]
pub struct PackTemplateParam {
    pub name: String,
    pub ty: manifest::ParamType,
    /// For `type: field`: the section whose field it names.
    pub section: Option<String>,
    /// Its value when a rule leaves it out; none: every rule gives it.
    pub default: Option<serde_json::Value>,
    /// What it means (`doc:`).
    pub doc: Option<String>,
}

impl<C: RuleCompiler> Pack<C> {
    /// The pack's template `name` (a rule's `template`, resolved at load).
    pub fn template(&self, name: &str) -> Option<&PackTemplate> {
        self.templates.iter().find(|t| t.name == name)
    }
}

/// A CSV table of a pack: a header row and data rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub path: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Its cells: rows × columns.
    pub fn cells(&self) -> usize {
        self.rows.len() * self.header.len()
    }
}

impl<C: RuleCompiler> std::fmt::Debug for Pack<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pack")
            .field("manifest", &self.manifest)
            .field("digest", &self.digest)
            .field("dir", &self.dir)
            .field("rules", &self.rules)
            .field("complete", &self.complete)
            .finish_non_exhaustive()
    }
}

impl<C: RuleCompiler> Pack<C> {
    /// Is the plan in force on `day`? Unknown dates do not restrict.
    pub fn in_force(&self, day: &Date) -> bool {
        let m = &self.manifest;
        m.in_force_from
            .as_ref()
            .is_none_or(|f| f.value.earliest_day() <= day.earliest_day())
            && m.in_force_until
                .as_ref()
                .is_none_or(|u| day.earliest_day() <= u.value.latest_day())
    }

    /// The day fixtures without a filing date are judged on: the plan's
    /// first day in force, or 2025-01-01 for a plan that states no dates.
    /// Fixed, so that fixture results do not change with the calendar.
    pub fn fixture_day(&self) -> Date {
        self.manifest.in_force_from.as_ref().map_or(
            Date {
                year: 2025,
                month: 1,
                day: Some(1),
            },
            |d| d.value,
        )
    }

    /// Does `name` (a plan id or alias) name this plan?
    pub fn answers_to(&self, name: &str) -> bool {
        let name = name.trim();
        self.manifest.id == name || self.manifest.aliases.iter().any(|a| a == name)
    }

    /// "《title》(number)" for citing the plan.
    pub fn citation(&self) -> String {
        let m = &self.manifest;
        match &m.document_number {
            Some(n) => format!("《{}》{}", m.title, n),
            None => format!("《{}》", m.title),
        }
    }
}

/// Every loaded pack and rule, compiled by `C` for one runtime (the
/// engine's catalog is `engine::Catalog`).
pub struct Catalog<C: RuleCompiler> {
    pub packs: Vec<Pack<C>>,
    pub rules: Vec<Rule<C>>,
    /// The runtime the rules run on (`C`'s type).
    pub runtime: C::Runtime,
}

impl<C: RuleCompiler> std::fmt::Debug for Catalog<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("packs", &self.packs)
            .field("rules", &self.rules.len())
            .finish()
    }
}

impl<C: RuleCompiler> Catalog<C> {
    pub fn pack(&self, id: &str) -> Option<&Pack<C>> {
        self.packs.iter().find(|p| p.manifest.id == id)
    }

    pub fn rule(&self, id: &str) -> Option<&Rule<C>> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The packs a jurisdiction name refers to.
    pub fn resolve(&self, name: &str) -> Option<usize> {
        self.packs.iter().position(|p| p.answers_to(name))
    }

    /// "shiyan (十堰, 十堰市), taizhou (…)" for errors that list the known plans.
    pub fn known_plans(&self) -> String {
        self.packs
            .iter()
            .map(|p| format!("{} ({})", p.manifest.id, p.manifest.aliases.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::in_seed;

    const TABLE: &str = "4 |\n社区日间照料设施覆盖率 |\n70% |\n90% |\n约束性 |\n5 |\n街道居家养老\n服务站(个) |\n12 |\n21 |\n约束性 |\n6 |\n";

    #[test]
    fn a_cell_broken_over_two_lines_is_quoted_whole() {
        assert!(in_seed(TABLE, "街道居家养老服务站(个)"));
        assert!(in_seed(TABLE, "街道居家养老服务站(个) | 12 | 21 | 约束性"));
        assert!(in_seed(
            TABLE,
            "社区日间照料设施覆盖率 | 70% | 90% | 约束性"
        ));
        // The pieces as the seed prints them still match.
        assert!(in_seed(TABLE, "街道居家养老"));
        assert!(in_seed(TABLE, "服务站(个)"));
    }

    #[test]
    fn the_words_and_their_order_are_still_the_seeds() {
        assert!(!in_seed(TABLE, "街道居家养老服务站(个) | 21 | 12 | 约束性"));
        assert!(!in_seed(TABLE, "街道居家养老服务站(个) | 12 | 21 | 预期性"));
        assert!(!in_seed(TABLE, "街道居家养老 服务站(个)"));
        assert!(!in_seed(TABLE, "街道居家养老服务中心(个)"));
        // A paragraph without table cells is matched as it is.
        assert!(!in_seed("到2025年,每个区\n建有一个", "每个区建有一个"));
        assert!(in_seed("到2025年,每个区建有一个", "每个区建有一个"));
    }
}
