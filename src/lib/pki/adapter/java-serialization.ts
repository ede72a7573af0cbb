/**
 * Java serialization, as far as Java keystores need it: `readJavaUtf` (DataInput.readUTF), and `skipSerializedObject`,
 * which reads past one serialized object without building it (the Object Serialization Stream Protocol grammar, Java
 * SE specification §6.4): what a JCEKS keystore stores for a secret key entry (a javax.crypto.SealedObject), so that
 * the entries after it can be read. Only what such a stream holds is understood: the stream header, objects of
 * serializable classes (class descriptors with their fields, annotations and superclasses), arrays, strings, null,
 * back-references and block data. Anything else (externalizable classes without block data, proxies, enums,
 * exceptions in the stream) throws, and the caller stops reading there.
 */

import type { Reader } from '../../bytes/reader.ts';

const STREAM_MAGIC = 0xaced;
const STREAM_VERSION = 5;
const BASE_HANDLE = 0x7e0000;
const SC_WRITE_METHOD = 0x01;
const SC_SERIALIZABLE = 0x02;
const SC_EXTERNALIZABLE = 0x04;
const TC = {
  NULL: 0x70,
  REFERENCE: 0x71,
  CLASSDESC: 0x72,
  OBJECT: 0x73,
  STRING: 0x74,
  ARRAY: 0x75,
  BLOCKDATA: 0x77,
  ENDBLOCKDATA: 0x78,
  BLOCKDATALONG: 0x7a,
  LONGSTRING: 0x7c,
} as const;
/** Bytes of each primitive field type code. */
const PRIMITIVE_SIZE: Record<string, number> = { B: 1, C: 2, D: 8, F: 4, I: 4, J: 8, S: 2, Z: 1 };

interface ClassDesc {
  readonly name: string;
  flags: number;
  readonly fields: { type: string }[];
  /** Read after the descriptor's handle is taken: a superclass may refer back to it. */
  super: ClassDesc | null;
}

/** Java's DataInput.readUTF: a u16 length and modified UTF-8 (decoded here as UTF-8, enough for display). */
export function readJavaUtf(r: Reader, field: string): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(r.vec(16, field));
}

/**
 * Reads past one serialized object stream (its header and one object) from `r`'s position. @throws Error, or the
 * Reader's DecodeError when the stream runs past the end of the bytes.
 */
export function skipSerializedObject(r: Reader): void {
  const at = r.offset;
  if (r.u16('serialized.magic') !== STREAM_MAGIC || r.u16('serialized.version') !== STREAM_VERSION)
    throw new Error(`no Java serialization stream header (AC ED 00 05) at byte ${at}`);
  const handles: (ClassDesc | string | null)[] = [];
  let depth = 0;

  const classDesc = (): ClassDesc | null => {
    const tc = r.u8('serialized.type_code');
    if (tc === TC.NULL) return null;
    if (tc === TC.REFERENCE) {
      const h = handles[r.u32('serialized.handle') - BASE_HANDLE];
      if (h === undefined || typeof h === 'string')
        throw new Error('a back-reference to no class descriptor');
      return h;
    }
    if (tc !== TC.CLASSDESC)
      throw new Error(`type code 0x${tc.toString(16)} where a class descriptor belongs`);
    const desc: ClassDesc = {
      name: readJavaUtf(r, 'serialized.class_name'),
      flags: 0,
      fields: [],
      super: null,
    };
    r.sub(8, 'serialized.serial_version_uid');
    handles.push(desc);
    desc.flags = r.u8('serialized.flags');
    for (let i = r.u16('serialized.field_count'); i > 0; i--) {
      const type = String.fromCharCode(r.u8('serialized.field_type'));
      readJavaUtf(r, 'serialized.field_name');
      if (type === '[' || type === 'L')
        content(); // the field's class name, a string
      else if (!(type in PRIMITIVE_SIZE)) throw new Error(`field type code '${type}'`);
      desc.fields.push({ type });
    }
    annotation();
    desc.super = classDesc();
    return desc;
  };

  const annotation = (): void => {
    while (r.remaining > 0 && r.peek(1)[0] !== TC.ENDBLOCKDATA) content();
    r.u8('serialized.end_block_data'); // (or past the end: throws)
  };

  const value = (type: string): void => {
    if (type === '[' || type === 'L') content();
    else r.sub(PRIMITIVE_SIZE[type]!, 'serialized.value');
  };

  const content = (): void => {
    if (++depth > 64) throw new Error('serialized objects nested more than 64 deep');
    const tc = r.u8('serialized.type_code');
    switch (tc) {
      case TC.NULL:
        break;
      case TC.REFERENCE:
        r.u32('serialized.handle');
        break;
      case TC.STRING:
        handles.push(readJavaUtf(r, 'serialized.string'));
        break;
      case TC.LONGSTRING: {
        if (r.u32('serialized.length') !== 0) throw new Error('a long string over 4 GB');
        handles.push(null);
        r.sub(r.u32('serialized.length'), 'serialized.string');
        break;
      }
      case TC.BLOCKDATA:
        r.sub(r.u8('serialized.length'), 'serialized.block_data');
        break;
      case TC.BLOCKDATALONG:
        r.sub(r.u32('serialized.length'), 'serialized.block_data');
        break;
      case TC.ARRAY: {
        const desc = classDesc();
        handles.push(null);
        const n = r.u32('serialized.array_length');
        const element = desc?.name[1] ?? 'L';
        if (element in PRIMITIVE_SIZE) r.sub(n * PRIMITIVE_SIZE[element]!, 'serialized.array');
        else for (let i = 0; i < n; i++) content();
        break;
      }
      case TC.OBJECT: {
        const desc = classDesc();
        handles.push(null);
        const chain: ClassDesc[] = [];
        for (let d = desc; d; d = d.super) chain.unshift(d);
        for (const d of chain) {
          if (d.flags & SC_EXTERNALIZABLE) throw new Error(`${d.name} is externalizable`);
          if (!(d.flags & SC_SERIALIZABLE)) continue;
          for (const f of d.fields) value(f.type);
          if (d.flags & SC_WRITE_METHOD) annotation();
        }
        break;
      }
      default:
        throw new Error(`type code 0x${tc.toString(16)} at byte ${r.offset - 1}`);
    }
    depth--;
  };

  content();
}
