import type { Lesson } from './types';

export const crossSigningLesson: Lesson = {
  id: 'cross-signing',
  title: 'Cross-signing and alternate paths',
  summary:
    "One intermediate, two issuers: Azure's root migration and Let's Encrypt's 2021 DST Root CA X3 expiry, and why old OpenSSL broke.",
  steps: [
    {
      id: 'azure-two-roots',
      title: 'Azure: one intermediate, two roots',
      body: "www.microsoft.com's certificate is issued by Microsoft Azure RSA TLS Issuing CA 07. That CA exists twice with the SAME key: once signed by DigiCert Global Root G2, once by Microsoft RSA Root Certificate Authority 2017. A signature made with that key verifies with either certificate, so the leaf has two issuers.\n\nWith both roots trusted there are exactly two valid paths. This is how Azure Database for PostgreSQL moves clients from one root to another: during the migration either root works.",
      lab: 'chain',
      state: { sample: 'azure-cross-sign' },
      notes: 'Show both paths in the graph. Cross-signing = same subject and key, different issuer.',
    },
    {
      id: 'azure-one-root',
      title: 'Predict: a client that trusts only one of the roots',
      body: 'A client whose root file holds only ONE of the two roots (say DigiCert Global Root G2) checks the same chain.',
      lab: 'chain',
      state: { sample: 'azure-one-root' },
      notes:
        "The lab's sample now trusts only DigiCert Global Root G2: one valid path, through the DigiCert-signed CA 07; the path through the Microsoft-signed one stops at that CA 07: its issuer, Microsoft RSA Root Certificate Authority 2017, is neither sent nor trusted.",
      checkpoint: {
        question: 'How many valid paths remain?',
        choices: [
          { id: 'zero', text: 'None: the chain now fails' },
          { id: 'one', text: 'One: the path through the trusted root' },
          { id: 'two', text: 'Still two' },
        ],
        answer: 'one',
        explanation:
          'Without one root, the path through it stops at an untrusted certificate; the other path still ends at a trusted root. Cross-signing is what lets both old and new root files work during a migration.',
      },
    },
    {
      id: 'le-before',
      title: "Let's Encrypt, 29 September 2021",
      body: 'Servers sent R3, then ISRG Root X1 cross-signed by DST Root CA X3. On 2021-09-29 DST Root CA X3 is still valid: every client is happy, including OpenSSL 1.0.2, which follows the chain as sent up to DST Root CA X3.\n\n(The end certificate here is R3 itself: no site certificate is needed to show the effect.)',
      lab: 'chain',
      state: { sample: 'letsencrypt-2021', at: '2021-09-29', profile: 'openssl-1.0.2' },
      notes: 'Two paths: R3 → ISRG X1 (self-signed) and R3 → ISRG X1 (cross-signed) → DST Root CA X3.',
    },
    {
      id: 'le-after',
      title: 'Predict: 1 October 2021 with OpenSSL 1.0.2',
      body: 'DST Root CA X3 expired on 2021-09-30. Same chain, same trust store, the date is now 2021-10-01 and the client is OpenSSL 1.0.2.',
      lab: 'chain',
      state: { sample: 'letsencrypt-2021', at: '2021-10-01', profile: 'openssl-1.0.2' },
      notes: 'This broke many old clients on 30 September 2021, though a valid path existed.',
      checkpoint: {
        question: 'What does OpenSSL 1.0.2 report?',
        choices: [
          { id: 'valid', text: 'Valid: ISRG Root X1 is trusted' },
          { id: 'expired', text: 'certificate has expired' },
          { id: 'issuer', text: 'unable to get local issuer certificate' },
        ],
        answer: 'expired',
        explanation:
          'OpenSSL 1.0.2 follows the chain as sent to DST Root CA X3, which is now expired, and fails with "certificate has expired" (at depth 2). A valid path through the self-signed ISRG Root X1 exists, but 1.0.2 does not look for it.',
      },
    },
    {
      id: 'le-openssl3',
      title: 'The same day with OpenSSL 3',
      body: 'OpenSSL 1.1 and later look in the trust store first and stop at the self-signed ISRG Root X1, so the same chain is valid on 2021-10-01. The lesson: "valid" depends on the client\'s path-building, not only on the certificates. Compare the profiles side by side in the lab.',
      lab: 'chain',
      state: { sample: 'letsencrypt-2021', at: '2021-10-01', profile: 'openssl-3' },
      notes: 'Go and rustls also pick the valid path. Old Android was saved by ignoring expiry of roots.',
    },
  ],
};
