//! Ctrl-C and SIGTERM: the one handler of the process.
//!
//! Outside an interruptible section the handler removes every registered temporary path,
//! prints the registered message (if any) and exits with 130. Inside one (a write in
//! progress, or a whole `packet BOOK` run) it only sets a flag: the writer puts back what it
//! did at its next step and the command says what was not written. A second signal exits at
//! once.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, Once};

struct Signals {
    active: usize,
    interrupted: bool,
    /// Temporary files and directories to remove when exiting on a signal.
    temps: Vec<PathBuf>,
    /// Printed on stderr when exiting on a signal.
    message: Option<String>,
}

static SIGNALS: Mutex<Signals> = Mutex::new(Signals {
    active: 0,
    interrupted: false,
    temps: Vec::new(),
    message: None,
});

fn signals() -> MutexGuard<'static, Signals> {
    SIGNALS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Installs the Ctrl-C / SIGTERM handler (once per process).
pub fn install_interrupt_handler() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            let mut s = signals();
            if s.active > 0 && !s.interrupted {
                s.interrupted = true;
                return;
            }
            for p in &s.temps {
                remove_any(p);
            }
            if let Some(m) = &s.message {
                use std::io::Write;
                let _ = std::io::stderr().write_all(m.as_bytes());
            }
            std::process::exit(130);
        });
    });
}

/// What to say when a signal ends the process (`None`: nothing).
pub fn set_interrupt_message(message: Option<&str>) {
    signals().message = message.map(str::to_string);
}

/// True once an interrupt arrived during an interruptible section.
pub fn interrupted() -> bool {
    signals().interrupted
}

/// While alive, a signal only sets [`interrupted`] (the caller stops and says so).
pub struct Interruptible(());

/// Starts an interruptible section (nested sections are fine).
pub fn interruptible() -> Interruptible {
    signals().active += 1;
    Interruptible(())
}

impl Drop for Interruptible {
    fn drop(&mut self) {
        signals().active -= 1;
    }
}

/// Registers a temporary path (removed if a signal ends the process).
pub(crate) fn register_temp(path: &Path) {
    signals().temps.push(path.to_path_buf());
}

pub(crate) fn unregister_temp(path: &Path) {
    signals().temps.retain(|p| p != path);
}

/// Removes a file, or a directory with its contents.
pub(crate) fn remove_any(p: &Path) {
    match fs::symlink_metadata(p) {
        Ok(m) if m.is_dir() => {
            let _ = fs::remove_dir_all(p);
        }
        Ok(_) => {
            let _ = fs::remove_file(p);
        }
        Err(_) => {}
    }
}
