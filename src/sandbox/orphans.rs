//! Processes a program left behind, found wherever they went.
//!
//! concur is the subreaper of everything it starts (see `unix::ensure_subreaper`): a process
//! whose parent dies comes back to concur as its child, whatever session or process group it
//! moved to (`setsid`, a double fork). So once a sandboxed program's main process has ended,
//! everything it left running is a child of concur that no live run or tracked tool owns — or a
//! descendant of one. [`sweep`] finds those, kills each with its whole subtree, reaps them, and
//! says how many were alive.
//!
//! Which run an orphan belongs to: each confined run has a network namespace of its own, which
//! every descendant keeps (or trades for one it makes: never for concur's), so an orphan in
//! another live run's namespace is left to that run, and a confined run leaves alone what is in
//! concur's own namespace. Without network namespaces every unowned orphan is taken by the run
//! that just ended.
//!
//! In: the process table (`/proc`) and the registry of live runs and foreground children, read
//! at one moment (see [`sweep`]). Out: the pids that were alive, and no orphans.

use std::collections::{HashMap, HashSet};
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{kill, Signal};
use nix::sys::wait::{waitpid, WaitPidFlag};
use nix::unistd::Pid;

use super::registry;

/// One row of the process table.
struct Proc {
    pid: i32,
    ppid: i32,
    pgrp: i32,
    zombie: bool,
    /// Its network namespace, for concur's live descendants (`None` once it has died).
    netns: Option<u64>,
}

/// Kills and reaps every orphan that is not another live run's, with its descendants, until
/// none is left or `limit` passes. `own_netns` is the network namespace of the run that just
/// ended (so that run's orphans are told from others'). Returns those that were alive.
pub(crate) fn sweep(own_pid: i32, own_netns: Option<u64>, limit: Duration) -> HashSet<i32> {
    let me = std::process::id() as i32;
    let concur_netns = netns(me);
    let deadline = Instant::now() + limit;
    let mut killed: HashSet<i32> = HashSet::new();
    loop {
        // The table and the registry at one moment: read apart, a run started or ended in
        // between would look like an orphan here, and be killed and reaped under its runner.
        let (table, members) = registry::members_while(processes);
        let owned: HashSet<i32> = members.iter().map(|(pid, _)| *pid).collect();
        let others: HashSet<u64> = members
            .iter()
            .filter(|(pid, _)| *pid != own_pid)
            .filter_map(|(_, ns)| *ns)
            .collect();
        let unowned = |p: &&Proc| p.ppid == me && !owned.contains(&p.pid);
        // Dead already, whoever killed it: reaped by anyone, counted by none.
        for dead in table.iter().filter(unowned).filter(|p| p.zombie) {
            let _ = waitpid(Pid::from_raw(dead.pid), Some(WaitPidFlag::WNOHANG));
        }
        // Anything alive in the run's own namespace and out of its group (the group was
        // counted and killed before) is its leftover, whoever its parent is now: a process
        // still on its way back to concur (its parent exiting) is found too.
        let in_own_namespace = |p: &&Proc| {
            own_netns.is_some()
                && p.netns == own_netns
                && p.pgrp != own_pid
                && !p.zombie
                && !owned.contains(&p.pid)
        };
        let orphans: Vec<&Proc> = table
            .iter()
            .filter(unowned)
            .filter(|p| !p.zombie)
            // Still in another live run's group: that run kills it with its group.
            .filter(|p| p.pgrp == own_pid || !owned.contains(&p.pgrp))
            // A confined run's leftovers stay in its namespace or one they made; concur's own
            // namespace holds only the leftovers of runs that share it. No namespace: it died
            // while the table was read.
            .filter(|p| match p.netns {
                Some(ns) if Some(ns) == own_netns => true,
                Some(ns) if own_netns.is_some() && Some(ns) == concur_netns => false,
                Some(ns) => !others.contains(&ns),
                None => false,
            })
            .chain(table.iter().filter(in_own_namespace))
            .collect();
        if orphans.is_empty() {
            break;
        }
        let children = children_of(&table);
        for orphan in &orphans {
            for pid in subtree(orphan.pid, &children) {
                let alive = table.iter().any(|p| p.pid == pid && !p.zombie);
                if alive && kill(Pid::from_raw(pid), Signal::SIGKILL).is_ok() {
                    killed.insert(pid);
                }
            }
        }
        for orphan in &orphans {
            // Only these exact pids: other runs' main processes are reaped by their own
            // waiters, never here.
            let _ = waitpid(Pid::from_raw(orphan.pid), Some(WaitPidFlag::WNOHANG));
        }
        if Instant::now() >= deadline {
            break;
        }
        thread::sleep(Duration::from_millis(2));
    }
    killed
}

