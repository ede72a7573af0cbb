/**
 * RFC 8446 §4.6.1 NewSessionTicket:
 *
 *   struct {
 *       uint32 ticket_lifetime;
 *       uint32 ticket_age_add;
 *       opaque ticket_nonce<0..255>;
 *       opaque ticket<1..2^16-1>;
 *       Extension extensions<0..2^16-2>;
 *   } NewSessionTicket;
 */
import { type Reader, type Writer } from '../../bytes/index.ts';
import { HandshakeType } from '../../tls12/wire/code-points.ts';
import type { Decoded } from '../../tls12/wire/decoded.ts';
import { decodeHandshakeMessage, encodeHandshakeMessage } from '../../tls12/wire/handshake-header.ts';
import { readExtensions13, writeExtensions13, type Extension13 } from './extensions.ts';

export interface NewSessionTicket13 {
  ticketLifetime: number;
  ticketAgeAdd: number;
  ticketNonce: Uint8Array;
  ticket: Uint8Array;
  extensions: Extension13[];
}

export function readNewSessionTicket13(r: Reader): NewSessionTicket13 {
  const ticketLifetime = r.u32('new_session_ticket.ticket_lifetime');
  const ticketAgeAdd = r.u32('new_session_ticket.ticket_age_add');
  const ticketNonce = r.vec8('new_session_ticket.ticket_nonce');
  const ticket = r.vec16('new_session_ticket.ticket', { min: 1 });
  const extensions = readExtensions13(r, 'new_session_ticket', 'new_session_ticket');
  return { ticketLifetime, ticketAgeAdd, ticketNonce, ticket, extensions };
}

export function writeNewSessionTicket13(w: Writer, m: NewSessionTicket13): void {
  w.u32(m.ticketLifetime);
  w.u32(m.ticketAgeAdd);
  w.vec8(m.ticketNonce);
  w.vec16(m.ticket);
  writeExtensions13(w, m.extensions);
}

export function decodeNewSessionTicket13(bytes: Uint8Array): Decoded<NewSessionTicket13> {
  return decodeHandshakeMessage(
    bytes,
    HandshakeType.values.new_session_ticket,
    'new_session_ticket',
    readNewSessionTicket13,
  );
}

export function encodeNewSessionTicket13(m: NewSessionTicket13): Uint8Array {
  return encodeHandshakeMessage(HandshakeType.values.new_session_ticket, (w) =>
    writeNewSessionTicket13(w, m),
  );
}
