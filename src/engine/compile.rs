//! Compiling a pack's rules: the one place where a rule's text meets rhai
//! at load time, and where a rule of pack.yaml is built from its template.
//! The plan stage hands over each script or template's params and holds
//! what comes back as a [`Compiled`] value, this compiler's
//! `RuleCompiler::Rule`: the plan stores it without naming it, and the
//! engine gets it back as it made it.

use crate::base::code::PlanCode;
use crate::input::{Date, Msg, Span};
use crate::plan::{
    find_key, Entry, ParamValue, PlanError, RuleCompiler, Section, Severity, Table, Text,
};
use rhai::{Dynamic, Engine, Map, AST};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A rule as the engine runs it: a script's syntax tree, or a template
/// (written in Rust) built with the rule's params.
pub enum Compiled {
    Script(AST),
    Native(Box<dyn super::native::Native>),
    /// A rule of a pack's rhai template: the template's syntax tree
    /// (compiled once, shared by its rules) and the rule's parameters,
    /// which the script reads as the constant `params`.
    Template(Arc<ScriptTemplate>, Dynamic),
}

/// A pack's template in rhai, compiled once: its syntax tree and its file.
pub struct ScriptTemplate {
    pub ast: AST,
    pub path: String,
}

/// The name a rhai template reads its rule's parameters by.
pub const PARAMS: &str = "params";

/// The engine's compiler of rule scripts, sharing one sandboxed engine
/// with the checks that run them.
pub struct Compiler {
    engine: Arc<Engine>,
    /// What is left of the load's budget for every script's top level
    /// (`--load-time-limit-total`): ten scripts that each spend their own
    /// budget cost this once, not ten times.
    left: Mutex<Duration>,
}

impl Default for Compiler {
    fn default() -> Self {
        Compiler {
            engine: Arc::new(super::sandboxed_engine()),
            left: Mutex::new(super::sandbox::load_total()),
        }
    }
}

impl std::fmt::Debug for Compiler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Compiler").finish_non_exhaustive()
    }
}

/// A rule as [`Compiler`] makes it, in the catalog.
type Rule = crate::plan::Rule<Compiler>;

impl RuleCompiler for Compiler {
    type Rule = Compiled;
    type Template = Arc<ScriptTemplate>;
    type Tables = super::tables::Tables;
    type Runtime = Arc<Engine>;

    fn compile_rule(
        &self,
        path: &str,
        script: &Arc<str>,
        pack_id: &str,
        seed: &str,
        pack: usize,
        errors: &mut Vec<PlanError>,
    ) -> Option<Rule> {
        compile_rule(
            &self.engine,
            &self.left,
            path,
            script,
            pack_id,
            seed,
            pack,
            errors,
        )
    }

    fn compile_template(
        &self,
        name: &str,
        params: &serde_json::Map<String, serde_json::Value>,
        tables: &[&str],
    ) -> Result<(Vec<Entry>, Compiled), Msg> {
        let (native, entries) =
            super::native::build(name, params, &super::native::Pack { tables })?;
        Ok((entries, Compiled::Native(native)))
    }

    fn is_builtin_template(&self, name: &str) -> bool {
        super::native::NATIVE.iter().any(|t| t.name == name)
    }

    fn compile_script_template(
        &self,
        path: &str,
        script: &Arc<str>,
        errors: &mut Vec<PlanError>,
    ) -> Option<Arc<ScriptTemplate>> {
        compile_script_template(&self.engine, path, script, errors).map(|ast| {
            Arc::new(ScriptTemplate {
                ast,
                path: path.to_string(),
            })
        })
    }

    fn instantiate(
        &self,
        template: &Arc<ScriptTemplate>,
        params: &[(String, ParamValue)],
    ) -> Option<(Vec<Entry>, Compiled)> {
        let entries = entries_of(&template.ast).ok()?;
        let map: Map = params
            .iter()
            .map(|(k, v)| (k.as_str().into(), param_value(v)))
            .collect();
        Some((
            entries,
            Compiled::Template(template.clone(), Dynamic::from_map(map)),
        ))
    }

