//! Embeds the shipped rule packs (each with its seed): generates the list
//! of files under rules/ so that a new pack needs no Rust change.

use std::fmt::Write as _;
use std::path::Path;

fn collect(dir: &Path, root: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("readable dir")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, root, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "rhai" | "txt" | "csv")
        ) {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_str()
                .expect("UTF-8 path")
                .replace('\\', "/");
            out.push(rel);
        }
    }
}

fn main() {
    // At run time: the build script is shared by checkouts that share a
    // target directory (git worktrees), each with its own rules/.
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&root);
    let mut files = Vec::new();
    collect(&root.join("rules"), root, &mut files);
    println!("cargo:rerun-if-changed=rules");
    let mut code = String::from("pub static EMBEDDED: &[(&str, &str)] = &[\n");
    for rel in &files {
        println!("cargo:rerun-if-changed={rel}");
        writeln!(
            code,
            "    ({rel:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{rel}\"))),"
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded.rs");
    std::fs::write(out, code).unwrap();
}
