/**
 * The certificate engine's plain-data model. Every type here survives `structuredClone` (it crosses the
 * Web Worker boundary) and `JSON.stringify` apart from the `Uint8Array` fields, which the CLI hex-encodes.
 *
 * `parse.ts` (with `adapter/`, the only code that touches pkijs / asn1js) produces these; the path builder, the
 * RFC 5280 checks and the client profiles consume them and never see a library object.
 */

/** One attribute of a distinguished name, in the order it appears on the wire. */
export interface NameAttribute {
  /** Dotted OID, e.g. "2.5.4.3". */
  readonly oid: string;
  /** Short name when known ("CN", "O", "OU", "C", "L", "ST", "emailAddress" ...), else the OID. */
  readonly type: string;
  readonly value: string;
}

export interface DistinguishedName {
  /** RFC 4514 string, most-significant RDN last as OpenSSL's `-nameopt RFC2253` prints it. */
  readonly rfc4514: string;
  /** One entry per RDN (outer array), each with its attributes (multi-valued RDNs keep all of them). */
  readonly rdns: readonly (readonly NameAttribute[])[];
  /**
   * Comparison key for RFC 5280 §7.1 name matching: attribute types and values with case folded and
   * internal white space collapsed. Two names chain iff their keys are equal.
   */
  readonly key: string;
  /** Hex of the DER encoding of the Name, for byte-exact comparison (OpenSSL 1.0.2 compares canonical forms). */
  readonly derHex: string;
}

/** An authority key identifier's issuer fields (RFC 5280 §4.2.1.1). */
export interface AuthorityCertIssuer {
  /** The first directoryName of authorityCertIssuer, the one OpenSSL compares; null when it has none. */
  readonly dirName: DistinguishedName | null;
  /** authorityCertSerialNumber, lower-case hex as encoded; null when absent. */
  readonly serialHex: string | null;
}

export interface Validity {
  /** ISO 8601, UTC. */
  readonly notBefore: string;
  readonly notAfter: string;
  /** Milliseconds since the epoch, for comparisons without re-parsing. */
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
}

export type GeneralNameKind = 'dns' | 'ip' | 'email' | 'uri' | 'dn' | 'other';

export interface GeneralName {
  readonly kind: GeneralNameKind;
  /** dns/email/uri: the IA5String; ip: dotted or RFC 5952 text (in name constraints "addr/prefix"); dn: RFC 4514. */
  readonly value: string;
  /** For kind 'dn': the structured name (for name-constraint subtree matching). */
  readonly name?: DistinguishedName;
}

export interface SubjectAltNames {
  readonly dns: readonly string[];
  readonly ip: readonly string[];
  readonly email: readonly string[];
  readonly uri: readonly string[];
  /** Every general name in wire order, including directory names and other names. */
  readonly all: readonly GeneralName[];
}

export interface BasicConstraints {
  readonly ca: boolean;
  /** Absent means no limit. */
  readonly pathLen?: number;
}

export interface NameConstraints {
  readonly permitted: readonly GeneralName[];
  readonly excluded: readonly GeneralName[];
}

export interface PolicyInformation {
  /** Dotted OID; "2.5.29.32.0" is anyPolicy. */
  readonly oid: string;
  readonly qualifiers: readonly { readonly oid: string; readonly value: string }[];
}

export interface PolicyConstraints {
  readonly requireExplicitPolicy?: number;
  readonly inhibitPolicyMapping?: number;
}

export interface ExtensionView {
  readonly oid: string;
  /** Human name when known ("basicConstraints", "subjectAltName" ...). */
  readonly name?: string;
  readonly critical: boolean;
  /** True when the engine understands this extension (a critical extension that is not known fails RFC 5280 §4.2). */
  readonly known: boolean;
  /** Hex of extnValue's contents (the DER inside the OCTET STRING). */
  readonly valueHex: string;
}

export interface AlgorithmView {
  readonly oid: string;
  /** e.g. "sha256WithRSAEncryption", "ecdsa-with-SHA384", "rsassa-pss", "ed25519". */
  readonly name: string;
  /** Hash used by the signature, when it has one: "SHA-1", "SHA-256" ... */
  readonly hash?: string;
}

export interface PublicKeyView {
  /** "RSA", "EC", "Ed25519", "Ed448", "DSA", or the OID when unknown. */
  readonly algorithm: string;
  /** RSA modulus size, EC field size, etc. */
  readonly bits: number;
  /** Named curve for EC keys: "P-256", "P-384", "P-521" or the OID. */
  readonly curve?: string;
  /** An RSA key under id-RSASSA-PSS (RFC 4055 §1.2), for PSS signatures only; `algorithm` is still "RSA". */
  readonly pssOnly?: true;
  /** DER of SubjectPublicKeyInfo. */
  readonly spkiDer: Uint8Array;
}