    fn tables(&self, tables: &[(String, Table)]) -> super::tables::Tables {
        super::tables::Tables::new(tables)
    }

    fn runtime(&self) -> Arc<Engine> {
        self.engine.clone()
    }
}

/// Byte offset of a rhai position (1-based line, 1-based column in chars).
fn offset_of(text: &str, pos: rhai::Position) -> usize {
    let (Some(line), col) = (pos.line(), pos.position().unwrap_or(1)) else {
        return 0;
    };
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let line_text = &text[start.min(text.len())..];
    start
        + line_text
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(0, |(i, _)| i)
}

/// A checked parameter as the template's script reads it: numbers exact,
/// words a map `#{ zh, en }`, a list an array of text.
fn param_value(v: &ParamValue) -> Dynamic {
    match v {
        ParamValue::Text(t) => t.clone().into(),
        ParamValue::Number(n) => Dynamic::from(*n),
        ParamValue::Integer(i) => Dynamic::from(super::Num::int(*i)),
        ParamValue::Bool(b) => (*b).into(),
        ParamValue::Words(t) => {
            let mut m = Map::new();
            m.insert("zh".into(), t.zh.clone().into());
            m.insert("en".into(), t.en.clone().into());
            Dynamic::from_map(m)
        }
        ParamValue::List(l) => Dynamic::from_array(l.iter().map(|t| t.clone().into()).collect()),
    }
}

/// A script (a rule's, or a pack template's) compiled within the compile
/// budget: its size (also bounded when read from disk) and shape, then its
/// syntax, with `switch` refused (see `plan.switch-refused`).
fn compile_checked(
    engine: &Engine,
    path: &str,
    script: &Arc<str>,
    scope: &rhai::Scope,
    errors: &mut Vec<PlanError>,
) -> Option<AST> {
    let err = |code, span, msg: Msg| PlanError::new(path, script, code, span, msg);
    let max = crate::plan::load::MAX_SCRIPT_BYTES;
    if script.len() as u64 > max {
        errors.push(err(
            PlanCode::TooLarge,
            Span::default(),
            Msg::new("plan.script-too-large")
                .arg("size", script.len())
                .arg("limit", max),
        ));
        return None;
    }
    if let Err(why) = super::sandbox::compile_budget(script) {
        errors.push(err(PlanCode::TooComplex, Span::default(), why));
        return None;
    }
    match engine.compile_with_scope(scope, script.as_ref()) {
        Ok(ast) => Some(ast),
        Err(e) => {
            let mut error = err(
                PlanCode::ScriptSyntax,
                Span::new(offset_of(script, e.1), 0),
                Msg::new("plan.script-syntax").quote("rhai", &e.0),
            );
            if matches!(&*e.0, rhai::ParseErrorType::Reserved(word) if word == "switch") {
                error = error.help(Msg::new("plan.switch-refused"));
            }
            errors.push(error);
            None
        }
    }
}

/// A pack's template in rhai, compiled once with the checks of a rule
/// script (size, shape, syntax with `switch` refused, section functions);
/// `params` is known to it as a variable, given its value per rule when it
/// runs. Its top level is not run: a template is its functions.
fn compile_script_template(
    engine: &Engine,
    path: &str,
    script: &Arc<str>,
    errors: &mut Vec<PlanError>,
) -> Option<AST> {
    // Declared, not constant: its value is not folded into the functions.
    let mut scope = rhai::Scope::new();
    scope.push(PARAMS, ());
    let ast = compile_checked(engine, path, script, &scope, errors)?;
    let err = |code, span, msg: Msg| PlanError::new(path, script, code, span, msg);
    match entries_of(&ast) {
        Ok(entries) if entries.is_empty() => {
            errors.push(err(
                PlanCode::BadFunction,
                Span::default(),
                Msg::new("plan.no-entries").arg("fns", SECTION_FNS),
            ));
            None
        }
        Ok(_) => Some(ast),
        Err(why) => {
            errors.push(err(PlanCode::BadFunction, Span::default(), why));
            None
        }
    }
}

