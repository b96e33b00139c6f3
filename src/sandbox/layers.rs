//! Which isolation layers this machine can give a sandboxed program, found out once per run.
//!
//! In: the running kernel. Out: [`Layers`], each layer in force or missing with the reason, for
//! the runner (which applies only what works) and for `concur doctor` (which says so). Every
//! layer is best-effort: a machine without one still grades, and says what it lacks.

use std::sync::OnceLock;

/// The oldest Landlock ABI concur uses: v1 rules files; v4 adds TCP, v6 the signal scope.
const LANDLOCK_SCOPES_ABI: i32 = 6;

/// Whether one layer is in force, and if not, why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Layer {
    InForce,
    Missing(String),
}

impl Layer {
    pub fn in_force(&self) -> bool {
        matches!(self, Layer::InForce)
    }
}

/// The isolation layers on this machine.
#[derive(Clone, Debug)]
pub struct Layers {
    /// Landlock's ABI version, 0 when Landlock is not available.
    pub landlock_abi: i32,
    /// File rules: writes only in the scratch folder, course and cache folders unreadable.
    pub files: Layer,
    /// Learner code cannot signal processes outside its sandbox (concur included).
    pub signals: Layer,
    /// Loopback only: a network namespace inside a user namespace.
    pub network: Layer,
    /// concur reaps every orphaned descendant, whatever session or group it moved to.
    pub subreaper: Layer,
}

/// The layers, probed on first use.
pub fn layers() -> &'static Layers {
    static LAYERS: OnceLock<Layers> = OnceLock::new();
    LAYERS.get_or_init(probe)
}

fn probe() -> Layers {
    let abi = landlock_abi();
    let files = match abi {
        a if a >= 1 => Layer::InForce,
        _ => Layer::Missing(
            "the kernel has no Landlock (Linux 5.13 or later, with `landlock` in the LSM list)"
                .into(),
        ),
    };
    let signals = if abi >= LANDLOCK_SCOPES_ABI {
        Layer::InForce
    } else if abi >= 1 {
        Layer::Missing(format!(
            "Landlock ABI {abi} has no signal scope (ABI 6, Linux 6.12); a learner's program \
             could signal other processes of this user"
        ))
    } else {
        Layer::Missing("needs Landlock ABI 6 (Linux 6.12)".into())
    };
    Layers {
        landlock_abi: abi,
        files,
        signals,
        network: super::jail::probe_network(),
        subreaper: subreaper(),
    }
}

/// Landlock's ABI version as the kernel reports it; 0 when there is none.
fn landlock_abi() -> i32 {
    #[cfg(target_os = "linux")]
    {
        const LANDLOCK_CREATE_RULESET_VERSION: libc::c_uint = 1;
        // SAFETY: with a null attribute and size 0, this call only returns the ABI version.
        let abi = unsafe {
            libc::syscall(
                libc::SYS_landlock_create_ruleset,
                std::ptr::null::<libc::c_void>(),
                0usize,
                LANDLOCK_CREATE_RULESET_VERSION,
            )
        };
        i32::try_from(abi).unwrap_or(0).max(0)
    }
    #[cfg(not(target_os = "linux"))]
    {
        0
    }
}

fn subreaper() -> Layer {
    if cfg!(target_os = "linux") {
        Layer::InForce
    } else {
        Layer::Missing("only Linux lets concur adopt orphaned processes".into())
    }
}
