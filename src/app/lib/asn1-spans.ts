import type { Span } from '../../lib/bytes/spans';
import type { Asn1Node } from '../../lib/pki/types';

/**
 * The certificate's ASN.1 tree as byte-view spans: each constructed node gets its tag-and-length header as
 * a leaf of its own, then its children, so the leaves tile the DER exactly like the TLS field trees do.
 */
export function asn1ToSpans(node: Asn1Node): Span[] {
  const end = node.start + node.headerLength + node.length;
  const label = node.label ?? node.tag;
  if (node.children.length === 0) {
    return [{ id: node.id, label, start: node.start, end, value: node.tag }];
  }
  const children: Span[] = [];
  if (node.headerLength > 0) {
    children.push({
      id: `${node.id}#header`,
      label: `${label}: tag and length`,
      start: node.start,
      end: node.start + node.headerLength,
      value: node.tag,
    });
  }
  for (const child of node.children) children.push(...asn1ToSpans(child));
  return [{ id: node.id, label, start: node.start, end, value: node.tag, children }];
}
