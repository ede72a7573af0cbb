/** Object identifiers the parser names (RFC 5280, RFC 4519, RFC 3279/4055/5758/8410, PKCS #1/#7/#9/#12). */

/** Attribute types with the short names OpenSSL prints (RFC 4514 §3 keywords first). */
export const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.13': 'description',
  '2.5.4.17': 'postalCode',
  '2.5.4.41': 'name',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.44': 'generationQualifier',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.65': 'pseudonym',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
  '1.3.6.1.4.1.311.60.2.1.2': 'jurisdictionST',
  '1.3.6.1.4.1.311.60.2.1.1': 'jurisdictionL',
  '2.5.4.15': 'businessCategory',
};

/** Extension OIDs (RFC 5280 §4.2) with names; `known` = the engine processes them. */
export const EXTENSIONS: Readonly<Record<string, { name: string; known: boolean }>> = {
  '2.5.29.14': { name: 'subjectKeyIdentifier', known: true },
  '2.5.29.15': { name: 'keyUsage', known: true },
  '2.5.29.17': { name: 'subjectAltName', known: true },
  '2.5.29.18': { name: 'issuerAltName', known: false },
  '2.5.29.19': { name: 'basicConstraints', known: true },
  '2.5.29.30': { name: 'nameConstraints', known: true },
  '2.5.29.31': { name: 'cRLDistributionPoints', known: false },
  '2.5.29.32': { name: 'certificatePolicies', known: true },
  '2.5.29.33': { name: 'policyMappings', known: true },
  '2.5.29.35': { name: 'authorityKeyIdentifier', known: true },
  '2.5.29.36': { name: 'policyConstraints', known: true },
  '2.5.29.37': { name: 'extKeyUsage', known: true },
  '2.5.29.46': { name: 'freshestCRL', known: false },
  '2.5.29.54': { name: 'inhibitAnyPolicy', known: true },
  '2.5.29.9': { name: 'subjectDirectoryAttributes', known: false },
  '1.3.6.1.5.5.7.1.1': { name: 'authorityInfoAccess', known: false },
  '1.3.6.1.5.5.7.1.11': { name: 'subjectInfoAccess', known: false },
  '1.3.6.1.5.5.7.1.24': { name: 'tlsFeature', known: false },
  '1.3.6.1.4.1.11129.2.4.2': { name: 'ctPrecertificateSCTs', known: false },
  '1.3.6.1.4.1.11129.2.4.3': { name: 'ctPrecertificatePoison', known: false },
  '2.16.840.1.113730.1.1': { name: 'netscapeCertType', known: true },
  '2.16.840.1.113730.1.13': { name: 'netscapeComment', known: false },
  '1.3.6.1.4.1.311.21.1': { name: 'msCertsrvCAVersion', known: false },
  '1.3.6.1.4.1.311.21.7': { name: 'msCertificateTemplate', known: false },
  '1.3.6.1.4.1.311.21.10': { name: 'msApplicationPolicies', known: false },
  '1.3.6.1.4.1.311.20.2': { name: 'msCertificateTemplateName', known: false },
};

export interface SignatureAlgorithmInfo {
  readonly name: string;
  readonly hash?: string;
  /** Key family the signature needs. */
  readonly keyType: 'RSA' | 'RSA-PSS' | 'EC' | 'Ed25519' | 'Ed448' | 'DSA';
}

export const SIGNATURE_ALGORITHMS: Readonly<Record<string, SignatureAlgorithmInfo>> = {
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'MD5', keyType: 'RSA' },
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', hash: 'MD2', keyType: 'RSA' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'SHA-1', keyType: 'RSA' },
  '1.3.14.3.2.29': { name: 'sha1WithRSASignature', hash: 'SHA-1', keyType: 'RSA' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', hash: 'SHA-224', keyType: 'RSA' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hash: 'SHA-256', keyType: 'RSA' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hash: 'SHA-384', keyType: 'RSA' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hash: 'SHA-512', keyType: 'RSA' },
  '1.2.840.113549.1.1.10': { name: 'rsassa-pss', keyType: 'RSA-PSS' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'SHA-1', keyType: 'EC' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', hash: 'SHA-224', keyType: 'EC' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'SHA-256', keyType: 'EC' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'SHA-384', keyType: 'EC' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'SHA-512', keyType: 'EC' },
  '1.3.101.112': { name: 'ed25519', keyType: 'Ed25519' },
  '1.3.101.113': { name: 'ed448', keyType: 'Ed448' },
  '1.2.840.10040.4.3': { name: 'dsa-with-SHA1', hash: 'SHA-1', keyType: 'DSA' },
  '2.16.840.1.101.3.4.3.1': { name: 'dsa-with-SHA224', hash: 'SHA-224', keyType: 'DSA' },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa-with-SHA256', hash: 'SHA-256', keyType: 'DSA' },
};

export const HASH_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.4': 'SHA-224',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

export const PUBLIC_KEY_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.113549.1.1.10': 'RSA-PSS',
  '1.2.840.10045.2.1': 'EC',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.3.101.110': 'X25519',
  '1.3.101.111': 'X448',
  '1.2.840.10040.4.1': 'DSA',
};

export const CURVES: Readonly<Record<string, { name: string; bits: number }>> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', bits: 256 },
  '1.3.132.0.34': { name: 'P-384', bits: 384 },
  '1.3.132.0.35': { name: 'P-521', bits: 521 },
  '1.3.132.0.10': { name: 'secp256k1', bits: 256 },
  '1.2.840.10045.3.1.1': { name: 'P-192', bits: 192 },
  '1.3.132.0.33': { name: 'P-224', bits: 224 },
  // RFC 5639 §4.1
  '1.3.36.3.3.2.8.1.1.7': { name: 'brainpoolP256r1', bits: 256 },
  '1.3.36.3.3.2.8.1.1.11': { name: 'brainpoolP384r1', bits: 384 },
  '1.3.36.3.3.2.8.1.1.13': { name: 'brainpoolP512r1', bits: 512 },
};

export const OID = {
  anyPolicy: '2.5.29.32.0',
  ocsp: '1.3.6.1.5.5.7.48.1',
  caIssuers: '1.3.6.1.5.5.7.48.2',
  cpsQualifier: '1.3.6.1.5.5.7.2.1',
  userNoticeQualifier: '1.3.6.1.5.5.7.2.2',
  pkcs7SignedData: '1.2.840.113549.1.7.2',
  pkcs7Data: '1.2.840.113549.1.7.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  mgf1: '1.2.840.113549.1.1.8',
} as const;
