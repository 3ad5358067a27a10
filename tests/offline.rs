//! The shape of the build, from its dependency tree. Offline, always: no
//! HTTP client, TLS stack, websocket or network-socket crate is built in.
//! (zbus is there: the accessibility layer and the file dialog speak D-Bus,
//! a local bus, never the network.) And the domain library is apart from
//! the window: without the `window` feature, no eframe, egui or rfd.

/// Crates that exist to talk over a network.
const NETWORK: &[&str] = &[
    "reqwest",
    "hyper",
    "ureq",
    "curl",
    "curl-sys",
    "isahc",
    "surf",
    "attohttpc",
    "h2",
    "h3",
    "quinn",
    "native-tls",
    "rustls",
    "openssl",
    "openssl-sys",
    "tungstenite",
    "async-tungstenite",
    "tokio-tungstenite",
    "socket2",
    "mio",
    "trust-dns-resolver",
    "hickory-resolver",
];

#[test]
fn no_crate_that_talks_to_a_network_is_in_the_dependency_tree() {
    let lock = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock"))
        .expect("Cargo.lock is committed");
    let names: Vec<&str> =
        lock.lines().filter_map(|l| l.strip_prefix("name = \"").and_then(|r| r.strip_suffix('"'))).collect();
    assert!(names.len() > 100, "the lock file was read: {} packages", names.len());
    let found: Vec<&&str> = names.iter().filter(|n| NETWORK.contains(n)).collect();
    assert!(found.is_empty(), "network crates in the dependency tree: {found:?}");
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