const META_KEYS: &[&str] = &[
    "id",
    "severity",
    "title",
    "clause",
    "in_force_from",
    "in_force_until",
];

#[allow(clippy::too_many_arguments)]
fn compile_rule(
    engine: &Engine,
    left: &Mutex<Duration>,
    path: &str,
    script: &Arc<str>,
    pack_id: &str,
    seed: &str,
    pack: usize,
    errors: &mut Vec<PlanError>,
) -> Option<Rule> {
    let ast = compile_checked(engine, path, script, &rhai::Scope::new(), errors)?;
    let err = |code, span, msg: Msg| PlanError::new(path, script, code, span, msg);
    // The script's own budget, or what is left of the load's, if less.
    let total = super::sandbox::load_total();
    let remaining = *left.lock().unwrap_or_else(|e| e.into_inner());
    if remaining.is_zero() {
        errors.push(err(
            PlanCode::ScriptError,
            Span::default(),
            Msg::new("plan.load-total-spent").arg("ms", total.as_millis()),
        ));
        return None;
    }
    let own = super::sandbox::load_time();
    let budget = own.min(remaining);
    let started = Instant::now();
    let evaluated = super::sandbox::with_budget_of(super::sandbox::Scope::Load, budget, || {
        engine.eval_ast::<Dynamic>(&ast)
    });
    {
        let mut left = left.lock().unwrap_or_else(|e| e.into_inner());
        *left = left.saturating_sub(started.elapsed());
    }
    let meta: Map = match evaluated {
        Ok(v) if v.is_map() => v.cast::<Map>(),
        Ok(_) => {
            errors.push(err(
                PlanCode::BadMetadata,
                Span::default(),
                Msg::new("plan.no-metadata")
                    .arg("map", "#{ id: …, severity: …, title: …, clause: … }"),
            ));
            return None;
        }
        Err(e) => {
            let message = match *e {
                rhai::EvalAltResult::ErrorTerminated(..) if budget < own => {
                    Msg::new("plan.load-total-over-time").arg("ms", total.as_millis())
                }
                rhai::EvalAltResult::ErrorTerminated(..) => {
                    Msg::new("plan.load-over-time").arg("ms", budget.as_millis())
                }
                _ => Msg::new("plan.script-error").quote("rhai", &e),
            };
            errors.push(err(
                PlanCode::ScriptError,
                Span::new(offset_of(script, e.position()), 0),
                message,
            ));
            return None;
        }
    };
    let before = errors.len();
    let text_of = |key: &str| meta.get(key).and_then(|v| v.clone().into_string().ok());
    for key in meta.keys() {
        if !META_KEYS.contains(&key.as_str()) {
            errors.push(
                err(
                    PlanCode::BadMetadata,
                    find_key(script, key),
                    Msg::new("plan.unknown-meta-key").arg("key", key),
                )
                .help(Msg::new("plan.known-keys").names("keys", META_KEYS)),
            );
        }
    }
    let id = text_of("id").unwrap_or_default();
    if !id.starts_with(&format!("{pack_id}.")) || id.len() <= pack_id.len() + 1 {
        errors.push(err(
            PlanCode::BadMetadata,
            find_key(script, "id"),
            Msg::new("plan.rule-id-prefix")
                .arg("id", &id)
                .arg("prefix", format!("{pack_id}.")),
        ));
    }
    let severity = match text_of("severity").as_deref() {
        Some("error") => Severity::Error,
        Some("warning") => Severity::Warning,
        other => {
            errors.push(err(
                PlanCode::BadMetadata,
                find_key(script, "severity"),
                Msg::new("plan.meta-severity").phrase(
                    "value",
                    match other {
                        Some(v) => Msg::new("plan.meta-severity.value").arg("value", v),
                        None => Msg::new("plan.meta-severity.none"),
                    },
                ),
            ));
            Severity::Error
        }
    };
    let title = meta
        .get("title")
        .and_then(|t| t.clone().try_cast::<Map>())
        .and_then(|m| {
            Some(Text {
                zh: m.get("zh")?.clone().into_string().ok()?,
                en: m.get("en")?.clone().into_string().ok()?,
            })
        });
    let title = title.unwrap_or_else(|| {
        errors.push(err(
            PlanCode::BadMetadata,
            find_key(script, "title"),
            Msg::new("plan.meta-title").arg("form", "#{ zh: \"…\", en: \"…\" }"),
        ));
        Text::default()
    });
    let clause = text_of("clause").unwrap_or_default();
    if clause.is_empty() {
        errors.push(err(
            PlanCode::BadMetadata,
            find_key(script, "clause"),
            Msg::new("plan.clause-missing"),
        ));
    } else if !crate::plan::in_seed(seed, &clause) {
        let span = script
            .find(&clause)
            .map_or(find_key(script, "clause"), |o| Span::new(o, clause.len()));
        errors.push(
            err(
                PlanCode::ClauseNotInSeed,
                span,
                Msg::new("plan.clause-not-in-seed"),
            )
            .help(Msg::new("plan.clause-not-in-seed.help")),
        );
    }
    let mut date = |key: &str| {
        let s = text_of(key)?;
        Date::parse_checked(&s, true)
            .map_err(|why| {
                errors.push(err(
                    PlanCode::BadMetadata,
                    find_key(script, key),
                    Msg::new("plan.bad-meta-date")
                        .arg("key", key)
                        .arg("date", &s)
                        .phrase("why", why.msg()),
                ))
            })
            .ok()
    };
    let from = date("in_force_from");
    let until = date("in_force_until");
    let entries = match entries_of(&ast) {
        Ok(entries) => entries,
        Err(why) => {
            errors.push(err(PlanCode::BadFunction, Span::default(), why));
            Vec::new()
        }
    };
    if ast.iter_functions().any(|f| f.name == "check") {
        errors.push(
            err(
                PlanCode::BadFunction,
                Span::default(),
                Msg::new("plan.old-check"),
            )
            .help(
                Msg::new("plan.sections.help")
                    .arg("fns", SECTION_FNS)
                    .phrase("verdicts", verdicts()),
            ),
        );
    }
    if entries.is_empty() {
        errors.push(err(
            PlanCode::BadFunction,
            Span::default(),
            Msg::new("plan.no-entries").arg("fns", SECTION_FNS),
        ));
    }
    (errors.len() == before).then(|| Rule {
        id,
        severity,
        title,
        clause,
        also: Vec::new(),
        entries,
        template: None,
        from,
        until,
        path: path.to_string(),
        script: script.clone(),
        compiled: Compiled::Script(ast),
        pack,
    })
}

