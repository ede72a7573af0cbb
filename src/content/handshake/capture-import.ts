/**
 * The Handshake Lab's words for opening captures (pcap, pcapng, tls-lab JSON) and a key log, and for the pcapng
 * it writes. The facts behind them: Wireshark and tshark read TLS key logs from a pcapng Decryption Secrets Block
 * with no settings (checked by tests/interop/pcap-tshark.test.ts and the e2e download test); `SSLKEYLOGFILE` is
 * the NSS key log format (one `CLIENT_RANDOM <client random> <master secret>` line per TLS 1.2 connection; four
 * traffic-secret lines, CLIENT_/SERVER_HANDSHAKE_TRAFFIC_SECRET and CLIENT_/SERVER_TRAFFIC_SECRET_0, per TLS 1.3 one).
 */
import {
  describeWarning,
  formatEndpoint,
  plural,
  sslRequestRefused,
  type OpenedCapture,
} from '../../lib/pcap/index.ts';

export const CAPTURE_HELP = {
  open:
    'Drop or choose a capture: a pcap or pcapng file from tcpdump, dumpcap or Wireshark, or the JSON made by ' +
    '`npx tls-lab handshake --connect HOST:PORT --json` (or `--pcap FILE --json`, which carries its decryption ' +
    'report). It is read in this browser tab and goes nowhere else.',
  keyLog:
    'Optional: the NSS key log your client wrote (SSLKEYLOGFILE, `openssl s_client -keylogfile`). A pcapng ' +
    'with a Decryption Secrets Block carries its own keys and needs none.',
  picker: 'This capture holds several TLS connections. Choose the one to open.',
  notVerified:
    'The lab could not check both Finished messages of this connection, so it does not call the handshake ' +
    'complete. The decryption report below says why, and what would open the rest.',
  finishedMismatch:
    'Every record opened, but a Finished message does not match the handshake messages in this capture, so the ' +
    'lab does not call the handshake complete. The decryption report below says which one.',
  noReport:
    'This file records neither a completed handshake (both Finished messages checked) nor a fatal alert, and ' +
    'carries no decryption report, so the lab does not call the handshake complete.',
  jsonReport: 'Key log: as tls-lab read it when it wrote this file (the report below is the one it wrote).',
  pcapng:
    'The pcapng holds this run as a TCP conversation with its key log in a Decryption Secrets Block: ' +
    'Wireshark and tshark open it decrypted with no settings.',
  pcapngDirect:
    'The pcapng holds this run as a TCP conversation with its key log in a Decryption Secrets Block. Its server ' +
    "is on PostgreSQL's port 5432, which Wireshark 4.0 reads as PostgreSQL's own protocol, so it shows no TLS in " +
    'a direct TLS connection: choose Decode As… TLS for port 5432 (tshark: -d tcp.port==5432,tls), and it opens ' +
    'decrypted.',
} as const;

/** The line before the reader's warnings: how many things it skipped, and how many follow when not all. */
export function warningsHeading(count: number, listed = count): string {
  const some = listed < count ? ` (the first ${listed} are listed)` : '';
  return `The capture reader skipped ${plural(count, 'thing')} in the file${some}:`;
}

/** Why a capture that opened offers nothing to show, naming what it did hold (and the first thing skipped). */
export function noTlsMessage(name: string, capture: OpenedCapture): string {
  const held = `${plural(capture.packets, 'packet')}, ${plural(capture.connections.length, 'TCP connection')}`;
  const first = capture.warnings[0];
  const skipped = first ? ` The reader skipped or stopped at ${describeWarning(first)}.` : '';
  if (capture.connections.length === 0)
    return `${name} holds no TCP connection (${held}), so there is no TLS to show.${skipped}`;
  const refused = capture.connections.filter((c) => sslRequestRefused(c.chunks));
  if (refused.length > 0) {
    const which = refused.map(
      (c) => `${c.index + 1} (${formatEndpoint(c.client)} → ${formatEndpoint(c.server)})`,
    );
    return `${name} holds no TLS (${held}): PostgreSQL answered 'N' to the SSLRequest of connection ${which.join(', ')}: that server does not accept SSL (PostgreSQL with ssl = off, or a pooler without TLS), so the client went on unencrypted (sslmode prefer or allow) or gave up (require and stricter).${skipped}`;
  }
  return `${name} holds no TLS (${held}): no connection starts with a TLS record or PostgreSQL's SSLRequest.${skipped}`;
}
