//! A guard against slow paths that counts work, not time: allocations made
//! while checking, on this thread, over fixed inputs. A change that copies
//! the submission per rule, or makes the work per facility grow with the
//! number of facilities, fails here on any machine. (A quadratic loop that
//! allocates nothing would not: the benchmark's doubling line shows those.
//! Speed itself is measured by `cargo bench`; see BENCHMARKS.md.)

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn allocations<T>(f: impl FnOnce() -> T) -> u64 {
    let before = ALLOCATIONS.with(Cell::get);
    std::hint::black_box(f());
    ALLOCATIONS.with(Cell::get) - before
}

fn check(catalog: &peitao::plan::Catalog, text: String) -> usize {
    let r = peitao::check::check_text(catalog, "x.yaml", text.into(), &Default::default());
    let json = peitao::report::json::file(catalog, &r, peitao::plan::Lang::En);
    serde_json::to_string(&json).unwrap().len()
}

#[test]
fn allocations_per_submission_stay_bounded() {
    let catalog = peitao::engine::load_embedded().unwrap();
    let files: Vec<String> = (0..100).map(peitao::corpus::submission).collect();
    check(&catalog, files[0].clone()); // warm lazily built state
    let total = allocations(|| {
        files
            .iter()
            .map(|f| check(&catalog, f.clone()))
            .sum::<usize>()
    });
    let per_file = total / 100;
    eprintln!("allocations per file: {per_file}");
    // Measured at about 1,440 per ~1.7 KB file with the 225 rules of the
    // five packs, every template in Rust (parse, validation, rules, JSON; 4
    // in 10 files are region plans, which 130 targets read); 1,980 while
    // eight templates were scripts. The bound leaves room for honest
    // growth, not for a deep copy of the submission per rule.
    assert!(per_file < 2_200, "{per_file} allocations per file");
}

#[test]
fn checking_is_linear_in_the_number_of_facilities() {
    let catalog = peitao::engine::load_embedded().unwrap();
    let small = allocations(|| check(&catalog, peitao::corpus::many_facilities(2_000)));
    let large = allocations(|| check(&catalog, peitao::corpus::many_facilities(4_000)));
    let ratio = large as f64 / small as f64;
    eprintln!("allocations: {small} → {large} ({ratio:.3}×)");
    assert!(
        ratio < 2.2,
        "twice the facilities cost {ratio:.2}× the allocations ({small} → {large})"
    );
    assert!(
        ratio > 1.8,
        "suspiciously sublinear ({small} → {large}): is the work still done?"
    );
}

/// Outcomes per rule and outcome word, from the file's JSON report.
fn outcomes(
    catalog: &peitao::plan::Catalog,
    text: String,
) -> std::collections::BTreeMap<(String, &'static str), usize> {
    let r = peitao::check::check_text(catalog, "x.yaml", text.into(), &Default::default());
    let json = peitao::report::json::file(catalog, &r, peitao::plan::Lang::En);
    let mut counts = std::collections::BTreeMap::new();
    for o in &json.outcomes {
        *counts.entry((o.rule.to_string(), o.outcome)).or_default() += 1;
    }
    counts
}

/// 10,000 and 20,000 facilities: every rule reports every subject (no rule
/// stops on an engine limit), a rule about facilities has twice the
/// outcomes for twice the facilities, one about the estate the same, and
/// the allocations double.
#[test]
fn twenty_thousand_facilities_get_every_outcome_linearly() {
    let catalog = peitao::engine::load_embedded().unwrap();
    let (small_text, large_text) = (
        peitao::corpus::many_facilities(10_000),
        peitao::corpus::many_facilities(20_000),
    );
    let small = outcomes(&catalog, small_text.clone());
    let large = outcomes(&catalog, large_text.clone());
    let errors: Vec<_> = large.keys().filter(|(_, o)| *o == "rule_error").collect();
    assert!(
        errors.is_empty(),
        "rule errors at 20,000 facilities: {errors:?}"
    );
    assert_eq!(
        small.keys().collect::<Vec<_>>(),
        large.keys().collect::<Vec<_>>(),
        "the same rules and outcome kinds at both sizes"
    );
    for (key, &n) in &small {
        let m = large[key];
        // Facilities cycle through three kinds, so a per-kind count is
        // within one of double; estate-level outcomes stay as they are.
        assert!(
            m == n || m.abs_diff(2 * n) <= 2,
            "{key:?}: {n} outcomes at 10,000 facilities, {m} at 20,000"
        );
    }
    // Twice the facilities, twice the facility outcomes: only the
    // estate-level ones (at most one per rule) do not double.
    let (total, small_total): (usize, usize) = (large.values().sum(), small.values().sum());
    assert!(
        total + catalog.rules.len() >= 2 * small_total && total > 10_000,
        "{total} outcomes for 20,000 facilities, {small_total} for 10,000"
    );
    let a = allocations(|| check(&catalog, small_text));
    let b = allocations(|| check(&catalog, large_text));
    let ratio = b as f64 / a as f64;
    assert!(
        (1.8..2.2).contains(&ratio),
        "twice the facilities cost {ratio:.2}× the allocations ({a} → {b})"
    );
}
