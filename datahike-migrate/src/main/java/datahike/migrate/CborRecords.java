package datahike.migrate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import datahike.DatahikeException;
import datahike.edn.EdnPrinter;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Datahike's CBOR export records, written and read with jackson-dataformat-cbor.
 *
 * <p>Datahike's {@code export-db} writes {@code (clj-cbor.core/spit-all path (map seq datoms))}:
 * an RFC 8742 CBOR sequence, one top-level item per datom and nothing else (no header, no
 * delimiter, no trailer). Each item is the datom as a sequence, {@code (e a v tx added)}, which
 * clj-cbor's default codec encodes as follows (the bytes this class writes):
 *
 * <pre>
 * datom record      definite array of 5            85 e a v tx added
 * e, tx, long       shortest integer head          00..17, 18 xx, 19 xxxx, 1a .., 1b .. (major 0)
 *                                                  20..37, 38 xx, ... 3b ..             (major 1)
 * a                 keyword (or, with :attribute-refs?, the attribute's entity id as an integer)
 * added, boolean    simple values                  f5 true, f4 false
 * nil               simple value                   f6
 * string            definite text string           60..7b + UTF-8
 * keyword           tag 39 "identifier" + text     d8 27 + ":ns/name"
 * symbol            tag 39 + text                  d8 27 + "ns/name"
 * instant (Date)    tag 1 epoch seconds            c1 + integer s, when millis % 1000 == 0,
 *                                                  c1 fb + float64 millis/1000.0 otherwise
 * uuid              tag 37 + 16-byte byte string   d8 25 50 + msb(8) lsb(8)
 * double            float64                        fb + 8 bytes
 * float             float32                        fa + 4 bytes
 *   zero, NaN, ±Inf (either type) as float16       f9 0000, f9 7e00, f9 7c00, f9 fc00
 * bigint            as an integer when -2^64 &lt;= n &lt; 2^64 (heads up to 1b/3b + 8 bytes),
 *                   else tag 2 (n &gt; 0) + BigInteger.toByteArray(n)   c2 ..,
 *                   or tag 3 + toByteArray(-1 - n)                     c3 ..
 * bigdec            tag 4 decimal fraction         c4 82 [-scale, unscaled as bigint]
 * bytes             definite byte string           40..5b + bytes
 * tuple (vector)    definite array                 80..9b + elements
 * </pre>
 *
 * <p>Two narrowings happen in Datahike's encoder and so in this file: a bigint that fits 64 bits
 * is a plain integer, and zero, NaN and infinities lose the float/double distinction (and the sign
 * of zero). Import restores the type from the schema ({@code :db.type/bigint}, {@code
 * :db.type/float}); schema-less attributes read them as Long and Double.
 *
 * <p>Why raw heads for arrays, big integers and float16: Jackson counts the elements of arrays it
 * opened and has no float16 or 65-bit integer writer, so those heads are written as bytes; every
 * other item goes through the generator (its integers are shortest-form, and text is written as a
 * definite string because Jackson would chunk long strings into an indefinite one).
 */
final class CborRecords {
  private CborRecords() {}

  static final int TAG_EPOCH_SECONDS = 1;
  static final int TAG_DECIMAL_FRACTION = 4;
  static final int TAG_UUID = 37;
  static final int TAG_IDENTIFIER = 39;

  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  /** Shared factory: thread-safe once configured. */
  static final CBORFactory FACTORY = factory();

  private static CBORFactory factory() {
    CBORFactory f =
        CBORFactory.builder()
            .disable(CBORGenerator.Feature.WRITE_MINIMAL_DOUBLES)
            .enable(CBORGenerator.Feature.WRITE_MINIMAL_INTS)
            // RFC 8949 bignums: tag 3 holds -1 - n (Jackson's old default held -n).
            .enable(CBORParser.Feature.DECODE_USING_STANDARD_NEGATIVE_BIGINT_ENCODING)
            .build();
    // A database may hold strings and numbers beyond Jackson's defaults for untrusted input.
    f.setStreamReadConstraints(
        StreamReadConstraints.builder()
            .maxStringLength(Integer.MAX_VALUE)
            .maxNumberLength(1_000_000)
            .build());
    return f;
  }

  // ------------------------------------------------------------------ writing

  /** Writes records to a stream, one top-level CBOR item each. */
  static final class Writer implements RecordSink {
    private final CBORGenerator g;

    Writer(OutputStream out) throws IOException {
      g = FACTORY.createGenerator(out);
    }

    @Override
    public void write(long e, Object a, Object v, long tx, boolean added) throws IOException {
      g.writeRaw((byte) 0x85);
      g.writeNumber(e);
      value(a);
      value(v);
      g.writeNumber(tx);
      g.writeBoolean(added);
    }

    /** Writes one value as clj-cbor does (see the class comment). */
    void value(Object v) throws IOException {
      if (v == null) {
        g.writeNull();
      } else if (v instanceof String s) {
        text(s);
      } else if (v instanceof Long || v instanceof Integer || v instanceof Short
          || v instanceof Byte) {
        g.writeNumber(((Number) v).longValue());
      } else if (v instanceof Boolean b) {
        g.writeBoolean(b);
      } else if (v instanceof Keyword k) {
        g.writeTag(TAG_IDENTIFIER);
        text(":" + k.fullName());
      } else if (v instanceof Symbol s) {
        g.writeTag(TAG_IDENTIFIER);
        text(s.fullName());
      } else if (v instanceof Double d) {
        if (!half(d)) g.writeNumber(d.doubleValue());
      } else if (v instanceof Float f) {
        if (!half(f)) g.writeNumber(f.floatValue());
      } else if (v instanceof Date d) {
        long ms = d.getTime();
        g.writeTag(TAG_EPOCH_SECONDS);
        if (Math.floorMod(ms, 1000L) == 0) g.writeNumber(ms / 1000);
        else g.writeNumber(ms / 1000.0);
      } else if (v instanceof UUID u) {
        g.writeTag(TAG_UUID);
        byte[] b = ByteBuffer.allocate(16)
            .putLong(u.getMostSignificantBits())
            .putLong(u.getLeastSignificantBits())
            .array();
        g.writeBinary(b);
      } else if (v instanceof BigInteger b) {
        integer(b);
      } else if (v instanceof BigDecimal b) {
        g.writeTag(TAG_DECIMAL_FRACTION);
        head(4, 2);
        g.writeNumber(-(long) b.scale());
        integer(b.unscaledValue());
      } else if (v instanceof byte[] b) {
        g.writeBinary(b);
      } else if (v instanceof List<?> l) {
        head(4, l.size());
        for (Object o : l) value(o);
      } else if (v instanceof Character c) {
        text(c.toString());
      } else {
        throw DatahikeException.of(
            "migrate/unsupported-value",
            "Cannot export the value " + EdnPrinter.print(v) + " of type "
                + v.getClass().getName() + " to CBOR",
            "value",
            v);
      }
    }

    /** clj-cbor writes zero, NaN and the infinities as float16, whatever the width. */
    private boolean half(double d) throws IOException {
      int bits;
      if (d == 0.0) bits = 0x0000;
      else if (Double.isNaN(d)) bits = 0x7e00;
      else if (d == Double.POSITIVE_INFINITY) bits = 0x7c00;
      else if (d == Double.NEGATIVE_INFINITY) bits = 0xfc00;
      else return false;
      g.writeRaw((byte) 0xf9);
      g.writeRaw((byte) (bits >>> 8));
      g.writeRaw((byte) bits);
      return true;
    }

    private void text(String s) throws IOException {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      g.writeRawUTF8String(b, 0, b.length);
    }

    /** clj-cbor's integer: plain when -2^64 &lt;= n &lt; 2^64, else a tagged bignum. */
    private void integer(BigInteger n) throws IOException {
      if (n.bitLength() < 64) {
        g.writeNumber(n.longValue());
      } else if (n.signum() > 0 && n.compareTo(TWO_64) < 0) {
        raw64(0x1b, n.longValue());
      } else if (n.signum() < 0 && n.compareTo(TWO_64.negate()) >= 0) {
        raw64(0x3b, BigInteger.ONE.negate().subtract(n).longValue());
      } else if (n.signum() > 0) {
        g.writeTag(2);
        g.writeBinary(n.toByteArray());
      } else {
        g.writeTag(3);
        g.writeBinary(n.add(BigInteger.ONE).negate().toByteArray());
      }
    }

    private void raw64(int initial, long bits) throws IOException {
      g.writeRaw((byte) initial);
      for (int shift = 56; shift >= 0; shift -= 8) g.writeRaw((byte) (bits >>> shift));
    }

    /** The shortest head of major type {@code major} with argument {@code n}. */
    private void head(int major, long n) throws IOException {
      int m = major << 5;
      if (n < 24) {
        g.writeRaw((byte) (m | n));
      } else if (n < 0x100) {
        g.writeRaw((byte) (m | 24));
        g.writeRaw((byte) n);
      } else if (n < 0x10000) {
        g.writeRaw((byte) (m | 25));
        g.writeRaw((byte) (n >>> 8));
        g.writeRaw((byte) n);
      } else if (n < 0x1_0000_0000L) {
        g.writeRaw((byte) (m | 26));
        for (int shift = 24; shift >= 0; shift -= 8) g.writeRaw((byte) (n >>> shift));
      } else {
        raw64(m | 27, n);
      }
    }

    void flush() throws IOException {
      g.flush();
    }

    @Override
    public void close() throws IOException {
      g.close();
    }
  }

  // ------------------------------------------------------------------ reading

  /** Counts the bytes read through it: the end of input, for truncated files. */
  private static final class CountingInput extends FilterInputStream {
    long count;

    CountingInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) count++;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) count += n;
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long k = super.skip(n);
      count += k;
      return k;
    }
  }

  /**
   * Reads records from a stream. Errors are {@code :migrate/corrupt}, naming {@code source}, the
   * byte offset and the record number.
   */
  static final class Reader implements RecordReader {
    private final CBORParser p;
    private final String source;
    private long index;
    private long start;

    private final CountingInput in;

    Reader(InputStream in, String source) throws IOException {
      this.in = new CountingInput(in);
      this.p = FACTORY.createParser(this.in);
      this.source = source;
    }

    @Override
    public Record next() {
      try {
        JsonToken t = p.nextToken();
        if (t == null) return null;
        start = p.currentTokenLocation().getByteOffset();
        index++;
        if (t != JsonToken.START_ARRAY || p.getCurrentTag() != -1) {
          throw corrupt("a record is an array [e a v tx added], found " + describe(t));
        }
        long e = integerField("e");
        t = p.nextToken();
        Object a = value(t);
        if (!(a instanceof Keyword || (a instanceof Long l && l > 0 && l <= Integer.MAX_VALUE))) {
          throw corrupt("the attribute is a keyword or a positive entity id, found "
              + EdnPrinter.print(a));
        }
        t = p.nextToken();
        Object v = value(t);
        long tx = integerField("tx");
        if (tx < 0 || tx > Integer.MAX_VALUE) {
          throw corrupt("transaction id " + tx + " is outside 0.." + Integer.MAX_VALUE);
        }
        t = p.nextToken();
        if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
          throw corrupt("added is true or false, found " + describe(t));
        }
        boolean added = t == JsonToken.VALUE_TRUE;
        t = p.nextToken();
        if (t != JsonToken.END_ARRAY) {
          throw corrupt("a record has 5 elements, found more");
        }
        return new Record(e, a, v, tx, added);
      } catch (JsonProcessingException e) {
        // At end of input the position is the input's length: Jackson's own location then counts
        // the last buffer twice.
        long at = e instanceof JsonEOFException ? in.count : p.currentLocation().getByteOffset();
        String msg = e.getOriginalMessage();
        throw DatahikeException.of(
            "migrate/corrupt",
            source + " is corrupt at byte " + at + " (record " + Math.max(index, 1) + "): " + msg,
            "file", source, "offset", at, "record", Math.max(index, 1), e);
      } catch (IOException e) {
        throw DatahikeException.of(
            "migrate/io", "Cannot read " + source + ": " + e.getMessage(), "file", source, e);
      }
    }

    @Override
    public String position() {
      return source + " byte " + start + " (record " + index + ")";
    }

    private long integerField(String name) throws IOException {
      JsonToken t = p.nextToken();
      if (t != JsonToken.VALUE_NUMBER_INT || p.getCurrentTag() != -1
          || p.getNumberType() == com.fasterxml.jackson.core.JsonParser.NumberType.BIG_INTEGER) {
        throw corrupt(name + " is an integer, found " + describe(t));
      }
      return p.getLongValue();
    }

    /** The value starting at token {@code t}. */
    private Object value(JsonToken t) throws IOException {
      if (t == null) throw corrupt("the file ends inside a record");
      int tag = p.getCurrentTag();
      switch (t) {
        case VALUE_NUMBER_INT:
          if (tag == TAG_EPOCH_SECONDS) return new Date(Math.multiplyExact(p.getLongValue(), 1000L));
          untagged(tag, t);
          Number n = p.getNumberValue();
          return n instanceof BigInteger b ? b : (Object) n.longValue();
        case VALUE_NUMBER_FLOAT:
          if (tag == TAG_EPOCH_SECONDS) return new Date(Math.round(p.getDoubleValue() * 1000.0));
          untagged(tag, t);
          switch (p.getNumberType()) {
            case BIG_DECIMAL:
              return p.getDecimalValue();
            case FLOAT:
              float f = p.getFloatValue();
              // float16 specials are ambiguous (Datahike writes them for floats and doubles):
              // read as Double, the import turns them into Float for :db.type/float.
              return f == 0f || Float.isNaN(f) || Float.isInfinite(f) ? (Object) (double) f : f;
            default:
              return p.getDoubleValue();
          }
        case VALUE_STRING:
          if (tag == TAG_IDENTIFIER) {
            String s = p.getText();
            if (s.isEmpty()) throw corrupt("an empty identifier (tag 39)");
            return s.charAt(0) == ':' ? Keyword.of(s.substring(1)) : Symbol.of(s);
          }
          untagged(tag, t);
          return p.getText();
        case VALUE_EMBEDDED_OBJECT:
          Object o = p.getEmbeddedObject();
          if (!(o instanceof byte[] b)) throw corrupt("unexpected embedded " + o);
          if (tag == TAG_UUID) {
            if (b.length != 16) throw corrupt("a UUID (tag 37) has 16 bytes, found " + b.length);
            ByteBuffer bb = ByteBuffer.wrap(b);
            return new UUID(bb.getLong(), bb.getLong());
          }
          untagged(tag, t);
          return b;
        case VALUE_TRUE:
        case VALUE_FALSE:
          untagged(tag, t);
          return t == JsonToken.VALUE_TRUE;
        case VALUE_NULL:
          untagged(tag, t);
          return null;
        case START_ARRAY:
          untagged(tag, t);
          List<Object> out = new ArrayList<>();
          for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
            out.add(value(e));
          }
          return Collections.unmodifiableList(out);
        default:
          throw corrupt("unsupported item " + describe(t));
      }
    }

    private void untagged(int tag, JsonToken t) throws IOException {
      if (tag != -1) throw corrupt("unsupported tag " + tag + " on " + describe(t));
    }

    private String describe(JsonToken t) throws IOException {
      if (t == null) return "the end of the file";
      return switch (t) {
        case START_ARRAY -> "an array";
        case START_OBJECT -> "a map";
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + p.getNumberValue();
        case VALUE_STRING -> "a string";
        case VALUE_EMBEDDED_OBJECT -> "a byte string";
        case VALUE_TRUE, VALUE_FALSE -> "a boolean";
        case VALUE_NULL -> "nil";
        default -> t.toString();
      };
    }

    private DatahikeException corrupt(String what) {
      long at = p.currentTokenLocation().getByteOffset();
      return DatahikeException.of(
          "migrate/corrupt",
          source + " is corrupt at byte " + at + " (record " + index + "): " + what,
          "file", source, "offset", at, "record", index);
    }

    @Override
    public void close() throws IOException {
      p.close();
    }
  }
}
