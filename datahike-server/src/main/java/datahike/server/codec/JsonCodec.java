package datahike.server.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import datahike.DatahikeException;
import datahike.Datom;
import datahike.Entity;
import datahike.edn.EdnList;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import datahike.edn.Tagged;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * JSON ⇄ Java data, with the convention of Datahike's language bindings
 * (doc/bindings/edn-conversion.md: "keys are always keywordized; values starting with {@code :}
 * become keywords, everything else remains literal"), made lossless for every value Datahike
 * stores.
 *
 * <table>
 *   <caption>How each value is written in JSON</caption>
 *   <tr><th>Java</th><th>JSON</th></tr>
 *   <tr><td>null, Boolean, String</td><td>{@code null true "text"}; a string that starts with
 *       any number of backslashes then {@code :} gets one more backslash: {@code ":x"} is written
 *       {@code "\\:x"}</td></tr>
 *   <tr><td>Long (Integer, Short, Byte)</td><td>{@code 42}</td></tr>
 *   <tr><td>Double (Float)</td><td>{@code 1.5}; NaN and infinities as {@code {"#double":
 *       "NaN"}}, {@code "Infinity"}, {@code "-Infinity"}</td></tr>
 *   <tr><td>Keyword</td><td>{@code ":db/ident"}</td></tr>
 *   <tr><td>Map whose keys are all keywords</td><td>an object, keys without the colon: {@code
 *       {"person/name": "Alice"}}</td></tr>
 *   <tr><td>any other Map</td><td>{@code {"#map": [[key, value], ...]}}</td></tr>
 *   <tr><td>List, other Collection, arrays</td><td>an array</td></tr>
 *   <tr><td>Set</td><td>{@code {"#set": [...]}}</td></tr>
 *   <tr><td>EDN list {@code (a b)}</td><td>{@code {"#list": [...]}}</td></tr>
 *   <tr><td>Symbol</td><td>{@code {"#sym": "?e"}}</td></tr>
 *   <tr><td>java.util.Date</td><td>{@code {"#inst": "2020-01-01T00:00:00Z"}}</td></tr>
 *   <tr><td>UUID</td><td>{@code {"#uuid": "..."}}</td></tr>
 *   <tr><td>BigInteger, BigDecimal</td><td>{@code {"#bigint": "123"}}, {@code {"#bigdec":
 *       "1.50"}}</td></tr>
 *   <tr><td>byte[], Character, regex Pattern</td><td>{@code {"#bytes": "base64"}}, {@code
 *       {"#char": "c"}}, {@code {"#regex": "a.*"}}</td></tr>
 *   <tr><td>Datom</td><td>{@code {"#datahike/Datom": [e, ":attr", v, tx, added]}}</td></tr>
 *   <tr><td>EDN tagged value {@code #tag v}</td><td>{@code {"#tag": v}}</td></tr>
 *   <tr><td>Entity</td><td>{@code {"db/id": 5}}</td></tr>
 * </table>
 *
 * <p>Reading is the inverse, and follows the bindings' rule for hand-written JSON: every object key
 * becomes a keyword (a leading {@code :} is dropped, so {@code ":db/id"} and {@code "db/id"} are
 * the same key); a string {@code ":kw"} is a keyword; a string that starts with backslashes then
 * {@code :} loses one backslash and stays a string; integers are Longs (BigIntegers past a long),
 * other numbers Doubles. An object with exactly one key that starts with {@code #} is a tagged
 * value as in the table ({@code #} is never the start of a keyword); an unknown tag reads as {@link
 * Tagged}. Floats, Integers, Shorts and Bytes come back as Doubles and Longs, as through EDN.
 *
 * <p>Queries, pull patterns and transaction data may also be sent as EDN strings (the API reads a
 * string argument as EDN), which is the easier way to write symbols such as {@code ?e}.
 *
 * <p>Nesting is limited to {@link #MAX_DEPTH} levels both ways (Jackson's own default), which also
 * bounds the recursion of this class. Malformed input throws {@code :json/parse}.
 */
public final class JsonCodec {
  /** The deepest nesting read or written. */
  public static final int MAX_DEPTH = 1000;

  static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_DEPTH)
                  .maxStringLength(Integer.MAX_VALUE)
                  .build())
          .streamWriteConstraints(
              StreamWriteConstraints.builder().maxNestingDepth(MAX_DEPTH + 2).build())
          .build();

  private JsonCodec() {}

  /** The JSON bytes (UTF-8) of {@code value}; throws {@code :codec/unsupported} for others. */
  public static byte[] encode(Object value) {
    return encode(value, false);
  }

  /**
   * As {@link #encode(Object)}, but writes values of unknown types as their {@code toString()} (for
   * error bodies, which must always be written).
   */
  public static byte[] encodeLenient(Object value) {
    return encode(value, true);
  }

  private static byte[] encode(Object value, boolean lenient) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      new Writer(g, lenient).write(value, 0);
    } catch (StreamConstraintsException e) {
      throw tooDeep(value);
    } catch (IOException e) {
      throw DatahikeException.of("codec/io", "Could not write JSON: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /** The JSON text of {@code value}. */
  public static String encodeToString(Object value) {
    return new String(encode(value), StandardCharsets.UTF_8);
  }

  /** Reads one JSON value from UTF-8 bytes. */
  public static Object decode(byte[] json) {
    try (JsonParser p = FACTORY.createParser(json)) {
      return readDocument(p);
    } catch (IOException e) {
      throw parseError(e);
    }
  }

  /** Reads one JSON value from text. */
  public static Object decode(String json) {
    try (JsonParser p = FACTORY.createParser(json)) {
      return readDocument(p);
    } catch (IOException e) {
      throw parseError(e);
    }
  }

  private static Object readDocument(JsonParser p) throws IOException {
    if (p.nextToken() == null) {
      throw DatahikeException.of("json/parse", "Empty JSON document");
    }
    Object v = read(p);
    if (p.nextToken() != null) {
      throw DatahikeException.of(
          "json/parse",
          "Unexpected content after the JSON value at " + location(p),
          "line",
          (long) p.currentLocation().getLineNr());
    }
    return v;
  }

  private static DatahikeException parseError(IOException e) {
    String msg = e.getMessage();
    if (msg != null && msg.indexOf('\n') > 0) msg = msg.substring(0, msg.indexOf('\n'));
    return DatahikeException.of("json/parse", "Malformed JSON: " + msg);
  }

  private static String location(JsonParser p) {
    return "line "
        + p.currentLocation().getLineNr()
        + ", column "
        + p.currentLocation().getColumnNr();
  }

  static DatahikeException tooDeep(Object value) {
    return DatahikeException.of(
        "codec/too-deep",
        "Data nests deeper than " + MAX_DEPTH + " levels",
        "max-depth",
        (long) MAX_DEPTH);
  }

  // ------------------------------------------------------------------ reading

  /** Reads the value at the current token (recursion bounded by the parser's nesting limit). */
  private static Object read(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT:
        return readObject(p);
      case START_ARRAY:
        {
          List<Object> l = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) l.add(read(p));
          return l;
        }
      case VALUE_STRING:
        return string(p.getText());
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? (Object) p.getBigIntegerValue()
            : (Object) p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw DatahikeException.of("json/parse", "Unexpected " + t + " at " + location(p));
    }
  }

  private static Object readObject(JsonParser p) throws IOException {
    Map<Object, Object> m = new LinkedHashMap<>();
    JsonToken t = p.nextToken();
    if (t == JsonToken.END_OBJECT) return m;
    String first = p.currentName();
    p.nextToken();
    Object firstValue = read(p);
    t = p.nextToken();
    if (t == JsonToken.END_OBJECT && first.startsWith("#")) {
      return tagged(first.substring(1), firstValue);
    }
    m.put(Keyword.of(first), firstValue);
    while (t != JsonToken.END_OBJECT) {
      String name = p.currentName();
      p.nextToken();
      m.put(Keyword.of(name), read(p));
      t = p.nextToken();
    }
    return m;
  }

  /** A string value: {@code ":kw"} is a keyword; {@code "\\:x"} the string {@code ":x"}. */
  static Object string(String s) {
    int n = s.length();
    if (n > 1 && s.charAt(0) == ':') return Keyword.of(s.substring(1));
    if (n > 1 && s.charAt(0) == '\\') {
      int i = 0;
      while (i < n && s.charAt(i) == '\\') i++;
      if (i < n && s.charAt(i) == ':') return s.substring(1);
    }
    return s;
  }

  private static Object tagged(String tag, Object v) {
    switch (tag) {
      case "sym":
        return Symbol.of(text(tag, v));
      case "inst":
        return Tags.instant(text(tag, v));
      case "uuid":
        try {
          return UUID.fromString(text(tag, v));
        } catch (IllegalArgumentException e) {
          throw Tags.bad("Invalid #uuid " + v, v);
        }
      case "bigint":
        try {
          return new BigInteger(text(tag, v));
        } catch (NumberFormatException e) {
          throw Tags.bad("Invalid #bigint " + v, v);
        }
      case "bigdec":
        try {
          return new BigDecimal(text(tag, v));
        } catch (NumberFormatException e) {
          throw Tags.bad("Invalid #bigdec " + v, v);
        }
      case "double":
        switch (text(tag, v)) {
          case "NaN":
            return Double.NaN;
          case "Infinity":
            return Double.POSITIVE_INFINITY;
          case "-Infinity":
            return Double.NEGATIVE_INFINITY;
          default:
            throw Tags.bad("#double holds NaN, Infinity or -Infinity, got " + v, v);
        }
      case "bytes":
        return Tags.bytes(text(tag, v));
      case "char":
        {
          String s = text(tag, v);
          if (s.length() != 1) throw Tags.bad("#char holds one character, got " + v, v);
          return s.charAt(0);
        }
      default:
        return Tags.composite(tag, v);
    }
  }

  private static String text(String tag, Object v) {
    if (v instanceof String s) return s;
    if (v instanceof Keyword k) return ":" + k.fullName();
    throw Tags.bad("#" + tag + " holds a string", v);
  }

  // ------------------------------------------------------------------ writing

  /** Writes Java data; one instance per document. */
  private static final class Writer {
    private final JsonGenerator g;
    private final boolean lenient;

    Writer(JsonGenerator g, boolean lenient) {
      this.g = g;
      this.lenient = lenient;
    }

    void write(Object o, int depth) throws IOException {
      if (depth > MAX_DEPTH) throw tooDeep(o);
      if (o == null) {
        g.writeNull();
      } else if (o instanceof String s) {
        g.writeString(escape(s));
      } else if (o instanceof Boolean b) {
        g.writeBoolean(b);
      } else if (o instanceof Long
          || o instanceof Integer
          || o instanceof Short
          || o instanceof Byte) {
        g.writeNumber(((Number) o).longValue());
      } else if (o instanceof Double d) {
        writeDouble(d);
      } else if (o instanceof Float f) {
        writeDouble(Double.parseDouble(Float.toString(f)));
      } else if (o instanceof Keyword k) {
        g.writeString(":" + k.fullName());
      } else if (o instanceof Map<?, ?> m) {
        writeMap(m, depth);
      } else if (o instanceof Set<?> s) {
        tag("set");
        writeArray(s, depth + 1);
        g.writeEndObject();
      } else if (o instanceof EdnList l) {
        tag("list");
        writeArray(l, depth + 1);
        g.writeEndObject();
      } else if (o instanceof Collection<?> c) {
        writeArray(c, depth);
      } else if (o instanceof Datom d) {
        tag(Tags.DATOM);
        writeArray(Tags.datomToList(d), depth + 1);
        g.writeEndObject();
      } else if (o instanceof Symbol s) {
        tagged("sym", s.fullName());
      } else if (o instanceof Date d) {
        tagged("inst", Instant.ofEpochMilli(d.getTime()).toString());
      } else if (o instanceof UUID u) {
        tagged("uuid", u.toString());
      } else if (o instanceof BigInteger b) {
        tagged("bigint", b.toString());
      } else if (o instanceof BigDecimal b) {
        tagged("bigdec", b.toString());
      } else if (o instanceof byte[] b) {
        tagged("bytes", Base64.getEncoder().encodeToString(b));
      } else if (o instanceof Character c) {
        tagged("char", c.toString());
      } else if (o instanceof Pattern p) {
        tagged("regex", p.pattern());
      } else if (o instanceof Tagged t) {
        tag(t.tag());
        write(t.value(), depth + 1);
        g.writeEndObject();
      } else if (o instanceof Entity e) {
        g.writeStartObject();
        g.writeFieldName("db/id");
        g.writeNumber(e.id());
        g.writeEndObject();
      } else if (o instanceof Object[] a) {
        writeArray(Arrays.asList(a), depth);
      } else if (o instanceof long[] a) {
        g.writeArray(a, 0, a.length);
      } else if (o instanceof int[] a) {
        g.writeArray(a, 0, a.length);
      } else if (o instanceof double[] a) {
        g.writeStartArray();
        for (double x : a) writeDouble(x);
        g.writeEndArray();
      } else if (o instanceof Map.Entry<?, ?> e) {
        writeArray(Arrays.asList(e.getKey(), e.getValue()), depth);
      } else if (lenient) {
        g.writeString(escape(o.toString()));
      } else {
        throw unsupported(o);
      }
    }

    private void writeDouble(double d) throws IOException {
      if (Double.isNaN(d)) {
        tagged("double", "NaN");
      } else if (Double.isInfinite(d)) {
        tagged("double", d > 0 ? "Infinity" : "-Infinity");
      } else {
        g.writeNumber(d);
      }
    }

    private void tag(String tag) throws IOException {
      g.writeStartObject();
      g.writeFieldName("#" + tag);
    }

    private void tagged(String tag, String value) throws IOException {
      tag(tag);
      g.writeString(value);
      g.writeEndObject();
    }

    private void writeArray(Collection<?> c, int depth) throws IOException {
      g.writeStartArray();
      for (Object x : c) write(x, depth + 1);
      g.writeEndArray();
    }

    private void writeMap(Map<?, ?> m, int depth) throws IOException {
      boolean plain = true;
      for (Object k : m.keySet()) {
        if (!(k instanceof Keyword kw) || kw.fullName().startsWith("#")) {
          plain = false;
          break;
        }
      }
      if (plain) {
        g.writeStartObject();
        for (Map.Entry<?, ?> e : m.entrySet()) {
          g.writeFieldName(((Keyword) e.getKey()).fullName());
          write(e.getValue(), depth + 1);
        }
        g.writeEndObject();
        return;
      }
      tag("map");
      g.writeStartArray();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeStartArray();
        write(e.getKey(), depth + 3);
        write(e.getValue(), depth + 3);
        g.writeEndArray();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  /** A string as written: one more backslash when it starts with backslashes then a colon. */
  static String escape(String s) {
    int n = s.length();
    int i = 0;
    while (i < n && s.charAt(i) == '\\') i++;
    return i < n && s.charAt(i) == ':' ? "\\" + s : s;
  }

  static DatahikeException unsupported(Object o) {
    return DatahikeException.of(
        "codec/unsupported",
        "Cannot send a value of type " + o.getClass().getName() + " over the wire",
        "type",
        o.getClass().getName());
  }
}
