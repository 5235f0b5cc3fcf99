//! The rule-authoring guide's tables of host functions and templates are
//! the engine's own lists: a function or parameter added without its line
//! in docs/writing-rules.md (or a line left behind) fails here.

use std::path::Path;

fn between<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let start = text.find(open).unwrap_or_else(|| panic!("no `{open}`"));
    let rest = &text[start..];
    let body = &rest[rest.find('\n').unwrap() + 1..];
    &body[..body.find(close).unwrap_or_else(|| panic!("no `{close}`"))]
}

#[test]
fn the_guide_lists_every_host_function_and_template() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/writing-rules.md");
    let guide = std::fs::read_to_string(&path).unwrap();
    let host = peitao::engine::host_functions_table();
    let templates = peitao::engine::templates_table();
    let listed_host = between(&guide, "<!-- host-functions", "<!-- /host-functions -->");
    let listed_templates = between(&guide, "<!-- templates", "<!-- /templates -->");
    if std::env::var_os("PEITAO_BLESS").is_some() {
        let updated =
            guide
                .replacen(listed_host, &host, 1)
                .replacen(listed_templates, &templates, 1);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert_eq!(
        listed_host, host,
        "docs/writing-rules.md's host functions differ from engine::HOST_FUNCTIONS (PEITAO_BLESS=1 cargo test --test docs rewrites them)"
    );
    assert_eq!(
        listed_templates, templates,
        "docs/writing-rules.md's templates differ from the engine's templates (PEITAO_BLESS=1 cargo test --test docs rewrites them)"
    );
}

/// A command block of a document marked runnable: the marker line
/// (`<!-- runnable exit=N -->`, N the exit code of its last command,
/// default 0), then a fenced block. A line starting with `$ ` is a
/// command; the lines after it, up to the next command, are what it
/// prints, `…` standing for lines left out: each other line must appear in
/// its output, in that order. In a block without `$ ` every line is a
/// command and nothing is compared. `$ cd DIR` (an example's place on the
/// reader's machine) is not run.
struct Block {
    file: String,
    line: usize,
    exit: i32,
    steps: Vec<(String, Vec<String>)>,
}

fn runnable_blocks(file: &str, text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(rest) = lines[i].trim().strip_prefix("<!-- runnable") else {
            i += 1;
            continue;
        };
        let exit = rest
            .trim_end_matches("-->")
            .split_whitespace()
            .find_map(|w| w.strip_prefix("exit="))
            .map_or(0, |n| n.parse().expect("exit=N"));
        assert!(
            lines[i + 1].starts_with("```"),
            "{file}:{}: a runnable marker is followed by a fenced block",
            i + 1
        );
        let start = i + 2;
        let end = start
            + lines[start..]
                .iter()
                .position(|l| l.starts_with("```"))
                .expect("the block ends");
        let body = &lines[start..end];
        let transcript = body.iter().any(|l| l.starts_with("$ "));
        let mut steps: Vec<(String, Vec<String>)> = Vec::new();
        for l in body {
            let command = if transcript {
                l.strip_prefix("$ ")
            } else {
                Some(*l)
            };
            match command {
                Some(c) => {
                    // A trailing `# comment` is the reader's note.
                    let c = c.split("  #").next().unwrap().trim();
                    if !c.is_empty() && !c.starts_with("cd ") {
                        steps.push((c.to_string(), Vec::new()));
                    }
                }
                None => {
                    if let Some(last) = steps.last_mut() {
                        last.1.push(l.to_string());
                    }
                }
            }
        }
        assert!(!steps.is_empty(), "{file}:{}: nothing to run", i + 1);
        out.push(Block {
            file: file.to_string(),
            line: i + 1,
            exit,
            steps,
        });
        i = end + 1;
    }
    out
}

#[test]
fn every_runnable_command_block_of_the_docs_runs_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut docs = vec![root.join("README.md")];
    let mut more: Vec<_> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    more.sort();
    docs.extend(more);
    // `peitao` on the PATH is the binary under test; each document's
    // blocks run in turn in a directory of their own that sees the
    // repository's examples/, tests/ and rules/.
    let base = std::env::temp_dir().join(format!("peitao-docs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let bin = base.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_peitao"), bin.join("peitao")).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = 0;
    for doc in &docs {
        let name = doc.strip_prefix(root).unwrap().display().to_string();
        let blocks = runnable_blocks(&name, &std::fs::read_to_string(doc).unwrap());
        if blocks.is_empty() {
            continue;
        }
        let dir = base.join(name.replace('/', "-"));
        std::fs::create_dir_all(&dir).unwrap();
        for shared in ["examples", "tests", "rules"] {
            std::os::unix::fs::symlink(root.join(shared), dir.join(shared)).unwrap();
        }
        for b in blocks {
            let mut code = 0;
            for (i, (command, expected)) in b.steps.iter().enumerate() {
                let out = std::process::Command::new("sh")
                    .arg("-c")
                    .arg(command)
                    .current_dir(&dir)
                    .env("PATH", &path)
                    .env_remove("LANG")
                    .env_remove("LC_ALL")
                    .env("NO_COLOR", "1")
                    .output()
                    .unwrap();
                code = out.status.code().unwrap_or(-1);
                let printed = format!(
                    "{}{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
                let printed: Vec<&str> = printed.lines().map(str::trim_end).collect();
                let mut at = 0;
                for want in expected.iter().map(|l| l.trim_end()) {
                    if want.trim() == "…" || want.is_empty() {
                        continue;
                    }
                    match printed[at..].iter().position(|l| *l == want) {
                        Some(p) => at += p + 1,
                        None => panic!(
                            "{}:{} `{command}` did not print, in order:\n{want}\n--- it printed:\n{}",
                            b.file,
                            b.line,
                            printed.join("\n")
                        ),
                    }
                }
                if i + 1 < b.steps.len() {
                    assert!(
                        code == 0 || code == 1,
                        "{}:{} `{command}` exited {code}:\n{}",
                        b.file,
                        b.line,
                        printed.join("\n")
                    );
                }
            }
            assert_eq!(
                code, b.exit,
                "{}:{}: the last command's exit code",
                b.file, b.line
            );
            ran += 1;
        }
    }
    assert!(ran >= 4, "{ran} runnable blocks");
}
