/**
 * Hello extensions, RFC 5246 §7.4.1.4:
 *
 *   struct { ExtensionType extension_type; opaque extension_data<0..2^16-1>; } Extension;
 *
 * The extensions TLS 1.2 clients and servers commonly send are decoded into typed values; every other
 * extension (GREASE included) is kept as raw bytes under `extension.unknown` and re-encoded unchanged.
 *
 * Span ids: the extension node is `extension.<kind>` with children `extension.<kind>.type`,
 * `extension.<kind>.length`, then the fields below (see FIELD_IDS in field-ids.ts).
 */
import { type Reader, type Writer } from '../../bytes/index.ts';
import {
  CertificateStatusType,
  ECPointFormat,
  ExtensionType,
  NamedGroup,
  ServerNameType,
  SignatureScheme,
} from './code-points.ts';
import { bytesToLatin1, latin1ToBytes } from './latin1.ts';

/** RFC 6066 §3. `hostName` holds the name bytes one char per byte (any name_type is read as opaque<1..2^16-1>, as Go does). */
export interface ServerName {
  nameType: number;
  hostName: string;
}

/** RFC 6066 §3 server_name (0). An empty `names` list is the empty extension a server echoes. */
export interface ServerNameExtension {
  kind: 'server_name';
  names: ServerName[];
}

/** RFC 6066 §8 OCSPStatusRequest. */
export interface OcspStatusRequest {
  statusType: 1;
  responderIds: Uint8Array[];
  requestExtensions: Uint8Array;
}

/** A CertificateStatusRequest of another status_type: kept raw. */
export interface OpaqueStatusRequest {
  statusType: number;
  data: Uint8Array;
}

/** RFC 6066 §8 status_request (5). `request` is undefined for the empty extension a server sends. */
export interface StatusRequestExtension {
  kind: 'status_request';
  request?: OcspStatusRequest | OpaqueStatusRequest;
}

/** RFC 8422 §5.1.1 / RFC 7919 supported_groups (10). */
export interface SupportedGroupsExtension {
  kind: 'supported_groups';
  groups: number[];
}

/** RFC 8422 §5.1.2 ec_point_formats (11). */
export interface EcPointFormatsExtension {
  kind: 'ec_point_formats';
  formats: number[];
}

/** RFC 5246 §7.4.1.4.1 signature_algorithms (13). */
export interface SignatureAlgorithmsExtension {
  kind: 'signature_algorithms';
  schemes: number[];
}

/** RFC 7301 §3.1 application_layer_protocol_negotiation (16). */
export interface AlpnExtension {
  kind: 'alpn';
  protocols: string[];
}

/** RFC 7627 §5.1 extended_master_secret (23): always empty. */
export interface ExtendedMasterSecretExtension {
  kind: 'extended_master_secret';
}

/** RFC 5077 §3.2 session_ticket (35): the opaque ticket, empty when asking for a new one. */
export interface SessionTicketExtension {
  kind: 'session_ticket';
  ticket: Uint8Array;
}

/** RFC 5746 §3.2 renegotiation_info (0xff01). */
export interface RenegotiationInfoExtension {
  kind: 'renegotiation_info';
  renegotiatedConnection: Uint8Array;
}

/** Any other extension, kept byte for byte. */
export interface UnknownExtension {
  kind: 'unknown';
  type: number;
  data: Uint8Array;
}

export type Extension =
  | ServerNameExtension
  | StatusRequestExtension
  | SupportedGroupsExtension
  | EcPointFormatsExtension
  | SignatureAlgorithmsExtension
  | AlpnExtension
  | ExtendedMasterSecretExtension
  | SessionTicketExtension
  | RenegotiationInfoExtension
  | UnknownExtension;

export type ExtensionKind = Extension['kind'];

const KIND_BY_TYPE = new Map<number, Exclude<ExtensionKind, 'unknown'>>([
  [ExtensionType.values.server_name, 'server_name'],
  [ExtensionType.values.status_request, 'status_request'],
  [ExtensionType.values.supported_groups, 'supported_groups'],
  [ExtensionType.values.ec_point_formats, 'ec_point_formats'],
  [ExtensionType.values.signature_algorithms, 'signature_algorithms'],
  [ExtensionType.values.application_layer_protocol_negotiation, 'alpn'],
  [ExtensionType.values.extended_master_secret, 'extended_master_secret'],
  [ExtensionType.values.session_ticket, 'session_ticket'],
  [ExtensionType.values.renegotiation_info, 'renegotiation_info'],
]);

