//! The folders and tools of this machine, whatever the course: read from the environment
//! once, at the edge, and nowhere else in the engine.
//!
//! In: `CONCUR_CACHE_DIR`, `XDG_CACHE_HOME`, `HOME`, `CONCUR_TARGET_DIR`, `CONCUR_KIT_DIR`,
//! `CARGO`. Out: [`Places`]: concur's cache (and the built-in course copied into it), the
//! target folder for a course, the kit crate, the user's home and the cargo to build with.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::builtin;
use crate::error::Result;

/// Overrides where concur keeps the embedded course and its builds (default: the user cache).
pub const CACHE_DIR_ENV: &str = "CONCUR_CACHE_DIR";
/// Overrides where exercise builds go (default: `target/` in concur's cache).
pub const TARGET_DIR_ENV: &str = "CONCUR_TARGET_DIR";
/// Overrides where the kit crate is found.
pub const KIT_DIR_ENV: &str = "CONCUR_KIT_DIR";

/// The folders and tools of this machine, whatever the course.
#[derive(Debug, Clone)]
pub struct Places {
    /// concur's cache: `$CONCUR_CACHE_DIR`, else `$XDG_CACHE_HOME/concur`, else
    /// `~/.cache/concur`; `None` when there is neither variable nor home.
    pub cache: Option<PathBuf>,
    /// `$CONCUR_TARGET_DIR`, absolute.
    target: Option<PathBuf>,
    /// `$CONCUR_KIT_DIR`.
    kit: Option<PathBuf>,
    /// The user's home, which learner code may not read.
    pub user_home: Option<PathBuf>,
    /// The cargo to build with (`$CARGO`, as cargo sets it for its subcommands).
    pub cargo: OsString,
}

impl Places {
    /// Reads the environment.
    pub fn from_env() -> Result<Places> {
        let var = |name| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let cache = var(CACHE_DIR_ENV)
            .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("concur")))
            .or_else(|| var("HOME").map(|d| d.join(".cache").join("concur")))
            .map(|dir| {
                std::path::absolute(&dir).with_context(|| format!("resolving {}", dir.display()))
            })
            .transpose()?;
        let target = var(TARGET_DIR_ENV)
            .map(|dir| std::path::absolute(dir).context("resolving CONCUR_TARGET_DIR"))
            .transpose()?;
        Ok(Places {
            cache,
            target,
            kit: var(KIT_DIR_ENV),
            user_home: var("HOME"),
            cargo: std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()),
        })
    }

    /// The cache folder, or an error that says how to give one.
    pub fn cache(&self) -> anyhow::Result<&Path> {
        self.cache
            .as_deref()
            .context("no cache folder: set CONCUR_CACHE_DIR (or HOME)")
    }

    /// The course built into concur, copied into the cache.
    pub fn builtin_course(&self) -> anyhow::Result<PathBuf> {
        builtin::materialize(self.cache()?)
    }

    /// Where exercise builds go for a course in `course_root`: one folder per machine, in the
    /// cache, unless overridden; without a cache, in the course.
    pub fn target_for(&self, course_root: &Path) -> PathBuf {
        self.target.clone().unwrap_or_else(|| match &self.cache {
            Some(cache) => cache.join("target"),
            None => course_root.join(".concur").join("target"),
        })
    }

    /// The kit crate the checks are built with: the override, else the sources beside
    /// concur's own (a development build), else the copy built into concur.
    pub fn kit(&self) -> anyhow::Result<PathBuf> {
        if let Some(dir) = &self.kit {
            return Ok(dir.clone());
        }
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("kit");
        if source.join("Cargo.toml").is_file() {
            return Ok(source);
        }
        Ok(self.builtin_course()?.join("kit"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_go_to_the_cache_unless_told_otherwise() {
        let places = |cache: Option<&str>, target: Option<&str>| Places {
            cache: cache.map(PathBuf::from),
            target: target.map(PathBuf::from),
            kit: None,
            user_home: None,
            cargo: "cargo".into(),
        };
        let course = Path::new("/course");
        assert_eq!(
            places(Some("/cache"), None).target_for(course),
            Path::new("/cache/target")
        );
        assert_eq!(
            places(Some("/cache"), Some("/t")).target_for(course),
            Path::new("/t")
        );
        assert_eq!(
            places(None, None).target_for(course),
            Path::new("/course/.concur/target")
        );
    }
}
