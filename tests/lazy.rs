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
        let ids = |catalog: &peitao::plan::Catalog, v: Vec<(String, String, String)>| {
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
