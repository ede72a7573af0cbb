/**
 * RFC 5077 §3.3 NewSessionTicket:
 *
 *   struct { uint32 ticket_lifetime_hint; opaque ticket<0..2^16-1>; } NewSessionTicket;
 */
import { type Reader, type Writer } from '../../bytes/index.ts';
import { HandshakeType } from './code-points.ts';
import type { Decoded } from './decoded.ts';
import { decodeHandshakeMessage, encodeHandshakeMessage } from './handshake-header.ts';

export interface NewSessionTicket {
  /** Seconds; 0 means unspecified. */
  ticketLifetimeHint: number;
  ticket: Uint8Array;
}

export function readNewSessionTicket(r: Reader): NewSessionTicket {
  const ticketLifetimeHint = r.u32('new_session_ticket.ticket_lifetime_hint', { show: (s) => `${s} s` });
  const ticket = r.vec16('new_session_ticket.ticket');
  return { ticketLifetimeHint, ticket };
}

export function writeNewSessionTicket(w: Writer, m: NewSessionTicket): void {
  w.u32(m.ticketLifetimeHint);
  w.vec16(m.ticket);
}

export function decodeNewSessionTicket(bytes: Uint8Array): Decoded<NewSessionTicket> {
  return decodeHandshakeMessage(
    bytes,
    HandshakeType.values.new_session_ticket,
    'new_session_ticket',
    readNewSessionTicket,
  );
}

export function encodeNewSessionTicket(m: NewSessionTicket): Uint8Array {
  return encodeHandshakeMessage(HandshakeType.values.new_session_ticket, (w) => writeNewSessionTicket(w, m));
}
