//! Checking one file loads only its own plan's rules: the verdicts must be
//! exactly those of a run with every plan loaded, and a plan left unloaded
//! can never be run (its files are refused, not passed).

use peitao::check::{check_text, Options, Outcome};
use peitao::engine;
use peitao::plan::embedded_files;
use std::path::Path;

fn findings(r: &peitao::check::FileResult) -> Vec<(String, String, String)> {
    match &r.outcome {
        Outcome::Checked(c) => c
            .outcomes
            .iter()
            .map(|f| {
                (
                    f.rule.to_string(),
                    f.subject.clone(),
                    f.status.as_str().to_string(),
                )
            })
            .collect(),
        other => panic!("{}: {other:?}", r.path),
    }
}

#[test]
fn one_plan_loaded_gives_the_same_verdicts_as_all() {
    let all = engine::load_embedded().unwrap();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut checked = 0;
    for entry in std::fs::read_dir(examples).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let Ok(sub) = peitao::input::parse_submission(&text, &Default::default()) else {
            continue;
        };
        let Some(name) = sub.filing.text("jurisdiction") else {
            continue;
        };
        let one = engine::load_files_naming(&embedded_files(), &[name.to_string()]).unwrap();
        let loaded = one.packs.iter().filter(|p| p.complete).count();
        assert_eq!(loaded, 1, "{}: {loaded} plans loaded", path.display());
        let options = Options::default();
        let a = check_text(&all, "f.yaml", text.clone().into(), &options);
        let b = check_text(&one, "f.yaml", text.into(), &options);
        // Rule indices differ between the catalogs: compare by rule id.
        let ids = |catalog: &peitao::engine::Catalog, v: Vec<(String, String, String)>| {
            v.into_iter()
                .map(|(r, s, st)| (catalog.rules[r.parse::<usize>().unwrap()].id.clone(), s, st))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ids(&all, findings(&a)),
            ids(&one, findings(&b)),
            "{}",
            path.display()
        );
        checked += 1;
    }
    assert!(checked >= 10, "{checked} examples");
}

#[test]
fn a_plan_not_loaded_is_refused_never_passed() {
    let one = engine::load_files_naming(&embedded_files(), &["shiyan".to_string()]).unwrap();
    let text = "version: 1\nsubmission: { jurisdiction: 昆明市, filed: 2025-03-01 }\nestate: { status: new, households: 100 }\n";
    let r = check_text(&one, "k.yaml", text.into(), &Options::default());
    match r.outcome {
        Outcome::Invalid(errors) => assert_eq!(errors[0].code, "plan-not-loaded"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// `input::plan-not-loaded` is a registered code: its words come from the
/// catalogue in both languages (Chinese under zh, not the English key), and
/// SARIF describes it with its own rule descriptor, not another code's.
#[test]
fn a_plan_not_loaded_is_said_and_described_like_every_code() {
    use peitao::base::code::{Code, InputCode};
    use peitao::plan::Lang;
    use peitao::report::messages::{code_meaning, input_error};
    let one = engine::load_files_naming(&embedded_files(), &["shiyan".to_string()]).unwrap();
    let text = "version: 1\nsubmission: { jurisdiction: 昆明市, filed: 2025-03-01 }\nestate: { status: new, households: 100 }\n";
    let r = check_text(&one, "k.yaml", text.into(), &Options::default());
    let Outcome::Invalid(errors) = &r.outcome else {
        panic!("expected a refusal, got {:?}", r.outcome)
    };
    assert_eq!(errors[0].code, Code::Input(InputCode::PlanNotLoaded));
    let zh = input_error(&errors[0], Lang::Zh);
    let en = input_error(&errors[0], Lang::En);
    for text in [&zh.message, &zh.label] {
        assert!(!text.is_ascii(), "zh printed English: {text}");
    }
    assert!(en.message.contains("not loaded"), "{}", en.message);
    assert!(!code_meaning("input::plan-not-loaded", Lang::Zh).is_empty());
    let sarif: serde_json::Value =
        serde_json::from_str(&peitao::report::sarif::render(&one, &[r], Lang::En)).unwrap();
    let run = &sarif["runs"][0];
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "input::plan-not-loaded");
    let index = result["ruleIndex"].as_u64().expect("a rule index") as usize;
    let descriptor = &run["tool"]["driver"]["rules"][index];
    assert_eq!(descriptor["id"], "input::plan-not-loaded");
    assert_eq!(
        descriptor["shortDescription"]["text"],
        code_meaning("input::plan-not-loaded", Lang::En)
    );
}