const TYPE_BY_KIND = new Map([...KIND_BY_TYPE].map(([type, kind]) => [kind, type]));

/** The extension_type code point of an extension. */
export function extensionType(ext: Extension): number {
  return ext.kind === 'unknown' ? ext.type : TYPE_BY_KIND.get(ext.kind)!;
}

/** The kind used for a code point (`unknown` for anything not decoded structurally). */
export function extensionKind(type: number): ExtensionKind {
  return KIND_BY_TYPE.get(type) ?? 'unknown';
}

// ---------------------------------------------------------------------------------------------------------
// Decoding

function readBody(r: Reader, kind: ExtensionKind, type: number, id: string): Extension {
  switch (kind) {
    case 'server_name': {
      // RFC 6066 §3: ServerName server_name_list<1..2^16-1>
      if (r.atEnd) return { kind, names: [] };
      const names = r.list(
        16,
        `${id}.server_name_list`,
        (item, itemId) =>
          item.node(itemId, () => {
            const nameType = item.u8(`${id}.name_type`, { show: ServerNameType.format });
            const name = item.vec16(`${id}.host_name`, { min: 1, show: bytesToLatin1 });
            return { nameType, hostName: bytesToLatin1(name) };
          }),
        { min: 1 },
      );
      return { kind, names };
    }
    case 'status_request': {
      // RFC 6066 §8: struct { CertificateStatusType status_type; select (status_type) { case ocsp: OCSPStatusRequest; } }
      if (r.atEnd) return { kind };
      const statusType = r.u8(`${id}.status_type`, { show: CertificateStatusType.format });
      if (statusType !== CertificateStatusType.values.ocsp) {
        return { kind, request: { statusType, data: r.rest(`${id}.request`) } };
      }
      const responderIds = r.list(16, `${id}.responder_id_list`, (item, itemId) =>
        item.vec16(itemId, { min: 1 }),
      );
      const requestExtensions = r.vec16(`${id}.request_extensions`);
      return { kind, request: { statusType: 1, responderIds, requestExtensions } };
    }
    case 'supported_groups': {
      // RFC 8422 §5.1.1: NamedCurve named_curve_list<2..2^16-1>
      const groups = r.list(
        16,
        `${id}.named_group_list`,
        (item, itemId) => item.u16(itemId, { show: NamedGroup.format }),
        {
          min: 2,
          elementSize: 2,
        },
      );
      return { kind, groups };
    }
    case 'ec_point_formats': {
      // RFC 8422 §5.1.2: ECPointFormat ec_point_format_list<1..2^8-1>
      const formats = r.list(
        8,
        `${id}.ec_point_format_list`,
        (item, itemId) => item.u8(itemId, { show: ECPointFormat.format }),
        {
          min: 1,
        },
      );
      return { kind, formats };
    }
    case 'signature_algorithms': {
      // RFC 5246 §7.4.1.4.1: SignatureAndHashAlgorithm supported_signature_algorithms<2..2^16-2>
      const schemes = r.list(
        16,
        `${id}.supported_signature_algorithms`,
        (item, itemId) => item.u16(itemId, { show: SignatureScheme.format }),
        { min: 2, elementSize: 2 },
      );
      return { kind, schemes };
    }
    case 'alpn': {
      // RFC 7301 §3.1: ProtocolName protocol_name_list<2..2^16-1>; opaque ProtocolName<1..2^8-1>
      const protocols = r.list(
        16,
        `${id}.protocol_name_list`,
        (item, itemId) => bytesToLatin1(item.vec8(itemId, { min: 1, show: bytesToLatin1 })),
        { min: 2 },
      );
      return { kind, protocols };
    }
    case 'extended_master_secret':
      // RFC 7627 §5.1: "The extension_data field of this extension is empty"
      if (!r.atEnd)
        r.fail('invalid-value', `${id}.length`, `must be empty, has ${r.remaining} bytes`, r.offset - 2);
      return { kind };
    case 'session_ticket':
      // RFC 5077 §3.2: opaque SessionTicket, possibly empty
      return { kind, ticket: r.rest(`${id}.ticket`) };
    case 'renegotiation_info':
      // RFC 5746 §3.2: opaque renegotiated_connection<0..255>
      return { kind, renegotiatedConnection: r.vec8(`${id}.renegotiated_connection`) };
    case 'unknown':
      return { kind, type, data: r.rest(`${id}.data`) };
  }
}

