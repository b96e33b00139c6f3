//! The integrity scan: what a learner file may not contain, found with a real Rust parser
//! before it is built.
//!
//! Learner code is compiled into the same crate as the hidden checks, so some Rust could reach
//! past the exercise into the grading itself: raw memory and system calls (`unsafe`, `asm!`),
//! code or data from other files (`include!`, `#[path]`, `mod x;`), symbols the linker or the
//! runtime would pick up (`#[no_mangle]`, `#[link_section]`, `#[global_allocator]`), the kit's
//! check-side parts (only `concur_kit::workload` is handed to learners), the checks' own module,
//! and public names that would replace what the checks mean by `assert!`, `Vec` or `Ok` (the
//! checks import the learner's module with a glob). In exercises that are not programs, exiting
//! the process or reading its arguments has no use either. No exercise needs any of these; a
//! course author can allow one per exercise (`allow = ["unsafe"]` in `info.toml`).
//!
//! The scan works on tokens, so it also sees inside macro definitions and invocations, and on
//! the syntax tree for `use` imports (so `use std::process as p; p::exit(0)` is seen). What it
//! cannot see: behaviour reached through the public API of a dependency, and anything a program
//! does at run time (that is the sandbox's job).
//!
//! In: a learner file's text and its exercise's rules. Out: [`Violation`]s, first one first.

use std::collections::HashMap;
use std::str::FromStr;

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use syn::visit::Visit;

/// Rules a course author may lift for one exercise with `allow = [...]`; `concur_kit::…` paths
/// may be allowed too.
pub const ALLOWABLE: &[&str] = &[
    "unsafe",
    "extern crate",
    "#[path]",
    "include!",
    "asm!",
    "mod file",
    "#[no_mangle]",
    "#[export_name]",
    "#[link_section]",
    "#[link]",
    "#[link_name]",
    "#[used]",
    "#[global_allocator]",
    "#[naked]",
    "#[macro_export]",
    "crate::checks",
    "std::process::exit",
    "std::process::abort",
    "std::env::args",
    "std::env::args_os",
];

/// The only part of the kit a learner file may name without an `allow`.
const LEARNER_KIT: &str = "workload";

/// Attributes that place or name symbols for the linker or the runtime.
const LINKER_ATTRIBUTES: &[&str] = &[
    "no_mangle",
    "export_name",
    "link_section",
    "link",
    "link_name",
    "used",
    "global_allocator",
    "naked",
    "macro_export",
];

/// What a program may do but a function the checks call may not.
const PROCESS_PATHS: &[&str] = &[
    "std::process::exit",
    "std::process::abort",
    "std::env::args",
    "std::env::args_os",
];

/// Names the checks use without importing them: the standard prelude (types, traits,
/// functions, variants and macros), the primitive types and the crates the checks use. A
/// public item or re-export of one of these in the learner's file would replace it inside the
/// checks, which import the learner's module with a glob.
const PRELUDE: &[&str] = &[
    "Copy",
    "Send",
    "Sized",
    "Sync",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "drop",
    "Box",
    "ToOwned",
    "Clone",
    "PartialEq",
    "PartialOrd",
    "Eq",
    "Ord",
    "AsRef",
    "AsMut",
    "Into",
    "From",
    "Default",
    "Iterator",
    "Extend",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "ToString",
    "Vec",
    "TryFrom",
    "TryInto",
    "FromIterator",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "panic",
    "unreachable",
    "todo",
    "unimplemented",
    "format",
    "format_args",
    "print",
    "println",
    "eprint",
    "eprintln",
    "write",
    "writeln",
    "vec",
    "matches",
    "dbg",
    "test",
    "bool",
    "char",
    "str",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "f32",
    "f64",
    "std",
    "core",
    "alloc",
    "concur_kit",
    "tokio",
    "reqwest",
    "rayon",
    "crossbeam",
    "serde",
    "serde_json",
];

/// What the scan is told about the exercise.
#[derive(Clone, Copy, Debug)]
pub struct Rules<'a> {
    /// The exercise is a program (`program = true`): `main` may exit and read its arguments.
    pub program: bool,
    /// What the course allows this exercise (`allow` in `info.toml`).
    pub allow: &'a [String],
}

/// One thing the learner file may not contain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// 1-based line and column of where it is.
    pub line: usize,
    pub column: usize,
    /// What is not allowed (the name a course author would `allow`).
    pub what: String,
    /// Why.
    pub why: &'static str,
}

