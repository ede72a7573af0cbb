/**
 * The DER tree of a certificate or CRL with byte spans, for the byte view. Constructed elements are
 * expanded (depth bounded); children tile their parent's contents exactly because they come from the same
 * strict reader. Main fields get stable ids and labels from a naming schema; others get index paths.
 */
import type { Asn1Node } from '../types.ts';
import { childrenOf, tagName, type Tlv } from '../../bytes/der.ts';

/** A naming schema: the label for this node and names for its children by index. */
export interface NodeNames {
  readonly id: string;
  readonly label: string;
  readonly children?: (child: Tlv, index: number, siblings: readonly Tlv[]) => NodeNames | undefined;
}

const MAX_DEPTH = 40;

export function buildTree(
  buf: Uint8Array,
  t: Tlv,
  names: NodeNames | undefined,
  fallbackId: string,
  depth = 0,
): Asn1Node {
  const id = names?.id ?? fallbackId;
  const kids = t.constructed && depth < MAX_DEPTH ? childrenOf(buf, t) : [];
  const children = kids.map((c, i) =>
    buildTree(buf, c, names?.children?.(c, i, kids), `${id}.${i}`, depth + 1),
  );
  const node: Asn1Node = {
    id,
    tag: tagName(t),
    start: t.start,
    headerLength: t.headerLength,
    length: t.length,
    children,
    ...(names?.label !== undefined ? { label: names.label } : {}),
  };
  return node;
}

function leaf(id: string, label: string): NodeNames {
  return { id, label };
}

function algorithmNames(id: string, label: string): NodeNames {
  return {
    id,
    label,
    children: (_c, i) =>
      i === 0 ? leaf(`${id}.algorithm`, 'Algorithm') : leaf(`${id}.parameters`, 'Parameters'),
  };
}

function nameNames(id: string, label: string): NodeNames {
  return { id, label };
}

const EXTENSION_LABEL = 'Extension';

/** RFC 5280 §4.1: Certificate and TBSCertificate field names. */
export const CERTIFICATE_NAMES: NodeNames = {
  id: 'cert',
  label: 'Certificate',
  children: (_c, i) => {
    if (i === 0) return TBS_NAMES;
    if (i === 1) return algorithmNames('cert.signatureAlgorithm', 'Signature Algorithm');
    if (i === 2) return leaf('cert.signatureValue', 'Signature Value');
    return undefined;
  },
};

const TBS_NAMES: NodeNames = {
  id: 'cert.tbs',
  label: 'TBSCertificate',
  children: (c, i, siblings) => {
    const hasVersion = siblings[0]?.tagClass === 2 && siblings[0].tagNumber === 0;
    if (c.tagClass === 2) {
      if (c.tagNumber === 0) return leaf('cert.tbs.version', 'Version');
      if (c.tagNumber === 1) return leaf('cert.tbs.issuerUniqueID', 'Issuer Unique ID');
      if (c.tagNumber === 2) return leaf('cert.tbs.subjectUniqueID', 'Subject Unique ID');
      if (c.tagNumber === 3) {
        return {
          id: 'cert.tbs.extensions',
          label: 'Extensions',
          children: () => ({
            id: 'cert.tbs.extensions.list',
            label: 'Extension list',
            children: (_e, k) => ({
              id: `cert.tbs.extensions.${k}`,
              label: EXTENSION_LABEL,
              children: (_f, j, fields) => {
                if (j === 0) return leaf(`cert.tbs.extensions.${k}.extnID`, 'Extension ID');
                if (j === fields.length - 1)
                  return leaf(`cert.tbs.extensions.${k}.extnValue`, 'Extension Value');
                return leaf(`cert.tbs.extensions.${k}.critical`, 'Critical');
              },
            }),
          }),
        };
      }
      return undefined;
    }
    const k = hasVersion ? i - 1 : i;
    switch (k) {
      case 0:
        return leaf('cert.tbs.serialNumber', 'Serial Number');
      case 1:
        return algorithmNames('cert.tbs.signature', 'Signature Algorithm (TBS)');
      case 2:
        return nameNames('cert.tbs.issuer', 'Issuer');
      case 3:
        return {
          id: 'cert.tbs.validity',
          label: 'Validity',
          children: (_v, j) =>
            j === 0
              ? leaf('cert.tbs.validity.notBefore', 'Not Before')
              : leaf('cert.tbs.validity.notAfter', 'Not After'),
        };
      case 4:
        return nameNames('cert.tbs.subject', 'Subject');
      case 5:
        return {
          id: 'cert.tbs.subjectPublicKeyInfo',
          label: 'Subject Public Key Info',
          children: (_s, j) =>
            j === 0
              ? algorithmNames('cert.tbs.subjectPublicKeyInfo.algorithm', 'Public Key Algorithm')
              : leaf('cert.tbs.subjectPublicKeyInfo.subjectPublicKey', 'Subject Public Key'),
        };
      default:
        return undefined;
    }
  },
};

/** RFC 5280 §5.1: CertificateList names. */
export const CRL_NAMES: NodeNames = {
  id: 'crl',
  label: 'CertificateList',
  children: (_c, i) => {
    if (i === 0) return { id: 'crl.tbs', label: 'TBSCertList' };
    if (i === 1) return algorithmNames('crl.signatureAlgorithm', 'Signature Algorithm');
    if (i === 2) return leaf('crl.signatureValue', 'Signature Value');
    return undefined;
  },
};