/// The functions a rule may define, one per section.
const SECTION_FNS: &str =
    "fn estate(e), fn facility(f), fn institution(i), fn venue(v), fn region(r)";

/// What a section's function returns, as a phrase of the catalogue: its
/// `#{ … }` is an argument, as the catalogue's words hold no braces.
pub(super) fn verdicts() -> Msg {
    Msg::new("engine.verdicts").arg("violated", "violated(#{ … })")
}

/// The sections a script judges: the functions it defines, by name, with
/// how many arguments each takes.
fn entries_of(ast: &AST) -> Result<Vec<Entry>, Msg> {
    let mut entries = Vec::new();
    for (_, section) in Section::ALL {
        let name = section.function();
        let defs: Vec<usize> = ast
            .iter_functions()
            .filter(|f| f.name == name)
            .map(|f| f.params.len())
            .collect();
        match defs.as_slice() {
            [] => {}
            [arity @ 1..=2] => entries.push(Entry {
                section,
                arity: *arity,
                kinds: None,
            }),
            _ => return Err(Msg::new("plan.fn-arity").arg("name", name)),
        }
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rhai_positions_become_byte_offsets() {
        let text = "// 注释\nlet x = 1;\n  bad";
        let pos = rhai::Position::new(3, 3);
        assert_eq!(&text[offset_of(text, pos)..], "bad");
    }
}
