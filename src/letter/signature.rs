//! The letter's PDF signature (PAdES B-B), which the recipient's own PDF
//! reader checks: "signed by Ann Chair, not modified since".
//!
//! A final letter is drawn with an invisible signature field whose value
//! reserves room for the signature ([`place`]); its `/ByteRange` then
//! covers every byte but that room, so the letter as drawn is its "unsigned
//! form": the same bytes, the room zeroed. Issuing fills the room ([`sign`])
//! with a detached CMS signature over those ranges, made with the chair's
//! P-256 key and carrying the chair's certificate and the office's. The
//! same record and date give the same bytes: ECDSA is deterministic
//! (RFC 6979), the signing time is the letter's date in the signature
//! dictionary's `/M` (no signing-time attribute, as PAdES asks), and the
//! certificates are the roster's.
//!
//! `verify` makes a letter again in its unsigned form and compares it with
//! [`unsigned`] of the PDF, and checks the signature itself with [`check`],
//! which believes no certificate a PDF carries unless the roster's office
//! authority issued it.

use crate::certificates;
use der::Encode;
use p256::ecdsa::{DerSignature, signature::Verifier};
use sha2::Digest;
use x509_cert::Certificate;

/// The room reserved for the signature: two certificates of some 500
/// bytes and the signer's information fit in a quarter of it.
const ROOM: usize = 8192;

/// The `/ByteRange` as drawn, wide enough for any letter's offsets; filled
/// in place, padded with spaces, once the bytes are laid out.
const RANGE_PLACEHOLDER: &[u8] = b"[0 9999999999 9999999999 9999999999]";

/// The field's name, as readers list it in their signature panel.
const FIELD_NAME: &str = "BDU signature";

const ID_DATA: &str = "1.2.840.113549.1.7.1";
const ID_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
const ID_CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";
const ID_MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
const ID_SIGNING_CERTIFICATE_V2: &str = "1.2.840.113549.1.9.16.2.47";
const ID_SHA256: &str = "2.16.840.1.101.3.4.2.1";
const ECDSA_WITH_SHA256: &str = "1.2.840.10045.4.3.2";

fn oid(text: &str) -> der::oid::ObjectIdentifier {
    der::oid::ObjectIdentifier::new_unwrap(text)
}

/// Why a letter could not be signed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error(
        "the BDU's roster gives {who} no letter-signing certificate, so no final letter can be signed here; the BDU office certifies a chair's letter-signing key (`csu-assess key show --letter`) with `csu-assess roster certify`"
    )]
    NoCertificate { who: String },
    #[error(
        "the BDU's roster certifies for {who} a letter-signing key that is not this computer's; the BDU office certifies this computer's (`csu-assess key show --letter`) with `csu-assess roster certify`, which replaces it"
    )]
    OtherKey { who: String },
    #[error(
        "the BDU's roster has no office certificate authority, so no letter can be signed; the office adds it with its next roster edit"
    )]
    NoAuthority,
    #[error("the roster's certificates cannot be used ({0})")]
    Certificate(#[from] certificates::CertificateError),
    #[error(
        "a letter dated {} is signed as of {} UTC that day, before the certificate the BDU office issued starts ({} UTC); date it later",
        signed_at.format("%-d %B %Y"),
        signed_at.format("%H:%M"),
        certified.format("%-d %B %Y %H:%M")
    )]
    BeforeCertificate { signed_at: chrono::DateTime<chrono::Utc>, certified: chrono::DateTime<chrono::Utc> },
    #[error("this letter has no room for a signature (a draft, or made by another program)")]
    NoRoom,
    #[error("the signature could not be made ({0})")]
    Make(String),
}

/// Who signs letters on this computer: the chair's P-256 key and the
/// roster's certificates for it.
pub struct Signer {
    key: p256::ecdsa::SigningKey,
    certificate: Certificate,
    authority: Certificate,
}

