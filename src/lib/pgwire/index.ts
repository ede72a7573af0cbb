/**
 * PostgreSQL framing around TLS: SSLRequest and the 'S'/'N' answer, StartupMessage as the first application
 * data, the server's first replies (Authentication*, ErrorResponse with S/V/C/M/D/H fields), and the
 * PostgreSQL 17 direct-TLS ALPN value.
 */
export * from './frontend.ts';
export * from './backend.ts';
