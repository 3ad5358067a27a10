//! The BDU's X.509 certificates, which a recipient's own PDF reader checks
//! a letter's signature against.
//!
//! The record's entries are signed with Ed25519, which PDF readers do not
//! check (Acrobat checks RSA and ECDSA). So each installation also has an
//! ECDSA P-256 key, derived from its own key under a label of its purpose
//! ([`crate::keys::Identity::p256`]): nothing new to keep safe, and every
//! computer already in use has one. The office's is the BDU's certificate
//! authority (made with the roster); a chair's is certified by it when the
//! office enrols them, and the certificate travels in the roster, so issuing
//! a letter needs no office step.
//!
//! Certificates run to 31 December 9999, RFC 5280's "no well-defined
//! expiration": a letter must show as signed for as long as it is kept, and
//! with no timestamp server (the program is offline) a certificate's end
//! would turn every letter it signed "expired" on that day. A key is ended
//! by the roster's revocation, which `verify` applies and a PDF reader
//! cannot see (the page for recipients says so).

use der::{Decode, Encode};
use p256::ecdsa::{DerSignature, SigningKey, VerifyingKey};
use sha2::Digest;
use x509_cert::Certificate;
use x509_cert::builder::{Builder, CertificateBuilder, profile::BuilderProfile};
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, BasicConstraints, KeyUsage, KeyUsages, SubjectKeyIdentifier};
use x509_cert::ext::{Extension, ToExtension};
use x509_cert::name::Name;
use x509_cert::spki::{SubjectPublicKeyInfo, SubjectPublicKeyInfoRef};

/// The organisation the office's certificate names when the office names
/// none: the BDU, as the built-in letter wording calls it.
pub const ORGANISATION: &str = "Business Development Unit";

/// The office's certificate authority's own name.
const AUTHORITY_NAME: &str = "BDU office certificate authority";

/// Why a key or certificate cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CertificateError {
    #[error(
        "`{text}` is not a letter-signing key: it is 66 hexadecimal characters and two signatures of 128, each after a colon, as `csu-assess key show --letter` prints it"
    )]
    NotALetterKey { text: String },
    #[error(
        "this letter-signing key was not handed over by the holder of key {owner}: their own `csu-assess key show --letter` prints the key with their signatures of it"
    )]
    NotTheirs { owner: String },
    #[error("{what} is not a readable certificate ({problem})")]
    Unreadable { what: String, problem: String },
    #[error("the certificate could not be made ({0})")]
    Make(String),
}

/// A letter-signing public key as people pass it on: its compressed point,
/// hexadecimal (66 characters).
pub fn letter_key_text(key: &VerifyingKey) -> String {
    crate::keys::to_hex(key.to_sec1_point(true).as_bytes())
}

/// What a letter-signing key's holder signs, with both their keys, to say
/// the two are one person's.
fn possession(letter_key: &str, owner: &str) -> String {
    format!("CSU Assess letter-signing key {letter_key} belongs to key {owner}")
}

/// A letter-signing key as its holder hands it to the office: the key (66
/// hexadecimal characters), then, each after a colon, the statement that
/// it belongs to their own key signed with their own key (128) and with
/// the letter key itself (128). Both, so that no one can claim another's
/// letter key as theirs, nor give their letter key to another's name.
pub fn letter_key_card(identity: &crate::keys::Identity) -> String {
    let letter = identity.p256(crate::keys::Purpose::LetterSigning);
    let key = letter_key_text(letter.verifying_key());
    let statement = possession(&key, &identity.public());
    let by_letter_key: p256::ecdsa::Signature = p256::ecdsa::signature::Signer::sign(&letter, statement.as_bytes());
    format!("{key}:{}:{}", identity.sign(&statement), crate::keys::to_hex(&by_letter_key.to_bytes()))
}

/// A letter-signing key as pasted (spaces allowed), accepted only with
/// both signatures of the statement that it belongs to `owner`'s key: the
/// office certifies no letter key its holder did not hand over as
/// `owner`'s.
pub fn parse_letter_key(text: &str, owner: &str) -> Result<VerifyingKey, CertificateError> {
    use p256::ecdsa::signature::Verifier;
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    let not_a_key = || CertificateError::NotALetterKey { text: text.trim().chars().take(80).collect() };
    let mut parts = compact.split(':');
    let (Some(key), Some(by_owner), Some(by_letter_key), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(not_a_key());
    };
    let parsed = crate::keys::hex_bytes(key.as_bytes())
        .filter(|b| b.len() == 33)
        .and_then(|b| VerifyingKey::from_sec1_bytes(&b).ok())
        .ok_or_else(not_a_key)?;
    let statement = possession(key, owner);
    let letter_signed = crate::keys::hex_bytes(by_letter_key.as_bytes())
        .and_then(|b| p256::ecdsa::Signature::from_slice(&b).ok())
        .is_some_and(|sig| parsed.verify(statement.as_bytes(), &sig).is_ok());
    if !crate::keys::verify(owner, &statement, by_owner) || !letter_signed {
        return Err(CertificateError::NotTheirs { owner: crate::keys::short(owner) });
    }
    Ok(parsed)
}

