/**
 * Capture files, pure (no Node built-ins, no DOM): read pcap and pcapng (with TLS key logs from Decryption
 * Secrets Blocks), decode Ethernet / loopback / raw / Linux cooked frames to TCP, reassemble each connection's
 * two streams, find the ones carrying TLS (also inside PostgreSQL's SSLRequest framing), and write a
 * connection back as a pcapng with its key log that Wireshark decrypts with no settings.
 *
 *   openCapture(bytes) -> { format, connections: TcpConnection[], keyLog?, warnings, packets }
 *   tlsConnections(opened) -> the connections whose kind is not 'other'
 *   writeConnectionPcapng({ client, server, chunks, keyLog?, mss? }) -> Uint8Array
 * Whole-file problems throw `PcapError` (what, block/packet index, byte offset); per-packet problems are warnings.
 */
export * from './types.ts';
export { PcapError, isPcapError, type PcapErrorKind } from './errors.ts';
export { openCapture, readCapture, tlsConnections, MAX_WARNINGS, type OpenedCapture } from './open.ts';
export { writeConnectionPcapng, writePcapng, ethernetFrame, type PcapngPacket } from './write-pcapng.ts';
export { synthesizeConversation, type ConversationInput, type IpPacket } from './synthesize.ts';
export { classify, clientHelloFacts, sslRequestRefused, streamPrefix, SSL_REQUEST } from './classify.ts';
export { formatIpv4, formatIpv6, parseAddress } from './address.ts';
export * from './link.ts';
export {
  CAPTURE_KEY_LOG_NAME,
  clientGuess,
  CONNECTION_KIND_NAMES,
  describeWarning,
  formatEndpoint,
  keyLogSources,
  observedItems,
  observeInCapture,
  SESSION_LOOKBACK,
  plural,
  warningCount,
  type KeyLogSource,
} from './describe.ts';
