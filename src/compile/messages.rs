//! Cargo's JSON messages, reduced to what concur needs: artifacts and compiler errors per target.
//!
//! In: lines of `cargo build --message-format=json-diagnostic-rendered-ansi`. Out: a
//! [`Message`] per line concur cares about; everything else is skipped.

use std::path::PathBuf;

use serde::Deserialize;

#[derive(Deserialize)]
struct Raw {
    reason: String,
    #[serde(default)]
    package_id: String,
    target: Option<RawTarget>,
    message: Option<RawDiagnostic>,
    executable: Option<PathBuf>,
    success: Option<bool>,
}

#[derive(Deserialize)]
struct RawTarget {
    name: String,
    #[serde(default)]
    kind: Vec<String>,
}

#[derive(Deserialize)]
struct RawDiagnostic {
    level: String,
    message: String,
    rendered: Option<String>,
    #[serde(default)]
    spans: Vec<serde_json::Value>,
}

/// A cargo message concur acts on.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    /// A target of the staged package finished; tests and bins carry their executable.
    Artifact {
        target: String,
        kind: TargetKind,
        executable: Option<PathBuf>,
    },
    /// Any crate (dependency or not) finished compiling: counts towards progress.
    DependencyBuilt,
    /// An error rustc reported for a target of the staged package.
    Error {
        target: String,
        rendered: String,
    },
    BuildFinished {
        success: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    Test,
    Bin,
    Other,
}

/// Parses one line; `None` for lines concur ignores (or that are not JSON, such as a
/// build script's stray output).
pub fn parse(line: &str, package_prefix: &str) -> Option<Message> {
    let raw: Raw = serde_json::from_str(line).ok()?;
    let ours = raw.package_id.contains(package_prefix);
    match raw.reason.as_str() {
        "compiler-artifact" if ours => {
            let target = raw.target?;
            let kind = if target.kind.iter().any(|k| k == "test") {
                TargetKind::Test
            } else if target.kind.iter().any(|k| k == "bin") {
                TargetKind::Bin
            } else {
                TargetKind::Other
            };
            Some(Message::Artifact {
                target: target.name,
                kind,
                executable: raw.executable,
            })
        }
        "compiler-artifact" => Some(Message::DependencyBuilt),
        "compiler-message" if ours => {
            let diag = raw.message?;
            // "aborting due to N previous errors" has no spans and adds nothing.
            if diag.level != "error"
                || (diag.spans.is_empty() && diag.message.starts_with("aborting"))
            {
                return None;
            }
            Some(Message::Error {
                target: raw.target?.name,
                rendered: diag.rendered.unwrap_or(diag.message),
            })
        }
        "build-finished" => Some(Message::BuildFinished {
            success: raw.success.unwrap_or(false),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_of_the_staged_package_are_kept_and_aborts_dropped() {
        let err = r#"{"reason":"compiler-message","package_id":"path+file:///c/.concur/build/exercises#concur-course-exercises@0.0.0","target":{"name":"pool","kind":["test"]},"message":{"level":"error","message":"mismatched types","rendered":"error[E0308]: mismatched types\n","spans":[{}]}}"#;
        assert_eq!(
            parse(err, "concur-course-"),
            Some(Message::Error {
                target: "pool".into(),
                rendered: "error[E0308]: mismatched types\n".into()
            })
        );
        let abort = err
            .replace(
                "mismatched types\",\"rendered",
                "aborting due to 1 previous error\",\"rendered",
            )
            .replace("[{}]", "[]");
        assert_eq!(parse(&abort, "concur-course-"), None);
        let warning = err.replace("\"level\":\"error\"", "\"level\":\"warning\"");
        assert_eq!(parse(&warning, "concur-course-"), None);
    }

    #[test]
    fn artifacts_carry_kind_and_executable() {
        let art = r#"{"reason":"compiler-artifact","package_id":"x#concur-course-exercises@0.0.0","target":{"name":"exercises-pool","kind":["bin"]},"executable":"/t/debug/exercises-pool","fresh":true}"#;
        assert_eq!(
            parse(art, "concur-course-"),
            Some(Message::Artifact {
                target: "exercises-pool".into(),
                kind: TargetKind::Bin,
                executable: Some("/t/debug/exercises-pool".into())
            })
        );
        let dep = art.replace("concur-course-exercises", "tokio");
        assert_eq!(
            parse(&dep, "concur-course-"),
            Some(Message::DependencyBuilt)
        );
        assert_eq!(parse("not json", "concur-course-"), None);
    }
}
