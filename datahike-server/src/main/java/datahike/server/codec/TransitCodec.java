package datahike.server.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Transit-JSON (https://github.com/cognitect/transit-format) ⇄ Java data, written by hand.
 *
 * <p>Why by hand: the approved dependencies (shared/STYLE.md) hold no Transit library, and the
 * reference one (com.cognitect:transit-java) drags in msgpack and an old Jackson of its own. The
 * subset Datahike's data needs is small, and Jackson's streaming parser and generator (already
 * approved) do the JSON part.
 *
 * <p>Supported: null, booleans, strings (with the {@code ~ ^ `} escapes), integers ({@code ~i} past
 * 2^53), doubles ({@code ~z} for NaN and infinities), keywords {@code ~:k}, symbols {@code ~$s},
 * instants {@code ~m} (read also {@code ~t}), UUIDs {@code ~u}, big integers {@code ~n}, big
 * decimals {@code ~f}, bytes {@code ~b}, chars {@code ~c}, maps ({@code ["^ ", k, v, ...]} and
 * verbose objects; {@code ~#cmap} for composite keys), arrays, {@code ~#set}, {@code ~#list},
 * {@code ~#'} (a quoted top-level scalar), datoms as {@code ~#datahike/Datom [e a v tx added]}
 * (Datahike's tag), and any other tag as {@link Tagged}. Reading honours the write cache ({@code
 * ^0}, {@code ^1A}, ...) so that documents from any Transit writer read; writing never caches,
 * which every reader accepts. Floats, Integers, Shorts and Bytes are written as doubles and longs.
 *
 * <p>Nesting is limited to {@link JsonCodec#MAX_DEPTH} levels. Malformed input throws {@code
 * :transit/parse}.
 */
public final class TransitCodec {
  private static final long MAX_JSON_INT = 1L << 53;
  private static final int CACHE_SIZE = 44 * 44;
  private static final int MIN_CACHEABLE = 4;

  private TransitCodec() {}

  /** The Transit-JSON bytes of {@code value}. */
  public static byte[] encode(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JsonCodec.FACTORY.createGenerator(out)) {
      Writer w = new Writer(g);
      if (isComposite(value)) {
        w.write(value, false, 0);
      } else {
        g.writeStartArray();
        g.writeString("~#'");
        w.write(value, false, 1);
        g.writeEndArray();
      }
    } catch (StreamConstraintsException e) {
      throw JsonCodec.tooDeep(value);
    } catch (IOException e) {
      throw DatahikeException.of("codec/io", "Could not write Transit: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /** Reads one Transit-JSON value. */
  public static Object decode(byte[] transit) {
    try (JsonParser p = JsonCodec.FACTORY.createParser(transit)) {
      if (p.nextToken() == null) throw parse("Empty Transit document");
      Object v = new Reader(p).read(false);
      if (p.nextToken() != null) throw parse("Unexpected content after the Transit value");
      if (v instanceof TagMarker t) throw parse("A lone tag ~#" + t.tag);
      return v;
    } catch (IOException e) {
      String msg = e.getMessage();
      if (msg != null && msg.indexOf('\n') > 0) msg = msg.substring(0, msg.indexOf('\n'));
      throw parse("Malformed Transit-JSON: " + msg);
    }
  }

  private static boolean isComposite(Object o) {
    return o instanceof Map
        || o instanceof Collection
        || o instanceof Object[]
        || o instanceof long[]
        || o instanceof int[]
        || o instanceof double[]
        || o instanceof Datom
        || o instanceof Tagged
        || o instanceof Entity
        || o instanceof Pattern
        || o instanceof Map.Entry;
  }

  static DatahikeException parse(String message) {
    return DatahikeException.of("transit/parse", message);
  }

  /** A tag read from {@code "~#tag"}, waiting for its value. */
  private record TagMarker(String tag) {}

  // ------------------------------------------------------------------ reading

  private static final class Reader {
    private final JsonParser p;
    private final Object[] cache = new Object[CACHE_SIZE];
    private int cacheNext;

    Reader(JsonParser p) {
      this.p = p;
    }

    /** The value at the current token; may be a TagMarker when the token is a tag string. */
    Object read(boolean asKey) throws IOException {
      JsonToken t = p.currentToken();
      switch (t) {
        case VALUE_STRING:
          return string(p.getText(), asKey);
        case START_ARRAY:
          return array();
        case START_OBJECT:
          return object();
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
          throw parse("Unexpected " + t);
      }
    }

    private Object value(boolean asKey) throws IOException {
      Object v = read(asKey);
      if (v instanceof TagMarker m) throw parse("Tag ~#" + m.tag + " where a value belongs");
      return v;
    }

    private Object string(String s, boolean asKey) {
      if (s.length() > 1 && s.charAt(0) == '^' && s.charAt(1) != ' ') {
        int idx =
            s.length() == 2
                ? s.charAt(1) - 48
                : s.length() == 3 ? (s.charAt(1) - 48) * 44 + (s.charAt(2) - 48) : -1;
        if (idx < 0 || idx >= cacheNext) throw parse("Unknown cache reference " + s);
        return cache[idx];
      }
      Object v = decodeString(s);
      if (s.length() >= MIN_CACHEABLE
          && (asKey
              || (s.charAt(0) == '~'
                  && (s.charAt(1) == ':' || s.charAt(1) == '$' || s.charAt(1) == '#')))) {
        if (cacheNext == CACHE_SIZE) cacheNext = 0;
        cache[cacheNext++] = v;
      }
      return v;
    }

    private Object array() throws IOException {
      JsonToken t = p.nextToken();
      if (t == JsonToken.END_ARRAY) return new ArrayList<>();
      if (t == JsonToken.VALUE_STRING && "^ ".equals(p.getText())) {
        Map<Object, Object> m = new LinkedHashMap<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          Object k = value(true);
          if (p.nextToken() == JsonToken.END_ARRAY) throw parse("A map with an odd element count");
          m.put(k, value(false));
        }
        return m;
      }
      Object first = read(false);
      if (first instanceof TagMarker m) {
        if (p.nextToken() == JsonToken.END_ARRAY) throw parse("Tag ~#" + m.tag + " without value");
        Object v = value(false);
        if (p.nextToken() != JsonToken.END_ARRAY) {
          throw parse("A tagged value is [\"~#tag\", value], got more for ~#" + m.tag);
        }
        return tagged(m.tag, v);
      }
      List<Object> l = new ArrayList<>();
      l.add(first);
      while (p.nextToken() != JsonToken.END_ARRAY) l.add(value(false));
      return l;
    }

    private Object object() throws IOException {
      Map<Object, Object> m = new LinkedHashMap<>();
      JsonToken t = p.nextToken();
      boolean first = true;
      while (t != JsonToken.END_OBJECT) {
        Object k = string(p.currentName(), true);
        p.nextToken();
        Object v = value(false);
        t = p.nextToken();
        if (first && k instanceof TagMarker mk) {
          if (t != JsonToken.END_OBJECT) throw parse("A tagged object has one key, ~#" + mk.tag);
          return tagged(mk.tag, v);
        }
        if (k instanceof TagMarker mk) throw parse("Tag ~#" + mk.tag + " as a map key");
        m.put(k, v);
        first = false;
      }
      return m;
    }
  }

  private static Object decodeString(String s) {
    if (s.length() < 2 || s.charAt(0) != '~') return s;
    char c = s.charAt(1);
    String rest = s.substring(2);
    try {
      switch (c) {
        case '~':
        case '^':
        case '`':
          return s.substring(1);
        case ':':
          return Keyword.of(rest);
        case '$':
          return Symbol.of(rest);
        case '#':
          return new TagMarker(rest);
        case 'm':
          return new Date(Long.parseLong(rest));
        case 't':
          return Tags.instant(rest);
        case 'u':
          return UUID.fromString(rest);
        case 'i':
          {
            BigInteger b = new BigInteger(rest);
            return b.bitLength() < 64 ? (Object) b.longValue() : b;
          }
        case 'n':
          return new BigInteger(rest);
        case 'f':
          return new BigDecimal(rest);
        case 'd':
          return Double.parseDouble(rest);
        case 'z':
          switch (rest) {
            case "NaN":
              return Double.NaN;
            case "INF":
              return Double.POSITIVE_INFINITY;
            case "-INF":
              return Double.NEGATIVE_INFINITY;
            default:
              throw parse("Unknown special number ~z" + rest);
          }
        case 'b':
          return Tags.bytes(rest);
        case 'c':
          if (rest.length() != 1) throw parse("~c holds one character, got " + rest);
          return rest.charAt(0);
        case '_':
          return null;
        case '?':
          return "t".equals(rest);
        default:
          return new Tagged(String.valueOf(c), rest);
      }
    } catch (IllegalArgumentException e) {
      throw parse("Invalid Transit value " + s + ": " + e.getMessage());
    }
  }

  private static Object tagged(String tag, Object v) {
    switch (tag) {
      case "'":
        return v;
      case "cmap":
        {
          if (!(v instanceof List<?> l) || l.size() % 2 != 0) {
            throw parse("~#cmap holds [k v k v ...]");
          }
          Map<Object, Object> m = new LinkedHashMap<>();
          for (int i = 0; i < l.size(); i += 2) m.put(l.get(i), l.get(i + 1));
          return m;
        }
      case "set":
        {
          if (v instanceof Collection<?> c) return new LinkedHashSet<>(c);
          throw parse("~#set holds an array");
        }
      default:
        return Tags.composite(tag, v);
    }
  }

  // ------------------------------------------------------------------ writing

  private static final class Writer {
    private final JsonGenerator g;

    Writer(JsonGenerator g) {
      this.g = g;
    }

    void write(Object o, boolean asKey, int depth) throws IOException {
      if (depth > JsonCodec.MAX_DEPTH) throw JsonCodec.tooDeep(o);
      if (o instanceof Float f) o = Double.parseDouble(Float.toString(f));
      String scalar = scalar(o, asKey);
      if (scalar != null) {
        g.writeString(scalar);
        return;
      }
      if (o == null) {
        g.writeNull();
      } else if (o instanceof Boolean b) {
        g.writeBoolean(b);
      } else if (o instanceof Long
          || o instanceof Integer
          || o instanceof Short
          || o instanceof Byte) {
        g.writeNumber(((Number) o).longValue());
      } else if (o instanceof Double d) {
        g.writeNumber(d);
      } else if (o instanceof Map<?, ?> m) {
        writeMap(m, depth);
      } else if (o instanceof Set<?> s) {
        taggedArray("set", s, depth);
      } else if (o instanceof EdnList l) {
        taggedArray("list", l, depth);
      } else if (o instanceof Collection<?> c) {
        writeArray(c, depth);
      } else if (o instanceof Datom d) {
        taggedArray(Tags.DATOM, Tags.datomToList(d), depth);
      } else if (o instanceof Tagged t) {
        tagged(t.tag(), t.value(), depth);
      } else if (o instanceof Pattern p) {
        tagged("regex", p.pattern(), depth);
      } else if (o instanceof Entity e) {
        writeMap(Map.of(Keyword.of("db/id"), e.id()), depth);
      } else if (o instanceof Object[] a) {
        writeArray(Arrays.asList(a), depth);
      } else if (o instanceof long[] a) {
        g.writeStartArray();
        for (long x : a) write(x, false, depth + 1);
        g.writeEndArray();
      } else if (o instanceof int[] a) {
        g.writeArray(a, 0, a.length);
      } else if (o instanceof double[] a) {
        g.writeStartArray();
        for (double x : a) write(x, false, depth + 1);
        g.writeEndArray();
      } else if (o instanceof Map.Entry<?, ?> e) {
        writeArray(Arrays.asList(e.getKey(), e.getValue()), depth);
      } else {
        throw JsonCodec.unsupported(o);
      }
    }

    private void tagged(String tag, Object value, int depth) throws IOException {
      g.writeStartArray();
      g.writeString("~#" + tag);
      write(value, false, depth + 1);
      g.writeEndArray();
    }

    /** {@code ["~#tag", [elements]]}: the elements as a plain array, whatever their collection. */
    private void taggedArray(String tag, Collection<?> c, int depth) throws IOException {
      g.writeStartArray();
      g.writeString("~#" + tag);
      writeArray(c, depth + 1);
      g.writeEndArray();
    }

    private void writeArray(Collection<?> c, int depth) throws IOException {
      g.writeStartArray();
      for (Object x : c) write(x, false, depth + 1);
      g.writeEndArray();
    }

    private void writeMap(Map<?, ?> m, int depth) throws IOException {
      boolean stringable = true;
      for (Object k : m.keySet()) {
        if (isComposite(k)) {
          stringable = false;
          break;
        }
      }
      g.writeStartArray();
      if (stringable) {
        g.writeString("^ ");
        for (Map.Entry<?, ?> e : m.entrySet()) {
          write(e.getKey(), true, depth + 1);
          write(e.getValue(), false, depth + 1);
        }
      } else {
        g.writeString("~#cmap");
        g.writeStartArray();
        for (Map.Entry<?, ?> e : m.entrySet()) {
          write(e.getKey(), false, depth + 2);
          write(e.getValue(), false, depth + 2);
        }
        g.writeEndArray();
      }
      g.writeEndArray();
    }
  }

  /** The string form of a scalar, or null when {@code o} is written as a JSON value. */
  private static String scalar(Object o, boolean asKey) {
    if (o instanceof String s) {
      if (!s.isEmpty() && (s.charAt(0) == '~' || s.charAt(0) == '^' || s.charAt(0) == '`')) {
        return "~" + s;
      }
      return s;
    }
    if (o instanceof Keyword k) return "~:" + k.fullName();
    if (o instanceof Symbol s) return "~$" + s.fullName();
    if (o instanceof Date d) return "~m" + d.getTime();
    if (o instanceof UUID u) return "~u" + u;
    if (o instanceof BigInteger b) return "~n" + b;
    if (o instanceof BigDecimal b) return "~f" + b;
    if (o instanceof byte[] b) return "~b" + Base64.getEncoder().encodeToString(b);
    if (o instanceof Character c) return "~c" + c;
    if (o == null) return asKey ? "~_" : null;
    if (o instanceof Boolean b) return asKey ? (b ? "~?t" : "~?f") : null;
    if (o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof Byte) {
      long n = ((Number) o).longValue();
      return asKey || n > MAX_JSON_INT || n < -MAX_JSON_INT ? "~i" + n : null;
    }
    if (o instanceof Double || o instanceof Float) {
      double d = ((Number) o).doubleValue();
      if (Double.isNaN(d)) return "~zNaN";
      if (Double.isInfinite(d)) return d > 0 ? "~zINF" : "~z-INF";
      return asKey ? "~d" + d : null;
    }
    return null;
  }
}
