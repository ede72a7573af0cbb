/**
 * RFC 5280 §6.1 path validation of ONE path (leaf first, trust anchor last) at a given time.
 *
 * The signature of every edge was verified while building (§6.1.3 (a)(1)); this module runs the rest, in spec
 * order, and returns every problem found (not just the first) so the UI can show all of them. Client profiles
 * switch individual rules through `ValidationRules` and map the reasons to their own error text.
 *
 * Not implemented, and reported as `unsupported` (never as a pass):
 * - certificate policy processing (§6.1.3 (d)-(f), §6.1.4 (a)-(b), (g)-(j), §6.1.5 (a)-(b), (g)): when a
 *   certificate carries requireExplicitPolicy or policyMappings, or the caller sets non-default policy inputs.
 *   With the default inputs (any-policy, no explicit policy, mapping and anyPolicy allowed) and neither of those
 *   extensions, policy processing cannot change the outcome, so no flag is raised.
 * - CRL validation beyond "a CRL from the certificate's issuer lists its serial" (revocation.ts).
 */
import type { CertDefectKind, CertView } from '../types.ts';
import { type HostnameOptions, matchHostname } from './hostname.ts';
import {
  type ComparisonBudget,
  checkNameConstraints,
  malformedIpSubtrees,
  namesOf,
  unsupportedConstraints,
} from './name-constraints.ts';
import { type Reason, label, makeReason, type Severity } from './reasons.ts';
import { isWeakSignature, keyDescription } from './algorithms.ts';

export type Purpose = 'serverAuth' | 'clientAuth' | 'any';

export const EKU_OID: Record<Exclude<Purpose, 'any'>, string> = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};
export const ANY_EKU = '2.5.29.37.0';

export interface PolicyInputs {
  readonly initialPolicySet?: readonly string[];
  readonly initialExplicitPolicy?: boolean;
  readonly initialPolicyMappingInhibit?: boolean;
  readonly initialInhibitAnyPolicy?: boolean;
}

/** Rule switches; defaults are the rfc5280 profile's. */
export interface ValidationRules {
  /** Check the trust anchor certificate's own validity period (RFC 5280 does not; OpenSSL does). */
  readonly anchorValidity?: boolean;
  /** Apply the anchor certificate's basicConstraints/keyUsage/EKU/critical-extension checks. */
  readonly anchorChecks?: boolean;
  /** Apply the anchor certificate's pathLenConstraint and name constraints (OpenSSL, Go; RFC 5937 optional). */
  readonly anchorConstraints?: boolean;
  /** CAs must assert keyCertSign when they have keyUsage (RFC 5280 §6.1.4 (n)); Go skips this. */
  readonly caKeyUsage?: boolean;
  /** Self-issued intermediates count against pathLenConstraint (Go does; RFC 5280 §6.1.4 (l) does not). */
  readonly pathLenCountsSelfIssued?: boolean;
  /** CA certificates' EKU must allow the purpose ("EKU chaining": OpenSSL, Go, webpki; not RFC 5280). */
  readonly ekuChaining?: boolean;
  /** anyExtendedKeyUsage satisfies the purpose on the leaf / on CAs. */
  readonly anyEkuLeaf?: boolean;
  readonly anyEkuCa?: boolean;
  /** A leaf EKU extension that is absent passes (true everywhere except strict profiles). */
  readonly checkCommonNameAsDns?: boolean;
  readonly hostname?: HostnameOptions;
  /** How SHA-1/MD5 signatures and small RSA keys are reported. */
  readonly weakAlgorithms?: 'warning' | 'error' | 'ignore';
  readonly minRsaBits?: number;
  /** The leaf must not be a CA (webpki CaUsedAsEndEntity). */
  readonly leafMustNotBeCa?: boolean;
  /** RFC 5280's certificate profile rules (§4.1, §4.2): the rfc5280 profile only; clients check what they check. */
  readonly profileRules?: boolean;
}

export interface ValidationInput {
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly purpose?: Purpose;
  readonly hostname?: string;
  readonly rules?: ValidationRules;
  readonly policy?: PolicyInputs;
  /** Name-constraint comparisons allowed (shared by every path of one analysis); running out is an error. */
  readonly budget?: ComparisonBudget;
}

