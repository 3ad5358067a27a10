//! The shape of the build, from its dependency tree. Offline, always: no
//! HTTP client, TLS stack, websocket or network-socket crate is built in.
//! (zbus is there: the accessibility layer and the file dialog speak D-Bus,
//! a local bus, never the network.) And the domain library is apart from
//! the window: without the `window` feature, no eframe, egui or rfd.

/// The crates `deny.toml` bans, the one list `cargo deny` also enforces.
fn banned() -> Vec<String> {
    let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("deny.toml"))
        .expect("deny.toml is committed");
    let deny: toml::Table = toml::from_str(&text).expect("deny.toml parses");
    let list = deny["bans"]["deny"].as_array().expect("[bans] deny is a list");
    list.iter().map(|e| e["crate"].as_str().expect("each ban names a crate").to_string()).collect()
}

/// The banned crates a lock file names.
fn banned_in(lock: &str) -> Vec<String> {
    let banned = banned();
    assert!(banned.iter().any(|b| b == "reqwest") && banned.len() > 15, "the ban list was read: {banned:?}");
    lock.lines()
        .filter_map(|l| l.strip_prefix("name = \"").and_then(|r| r.strip_suffix('"')))
        .filter(|n| banned.iter().any(|b| b == n))
        .map(str::to_string)
        .collect()
}

#[test]
fn no_crate_that_talks_to_a_network_is_in_the_dependency_tree() {
    let lock = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock"))
        .expect("Cargo.lock is committed");
    assert!(lock.matches("[[package]]").count() > 100, "the lock file was read");
    let found = banned_in(&lock);
    assert!(found.is_empty(), "network crates in the dependency tree: {found:?}");
    let planted = format!("{lock}\n[[package]]\nname = \"rustls\"\nversion = \"0.23.0\"\n");
    assert_eq!(banned_in(&planted), ["rustls"], "a TLS stack slipped into the lock file is caught");
}

#[test]
fn the_domain_library_builds_without_the_window() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["tree", "--offline", "--no-default-features", "-e", "normal", "--prefix", "none"])
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(tree.contains("calamine") && tree.contains("printpdf"), "the domain's own dependencies are there:\n{tree}");
    for window in ["eframe ", "egui ", "egui-winit ", "winit ", "rfd ", "egui_plot ", "egui_extras "] {
        assert!(!tree.lines().any(|l| l.starts_with(window)), "{window}is in the domain's tree:\n{tree}");
    }
}
