//! Offline, always: the program's dependency tree holds no HTTP client, TLS
//! stack, websocket or network-socket crate, so no code that could reach a
//! network is built into it. (zbus is there: the accessibility layer and the
//! file dialog speak D-Bus, a local bus, never the network.)

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