const WHY_UNSAFE: &str = "the checks run in your program's process, and unsafe code could \
                          reach into their memory; no exercise of this course needs it";
const WHY_OTHER_FILES: &str = "an exercise is one file: the code graded is the code you see";
const WHY_LINKER: &str = "it places or names symbols for the linker or the runtime, which \
                          could replace parts of the checks; no exercise needs it";
const WHY_KIT: &str = "the kit hands learners its workloads (`concur_kit::workload`); its other \
                       parts belong to the checks";
const WHY_CHECKS: &str = "the hidden checks are not part of the exercise";
const WHY_PROCESS: &str = "the checks call your functions inside their own process: ending the \
                           process or reading its arguments is for a program's `main`, and this \
                           exercise is not a program";
const WHY_SHADOW: &str = "the checks import your file's public names, and this one would \
                          replace the standard name they use; give it another name";

/// Scans `source`. A file that does not parse yields nothing: the build will show rustc's
/// error, which says more.
pub fn scan(source: &str, rules: Rules) -> Vec<Violation> {
    let Ok(file) = syn::parse_file(source) else {
        return Vec::new();
    };
    let Ok(tokens) = TokenStream::from_str(source) else {
        return Vec::new();
    };
    let mut imports = Imports::default();
    imports.visit_file(&file);
    let mut scan = Scan {
        rules,
        aliases: imports.aliases,
        depth: 0,
        found: Vec::new(),
    };
    scan.tokens(tokens);
    scan.shadowing(&imports.public);
    scan.found.sort_by_key(|v| (v.line, v.column));
    scan.found
        .dedup_by(|a, b| a.line == b.line && a.what == b.what);
    scan.found
}

struct Scan<'a> {
    rules: Rules<'a>,
    /// Local names of `use` imports → the full path they stand for.
    aliases: HashMap<String, String>,
    /// How many `mod { … }` the scan is inside (for what `super` reaches).
    depth: usize,
    found: Vec<Violation>,
}

