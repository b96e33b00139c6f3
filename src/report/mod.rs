//! Reporters: they turn outcomes into text for a writer they are given.
//!
//! In: [`ExerciseReport`]s. Out: bytes on a writer. Colour is always written as ANSI styles;
//! the caller hands in an `anstream` writer, which strips them for pipes and `NO_COLOR`.

pub mod human;

pub use human::Human;