impl Signer {
    /// The signer for this computer's key, from the roster's certificate
    /// for it: refused when the roster certifies no key of theirs, or
    /// another key than this computer's.
    pub fn for_key(trust: &crate::roster::Trust, identity: &crate::keys::Identity) -> Result<Signer, SignError> {
        let public = identity.public();
        let who = trust.name_of(&public).unwrap_or("this computer's key").to_string();
        let roster = trust.roster.as_ref().ok_or_else(|| SignError::NoCertificate { who: who.clone() })?;
        let authority = roster.authority()?.ok_or(SignError::NoAuthority)?;
        let certificate = roster
            .enrolled(&public)
            .and_then(|e| e.certificate.as_deref())
            .ok_or_else(|| SignError::NoCertificate { who: who.clone() })?;
        let certificate = certificates::from_hex(certificate, &format!("the roster's certificate for {who}"))?;
        let key = identity.p256(crate::keys::Purpose::LetterSigning);
        if certificates::public_key(&certificate).as_ref() != Some(key.verifying_key())
            || !certificates::issued_by(&certificate, &authority)
        {
            return Err(SignError::OtherKey { who });
        }
        Ok(Signer { key, certificate, authority })
    }

    /// The name the certificate gives the signer.
    pub fn name(&self) -> String {
        certificates::common_name(&self.certificate).unwrap_or_default()
    }

    /// The letter with its reserved room filled with this signer's
    /// signature over every other byte. `signed_at` is the letter's time,
    /// the signing time its `/M` gives readers: a letter dated before the
    /// chair's certificate or the office's authority is valid is refused,
    /// as no certificate vouches for a time before it.
    pub fn sign(&self, unsigned: &[u8], signed_at: chrono::DateTime<chrono::Utc>) -> Result<Vec<u8>, SignError> {
        let starts = [&self.certificate, &self.authority].map(certificates::valid_from);
        if let Some(certified) = starts.into_iter().flatten().filter(|&c| c > signed_at).max() {
            return Err(SignError::BeforeCertificate { signed_at, certified });
        }
        let (start, end) = room(unsigned).ok_or(SignError::NoRoom)?;
        let digest = sha2::Sha256::new().chain_update(&unsigned[..start]).chain_update(&unsigned[end..]).finalize();
        let cms = self.cms(&digest).map_err(|e| SignError::Make(e.to_string()))?;
        if 2 * cms.len() > end - start - 2 {
            return Err(SignError::Make(format!(
                "the signature needs {} bytes, more than the {ROOM} reserved",
                cms.len()
            )));
        }
        let mut out = unsigned.to_vec();
        for (i, byte) in cms.iter().enumerate() {
            out[start + 1 + 2 * i..start + 3 + 2 * i].copy_from_slice(format!("{byte:02X}").as_bytes());
        }
        Ok(out)
    }

    /// A detached CMS SignedData over `digest`: content type, message
    /// digest and the signer's certificate's hash signed (PAdES B-B), both
    /// certificates carried.
    fn cms(&self, digest: &[u8]) -> der::Result<Vec<u8>> {
        use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
        use cms::content_info::{CmsVersion, ContentInfo};
        use cms::signed_data::{
            CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
        };
        use der::asn1::{OctetString, SetOfVec};
        use x509_cert::attr::Attribute;
        use x509_cert::spki::AlgorithmIdentifierOwned;
        let attribute = |id: &str, value: der::Any| -> der::Result<Attribute> {
            Ok(Attribute { oid: oid(id), values: SetOfVec::try_from(vec![value])? })
        };
        let certificate_hash = sha2::Sha256::digest(certificates::der(&self.certificate));
        // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 },
        // ESSCertIDv2 ::= SEQUENCE { certHash OCTET STRING } (SHA-256, the default).
        let ess: Vec<Vec<Vec<OctetString>>> = vec![vec![vec![OctetString::new(certificate_hash.to_vec())?]]];
        let signed_attrs = SetOfVec::try_from(vec![
            attribute(ID_CONTENT_TYPE, der::Any::encode_from(&oid(ID_DATA))?)?,
            attribute(ID_MESSAGE_DIGEST, der::Any::encode_from(&OctetString::new(digest.to_vec())?)?)?,
            attribute(ID_SIGNING_CERTIFICATE_V2, der::Any::encode_from(&ess)?)?,
        ])?;
        let signature: DerSignature = p256::ecdsa::signature::Signer::sign(&self.key, &signed_attrs.to_der()?);
        let sha256 = AlgorithmIdentifierOwned { oid: oid(ID_SHA256), parameters: None };
        let tbs = self.certificate.tbs_certificate();
        let signer_info = SignerInfo {
            version: CmsVersion::V1,
            sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
                issuer: tbs.issuer().clone(),
                serial_number: tbs.serial_number().clone(),
            }),
            digest_alg: sha256.clone(),
            signed_attrs: Some(signed_attrs),
            signature_algorithm: AlgorithmIdentifierOwned { oid: oid(ECDSA_WITH_SHA256), parameters: None },
            signature: OctetString::new(signature.to_bytes().to_vec())?,
            unsigned_attrs: None,
        };
        let signed_data = SignedData {
            version: CmsVersion::V1,
            digest_algorithms: SetOfVec::try_from(vec![sha256])?,
            encap_content_info: EncapsulatedContentInfo { econtent_type: oid(ID_DATA), econtent: None },
            certificates: Some(CertificateSet(SetOfVec::try_from(vec![
                CertificateChoices::Certificate(self.certificate.clone()),
                CertificateChoices::Certificate(self.authority.clone()),
            ])?)),
            crls: None,
            signer_infos: SignerInfos(SetOfVec::try_from(vec![signer_info])?),
        };
        ContentInfo { content_type: oid(ID_SIGNED_DATA), content: der::Any::encode_from(&signed_data)? }.to_der()
    }
}