impl Scan<'_> {
    fn allowed(&self, what: &str) -> bool {
        self.rules
            .allow
            .iter()
            .any(|a| a == what || (a.starts_with("concur_kit::") && what.starts_with(a.as_str())))
    }

    fn report(&mut self, span: Span, what: impl Into<String>, why: &'static str) {
        let what = what.into();
        if self.allowed(&what) {
            return;
        }
        let start = span.start();
        self.found.push(Violation {
            line: start.line,
            column: start.column + 1,
            what,
            why,
        });
    }

    fn tokens(&mut self, stream: TokenStream) {
        let tokens: Vec<TokenTree> = stream.into_iter().collect();
        let mut i = 0;
        while i < tokens.len() {
            match &tokens[i] {
                TokenTree::Group(group) => {
                    self.tokens(group.stream());
                }
                TokenTree::Punct(p) if p.as_char() == '#' => {
                    let mut j = i + 1;
                    if matches!(tokens.get(j), Some(TokenTree::Punct(p)) if p.as_char() == '!') {
                        j += 1;
                    }
                    if let Some(TokenTree::Group(g)) = tokens.get(j) {
                        if g.delimiter() == Delimiter::Bracket {
                            self.attribute(g.stream(), p.span());
                        }
                    }
                }
                TokenTree::Ident(ident) => {
                    let name = ident.to_string();
                    match name.as_str() {
                        "unsafe" => self.report(ident.span(), "unsafe", WHY_UNSAFE),
                        "extern" if is_ident(tokens.get(i + 1), "crate") => {
                            self.report(ident.span(), "extern crate", WHY_OTHER_FILES)
                        }
                        "mod" => {
                            if let Some(TokenTree::Group(body)) = tokens.get(i + 2) {
                                if body.delimiter() == Delimiter::Brace {
                                    self.depth += 1;
                                    self.tokens(body.stream());
                                    self.depth -= 1;
                                    i += 3;
                                    continue;
                                }
                            }
                            self.module(&tokens, i);
                        }
                        _ => {}
                    }
                    let end = self.path(&tokens, i);
                    // A macro call: `include!`, `std::arch::asm!`, …
                    if let (Some(TokenTree::Ident(last)), Some(TokenTree::Punct(p))) =
                        (tokens.get(end - 1), tokens.get(end))
                    {
                        if p.as_char() == '!' {
                            match last.to_string().as_str() {
                                "include" | "include_str" | "include_bytes" => {
                                    self.report(last.span(), "include!", WHY_OTHER_FILES)
                                }
                                "asm" | "global_asm" | "naked_asm" => {
                                    self.report(last.span(), "asm!", WHY_UNSAFE)
                                }
                                _ => {}
                            }
                        }
                    }
                    i = end;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
    }

    /// `mod name;` reads another file.
    fn module(&mut self, tokens: &[TokenTree], at: usize) {
        if let (Some(TokenTree::Ident(_)), Some(TokenTree::Punct(p))) =
            (tokens.get(at + 1), tokens.get(at + 2))
        {
            if p.as_char() == ';' {
                self.report(tokens[at].span(), "mod file", WHY_OTHER_FILES);
            }
        }
    }

    /// An attribute's tokens: its name, and names inside `cfg_attr(…)`.
    fn attribute(&mut self, stream: TokenStream, span: Span) {
        for token in flatten(stream) {
            if let TokenTree::Ident(ident) = token {
                let name = ident.to_string();
                if name == "path" {
                    self.report(span, "#[path]", WHY_OTHER_FILES);
                } else if LINKER_ATTRIBUTES.contains(&name.as_str()) {
                    self.report(span, format!("#[{name}]"), WHY_LINKER);
                }
            }
        }
    }

    /// The path starting at `tokens[at]`; returns the index after it.
    fn path(&mut self, tokens: &[TokenTree], at: usize) -> usize {
        let mut segments: Vec<String> = Vec::new();
        let mut i = at;
        let span = tokens[at].span();
        loop {
            match tokens.get(i) {
                Some(TokenTree::Ident(ident)) => segments.push(ident.to_string()),
                Some(TokenTree::Punct(p)) if p.as_char() == '*' && !segments.is_empty() => {
                    segments.push("*".into());
                    i += 1;
                    break;
                }
                Some(TokenTree::Group(g))
                    if g.delimiter() == Delimiter::Brace && !segments.is_empty() =>
                {
                    // A use tree: each branch continues this path.
                    for branch in branches(g.stream()) {
                        let mut full = segments.clone();
                        full.extend(branch);
                        self.judge(&full, span);
                    }
                    self.tokens(g.stream());
                    return i + 1;
                }
                _ => break,
            }
            if separator_at(tokens, i + 1) {
                i += 3;
            } else {
                i += 1;
                break;
            }
        }
        if !segments.is_empty() {
            self.judge(&segments, span);
        }
        i.max(at + 1)
    }

    fn judge(&mut self, segments: &[String], span: Span) {
        // `use a::b::{self}` names `a::b`.
        let segments = match segments.split_last() {
            Some((last, rest)) if last == "self" && !rest.is_empty() => rest,
            _ => segments,
        };
        let Some(head) = segments.first() else { return };
        match head.as_str() {
            "concur_kit_macros" => self.report(span, "concur_kit_macros", WHY_KIT),
            "concur_kit" if segments.get(1).map(String::as_str) != Some(LEARNER_KIT) => {
                let what = match segments.get(1) {
                    Some(part) if part != "*" && part != "self" => format!("concur_kit::{part}"),
                    _ => "concur_kit".to_string(),
                };
                self.report(span, what, WHY_KIT);
            }
            "crate" | "super" => {
                // `super` climbs one `mod` each; past the learner's file is the crate root,
                // which holds the checks.
                let supers = segments.iter().take_while(|s| *s == "super").count();
                let at_root = head == "crate" || supers > self.depth;
                let next = segments
                    .iter()
                    .skip(if head == "crate" { 1 } else { supers })
                    .map(String::as_str)
                    .next();
                if at_root && matches!(next, Some("checks" | "*")) {
                    self.report(span, "crate::checks", WHY_CHECKS);
                }
            }
            _ => {}
        }
        if !self.rules.program {
            let full = self.expand(segments);
            for banned in PROCESS_PATHS {
                let glob_over = full
                    .strip_suffix("::*")
                    .is_some_and(|module| banned.starts_with(&format!("{module}::")));
                if full == *banned || glob_over {
                    self.report(span, *banned, WHY_PROCESS);
                }
            }
        }
    }

    /// The path with its first segment replaced by what a `use` made it stand for.
    fn expand(&self, segments: &[String]) -> String {
        let (head, rest) = segments.split_first().expect("a path has a segment");
        let head = head.trim_start_matches("::");
        let mut full = self
            .aliases
            .get(head)
            .cloned()
            .unwrap_or_else(|| head.to_string());
        for s in rest {
            full.push_str("::");
            full.push_str(s);
        }
        full.strip_prefix("::").unwrap_or(&full).to_string()
    }

    fn shadowing(&mut self, public: &[(String, Span)]) {
        for (name, span) in public {
            if PRELUDE.contains(&name.as_str()) {
                let start = span.start();
                self.found.push(Violation {
                    line: start.line,
                    column: start.column + 1,
                    what: format!("a public `{name}`"),
                    why: WHY_SHADOW,
                });
            }
        }
    }
}

fn is_ident(token: Option<&TokenTree>, name: &str) -> bool {
    matches!(token, Some(TokenTree::Ident(i)) if i == name)
}

/// `::` at `tokens[i]` and `tokens[i + 1]`.
fn separator_at(tokens: &[TokenTree], i: usize) -> bool {
    matches!(
        (tokens.get(i), tokens.get(i + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':'
    )
}

/// The branches of a use tree's `{…}`: each a list of segments (`a::b`, `c as d` → `[c]`,
/// `*`).
fn branches(stream: TokenStream) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut renaming = false;
    for token in stream {
        match token {
            TokenTree::Punct(p) if p.as_char() == ',' => {
                out.push(std::mem::take(&mut current));
                renaming = false;
            }
            TokenTree::Ident(i) if i == "as" => renaming = true,
            TokenTree::Ident(i) if !renaming => current.push(i.to_string()),
            TokenTree::Punct(p) if p.as_char() == '*' => current.push("*".into()),
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                for branch in branches(g.stream()) {
                    let mut full = current.clone();
                    full.extend(branch);
                    out.push(full);
                }
                current.clear();
            }
            _ => {}
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn flatten(stream: TokenStream) -> Vec<TokenTree> {
    let mut out = Vec::new();
    for token in stream {
        match token {
            TokenTree::Group(g) => out.extend(flatten(g.stream())),
            other => out.push(other),
        }
    }
    out
}

/// What the file's `use` items import, and which names it makes public.
#[derive(Default)]
struct Imports {
    aliases: HashMap<String, String>,
    public: Vec<(String, Span)>,
}

impl Imports {
    fn tree(&mut self, prefix: &str, tree: &syn::UseTree, public: bool) {
        let join = |name: &str| {
            if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}::{name}")
            }
        };
        match tree {
            syn::UseTree::Path(p) => self.tree(&join(&p.ident.to_string()), &p.tree, public),
            syn::UseTree::Name(n) => {
                let name = n.ident.to_string();
                let full = if name == "self" {
                    prefix.to_string()
                } else {
                    join(&name)
                };
                let local = if name == "self" {
                    prefix.rsplit("::").next().unwrap_or(prefix).to_string()
                } else {
                    name
                };
                if public {
                    self.public.push((local.clone(), n.ident.span()));
                }
                self.aliases.insert(local, full);
            }
            syn::UseTree::Rename(r) => {
                let name = r.ident.to_string();
                let full = if name == "self" {
                    prefix.to_string()
                } else {
                    join(&name)
                };
                if public {
                    self.public.push((r.rename.to_string(), r.rename.span()));
                }
                self.aliases.insert(r.rename.to_string(), full);
            }
            syn::UseTree::Glob(_) => {}
            syn::UseTree::Group(g) => {
                for item in &g.items {
                    self.tree(prefix, item, public);
                }
            }
        }
    }
}

fn is_public(vis: &syn::Visibility) -> bool {
    !matches!(vis, syn::Visibility::Inherited)
}

impl<'ast> Visit<'ast> for Imports {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.tree("", &item.tree, is_public(&item.vis));
    }

    fn visit_item(&mut self, item: &'ast syn::Item) {
        let named = match item {
            syn::Item::Const(i) => Some((&i.vis, &i.ident)),
            syn::Item::Enum(i) => Some((&i.vis, &i.ident)),
            syn::Item::Fn(i) => Some((&i.vis, &i.sig.ident)),
            syn::Item::Mod(i) => Some((&i.vis, &i.ident)),
            syn::Item::Static(i) => Some((&i.vis, &i.ident)),
            syn::Item::Struct(i) => Some((&i.vis, &i.ident)),
            syn::Item::Trait(i) => Some((&i.vis, &i.ident)),
            syn::Item::Type(i) => Some((&i.vis, &i.ident)),
            syn::Item::Union(i) => Some((&i.vis, &i.ident)),
            _ => None,
        };
        if let Some((vis, ident)) = named {
            if is_public(vis) {
                self.public.push((ident.to_string(), ident.span()));
            }
        }
        syn::visit::visit_item(self, item);
    }
}

/// `violation` rendered like a compiler error, against the file's `source`, shown as `path`.
pub fn render(violation: &Violation, source: &str, path: &str) -> String {
    let line_text = source
        .lines()
        .nth(violation.line.saturating_sub(1))
        .unwrap_or("");
    let number = violation.line.to_string();
    let pad = " ".repeat(number.len());
    let caret_at = " ".repeat(violation.column.saturating_sub(1));
    format!(
        "error: {} is not allowed in this exercise\n\
         {pad}--> {path}:{}:{}\n\
         {pad} |\n\
         {number} | {line_text}\n\
         {pad} | {caret_at}^\n\
         {pad} |\n\
         {pad} = why: {}\n",
        violation.what, violation.line, violation.column, violation.why
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(source: &str, program: bool) -> Vec<String> {
        scan(
            source,
            Rules {
                program,
                allow: &[],
            },
        )
        .into_iter()
        .map(|v| v.what)
        .collect()
    }

    fn lib(source: &str) -> Vec<String> {
        found(source, false)
    }

    #[test]
    fn ordinary_exercise_code_passes() {
        let source = r#"
            use std::sync::{mpsc, Arc, Mutex};
            use std::thread;
            use concur_kit::workload::slow_square;
            use concur_kit::workload::{self, simulate};
            pub struct Job { pub id: u64 }
            pub fn squares(numbers: &[u64]) -> Vec<u64> {
                let handles: Vec<_> = numbers.iter().map(|&n| thread::spawn(move || slow_square(n))).collect();
                let _ = workload::LATENCY;
                macro_rules! twice { ($e:expr) => { $e; $e } }
                twice!(simulate("x", std::time::Duration::ZERO));
                // unsafe in a comment, and "unsafe" in a string, are fine
                let _ = "std::process::exit";
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            }
            mod helpers { pub fn checks() {} }
            fn main() { helpers::checks(); }
        "#;
        assert_eq!(lib(source), Vec::<String>::new());
    }

    #[test]
    fn unsafe_is_seen_everywhere_even_in_macros() {
        assert_eq!(lib("fn f() { unsafe { } }"), ["unsafe"]);
        assert_eq!(lib("unsafe fn f() {}"), ["unsafe"]);
        assert_eq!(lib("macro_rules! m { () => { unsafe { } } }"), ["unsafe"]);
        assert_eq!(lib("fn f() { std::arch::asm!(\"nop\"); }"), ["asm!"]);
        assert_eq!(lib("core::arch::global_asm!(\"\");"), ["asm!"]);
    }

    #[test]
    fn other_files_and_linker_attributes_are_refused() {
        assert_eq!(lib("extern crate core as c;"), ["extern crate"]);
        assert_eq!(
            lib("const S: &str = include_str!(\"/etc/passwd\");"),
            ["include!"]
        );
        assert_eq!(lib("#[path = \"x.rs\"] mod x;"), ["#[path]", "mod file"]);
        assert_eq!(lib("mod other;"), ["mod file"]);
        assert_eq!(
            lib("#[no_mangle] pub extern \"C\" fn f() {}"),
            ["#[no_mangle]"]
        );
        assert_eq!(
            lib("#[cfg_attr(all(), link_section = \".init_array\")] static F: u8 = 0;"),
            ["#[link_section]"]
        );
        assert_eq!(
            lib("#[global_allocator] static A: std::alloc::System = std::alloc::System;"),
            ["#[global_allocator]"]
        );
        assert_eq!(
            lib("#[macro_export] macro_rules! m { () => {} }"),
            ["#[macro_export]"]
        );
    }

    #[test]
    fn only_the_workloads_of_the_kit_are_handed_out() {
        assert_eq!(
            lib("use concur_kit::workload::slow_square;"),
            Vec::<String>::new()
        );
        assert_eq!(lib("use concur_kit::bench::Bench;"), ["concur_kit::bench"]);
        assert_eq!(
            lib("fn f() { concur_kit::harness::run_check(\"x\", || ()); }"),
            ["concur_kit::harness"]
        );
        assert_eq!(
            lib("use concur_kit::{workload::crunch, trace::Trace};"),
            ["concur_kit::trace"]
        );
        assert_eq!(lib("use concur_kit as k;"), ["concur_kit"]);
        assert_eq!(lib("use concur_kit::*;"), ["concur_kit"]);
        assert_eq!(lib("use concur_kit_macros::test;"), ["concur_kit_macros"]);
        assert_eq!(
            lib("macro_rules! m { ($k:ident) => { $k::bench::Bench::start() } } fn f() { m!(concur_kit); }"),
            ["concur_kit"]
        );
    }

    #[test]
    fn the_checks_module_is_out_of_reach() {
        assert_eq!(lib("fn f() { crate::checks::x(); }"), ["crate::checks"]);
        assert_eq!(lib("use super::checks;"), ["crate::checks"]);
        assert_eq!(lib("use crate::*;"), ["crate::checks"]);
        assert_eq!(
            lib("use crate::{exercise, checks as c};"),
            ["crate::checks"]
        );
        assert_eq!(lib("use self::inner::checks;"), Vec::<String>::new());
        // A learner's own test module reaches the learner's file, not the crate root.
        assert_eq!(lib("mod tests { use super::*; }"), Vec::<String>::new());
        assert_eq!(
            lib("mod tests { use super::super::checks; }"),
            ["crate::checks"]
        );
    }

    #[test]
    fn exiting_and_arguments_are_for_programs() {
        assert_eq!(
            lib("fn f() { std::process::exit(0) }"),
            ["std::process::exit"]
        );
        assert_eq!(
            lib("use std::process as p; fn f() { p::abort() }"),
            ["std::process::abort"]
        );
        assert_eq!(
            lib("use std::env::args; fn f() { let _ = args(); }"),
            ["std::env::args"]
        );
        assert_eq!(
            lib("use std::process::*;"),
            ["std::process::exit", "std::process::abort"]
        );
        assert_eq!(lib("use std::process::Command;"), Vec::<String>::new());
        // A program's main may.
        assert_eq!(
            found("fn main() { std::process::exit(1) }", true),
            Vec::<String>::new()
        );
    }

    #[test]
    fn public_names_may_not_replace_the_prelude() {
        assert_eq!(
            lib("macro_rules! yes { ($($t:tt)*) => {} } pub(crate) use yes as assert_eq;"),
            ["a public `assert_eq`"]
        );
        assert_eq!(
            lib("pub type Vec<T> = std::collections::VecDeque<T>;"),
            ["a public `Vec`"]
        );
        assert_eq!(lib("pub fn drop<T>(_: T) {}"), ["a public `drop`"]);
        assert_eq!(lib("pub mod std {}"), ["a public `std`"]);
        // Private names and methods are the learner's own business.
        assert_eq!(lib("type Result<T> = std::result::Result<T, String>; struct S; impl S { pub fn drop(&self) {} }"), Vec::<String>::new());
    }

    #[test]
    fn an_allow_lifts_one_rule() {
        let allow = ["unsafe".to_string(), "concur_kit::trace".to_string()];
        let rules = Rules {
            program: false,
            allow: &allow,
        };
        let v = scan(
            "use concur_kit::trace::Trace; use concur_kit::bench::Bench; fn f() { unsafe {} }",
            rules,
        );
        let what: Vec<_> = v.iter().map(|v| v.what.as_str()).collect();
        assert_eq!(what, ["concur_kit::bench"]);
    }

    #[test]
    fn a_violation_renders_like_a_compiler_error() {
        let source = "fn f() {\n    unsafe { }\n}\n";
        let v = &scan(
            source,
            Rules {
                program: false,
                allow: &[],
            },
        )[0];
        assert_eq!((v.line, v.column), (2, 5));
        let text = render(v, source, "exercises/a/f.rs");
        assert!(
            text.starts_with(
                "error: unsafe is not allowed in this exercise\n --> exercises/a/f.rs:2:5\n"
            ),
            "{text}"
        );
        assert!(text.contains("2 |     unsafe { }\n  |     ^\n"), "{text}");
    }
}
