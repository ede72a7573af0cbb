/**
 * TLS 1.2 cryptography: one provider seam, the PRF, the key schedule, record protection, key logs.
 * Pure TypeScript over WebCrypto + noble; takes and returns Uint8Array; runs in Node 20 and browsers.
 * Everything async is async because WebCrypto is.
 *
 * Provider (provider.ts): all cryptography goes through a CryptoProvider.
 *   createCryptoProvider({ random?, subtle?, fastPath? }) -> CryptoProvider      random: (n) => Uint8Array
 *   engineProvider(): the shared fastPath provider the handshake engine uses (noble digests, HMAC and AES-GCM)
 *   countingRandom(start = 0) -> RandomSource (00 01 02 …, Illustrated-TLS style), systemRandom(n)
 *   provider.random(n) | digest(hash, data) | hmac(hash, key, data)
 *   provider.aesGcmSeal/aesGcmOpen(key, nonce12, aad, data)          seal -> ciphertext||tag
 *   provider.chacha20Poly1305Seal/Open(key32, nonce12, aad, data)    open throws CryptoError 'bad-record-mac'
 *   provider.aesCbcEncrypt/aesCbcDecrypt(key, iv16, blocks)          raw CBC, no padding either way
 *   provider.generateEcdhKeyPair(group) | importEcdhPrivateKey(group, scalar) -> EcdhKeyPair {group, publicKey}
 *   provider.ecdh(keyPair, peerPublicKey) -> shared secret (= ECDHE pre_master_secret)
 *     groups: 'x25519' | 'secp256r1' | 'secp384r1' (NAMED_GROUP_CODE, namedGroupByCode(29) -> 'x25519');
 *     NIST points uncompressed 04||X||Y
 *   provider.importPrivateKey(pkcs8) -> PrivateKeyHandle | importPublicKey(spki) -> PublicKeyHandle ({description})
 *   provider.sign(scheme, privateKey, data) -> signature (ECDSA in DER, as on the wire)
 *   provider.verify(scheme, publicKey, data, signature) -> boolean
 *     schemes (signature-schemes.ts): rsa_pkcs1_sha256/384/512, rsa_pss_rsae_sha256/384/512,
 *     ecdsa_secp256r1_sha256, ecdsa_secp384r1_sha384; signatureScheme(nameOrCode) -> {code, hash, …};
 *     KNOWN_SIGNATURE_SCHEMES is the one table (also the SHA-1 and P-521 schemes signed in JS), DEFAULT_SIGNATURE_SCHEMES
 *   Engine keys (keys.ts): PublicKey / PrivateKey, parsed once: publicKeyFromSpki(spki), privateKeyFromPkcs8(der).
 *   Engine signatures (signatures.ts): signWithScheme / verifyWithScheme / keyMatchesScheme (provider, or JS when
 *   seeded). ECDHE (ecdhe.ts): generateEphemeral, sharedSecret, SUPPORTED_GROUPS.
 *   provider.rsaPkcs1Encrypt(publicKey, pms) / rsaPkcs1Decrypt(privateKey, c)  RSAES-PKCS1-v1_5
 *   provider.rsaDecryptPreMasterSecret(privateKey, encrypted, clientVersion) -> 48 bytes, never throws
 *     on bad padding (RFC 5246 §7.4.7.1)
 *   provider.generateKeyPair('rsa-2048' | 'p256' | 'p384') -> {description, pkcs8, spki}
 *   Keys (keys.ts, the CryptoError view of src/lib/bytes/keys.ts): wrapRsaPrivateKeyInPkcs8(pkcs1), parseSpki,
 *   parsePkcs8. PEM: src/lib/bytes/pem.ts pemToDer(text, label) -> every block's DER.
 *
 * Hashes (hash.ts): HashName, hashLength(hash) (the one place output lengths come from), WEBCRYPTO_HASH.
 * PRF (prf.ts): pHash(provider, hash, secret, seed, len), prf(provider, hash, secret, label, seed, len);
 *   labels MASTER_SECRET_LABEL, EXTENDED_MASTER_SECRET_LABEL, KEY_EXPANSION_LABEL,
 *   CLIENT_FINISHED_LABEL, SERVER_FINISHED_LABEL.
 * Suites (suites.ts): cipherSuite(code) -> CipherSuiteInfo {kex: ecdhe|rsa, certificateKey: rsa|ec, cipher, cipherType,
 *   keyLength, fixedIvLength, recordIvLength, macKeyLength, macHash, tagLength, prfHash, verifyDataLength};
 *   CIPHER_SUITES lists ECDHE with AES-GCM and ChaCha20-Poly1305, ECDHE and RSA key transport with AES-CBC and
 *   HMAC-SHA1/256/384, and RSA key transport with AES-GCM (20 suites; all against OpenSSL both ways in
 *   tests/interop/handshake-openssl.test.ts);
 *   DEFAULT_SUITES is the engine's preference order.
 * Key schedule (key-schedule.ts), every value as a Derivation {name, value, inputs, formula, source}:
 *   computeMasterSecret(provider, {prfHash, preMasterSecret, clientRandom, serverRandom, sessionHash?})
 *   computeKeyBlock(provider, suite, masterSecret, clientRandom, serverRandom) -> {keys, derivations}
 *     keys: {client,server}Write{MacKey,Key,Iv} (empty when the suite has none)
 *   deriveSessionKeys(provider, {suite, preMasterSecret, clientRandom, serverRandom, sessionHash?})
 *     -> {masterSecret, keys, derivations}
 *   handshakeHash(provider, suite, transcriptBytes); computeVerifyData(provider, suite, masterSecret,
 *     'client' | 'server', handshakeHash) -> Derivation ('client_verify_data', 12 bytes)
 *
 * Record protection (record-protection.ts), RFC 5246 §6.2.3:
 *   directionKeys(keys, 'client' | 'server') -> DirectionKeys {key, iv, macKey}
 *   sealRecord(provider, suite, dirKeys, {contentType, version, plaintext, sequenceNumber, explicitIv?,
 *     paddingLength?}) -> {fragment, record (with 5-byte header), derivations}
 *   openRecord(provider, suite, dirKeys, {contentType, version, fragment, sequenceNumber})
 *     -> {plaintext, derivations}; any tag/padding/MAC failure -> CryptoError 'bad-record-mac' (one error)
 *   new RecordProtection(provider, suite, dirKeys): .seal(type, version, plaintext, opts?) / .open(type,
 *     version, fragment), each using and then incrementing .sequenceNumber (starts at 0).
 *   GCM nonce_explicit defaults to seq_num (OpenSSL 3.0 uses a random-start counter: both are valid);
 *   CBC IV defaults to provider.random(16).
 *   Derivations: nonce, additional_data, GenericAEADCipher | MAC, padding, IV, GenericBlockCipher.
 * HKDF (hkdf.ts, RFC 5869, over provider.hmac): hkdfExtract(provider, hash, salt, ikm), hkdfExpand(provider, hash, prk, info, len).
 * Key log (keylog.ts): formatKeyLogLine(clientRandom, masterSecret) -> 'CLIENT_RANDOM <hex> <hex>';
 *   formatTls13KeyLogLine(secret, clientRandom, value) with TLS13_KEY_LOG_LABELS (CLIENT_HANDSHAKE_TRAFFIC_SECRET, ...);
 *   parseKeyLog(text) -> {label, identifier, secret, line}[] (throws KeyLogParseError with the line);
 *   keyLogLine(entries, label, identifier): the LAST matching line, as Wireshark; conflictingLines(entries, used);
 *   findMasterSecret(entries, clientRandom).
 *
 * Errors (errors.ts): CryptoError {kind, alert, message}; kinds 'bad-record-mac' | 'record-overflow' |
 *   'invalid-input' | 'unsupported' | 'invalid-shared-secret' | 'sequence-overflow'.
 */
export * from './derivation.ts';
export * from './errors.ts';
export { hashLength, type HashName } from './hash.ts';
export * from './key-schedule.ts';
export * from './keys.ts';
export * from './prf.ts';
export * from './keylog.ts';
export { hkdfExpand, hkdfExtract } from './hkdf.ts';
export * from './provider.ts';
export * from './record-protection.ts';
export * from './signature-schemes.ts';
export * from './suites.ts';
export { ecdsaDerToRaw, ecdsaRawToDer } from './ecdsa-signature.ts';
export { concatBytes, fromHex, toHex } from './bytes-util.ts';
