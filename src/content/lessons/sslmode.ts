import type { Lesson } from './types';

const target = 'host=db.example.test dbname=app user=app password=secret';

export const sslmodeLesson: Lesson = {
  id: 'sslmode-protections',
  title: 'What each sslmode protects against',
  summary:
    'disable, prefer, require, verify-ca and verify-full against an attacker on the path: who can read, who can impersonate the server.',
  steps: [
    {
      id: 'disable',
      title: 'sslmode=disable: plaintext',
      body: 'With sslmode=disable the client never asks for TLS. Anyone on the path can read and change the traffic. The attacker switch is on: look at what the three attackers achieve: stripping TLS, impersonating the server with a self-signed certificate, or with a valid certificate for another name from the same CA. Every card is red: each one gets the session.',
      lab: 'sslmode',
      state: { conninfo: `${target} sslmode=disable`, attacker: '1' },
      notes: 'Baseline: nothing is protected.',
    },
    {
      id: 'prefer',
      title: 'Predict: sslmode=prefer (the default) against a stripping attacker',
      body: 'sslmode=prefer is libpq\'s default. An active attacker answers the SSLRequest with "N" (no TLS) and accepts a plaintext login.',
      lab: 'sslmode',
      state: { conninfo: `${target} sslmode=prefer`, attacker: '1' },
      notes: 'This is the default of libpq: most connections in the wild.',
      checkpoint: {
        question: 'What does the client do?',
        choices: [
          { id: 'refuse', text: 'It refuses: TLS was available before' },
          { id: 'plaintext', text: 'It connects in plaintext' },
          { id: 'warn', text: 'It connects and prints a warning' },
        ],
        answer: 'plaintext',
        explanation:
          'prefer falls back to plaintext when the server (or whoever answers) says no TLS. It protects against a passive eavesdropper only when nobody interferes; an active attacker forces a downgrade.',
      },
    },
    {
      id: 'require',
      title: 'Predict: sslmode=require against an impersonator',
      body: 'sslmode=require insists on TLS, so stripping fails ("server does not support SSL, but SSL was required"): that card is green, refused. The next attacker offers TLS with its own self-signed certificate for the same name.',
      lab: 'sslmode',
      state: { conninfo: `${target} sslmode=require`, attacker: '1' },
      notes:
        'A common misunderstanding: require does NOT check the certificate (unless a root file exists, in libpq).',
      checkpoint: {
        question: 'Does the client connect to the impersonator?',
        choices: [
          { id: 'yes', text: 'Yes, encrypted, to the attacker' },
          { id: 'no', text: 'No: the self-signed certificate is rejected' },
        ],
        answer: 'yes',
        explanation:
          'With require (and no root certificate file) the certificate is not checked: the connection is encrypted, but to the attacker. It protects against passive eavesdropping only.',
      },
    },
    {
      id: 'verify-ca',
      title: 'sslmode=verify-ca: the chain, not the name',
      body: 'With verify-ca and ~/.postgresql/root.crt holding the right CA (Root A), two attackers are refused (green): stripping, and the self-signed certificate ("SSL error: certificate verify failed").\n\nThe third is not: it presents a valid certificate Root A issued for shop.example.test, and verify-ca does not compare the name with the host, so the client connects, encrypted, to the attacker. That matters whenever the CA is shared (a cloud provider\'s public CA, a company CA).',
      lab: 'sslmode',
      state: { conninfo: `${target} sslmode=verify-ca`, root: 'root-a', attacker: '1' },
      notes:
        'chain-only protection: fine for a private CA that issues one certificate, weak for a shared CA.',
    },
    {
      id: 'verify-full',
      title: 'sslmode=verify-full: the only full protection',
      body: "verify-full checks the chain AND that the certificate names the host you asked for. The server proved it holds a certificate for this host name from a trusted CA: all three attackers are refused, and the third card now fails with the host-name error.\n\nRule of thumb: use verify-full with sslrootcert pointing at your provider's CA.",
      lab: 'sslmode',
      state: { conninfo: `${target} sslmode=verify-full`, root: 'root-a', attacker: '1' },
      notes: 'Open the matrix view to show every sslmode for every driver at once.',
      checkpoint: {
        question:
          'Which sslmodes stop an attacker who presents a certificate from the same CA for another name?',
        choices: [
          { id: 'require-up', text: 'require, verify-ca and verify-full' },
          { id: 'verify', text: 'verify-ca and verify-full' },
          { id: 'full', text: 'verify-full only' },
        ],
        answer: 'full',
        explanation:
          'verify-ca accepts any certificate from the trusted CA whatever its name. So does require here: with a root.crt present, libpq runs require as verify-ca (without a root file, require accepts any certificate at all). Only verify-full checks the host name.',
      },
    },
  ],
};
