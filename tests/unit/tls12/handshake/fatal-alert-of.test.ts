/**
 * fatalAlertOf: whether a fatal alert failed the handshake or ended a connection whose handshake had completed, the
 * one rule the CLI (live and --pcap) and the Handshake Lab's capture reader share. TLS 1.3's server judges the
 * client's second flight after the client's Finished (RFC 8446 §4.4.2.4).
 */
import { describe, expect, it } from 'vitest';
import { fatalAlertOf, type EventLogEntry } from '../../../../src/lib/tls12/handshake/index.ts';

const complete = (version: number) =>
  ({ kind: 'handshake_complete', from: 'client', summary: { version } }) as unknown as EventLogEntry;
const alert = (from: 'client' | 'server', name: string) =>
  ({ kind: 'alert', from, level: 2, description: 0, name }) as unknown as EventLogEntry;
const data = (from: 'client' | 'server') =>
  ({ kind: 'application_data', id: `${from}:9`, from, data: new Uint8Array(1) }) as EventLogEntry;
const ticket = { kind: 'message', from: 'server', name: 'new_session_ticket' } as unknown as EventLogEntry;
const after = (log: EventLogEntry[]) => fatalAlertOf(log)?.afterHandshake;

describe('fatalAlertOf', () => {
  it('before handshake_complete: the handshake failed', () => {
    expect(after([alert('client', 'unknown_ca')])).toBe(false);
  });

  it('TLS 1.2: any alert after handshake_complete is after the handshake', () => {
    expect(after([complete(0x0303), alert('server', 'unknown_ca')])).toBe(true);
  });

  it("TLS 1.3: the server refusing the client's certificate right after the client's Finished failed the handshake", () => {
    expect(after([complete(0x0304), alert('server', 'certificate_required')])).toBe(false);
    // psql sends its StartupMessage with its Finished: the refusal that follows still fails the handshake.
    expect(after([complete(0x0304), data('client'), alert('server', 'unknown_ca')])).toBe(false);
  });

  it('TLS 1.3: a post-handshake CertificateRequest shows the server had accepted: a refusal after it is after', () => {
    // A review found `openssl s_server -num_tickets 0` refusing a post-handshake client certificate called failed.
    const request = {
      kind: 'message',
      from: 'server',
      name: 'certificate_request',
    } as unknown as EventLogEntry;
    expect(after([complete(0x0304), data('client'), request, alert('server', 'unknown_ca')])).toBe(true);
  });

  it("TLS 1.3: once the server sent traffic, or when a record of the client's data fails, it is after", () => {
    expect(after([complete(0x0304), ticket, alert('server', 'unknown_ca')])).toBe(true);
    expect(after([complete(0x0304), data('server'), alert('server', 'decrypt_error')])).toBe(true);
    expect(after([complete(0x0304), data('client'), alert('server', 'bad_record_mac')])).toBe(true);
  });

  it("TLS 1.3: the client's alerts after its Finished (an unexpected EOF's decode_error) are after", () => {
    // A review found the live CLI calling such a connection HANDSHAKE FAILED.
    expect(after([complete(0x0304), data('client'), alert('client', 'decode_error')])).toBe(true);
    expect(after([complete(0x0304), alert('client', 'decode_error')])).toBe(true);
  });
});
