//! The packaging files in step with each other and with the program: the
//! desktop entry, the AppStream metadata and the MIME file name the same
//! file types, id, icon and version; every file a package takes exists;
//! the icons are the sizes they claim; the list of crates the About box
//! shows is the dependency tree's, and `csu-assess about` prints what the
//! box shows. (Building the packages themselves is not a test:
//! packaging/README.md.)

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(root().join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// The `[Desktop Entry]` group's keys and values.
fn desktop_entry() -> Vec<(String, String)> {
    read("packaging/csu-assess.desktop")
        .lines()
        .skip_while(|l| l.trim() != "[Desktop Entry]")
        .skip(1)
        .take_while(|l| !l.starts_with('['))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

fn desktop_key(key: &str) -> String {
    desktop_entry().into_iter().find(|(k, _)| k == key).map(|(_, v)| v).unwrap_or_else(|| panic!("no {key}="))
}

/// The text of every `<tag …>text</tag>` in an XML file.
fn tag_texts(xml: &str, tag: &str) -> Vec<String> {
    xml.split(&format!("<{tag}"))
        .skip(1)
        .filter_map(|rest| rest.split_once('>').and_then(|(_, body)| body.split_once(&format!("</{tag}>"))))
        .map(|(text, _)| text.trim().to_string())
        .collect()
}

const METAINFO: &str = "packaging/uk.nhs.bdu.csu_assess.metainfo.xml";

/// The file types the program opens, by extension: the assessment file,
/// and every workbook format the plan reader takes.
const TYPES: [(&str, &str); 6] = [
    ("csuassess", "application/x-csu-assessment"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("xlsm", "application/vnd.ms-excel.sheet.macroEnabled.12"),
    ("xlsb", "application/vnd.ms-excel.sheet.binary.macroEnabled.12"),
    ("xls", "application/vnd.ms-excel"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
];

#[test]
fn the_desktop_entry_metadata_and_mime_file_declare_the_same_types() {
    let desktop: BTreeSet<String> =
        desktop_key("MimeType").split(';').filter(|t| !t.is_empty()).map(str::to_string).collect();
    let expected: BTreeSet<String> = TYPES.iter().map(|(_, mime)| mime.to_string()).collect();
    assert_eq!(desktop, expected, "the desktop entry's MimeType");
    let metainfo: BTreeSet<String> = tag_texts(&read(METAINFO), "mediatype").into_iter().collect();
    assert_eq!(metainfo, expected, "the metainfo's mediatypes");

    let mime = read("packaging/csu-assess-mime.xml");
    assert!(mime.contains(r#"<mime-type type="application/x-csu-assessment">"#), "the assessment type is declared");
    assert!(mime.contains(r#"<glob pattern="*.csuassess"/>"#), "by its extension");
    assert!(
        mime.contains(&format!("&quot;{}&quot;", csu_assess::assessment::FORMAT)),
        "and by the format its files name"
    );
}

#[test]
fn the_desktop_entry_and_metadata_name_one_program() {
    assert_eq!(desktop_key("Exec"), "csu-assess %F", "files are passed as paths, as main.rs takes them");
    assert_eq!(desktop_key("Icon"), "csu-assess");
    assert_eq!(desktop_key("StartupWMClass"), "csu-assess", "the window's app id (ui::run)");
    let metainfo = read(METAINFO);
    assert_eq!(tag_texts(&metainfo, "launchable"), ["csu-assess.desktop"]);
    assert_eq!(tag_texts(&metainfo, "icon"), ["csu-assess"]);
    assert_eq!(tag_texts(&metainfo, "binary"), ["csu-assess"]);
    assert!(METAINFO.ends_with(&format!("{}.metainfo.xml", tag_texts(&metainfo, "id")[0])), "named after its id");
    let newest = metainfo.split("<release version=\"").nth(1).and_then(|r| r.split('"').next());
    assert_eq!(newest, Some(env!("CARGO_PKG_VERSION")), "the newest release in the metainfo is this version");
}

#[test]
fn every_file_the_packages_take_exists_and_the_icons_are_their_sizes() {
    let manifest: toml::Table = toml::from_str(&read("Cargo.toml")).expect("Cargo.toml parses");
    let metadata = &manifest["package"]["metadata"];
    let mut sources: Vec<String> = metadata["deb"]["assets"]
        .as_array()
        .expect("deb assets")
        .iter()
        .map(|a| a[0].as_str().expect("a source").to_string())
        .filter(|s| !s.starts_with("target/"))
        .collect();
    let packager = &metadata["packager"];
    for list in ["icons", "resources"] {
        sources.extend(packager[list].as_array().expect(list).iter().map(|s| s.as_str().expect("a path").to_string()));
    }
    sources.push(packager["nsis"]["installer-icon"].as_str().expect("installer icon").to_string());
    sources.push(packager["macos"]["info-plist-path"].as_str().expect("Info.plist").to_string());
    for source in &sources {
        assert!(!matches(source).is_empty(), "{source} names no file");
    }

    for size in [16, 32, 48, 64, 128, 256, 512] {
        let path = format!("assets/icons/csu-assess-{size}.png");
        let bytes = std::fs::read(root().join(&path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        let info = png::Decoder::new(std::io::Cursor::new(bytes)).read_info().expect("a PNG").info().clone();
        assert_eq!((info.width, info.height), (size, size), "{path}");
        let hicolor = format!("usr/share/icons/hicolor/{size}x{size}/apps/csu-assess.png");
        assert!(
            metadata["deb"]["assets"]
                .as_array()
                .expect("assets")
                .iter()
                .any(|a| a[0].as_str() == Some(&path) && a[1].as_str() == Some(&hicolor)),
            "the .deb installs {path} as {hicolor}"
        );
    }
}

/// The files a package source names: itself, or what its `*` matches.
fn matches(source: &str) -> Vec<PathBuf> {
    let path = root().join(source);
    let Some((prefix, suffix)) = source.rsplit_once('/').and_then(|(_, name)| name.split_once('*')) else {
        return if path.is_file() { vec![path] } else { Vec::new() };
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(prefix) && n.ends_with(suffix))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Every crate `Cargo.lock` names, as `NAME<tab>VERSION`: every
/// platform's, whether or not this machine has fetched it.
fn locked(lock: &str) -> BTreeSet<String> {
    let mut crates = BTreeSet::new();
    for package in lock.split("[[package]]").skip(1) {
        let field = |key: &str| {
            package.lines().find_map(|l| l.strip_prefix(key)).map(|v| v.trim_matches(|c| c == '"' || c == ' '))
        };
        if let (Some(name), Some(version)) = (field("name = "), field("version = "))
            && name != "csu-assess"
        {
            crates.insert(format!("{name}\t{version}"));
        }
    }
    crates
}

/// What keeps the two lists from accounting for the lock file: a crate in
/// neither, a crate in both, a listed crate the lock file no longer names.
fn unaccounted(lock: &str, shipped: &str, not_shipped: &str) -> Vec<String> {
    let locked = locked(lock);
    let key = |line: &str| line.split('\t').take(2).collect::<Vec<_>>().join("\t");
    let shipped: BTreeSet<String> = shipped.lines().map(key).collect();
    let other: BTreeSet<String> = not_shipped.lines().map(key).collect();
    let mut problems = Vec::new();
    for c in &locked {
        match (shipped.contains(c), other.contains(c)) {
            (false, false) => problems.push(format!("{c} is in Cargo.lock but in neither list")),
            (true, true) => problems.push(format!("{c} is listed as shipped and as not shipped")),
            _ => {}
        }
    }
    for c in shipped.iter().chain(&other).filter(|c| !locked.contains(*c)) {
        problems.push(format!("{c} is listed but Cargo.lock no longer names it"));
    }
    problems
}

/// The About box's list accounts for every crate of every platform:
/// `Cargo.lock` names them all, so a crate only a Windows or macOS build
/// ships, left off the list, is caught here on any machine, offline.
#[test]
fn every_crate_of_the_lock_file_is_listed_as_shipped_or_not() {
    let (lock, shipped, other) =
        (read("Cargo.lock"), read("assets/third-party.tsv"), read("packaging/not-shipped.tsv"));
    let problems = unaccounted(&lock, &shipped, &other);
    assert!(problems.is_empty(), "run packaging/third-party.sh:\n{}", problems.join("\n"));
    assert!(shipped.lines().any(|l| l.starts_with("accesskit_macos\t")), "macOS-only crates are listed");
    assert!(shipped.lines().any(|l| l.starts_with("accesskit_windows\t")), "Windows-only crates are listed");

    let without_windows: String =
        shipped.lines().filter(|l| !l.starts_with("accesskit_windows\t")).map(|l| format!("{l}\n")).collect();
    let found = unaccounted(&lock, &without_windows, &other);
    assert!(
        found.len() == 1 && found[0].starts_with("accesskit_windows\t"),
        "a Windows-only crate left off: {found:?}"
    );
    let planted = format!("{lock}\n[[package]]\nname = \"objc3-shipped\"\nversion = \"1.0.0\"\n");
    assert_eq!(unaccounted(&planted, &shipped, &other), ["objc3-shipped\t1.0.0 is in Cargo.lock but in neither list"]);
    let both = format!(
        "{other}accesskit_macos\t{}\n",
        shipped
            .lines()
            .find(|l| l.starts_with("accesskit_macos\t"))
            .and_then(|l| l.split('\t').nth(1))
            .expect("listed")
    );
    assert_eq!(unaccounted(&lock, &shipped, &both).len(), 1, "a crate in both lists is caught");
}

/// On this machine's platform the list is checked against the real tree
/// (the crates `cargo test` has fetched; no network): every shipped crate
/// is listed with its licence, and none is filed as not shipped.
#[test]
fn the_host_platforms_dependency_tree_is_in_the_about_box_list() {
    let out = std::process::Command::new("bash")
        .arg(root().join("packaging/third-party.sh"))
        .arg("--host")
        .output()
        .expect("packaging/third-party.sh runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let host = String::from_utf8(out.stdout).expect("utf8");
    assert!(host.lines().count() > 100, "the tree was read:\n{host}");
    let listed = read("assets/third-party.tsv");
    let listed: BTreeSet<&str> = listed.lines().collect();
    let missing: Vec<&str> = host.lines().filter(|l| !listed.contains(l)).collect();
    assert!(
        missing.is_empty(),
        "not in assets/third-party.tsv as the tree has them (run packaging/third-party.sh):\n{}",
        missing.join("\n")
    );
    let about = csu_assess::about::about();
    assert_eq!(about.crates.len(), listed.len(), "the About box lists every line");
}

#[cfg(feature = "window")]
#[test]
fn the_window_icon_decodes() {
    let icon = eframe::icon_data::from_png_bytes(csu_assess::assets::ICON_PNG).expect("the icon is a PNG");
    assert_eq!((icon.width, icon.height), (128, 128));
}

/// Runs a validator on a packaging file (`.ci/run` installs both; see
/// `util::tool` for where a missing one may be skipped).
fn validate(tool: &str, args: &[&str], file: &str) {
    let path = root().join(file);
    let mut args = args.to_vec();
    args.push(path.to_str().expect("utf8 path"));
    if let Some(out) = crate::util::tool(tool, &args) {
        assert!(
            out.status.success(),
            "{tool} refuses {file}:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn the_desktop_entry_and_metadata_pass_their_validators() {
    validate("desktop-file-validate", &[], "packaging/csu-assess.desktop");
    validate("appstreamcli", &["validate", "--no-net"], METAINFO);
}

#[test]
fn the_about_verb_prints_what_the_about_box_shows() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_csu-assess")).arg("about").output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let about = csu_assess::about::about();
    assert!(text.starts_with(&format!("CSU Assess {} ", about.version)), "{text}");
    for line in about.frameworks.iter().chain(&about.wordings).map(|c| format!("{}: {}", c.file_name, c.title)) {
        assert!(text.contains(&line), "{line} is printed");
    }
    for font in &about.fonts {
        assert!(
            text.contains(&format!("{}: {}; {}", font.name, font.used_for, font.licence)),
            "{} is printed",
            font.name
        );
    }
    assert!(text.contains("calamine ") && text.contains(&format!("Rust crates ({})", about.crates.len())));
}
