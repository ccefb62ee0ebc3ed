package datahike.codec;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Encodes and decodes datom values: one tag byte, then the tag's payload. Hand-written because no
 * serialization library is approved for core and CBOR is kept out of it; the tag space below also
 * packs the commonest small values (small longs, short strings, dictionary keywords) into the tag
 * byte itself, which no general-purpose format does for us.
 *
 * <p>Tags (integers are varints, see {@link ByteWriter}; zz = zigzag varint):
 *
 * <pre>
 * tag        value        payload
 * 0x00       null         -                       (tuple elements; never a datom's own value)
 * 0x01       false        -
 * 0x02       true         -
 * 0x03       Long         zz value                (values outside -64..63)
 * 0x04       Double       8 bytes, IEEE 754 bits, big-endian
 * 0x05       Float        4 bytes, IEEE 754 bits, big-endian
 * 0x06       String       varint n, n bytes UTF-8 (n &gt;= 64)
 * 0x07       Keyword      varint n, n bytes UTF-8 of namespace/name (no colon; no dictionary)
 * 0x08       Symbol       varint n, n bytes UTF-8 of namespace/name
 * 0x09       UUID         16 bytes: most then least significant half, big-endian
 * 0x0A       Date         zz epoch milliseconds
 * 0x0B       BigInteger   varint n, n bytes two's complement big-endian (n &gt;= 1)
 * 0x0C       BigDecimal   zz scale (an int), then varint n, n bytes unscaled value as 0x0B
 * 0x0D       byte[]       varint n, n bytes
 * 0x0E       List         varint n, n values      (decoded unmodifiable, nulls allowed)
 * 0x0F       Set          varint n, n values      (decoded unmodifiable, iteration order kept)
 * 0x10       Map          varint n, n keys and values alternating
 * 0x11       Character    varint UTF-16 code unit (at most 0xFFFF)
 * 0x12       Integer      zz value
 * 0x13       Short        zz value
 * 0x14       Byte         zz value
 * 0x15       Keyword      as 0x07, and defines the next dictionary index   (dictionary only)
 * 0x16       Keyword      varint i - 32, dictionary index i &gt;= 32          (dictionary only)
 * 0x17-0x1F  -            reserved, corrupt
 * 0x20-0x3F  Keyword      dictionary index tag - 0x20 (0..31)             (dictionary only)
 * 0x40-0x7F  String       n = tag - 0x40 (0..63), then n bytes UTF-8
 * 0x80-0xFF  Long         zigzag value tag - 0x80, i.e. -64..63
 * </pre>
 *
 * <p>The dictionary tags appear only inside payloads that carry a per-payload keyword dictionary
 * (index nodes, log records); {@link #encode(Object)} never writes them and {@link #decode(byte[])}
 * rejects them as corrupt. Collections nest at most {@link #MAX_DEPTH} deep, which bounds the
 * decoder's recursion on hostile input. Numbers keep their class: a Long decodes as a Long, an
 * Integer as an Integer.
 *
 * <p>Internal: not part of the public API.
 */
public final class ValueCodec {
  /** Format version of a standalone {@link #encode(Object)} payload. */
  public static final int VERSION = 1;

  /** How deeply collections may nest inside a value. */
  public static final int MAX_DEPTH = 64;

  static final int T_NULL = 0x00;
  static final int T_FALSE = 0x01;
  static final int T_TRUE = 0x02;
  static final int T_LONG = 0x03;
  static final int T_DOUBLE = 0x04;
  static final int T_FLOAT = 0x05;
  static final int T_STRING = 0x06;
  static final int T_KEYWORD = 0x07;
  static final int T_SYMBOL = 0x08;
  static final int T_UUID = 0x09;
  static final int T_DATE = 0x0A;
  static final int T_BIGINT = 0x0B;
  static final int T_BIGDEC = 0x0C;
  static final int T_BYTES = 0x0D;
  static final int T_LIST = 0x0E;
  static final int T_SET = 0x0F;
  static final int T_MAP = 0x10;
  static final int T_CHAR = 0x11;
  static final int T_INT = 0x12;
  static final int T_SHORT = 0x13;
  static final int T_BYTE = 0x14;
  static final int T_KW_DEF = 0x15;
  static final int T_KW_REF = 0x16;
  static final int T_KW_SMALL = 0x20;
  static final int KW_SMALL_COUNT = 32;
  static final int T_STR_SHORT = 0x40;
  static final int STR_SHORT_COUNT = 64;
  static final int T_LONG_SMALL = 0x80;

  private ValueCodec() {}

  /** {@code v} as a standalone payload: the version byte, then the tagged value. */
  public static byte[] encode(Object v) {
    ByteWriter w = new ByteWriter(32);
    w.u8(VERSION);
    write(w, v, null, 0);
    return w.toByteArray();
  }

  /** The value of a payload made by {@link #encode(Object)}. */
  public static Object decode(byte[] payload) {
    ByteReader r = new ByteReader(payload);
    try {
      r.version(VERSION, "value");
      Object v = read(r, null, 0);
      r.expectEnd();
      return v;
    } catch (DatahikeException e) {
      throw e;
    } catch (RuntimeException e) {
      throw corrupt(r, e);
    }
  }

  /** Appends the tagged value {@code v} to {@code w}, without version byte or dictionary. */
  public static void write(ByteWriter w, Object v) {
    write(w, v, null, 0);
  }

  /** Reads one tagged value written by {@link #write(ByteWriter, Object)}. */
  public static Object read(ByteReader r) {
    return read(r, null, 0);
  }

  /** The fallback for a runtime exception the checks missed: still only ever corrupt. */
  static DatahikeException corrupt(ByteReader r, RuntimeException cause) {
    return DatahikeException.of(
        "codec/corrupt",
        "corrupt payload at offset " + r.position() + ": " + cause,
        "offset",
        r.position(),
        cause);
  }

  /** Appends {@code v}; keywords go through {@code dict} when it is non-null. */
  static void write(ByteWriter w, Object v, KeywordDict dict, int depth) {
    if (v instanceof String s) {
      w.string(s, T_STR_SHORT, STR_SHORT_COUNT, T_STRING);
    } else if (v instanceof Long l) {
      long x = l;
      if (x >= -64 && x < 64) {
        w.u8(T_LONG_SMALL | (int) ((x << 1) ^ (x >> 63)));
      } else {
        w.u8(T_LONG);
        w.zigzag(x);
      }
    } else if (v instanceof Keyword k) {
      writeKeyword(w, k, dict);
    } else if (v instanceof Boolean b) {
      w.u8(b ? T_TRUE : T_FALSE);
    } else if (v instanceof Double d) {
      w.u8(T_DOUBLE);
      w.int64(Double.doubleToRawLongBits(d));
    } else if (v == null) {
      w.u8(T_NULL);
    } else if (v instanceof Date d) {
      w.u8(T_DATE);
      w.zigzag(d.getTime());
    } else if (v instanceof UUID u) {
      w.u8(T_UUID);
      w.int64(u.getMostSignificantBits());
      w.int64(u.getLeastSignificantBits());
    } else if (v instanceof Float f) {
      w.u8(T_FLOAT);
      w.int32(Float.floatToRawIntBits(f));
    } else if (v instanceof Symbol s) {
      w.u8(T_SYMBOL);
      w.string(s.fullName(), -1, 0, -1);
    } else if (v instanceof BigInteger b) {
      w.u8(T_BIGINT);
      w.lengthPrefixed(b.toByteArray());
    } else if (v instanceof BigDecimal b) {
      w.u8(T_BIGDEC);
      w.zigzag(b.scale());
      w.lengthPrefixed(b.unscaledValue().toByteArray());
    } else if (v instanceof byte[] b) {
      w.u8(T_BYTES);
      w.lengthPrefixed(b);
    } else if (v instanceof Integer i) {
      w.u8(T_INT);
      w.zigzag(i);
    } else if (v instanceof Character c) {
      w.u8(T_CHAR);
      w.varint(c);
    } else if (v instanceof Short s) {
      w.u8(T_SHORT);
      w.zigzag(s);
    } else if (v instanceof Byte b) {
      w.u8(T_BYTE);
      w.zigzag(b);
    } else if (v instanceof List<?> l) {
      checkDepth(depth, v);
      w.u8(T_LIST);
      w.varint(l.size());
      for (Object o : l) {
        write(w, o, dict, depth + 1);
      }
    } else if (v instanceof Set<?> s) {
      checkDepth(depth, v);
      w.u8(T_SET);
      w.varint(s.size());
      for (Object o : s) {
        write(w, o, dict, depth + 1);
      }
    } else if (v instanceof Map<?, ?> m) {
      checkDepth(depth, v);
      w.u8(T_MAP);
      w.varint(m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        write(w, e.getKey(), dict, depth + 1);
        write(w, e.getValue(), dict, depth + 1);
      }
    } else {
      throw DatahikeException.of(
          "codec/unsupported",
          "cannot store a value of class " + v.getClass().getName(),
          "value",
          v,
          "class",
          v.getClass().getName());
    }
  }

  private static void checkDepth(int depth, Object v) {
    if (depth >= MAX_DEPTH) {
      throw DatahikeException.of(
          "codec/unsupported",
          "cannot store a value nesting collections more than " + MAX_DEPTH + " deep",
          "class",
          v.getClass().getName());
    }
  }

  private static void writeKeyword(ByteWriter w, Keyword k, KeywordDict dict) {
    if (dict == null) {
      w.u8(T_KEYWORD);
      w.string(k.fullName(), -1, 0, -1);
      return;
    }
    int i = dict.indexOrAdd(k.id());
    if (i < 0) {
      w.u8(T_KW_DEF);
      w.string(k.fullName(), -1, 0, -1);
    } else if (i < KW_SMALL_COUNT) {
      w.u8(T_KW_SMALL + i);
    } else {
      w.u8(T_KW_REF);
      w.varint(i - KW_SMALL_COUNT);
    }
  }

  /** Reads one value; dictionary tags are corrupt when {@code dict} is null. */
  static Object read(ByteReader r, KeywordDict dict, int depth) {
    int tag = r.u8();
    if (tag >= T_LONG_SMALL) {
      int z = tag - T_LONG_SMALL;
      return (long) ((z >>> 1) ^ -(z & 1));
    }
    if (tag >= T_STR_SHORT) {
      return r.utf8(tag - T_STR_SHORT);
    }
    if (tag >= T_KW_SMALL) {
      if (dict == null) {
        throw r.corrupt("dictionary keyword outside a dictionary");
      }
      return dict.get(tag - T_KW_SMALL, r);
    }
    switch (tag) {
      case T_NULL:
        return null;
      case T_FALSE:
        return Boolean.FALSE;
      case T_TRUE:
        return Boolean.TRUE;
      case T_LONG:
        return r.zigzag();
      case T_DOUBLE:
        return Double.longBitsToDouble(r.int64());
      case T_FLOAT:
        return Float.intBitsToFloat(r.int32());
      case T_STRING:
        return r.utf8();
      case T_KEYWORD:
        return KeywordDict.keyword(r.utf8());
      case T_SYMBOL:
        return Symbol.of(r.utf8());
      case T_UUID:
        return new UUID(r.int64(), r.int64());
      case T_DATE:
        return new Date(r.zigzag());
      case T_BIGINT:
        return bigInteger(r);
      case T_BIGDEC:
        {
          long scale = r.zigzag();
          if (scale != (int) scale) {
            throw r.corrupt("BigDecimal scale out of range");
          }
          return new BigDecimal(bigInteger(r), (int) scale);
        }
      case T_BYTES:
        return r.lengthPrefixed();
      case T_LIST:
        return Collections.unmodifiableList(Arrays.asList(readElements(r, dict, depth, 1)));
      case T_SET:
        return Collections.unmodifiableSet(
            new LinkedHashSet<>(Arrays.asList(readElements(r, dict, depth, 1))));
      case T_MAP:
        {
          Object[] kv = readElements(r, dict, depth, 2);
          Map<Object, Object> m = new LinkedHashMap<>();
          for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
          }
          return Collections.unmodifiableMap(m);
        }
      case T_CHAR:
        return (char) r.varintAtMost(0xFFFF, "character");
      case T_INT:
        {
          long x = r.zigzag();
          if (x != (int) x) {
            throw r.corrupt("Integer out of range");
          }
          return (int) x;
        }
      case T_SHORT:
        {
          long x = r.zigzag();
          if (x != (short) x) {
            throw r.corrupt("Short out of range");
          }
          return (short) x;
        }
      case T_BYTE:
        {
          long x = r.zigzag();
          if (x != (byte) x) {
            throw r.corrupt("Byte out of range");
          }
          return (byte) x;
        }
      case T_KW_DEF:
        if (dict == null) {
          throw r.corrupt("dictionary keyword outside a dictionary");
        }
        return dict.define(r.utf8());
      case T_KW_REF:
        if (dict == null) {
          throw r.corrupt("dictionary keyword outside a dictionary");
        }
        return dict.get(
            KW_SMALL_COUNT + r.varintAtMost(Integer.MAX_VALUE - KW_SMALL_COUNT, "keyword index"),
            r);
      default:
        throw r.corrupt("unknown value tag 0x" + Integer.toHexString(tag));
    }
  }

  private static BigInteger bigInteger(ByteReader r) {
    int n = r.count(1, "BigInteger length");
    if (n == 0) {
      throw r.corrupt("empty BigInteger");
    }
    return new BigInteger(r.bytes(n));
  }

  private static Object[] readElements(ByteReader r, KeywordDict dict, int depth, int perItem) {
    if (depth >= MAX_DEPTH) {
      throw r.corrupt("collections nested more than " + MAX_DEPTH + " deep");
    }
    int n = r.count(perItem, "collection size");
    Object[] out = new Object[n * perItem];
    for (int i = 0; i < out.length; i++) {
      out[i] = read(r, dict, depth + 1);
    }
    return out;
  }
}
