//! The languages a course can be written in, and what each needs from the machine.
//!
//! In: nothing but constants. Out: [`Language`] and, per language, the facts the stage, the
//! build and learner workspaces share (for Rust: the one dependency set and its lock file).

pub mod rust;

/// The language a course's exercises are written in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Language {
    /// Learner files and checks are Rust, built with cargo against the kit crate.
    #[default]
    Rust,
}