/** A node of the DER tree, with byte spans relative to the start of the certificate's DER. */
export interface Asn1Node {
  /** Stable path id, e.g. "cert.tbs.validity.notAfter"; unnamed nodes get an index path ("cert.tbs.7.0"). */
  readonly id: string;
  /** Human label when known ("Validity", "Not After"). */
  readonly label?: string;
  /** Universal type or context tag, e.g. "SEQUENCE", "INTEGER", "[3]". */
  readonly tag: string;
  /** Offset of the identifier octet. */
  readonly start: number;
  readonly headerLength: number;
  /** Length of the contents (so the node covers [start, start + headerLength + length)). */
  readonly length: number;
  readonly children: readonly Asn1Node[];
}

/**
 * What a certificate does wrong that OpenSSL still loads: the parser keeps the certificate and lists each defect
 * here, and every profile decides what its client does with it (profiles/defects.ts). Switch on `kind`, never on
 * the message.
 */
export type CertDefectKind =
  /** A RelativeDistinguishedName SET with no attribute (Go once emitted these). */
  | 'empty-rdn'
  /** basicConstraints pathLenConstraint below zero (RFC 5280 §4.2.1.9: INTEGER (0..MAX)). */
  | 'negative-path-len'
  /** UTCTime YYMMDDHHMMZ (RFC 5280 §4.1.2.5.1: seconds MUST be present). */
  | 'utc-time-without-seconds'
  /** GeneralizedTime with fractional seconds (RFC 5280 §4.1.2.5.2: MUST NOT include them). */
  | 'fractional-seconds'
  /** A dNSName SAN with bytes outside IA5 (shown decoded as UTF-8, else Latin-1). */
  | 'non-ia5-dns-name'
  /** An extension whose value is not valid DER for its type (the view's field stays null). */
  | 'broken-extension'
  /** nameConstraints with neither permittedSubtrees nor excludedSubtrees (RFC 5280 §4.2.1.10: one MUST be present). */
  | 'empty-name-constraints'
  /** A permittedSubtrees or excludedSubtrees with no subtree (GeneralSubtrees ::= SEQUENCE SIZE (1..MAX)). */
  | 'empty-subtrees';

export interface CertDefect {
  readonly kind: CertDefectKind;
  /** The field ("subject", "issuer", "notBefore", "notAfter") or "extension <name>". */
  readonly where: string;
  /** Dotted OID of the extension concerned, when the defect is inside one. */
  readonly extension?: string;
  /** Offset in the certificate's DER of the offending element. */
  readonly offset: number;
  readonly message: string;
}

