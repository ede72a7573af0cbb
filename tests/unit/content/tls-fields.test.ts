import { describe, expect, it } from 'vitest';
import { FIELD_IDS } from '../../../src/lib/tls12/wire/field-ids';
import { explainField, fieldExplanations } from '../../../src/content/tls12/fields';

describe('TLS field explanations', () => {
  it('explain every field id the wire layer can emit', () => {
    const missing = FIELD_IDS.filter((id) => !explainField(id));
    expect(missing).toEqual([]);
  });

  it('resolve raw ids with list indices to their pattern', () => {
    expect(explainField('client_hello.cipher_suites[3]')).toBe(fieldExplanations['client_hello.cipher_suites[]']);
  });

  it('explain length prefixes and vector contents through their parent', () => {
    expect(explainField('server_hello.session_id.length')).toMatch(/Length prefix of the session id/);
    expect(explainField('server_hello.session_id.value')).toBe(fieldExplanations['server_hello.session_id']);
    expect(explainField('extension.alpn.type')).toMatch(/alpn/);
  });

  it('say nothing rather than something wrong for an id they do not know', () => {
    expect(explainField('no_such_message.field')).toBeUndefined();
  });
});