export const RFC5280_RULES: Required<Omit<ValidationRules, 'hostname'>> & { hostname: HostnameOptions } = {
  anchorValidity: true,
  anchorChecks: false,
  anchorConstraints: true,
  caKeyUsage: true,
  pathLenCountsSelfIssued: false,
  ekuChaining: true,
  anyEkuLeaf: true,
  anyEkuCa: true,
  checkCommonNameAsDns: true,
  hostname: { partialWildcards: false, commonName: 'never' },
  weakAlgorithms: 'warning',
  minRsaBits: 2048,
  leafMustNotBeCa: false,
  profileRules: true,
};

const PURPOSE_NAME: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  [ANY_EKU]: 'anyExtendedKeyUsage',
};

export function ekuNames(oids: readonly string[]): string {
  return oids.map((o) => PURPOSE_NAME[o] ?? o).join(', ');
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** True when the certificate's EKU (if any) allows the purpose. */
export function ekuAllows(cert: CertView, purpose: Purpose, allowAny: boolean): boolean {
  if (purpose === 'any' || cert.extKeyUsage === null) return true;
  return cert.extKeyUsage.includes(EKU_OID[purpose]) || (allowAny && cert.extKeyUsage.includes(ANY_EKU));
}

/** RFC 5280 §6.1: every problem of the path. `path[0]` is the leaf, `path[path.length - 1]` the anchor. */
/**
 * The time as the certificate can express it: RFC 5280 §4.1.2.5 times have whole seconds and the validity period
 * is "notBefore through notAfter, inclusive", so notAfter 12:00:00Z holds until 12:00:00.999. OpenSSL compares a
 * time_t (X509_cmp_time) and rustls-webpki a UnixTime in seconds, the same truncation; Go compares time.Time
 * exactly (profiles/go.ts).
 */
export function wholeSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/** What every per-certificate check of one path reads: the path, the inputs, the rules in force. */
interface PathContext {
  readonly path: readonly CertView[];
  readonly input: ValidationInput;
  readonly rules: typeof RFC5280_RULES;
  readonly purpose: Purpose;
  readonly anchorDepth: number;
  readonly reasons: Reason[];
}

/** One certificate's place on the path (depth 0 is the leaf, the last the anchor). */
interface PathPosition {
  readonly cert: CertView;
  readonly depth: number;
  readonly isAnchor: boolean;
  readonly isLeaf: boolean;
  readonly isCa: boolean;
}

/** §6.1.4 (l)-(m): how many more intermediate CAs the path allows, and who set that limit. */
interface PathLengthState {
  max: number;
  setter: { cert: CertView; depth: number; pathLen: number } | null;
}

export function validatePath(path: readonly CertView[], input: ValidationInput): Reason[] {
  const rules = { ...RFC5280_RULES, ...input.rules };
  const ctx: PathContext = {
    path,
    input,
    rules,
    purpose: input.purpose ?? 'serverAuth',
    anchorDepth: path.length - 1,
    reasons: [],
  };
  // §6.1.2 (d), (i)-(k): the anchor's own limits when anchorConstraints is on.
  const pathLength: PathLengthState = { max: Number.POSITIVE_INFINITY, setter: null };

  for (let depth = ctx.anchorDepth; depth >= 0; depth--) {
    const at: PathPosition = {
      cert: path[depth] as CertView,
      depth,
      isAnchor: depth === ctx.anchorDepth,
      isLeaf: depth === 0,
      isCa: depth !== 0,
    };
    checkValidity(ctx, at);
    // §6.1.3 (a)(3): revocation runs in analyze.ts (it needs the asynchronous CRL signature check).
    checkNamesAgainstConstraints(ctx, at);
    checkCaCertificate(ctx, at, pathLength);
    checkExtensionsAndUsage(ctx, at);
    checkWeakAlgorithms(ctx, at);
  }

  if (rules.profileRules) {
    for (let depth = 0; depth < ctx.anchorDepth; depth++)
      ctx.reasons.push(...profileProblems(path[depth] as CertView, depth));
  }
  checkHostname(ctx);
  checkPolicyProcessing(ctx);
  return ctx.reasons;
}

/** §6.1.3 (a)(2): the validity period. */
function checkValidity(
  { input, rules, reasons }: PathContext,
  { cert, depth, isAnchor }: PathPosition,
): void {
  if (isAnchor && !rules.anchorValidity) return;
  if (wholeSecond(input.time) < cert.validity.notBeforeMs) {
    reasons.push(
      makeReason(
        'not-yet-valid',
        cert,
        depth,
        'RFC 5280 §6.1.3 (a)(2)',
        `${label(cert)} is not valid until ${cert.validity.notBefore} (checked at ${iso(input.time)})`,
      ),
    );
  } else if (wholeSecond(input.time) > cert.validity.notAfterMs) {
    reasons.push(
      makeReason(
        'expired',
        cert,
        depth,
        'RFC 5280 §6.1.3 (a)(2)',
        `${label(cert)} expired at ${cert.validity.notAfter} (checked at ${iso(input.time)})`,
      ),
    );
  }
}

/**
 * §6.1.3 (b)-(c): name constraints of every CA above apply to this certificate, unless it is a self-issued
 * intermediate; and §4.2.1.10: this certificate's own iPAddress subtrees must be an address and a mask.
 */
function checkNamesAgainstConstraints(ctx: PathContext, at: PathPosition): void {
  const { path, input, rules, anchorDepth, reasons } = ctx;
  const { cert, depth, isAnchor, isLeaf } = at;
  if (!isAnchor && (isLeaf || !cert.selfIssued)) {
    const names = namesOf(cert, isLeaf, rules.checkCommonNameAsDns);
    for (let up = depth + 1; up <= anchorDepth; up++) {
      const ca = path[up] as CertView;
      if (!ca.nameConstraints || (up === anchorDepth && !rules.anchorConstraints)) continue;
      const options = input.budget ? { wildcards: 'set' as const, budget: input.budget } : {};
      for (const v of checkNameConstraints(names, ca.nameConstraints, options)) {
        const reason = nameConstraintReason(v, cert, depth, ca, input.budget?.limit ?? 0);
        if (reason) reasons.push(reason);
      }
      for (const s of unsupportedConstraints(cert, ca.nameConstraints)) {
        reasons.push(
          makeReason(
            'name-constraint-unsupported',
            cert,
            depth,
            'RFC 5280 §4.2.1.10',
            `not supported: name constraint ${s} of ${label(ca)} on otherName SANs`,
            'unsupported',
          ),
        );
      }
    }
  }

  // §4.2.1.10: an iPAddress subtree is an address and a mask (8 or 32 octets, the mask a prefix).
  if (cert.nameConstraints && (!isAnchor || rules.anchorConstraints)) {
    for (const why of malformedIpSubtrees(cert.nameConstraints)) {
      reasons.push(
        makeReason(
          'name-constraint-malformed',
          cert,
          depth,
          'RFC 5280 §4.2.1.10',
          `${label(cert)} has a malformed name constraint: ${why}`,
        ),
      );
    }
  }
}

/** The reason one name-constraint violation gives; none for a malformed subtree (reported once per CA). */
function nameConstraintReason(
  v: ReturnType<typeof checkNameConstraints>[number],
  cert: CertView,
  depth: number,
  ca: CertView,
  budgetLimit: number,
): Reason | null {
  const what =
    v.name.source === 'subject-cn'
      ? `subject CN ${v.name.value}`
      : v.name.source === 'subject'
        ? `subject ${v.name.value}`
        : `${v.name.kind} name ${v.name.value}`;
  if (v.kind === 'budget')
    return makeReason(
      'name-constraint-budget',
      cert,
      depth,
      'RFC 5280 §4.2.1.10 (cost limit, as Go and rustls-webpki apply one)',
      `gave up: checking the names of ${label(cert)} against the name constraints of ${label(ca)} needs more than ${budgetLimit} comparisons in this analysis, so the path is not accepted`,
    );
  if (v.kind === 'malformed') return null;
  return v.kind === 'excluded'
    ? makeReason(
        'name-constraint-excluded',
        cert,
        depth,
        'RFC 5280 §4.2.1.10',
        `${label(cert)}: ${what} ${v.name.value.startsWith('*.') && v.name.kind === 'dns' ? 'can match a name' : 'is'} inside the excluded subtree ${v.subtrees.join(', ')} of ${label(ca)}`,
      )
    : makeReason(
        'name-constraint-permitted',
        cert,
        depth,
        'RFC 5280 §4.2.1.10',
        `${label(cert)}: ${what} is outside the permitted subtrees (${v.subtrees.join(', ')}) of ${label(ca)}`,
      );
}

/** §6.1.4 (k)-(n): preparation for the next certificate, for every CA. */
function checkCaCertificate(
  { path, rules, reasons }: PathContext,
  { cert, depth, isAnchor, isCa }: PathPosition,
  pathLength: PathLengthState,
): void {
  if (!isCa) return;
  if (!isAnchor || rules.anchorChecks) {
    const bc = cert.basicConstraints;
    if (!bc?.ca) {
      reasons.push(
        makeReason(
          'not-a-ca',
          cert,
          depth,
          'RFC 5280 §6.1.4 (k)',
          `${label(cert)} issued ${label(path[depth - 1] as CertView)} but is not a CA: ${bc ? 'basicConstraints cA is FALSE' : 'it has no basicConstraints extension'}`,
        ),
      );
    }
    if (rules.caKeyUsage && cert.keyUsage !== null && !cert.keyUsage.includes('keyCertSign')) {
      reasons.push(
        makeReason(
          'key-usage-no-cert-sign',
          cert,
          depth,
          'RFC 5280 §6.1.4 (n)',
          `${label(cert)} has a keyUsage extension without keyCertSign (${cert.keyUsage.join(', ') || 'no bits'}), so it may not sign certificates`,
        ),
      );
    }
  }
  if (isAnchor && !rules.anchorConstraints) return;
  // (l) every non-self-issued intermediate consumes one unit; (m) pathLenConstraint lowers the limit.
  if (!isAnchor && (!cert.selfIssued || rules.pathLenCountsSelfIssued)) {
    if (pathLength.max <= 0 && pathLength.setter) {
      const s = pathLength.setter;
      reasons.push(
        makeReason(
          'path-length-exceeded',
          s.cert,
          s.depth,
          'RFC 5280 §4.2.1.9',
          `${label(s.cert)} has pathLenConstraint ${s.pathLen}, but ${label(cert)} is one more intermediate CA below it than that allows`,
        ),
      );
    }
    pathLength.max--;
  }
  const pathLen = cert.basicConstraints?.ca ? cert.basicConstraints.pathLen : undefined;
  if (pathLen !== undefined && pathLen < pathLength.max) {
    pathLength.max = pathLen;
    pathLength.setter = { cert, depth, pathLen };
  }
}

/** §6.1.4 (o) / §6.1.5 (c) unrecognised critical extensions; extended key usage; a CA used as the leaf. */
function checkExtensionsAndUsage(
  { rules, purpose, reasons }: PathContext,
  { cert, depth, isAnchor, isLeaf, isCa }: PathPosition,
): void {
  if (!isAnchor || rules.anchorChecks) {
    for (const ext of cert.extensions) {
      if (ext.critical && !ext.known) {
        reasons.push(
          makeReason(
            'unknown-critical-extension',
            cert,
            depth,
            'RFC 5280 §4.2',
            `${label(cert)} has a critical extension this validator does not recognise (${ext.name ?? ext.oid})`,
          ),
        );
      }
    }
  }

  // Extended key usage: leaf per §4.2.1.12, CAs by EKU chaining.
  if (purpose !== 'any' && cert.extKeyUsage !== null && (!isAnchor || rules.anchorChecks)) {
    if (isLeaf && !ekuAllows(cert, purpose, rules.anyEkuLeaf)) {
      reasons.push(
        makeReason(
          'eku-mismatch',
          cert,
          depth,
          'RFC 5280 §4.2.1.12',
          `${label(cert)} is for ${ekuNames(cert.extKeyUsage)}, not ${purpose}`,
        ),
      );
    } else if (isCa && rules.ekuChaining && !ekuAllows(cert, purpose, rules.anyEkuCa)) {
      reasons.push(
        makeReason(
          'ca-eku-mismatch',
          cert,
          depth,
          'CA/B BR §7.1.2.2 (EKU chaining)',
          `CA ${label(cert)} restricts its subtree to ${ekuNames(cert.extKeyUsage)}, which excludes ${purpose}`,
        ),
      );
    }
  }
  if (isLeaf && rules.leafMustNotBeCa && cert.basicConstraints?.ca) {
    reasons.push(
      makeReason(
        'ca-used-as-end-entity',
        cert,
        depth,
        'RFC 5280 §4.2.1.9',
        `${label(cert)} is a CA certificate used as the end-entity certificate`,
      ),
    );
  }
}

/** Weak algorithms: signatures below the anchor, keys everywhere. */
function checkWeakAlgorithms({ rules, reasons }: PathContext, { cert, depth, isAnchor }: PathPosition): void {
  if (rules.weakAlgorithms === 'ignore') return;
  const weakSeverity: Severity = rules.weakAlgorithms === 'error' ? 'error' : 'warning';
  if (!isAnchor && isWeakSignature(cert)) {
    reasons.push(
      makeReason(
        'weak-signature-algorithm',
        cert,
        depth,
        'RFC 6194 / CA/B BR §7.1.3',
        `${label(cert)} is signed with ${cert.signatureAlgorithm.name}, a broken hash for signatures`,
        weakSeverity,
      ),
    );
  }
  const key = cert.publicKey;
  const weakKey =
    ((key.algorithm === 'RSA' || key.algorithm === 'DSA') && key.bits < rules.minRsaBits) ||
    (key.algorithm === 'EC' && key.bits < 224);
  if (weakKey) {
    reasons.push(
      makeReason(
        'weak-key',
        cert,
        depth,
        'NIST SP 800-131A / CA/B BR §6.1.5',
        `${label(cert)} has a ${keyDescription(key)} key (RSA/DSA below ${rules.minRsaBits} bits and EC below 224 bits give less than 112 bits of security)`,
        weakSeverity,
      ),
    );
  }
}

/** Host name (RFC 6125), on the leaf. */
function checkHostname({ path, input, rules, reasons }: PathContext): void {
  const leaf = path[0] as CertView;
  if (input.hostname === undefined || input.hostname === '') return;
  const m = matchHostname(leaf, input.hostname, rules.hostname);
  if (!m.matched) {
    reasons.push(
      makeReason(
        'hostname-mismatch',
        leaf,
        0,
        'RFC 6125 §6.4',
        `${label(leaf)} is not valid for ${input.hostname}: ${m.detail}`,
      ),
    );
  }
}

/** Certificate policies: see the module comment for when this matters. */
function checkPolicyProcessing({ path, input, reasons }: PathContext): void {
  const leaf = path[0] as CertView;
  const policy = input.policy ?? {};
  const nonDefaultInputs =
    (policy.initialPolicySet !== undefined &&
      !(policy.initialPolicySet.length === 1 && policy.initialPolicySet[0] === '2.5.29.32.0')) ||
    policy.initialExplicitPolicy === true ||
    policy.initialPolicyMappingInhibit === true ||
    policy.initialInhibitAnyPolicy === true;
  const policyCert = path.find(
    (c) => c.policyConstraints?.requireExplicitPolicy !== undefined || (c.policyMappings?.length ?? 0) > 0,
  );
  if (nonDefaultInputs || policyCert) {
    const cert = policyCert ?? leaf;
    reasons.push(
      makeReason(
        'not-supported-policy-processing',
        cert,
        path.indexOf(cert),
        'RFC 5280 §6.1.3 (d)-(f), §6.1.4, §6.1.5',
        `not supported: policy processing (${policyCert ? `${label(cert)} carries ${policyCert.policyMappings?.length ? 'policyMappings' : 'requireExplicitPolicy'}` : 'non-default initial policy inputs'}), so this path's outcome is unknown`,
        'unsupported',
      ),
    );
  }
}

const DEFECT_RULES: Record<CertDefectKind, string> = {
  'empty-rdn': 'RFC 5280 §4.1.2.4',
  'negative-path-len': 'RFC 5280 §4.2.1.9',
  'utc-time-without-seconds': 'RFC 5280 §4.1.2.5.1',
  'fractional-seconds': 'RFC 5280 §4.1.2.5.2',
  'non-ia5-dns-name': 'RFC 5280 §4.2.1.6',
  'broken-extension': 'RFC 5280 §4.2',
  'empty-name-constraints': 'RFC 5280 §4.2.1.10',
  'empty-subtrees': 'RFC 5280 §4.2.1.10',
};

const OID_AKI = '2.5.29.35';
const OID_SKI = '2.5.29.14';
const OID_SAN = '2.5.29.17';

/**
 * RFC 5280's rules for what a conforming CA issues (the certificate profile, §4), checked on every certificate of
 * the path but the trust anchor (which RFC 5280 §6.1.1 (d) takes as given data). Errors, as RFC 5280 states them
 * with MUST; the client profiles do not apply them (OpenSSL only under X509_V_FLAG_X509_STRICT, which libpq does
 * not set — tests/oracle/pki-openssl-auth-level.test.ts shows the real CLI accepting odd serials and missing key
 * identifiers).
 */
export function profileProblems(cert: CertView, depth: number): Reason[] {
  const out: Reason[] = [];
  const add = (code: string, rule: string, message: string) =>
    out.push(makeReason(code, cert, depth, rule, `${label(cert)} ${message}`));
  const isCa = cert.basicConstraints?.ca === true;
  const ext = (oid: string) => cert.extensions.filter((e) => e.oid === oid);

  // What the parser tolerated (CertView.defects): each is a MUST of RFC 5280 broken, so an error here.
  for (const d of cert.defects)
    out.push(
      makeReason(
        `defect-${d.kind}`,
        cert,
        depth,
        DEFECT_RULES[d.kind],
        `${label(cert)}: ${d.message} (byte ${d.offset})`,
      ),
    );

  // §4.1.2.2: a positive integer of at most 20 octets.
  const serial = cert.serialHex.toLowerCase();
  if (/^0*$/.test(serial))
    add('serial-not-positive', 'RFC 5280 §4.1.2.2', 'has serial number 0 (it MUST be positive)');
  else if (parseInt(serial.slice(0, 2), 16) >= 0x80)
    add('serial-not-positive', 'RFC 5280 §4.1.2.2', `has a negative serial number (0x${serial})`);
  if (serial.length > 40)
    add(
      'serial-too-long',
      'RFC 5280 §4.1.2.2',
      `has a serial number of ${serial.length / 2} octets (at most 20)`,
    );

  // §4.2: at most one instance of each extension.
  const seen = new Set<string>();
  for (const e of cert.extensions) {
    if (seen.has(e.oid))
      add('duplicate-extension', 'RFC 5280 §4.2', `carries the extension ${e.name ?? e.oid} more than once`);
    seen.add(e.oid);
  }

  // §4.2.1.1: AKI in every certificate but a self-signed one, never critical.
  const aki = ext(OID_AKI);
  const selfSigned = cert.selfIssued && (!cert.authorityKeyId || cert.authorityKeyId === cert.subjectKeyId);
  if (aki.length === 0 && !selfSigned)
    add(
      'aki-missing',
      'RFC 5280 §4.2.1.1',
      'has no authority key identifier (MUST, except in a self-signed CA)',
    );
  if (aki.some((e) => e.critical))
    add('aki-critical', 'RFC 5280 §4.2.1.1', 'marks the authority key identifier critical (MUST NOT)');
  // §4.2.1.2: SKI in every CA certificate, never critical.
  const ski = ext(OID_SKI);
  if (ski.length === 0 && isCa)
    add('ski-missing', 'RFC 5280 §4.2.1.2', 'is a CA certificate without a subject key identifier (MUST)');
  if (ski.some((e) => e.critical))
    add('ski-critical', 'RFC 5280 §4.2.1.2', 'marks the subject key identifier critical (MUST NOT)');

  // §4.1.2.6: a CA's subject is not empty; an empty subject needs a critical SAN (§4.2.1.6).
  const emptySubject = cert.subject.rdns.length === 0;
  if (emptySubject && isCa)
    add(
      'ca-empty-subject',
      'RFC 5280 §4.1.2.6',
      'is a CA certificate with an empty subject (MUST be non-empty)',
    );
  if (emptySubject && !ext(OID_SAN).some((e) => e.critical))
    add(
      'san-not-critical',
      'RFC 5280 §4.2.1.6',
      'has an empty subject, so its subjectAltName MUST be present and critical',
    );

  // §4.2.1.3: keyCertSign only with cA TRUE. §4.2.1.10: name constraints only in a CA certificate.
  if (!isCa && cert.keyUsage?.includes('keyCertSign'))
    add(
      'key-cert-sign-not-ca',
      'RFC 5280 §4.2.1.3',
      'asserts keyCertSign but is not a CA (basicConstraints cA is not TRUE)',
    );
  if (!isCa && cert.nameConstraints)
    add(
      'name-constraints-not-ca',
      'RFC 5280 §4.2.1.10',
      'carries name constraints but is not a CA certificate',
    );
  return out;
}

/** A path is valid when it has no error and no unsupported check. */
export function isValidPath(reasons: readonly Reason[]): boolean {
  return reasons.every((r) => r.severity === 'warning');
}
