//! Confining a sandboxed program: its own scratch folder, file rules, and loopback only.
//!
//! In: a [`Jail`] — the run's scratch folder, the binaries it may run from folders it may not
//! read, and the folders it may not read at all. Out: [`Prepared`] state built before `fork`
//! (the Landlock ruleset, the user-namespace maps), and [`enter`], which the child runs between
//! `fork` and `exec`: a user and network namespace with loopback up, then the Landlock
//! restriction. Only layers [`super::layers`] found to work are applied, each best-effort.
//!
//! Why each piece:
//! - File rules (Landlock): the system stays readable, but the course's checks and solutions,
//!   concur's cache and build folders, other submissions and the user's home are not; writes go
//!   only to the scratch folder and to `/dev/null`-like devices. Inherited by every child and
//!   impossible to lift.
//! - Signal scope (Landlock ABI 6): learner code cannot signal concur or anything outside.
//! - Network: a fresh network namespace has only `lo`, which is brought up so the checks'
//!   in-process mock API keeps working. The user namespace it needs maps concur's user to a
//!   non-root id inside, so a program concur runs as root gets no capabilities from it.

use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::{Path, PathBuf};

use landlock::{
    Access, AccessFs, PathBeneath, PathFd, Ruleset, RulesetAttr, RulesetCreatedAttr, Scope, ABI,
};

use super::layers::{layers, Layer};
use super::netns::{self, Receiver, Sender};

/// The Landlock ABI whose rights concur asks for; older kernels get what they support.
const WANTED_ABI: ABI = ABI::V6;

/// Devices every program may read and write.
const DEVICES: &[&str] = &[
    "/dev/null",
    "/dev/zero",
    "/dev/full",
    "/dev/random",
    "/dev/urandom",
];

/// The user id a confined program has inside its user namespace when concur runs as root.
const UNPRIVILEGED_INSIDE: u32 = 1000;

/// What to confine a program to.
#[derive(Clone, Debug, Default)]
pub struct Jail {
    /// The run's own folder: working folder, `HOME` and `TMPDIR`, and the only place it may
    /// write.
    pub scratch: PathBuf,
    /// Files it may read and run although they lie in a hidden folder (its own binaries).
    pub programs: Vec<PathBuf>,
    /// Folders it may not read at all.
    pub hidden: Vec<PathBuf>,
    /// Keep the machine's network: for `concur run`, whose program talks to a mock API in
    /// concur's own process. Checks start theirs inside their run and see loopback only.
    pub shared_network: bool,
}

/// The folder every run's scratch folder is made in; private to this user, and hidden from
/// every confined run (each sees only its own scratch folder inside it).
pub fn scratch_parent() -> PathBuf {
    // SAFETY: getuid cannot fail.
    let uid = unsafe { libc::getuid() };
    std::env::temp_dir().join(format!("concur-{uid}"))
}

/// A fresh scratch folder for one run, removed when dropped.
pub fn scratch() -> io::Result<tempfile::TempDir> {
    use std::os::unix::fs::DirBuilderExt;
    let parent = scratch_parent();
    match std::fs::DirBuilder::new().mode(0o700).create(&parent) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    tempfile::Builder::new().prefix("run-").tempdir_in(parent)
}

/// What [`enter`] needs, built before `fork` because the child may not allocate.
pub(crate) struct Prepared {
    landlock: Option<OwnedFd>,
    namespaces: Option<(IdMaps, Sender)>,
}

struct IdMaps {
    uid_map: Vec<u8>,
    gid_map: Vec<u8>,
}

/// Builds the Landlock ruleset and the namespace maps for `jail`, for the layers in force;
/// with a network namespace, also the end on which the child will send it.
pub(crate) fn prepare(jail: &Jail) -> io::Result<(Prepared, Option<Receiver>)> {
    let layers = layers();
    let landlock = if layers.files.in_force() {
        Some(ruleset(jail)?)
    } else {
        None
    };
    let (namespaces, receiver) = if layers.network.in_force() && !jail.shared_network {
        let (sender, receiver) = netns::pair()?;
        (Some((id_maps(), sender)), Some(receiver))
    } else {
        (None, None)
    };
    let prepared = Prepared {
        landlock,
        namespaces,
    };
    Ok((prepared, receiver))
}

