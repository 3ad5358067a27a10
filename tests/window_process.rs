//! The real window as a process, under a virtual X server: ended by
//! SIGTERM right after an edit, it saves first and leaves no lock. Skipped,
//! with the reason printed, where Xvfb or xdotool is not installed, except
//! under CI, where that fails (`util::tool`).

use crate::util::installed;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Ends a child when dropped, so a failing test leaves no X server behind:
/// SIGTERM first, so an X server removes its lock file.
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.0.id().to_string()]).status();
        for _ in 0..50 {
            if self.0.try_wait().ok().flatten().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_for(what: &str, limit: Duration, mut ready: impl FnMut() -> bool) {
    let started = Instant::now();
    while !ready() {
        assert!(started.elapsed() < limit, "{what} did not happen within {limit:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn sigterm_right_after_an_edit_saves_it_and_leaves_no_lock() {
    if !installed("Xvfb") || !installed("xdotool") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    // The server picks a free display and says which (-displayfd).
    let mut x = Reaped(
        Command::new("Xvfb")
            .args(["-displayfd", "1", "-screen", "0", "1366x768x24", "-nolisten", "tcp"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb starts"),
    );
    let mut number = String::new();
    let stdout = x.0.stdout.take().expect("the display number");
    std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut number).expect("read");
    let display = format!(":{}", number.trim());
    let plan = d.join("plan.xlsx");
    let bytes = csu_assess::examples::find("northern-star-full").expect("e").workbook().expect("w");
    std::fs::write(&plan, bytes).expect("written");
    let mut app = Reaped(
        Command::new(env!("CARGO_BIN_EXE_csu-assess"))
            .arg(&plan)
            .env("DISPLAY", &display)
            .env("HOME", d)
            .env("XDG_DATA_HOME", d.join("data"))
            .env("XDG_CONFIG_HOME", d.join("config"))
            .env("CSU_ASSESS_KEY_DIR", d.join("keys"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the window starts"),
    );
    let assessment = d.join("plan.csuassess");
    wait_for("the plan opening", Duration::from_secs(60), || assessment.exists());
    let xdo = |args: &[&str]| Command::new("xdotool").env("DISPLAY", &display).args(args).output().expect("xdotool");
    let mut window = String::new();
    wait_for("the window appearing", Duration::from_secs(30), || {
        window = String::from_utf8_lossy(&xdo(&["search", "--name", "CSU Assess"]).stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .to_string();
        !window.is_empty()
    });
    std::thread::sleep(Duration::from_millis(1500));
    xdo(&["windowfocus", &window]);
    std::thread::sleep(Duration::from_millis(800));
    xdo(&["key", "ctrl+2"]);
    std::thread::sleep(Duration::from_millis(1200));
    xdo(&["key", "4"]);
    // Sooner than the 0.3 s autosave: only the signal handler can save it.
    std::thread::sleep(Duration::from_millis(100));
    let pid = app.0.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().expect("kill").success());
    let mut ended = false;
    wait_for("the window closing after SIGTERM", Duration::from_secs(15), || {
        ended = app.0.try_wait().ok().flatten().is_some();
        ended
    });
    let saved = csu_assess::store::load(&assessment).expect("the assessment loads");
    assert_eq!(saved.scores.len(), 1, "the edit made just before SIGTERM is on disk");
    assert!(!d.join("plan.csuassess.lock").exists(), "no lock file is left");
}
