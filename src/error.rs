//! concur's error type: what went wrong, and the exit code that says so.
//!
//! In: the errors of the command line, the course files and concur's own work. Out: one
//! [`Error`] whose [`Error::exit_code`] is what the process exits with — [`exit::USAGE`] for
//! what the user asked or wrote, [`exit::INTERNAL`] when concur itself could not work.

use crate::course::{CourseError, UnknownExercise};
use crate::exit;

/// The result of a command or of the edge that resolves a session.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything a concur command can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A course file or a workspace marker is wrong (names file, line and field).
    #[error(transparent)]
    Course(#[from] CourseError),
    /// A name on the command line is not an exercise (suggests the closest).
    #[error(transparent)]
    UnknownExercise(#[from] UnknownExercise),
    /// The command line asks for something that cannot be done as asked.
    #[error("{0}")]
    Usage(String),
    /// concur itself could not work: toolchain missing, files unreadable, cargo broken.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl Error {
    /// A usage error with this message.
    pub fn usage(message: impl Into<String>) -> Error {
        Error::Usage(message.into())
    }

    /// The process exit code this error ends concur with.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Course(_) | Error::UnknownExercise(_) | Error::Usage(_) => exit::USAGE,
            Error::Internal(_) => exit::INTERNAL,
        }
    }

    /// Whether this comes from writing to a pipe whose reader has gone (`concur list | head`).
    pub fn is_broken_pipe(&self) -> bool {
        let Error::Internal(err) = self else {
            return false;
        };
        err.chain().any(|cause| {
            cause
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
        })
    }
}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Error {
        Error::Internal(err.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_knows_its_exit_code() {
        let course = CourseError::new("info.toml".as_ref(), Some(3), Some("points"), "bad".into());
        assert_eq!(Error::from(course).exit_code(), exit::USAGE);
        let unknown = UnknownExercise {
            name: "x".into(),
            suggestion: None,
        };
        assert_eq!(Error::from(unknown).exit_code(), exit::USAGE);
        assert_eq!(Error::usage("no").exit_code(), exit::USAGE);
        assert_eq!(
            Error::from(anyhow::anyhow!("cargo broke")).exit_code(),
            exit::INTERNAL
        );
    }

    #[test]
    fn a_closed_pipe_is_told_apart() {
        let pipe = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        let err = Error::from(anyhow::Error::from(pipe).context("writing the list"));
        assert!(err.is_broken_pipe());
        assert!(!Error::usage("no").is_broken_pipe());
    }
}
