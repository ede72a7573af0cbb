/**
 * RFC 8446 §4.1.3 downgrade protection: a server that can speak TLS 1.3 but negotiates an older version puts
 * a sentinel in the last 8 bytes of ServerHello.random; a 1.3-capable client that sees it aborts with
 * illegal_parameter. Both functions are small and pure so the TLS 1.2 engine can call them too.
 */
import { bytesEqual } from '../../bytes/index.ts';

/** "DOWNGRD" followed by 01 (negotiating TLS 1.2) or 00 (TLS 1.1 or below). */
export const DOWNGRADE_SENTINEL_TLS12 = Uint8Array.of(0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01);
export const DOWNGRADE_SENTINEL_TLS11 = Uint8Array.of(0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x00);

/** Which sentinel a ServerHello.random carries, if any. */
export function downgradeSentinel(serverRandom: Uint8Array): 'tls12' | 'tls11' | undefined {
  const tail = serverRandom.subarray(serverRandom.length - 8);
  if (bytesEqual(tail, DOWNGRADE_SENTINEL_TLS12)) return 'tls12';
  if (bytesEqual(tail, DOWNGRADE_SENTINEL_TLS11)) return 'tls11';
  return undefined;
}

/** A server random for a 1.3-capable server that negotiates `version` (0x0303 or lower): the sentinel replaces its tail. */
export function withDowngradeSentinel(random: Uint8Array, version: number): Uint8Array {
  const out = random.slice();
  out.set(version === 0x0303 ? DOWNGRADE_SENTINEL_TLS12 : DOWNGRADE_SENTINEL_TLS11, out.length - 8);
  return out;
}

/**
 * The client's check (RFC 8446 §4.1.3): a client that offered TLS 1.3 and got an older version must find no
 * sentinel. Returns the reason to send illegal_parameter, or undefined when the ServerHello is fine.
 */
export function downgradeProblem(serverRandom: Uint8Array, offeredTls13: boolean): string | undefined {
  if (!offeredTls13) return undefined;
  const sentinel = downgradeSentinel(serverRandom);
  if (!sentinel) return undefined;
  return `the ServerHello.random ends in the ${sentinel === 'tls12' ? 'TLS 1.2' : 'TLS 1.1'} downgrade sentinel "DOWNGRD" ${sentinel === 'tls12' ? '01' : '00'}: the server speaks TLS 1.3, so something removed 1.3 from our offer (RFC 8446 §4.1.3)`;
}