/// Adds the invisible signature field to a final letter's first page as
/// lopdf holds it, with its room unfilled and its range a placeholder
/// ([`fill_range`] sets it once the bytes are written). `when` is the
/// letter's date, the signing time readers show.
pub fn place(lo: &mut lopdf::Document, when: &chrono::DateTime<chrono::Utc>, reason: &str) -> Result<(), String> {
    use lopdf::{Dictionary, Object, StringFormat};
    let page = *lo.get_pages().values().next().ok_or("the letter has no page")?;
    let placeholder: Vec<Object> = std::str::from_utf8(&RANGE_PLACEHOLDER[1..RANGE_PLACEHOLDER.len() - 1])
        .unwrap_or_default()
        .split(' ')
        .map(|n| Object::Integer(n.parse().unwrap_or_default()))
        .collect();
    let mut value = Dictionary::new();
    value.set("Type", Object::Name(b"Sig".to_vec()));
    value.set("Filter", Object::Name(b"Adobe.PPKLite".to_vec()));
    value.set("SubFilter", Object::Name(b"ETSI.CAdES.detached".to_vec()));
    value.set("ByteRange", Object::Array(placeholder));
    value.set("Contents", Object::String(vec![0; ROOM], StringFormat::Hexadecimal));
    value.set("M", Object::string_literal(when.format("D:%Y%m%d%H%M%SZ").to_string()));
    value.set("Reason", super::pdf::pdf_text(reason));
    let value = lo.add_object(Object::Dictionary(value));
    let mut field = Dictionary::new();
    field.set("Type", Object::Name(b"Annot".to_vec()));
    field.set("Subtype", Object::Name(b"Widget".to_vec()));
    field.set("FT", Object::Name(b"Sig".to_vec()));
    field.set("T", Object::string_literal(FIELD_NAME));
    field.set("TU", Object::string_literal("Digital signature of the Business Development Unit"));
    field.set("V", Object::Reference(value));
    field.set("Rect", Object::Array(vec![0.into(), 0.into(), 0.into(), 0.into()]));
    // Print and Locked: an invisible field (zero size) no one may move.
    field.set("F", Object::Integer(132));
    field.set("P", Object::Reference(page));
    let field = lo.add_object(Object::Dictionary(field));
    let page = lo.get_object_mut(page).and_then(Object::as_dict_mut).map_err(|e| e.to_string())?;
    page.set("Annots", Object::Array(vec![Object::Reference(field)]));
    // PDF/UA: a page with an annotation says its tab order follows the structure.
    page.set("Tabs", Object::Name(b"S".to_vec()));
    let catalog = lo.trailer.get(b"Root").and_then(Object::as_reference).map_err(|e| e.to_string())?;
    let mut form = Dictionary::new();
    form.set("Fields", Object::Array(vec![Object::Reference(field)]));
    // Signatures exist; the file is to be appended to, never rewritten.
    form.set("SigFlags", Object::Integer(3));
    let catalog = lo.get_object_mut(catalog).and_then(Object::as_dict_mut).map_err(|e| e.to_string())?;
    catalog.set("AcroForm", Object::Dictionary(form));
    Ok(())
}

