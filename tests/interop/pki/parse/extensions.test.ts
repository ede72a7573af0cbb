/**
 * Every extension the engine reads, on a certificate OpenSSL issues from an extension file written here:
 * the expected values come from that file (the input), cross-checked with `openssl x509 -text` where
 * OpenSSL prints them differently (IP masks).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCertificates } from '../../../../src/lib/pki/parse.ts';
import type { CertView } from '../../../../src/lib/pki/types.ts';
import { openssl, tempDir } from './helpers.ts';

const EXTENSIONS = `
basicConstraints = critical, CA:TRUE, pathlen:2
keyUsage = critical, digitalSignature, keyCertSign, cRLSign
extendedKeyUsage = serverAuth, clientAuth, 1.2.3.4
subjectAltName = DNS:a.example, IP:192.0.2.1, IP:2001:db8::1, email:x@example.com, URI:https://example.com/x, dirName:dir_sect
nameConstraints = critical, permitted;DNS:.example.com, permitted;IP:192.168.0.0/255.255.0.0, permitted;IP:2001:db8::/ffff:ffff::, excluded;email:bad.example, excluded;URI:.evil.example, permitted;dirName:dir_sect
certificatePolicies = 1.2.3.4.5, 2.5.29.32.0
policyMappings = 1.2.3.4.5:1.2.3.4.6
policyConstraints = requireExplicitPolicy:1, inhibitPolicyMapping:2
inhibitAnyPolicy = 3
authorityInfoAccess = OCSP;URI:http://ocsp.example, caIssuers;URI:http://ca.example/ca.crt
crlDistributionPoints = URI:http://crl.example/a.crl
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[dir_sect]
C = US
O = Example
CN = Dir Name
`;

let cert: CertView;
let text = '';

beforeAll(async () => {
  const dir = tempDir();
  // req -x509 takes the extensions from a section of its config file.
  writeFileSync(join(dir, 'req.cnf'), `[req]\ndistinguished_name = dn\n[dn]\n[v3]\n${EXTENSIONS}`);
  openssl([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    join(dir, 'k.pem'),
    '-out',
    join(dir, 'c.pem'),
    '-subj',
    '/C=US/O=Ext Test/CN=Ext  Test CA',
    '-days',
    '1',
    '-config',
    join(dir, 'req.cnf'),
    '-extensions',
    'v3',
  ]);
  const pem = readFileSync(join(dir, 'c.pem'), 'utf8');
  text = openssl(['x509', '-noout', '-text'], pem).toString();
  const report = await parseCertificates(pem);
  expect(report.problems).toEqual([]);
  cert = report.certificates[0]!;
});

describe('extensions decoded from an OpenSSL-issued certificate', () => {
  it('basic constraints, key usage, extended key usage', () => {
    expect(cert.basicConstraints).toEqual({ ca: true, pathLen: 2 });
    expect(cert.keyUsage).toEqual(['digitalSignature', 'keyCertSign', 'cRLSign']);
    expect(cert.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2', '1.2.3.4']);
  });

  it('subject alternative names of every kind, IPv6 in RFC 5952 form', () => {
    expect(cert.san).toMatchObject({
      dns: ['a.example'],
      ip: ['192.0.2.1', '2001:db8::1'],
      email: ['x@example.com'],
      uri: ['https://example.com/x'],
    });
    const dn = cert.san!.all.find((n) => n.kind === 'dn')!;
    expect(dn.value).toBe('CN=Dir Name,O=Example,C=US');
    expect(dn.name?.rdns.map((r) => r[0]!.type)).toEqual(['C', 'O', 'CN']);
  });

  it('name constraints: dns, ip with mask as a prefix, email, uri, dn', () => {
    expect(text).toContain('IP:192.168.0.0/255.255.0.0');
    expect(cert.nameConstraints).toEqual({
      permitted: [
        { kind: 'dns', value: '.example.com' },
        { kind: 'ip', value: '192.168.0.0/16' },
        { kind: 'ip', value: '2001:db8::/32' },
        expect.objectContaining({ kind: 'dn', value: 'CN=Dir Name,O=Example,C=US' }),
      ],
      excluded: [
        { kind: 'email', value: 'bad.example' },
        { kind: 'uri', value: '.evil.example' },
      ],
    });
  });

  it('policies, mappings, policy constraints, inhibitAnyPolicy', () => {
    expect(cert.policies).toEqual([
      { oid: '1.2.3.4.5', qualifiers: [] },
      { oid: '2.5.29.32.0', qualifiers: [] },
    ]);
    expect(cert.policyMappings).toEqual([
      { issuerDomainPolicy: '1.2.3.4.5', subjectDomainPolicy: '1.2.3.4.6' },
    ]);
    expect(cert.policyConstraints).toEqual({ requireExplicitPolicy: 1, inhibitPolicyMapping: 2 });
    expect(cert.inhibitAnyPolicy).toBe(3);
  });

  it('AIA, CRL distribution points, key identifiers as openssl prints them', () => {
    expect(cert.aia).toEqual({ ocsp: ['http://ocsp.example'], caIssuers: ['http://ca.example/ca.crt'] });
    expect(cert.crlDistributionPoints).toEqual(['http://crl.example/a.crl']);
    const ski = /Subject Key Identifier:\s*\n\s*([0-9A-F:]+)/
      .exec(text)![1]!
      .replaceAll(':', '')
      .toLowerCase();
    expect(cert.subjectKeyId).toBe(ski);
    const aki = /Authority Key Identifier:\s*\n\s*(?:keyid:)?([0-9A-F:]+)/.exec(text)?.[1];
    expect(cert.authorityKeyId).toBe(aki === undefined ? null : aki.replaceAll(':', '').toLowerCase());
  });

  it('every extension is listed with criticality and `known` for the ones the engine processes', () => {
    const byName = new Map(cert.extensions.map((e) => [e.name, e]));
    expect(byName.get('basicConstraints')).toMatchObject({ critical: true, known: true });
    expect(byName.get('nameConstraints')).toMatchObject({ critical: true, known: true });
    expect(byName.get('subjectAltName')).toMatchObject({ critical: false, known: true });
    expect(byName.get('authorityInfoAccess')).toMatchObject({ critical: false, known: false });
    const printed = [...text.matchAll(/^ {12}(X509v3 [A-Za-z ]+|Authority Information Access):/gm)].length;
    expect(cert.extensions).toHaveLength(printed);
    expect(printed).toBeGreaterThanOrEqual(12);
  });

  it('the subject keeps its double space; its comparison key collapses it (RFC 5280 §7.1)', () => {
    expect(cert.subject.rfc4514).toBe('CN=Ext  Test CA,O=Ext Test,C=US');
    expect(cert.subject.key).toContain('2.5.4.3=ext%20test%20ca');
    expect(cert.selfIssued).toBe(true);
  });
});
