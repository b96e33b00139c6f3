//! Rust exercises: the one dependency set every exercise builds with, and its lock file.
//!
//! In: nothing. Out: the `[dependencies]` lines the staged packages and a learner workspace's
//! `Cargo.toml` both list (`@KIT@` stands for the kit's folder), and the lock file they are
//! resolved with, so every learner builds the same versions.

/// The lock file the exercise dependency set is resolved with.
pub const LOCK_TEMPLATE: &str = include_str!("exercise-deps.lock");

/// The one dependency set of every exercise (learner workspaces list it too).
pub const DEPENDENCIES: &str = r#"tokio = { version = "1", features = ["full"] }
reqwest = { version = "0.12", default-features = false, features = ["json", "blocking"] }
rayon = "1"
crossbeam = "0.8"
serde = { version = "1", features = ["derive"] }
serde_json = "1"
futures = "0.3"
concur-kit = { path = "@KIT@" }
"#;