/// Where the reserved room is in a letter this program drew: the `<` and
/// one past the `>` of the signature's hexadecimal string, as its
/// `/ByteRange` gives them. The signature's objects are the last the
/// letter writes, so its `/ByteRange` is the last in the file (text a CSU
/// wrote, in the title, comes before it).
fn room(bytes: &[u8]) -> Option<(usize, usize)> {
    let at = memchr::memmem::rfind(bytes, b"/ByteRange")? + b"/ByteRange".len();
    let rest = &bytes[at..];
    let open = rest.iter().position(|b| !b.is_ascii_whitespace()).filter(|&i| rest[i] == b'[')?;
    let close = open + rest[open..].iter().position(|&b| b == b']')?;
    let numbers: Vec<i64> = std::str::from_utf8(&rest[open + 1..close])
        .ok()?
        .split_ascii_whitespace()
        .map(|n| n.parse().ok())
        .collect::<Option<_>>()?;
    gap(bytes, &numbers)
}

/// The gap a `/ByteRange` leaves, if it covers the whole file but one
/// hexadecimal string: the `<` and one past the `>`.
fn gap(bytes: &[u8], ranges: &[i64]) -> Option<(usize, usize)> {
    let [0, start, end, rest] = ranges else { return None };
    let (start, end, rest) = (usize::try_from(*start).ok()?, usize::try_from(*end).ok()?, usize::try_from(*rest).ok()?);
    let whole = start < end && end.checked_add(rest)? == bytes.len();
    let hex = bytes.get(start + 1..end.checked_sub(1)?)?;
    (whole && bytes[start] == b'<' && bytes[end - 1] == b'>' && hex.iter().all(u8::is_ascii_hexdigit))
        .then_some((start, end))
}

/// The one signature a PDF carries, as a reader finds it (its signature
/// dictionaries, parsed), and the gap its `/ByteRange` leaves, which must
/// hold exactly its `/Contents`.
fn the_signature(bytes: &[u8]) -> Result<(usize, usize, Vec<u8>), String> {
    super::bounded(bytes).map_err(|e| e.to_string())?;
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| format!("the file is not a readable PDF ({e})"))?;
    let values: Vec<&lopdf::Dictionary> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.has(b"ByteRange") && d.has(b"Contents"))
        .collect();
    let [value] = values.as_slice() else {
        return Err(format!(
            "it carries {} signatures where a letter carries one (a second is someone signing a changed file again)",
            values.len()
        ));
    };
    let numbers: Vec<i64> = value
        .get(b"ByteRange")
        .and_then(lopdf::Object::as_array)
        .map(|a| a.iter().filter_map(|n| n.as_i64().ok()).collect())
        .unwrap_or_default();
    let contents = value.get(b"Contents").and_then(lopdf::Object::as_str).map(<[u8]>::to_vec).unwrap_or_default();
    let (start, end) = gap(bytes, &numbers).ok_or("its byte range does not cover the whole file but the signature")?;
    // The gap holds the signature the dictionary gives, and nothing else.
    let raw = crate::keys::hex_bytes(&bytes[start + 1..end - 1]).unwrap_or_default();
    if raw != contents {
        return Err("its byte range leaves out something other than its signature".into());
    }
    Ok((start, end, raw))
}

/// Sets the `/ByteRange` of a letter just written with [`place`]: the
/// whole file but the reserved room.
pub fn fill_range(mut bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    // The last of each: the signature's objects are written last, after
    // any text a CSU wrote.
    let at = memchr::memmem::rfind(&bytes, RANGE_PLACEHOLDER).ok_or("the signature's range is not in the letter")?;
    let mut hole = vec![b'0'; 2 * ROOM];
    hole.insert(0, b'<');
    hole.push(b'>');
    let start = memchr::memmem::rfind(&bytes, &hole).ok_or("the signature's room is not in the letter")?;
    let end = start + hole.len();
    let text = format!("[0 {start} {end} {}]", bytes.len() - end);
    let mut filled = text.into_bytes();
    if filled.len() > RANGE_PLACEHOLDER.len() {
        return Err("the letter is too large to sign".into());
    }
    filled
        .splice(filled.len() - 1..filled.len() - 1, std::iter::repeat_n(b' ', RANGE_PLACEHOLDER.len() - filled.len()));
    bytes[at..at + RANGE_PLACEHOLDER.len()].copy_from_slice(&filled);
    Ok(bytes)
}

