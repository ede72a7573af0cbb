/**
 * Malformed or odd name constraints (issue 13), each a real chain root -> inter -> leaf "leaf.example.com" built
 * byte by byte (raw-certs.ts): shared by the unit test (rules per client, cited) and the interop test that checks
 * the openssl-3 profile against the real `openssl verify`.
 */
import { ascii, chainOf, ext, seq, tlv, type RawSpec } from './raw-certs.ts';

const dns = (name: string) => seq(tlv(0x82, ascii(name)));
const permitted = (...subtrees: Uint8Array[]) => tlv(0xa0, ...subtrees);
const excluded = (...subtrees: Uint8Array[]) => tlv(0xa1, ...subtrees);
const NULL = Uint8Array.of(0x05, 0x00);

const caWith = (nameConstraints: Uint8Array): Partial<RawSpec> => ({
  extensions: [ext.basicConstraints(true), ext.keyUsage(true), ext.nameConstraints(nameConstraints)],
});

export interface ConstraintCase {
  name: string;
  on: 'inter' | 'leaf';
  spec: Partial<RawSpec>;
}

export const CONSTRAINT_CASES: ConstraintCase[] = [
  { name: 'empty nameConstraints (no subtrees at all)', on: 'inter', spec: caWith(seq()) },
  { name: 'empty permittedSubtrees', on: 'inter', spec: caWith(seq(permitted())) },
  { name: 'empty excludedSubtrees', on: 'inter', spec: caWith(seq(excluded())) },
  { name: 'a NULL in permittedSubtrees', on: 'inter', spec: caWith(seq(permitted(NULL))) },
  { name: 'nameConstraints that is a NULL', on: 'inter', spec: caWith(NULL) },
  {
    name: 'permitted ".example.com" (leading period)',
    on: 'inter',
    spec: caWith(seq(permitted(dns('.example.com')))),
  },
  {
    name: 'permitted ".leaf.example.com" (leading period, the name itself)',
    on: 'inter',
    spec: caWith(seq(permitted(dns('.leaf.example.com')))),
  },
  {
    name: 'excluded ".example.com" (leading period)',
    on: 'inter',
    spec: caWith(seq(excluded(dns('.example.com')))),
  },
  {
    name: 'name constraints in the end entity excluding its own name',
    on: 'leaf',
    spec: {
      extensions: [
        ext.basicConstraints(false),
        ext.keyUsage(false),
        ext.serverAuth(),
        ext.sanDns(ascii('leaf.example.com')),
        ext.nameConstraints(seq(excluded(dns('leaf.example.com')))),
      ],
    },
  },
];

export function constraintChain(c: ConstraintCase): Promise<{ root: string; inter: string; leaf: string }> {
  return chainOf({ [c.on]: c.spec });
}