/// Kills every child of concur and their descendants, owned or not (Ctrl-C).
pub(crate) fn kill_all_descendants() {
    let me = std::process::id() as i32;
    let table = processes();
    let children = children_of(&table);
    for pid in subtree(me, &children).into_iter().filter(|&p| p != me) {
        let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
    }
}

fn children_of(table: &[Proc]) -> HashMap<i32, Vec<i32>> {
    let mut children: HashMap<i32, Vec<i32>> = HashMap::new();
    for p in table {
        children.entry(p.ppid).or_default().push(p.pid);
    }
    children
}

/// `root` and every process below it.
fn subtree(root: i32, children: &HashMap<i32, Vec<i32>>) -> Vec<i32> {
    let mut found = vec![root];
    let mut i = 0;
    while i < found.len() {
        if let Some(kids) = children.get(&found[i]) {
            found.extend(
                kids.iter()
                    .filter(|k| !found.contains(k))
                    .copied()
                    .collect::<Vec<_>>(),
            );
        }
        i += 1;
    }
    found
}

/// Every process the kernel lists; the network namespace is read for concur's live
/// descendants only, the one set a sweep looks at.
fn processes() -> Vec<Proc> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut table: Vec<Proc> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            parse_stat(pid, &stat)
        })
        .collect();
    let mine: HashSet<i32> = subtree(std::process::id() as i32, &children_of(&table))
        .into_iter()
        .collect();
    for p in table
        .iter_mut()
        .filter(|p| !p.zombie && mine.contains(&p.pid))
    {
        p.netns = netns(p.pid);
    }
    table
}

/// `pid (comm) state ppid …`; the command name may hold spaces and parentheses, so fields are
/// counted from the last `)`.
fn parse_stat(pid: i32, stat: &str) -> Option<Proc> {
    let close = stat.rfind(')')?;
    let mut fields = stat[close + 1..].split_whitespace();
    let state = fields.next()?;
    let ppid = fields.next()?.parse().ok()?;
    let pgrp = fields.next()?.parse().ok()?;
    Some(Proc {
        pid,
        ppid,
        pgrp,
        zombie: matches!(state, "Z" | "X"),
        netns: None,
    })
}

/// The inode of the network namespace `pid` is in.
pub(crate) fn netns(pid: i32) -> Option<u64> {
    let link = std::fs::read_link(format!("/proc/{pid}/ns/net")).ok()?;
    let text = link.to_str()?;
    text.strip_prefix("net:[")?.strip_suffix(']')?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_lines_with_odd_names_parse() {
        let p = parse_stat(12, "12 (a) b) S 7 77 77 0").expect("parses");
        assert_eq!((p.pid, p.ppid, p.pgrp, p.zombie), (12, 7, 77, false));
        assert!(parse_stat(3, "3 (sleep) Z 1 3 3").expect("parses").zombie);
    }

    #[test]
    fn a_subtree_holds_every_descendant_once() {
        let table = [(2, 1), (3, 2), (4, 2), (5, 4), (6, 1)].map(|(pid, ppid)| Proc {
            pid,
            ppid,
            pgrp: pid,
            zombie: false,
            netns: None,
        });
        let mut below = subtree(2, &children_of(&table));
        below.sort();
        assert_eq!(below, [2, 3, 4, 5]);
    }

    #[test]
    fn this_process_has_a_network_namespace() {
        assert!(netns(std::process::id() as i32).is_some());
    }
}
