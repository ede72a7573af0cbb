/**
 * Skips one Java-serialized object (the Java Object Serialization Stream Protocol, "Object Serialization Stream
 * Protocol" grammar of the Java SE specification §6.4) without building it: what a JCEKS keystore stores for a secret
 * key entry (a javax.crypto.SealedObject), so that the entries after it can be read. Only what such a stream holds is
 * understood: the stream header, objects of serializable classes (class descriptors with their fields, annotations
 * and superclasses), arrays, strings, null, back-references and block data. Anything else (externalizable classes
 * without block data, proxies, enums, exceptions in the stream) throws, and the caller stops as it did before.
 */

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

/** A stream position over `bytes` that throws on reading past the end. */
class Cursor {
  at: number;
  constructor(
    readonly bytes: Uint8Array,
    at: number,
  ) {
    this.at = at;
  }
  take(n: number): Uint8Array {
    if (n < 0 || this.at + n > this.bytes.length)
      throw new Error(`a serialized object runs past the end of the file at byte ${this.at}`);
    const out = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  u8(): number {
    return this.take(1)[0]!;
  }
  u16(): number {
    const b = this.take(2);
    return (b[0]! << 8) | b[1]!;
  }
  u32(): number {
    const b = this.take(4);
    return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  }
  utf(): string {
    return new TextDecoder('utf-8', { fatal: false }).decode(this.take(this.u16()));
  }
}

/** Where one serialized object stream (its header and one object) that starts at `at` ends. @throws Error */
export function skipSerializedObject(bytes: Uint8Array, at: number): number {
  const c = new Cursor(bytes, at);
  if (c.u16() !== STREAM_MAGIC || c.u16() !== STREAM_VERSION)
    throw new Error(`no Java serialization stream header (AC ED 00 05) at byte ${at}`);
  const handles: (ClassDesc | string | null)[] = [];
  let depth = 0;

  const classDesc = (): ClassDesc | null => {
    const tc = c.u8();
    if (tc === TC.NULL) return null;
    if (tc === TC.REFERENCE) {
      const h = handles[c.u32() - BASE_HANDLE];
      if (h === undefined || typeof h === 'string')
        throw new Error('a back-reference to no class descriptor');
      return h;
    }
    if (tc !== TC.CLASSDESC)
      throw new Error(`type code 0x${tc.toString(16)} where a class descriptor belongs`);
    const desc: ClassDesc = { name: c.utf(), flags: 0, fields: [], super: null };
    c.take(8); // serialVersionUID
    handles.push(desc);
    desc.flags = c.u8();
    for (let i = c.u16(); i > 0; i--) {
      const type = String.fromCharCode(c.u8());
      c.utf(); // field name
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
    while (c.at < bytes.length && bytes[c.at] !== TC.ENDBLOCKDATA) content();
    c.u8(); // TC_ENDBLOCKDATA (or past the end: throws)
  };

  const value = (type: string): void => {
    if (type === '[' || type === 'L') content();
    else c.take(PRIMITIVE_SIZE[type]!);
  };

  const content = (): void => {
    if (++depth > 64) throw new Error('serialized objects nested more than 64 deep');
    const tc = c.u8();
    switch (tc) {
      case TC.NULL:
        break;
      case TC.REFERENCE:
        c.u32();
        break;
      case TC.STRING:
        handles.push(c.utf());
        break;
      case TC.LONGSTRING: {
        if (c.u32() !== 0) throw new Error('a long string over 4 GB');
        handles.push(null);
        c.take(c.u32());
        break;
      }
      case TC.BLOCKDATA:
        c.take(c.u8());
        break;
      case TC.BLOCKDATALONG:
        c.take(c.u32());
        break;
      case TC.ARRAY: {
        const desc = classDesc();
        handles.push(null);
        const n = c.u32();
        const element = desc?.name[1] ?? 'L';
        if (element in PRIMITIVE_SIZE) c.take(n * PRIMITIVE_SIZE[element]!);
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
        throw new Error(`type code 0x${tc.toString(16)} at byte ${c.at - 1}`);
    }
    depth--;
  };

  content();
  return c.at;
}
