//! `csu-assess roster init|add|retire|revoke|show|import`: the BDU office
//! keeps its roster, signed with the office key, one version per edit.

use csu_assess::keys::{self, Identity};
use csu_assess::roster::{Enrolled, OFFICE_KEY_FILE, Revocation, Roster, Trusted};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    verb: Verb,
    /// The roster file.
    #[arg(long, global = true, default_value = csu_assess::roster::FILE_NAME)]
    roster: PathBuf,
    /// Where the office's private key is kept (made by `roster init`); `CSU_ASSESS_OFFICE_DIR` or the office folder in the user's data folder otherwise.
    #[arg(long, global = true, value_name = "DIR")]
    office_dir: Option<PathBuf>,
}

#[derive(clap::Subcommand, Debug)]
enum Verb {
    /// Make the office key (once) and a first, empty roster with the office's certificate authority, with the office's public key beside it to install with the program and publish.
    Init,
    /// Enrol an assessor's key under their name (a second key for a new laptop is enrolled the same way).
    Add {
        name: String,
        /// Their public key, as `csu-assess key show` prints it.
        key: String,
        /// They may chair panels: start one as chair, sign off, reopen, issue letters (a chair's letters are signed, so give --letter-key).
        #[arg(long, requires = "letter_key")]
        chair: bool,
        /// Their letter-signing key, as `csu-assess key show --letter` prints it: the office certifies it, so their letters show as the BDU's in any PDF reader.
        #[arg(long, value_name = "KEY")]
        letter_key: Option<String>,
        /// They work in the BDU office and may see whole records.
        #[arg(long)]
        office: bool,
    },
    /// Certify an enrolled assessor's letter-signing key (a chair enrolled before letters were signed, or one with a new key).
    Certify {
        key: String,
        /// Their letter-signing key, as `csu-assess key show --letter` prints it.
        #[arg(long, value_name = "KEY")]
        letter_key: String,
    },
    /// Write the office's certificate authority (PEM and DER) and the page telling a letter's recipients how to check its signature, to publish.
    Publish {
        /// The folder to write them in.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Retire a key no longer in use (a replaced laptop): what it signed still counts.
    Retire { key: String },
    /// Revoke a key that must no longer be believed (a stolen laptop). Entries it signed up to the last one the office trusts in each record named stay; every other entry it signed, in any record, does not count.
    Revoke {
        key: String,
        #[arg(long)]
        reason: String,
        /// RECORD:ENTRY, the last entry of this key the office trusts in that record: its number as `audit` prints it, or the start of its hash. Repeat for each record.
        #[arg(long = "trust", value_name = "RECORD:ENTRY")]
        trusted: Vec<String>,
    },
    /// Print the roster (checked against the office's own key on its computer, else the office key pinned here).
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Enrol every assessor of a known-keys.toml (the list used before the roster), once.
    Import {
        file: PathBuf,
        /// Names of those who may chair.
        #[arg(long = "chair", value_name = "NAME")]
        chairs: Vec<String>,
    },
}

fn office_dir(args: &Args) -> PathBuf {
    args.office_dir
        .clone()
        .or_else(|| std::env::var_os("CSU_ASSESS_OFFICE_DIR").map(PathBuf::from))
        .unwrap_or_else(|| csu_assess::data_dir().join("office"))
}

/// The office's key, which must already exist: only `init` makes one.
fn office_key(args: &Args) -> Result<Identity, String> {
    let dir = office_dir(args);
    Identity::existing(&dir).map_err(|e| e.to_string())?.ok_or_else(|| {
        format!(
            "{}: there is no office key here; run `csu-assess roster init` on the office's computer first",
            dir.display()
        )
    })
}

pub fn run(args: &Args) -> Result<ExitCode, String> {
    let now = super::assess::now();
    if let Verb::Init = args.verb {
        return init(args, &now);
    }
    if let Verb::Show { json } = args.verb {
        return show(args, json);
    }
    if let Verb::Publish { out } = &args.verb {
        return publish(args, out);
    }
    let office = office_key(args)?;
    let roster = Roster::load(&args.roster, &office.public()).map_err(|e| e.to_string())?;
    let (edited, said) = match &args.verb {
        Verb::Add { name, key, chair, office: in_office, letter_key } => {
            let key = keys::parse_public(key).map_err(|e| e.to_string())?;
            let letter_key = letter_key.as_deref().map(|k| parse_letter_key(k, &key)).transpose()?;
            let name = name.trim().to_string();
            let entry = Enrolled {
                name: name.clone(),
                key: key.clone(),
                may_chair: *chair,
                office: *in_office,
                retired: false,
                certificate: None,
            };
            let edited = roster.edited(&office, &now, |body| {
                if let Some(other) = body.assessors.iter().find(|e| e.key == key) {
                    return Err(format!("key {} is already enrolled, as {}'s", keys::short(&key), other.name));
                }
                body.assessors.push(entry);
                letter_key.as_ref().map_or(Ok(()), |k| body.certify(&office, &key, k))
            });
            (
                edited,
                format!(
                    "{name} enrolled with key {}{}{}",
                    keys::short(&key),
                    if *chair { ", may chair" } else { "" },
                    if letter_key.is_some() { ", letter-signing key certified" } else { "" }
                ),
            )
        }
        Verb::Certify { key, letter_key } => {
            let key = keys::parse_public(key).map_err(|e| e.to_string())?;
            let letter_key = parse_letter_key(letter_key, &key)?;
            let edited = roster.edited(&office, &now, |body| body.certify(&office, &key, &letter_key));
            let name = roster.enrolled(&key).map(|e| e.name.clone()).unwrap_or_default();
            (edited, format!("{name}'s letter-signing key certified (key {})", keys::short(&key)))
        }
        Verb::Retire { key } => {
            let key = keys::parse_public(key).map_err(|e| e.to_string())?;
            let edited = roster.edited(&office, &now, |body| {
                let e = body.assessors.iter_mut().find(|e| e.key == key).ok_or_else(|| not_enrolled(&key))?;
                e.retired = true;
                Ok(())
            });
            (edited, format!("key {} retired; what it signed still counts", keys::short(&key)))
        }
        Verb::Revoke { key, reason, trusted } => {
            let key = keys::parse_public(key).map_err(|e| e.to_string())?;
            let trusted = trusted.iter().map(|t| trusted_entry(t, &key)).collect::<Result<Vec<_>, _>>()?;
            let count = trusted.len();
            let reason = reason.trim().to_string();
            let edited = roster.edited(&office, &now, |body| {
                if !body.assessors.iter().any(|e| e.key == key) {
                    return Err(not_enrolled(&key));
                }
                body.revoked.retain(|r| r.key != key);
                body.revoked.push(Revocation { key: key.clone(), reason, trusted });
                Ok(())
            });
            (
                edited,
                format!(
                    "key {} revoked; its entries trusted in {count} record(s) up to the entry named",
                    keys::short(&key)
                ),
            )
        }
        Verb::Import { file, chairs } => {
            let known = keys::KnownKeys::load(file).map_err(|e| e.to_string())?;
            let mut uncertified: Vec<String> = Vec::new();
            let mut enrolled = 0;
            let edited = roster.edited(&office, &now, |body| {
                for k in &known.assessor {
                    if body.assessors.iter().any(|e| e.key == k.key) {
                        continue;
                    }
                    enrolled += 1;
                    let may_chair = chairs.iter().any(|c| c.trim() == k.name.trim());
                    body.assessors.push(Enrolled {
                        name: k.name.trim().into(),
                        key: k.key.clone(),
                        may_chair,
                        office: false,
                        retired: false,
                        certificate: None,
                    });
                    match k.letter_key.as_deref().filter(|_| may_chair) {
                        Some(text) => body.certify(&office, &k.key, &parse_letter_key(text, &k.key)?)?,
                        None if may_chair => uncertified.push(k.name.trim().to_string()),
                        None => {}
                    }
                }
                if enrolled == 0 {
                    return Err(format!("every key of {} is already enrolled; nothing was written", file.display()));
                }
                Ok(())
            });
            let mut said =
                format!("{enrolled} of the {} assessor(s) of {} enrolled", known.assessor.len(), file.display());
            if !uncertified.is_empty() {
                said += &format!(
                    " ({} may chair but gave no letter-signing key, so cannot issue letters until `roster certify`: {})",
                    uncertified.len(),
                    uncertified.join(", ")
                );
            }
            (edited, said)
        }
        Verb::Init | Verb::Show { .. } | Verb::Publish { .. } => unreachable!("handled above"),
    };
    let edited = edited.map_err(|e| e.to_string())?;
    edited.save(&args.roster).map_err(|e| e.to_string())?;
    sayln!("{said}: {} is now version {}.", args.roster.display(), edited.body.version);
    Ok(ExitCode::SUCCESS)
}

fn parse_letter_key(text: &str, owner: &str) -> Result<p256::ecdsa::VerifyingKey, String> {
    csu_assess::certificates::parse_letter_key(text, owner).map_err(|e| e.to_string())
}

fn not_enrolled(key: &str) -> String {
    format!("key {} is not in the roster", keys::short(key))
}

/// `record.csuassess:12` or `record.csuassess:3f2a9c1b`: the last entry of
/// `key` the office trusts in that record.
fn trusted_entry(text: &str, key: &str) -> Result<Trusted, String> {
    let (file, entry) = text
        .rsplit_once(':')
        .ok_or_else(|| format!("`{text}` names no entry: write RECORD:ENTRY, as record.csuassess:12"))?;
    let a = csu_assess::store::load(Path::new(file)).map_err(|e| e.to_string())?;
    let found = match entry.parse::<usize>() {
        Ok(n) => a.audit.get(n.wrapping_sub(1)),
        Err(_) if entry.len() >= 8 => a.audit.iter().find(|e| e.hash.starts_with(&entry.to_ascii_lowercase())),
        Err(_) => None,
    };
    let e = found.ok_or_else(|| format!("{file}: there is no entry {entry}"))?;
    if e.signer != key {
        return Err(format!(
            "{file}: entry {entry} is signed by key {}, not by the key revoked",
            keys::short(&e.signer)
        ));
    }
    Ok(Trusted { record: a.id.clone(), last: e.hash.clone() })
}

fn init(args: &Args, now: &str) -> Result<ExitCode, String> {
    if args.roster.exists() {
        return Err(format!(
            "{}: there is already a roster there; it is edited, never made again",
            args.roster.display()
        ));
    }
    let office = Identity::load_or_create(&office_dir(args)).map_err(|e| e.to_string())?;
    Roster::first(&office, now).save(&args.roster).map_err(|e| e.to_string())?;
    let pin = args.roster.with_file_name(OFFICE_KEY_FILE);
    super::write_file(&pin, format!("{}\n", office.public()).as_bytes())?;
    sayln!("Wrote {} (version 1, no one enrolled yet) and {}.", args.roster.display(), pin.display());
    sayln!(
        "The office key is {} ({}); its private half is in {} and never leaves the office.",
        office.public(),
        keys::short(&office.public()),
        office_dir(args).display()
    );
    sayln!(
        "Install {} and {} beside the program on every BDU computer (or build the program with CSU_ASSESS_OFFICE_KEY set to it), and publish the key for readers outside the BDU.",
        OFFICE_KEY_FILE,
        csu_assess::roster::FILE_NAME
    );
    Ok(ExitCode::SUCCESS)
}

/// The roster, checked against the office's own key on its computer, else
/// the office key pinned here.
fn read(args: &Args) -> Result<Roster, String> {
    let office = match Identity::existing(&office_dir(args)).map_err(|e| e.to_string())? {
        Some(own) => own.public(),
        None => match csu_assess::roster::OfficeKey::pinned().map_err(|e| e.to_string())? {
            Some(pinned) => pinned.key,
            None => office_key(args)?.public(),
        },
    };
    Roster::load(&args.roster, &office).map_err(|e| e.to_string())
}

/// The page for a letter's recipients, written beside the certificate.
const RECIPIENTS_PAGE: &str = include_str!("../../assets/checking-a-letter.txt");

fn publish(args: &Args, out: &Path) -> Result<ExitCode, String> {
    use csu_assess::certificates;
    let roster = read(args)?;
    let authority = roster.authority().map_err(|e| e.to_string())?.ok_or_else(|| {
        format!(
            "{}: this roster was made before letters were signed and has no certificate authority yet; its next edit (`roster certify` of each chair) gives it one",
            args.roster.display()
        )
    })?;
    std::fs::create_dir_all(out).map_err(|e| format!("{}: could not be made ({e})", out.display()))?;
    let organisation = certificates::organisation(&authority).unwrap_or_else(|| certificates::ORGANISATION.into());
    let page = RECIPIENTS_PAGE
        .replace("{organisation}", &organisation)
        .replace("{fingerprint}", &certificates::fingerprint(&authority));
    let files = [
        ("bdu-office-ca.pem", certificates::pem(&authority).into_bytes()),
        ("bdu-office-ca.cer", certificates::der(&authority)),
        ("checking-a-letter.txt", page.into_bytes()),
    ];
    for (name, bytes) in &files {
        super::write_file(&out.join(name), bytes)?;
    }
    sayln!(
        "Wrote the office's certificate authority (SHA-256 {}) and the page for recipients to {}: publish them, and give the fingerprint by a second route.",
        certificates::fingerprint(&authority),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn show(args: &Args, json: bool) -> Result<ExitCode, String> {
    let roster = read(args)?;
    if json {
        sayln!("{}", serde_json::to_string_pretty(&roster.body).unwrap_or_default());
        return Ok(ExitCode::SUCCESS);
    }
    let b = &roster.body;
    sayln!(
        "{}: version {} of {}, signed by the office key {}",
        args.roster.display(),
        b.version,
        b.issued_at,
        keys::short(&b.office)
    );
    for e in &b.assessors {
        let mut notes = Vec::new();
        if e.may_chair {
            notes.push("may chair");
        }
        if e.office {
            notes.push("office");
        }
        if e.retired {
            notes.push("retired");
        }
        if roster.is_revoked(&e.key) {
            notes.push("REVOKED");
        }
        if e.certificate.is_some() {
            notes.push("signs letters");
        }
        sayln!("  {:<24} {}  {}", e.name, keys::short(&e.key), notes.join(", "));
    }
    for r in &b.revoked {
        sayln!(
            "  revoked {}: {} (trusted in {} record(s) up to a named entry)",
            keys::short(&r.key),
            r.reason,
            r.trusted.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}