/** Reads one Extension (type, length, data) as node `extension.<kind>`. */
export function readExtension(r: Reader): Extension {
  const peeked = r.peek(2);
  const type = peeked.length === 2 ? (peeked[0]! << 8) | peeked[1]! : -1;
  const kind = type < 0 ? 'unknown' : extensionKind(type);
  const id = `extension.${kind}`;
  return r.node(id, () => {
    r.u16(`${id}.type`, { show: ExtensionType.format });
    const len = r.u16(`${id}.length`);
    const body = r.sub(len, id);
    const ext = readBody(body, kind, type, id);
    body.expectEnd(id);
    return ext;
  });
}

/**
 * Reads the optional extensions block of a hello (`owner` is `client_hello` or `server_hello`):
 * undefined when the message ends before it (RFC 5246 §7.4.1.2 allows that), else the list.
 * Rejects a second extension of the same type (RFC 5246 §7.4.1.4).
 */
export function readExtensions(r: Reader, owner: string): Extension[] | undefined {
  if (r.atEnd) return undefined;
  const seen = new Set<number>();
  return r.list(16, `${owner}.extensions`, (item) => {
    const start = item.offset;
    const ext = readExtension(item);
    const type = extensionType(ext);
    if (seen.has(type)) {
      item.fail(
        'invalid-value',
        `extension.${ext.kind}.type`,
        `duplicate extension ${ExtensionType.format(type)}`,
        start,
      );
    }
    seen.add(type);
    return ext;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Encoding

function writeBody(w: Writer, ext: Extension): void {
  switch (ext.kind) {
    case 'server_name':
      if (ext.names.length === 0) return;
      w.lengthPrefixed(16, (list) => {
        for (const name of ext.names) {
          list.u8(name.nameType);
          list.vec16(latin1ToBytes(name.hostName, 'server_name.host_name'));
        }
      });
      return;
    case 'status_request': {
      const req = ext.request;
      if (!req) return;
      w.u8(req.statusType);
      if ('data' in req) {
        w.bytes(req.data);
        return;
      }
      w.lengthPrefixed(16, (list) => {
        for (const rid of req.responderIds) list.vec16(rid);
      });
      w.vec16(req.requestExtensions);
      return;
    }
    case 'supported_groups':
      w.lengthPrefixed(16, (list) => ext.groups.forEach((g) => list.u16(g)));
      return;
    case 'ec_point_formats':
      w.lengthPrefixed(8, (list) => ext.formats.forEach((f) => list.u8(f)));
      return;
    case 'signature_algorithms':
      w.lengthPrefixed(16, (list) => ext.schemes.forEach((s) => list.u16(s)));
      return;
    case 'alpn':
      w.lengthPrefixed(16, (list) =>
        ext.protocols.forEach((p) => list.vec8(latin1ToBytes(p, 'alpn.protocol'))),
      );
      return;
    case 'extended_master_secret':
      return;
    case 'session_ticket':
      w.bytes(ext.ticket);
      return;
    case 'renegotiation_info':
      w.vec8(ext.renegotiatedConnection);
      return;
    case 'unknown':
      w.bytes(ext.data);
      return;
  }
}

export function writeExtension(w: Writer, ext: Extension): void {
  w.u16(extensionType(ext));
  w.lengthPrefixed(16, (body) => writeBody(body, ext));
}

/** Writes the extensions block; writes nothing when `extensions` is undefined (absent, not empty). */
export function writeExtensions(w: Writer, extensions: readonly Extension[] | undefined): void {
  if (extensions === undefined) return;
  w.lengthPrefixed(16, (list) => extensions.forEach((ext) => writeExtension(list, ext)));
}

/** The first extension of a kind, typed (`findExtension(hello.extensions, 'server_name')?.names`). */
export function findExtension<K extends ExtensionKind>(
  extensions: readonly Extension[] | undefined,
  kind: K,
): Extract<Extension, { kind: K }> | undefined {
  return extensions?.find((e): e is Extract<Extension, { kind: K }> => e.kind === kind);
}