/// A letter's unsigned form: its signature's room zeroed, as the letter
/// was drawn before it was signed. A PDF without a signature is its own.
pub fn unsigned(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    match room(bytes) {
        Some((start, end)) => {
            let mut out = bytes.to_vec();
            out[start + 1..end - 1].fill(b'0');
            std::borrow::Cow::Owned(out)
        }
        None => std::borrow::Cow::Borrowed(bytes),
    }
}

/// What a letter's PDF signature says, checked.
#[derive(Clone, Debug, PartialEq)]
pub enum Seal {
    /// No PDF signature (a draft, or a letter issued before letters were signed).
    Unsigned,
    /// A signature over the whole file, intact, by a certificate the
    /// roster's office authority issued and the roster gives to `name`.
    Bdu { name: String, revoked: Option<String> },
    /// Intact, but its certificate is not one this computer can trace to
    /// the BDU office: no roster here, or issued by another authority. The
    /// name is only what the certificate says.
    Unknown { says: String, why: String },
    /// Not a signature of this file as it is: why.
    Broken(String),
}

impl Seal {
    /// One sentence for `verify`.
    pub fn describe(&self) -> String {
        match self {
            Seal::Unsigned => "It carries no PDF signature.".into(),
            Seal::Bdu { name, revoked: None } => format!(
                "Its PDF signature is intact and was made by {name} with the certificate the BDU office issued to {name}."
            ),
            Seal::Bdu { name, revoked: Some(reason) } => format!(
                "Its PDF signature is intact and was made with the certificate the BDU office issued to {name}, whose key the BDU has revoked ({reason}): a PDF reader still shows it as signed, but this program cannot say it was signed before the key was lost."
            ),
            Seal::Unknown { says, why } => format!(
                "Its PDF signature is intact but does not show who signed: its certificate says \"{says}\", and {why}."
            ),
            Seal::Broken(why) => format!("Its PDF signature does not hold: {why}."),
        }
    }
}

/// Checks a PDF's signature: that it covers every byte but its own, that
/// it signs those bytes, and whose certificate made it. Only a certificate
/// the roster's office authority issued, and the roster gives to a key,
/// names the signer; the certificates a PDF carries prove nothing alone.
pub fn check(bytes: &[u8], trust: &crate::roster::Trust) -> Seal {
    if memchr::memmem::find(bytes, b"/ByteRange").is_none() {
        return Seal::Unsigned;
    }
    let (start, end, raw) = match the_signature(bytes) {
        Ok(found) => found,
        Err(why) => return Seal::Broken(why),
    };
    let signed = match Signed::parse(&raw) {
        Ok(s) => s,
        Err(why) => return Seal::Broken(why),
    };
    let digest = sha2::Sha256::new().chain_update(&bytes[..start]).chain_update(&bytes[end..]).finalize();
    if signed.digest != digest.as_slice() {
        return Seal::Broken("the file was changed after it was signed".into());
    }
    let Some(key) = certificates::public_key(&signed.certificate) else {
        return Seal::Broken("its certificate holds no P-256 key".into());
    };
    if key.verify(&signed.attributes, &signed.signature).is_err() {
        return Seal::Broken("the signature does not match its signed contents".into());
    }
    let says = certificates::common_name(&signed.certificate).unwrap_or_default();
    let unknown = |why: &str| Seal::Unknown { says: says.clone(), why: why.to_string() };
    let Some(roster) = trust.roster.as_ref() else {
        return unknown("no BDU roster is at hand here to say whose it is");
    };
    let authority = match roster.authority() {
        Ok(Some(authority)) => authority,
        Ok(None) => return unknown("the BDU's roster here has no office certificate authority"),
        Err(_) => return unknown("the office certificate authority in the BDU's roster here cannot be read"),
    };
    if !certificates::issued_by(&signed.certificate, &authority) {
        return unknown("it was not issued by the BDU office's certificate authority");
    }
    let der = certificates::to_hex(&signed.certificate);
    match roster.body.assessors.iter().find(|e| e.certificate.as_deref() == Some(der.as_str())) {
        Some(e) => Seal::Bdu { name: e.name.clone(), revoked: roster.revocation(&e.key).map(|r| r.reason.clone()) },
        None => unknown("the BDU's roster gives it to no one"),
    }
}

