import type { Lesson } from './types';

export const chainsLesson: Lesson = {
  id: 'certificates-and-chains',
  title: 'Certificates and chains',
  summary:
    'How a client links a server certificate to a trusted root, and the errors you get when a link is missing, expired or for another name.',
  steps: [
    {
      id: 'what-a-chain-is',
      title: 'A chain links a leaf to a trusted root',
      body: "A server sends its own certificate (the leaf) and usually one or more intermediates. The client builds a path: each certificate's issuer is the subject of the next, each signature verifies with the next one's key, and the last one is a root the client already trusts.\n\nHere the intermediates are sent in the wrong order. RFC 5246 asks for each certificate to certify the one before it, but real clients build the path from the pool and do not mind: the path is valid.",
      lab: 'chain',
      state: { sample: 'wrong-order' },
      notes:
        'Point at the graph: nodes are certificates, edges are "signed by". The order on the wire does not matter.',
    },
    {
      id: 'missing-intermediate',
      title: 'Predict: the server forgets its intermediate',
      body: 'The server sends only its own certificate. The client trusts only the root, which did not sign the leaf directly.',
      lab: 'chain',
      state: { sample: 'missing-intermediate' },
      notes:
        'The single most common chain error in practice. Browsers may hide it (AIA fetching); libpq, Go and rustls do not.',
      checkpoint: {
        question: 'What does OpenSSL 3 (libpq, psql) say?',
        choices: [
          { id: 'ok', text: 'Valid: the root is trusted' },
          { id: 'issuer', text: 'unable to get local issuer certificate' },
          { id: 'self-signed', text: 'self-signed certificate' },
        ],
        answer: 'issuer',
        explanation:
          'No path exists from the leaf to a trusted root: the link (the intermediate) is missing, so OpenSSL reports "unable to get local issuer certificate". The fix is on the server: send the intermediate with the leaf.',
      },
    },
    {
      id: 'expired',
      title: 'Validity is checked at a date',
      body: 'This server certificate expired on 2025-01-01. At the lab\'s date (2026-06-01) every path fails with "certificate has expired". Change the date in the lab to 2024-06-01 and the same chain becomes valid: validity is a property of a certificate AND a clock.',
      lab: 'chain',
      state: { sample: 'expired-leaf' },
      notes:
        'Move the date live. Clock skew on a client can produce this error for a certificate that is fine.',
    },
    {
      id: 'host-mismatch',
      title: 'Predict: a good chain for another name',
      body: 'Every signature, date and constraint on the chain checks out up to a trusted root, but the certificate is for other.example.com while the client asked for db.example.com.',
      lab: 'chain',
      state: { sample: 'host-mismatch' },
      notes:
        'A trusted chain proves who the CA vouched for, not that it is the server you wanted. The name check is separate.',
      checkpoint: {
        question: 'Is the certificate accepted for db.example.com?',
        choices: [
          { id: 'yes', text: 'Yes: the chain is trusted, that is enough' },
          { id: 'no', text: 'No: the name does not match' },
        ],
        answer: 'no',
        explanation:
          'Signatures, dates and constraints all check out; only the name check fails. libpq makes it itself, after OpenSSL has verified the chain, and says: server certificate for "other.example.com" does not match host name "db.example.com" (the lab counts it against the path, so the path shows as invalid for that one reason). Only sslmode=verify-full makes libpq check the name.',
      },
    },
    {
      id: 'constraints',
      title: 'CAs have limits too',
      body: 'The issuing CA here has pathLenConstraint 0: it may not have CAs below it. It signed a sub CA anyway, and that sub CA issued the leaf. Every signature verifies, yet the path is invalid: "path length constraint exceeded". Path validation (RFC 5280) checks what each CA was allowed to do, not only who signed what.',
      lab: 'chain',
      state: { sample: 'pathlen-violation' },
      notes: 'Basic constraints, key usage, name constraints: all checked along the path.',
    },
  ],
};
