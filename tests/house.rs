//! The house rules of `src/`, read from the sources: data flows one way between the top-level
//! modules (no module imports one that imports it back, at any distance), only the pipeline
//! stages and builds (the drivers go through it), no driver calls another, and the
//! environment is read at the edge.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file below `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("src is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The top-level module a file belongs to: `src/compile/fresh.rs` → `compile`.
fn module_of(file: &Path) -> String {
    let rel = file.strip_prefix(src()).expect("below src");
    let first = rel.components().next().expect("a path");
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_string()
}

/// The code of a file without its comments and its tests: what it really uses.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .map(|line| match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Which top-level modules each top-level module uses (`crate::x`).
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in sources(&src()) {
        let module = module_of(&file);
        let text = code(&std::fs::read_to_string(&file).expect("readable"));
        let uses = graph.entry(module.clone()).or_default();
        for (i, _) in text.match_indices("crate::") {
            let name: String = text[i + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && name != module {
                uses.insert(name);
            }
        }
    }
    graph
}

#[test]
fn no_two_modules_import_each_other_at_any_distance() {
    let graph = imports();
    let mut cycles = Vec::new();
    for start in graph.keys() {
        // Depth-first from `start`, looking for a way back to it.
        let mut stack = vec![vec![start.clone()]];
        let mut seen = BTreeSet::new();
        while let Some(path) = stack.pop() {
            let last = path.last().expect("non-empty");
            for next in graph.get(last).into_iter().flatten() {
                if next == start {
                    cycles.push(format!("{} -> {start}", path.join(" -> ")));
                } else if seen.insert(next.clone()) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push(longer);
                }
            }
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn only_the_pipeline_stages_and_builds() {
    let graph = imports();
    let callers: Vec<_> = graph
        .iter()
        .filter(|(module, uses)| {
            !["pipeline", "compile", "judge"].contains(&module.as_str())
                && (uses.contains("stage") || uses.contains("compile"))
        })
        .map(|(module, _)| module.clone())
        .collect();
    assert!(
        callers.is_empty(),
        "these modules stage or build without the pipeline: {callers:?}"
    );
}

#[test]
fn the_drivers_are_called_only_from_the_edge() {
    let graph = imports();
    let callers: Vec<_> = graph
        .iter()
        .filter(|(module, uses)| {
            module.as_str() != "lib" && (uses.contains("commands") || uses.contains("watch"))
        })
        .map(|(module, _)| module.clone())
        .collect();
    assert!(callers.is_empty(), "{callers:?} use a command or watch");
}

#[test]
fn the_environment_is_read_at_the_edge() {
    // Where concur reads its own variables: the edge, and the two places that pass the
    // caller's environment on to a child (the sandbox's NO_PROXY, the learner's editor).
    let allowed = ["places.rs", "sandbox/command.rs", "watch/editor.rs"];
    let mut readers = Vec::new();
    for file in sources(&src()) {
        let rel = file.strip_prefix(src()).expect("below src");
        let text = code(&std::fs::read_to_string(&file).expect("readable"));
        let reads = ["env::var(", "env::var_os("]
            .iter()
            .any(|call| text.contains(call));
        if reads && !allowed.iter().any(|a| rel == Path::new(a)) {
            readers.push(rel.display().to_string());
        }
    }
    assert!(readers.is_empty(), "environment read in {readers:?}");
}
