/**
 * A profile's error as the client prints it, so the CLI and the Chain Lab show the same line. OpenSSL's
 * `openssl verify` (apps/verify.c callback): 3.x writes "error N at D depth lookup: TEXT"; 1.0.2 wrote
 * "error N at D depth lookup:TEXT" (no space). Go, rustls-webpki and the RFC 5280 profile: the message itself
 * (Go's err.Error(), webpki's Debug form).
 */
import type { CertView } from '../types.ts';
import { certRef, label } from '../paths/reasons.ts';
import type { ProfileError, ProfileName } from './types.ts';

export function clientErrorText(profile: ProfileName, error: ProfileError | undefined): string | undefined {
  if (!error) return undefined;
  if ((profile === 'openssl-3' || profile === 'openssl-1.0.2') && error.number !== undefined) {
    const sep = profile === 'openssl-3' ? ' ' : '';
    return `error ${error.number} at ${error.depth ?? 0} depth lookup:${sep}${error.message}`;
  }
  return error.message;
}

/**
 * The error of a verdict this engine cannot give: `client` checks the signature on `cert` with an algorithm this
 * engine lacks (`reason`), so whether it would accept the chain is unknown.
 */
export function notCheckedError(
  client: string,
  cert: CertView,
  reason: string,
  depth?: number,
): ProfileError {
  return {
    code: 'NOT_CHECKED',
    message: `${client} checks the signature on ${label(cert)}, and this engine cannot (${reason})`,
    ...(depth !== undefined ? { depth } : {}),
    certificate: certRef(cert),
    notChecked: true,
  };
}