/// One certificate's contents: whose it is, who issued it, what it may do.
struct Profile {
    subject: Name,
    issuer: Option<Name>,
    authority: bool,
}

impl BuilderProfile for Profile {
    fn get_issuer(&self, subject: &Name) -> Name {
        self.issuer.clone().unwrap_or_else(|| subject.clone())
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        spk: SubjectPublicKeyInfoRef<'_>,
        issuer_spk: SubjectPublicKeyInfoRef<'_>,
        tbs: &x509_cert::TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        let subject = tbs.subject();
        let usage = if self.authority {
            KeyUsages::KeyCertSign | KeyUsages::CRLSign
        } else {
            KeyUsages::DigitalSignature | KeyUsages::NonRepudiation
        };
        let mut extensions = vec![
            (&BasicConstraints { ca: self.authority, path_len_constraint: self.authority.then_some(0) })
                .to_extension(subject, &[])?,
            (&KeyUsage(usage)).to_extension(subject, &[])?,
            (&SubjectKeyIdentifier::try_from(spk)?).to_extension(subject, &[])?,
        ];
        if !self.authority {
            extensions.push((&AuthorityKeyIdentifier::try_from(issuer_spk)?).to_extension(subject, &[])?);
        }
        Ok(extensions)
    }
}

/// A name of a common name and an organisation, each a UTF8String (any
/// character a person's name may hold, none of RFC 4514's escaping).
fn name(common: &str, organisation: &str) -> Result<Name, CertificateError> {
    use x509_cert::attr::AttributeTypeAndValue;
    use x509_cert::name::{RdnSequence, RelativeDistinguishedName};
    let make = |e: der::Error| CertificateError::Make(e.to_string());
    let mut rdns = RdnSequence::default();
    for (oid, value) in [
        (der::oid::ObjectIdentifier::new_unwrap("2.5.4.10"), organisation),
        (der::oid::ObjectIdentifier::new_unwrap("2.5.4.3"), common),
    ] {
        let mut rdn = RelativeDistinguishedName::default();
        let value = der::Any::encode_from(&der::asn1::Utf8StringRef::new(value).map_err(make)?).map_err(make)?;
        rdn.insert(AttributeTypeAndValue { oid, value }).map_err(make)?;
        rdns.push(rdn);
    }
    Name::from_der(&rdns.to_der().map_err(make)?).map_err(make)
}

