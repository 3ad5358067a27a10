//! The real window as a process, under a virtual X server: ended by
//! SIGTERM right after an edit or while evidence is being typed, it records
//! and saves first, leaves no lock and notes a clean exit; killed by
//! SIGKILL, the text being typed is on disk and offered back. Skipped,
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

/// One window test at a time: X servers started together can race for a
/// display, and a window found by its title could be another test's.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The release-style program on a virtual X server, with a plan open.
struct Window {
    // Dropped in order: the program before its X server, then the turn.
    app: Reaped,
    _x: Reaped,
    _turn: std::sync::MutexGuard<'static, ()>,
    display: String,
    window: String,
    assessment: std::path::PathBuf,
}

impl Window {
    /// Starts an X server and the program on the strong example, in `d`
    /// (its home, data and key folders). None where the tools are missing
    /// (never under CI).
    fn start(d: &std::path::Path) -> Option<Window> {
        if !installed("Xvfb") || !installed("xdotool") {
            return None;
        }
        // An X server another test run on this machine started at the same
        // moment can take the display this one was given: tried again on a
        // fresh server, up to three times, before that counts as a failure.
        for _ in 0..2 {
            if let Some(w) = Window::try_start(d) {
                return Some(w);
            }
        }
        Some(Window::try_start(d).unwrap_or_else(|| {
            let said = std::fs::read_to_string(d.join("program.log")).unwrap_or_default();
            panic!("the window could not reach its X server three times:\n{said}")
        }))
    }

    /// One try: None when the program ended before its window appeared.
    fn try_start(d: &std::path::Path) -> Option<Window> {
        let turn = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
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
        if !plan.exists() {
            let bytes = csu_assess::examples::find("northern-star-full").expect("e").workbook().expect("w");
            std::fs::write(&plan, bytes).expect("written");
        }
        // The assessor's name, as the window keeps it between runs: a new
        // assessment would otherwise wait for it (the prompt is tested
        // through the widgets in tests/gui.rs).
        let storage = d.join("data/csuassess");
        std::fs::create_dir_all(&storage).expect("storage folder");
        std::fs::write(storage.join("app.ron"), "{\"csu-assess-prefs\":\"(assessor:\\\"Test Assessor\\\")\"}")
            .expect("preferences written");
        let app = Reaped(
            Command::new(env!("CARGO_BIN_EXE_csu-assess"))
                .arg(&plan)
                .env("DISPLAY", &display)
                .env("HOME", d)
                .env("XDG_DATA_HOME", d.join("data"))
                .env("XDG_CONFIG_HOME", d.join("config"))
                .env("CSU_ASSESS_KEY_DIR", d.join("keys"))
                .stdout(Stdio::null())
                .stderr(std::fs::File::create(d.join("program.log")).expect("log"))
                .spawn()
                .expect("the window starts"),
        );
        let assessment = d.join("plan.csuassess");
        let mut w = Window { app, _x: x, _turn: turn, display, window: String::new(), assessment };
        let mut ended = false;
        wait_for("the window appearing", Duration::from_secs(120), || {
            if let Ok(Some(_)) = w.app.0.try_wait() {
                ended = true;
                return true;
            }
            w.window = String::from_utf8_lossy(&w.xdo(&["search", "--name", "CSU Assess"]).stdout)
                .lines()
                .next()
                .unwrap_or_default()
                .to_string();
            !w.window.is_empty()
        });
        if ended {
            return None;
        }
        std::thread::sleep(Duration::from_millis(1500));
        w.xdo(&["windowfocus", &w.window.clone()]);
        std::thread::sleep(Duration::from_millis(800));
        // Slow on a machine busy with the other tests: software rendering and a
        // debug build share two cores with them.
        wait_for("the plan opening", Duration::from_secs(240), || w.assessment.exists());
        std::thread::sleep(Duration::from_millis(800));
        Some(w)
    }

    fn xdo(&self, args: &[&str]) -> std::process::Output {
        Command::new("xdotool").env("DISPLAY", &self.display).args(args).output().expect("xdotool")
    }