fn id_maps() -> IdMaps {
    // SAFETY: getuid/getgid cannot fail.
    let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
    let inside = |id: u32| if id == 0 { UNPRIVILEGED_INSIDE } else { id };
    IdMaps {
        uid_map: format!("{} {uid} 1\n", inside(uid)).into_bytes(),
        gid_map: format!("{} {gid} 1\n", inside(gid)).into_bytes(),
    }
}

fn ruleset(jail: &Jail) -> io::Result<OwnedFd> {
    let abi = WANTED_ABI;
    let read = AccessFs::from_read(abi);
    let device = AccessFs::from_file(abi) & !AccessFs::Execute;
    let program = AccessFs::ReadFile | AccessFs::Execute;
    let mut rules: Vec<(PathBuf, landlock::BitFlags<AccessFs>)> = readable_roots(&jail.hidden)
        .into_iter()
        .map(|root| (root, read))
        .collect();
    rules.push((jail.scratch.clone(), AccessFs::from_all(abi)));
    rules.extend(jail.programs.iter().map(|p| (p.clone(), program)));
    rules.extend(DEVICES.iter().map(|d| (PathBuf::from(d), device)));

    let mut created = Ruleset::default()
        .handle_access(AccessFs::from_all(abi))
        .and_then(|r| r.scope(Scope::from_all(abi)))
        .and_then(|r| r.create())
        .map_err(io::Error::other)?;
    for (path, access) in rules {
        // A path that vanished is simply not allowed.
        let Ok(fd) = PathFd::new(&path) else { continue };
        created = created
            .add_rule(PathBeneath::new(fd, access))
            .map_err(io::Error::other)?;
    }
    let fd: Option<OwnedFd> = created.into();
    fd.ok_or_else(|| io::Error::other("the kernel accepted no Landlock ruleset"))
}

/// The largest folders that hold none of `hidden`: walking down from `/`, a folder with a
/// hidden folder somewhere below it is replaced by its children, except the hidden one.
/// Landlock only grants, so this is how "everything but these" is said.
pub fn readable_roots(hidden: &[PathBuf]) -> Vec<PathBuf> {
    let hidden: Vec<PathBuf> = hidden
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let mut roots = Vec::new();
    split(Path::new("/"), &hidden, &mut roots);
    roots
}

fn split(dir: &Path, hidden: &[PathBuf], roots: &mut Vec<PathBuf>) {
    if hidden.iter().any(|h| h == dir) {
        return;
    }
    if !hidden.iter().any(|h| h.starts_with(dir)) {
        roots.push(dir.to_path_buf());
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // Symbolic links are followed by the kernel when the program opens through them, and
        // their targets are allowed or not on their own; the link itself needs no rule.
        if entry.file_type().is_ok_and(|t| t.is_symlink()) {
            continue;
        }
        split(&path, hidden, roots);
    }
}

/// Runs in the child between `fork` and `exec`: only system calls, no allocation.
pub(crate) fn enter(prepared: &Prepared) -> io::Result<()> {
    if let Some((maps, sender)) = &prepared.namespaces {
        isolate_network(maps)?;
        sender.send()?;
    }
    if let Some(ruleset) = &prepared.landlock {
        restrict(ruleset)?;
    }
    Ok(())
}