/// A detached CMS signature's parts, as [`check`] needs them.
struct Signed {
    digest: Vec<u8>,
    attributes: Vec<u8>,
    signature: DerSignature,
    certificate: Certificate,
}

impl Signed {
    fn parse(raw: &[u8]) -> Result<Signed, String> {
        use cms::signed_data::{SignedData, SignerIdentifier};
        let bad = |what: &str| format!("its signature is not one this program reads ({what})");
        // The room is padded with zeros after the DER.
        let mut reader = der::SliceReader::new(raw).map_err(|_| bad("empty"))?;
        let info: cms::content_info::ContentInfo = der::Decode::decode(&mut reader).map_err(|_| bad("not CMS"))?;
        if info.content_type != oid(ID_SIGNED_DATA) {
            return Err(bad("not signed data"));
        }
        let data: SignedData = info.content.decode_as().map_err(|_| bad("not signed data"))?;
        let [signer] = data.signer_infos.0.as_slice() else { return Err(bad("not exactly one signer")) };
        let SignerIdentifier::IssuerAndSerialNumber(sid) = &signer.sid else { return Err(bad("signer named by key")) };
        if signer.signature_algorithm.oid != oid(ECDSA_WITH_SHA256) || signer.digest_alg.oid != oid(ID_SHA256) {
            return Err(bad("not ECDSA with SHA-256"));
        }
        let attributes = signer.signed_attrs.as_ref().ok_or_else(|| bad("no signed attributes"))?;
        // The certificate is the one the signer signed for (PAdES's
        // signing-certificate attribute), never merely one carried with
        // the same issuer and serial number.
        let signed_for = attributes
            .iter()
            .find(|a| a.oid == oid(ID_SIGNING_CERTIFICATE_V2))
            .and_then(|a| a.values.get(0))
            .and_then(signing_certificate_hash)
            .ok_or_else(|| bad("no signing-certificate attribute"))?;
        let certificate = data
            .certificates
            .iter()
            .flat_map(|set| set.0.iter())
            .find_map(|c| match c {
                cms::cert::CertificateChoices::Certificate(c)
                    if c.tbs_certificate().issuer() == &sid.issuer
                        && c.tbs_certificate().serial_number() == &sid.serial_number
                        && sha2::Sha256::digest(certificates::der(c)).as_slice() == signed_for.as_slice() =>
                {
                    Some(c.clone())
                }
                _ => None,
            })
            .ok_or_else(|| bad("the certificate it was signed for is not in it"))?;
        let digest = attributes
            .iter()
            .find(|a| a.oid == oid(ID_MESSAGE_DIGEST))
            .and_then(|a| a.values.get(0))
            .and_then(|v| v.decode_as::<der::asn1::OctetString>().ok())
            .ok_or_else(|| bad("no message digest"))?;
        let signature = DerSignature::from_bytes(signer.signature.as_bytes()).map_err(|_| bad("signature"))?;
        Ok(Signed {
            digest: digest.as_bytes().to_vec(),
            attributes: attributes.to_der().map_err(|_| bad("attributes"))?,
            signature,
            certificate,
        })
    }
}

/// The certificate hash a SigningCertificateV2 attribute gives for the
/// signer (its first ESSCertIDv2, hashed with SHA-256, the default).
fn signing_certificate_hash(value: &der::Any) -> Option<Vec<u8>> {
    let fields: Vec<der::Any> = value.decode_as().ok()?;
    let certs: Vec<der::Any> = fields.first()?.decode_as().ok()?;
    let id: Vec<der::Any> = certs.first()?.decode_as().ok()?;
    let hash = match der::Tagged::tag(id.first()?) {
        der::Tag::Sequence => {
            let algorithm: x509_cert::spki::AlgorithmIdentifierOwned = id.first()?.decode_as().ok()?;
            (algorithm.oid == oid(ID_SHA256)).then(|| id.get(1))??
        }
        _ => id.first()?,
    };
    hash.decode_as::<der::asn1::OctetString>().ok().map(|o| o.as_bytes().to_vec())
}
