/**
 * TLS 1.3 extensions (RFC 8446 §4.2). The framing, the code points and every extension TLS 1.2 shares
 * (server_name, supported_groups, signature_algorithms, ALPN, unknown ones kept raw) are tls12/wire's; this
 * file adds the extensions whose body depends on the message they are in:
 *
 *   supported_versions (§4.2.1): ClientHello `ProtocolVersion versions<2..254>`; ServerHello/HRR `selected_version`
 *   key_share (§4.2.8): ClientHello `KeyShareEntry client_shares<0..2^16-1>`; ServerHello `server_share`;
 *                       HelloRetryRequest `NamedGroup selected_group`
 *     struct { NamedGroup group; opaque key_exchange<1..2^16-1>; } KeyShareEntry;
 *   psk_key_exchange_modes (§4.2.9): `PskKeyExchangeMode ke_modes<1..255>`
 *   cookie (§4.2.2): `opaque cookie<1..2^16-1>`
 */
import { type Reader, type Writer } from '../../bytes/index.ts';
import { ExtensionType, NamedGroup, PskKeyExchangeMode, versionName } from '../../tls12/wire/code-points.ts';
import { readExtension, writeExtension, type Extension } from '../../tls12/wire/extensions.ts';

/** The message an extension block belongs to: it decides how supported_versions and key_share read. */
export type ExtensionContext =
  | 'client_hello'
  | 'server_hello'
  | 'hello_retry_request'
  | 'encrypted_extensions'
  | 'certificate_request'
  | 'certificate'
  | 'new_session_ticket';

export interface KeyShareEntry {
  group: number;
  keyExchange: Uint8Array;
}

export type SupportedVersionsExtension =
  | { kind: 'supported_versions'; versions: number[] }
  | { kind: 'supported_versions'; selectedVersion: number };

export type KeyShareExtension =
  | { kind: 'key_share'; clientShares: KeyShareEntry[] }
  | { kind: 'key_share'; serverShare: KeyShareEntry }
  | { kind: 'key_share'; selectedGroup: number };

export interface PskKeyExchangeModesExtension {
  kind: 'psk_key_exchange_modes';
  modes: number[];
}

export interface CookieExtension {
  kind: 'cookie';
  cookie: Uint8Array;
}

export type Extension13 =
  Extension | SupportedVersionsExtension | KeyShareExtension | PskKeyExchangeModesExtension | CookieExtension;

const TLS13_KINDS = new Map<number, 'supported_versions' | 'key_share' | 'psk_key_exchange_modes' | 'cookie'>(
  [
    [ExtensionType.values.supported_versions, 'supported_versions'],
    [ExtensionType.values.key_share, 'key_share'],
    [ExtensionType.values.psk_key_exchange_modes, 'psk_key_exchange_modes'],
    [ExtensionType.values.cookie, 'cookie'],
  ],
);

function readKeyShareEntry(r: Reader, id: string): KeyShareEntry {
  return r.node(id, () => {
    const group = r.u16('extension.key_share.group', { show: NamedGroup.format });
    const keyExchange = r.vec16('extension.key_share.key_exchange', { min: 1 });
    return { group, keyExchange };
  });
}

function readBody13(r: Reader, kind: string, context: ExtensionContext): Extension13 {
  switch (kind) {
    case 'supported_versions':
      if (context === 'client_hello') {
        const versions = r.list(
          8,
          'extension.supported_versions.versions',
          (s, id) => s.u16(id, { show: versionName }),
          { min: 2, max: 254, elementSize: 2 },
        );
        return { kind, versions };
      }
      return {
        kind,
        selectedVersion: r.u16('extension.supported_versions.selected_version', {
          show: versionName,
        }),
      };
    case 'key_share':
      if (context === 'client_hello')
        return {
          kind,
          clientShares: r.list(16, 'extension.key_share.client_shares', (s, id) => readKeyShareEntry(s, id)),
        };
      if (context === 'hello_retry_request')
        return {
          kind,
          selectedGroup: r.u16('extension.key_share.selected_group', { show: NamedGroup.format }),
        };
      return { kind, serverShare: readKeyShareEntry(r, 'extension.key_share.server_share') };
    case 'psk_key_exchange_modes':
      return {
        kind,
        modes: r.list(
          8,
          'extension.psk_key_exchange_modes.ke_modes',
          (s, id) => s.u8(id, { show: PskKeyExchangeMode.format }),
          { min: 1 },
        ),
      };
    default:
      return { kind: 'cookie', cookie: r.vec16('extension.cookie.cookie', { min: 1 }) };
  }
}

