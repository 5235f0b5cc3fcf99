//! Every parameter of every template is checked when the pack loads, and
//! the error points at that parameter: generated from the templates' own
//! parameter schemas (not a list kept here), over a rule of the shipped
//! packs for each template. For each parameter: its name misspelt, its
//! value of the wrong type, and (for a parameter naming a field) the field
//! misspelt are each refused, at the parameter's line and column, in
//! Chinese and in English.

use peitao::engine::{self, Param, NATIVE};
use peitao::plan::{Files, Lang, PlanError};
use peitao::report::messages::say;
use serde_json::{Map, Value};
use std::sync::Arc;

/// A shipped rule of the template `name`: its params, and the pack's data
/// tables (name → CSV text).
fn shipped(name: &str) -> (Map<String, Value>, Vec<(String, String)>) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let Ok(text) = std::fs::read_to_string(dir.join("pack.yaml")) else {
            continue;
        };
        let pack: Value = serde_saphyr::from_str(&text).unwrap();
        let rules = pack["rules"].as_object().cloned().unwrap_or_default();
        for rule in rules.values() {
            if rule["template"] == name {
                let params = rule["params"].as_object().cloned().unwrap_or_default();
                let tables = pack["data"]
                    .as_object()
                    .map(|d| {
                        d.iter()
                            .map(|(k, f)| {
                                let csv =
                                    std::fs::read_to_string(dir.join(f.as_str().unwrap())).unwrap();
                                (k.clone(), csv)
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                return (params, tables);
            }
        }
    }
    panic!("no shipped rule uses the template {name}");
}

const SEED: &str = "本规划的一条条款。\n";

/// A pack with one rule of `template` stating `params` one per line (in
/// the order given), and the line of each parameter.
fn pack(
    template: &str,
    params: &[(String, Value)],
    tables: &[(String, String)],
) -> (Files, Vec<(String, usize)>) {
    let mut yaml = String::from("id: probe\ntitle: probe\nseed: seed.txt\n");
    if !tables.is_empty() {
        yaml.push_str("data:\n");
        for (name, _) in tables {
            yaml.push_str(&format!("  {name}: {name}.csv\n"));
        }
    }
    yaml.push_str(&format!(
        "rules:\n  probe:\n    severity: warning\n    title: {{ zh: 探针, en: probe }}\n    section: 一\n    clause: 本规划的一条条款\n    checks: the probe\n    template: {template}\n    params:\n"
    ));
    let mut lines = Vec::new();
    for (key, value) in params {
        lines.push((key.clone(), yaml.lines().count() + 1));
        yaml.push_str(&format!("      {key}: {value}\n"));
    }
    let mut files = Files::new();
    files.insert("probe/pack.yaml".into(), Arc::from(yaml.as_str()));
    files.insert("probe/seed.txt".into(), Arc::from(SEED));
    for (name, csv) in tables {
        files.insert(format!("probe/{name}.csv"), Arc::from(csv.as_str()));
    }
    (files, lines)
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line, col)
}

/// The one error loading `files` gives.
fn refusal(files: &Files) -> PlanError {
    let mut errors = match engine::load_files(files) {
        Ok(_) => panic!("loaded:\n{}", files["probe/pack.yaml"]),
        Err(errors) => errors,
    };
    assert_eq!(
        errors.len(),
        1,
        "{:#?}",
        errors
            .iter()
            .map(|e| say(&e.message, Lang::En))
            .collect::<Vec<_>>()
    );
    errors.remove(0)
}

/// The error is about the parameter written on `line`: it points at that
/// line, from its first column, and says so in both languages.
fn points_at(e: &PlanError, line: usize, what: &str) {
    let (en, zh) = (say(&e.message, Lang::En), say(&e.message, Lang::Zh));
    assert_eq!(e.code, "bad-template", "{what}: {en}");
    assert_eq!(
        line_col(&e.source, e.span.offset),
        (line, 7),
        "{what}: {en}\n{}",
        e.source
    );
    // Words of the catalogue in each language (a missing key would print
    // the key itself).
    assert!(
        !en.contains("plan.") && !zh.contains("plan."),
        "{what}: {en} / {zh}"
    );
    assert!(
        zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{what}: {zh}"
    );
    assert_ne!(en, zh, "{what}");
}

/// A value of a type the parameter does not take.
fn mistyped(p: &Param) -> Value {
    match p.form.as_str() {
        "text" => Value::from(12345),
        "number" | "integer" => Value::from("many"),
        "{ zh, en }" => Value::from(5),
        f if f.starts_with("list of") => Value::from("one"),
        _ => Value::from(Vec::<Value>::new()),
    }
}

/// `name` misspelt: a letter doubled.
fn misspelt(name: &str) -> String {
    let cut = name.len() / 2;
    format!("{}{}{}", &name[..cut], &name[cut..cut + 1], &name[cut..])
}

#[test]
fn every_parameter_of_every_template_is_refused_at_its_line() {
    let mut cases = 0;
    for t in NATIVE {
        let (shipped, tables) = shipped(t.name);
        let params = t.params();
        // The shipped rule, each of its params on a line, loads.
        let base: Vec<(String, Value)> = shipped.clone().into_iter().collect();
        let (files, _) = pack(t.name, &base, &tables);
        engine::load_files(&files).unwrap_or_else(|e| {
            panic!(
                "{}: {:?}",
                t.name,
                e.iter()
                    .map(|e| say(&e.message, Lang::En))
                    .collect::<Vec<_>>()
            )
        });
        for p in &params {
            // Every parameter, given (a shipped value, or a wrong one).
            let with = |value: Value, key: &str| {
                let mut all: Vec<(String, Value)> =
                    base.iter().filter(|(k, _)| *k != p.name).cloned().collect();
                all.push((key.to_string(), value));
                pack(t.name, &all, &tables)
            };
            let value = shipped.get(&p.name).cloned();
            let line_of = |lines: &[(String, usize)], key: &str| {
                lines.iter().find(|(k, _)| k == key).unwrap().1
            };
            // Its name misspelt.
            let wrong = misspelt(&p.name);
            let (files, lines) = with(value.clone().unwrap_or_else(|| mistyped(p)), &wrong);
            let e = refusal(&files);
            points_at(&e, line_of(&lines, &wrong), &format!("{}.{wrong}", t.name));
            assert!(
                say(&e.message, Lang::En).contains(&format!("did you mean `{}`", p.name))
                    || say(&e.message, Lang::En).contains(&p.name),
                "{}",
                say(&e.message, Lang::En)
            );
            cases += 1;
            // Its value of another type.
            let (files, lines) = with(mistyped(p), &p.name);
            let e = refusal(&files);
            points_at(
                &e,
                line_of(&lines, &p.name),
                &format!("{}.{} mistyped", t.name, p.name),
            );
            cases += 1;
            // The field it names misspelt.
            if let Some(records) = &p.field_of {
                // The shipped field, or a number field of those records.
                let sample = match records.as_str() {
                    "institutions" => "beds",
                    "facilities" => "floor_area",
                    "estate" => "households",
                    _ => "population",
                };
                let field = value
                    .as_ref()
                    .and_then(|v| v.as_str())
                    .map_or(sample.to_string(), String::from);
                let (files, lines) = with(Value::from(misspelt(&field)), &p.name);
                let e = refusal(&files);
                points_at(
                    &e,
                    line_of(&lines, &p.name),
                    &format!("{}.{} field", t.name, p.name),
                );
                let en = say(&e.message, Lang::En);
                assert!(en.contains("did you mean"), "{}.{}: {en}", t.name, p.name);
                assert!(
                    say(&e.message, Lang::Zh).contains("是否指"),
                    "{}.{}",
                    t.name,
                    p.name
                );
                cases += 1;
            }
        }
    }
    // Ten templates, 73 parameters, 19 of them naming a field.
    assert!(cases >= 140, "{cases} cases");
}

/// A data table a rule names is one of its pack's (with did-you-mean): a
/// misspelt one would leave every region "cannot be checked".
#[test]
fn an_allocation_names_a_table_of_its_pack() {
    let (shipped, tables) = shipped("allocation");
    let table = shipped["table"].as_str().unwrap().to_string();
    let mut params: Vec<(String, Value)> = shipped.into_iter().collect();
    for (k, v) in &mut params {
        if k == "table" {
            *v = Value::from(misspelt(&table));
        }
    }
    let (files, lines) = pack("allocation", &params, &tables);
    let e = refusal(&files);
    let line = lines.iter().find(|(k, _)| k == "table").unwrap().1;
    points_at(&e, line, "allocation.table");
    let en = say(&e.message, Lang::En);
    assert!(en.contains(&format!("did you mean `{table}`")), "{en}");
}

mod common;

/// The pack schema, compiled once.
fn pack_schema() -> (boon::Schemas, boon::SchemaIndex) {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/pack.schema.json");
    let index = compiler
        .compile(path.to_str().unwrap(), &mut schemas)
        .unwrap_or_else(|e| panic!("docs/pack.schema.json: {e:#}"));
    (schemas, index)
}

#[test]
fn the_pack_schema_file_is_what_peitao_schema_pack_prints() {
    let (printed, _, code) = common::peitao(&["schema", "--pack"]);
    assert_eq!(code, 0);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/pack.schema.json");
    if std::env::var_os("PEITAO_BLESS").is_some() {
        std::fs::write(&path, &printed).unwrap();
    }
    let shipped = std::fs::read_to_string(&path).unwrap();
    assert!(
        printed == shipped,
        "docs/pack.schema.json is stale: PEITAO_BLESS=1 cargo test --test pack_params rewrites it"
    );
}

/// Every shipped pack.yaml is valid against the schema, and the schema
/// refuses what the loader refuses: a misspelt parameter, a mistyped one,
/// a template that is none.
#[test]
fn every_shipped_pack_is_valid_against_the_pack_schema() {
    let (schemas, index) = pack_schema();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut checked = 0;
    let mut one: Option<Value> = None;
    for dir in std::fs::read_dir(&root).unwrap().flatten() {
        let Ok(text) = std::fs::read_to_string(dir.path().join("pack.yaml")) else {
            continue;
        };
        let doc: Value = serde_saphyr::from_str(&text).unwrap();
        if let Err(e) = schemas.validate(&doc, index) {
            panic!(
                "{} is not valid against docs/pack.schema.json:\n{e:#}",
                dir.path().display()
            );
        }
        one.get_or_insert(doc);
        checked += 1;
    }
    assert!(checked >= 5, "{checked} packs");
    let doc = one.unwrap();
    let first = doc["rules"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    let template = doc["rules"][&first]["template"]
        .as_str()
        .unwrap()
        .to_string();
    let t = NATIVE.iter().find(|t| t.name == template).unwrap();
    for p in t.params() {
        let mut bad = doc.clone();
        let params = bad["rules"][&first]["params"].as_object_mut().unwrap();
        let value = params.remove(&p.name).unwrap_or_else(|| mistyped(&p));
        params.insert(misspelt(&p.name), value);
        assert!(
            schemas.validate(&bad, index).is_err(),
            "{template}: {} misspelt",
            p.name
        );
        let mut bad = doc.clone();
        bad["rules"][&first]["params"][&p.name] = mistyped(&p);
        assert!(
            schemas.validate(&bad, index).is_err(),
            "{template}: {} mistyped",
            p.name
        );
    }
    let mut bad = doc.clone();
    bad["rules"][&first]["template"] = Value::from(misspelt(&template));
    assert!(schemas.validate(&bad, index).is_err());
}

/// `peitao explain TEMPLATE` gives what the template checks and every
/// parameter with its form and whether it may be left out, in each
/// language: from the parameter struct, as the guide's reference is.
#[test]
fn explain_names_every_parameter_of_a_template() {
    for t in NATIVE {
        for (lang, required) in [("en", "required"), ("zh", "必填")] {
            let (out, err, code) = common::peitao(&["explain", t.name, "--lang", lang]);
            assert_eq!(code, 0, "{}: {err}", t.name);
            assert!(out.contains(t.source), "{out}");
            for p in t.params() {
                let line = format!("  {}: {};", p.name, p.form);
                assert!(out.contains(&line), "{}: no {line:?} in\n{out}", t.name);
                assert_eq!(
                    out.contains(&format!("{line} {required}")),
                    p.default.is_none(),
                    "{}.{}",
                    t.name,
                    p.name
                );
            }
        }
    }
}