export interface CertView {
  /** SHA-256 fingerprint of the DER, lower-case hex: the certificate's identity in the engine. */
  readonly id: string;
  readonly version: number;
  /** Lower-case hex, as encoded (may carry a leading 00). */
  readonly serialHex: string;
  readonly subject: DistinguishedName;
  readonly issuer: DistinguishedName;
  readonly validity: Validity;
  readonly san: SubjectAltNames | null;
  /** Names of the asserted bits: digitalSignature, nonRepudiation, keyEncipherment, dataEncipherment,
   * keyAgreement, keyCertSign, cRLSign, encipherOnly, decipherOnly. null when the extension is absent. */
  readonly keyUsage: readonly string[] | null;
  /** Dotted OIDs (serverAuth is 1.3.6.1.5.5.7.3.1). null when absent. */
  readonly extKeyUsage: readonly string[] | null;
  /**
   * Netscape's certificate type (2.16.840.1.113730.1.1, still written by old easy-rsa and OpenVPN setups): the first
   * byte of its BIT STRING, as OpenSSL keeps it (ex_nscert: 0x80 SSL client, 0x40 SSL server, 0x04 SSL CA, 0x07 any
   * CA), 0 when it is empty; null when absent. Only OpenSSL reads it.
   */
  readonly nsCertType: number | null;
  /**
   * Present only for a certificate read from a "TRUSTED CERTIFICATE" block: OpenSSL's auxiliary trust settings
   * (X509_CERT_AUX after the certificate; `openssl x509 -addtrust/-addreject`), the purposes (OIDs) it is trusted and
   * rejected for; null where that list is absent. OpenSSL applies them to a trust anchor; Go and rustls do not read
   * this block at all.
   */
  readonly trustSettings?: {
    readonly trust: readonly string[] | null;
    readonly reject: readonly string[] | null;
  };
  readonly basicConstraints: BasicConstraints | null;
  readonly nameConstraints: NameConstraints | null;
  readonly policies: readonly PolicyInformation[] | null;
  readonly policyMappings:
    readonly { readonly issuerDomainPolicy: string; readonly subjectDomainPolicy: string }[] | null;
  readonly policyConstraints: PolicyConstraints | null;
  readonly inhibitAnyPolicy: number | null;
  /** Authority key identifier's keyIdentifier, hex. */
  readonly authorityKeyId: string | null;
  /**
   * The authority key identifier's authorityCertIssuer and authorityCertSerialNumber, when it has either (Microsoft
   * AD CS writes them): OpenSSL takes an issuer only if they name it (X509_check_akid). Absent: neither.
   */
  readonly authorityCertIssuer?: AuthorityCertIssuer;
  readonly subjectKeyId: string | null;
  readonly aia: { readonly ocsp: readonly string[]; readonly caIssuers: readonly string[] } | null;
  readonly crlDistributionPoints: readonly string[] | null;
  readonly extensions: readonly ExtensionView[];
  readonly signatureAlgorithm: AlgorithmView;
  readonly publicKey: PublicKeyView;
  readonly fingerprints: {
    readonly sha1: string;
    readonly sha256: string;
    /** SHA-256 of the SubjectPublicKeyInfo DER, hex: certificates that share it share a key. */
    readonly spkiSha256: string;
    /** The same as base64, as used by HPKP-style pins and `openssl ... | base64`. */
    readonly spkiSha256Base64: string;
  };
  /** Subject equals issuer (by name key). */
  readonly selfIssued: boolean;
  readonly der: Uint8Array;
  readonly asn1: Asn1Node;
  /** What OpenSSL loads but the standard forbids, each with its kind and place (empty for a clean certificate). */
  readonly defects: readonly CertDefect[];
}

export interface CrlView {
  readonly issuer: DistinguishedName;
  readonly thisUpdate: string;
  readonly nextUpdate?: string;
  readonly revokedSerials: readonly string[];
  readonly der: Uint8Array;
  /** SHA-256 of the DER, lower-case hex. */
  readonly id?: string;
  readonly signatureAlgorithm?: AlgorithmView;
  /** Every revoked entry with its date and reasonCode (RFC 5280 §5.3.1) when present. */
  readonly revoked?: readonly RevokedEntry[];
  /** crlExtensions (RFC 5280 §5.2), with `known` false for all: the engine decides what it processes. */
  readonly extensions?: readonly ExtensionView[];
  /** Authority key identifier's keyIdentifier, hex, when the CRL carries one. */
  readonly authorityKeyId?: string | null;
  /** cRLNumber as hex (RFC 5280 §5.2.3), when present. */
  readonly crlNumberHex?: string;
}

export interface RevokedEntry {
  /** Lower-case hex, as encoded. */
  readonly serialHex: string;
  /** ISO 8601, UTC. */
  readonly revocationDate: string;
  /** reasonCode name ("keyCompromise", "cACompromise" ...) when the entry has one. */
  readonly reason?: string;
  /** Entry extension OIDs present (e.g. certificateIssuer 2.5.29.29 for indirect CRLs). */
  readonly entryExtensionOids?: readonly string[];
}

export interface ParseProblem {
  /** Where in the input: "line 12", "byte 340", "block 3 (PEM CERTIFICATE, lines 10-31)". */
  readonly where: string;
  /** What and why, in one sentence a person can act on. */
  readonly message: string;
}

export interface ParsedBlock {
  /** What the block was recognised as: "PEM CERTIFICATE", "DER certificate", "PKCS#7", "PKCS#12", "CRL", "private key" ... */
  readonly kind: string;
  readonly where: string;
  /** ids of the certificates this block produced. */
  readonly certificateIds: readonly string[];
  readonly problem?: string;
  /** Information that is not a failure, e.g. "duplicate of a certificate in block 1 (not listed twice)". */
  readonly note?: string;
}

export interface ParseReport {
  readonly certificates: CertView[];
  readonly crls: CrlView[];
  readonly blocks: ParsedBlock[];
  readonly problems: ParseProblem[];
  readonly discardedPrivateKeys: number;
  /** Set when the input is PKCS#12 that needs a password and none (or a wrong one) was given. */
  readonly needsPassword?: boolean;
}
