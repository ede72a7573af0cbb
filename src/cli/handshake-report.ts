/**
 * The lines `tls-lab handshake` prints for a connection, live (`--connect`) or captured (`--pcap`): one line per
 * message, ChangeCipherSpec, alert and PostgreSQL message, and the negotiated parameters with the server's chain.
 */
import {
  parseCertificate,
  ProtocolVersion,
  type AlertEntry,
  type ApplicationDataEntry,
  type EventLogEntry,
  type HandshakeSummary,
  versionName,
} from '../lib/tls12/index.ts';
import { messageName } from '../lib/tls13/wire/index.ts';

export function arrow(from: string): string {
  return from === 'client' ? 'C -> S' : 'S -> C';
}

/** "we sent fatal alert ..." (live: we are the client) or "the client sent ..." (a capture). */
export function alertText(alert: AlertEntry, live = true): string {
  const who = alert.from === 'client' ? (live ? 'we sent' : 'the client sent') : 'the server sent';
  return `${who} fatal alert ${alert.name} (${alert.description})${alert.reason ? `: ${alert.reason}` : ''}`;
}

/**
 * An application data entry's line: `[decrypted]` in a capture the key log opened, `[encrypted]` in a live run (it
 * travelled protected; we are the endpoint).
 */
export function applicationDataLine(e: ApplicationDataEntry, mark: 'decrypted' | 'encrypted'): string {
  return `  ${arrow(e.from)}  application data (${e.data.length} bytes) [${mark}]`;
}

/** The ids of the contents (messages, alerts) that travelled in encrypted records, as the records' `carries` say. */
export function encryptedContents(log: readonly EventLogEntry[]): ReadonlySet<string> {
  return new Set(log.flatMap((e) => (e.kind === 'record' && e.encrypted ? e.carries : [])));
}

/**
 * The line for one event log entry, or undefined for entries the listing leaves out (records, secrets). `encrypted`:
 * the contents that travelled encrypted (`encryptedContents`), for an alert's mark.
 */
export function entryLine(e: EventLogEntry, encrypted?: ReadonlySet<string>): string | undefined {
  if (e.kind === 'message') {
    return `  ${arrow(e.from)}  ${messageName(e)} (${e.bytes.length} bytes)${e.encrypted ? ' [encrypted]' : ''}`;
  }
  if (e.kind === 'change_cipher_spec') return `  ${arrow(e.from)}  ChangeCipherSpec`;
  if (e.kind === 'postgres')
    return `  ${arrow(e.from)}  PostgreSQL ${e.label}${e.inTunnel ? ' [in TLS]' : ''}`;
  if (e.kind === 'alert')
    return `  ${arrow(e.from)}  alert ${e.name} (${e.description})${encrypted?.has(e.id) ? ' [encrypted]' : ''}${e.reason ? `: ${e.reason}` : ''}`;
  return undefined;
}

/**
 * The key exchange of a group: finite-field DHE for RFC 7919's ffdhe groups (code points 256-511, its §6), else
 * elliptic-curve ECDHE.
 */
export function groupKeyExchange(group: number | undefined, groupName: string): string {
  return `${group !== undefined && group >= 256 && group <= 511 ? 'DHE' : 'ECDHE'} ${groupName}`;
}

/** Protocol, suite, key exchange, extensions that matter, and the chain the server sent. */
export function summaryLines(s: HandshakeSummary): string[] {
  const lines = [
    `Protocol:          ${versionName(s.version)}`,
    `Cipher suite:      ${s.cipherSuiteName} (0x${s.cipherSuite.toString(16).padStart(4, '0')})`,
    s.resumed
      ? 'Key exchange:      none: an earlier session resumed (abbreviated handshake, its master secret)'
      : s.groupName
        ? `Key exchange:      ${groupKeyExchange(s.group, s.groupName)}`
        : s.version === ProtocolVersion.values.TLSv1_3
          ? 'Key exchange:      none: the pre-shared key alone (psk_ke, no forward secrecy)'
          : 'Key exchange:      RSA (no forward secrecy)',
  ];
  if (s.signatureSchemeName) lines.push(`Signature scheme:  ${s.signatureSchemeName}`);
  // RFC 8446: TLS 1.3 always binds its secrets to the transcript; extended_master_secret is a TLS 1.2 extension.
  if (s.version !== ProtocolVersion.values.TLSv1_3)
    lines.push(`Extended master secret: ${s.extendedMasterSecret ? 'yes' : 'no'}`);
  if (s.alpn) lines.push(`ALPN:              ${s.alpn}`);
  lines.push(`Certificate chain sent by the server (${s.serverCertificates.length}):`);
  s.serverCertificates.forEach((der, i) => {
    try {
      const c = parseCertificate(der);
      lines.push(`  ${i}: subject ${c.subject}`);
      lines.push(`     issuer  ${c.issuer}`);
    } catch (e) {
      lines.push(`  ${i}: (unparseable: ${(e as Error).message})`);
    }
  });
  return lines;
}
