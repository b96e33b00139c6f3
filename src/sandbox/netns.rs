//! A confined run's network namespace, handed to concur by the child itself.
//!
//! The child makes its namespace between `fork` and `exec`. Reading it from `/proc` once
//! `spawn` returns is too late: a program that ends at once is a zombie by then, and a zombie
//! has no namespaces, so its leftovers would belong to no run. So the child opens its own
//! `/proc/self/ns/net` before `exec` and sends the descriptor over a socket pair
//! (SCM_RIGHTS). concur holds it while the run is registered, which also keeps the kernel
//! from giving the namespace's number to a later one: the kernel reuses a freed number at
//! once, and a run still sweeping for its leftovers must never meet a newer run under its own.
//!
//! In: a [`pair`] made before `fork`. Out: in the child, [`Sender::send`] (system calls only);
//! in concur, [`Receiver::receive`] gives the held [`Netns`] and its number.

use std::fs::File;
use std::io::{self, IoSliceMut};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::fs::MetadataExt;

use nix::sys::socket::{
    recvmsg, socketpair, AddressFamily, ControlMessageOwned, MsgFlags, SockFlag, SockType,
};

/// The child's end: sends the namespace it is in.
pub(crate) struct Sender(OwnedFd);

/// concur's end: takes the namespace the child sent.
pub(crate) struct Receiver(OwnedFd);

/// A network namespace held open: its number cannot be reused while this lives.
pub(crate) struct Netns {
    pub(crate) inode: u64,
    _held: File,
}

/// Both ends, close-on-exec: the program the child becomes never sees either.
pub(crate) fn pair() -> io::Result<(Sender, Receiver)> {
    let (child, concur) = socketpair(
        AddressFamily::Unix,
        SockType::Datagram,
        None,
        SockFlag::SOCK_CLOEXEC,
    )?;
    Ok((Sender(child), Receiver(concur)))
}

/// Room for one descriptor's control message, aligned as `cmsghdr` needs.
#[repr(C, align(8))]
struct OneFd([u8; unsafe { libc::CMSG_SPACE(std::mem::size_of::<RawFd>() as u32) } as usize]);

impl Sender {
    /// Runs in the child between `fork` and `exec`, after it entered its namespace: open,
    /// sendmsg and close on buffers of the stack, no allocation.
    pub(crate) fn send(&self) -> io::Result<()> {
        // SAFETY: every pointer is to a live stack value of the right layout; CMSG_FIRSTHDR
        // of a msghdr whose control buffer holds one CMSG_SPACE is non-null and in bounds.
        unsafe {
            let ns = libc::open(
                c"/proc/self/ns/net".as_ptr(),
                libc::O_RDONLY | libc::O_CLOEXEC,
            );
            if ns < 0 {
                return Err(io::Error::last_os_error());
            }
            let mut byte = [0u8; 1];
            let mut iov = libc::iovec {
                iov_base: byte.as_mut_ptr().cast(),
                iov_len: 1,
            };
            let mut control = OneFd([0; std::mem::size_of::<OneFd>()]);
            let mut msg: libc::msghdr = std::mem::zeroed();
            msg.msg_iov = &mut iov;
            msg.msg_iovlen = 1;
            msg.msg_control = control.0.as_mut_ptr().cast();
            msg.msg_controllen = control.0.len() as _;
            let cmsg = libc::CMSG_FIRSTHDR(&msg);
            (*cmsg).cmsg_level = libc::SOL_SOCKET;
            (*cmsg).cmsg_type = libc::SCM_RIGHTS;
            (*cmsg).cmsg_len = libc::CMSG_LEN(std::mem::size_of::<RawFd>() as u32) as _;
            std::ptr::write_unaligned(libc::CMSG_DATA(cmsg).cast::<RawFd>(), ns);
            let sent = libc::sendmsg(self.0.as_raw_fd(), &msg, 0);
            let err = io::Error::last_os_error();
            libc::close(ns);
            if sent != 1 {
                return Err(err);
            }
        }
        Ok(())
    }
}

impl Receiver {
    /// In concur once `spawn` returned (the child sent before `exec`, so the message is
    /// there if it ever will be): the namespace, or `None` if nothing came.
    pub(crate) fn receive(self) -> Option<Netns> {
        let mut byte = [0u8; 1];
        let mut iov = [IoSliceMut::new(&mut byte)];
        let mut space = nix::cmsg_space!(RawFd);
        let msg = recvmsg::<()>(
            self.0.as_raw_fd(),
            &mut iov,
            Some(&mut space),
            MsgFlags::MSG_DONTWAIT | MsgFlags::MSG_CMSG_CLOEXEC,
        )
        .ok()?;
        let fd = msg.cmsgs().ok()?.find_map(|cmsg| match cmsg {
            ControlMessageOwned::ScmRights(fds) => fds.first().copied(),
            _ => None,
        })?;
        // SAFETY: SCM_RIGHTS gave this process a new descriptor that nothing else owns.
        let held = unsafe { File::from_raw_fd(fd) };
        let inode = held.metadata().ok()?.ino();
        Some(Netns { inode, _held: held })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sent_namespace_arrives_with_its_number() {
        let (sender, receiver) = pair().expect("a socket pair");
        sender.send().expect("sends");
        let netns = receiver.receive().expect("arrives");
        let own = std::fs::metadata("/proc/self/ns/net").expect("stat").ino();
        assert_eq!(netns.inode, own);
    }

    #[test]
    fn nothing_sent_is_nothing_received() {
        let (_sender, receiver) = pair().expect("a socket pair");
        assert!(receiver.receive().is_none());
    }
}