    /// Presses keys, then gives the window time to draw.
    fn keys(&self, keys: &str, settle_ms: u64) {
        self.xdo(&["key", keys]);
        std::thread::sleep(Duration::from_millis(settle_ms));
    }

    fn type_text(&self, text: &str) {
        self.xdo(&["type", "--delay", "20", text]);
    }

    /// Scores the first criterion 3 by key, then types its evidence.
    fn score_and_type_evidence(&self) {
        self.keys("ctrl+2", 1200);
        self.keys("3", 800);
        self.keys("alt+e", 500);
        self.type_text(TYPED);
    }

    fn signal(&mut self, signal: &str) {
        let pid = self.app.0.id().to_string();
        assert!(Command::new("kill").args([signal, &pid]).status().expect("kill").success());
        let mut ended = false;
        wait_for("the program ending after the signal", Duration::from_secs(15), || {
            ended = self.app.0.try_wait().ok().flatten().is_some();
            ended
        });
    }
}

#[test]
fn sigterm_right_after_an_edit_saves_it_and_leaves_no_lock() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let Some(mut w) = Window::start(d) else { return };
    w.keys("ctrl+2", 1200);
    w.keys("4", 0);
    // Sooner than the 0.3 s autosave: only the signal handler can save it.
    std::thread::sleep(Duration::from_millis(100));
    w.signal("-TERM");
    let saved = csu_assess::store::load(&w.assessment).expect("the assessment loads");
    assert_eq!(saved.scores.len(), 1, "the edit made just before SIGTERM is on disk");
    assert_eq!(saved.assessors[0].name, "Test Assessor", "the name the window kept");
    assert!(!d.join("plan.csuassess.lock").exists(), "no lock file is left");
    let prefs = std::fs::read_to_string(d.join("data/csuassess/app.ron")).expect("the preferences were kept");
    assert!(prefs.contains("clean_exit:true"), "a signal is a clean exit, not a crash: {prefs}");
}

const TYPED: &str = "MD and FD appointed in March";

/// Evidence being typed when SIGTERM arrives, before any autosave, is
/// recorded and saved by the signal's way out.
#[test]
fn sigterm_while_evidence_is_being_typed_records_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(mut w) = Window::start(dir.path()) else { return };
    w.score_and_type_evidence();
    std::thread::sleep(Duration::from_millis(100));
    w.signal("-TERM");
    let saved = csu_assess::store::load(&w.assessment).expect("the assessment loads");
    assert_eq!(saved.scores.len(), 1);
    assert_eq!(saved.scores[0].evidence, TYPED, "the text being typed is on the record");
    assert!(!csu_assess::ui::drafts::side_file(&w.assessment).exists(), "recorded, so no draft is left");
}

/// After SIGKILL, which no program can answer, the text typed a second
/// before is in the side file, and opening the assessment again puts it back.
#[test]
fn after_sigkill_the_text_being_typed_is_offered_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let Some(mut w) = Window::start(d) else { return };
    w.score_and_type_evidence();
    std::thread::sleep(Duration::from_millis(1000));
    w.signal("-KILL");
    let side = csu_assess::ui::drafts::side_file(&w.assessment);
    let kept = std::fs::read_to_string(&side).expect("the side file was written within a second");
    assert!(kept.contains(TYPED), "{kept}");
    let saved = csu_assess::store::load(&w.assessment).expect("the assessment loads");
    assert_eq!(saved.scores[0].evidence, "", "not recorded: the program was killed while it was being typed");

    // The next start, on the same computer: its data folder and its key.
    let mut h = crate::gui::harness(&d.join("data"), Default::default());
    h.state_mut().identity = Some(csu_assess::keys::Identity::load_or_create(&d.join("keys")).expect("the key"));
    h.state_mut().open(&w.assessment);
    crate::gui::settle(&mut h);
    let evidence = csu_assess::ui::drafts::Field::Evidence { criterion: saved.scores[0].criterion.clone() };
    assert_eq!(h.state().drafts.pending_text(&evidence), Some(TYPED), "{}", crate::gui::messages(&h));
    assert!(crate::gui::messages(&h).contains("Put back text typed here"));
}
