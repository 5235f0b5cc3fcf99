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
    // Measured at about 1,100 per ~1.7 KB file (parse, validation, rules,
    // JSON). The bound leaves room for honest growth, not for a deep copy
    // of the submission per rule.
    assert!(per_file < 1_600, "{per_file} allocations per file");
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