/** Reads one extension as node `extension.<kind>`; TLS 1.2's kinds go to tls12/wire's reader. */
export function readExtension13(r: Reader, context: ExtensionContext): Extension13 {
  const peeked = r.peek(2);
  const kind = peeked.length === 2 ? TLS13_KINDS.get((peeked[0]! << 8) | peeked[1]!) : undefined;
  if (kind === undefined) return readExtension(r);
  const id = `extension.${kind}`;
  return r.node(id, () => {
    r.u16(`${id}.type`, { show: ExtensionType.format });
    const len = r.u16(`${id}.length`);
    const body = r.sub(len, id);
    const ext = readBody13(body, kind, context);
    body.expectEnd(id);
    return ext;
  });
}

/**
 * Reads a required extensions block `<owner>.extensions` (TLS 1.3 messages always have one), rejecting a
 * second extension of the same type (RFC 8446 §4.2).
 */
export function readExtensions13(
  r: Reader,
  owner: string,
  context: ExtensionContext,
  min = 0,
): Extension13[] {
  const seen = new Set<number>();
  return r.list(
    16,
    `${owner}.extensions`,
    (item) => {
      const start = item.offset;
      const peeked = item.peek(2);
      const type = peeked.length === 2 ? (peeked[0]! << 8) | peeked[1]! : -1;
      const ext = readExtension13(item, context);
      if (seen.has(type))
        item.fail(
          'invalid-value',
          `extension.${ext.kind}.type`,
          `duplicate extension ${ExtensionType.format(type)}`,
          start,
        );
      seen.add(type);
      return ext;
    },
    { min },
  );
}

function writeKeyShareEntry(w: Writer, e: KeyShareEntry): void {
  w.u16(e.group);
  w.vec16(e.keyExchange);
}

export function writeExtension13(w: Writer, ext: Extension13): void {
  switch (ext.kind) {
    case 'supported_versions':
      w.u16(ExtensionType.values.supported_versions);
      w.lengthPrefixed(16, (b) => {
        if ('versions' in ext) b.lengthPrefixed(8, (l) => ext.versions.forEach((v) => l.u16(v)));
        else b.u16(ext.selectedVersion);
      });
      return;
    case 'key_share':
      w.u16(ExtensionType.values.key_share);
      w.lengthPrefixed(16, (b) => {
        if ('clientShares' in ext)
          b.lengthPrefixed(16, (l) => ext.clientShares.forEach((e) => writeKeyShareEntry(l, e)));
        else if ('serverShare' in ext) writeKeyShareEntry(b, ext.serverShare);
        else b.u16(ext.selectedGroup);
      });
      return;
    case 'psk_key_exchange_modes':
      w.u16(ExtensionType.values.psk_key_exchange_modes);
      w.lengthPrefixed(16, (b) => b.lengthPrefixed(8, (l) => ext.modes.forEach((m) => l.u8(m))));
      return;
    case 'cookie':
      w.u16(ExtensionType.values.cookie);
      w.lengthPrefixed(16, (b) => b.vec16(ext.cookie));
      return;
    default:
      writeExtension(w, ext);
  }
}

export function writeExtensions13(w: Writer, extensions: readonly Extension13[]): void {
  w.lengthPrefixed(16, (list) => extensions.forEach((ext) => writeExtension13(list, ext)));
}

/** The first extension of a kind, typed. */
export function findExtension13<K extends Extension13['kind']>(
  extensions: readonly Extension13[] | undefined,
  kind: K,
): Extract<Extension13, { kind: K }> | undefined {
  return extensions?.find((e): e is Extract<Extension13, { kind: K }> => e.kind === kind);
}
