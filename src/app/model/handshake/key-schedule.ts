/**
 * The TLS 1.3 key schedule (RFC 8446 §7.1) as the Handshake Lab draws it: the spine early secret → derived →
 * handshake secret → derived → master secret, each stage's input ((EC)DHE shared secret, PSK or zeros), and the
 * traffic secrets that branch off it with their keys, IVs and finished keys. Only the shape is fixed here; every
 * node holds the run's own secret entry (its value, formula, inputs and `openssl kdf` command), or none when the
 * run does not know it (a capture opened with a key log knows the traffic secrets, not the spine).
 */
import { TLS13_KEY_LOG_LABELS, type EventLog, type SecretEntry } from '../../../lib/tls12/index';

export interface KeyNode {
  /** The secret's name in the event log (RFC 8446's name, in snake case). */
  readonly name: string;
  readonly entry?: SecretEntry;
  /** The names of the inputs the run's entry was derived from (the HkdfLabel structure left out). */
  readonly inputs: readonly string[];
}

export interface KeyBranch {
  readonly node: KeyNode;
  /** The write key, IV and finished key (and the Finished verify_data) derived from this secret. */
  readonly children: readonly KeyNode[];
}

export interface KeyStage {
  readonly node: KeyNode;
  /** What is mixed in at this stage (HKDF-Extract's IKM): a node when the run logs it, else the input's name. */
  readonly mixedIn?: KeyNode;
  /** The name of what HKDF-Extract took as IKM, as the run's entry names it ('0 (no PSK)', '0', ...). */
  readonly ikm?: string;
  readonly branches: readonly KeyBranch[];
}

export interface KeyScheduleView {
  readonly stages: readonly KeyStage[];
  /** How many of the drawn nodes the run knows. */
  readonly known: number;
  readonly total: number;
}

const NOT_INPUTS = new Set(['HkdfLabel']);

const TRAFFIC_CHILDREN = ['.key', '.iv', '.finished_key'];

/** The secret entries of a run, the first of each name (both sides derive the same values). */
function secretsByName(log: EventLog): Map<string, SecretEntry> {
  const out = new Map<string, SecretEntry>();
  for (const e of log) if (e.kind === 'secret' && !out.has(e.name)) out.set(e.name, e);
  return out;
}

/** The TLS 1.3 key schedule of a run, drawn from its secret entries. */
export function keyScheduleView(log: EventLog): KeyScheduleView {
  const secrets = secretsByName(log);
  let known = 0;
  let total = 0;
  const node = (name: string): KeyNode => {
    const entry = secrets.get(name);
    total += 1;
    if (entry) known += 1;
    return {
      name,
      ...(entry ? { entry } : {}),
      inputs: entry ? Object.keys(entry.inputs).filter((i) => !NOT_INPUTS.has(i)) : [],
    };
  };
  const branch = (name: string, finished?: string): KeyBranch => ({
    node: node(name),
    children: [
      ...TRAFFIC_CHILDREN.filter((c) => c !== '.finished_key' || finished).map((c) => node(name + c)),
      ...(finished ? [node(`${finished}_finished.verify_data`)] : []),
    ],
  });
  /** KeyUpdate's later generations (RFC 8446 §7.2), as many as the run derived. */
  const generations = (side: 'client' | 'server'): KeyBranch[] => {
    const out: KeyBranch[] = [];
    for (let n = 1; secrets.has(`${side}_application_traffic_secret_${n}`); n++)
      out.push(branch(`${side}_application_traffic_secret_${n}`));
    return out;
  };
  const leaf = (name: string): KeyBranch[] => (secrets.has(name) ? [{ node: node(name), children: [] }] : []);
  const stage = (name: string, rest: Omit<KeyStage, 'node'> = { branches: [] }): KeyStage => {
    const n = node(name);
    const ikm = n.entry && 'ikm' in n.entry && typeof n.entry.ikm === 'string' ? n.entry.ikm : undefined;
    return { node: n, ...(ikm !== undefined ? { ikm } : {}), ...rest };
  };
  const stages: KeyStage[] = [
    stage('early_secret'),
    stage('derived_early'),
    stage('handshake_secret', {
      mixedIn: node('ecdhe_shared_secret'),
      branches: [
        branch('client_handshake_traffic_secret', 'client'),
        branch('server_handshake_traffic_secret', 'server'),
      ],
    }),
    stage('derived_handshake'),
    stage('master_secret', {
      branches: [
        branch('client_application_traffic_secret_0'),
        ...generations('client'),
        branch('server_application_traffic_secret_0'),
        ...generations('server'),
        { node: node('exporter_master_secret'), children: [] },
        ...leaf('resumption_master_secret'),
      ],
    }),
  ];
  return { stages, known, total };
}

/** Every node of the view, in drawing order. */
export function keyNodes(view: KeyScheduleView): KeyNode[] {
  return view.stages.flatMap((s) => [
    ...(s.mixedIn ? [s.mixedIn] : []),
    s.node,
    ...s.branches.flatMap((b) => [b.node, ...b.children]),
  ]);
}

/**
 * The key log line a capture needs to know a secret: the secret's own line (a traffic or exporter secret), or that of
 * the traffic secret it is derived from (a key, IV or finished key). Undefined for the secrets no key log holds (the
 * early, handshake and master secrets, the (EC)DHE shared secret).
 */
export function keyLogLineFor(name: string): { secret: string; label: string } | undefined {
  const secret = name.split('.')[0]!;
  const label = (TLS13_KEY_LOG_LABELS as Record<string, string | undefined>)[secret];
  return label ? { secret, label } : undefined;
}