/// A serial number no other certificate of the office's has: from the
/// certified key, the subject and the day it starts, positive, 16 bytes.
fn serial(
    key: &VerifyingKey,
    subject: &Name,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<x509_cert::serial_number::SerialNumber, CertificateError> {
    let mut hash = sha2::Sha256::new();
    hash.update(key.to_sec1_bytes());
    hash.update(subject.to_der().map_err(|e| CertificateError::Make(e.to_string()))?);
    hash.update(at.timestamp().to_be_bytes());
    let mut bytes = hash.finalize()[..16].to_vec();
    bytes[0] = (bytes[0] & 0x7f) | 0x01;
    x509_cert::serial_number::SerialNumber::new(&bytes).map_err(|e| CertificateError::Make(e.to_string()))
}

/// From `at` to the end of 9999.
fn validity(at: chrono::DateTime<chrono::Utc>) -> Result<x509_cert::time::Validity, CertificateError> {
    let make = |e: der::Error| CertificateError::Make(e.to_string());
    let start = std::time::UNIX_EPOCH + std::time::Duration::from_secs(at.timestamp().max(0).unsigned_abs());
    let end = der::DateTime::new(9999, 12, 31, 23, 59, 59).map_err(make)?;
    Ok(x509_cert::time::Validity::new(
        x509_cert::time::Time::try_from(start).map_err(make)?,
        x509_cert::time::Time::GeneralTime(der::asn1::GeneralizedTime::from_date_time(end)),
    ))
}

fn build(
    profile: Profile,
    key: &VerifyingKey,
    signer: &SigningKey,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<Certificate, CertificateError> {
    let make = |e: x509_cert::builder::Error| CertificateError::Make(e.to_string());
    let spki = SubjectPublicKeyInfo::from_key(key).map_err(|e| CertificateError::Make(e.to_string()))?;
    let serial = serial(key, &profile.subject, at)?;
    let builder = CertificateBuilder::new(profile, serial, validity(at)?, spki).map_err(make)?;
    builder.build::<_, DerSignature>(signer).map_err(make)
}

/// The office's certificate authority: self-signed by the office's P-256
/// key, naming `organisation`, valid from `at`.
pub fn authority(
    office: &crate::keys::Identity,
    organisation: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<Certificate, CertificateError> {
    let key = office.p256(crate::keys::Purpose::OfficeAuthority);
    let profile = Profile { subject: name(AUTHORITY_NAME, organisation)?, issuer: None, authority: true };
    build(profile, key.verifying_key(), &key, at)
}

/// A chair's letter-signing certificate: `name`'s `key`, for signing
/// (digital signature and non-repudiation), issued by the office's
/// `authority` from `at`.
pub fn certify(
    office: &crate::keys::Identity,
    authority: &Certificate,
    person: &str,
    key: &VerifyingKey,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<Certificate, CertificateError> {
    let signer = office.p256(crate::keys::Purpose::OfficeAuthority);
    if public_key(authority).as_ref() != Some(signer.verifying_key()) {
        return Err(CertificateError::Make(
            "the roster's certificate authority is not this office key's; certify on the office's computer".into(),
        ));
    }
    let organisation = organisation(authority).unwrap_or_else(|| ORGANISATION.to_string());
    let profile = Profile {
        subject: name(person.trim(), &organisation)?,
        issuer: Some(authority.tbs_certificate().subject().clone()),
        authority: false,
    };
    build(profile, key, &signer, at)
}

/// A certificate's DER bytes.
pub fn der(certificate: &Certificate) -> Vec<u8> {
    certificate.to_der().unwrap_or_default()
}

/// A certificate as the roster holds it: its DER bytes, hexadecimal.
pub fn to_hex(certificate: &Certificate) -> String {
    crate::keys::to_hex(&der(certificate))
}

/// A certificate from its DER bytes; `what` names it in the message.
pub fn from_der(bytes: &[u8], what: &str) -> Result<Certificate, CertificateError> {
    Certificate::from_der(bytes)
        .map_err(|e| CertificateError::Unreadable { what: what.to_string(), problem: e.to_string() })
}

/// A certificate from the roster's hexadecimal.
pub fn from_hex(text: &str, what: &str) -> Result<Certificate, CertificateError> {
    let bytes = crate::keys::hex_bytes(text.as_bytes())
        .ok_or_else(|| CertificateError::Unreadable { what: what.to_string(), problem: "not hexadecimal".into() })?;
    from_der(&bytes, what)
}

/// A certificate as PEM text, as readers and `certutil` import it.
pub fn pem(certificate: &Certificate) -> String {
    der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, &der(certificate)).unwrap_or_default()
}

/// The SHA-256 of a certificate's DER, as readers show it (upper-case
/// pairs), so a recipient can compare what their reader shows with what
/// the BDU publishes.
pub fn fingerprint(certificate: &Certificate) -> String {
    sha2::Sha256::digest(der(certificate)).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

/// The common name a certificate's subject gives.
pub fn common_name(certificate: &Certificate) -> Option<String> {
    certificate.tbs_certificate().subject().common_name().ok().flatten().map(|s| s.value().into_owned())
}

/// The organisation a certificate's subject gives.
pub fn organisation(certificate: &Certificate) -> Option<String> {
    certificate.tbs_certificate().subject().organization().ok().flatten().map(|s| s.value().into_owned())
}

/// When a certificate's validity starts.
pub fn valid_from(certificate: &Certificate) -> Option<chrono::DateTime<chrono::Utc>> {
    let seconds = certificate.tbs_certificate().validity().not_before.to_unix_duration().as_secs();
    chrono::DateTime::from_timestamp(i64::try_from(seconds).ok()?, 0)
}

/// The P-256 key a certificate certifies.
pub fn public_key(certificate: &Certificate) -> Option<VerifyingKey> {
    let spki = certificate.tbs_certificate().subject_public_key_info();
    VerifyingKey::from_sec1_bytes(spki.subject_public_key.as_bytes()?).ok()
}

/// Whether `issuer`'s key signed `certificate` (and names it as issuer).
pub fn issued_by(certificate: &Certificate, issuer: &Certificate) -> bool {
    use p256::ecdsa::signature::Verifier;
    let tbs = certificate.tbs_certificate();
    if tbs.issuer() != issuer.tbs_certificate().subject() {
        return false;
    }
    let (Some(key), Ok(tbs_der)) = (public_key(issuer), tbs.to_der()) else { return false };
    let Some(signature) = certificate.signature().as_bytes().and_then(|b| DerSignature::from_bytes(b).ok()) else {
        return false;
    };
    key.verify(&tbs_der, &signature).is_ok()
}
