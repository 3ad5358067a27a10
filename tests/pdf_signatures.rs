//! Letters a recipient's own PDF reader shows as signed by the BDU: a
//! PAdES signature by the chair's certificate, issued by the office's
//! authority, checked by `pdfsig` against an NSS store that trusts that
//! authority; and attacked: a changed byte, an appended revision, a
//! certificate naming the chair from another authority, a roster edited by
//! hand, a revoked key, a chair without a certificate.

use crate::util::*;
use csu_assess::assessment::Assessment;
use csu_assess::keys::{Identity, Purpose};
use csu_assess::letter::signature::{Seal, SignError, Signer, check, unsigned};
use csu_assess::letter::{self, Templates};
use csu_assess::plan::Plan;
use csu_assess::roster::{OfficeKey, OfficeSource, Roster, Trust};

const AT: &str = "2012-09-14T10:00:00Z";
const DAY: chrono::NaiveDate = chrono::NaiveDate::from_ymd_opt(2012, 9, 14).expect("a date");
const CHAIR: &str = "Ann Chair";

/// The letters' time, the signing time readers show: noon on their date.
fn noon() -> chrono::DateTime<chrono::Utc> {
    DAY.and_hms_opt(12, 0, 0).expect("a time").and_utc()
}

/// A complete sole assessment of the Northern Star plan, and the plan.
fn assessed() -> (Plan, Assessment) {
    let plan = import(&csu_assess::examples::find("northern-star-full").expect("example").workbook().expect("written"));
    let mut a = start_as(&plan, "cp3-full-plan", CHAIR, "Lead assessor", "2012-09-10T09:00:00Z");
    interview_every(&mut a, &plan, CHAIR, "2012-09-10T09:30:00Z");
    score_every(&mut a, &plan, CHAIR, 3, AT);
    (plan, a)
}

/// The final letter, unsigned (as drawn) and signed by `key` under `trust`.
fn letter_of(plan: &Plan, a: &Assessment, trust: &Trust, key: &Identity) -> (Vec<u8>, Result<Vec<u8>, SignError>) {
    let (made, bytes) = letter::write(plan, a.framework(), a, &wording(), trust, DAY).expect("written");
    assert!(!made.draft, "complete, so final");
    let signed = Signer::for_key(trust, key).and_then(|s| s.sign(&bytes, made.timestamp));
    (bytes, signed)
}

/// The final letter of [`assessed`] as its chair signs it, and the trust
/// it was signed under.
fn signed_letter() -> (Trust, Vec<u8>) {
    let (plan, a) = assessed();
    let trust = known(&[CHAIR]);
    let (_, signed) = letter_of(&plan, &a, &trust, &key(CHAIR));
    (trust, signed.expect("signed"))
}

/// The roster's office authority as PEM, written in `dir`.
fn authority_pem(trust: &Trust, dir: &std::path::Path) -> std::path::PathBuf {
    let roster = trust.roster.as_ref().expect("roster");
    let ca = roster.authority().expect("readable").expect("the roster has one");
    let path = dir.join("ca.pem");
    std::fs::write(&path, csu_assess::certificates::pem(&ca)).expect("written");
    path
}

