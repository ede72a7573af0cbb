/** CertificateList DER (RFC 5280 §5.1) to CrlView. */
import type { CrlView, ExtensionView, RevokedEntry } from '../types.ts';
import {
  childrenOf,
  contents,
  DerError,
  expectUniversal,
  isContext,
  isUniversal,
  readOid,
  readTime,
  Tag,
  type Tlv,
} from '../../bytes/der.ts';
import { toHex } from '../../bytes/hex.ts';
import { readSigned } from './certificate.ts';
import { sha256Hex } from './digest.ts';
import { decodeAuthorityKeyId } from './extensions.ts';
import { decodeName } from './name.ts';
import { EXTENSIONS, SIGNATURE_ALGORITHMS } from './oids.ts';

/** RFC 5280 §5.3.1 CRLReason values. */
const REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'value7',
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
];

const CRL_EXTENSION_NAMES: Record<string, string> = {
  '2.5.29.20': 'cRLNumber',
  '2.5.29.27': 'deltaCRLIndicator',
  '2.5.29.28': 'issuingDistributionPoint',
  '2.5.29.46': 'freshestCRL',
  '2.5.29.35': 'authorityKeyIdentifier',
};

function readExtensions(der: Uint8Array, list: Tlv): { oid: string; critical: boolean; value: Uint8Array }[] {
  expectUniversal(list, Tag.SEQUENCE, 'the extensions', list.start);
  return childrenOf(der, list).map((e) => {
    const parts = childrenOf(der, e);
    const oid = readOid(der, parts[0], 'an extension ID', e.start);
    let critical = false;
    let v = parts[1];
    if (v !== undefined && isUniversal(v, Tag.BOOLEAN)) {
      critical = v.length === 1 && der[v.contentStart] !== 0;
      v = parts[2];
    }
    const octets = expectUniversal(v, Tag.OCTET_STRING, `the value of extension ${oid}`, e.start);
    return { oid, critical, value: contents(der, octets) };
  });
}

export function decodeCrl(input: Uint8Array): CrlView {
  const der = input.slice();
  const signed = readSigned(der, 'CRL');
  const fields = childrenOf(der, signed.tbsTlv);
  let i = 0;
  if (fields[0] !== undefined && isUniversal(fields[0], Tag.INTEGER)) i = 1;
  expectUniversal(fields[i], Tag.SEQUENCE, 'the TBS signature algorithm', signed.tbsTlv.contentStart);
  const issuerTlv = expectUniversal(
    fields[i + 1],
    Tag.SEQUENCE,
    'the CRL issuer',
    signed.tbsTlv.contentStart,
  );
  const issuer = decodeName(der, issuerTlv, 'CRL issuer');
  const thisUpdateMs = readTime(der, fields[i + 2], 'thisUpdate', issuerTlv.end);
  let k = i + 3;
  let nextUpdate: string | undefined;
  const maybeNext = fields[k];
  if (
    maybeNext !== undefined &&
    (isUniversal(maybeNext, Tag.UTCTime) || isUniversal(maybeNext, Tag.GeneralizedTime))
  ) {
    nextUpdate = new Date(readTime(der, maybeNext, 'nextUpdate', maybeNext.start)).toISOString();
    k++;
  }
  const revoked: RevokedEntry[] = [];
  const extensions: ExtensionView[] = [];
  let authorityKeyId: string | null = null;
  let crlNumberHex: string | undefined;
  for (const f of fields.slice(k)) {
    if (isUniversal(f, Tag.SEQUENCE)) {
      for (const entry of childrenOf(der, f)) revoked.push(decodeEntry(der, entry));
    } else if (isContext(f, 0)) {
      const [list] = childrenOf(der, f);
      if (list === undefined) throw new DerError(f.start, 'crlExtensions is empty');
      for (const e of readExtensions(der, list)) {
        const name = CRL_EXTENSION_NAMES[e.oid] ?? EXTENSIONS[e.oid]?.name;
        extensions.push({
          oid: e.oid,
          ...(name !== undefined ? { name } : {}),
          critical: e.critical,
          known: false,
          valueHex: toHex(e.value),
        });
        if (e.oid === '2.5.29.35') authorityKeyId = decodeAuthorityKeyId(e.value);
        if (e.oid === '2.5.29.20' && e.value.length >= 2) crlNumberHex = toHex(e.value.subarray(2));
      }
    } else {
      throw new DerError(f.start, 'the CRL holds an unexpected element');
    }
  }
  const alg = SIGNATURE_ALGORITHMS[signed.algorithmOid];
  return {
    issuer,
    thisUpdate: new Date(thisUpdateMs).toISOString(),
    ...(nextUpdate !== undefined ? { nextUpdate } : {}),
    revokedSerials: revoked.map((r) => r.serialHex),
    der,
    id: sha256Hex(der),
    signatureAlgorithm: {
      oid: signed.algorithmOid,
      name: alg?.name ?? signed.algorithmOid,
      ...(alg?.hash !== undefined ? { hash: alg.hash } : {}),
    },
    revoked,
    extensions,
    authorityKeyId,
    ...(crlNumberHex !== undefined ? { crlNumberHex } : {}),
  };
}

function decodeEntry(der: Uint8Array, entry: Tlv): RevokedEntry {
  expectUniversal(entry, Tag.SEQUENCE, 'a revoked entry', entry.start);
  const [serial, date, exts] = childrenOf(der, entry);
  const serialTlv = expectUniversal(serial, Tag.INTEGER, 'a revoked serial number', entry.start);
  const revocationDate = new Date(readTime(der, date, 'a revocationDate', entry.start)).toISOString();
  let reason: string | undefined;
  const oids: string[] = [];
  if (exts !== undefined) {
    for (const e of readExtensions(der, exts)) {
      oids.push(e.oid);
      // reasonCode ::= ENUMERATED, tag 10, one octet in practice.
      if (e.oid === '2.5.29.21' && e.value.length === 3 && e.value[0] === 10)
        reason = REASONS[e.value[2] as number] ?? `value${e.value[2]}`;
    }
  }
  return {
    serialHex: toHex(contents(der, serialTlv)),
    revocationDate,
    ...(reason !== undefined ? { reason } : {}),
    ...(oids.length > 0 ? { entryExtensionOids: oids } : {}),
  };
}