fn restrict(ruleset: &OwnedFd) -> io::Result<()> {
    // SAFETY: prctl and landlock_restrict_self take integers and a descriptor we own; both
    // are plain system calls, allowed between fork and exec.
    unsafe {
        if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 {
            return Err(io::Error::last_os_error());
        }
        if libc::syscall(libc::SYS_landlock_restrict_self, ruleset.as_raw_fd(), 0) != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// A user and network namespace of its own, with `lo` up.
fn isolate_network(maps: &IdMaps) -> io::Result<()> {
    // SAFETY: unshare takes flags only; the child of fork is single-threaded, as
    // CLONE_NEWUSER requires.
    if unsafe { libc::unshare(libc::CLONE_NEWUSER | libc::CLONE_NEWNET) } != 0 {
        return Err(io::Error::last_os_error());
    }
    write_proc(c"/proc/self/uid_map", &maps.uid_map)?;
    write_proc(c"/proc/self/setgroups", b"deny")?;
    write_proc(c"/proc/self/gid_map", &maps.gid_map)?;
    loopback_up()
}

fn write_proc(path: &std::ffi::CStr, bytes: &[u8]) -> io::Result<()> {
    // SAFETY: open/write/close on a NUL-terminated path and a live buffer.
    unsafe {
        let fd = libc::open(path.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        let written = libc::write(fd, bytes.as_ptr().cast(), bytes.len());
        let err = io::Error::last_os_error();
        libc::close(fd);
        if written != bytes.len() as isize {
            return Err(err);
        }
    }
    Ok(())
}

/// `struct ifreq` with its flags member, as SIOCGIFFLAGS / SIOCSIFFLAGS use it.
#[repr(C)]
struct IfFlags {
    name: [libc::c_char; libc::IFNAMSIZ],
    flags: libc::c_short,
    _pad: [u8; 22],
}

fn loopback_up() -> io::Result<()> {
    let mut req = IfFlags {
        name: [0; libc::IFNAMSIZ],
        flags: 0,
        _pad: [0; 22],
    };
    for (dst, src) in req.name.iter_mut().zip(b"lo") {
        *dst = *src as libc::c_char;
    }
    // SAFETY: a datagram socket used only for the two ioctls on a live, correctly laid out
    // ifreq, then closed.
    unsafe {
        let sock = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if sock < 0 {
            return Err(io::Error::last_os_error());
        }
        let ok = libc::ioctl(sock, libc::SIOCGIFFLAGS, &mut req) == 0 && {
            req.flags |= (libc::IFF_UP | libc::IFF_RUNNING) as libc::c_short;
            libc::ioctl(sock, libc::SIOCSIFFLAGS, &req) == 0
        };
        let err = io::Error::last_os_error();
        libc::close(sock);
        if !ok {
            return Err(err);
        }
    }
    Ok(())
}

/// Whether a child can get a network namespace of its own: tried once, in a throwaway child.
pub(crate) fn probe_network() -> Layer {
    use std::os::unix::process::CommandExt;
    let Some(true_bin) = ["/bin/true", "/usr/bin/true"]
        .iter()
        .map(Path::new)
        .find(|p| p.exists())
    else {
        return Layer::Missing("no /bin/true to try a network namespace with".into());
    };
    let maps = id_maps();
    let mut cmd = std::process::Command::new(true_bin);
    cmd.stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    // SAFETY: `isolate_network` makes only system calls and does not allocate.
    unsafe {
        cmd.pre_exec(move || isolate_network(&maps));
    }
    // Known to the registry, so that no run's orphan sweep takes it for a leftover.
    let status = super::registry::spawn_foreground(&mut cmd).and_then(|mut child| {
        let status = child.wait();
        super::registry::forget_foreground(i32::try_from(child.id()).unwrap_or(-1));
        status
    });
    match status {
        Ok(status) if status.success() => Layer::InForce,
        Ok(status) => Layer::Missing(format!("a test child failed ({status})")),
        Err(e) => Layer::Missing(format!(
            "the kernel refused a user and network namespace ({e}); on Ubuntu, unprivileged \
             user namespaces may be restricted by AppArmor \
             (kernel.apparmor_restrict_unprivileged_userns)"
        )),
    }
}