/// `pdfsig` on a letter with an NSS store trusting `ca` (none: an empty
/// store), its report; None where poppler or NSS's tools are missing.
fn pdfsig(pdf: &[u8], ca: Option<&std::path::Path>) -> Option<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let nss = format!("sql:{}", dir.path().join("nss").display());
    std::fs::create_dir(dir.path().join("nss")).expect("made");
    let made = tool("certutil", &["-N", "-d", &nss, "--empty-password"])?;
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    if let Some(ca) = ca {
        let ca = ca.to_str().expect("utf8");
        let added = tool("certutil", &["-A", "-d", &nss, "-n", "BDU office", "-t", "C,C,C", "-i", ca])?;
        assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    }
    let path = dir.path().join("letter.pdf");
    std::fs::write(&path, pdf).expect("written");
    let out = tool("pdfsig", &["-nssdir", &nss, path.to_str().expect("utf8")])?;
    Some(format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

/// Where in a signed letter one byte of its text can be changed: inside
/// the first content stream, outside the signature's room.
fn a_byte_of_text(pdf: &[u8]) -> usize {
    let stream = pdf.windows(7).position(|w| w == b"stream\n").expect("a stream") + 20;
    assert!(!pdf[..stream].windows(10).any(|w| w == b"/ByteRange"), "before the signature dictionary");
    stream
}

#[test]
fn a_final_letter_is_signed_by_its_chair_and_the_same_record_gives_the_same_bytes() {
    let (plan, a) = assessed();
    let trust = known(&[CHAIR]);
    let (drawn, signed) = letter_of(&plan, &a, &trust, &key(CHAIR));
    let signed = signed.expect("signed");
    assert_eq!(signed.len(), drawn.len(), "the signature fills the room reserved for it");
    assert_ne!(signed, drawn);
    assert_eq!(unsigned(&signed).as_ref(), drawn.as_slice(), "the unsigned form is the letter as drawn");
    assert_eq!(check(&signed, &trust), Seal::Bdu { name: CHAIR.into(), revoked: None });
    let (_, again) = letter_of(&plan, &a, &trust, &key(CHAIR));
    assert_eq!(again.expect("signed"), signed, "deterministic ECDSA and the letter's date: the same bytes");
    let text = String::from_utf8_lossy(&signed);
    assert!(text.contains("/M(D:20120914"), "the signing time is the letter's date, in /M");
    assert!(text.contains("/SubFilter/ETSI.CAdES.detached"), "PAdES");
    assert!(text.contains("/Tabs/S"), "the page holding the field gives its tab order");
    assert!(text.contains("/Rect[0 0 0 0]"), "the field is invisible");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("letter.pdf");
    std::fs::write(&path, &signed).expect("written");
    if let Some(out) = tool("qpdf", &["--check", path.to_str().expect("utf8")]) {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    }
}

#[test]
fn a_draft_is_never_signed() {
    let (plan, a) = assessed();
    let trust = known(&[CHAIR]);
    let (made, bytes) = letter::write(&plan, a.framework(), &a, &Templates::builtin(), &trust, DAY).expect("written");
    assert!(made.draft, "the built-in wording leaves the BDU's entries to fill: a draft");
    assert!(!String::from_utf8_lossy(&bytes).contains("/ByteRange"), "no room for a signature");
    assert_eq!(check(&bytes, &trust), Seal::Unsigned);
    let signer = Signer::for_key(&trust, &key(CHAIR)).expect("a signer");
    assert!(matches!(signer.sign(&bytes, made.timestamp), Err(SignError::NoRoom)), "a draft cannot be signed");
}

#[test]
fn pdfsig_trusting_the_office_authority_says_valid_and_trusted_and_one_changed_byte_is_invalid() {
    let (trust, signed) = signed_letter();
    let dir = tempfile::tempdir().expect("tempdir");
    let ca = authority_pem(&trust, dir.path());
    let Some(report) = pdfsig(&signed, Some(&ca)) else { return };
    assert!(report.contains("Signature is Valid"), "{report}");
    assert!(report.contains("Certificate is Trusted"), "{report}");
    assert!(report.contains(CHAIR), "names the chair: {report}");
    assert!(report.contains("ECDSA") || report.contains("SHA-256") || report.contains("SHA256"), "{report}");
    assert!(report.contains("Total document signed"), "covers the whole file: {report}");
    let untrusted = pdfsig(&signed, None).expect("pdfsig");
    assert!(untrusted.contains("Signature is Valid"), "{untrusted}");
    assert!(!untrusted.contains("Certificate is Trusted"), "not trusted until told: {untrusted}");
    let mut changed = signed.clone();
    let at = a_byte_of_text(&changed);
    changed[at] ^= 0x01;
    let report = pdfsig(&changed, Some(&ca)).expect("pdfsig");
    assert!(!report.contains("Signature is Valid"), "{report}");
    assert!(matches!(check(&changed, &trust), Seal::Broken(_)), "{:?}", check(&changed, &trust));
}

#[test]
fn a_revision_appended_after_signing_is_not_covered() {
    let (trust, mut appended) = signed_letter();
    appended.extend_from_slice(b"\n1 0 obj\n(Authorised)\nendobj\n");
    match check(&appended, &trust) {
        Seal::Broken(why) => assert!(why.contains("whole file"), "{why}"),
        other => panic!("{other:?}"),
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let ca = authority_pem(&trust, dir.path());
    if let Some(report) = pdfsig(&appended, Some(&ca)) {
        assert!(!report.contains("Total document signed"), "{report}");
    }
}

/// A forger's own office, certifying their own key under the chair's name.
fn forged_trust(forger: &Identity) -> Trust {
    let office = key("Forger's office");
    let roster = Roster::first(&office, "2012-09-01T08:00:00Z")
        .edited(&office, "2012-09-01T08:00:00Z", |body| {
            body.assessors.push(chair_entry(CHAIR, &forger.public()));
            body.certify(&office, &forger.public(), forger.p256(Purpose::LetterSigning).verifying_key())
        })
        .expect("signed");
    Trust::with(OfficeKey { key: office.public(), source: OfficeSource::Named }, roster)
}

#[test]
fn a_certificate_naming_the_chair_from_another_authority_does_not_name_the_signer() {
    let (plan, a) = assessed();
    let trust = known(&[CHAIR]);
    let forger = key("Forger");
    let (drawn, _) = letter_of(&plan, &a, &trust, &key(CHAIR));
    let forged = Signer::for_key(&forged_trust(&forger), &forger)
        .and_then(|s| s.sign(&drawn, noon()))
        .expect("the forger signs the letter's unsigned form with their own certificate");
    match check(&forged, &trust) {
        Seal::Unknown { says, why } => {
            assert_eq!(says, CHAIR, "the certificate says so");
            assert!(why.contains("not issued by the BDU office"), "{why}");
        }
        other => panic!("{other:?}"),
    }
    assert!(!Seal::Unknown { says: CHAIR.into(), why: "x".into() }.describe().contains("made by"));
    match check(&forged, &Trust::none()) {
        Seal::Unknown { why, .. } => assert!(why.contains("no BDU roster"), "{why}"),
        other => panic!("{other:?}"),
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let ca = authority_pem(&trust, dir.path());
    if let Some(report) = pdfsig(&forged, Some(&ca)) {
        assert!(report.contains("Signature is Valid"), "intact: {report}");
        assert!(!report.contains("Certificate is Trusted"), "but not the BDU's: {report}");
    }
    // The forger's certificate put into the BDU's roster by hand: the
    // office's signature over the roster no longer holds.
    let real = trust.roster.clone().expect("roster");
    let theirs = forged_trust(&forger).roster.expect("roster");
    let mut json: serde_json::Value = serde_json::to_value(&real).expect("json");
    json["roster"]["assessors"][0]["certificate"] =
        serde_json::Value::String(theirs.body.assessors[0].certificate.clone().expect("certified"));
    let bytes = serde_json::to_vec(&json).expect("json");
    let refused = Roster::parse(std::path::Path::new("roster.json"), &bytes, &office().public());
    assert!(matches!(refused, Err(csu_assess::roster::RosterError::Forged { .. })), "{refused:?}");
}

#[test]
fn a_chair_without_a_certificate_or_with_another_keys_cannot_sign() {
    let (plan, a) = assessed();
    // Enrolled, may chair, but the office certified no letter-signing key.
    let roster = roster_of(&[(CHAIR, key("Ann's new laptop").public())]);
    let trust = trust_in(roster.clone());
    match Signer::for_key(&trust, &key("Ann's new laptop")) {
        Err(e @ SignError::NoCertificate { .. }) => {
            assert!(e.to_string().contains("roster certify") && e.to_string().contains(CHAIR), "{e}")
        }
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("signed with no certificate"),
    }
    // Certified for another computer's letter key.
    let roster = roster
        .edited(&office(), AT, |body| {
            body.certify(
                &office(),
                &key("Ann's new laptop").public(),
                key("Someone").p256(Purpose::LetterSigning).verifying_key(),
            )
        })
        .expect("signed");
    let trust = trust_in(roster.clone());
    assert!(matches!(Signer::for_key(&trust, &key("Ann's new laptop")), Err(SignError::OtherKey { .. })));
    // The office certifies the holder's own letter key, which replaces the
    // wrong one; certified again, it is refused.
    let laptop = key("Ann's new laptop");
    let own = laptop.p256(Purpose::LetterSigning);
    let mended = roster.edited(&office(), AT, |body| body.certify(&office(), &laptop.public(), own.verifying_key()));
    let mended = mended.expect("replaced");
    assert!(Signer::for_key(&trust_in(mended.clone()), &laptop).is_ok());
    let again = mended.edited(&office(), AT, |body| body.certify(&office(), &laptop.public(), own.verifying_key()));
    assert!(again.is_err_and(|e| e.to_string().contains("is already certified")));
    let (_, signed) = letter_of(&plan, &a, &known(&[CHAIR]), &key(CHAIR));
    assert!(signed.is_ok());
}

#[test]
fn a_letter_signed_before_its_key_was_revoked_says_so() {
    let (trust, signed) = signed_letter();
    let revoked = trust
        .roster
        .clone()
        .expect("roster")
        .edited(&office(), "2012-10-01T09:00:00Z", |body| {
            body.revoked.push(csu_assess::roster::Revocation {
                key: key(CHAIR).public(),
                reason: "laptop stolen".into(),
                trusted: Vec::new(),
            });
            Ok(())
        })
        .expect("signed");
    let seal = check(&signed, &trust_in(revoked));
    assert_eq!(seal, Seal::Bdu { name: CHAIR.into(), revoked: Some("laptop stolen".into()) });
    assert!(seal.describe().contains("still shows it as signed"), "{}", seal.describe());
}

#[test]
fn a_roster_made_before_letters_were_signed_reads_and_gains_the_authority_with_its_next_edit() {
    // The roster as the previous version wrote it: no authority, no
    // certificates, signed over exactly those fields.
    let office = office();
    let mut roster = roster_of(&[(CHAIR, key(CHAIR).public())]);
    roster.body.office_ca = None;
    roster.body.assessors.iter_mut().for_each(|e| e.certificate = None);
    let json = serde_json::to_vec(&serde_json::to_value(&roster.body).expect("json")).expect("json");
    roster.signature = office.sign(&csu_assess::plan::fingerprint(&json));
    let text = serde_json::to_vec(&roster).expect("json");
    assert!(!String::from_utf8_lossy(&text).contains("office_ca"), "absent fields are not written");
    let read = Roster::parse(std::path::Path::new("roster.json"), &text, &office.public()).expect("it reads");
    assert!(read.authority().expect("none to read").is_none());
    let trust = trust_in(read.clone());
    assert!(matches!(Signer::for_key(&trust, &key(CHAIR)), Err(SignError::NoAuthority)));
    let edited = read.edited(&office, AT, |_| Ok(())).expect("edited");
    let authority = edited.authority().expect("readable").expect("given with the next edit");
    assert_eq!(csu_assess::certificates::organisation(&authority).as_deref(), Some("Business Development Unit"));
    assert!(matches!(Signer::for_key(&trust_in(edited.clone()), &key(CHAIR)), Err(SignError::NoCertificate { .. })));
    let certified = certified(edited, &office, &[&key(CHAIR)]);
    assert!(Signer::for_key(&trust_in(certified), &key(CHAIR)).is_ok());
}

#[test]
fn a_letter_dated_before_its_chair_was_certified_is_not_signed() {
    let (plan, a) = assessed();
    let late = certified(roster_of(&[("Someone", key("Someone").public())]), &office(), &[]);
    let roster = late
        .edited(&office(), "2012-09-20T09:00:00Z", |body| {
            body.assessors.retain(|e| e.name != CHAIR);
            body.assessors.push(chair_entry(CHAIR, &key(CHAIR).public()));
            body.certify(&office(), &key(CHAIR).public(), key(CHAIR).p256(Purpose::LetterSigning).verifying_key())
        })
        .expect("signed");
    let (_, signed) = letter_of(&plan, &a, &trust_in(roster), &key(CHAIR));
    match signed {
        Err(e @ SignError::BeforeCertificate { .. }) => {
            assert!(
                e.to_string().contains("dated 14 September 2012 is signed as of 12:00 UTC that day")
                    && e.to_string().contains("(20 September 2012 00:00 UTC)"),
                "{e}"
            )
        }
        other => panic!("{:?}", other.map(|b| b.len())),
    }
}

/// The signature's CMS in a signed letter, rewritten by `edit` and put back
/// in its room, as a forger with a hex editor would.
fn rewrite_signature(signed: &[u8], edit: impl FnOnce(&mut cms::signed_data::SignedData)) -> Vec<u8> {
    use der::{Decode, Encode};
    let start = signed.windows(10).position(|w| w == b"/Contents<").expect("the room") + 10;
    let end = start + signed[start..].iter().position(|&b| b == b'>').expect("its end");
    let raw = csu_assess::keys::hex_bytes(&signed[start..end]).expect("hex");
    let mut reader = der::SliceReader::new(&raw).expect("reader");
    let mut info = cms::content_info::ContentInfo::decode(&mut reader).expect("CMS");
    let mut data: cms::signed_data::SignedData = info.content.decode_as().expect("signed data");
    edit(&mut data);
    info.content = der::Any::encode_from(&data).expect("encoded");
    let hex: String = info.to_der().expect("DER").iter().map(|b| format!("{b:02X}")).collect();
    let mut out = signed.to_vec();
    out[start..end].fill(b'0');
    out[start..start + hex.len()].copy_from_slice(hex.as_bytes());
    out
}

#[test]
fn a_certificate_swapped_into_the_signature_is_not_the_one_it_was_signed_for() {
    let (trust, signed) = signed_letter();
    assert_eq!(
        check(&rewrite_signature(&signed, |_| {}), &trust),
        check(&signed, &trust),
        "the rewrite itself changes nothing"
    );
    // A second certificate for the chair's letter key, naming someone else
    // (the office's mistake, made by hand here: `certify` refuses it).
    let roster = trust.roster.clone().expect("roster");
    let authority = roster.authority().expect("readable").expect("the authority");
    let letter_key = key(CHAIR).p256(Purpose::LetterSigning);
    let bob = csu_assess::certificates::certify(&office(), &authority, "Bob Smith", letter_key.verifying_key(), noon())
        .expect("made");
    let swapped = rewrite_signature(&signed, |data| {
        let mut set = data.certificates.clone().expect("certificates");
        set.0 = der::asn1::SetOfVec::try_from(vec![
            cms::cert::CertificateChoices::Certificate(bob.clone()),
            cms::cert::CertificateChoices::Certificate(authority.clone()),
        ])
        .expect("set");
        data.certificates = Some(set);
        let mut infos: Vec<cms::signed_data::SignerInfo> = data.signer_infos.0.iter().cloned().collect();
        infos[0].sid = cms::signed_data::SignerIdentifier::IssuerAndSerialNumber(cms::cert::IssuerAndSerialNumber {
            issuer: bob.tbs_certificate().issuer().clone(),
            serial_number: bob.tbs_certificate().serial_number().clone(),
        });
        data.signer_infos.0 = der::asn1::SetOfVec::try_from(infos).expect("set");
    });
    match check(&swapped, &trust) {
        Seal::Broken(why) => assert!(why.contains("the certificate it was signed for is not in it"), "{why}"),
        other => panic!("a certificate it was not signed for names the signer: {other:?}"),
    }
    // And the office cannot certify one letter key for two people.
    let refused = roster.edited(&office(), AT, |body| {
        body.assessors.push(chair_entry("Bob Smith", &key("Bob Smith").public()));
        body.certify(&office(), &key("Bob Smith").public(), letter_key.verifying_key())
    });
    match refused {
        Err(e) => assert!(e.to_string().contains("already certified for Ann Chair"), "{e}"),
        Ok(_) => panic!("one letter key certified for two people"),
    }
}

/// A letter-signing key is certified only as its holder hands it over: the
/// card carries the statement that it belongs to their own key, signed with
/// that key and with the letter key. Neither half can be made by another.
#[test]
fn a_letter_key_is_certified_only_for_the_person_who_holds_it() {
    use csu_assess::certificates::{CertificateError, parse_letter_key};
    let (jane, bob) = (key("Jane"), key("Bob"));
    let card = jane.letter_key();
    let letter_key = jane.p256(Purpose::LetterSigning);
    assert_eq!(parse_letter_key(&card, &jane.public()).expect("Jane's own"), *letter_key.verifying_key());
    assert_eq!(
        parse_letter_key(&format!("  {}\n", card.to_uppercase()), &jane.public()).expect("pasted"),
        *letter_key.verifying_key()
    );
    let parts: Vec<&str> = card.split(':').collect();
    assert_eq!(parts.len(), 3);
    let statement =
        |owner: &Identity| format!("CSU Assess letter-signing key {} belongs to key {}", parts[0], owner.public());
    // Bob claims Jane's letter key (it is no secret) with his own signature:
    // he cannot sign the claim with her letter key.
    let claimed = format!("{}:{}:{}", parts[0], bob.sign(&statement(&bob)), parts[2]);
    assert!(matches!(parse_letter_key(&claimed, &bob.public()), Err(CertificateError::NotTheirs { .. })));
    // Jane's card presented under Bob's key, or under his name with her
    // signatures: refused either way.
    assert!(matches!(parse_letter_key(&card, &bob.public()), Err(CertificateError::NotTheirs { .. })));
    let given: p256::ecdsa::Signature = p256::ecdsa::signature::Signer::sign(&letter_key, statement(&bob).as_bytes());
    let given = format!("{}:{}:{}", parts[0], parts[1], csu_assess::keys::to_hex(&given.to_bytes()));
    assert!(matches!(parse_letter_key(&given, &bob.public()), Err(CertificateError::NotTheirs { .. })));
    for broken in [parts[0].to_string(), format!("{}:{}", parts[0], parts[1]), format!("{card}:00"), String::new()] {
        assert!(
            matches!(parse_letter_key(&broken, &jane.public()), Err(CertificateError::NotALetterKey { .. })),
            "{broken}"
        );
    }
}

/// Text a CSU wrote reaches the letter's title and metadata: written to look
/// like the signature's range and room, it neither moves the signature nor
/// fools the check.
#[test]
fn a_csu_name_written_like_a_signature_range_changes_nothing() {
    let (plan, a) = assessed();
    let trust = known(&[CHAIR]);
    let evaluation = csu_assess::scoring::evaluate_as_of(
        &plan,
        a.framework(),
        &a,
        csu_assess::scoring::AsOf { trust: &trust, date: DAY },
    );
    let mut letter = letter::compose(&plan, a.framework(), &a, &evaluation, &wording(), DAY);
    assert!(!letter.draft);
    letter.subject = format!(
        "/ByteRange[0 9999999999 9999999999 9999999999]/Contents<{}> /ByteRange[0 1 2 3] {}",
        "0".repeat(64),
        letter.subject
    );
    let drawn = letter::pdf::render(&letter).expect("drawn");
    let text = String::from_utf8_lossy(&drawn);
    assert!(text.matches("/ByteRange[0 9999999999 9999999999 9999999999]").count() >= 1, "the name, as written");
    assert!(text.matches("/ByteRange").count() >= 3, "the name's two and the signature's");
    let signed = Signer::for_key(&trust, &key(CHAIR)).and_then(|s| s.sign(&drawn, letter.timestamp)).expect("signed");
    assert_eq!(check(&signed, &trust), Seal::Bdu { name: CHAIR.into(), revoked: None });
    assert_eq!(unsigned(&signed).as_ref(), drawn.as_slice());
}

/// A changed letter signed again, as a second signature in an update
/// appended to the file, is not the letter the chair signed, whoever signs
/// the second time.
#[test]
fn a_second_signature_is_not_a_letter() {
    let (trust, signed) = signed_letter();
    let doc = lopdf::Document::load_mem(&signed).expect("parsed");
    let mut update = lopdf::IncrementalDocument::create_from(signed.clone(), doc);
    let mut second = lopdf::Dictionary::new();
    second.set("Type", lopdf::Object::Name(b"Sig".to_vec()));
    second.set("ByteRange", lopdf::Object::Array(vec![0.into(), 0.into(), 0.into(), 0.into()]));
    second.set("Contents", lopdf::Object::String(vec![0; 64], lopdf::StringFormat::Hexadecimal));
    update.new_document.add_object(lopdf::Object::Dictionary(second));
    let mut twice = Vec::new();
    update.save_to(&mut twice).expect("saved");
    assert!(twice.starts_with(&signed), "the update is appended");
    match check(&twice, &trust) {
        Seal::Broken(why) => assert!(why.contains("carries 2 signatures where a letter carries one"), "{why}"),
        other => panic!("{other:?}"),
    }
}
