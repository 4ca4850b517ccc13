//! A pseudo-terminal for tests that drive `new` as a person does (used by the interview
//! tests and the entry-point matrix).
#![allow(dead_code)]

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, RawFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A johas-claim process on a pseudo-terminal, driven as a person at a keyboard.
pub struct Pty {
    master: File,
    child: Child,
    out: Arc<Mutex<Vec<u8>>>,
    pos: usize,
    /// The thread copying the terminal's output; it ends when the process has closed it.
    reader: Option<std::thread::JoinHandle<()>>,
}

pub fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\x1b' {
            if it.peek() == Some(&'[') {
                it.next();
                for d in it.by_ref() {
                    if d.is_ascii_alphabetic() || d == '~' {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

impl Pty {
    pub fn spawn(args: &[&str], dir: &Path) -> Pty {
        Pty::spawn_sized(args, dir, 160, 50)
    }

    /// On a terminal of `cols` × `rows`.
    pub fn spawn_sized(args: &[&str], dir: &Path, cols: u16, rows: u16) -> Pty {
        Pty::spawn_full(args, dir, cols, rows, None)
    }

    /// As [`Pty::spawn`], with stdout redirected to `stdout` when given (stdin and stderr
    /// stay on the terminal).
    pub fn spawn_with_stdout(args: &[&str], dir: &Path, stdout: Option<File>) -> Pty {
        Pty::spawn_full(args, dir, 160, 50, stdout)
    }

    fn spawn_full(args: &[&str], dir: &Path, cols: u16, rows: u16, stdout: Option<File>) -> Pty {
        let (mut master, mut slave): (RawFd, RawFd) = (0, 0);
        let ws = libc::winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        let rc = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                &ws,
            )
        };
        assert_eq!(rc, 0, "openpty");
        let io = |fd: RawFd| unsafe { Stdio::from_raw_fd(libc::dup(fd)) };
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_johas-claim"));
        cmd.args(args)
            .current_dir(dir)
            .env("TERM", "xterm-256color")
            .env_remove("JOHAS_TODAY")
            .stdin(io(slave))
            .stdout(match stdout {
                Some(f) => Stdio::from(f),
                None => io(slave),
            })
            .stderr(io(slave));
        unsafe {
            cmd.pre_exec(|| {
                libc::setsid();
                libc::ioctl(0, libc::TIOCSCTTY as _, 0);
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn johas-claim");
        unsafe { libc::close(slave) };
        let master = unsafe { File::from_raw_fd(master) };
        let out = Arc::new(Mutex::new(Vec::new()));
        let (mut r, o) = (master.try_clone().unwrap(), out.clone());
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = r.read(&mut buf) {
                if n == 0 {
                    break;
                }
                o.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Pty {
            master,
            child,
            out,
            pos: 0,
            reader: Some(reader),
        }
    }

    pub fn screen(&self) -> String {
        strip_ansi(&String::from_utf8_lossy(&self.out.lock().unwrap()))
    }

    /// Waits until `s` appears after the previous match.
    pub fn expect(&mut self, s: &str) {
        let start = Instant::now();
        loop {
            let text = self.screen();
            if let Some(i) = text.get(self.pos..).and_then(|t| t.find(s)) {
                self.pos += i + s.len();
                return;
            }
            if start.elapsed() > Duration::from_secs(30) {
                panic!("timed out waiting for {s:?}; screen:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn send(&mut self, s: &str) {
        self.master.write_all(s.as_bytes()).unwrap();
        self.master.flush().unwrap();
        std::thread::sleep(Duration::from_millis(60));
    }

    pub fn answer(&mut self, prompt: &str, keys: &str) {
        self.expect(prompt);
        std::thread::sleep(Duration::from_millis(40));
        self.send(keys);
    }

    pub fn wait(&mut self) -> i32 {
        let start = Instant::now();
        loop {
            if let Some(st) = self.child.try_wait().unwrap() {
                self.drain();
                return st.code().unwrap_or(-1);
            }
            if start.elapsed() > Duration::from_secs(60) {
                let _ = self.child.kill();
                panic!("johas-claim new did not finish; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Pty {
    /// Whether the process has ended.
    pub fn done(&mut self) -> bool {
        self.child.try_wait().unwrap().is_some()
    }

    /// After the process has ended: waits until everything it wrote has been read (the
    /// copying thread lags behind the process on a busy machine).
    pub fn drain(&mut self) {
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
    }
}
