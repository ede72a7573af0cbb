/**
 * The Handshake Lab's capture files, in its worker: the page hands over File objects, the worker reads and
 * parses them (model/handshake/import.ts), keeps the opened capture and the key log, and sends back only what
 * the page draws: the connections to choose from, then the chosen connection's run and decryption report.
 * A pcapng of any run is written here too.
 */
import type { Endpoint } from '../../lib/pcap/index';
import type { HandshakeRun } from '../../lib/tls12/index';
import {
  importConnection,
  MAX_CAPTURE_BYTES,
  openFileBytes,
  runPcapng,
  type ImportedConnection,
  type OpenedFile,
} from '../model/handshake/import';

type Opened = ReturnType<typeof openFileBytes>;

let opened: Opened | undefined;
/** Counts the readings started: one that ends after a later one started keeps nothing (the later one wins). */
let readings = 0;
let keyLog: { name: string; text: string } | undefined;

const MB = 1024 * 1024;

/** Reads a capture (pcap, pcapng) or tls-lab JSON; a capture is kept for `showConnection`. */
export async function openCaptureFile(file: File): Promise<OpenedFile> {
  const reading = ++readings;
  if (file.size > MAX_CAPTURE_BYTES)
    return {
      kind: 'error',
      name: file.name,
      message: `${file.name} is ${(file.size / MB).toFixed(1)} MB, more than the ${MAX_CAPTURE_BYTES / MB} MB the lab opens in a browser tab; keep only the connection you want first (for example tshark -r in.pcap -Y "tcp.stream == 3" -w out.pcapng), or split it by packet count with editcap -c`,
    };
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (e) {
    return {
      kind: 'error',
      name: file.name,
      message: `${file.name} could not be read: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  const result = openFileBytes(file.name, bytes);
  if (result.kind === 'capture' && reading === readings) opened = result;
  const { capture: _kept, ...plain } = result;
  return plain;
}

/** The key log to use from now on (undefined: none, so a pcapng's own is used). */
export async function setKeyLog(
  file: File | undefined,
): Promise<{ name: string; lines: number } | undefined> {
  if (!file) {
    keyLog = undefined;
    return undefined;
  }
  const text = await file.text();
  keyLog = { name: file.name, text };
  return { name: file.name, lines: text.split('\n').filter((l) => l.trim() && !l.startsWith('#')).length };
}

/** The chosen connection of the capture opened last, observed with the key log. */
export async function showConnection(index: number): Promise<ImportedConnection> {
  if (opened?.kind !== 'capture' || !opened.capture) throw new Error('No capture is open');
  return importConnection(opened.capture, index, keyLog);
}

/** A run as pcapng with its key log in a Decryption Secrets Block. */
export async function pcapngOf(
  run: HandshakeRun,
  startTime: number,
  endpoints?: { client: Endpoint; server: Endpoint },
): Promise<Uint8Array> {
  return runPcapng(run, startTime, endpoints);
}

export const captureMethods = { openCaptureFile, setKeyLog, showConnection, pcapngOf };
