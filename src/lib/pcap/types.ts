/**
 * The plain-data model of a capture (structuredClone-safe: it crosses the Worker boundary). What the readers
 * produce and what `observeConnection` (tls12/observe.ts) consumes: one TCP connection as its two byte streams.
 */

export type Direction = 'client' | 'server';

export interface Endpoint {
  /** Dotted IPv4 or RFC 5952 IPv6 text. */
  address: string;
  port: number;
}

/** Bytes one side sent, reassembled; `chunks` keep the order in which each became readable on the wire. */
export interface StreamChunk {
  from: Direction;
  bytes: Uint8Array;
  /** offset of bytes[0] in that direction's stream */
  offset: number;
  /** capture time, ms since the Unix epoch (fractional; a double holds it to about 0.25 µs for today's dates) */
  time: number;
}

/** Bytes missing from the capture (a segment the capture never saw). */
export interface StreamGap {
  from: Direction;
  offset: number;
  length: number;
}

export type ConnectionKind = 'tls' | 'postgres-ssl' | 'postgres-direct-tls' | 'other';

export interface TcpConnection {
  /** 0-based, in order of each connection's first packet. */
  index: number;
  client: Endpoint;
  server: Endpoint;
  /** Time of the connection's first packet, ms since the Unix epoch. */
  firstTime: number;
  /** Both directions, in capture order (flights interleave as on the wire). */
  chunks: StreamChunk[];
  gaps: StreamGap[];
  kind: ConnectionKind;
  /** server_name from the ClientHello, when there is one. */
  sni?: string;
  /** TCP segments of this connection in the capture (with and without data). */
  packets: number;
  /**
   * How the client was told apart: the SYN's sender, the ClientHello's / SSLRequest's, or, in a capture holding
   * neither, a guess: the server is the endpoint whose port is below the ephemeral range when only one is, else the
   * client is the first packet's sender.
   */
  clientBy: 'syn' | 'hello' | 'port' | 'first-packet';
  /**
   * Whether each direction's stream is held from its start: that side's SYN is in the capture, so its offsets count
   * from its first byte. Without it a direction may begin anywhere, even inside a record.
   */
  fromStart: { client: boolean; server: boolean };
}

/** A per-packet problem: the packet is skipped and the rest of the file still opens. */
export interface PcapWarning {
  /** 0-based packet index in the file (all packet blocks counted, across sections). */
  packet: number;
  /** Byte offset of the packet's record or block in the file. */
  offset: number;
  message: string;
  /** On the note that ends a capped list: how many warnings it stands for (left out past the cap). */
  leftOut?: number;
}

/** One captured frame, as the file holds it (`data` is a view into the file's bytes, not a copy). */
export interface CapturedPacket {
  index: number;
  /** Byte offset of the record/block in the file. */
  offset: number;
  /** LINKTYPE_* of its interface. */
  linkType: number;
  /** ms since the Unix epoch; NaN when the block carries none (pcapng Simple Packet Block). */
  time: number;
  data: Uint8Array;
  /** Length on the wire (data may be shorter: snap length). */
  originalLength: number;
}

export type CaptureFormat = 'pcap' | 'pcapng';

export interface CaptureFile {
  format: CaptureFormat;
  packets: CapturedPacket[];
  /** TLS key logs (NSS format text) from pcapng Decryption Secrets Blocks, in file order. */
  keyLogs: string[];
  warnings: PcapWarning[];
}
