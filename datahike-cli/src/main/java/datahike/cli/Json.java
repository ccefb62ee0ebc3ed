package datahike.cli;

import datahike.DatahikeException;
import datahike.Datom;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import datahike.edn.Tagged;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON face of the command line ({@code --format json}, {@code json:FILE}), without a JSON
 * library: core must not depend on one, and the CLI needs only this much.
 *
 * <p>Writing: maps are objects (keyword keys lose their colon: {@code :db/id} → {@code "db/id"};
 * other keys print as text), collections and sets are arrays, a datom is {@code [e, a, v, tx,
 * added]}, keyword and symbol values are strings ({@code ":db.type/string"}), dates are ISO-8601
 * strings, bytes are Base64 strings, NaN and infinities are strings.
 *
 * <p>Reading: object keys become keywords (a leading colon is dropped), strings that start with a
 * colon become keywords, integers become Longs (BigIntegers when too big), other numbers Doubles.
 * So {@code [{"name": "Alice", "tags": [":a"]}]} is the transaction {@code [{:name "Alice" :tags
 * [:a]}]}.
 */
final class Json {
  private Json() {}

  // ------------------------------------------------------------------ writing

  /** The JSON text of {@code o}. */
  static String write(Object o) {
    StringBuilder sb = new StringBuilder();
    write(EdnText.plain(o), sb);
    return sb.toString();
  }

  private static void write(Object o, StringBuilder sb) {
    if (o == null) {
      sb.append("null");
    } else if (o instanceof Boolean
        || o instanceof Long
        || o instanceof Integer
        || o instanceof Short
        || o instanceof Byte
        || o instanceof BigInteger) {
      sb.append(o);
    } else if (o instanceof BigDecimal d) {
      sb.append(d.toPlainString());
    } else if (o instanceof Double || o instanceof Float) {
      double d = ((Number) o).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) string(String.valueOf(d), sb);
      else sb.append(o);
    } else if (o instanceof String s) {
      string(s, sb);
    } else if (o instanceof Keyword k) {
      string(":" + k.fullName(), sb);
    } else if (o instanceof Symbol s) {
      string(s.fullName(), sb);
    } else if (o instanceof Date d) {
      string(d.toInstant().toString(), sb);
    } else if (o instanceof byte[] b) {
      string(Base64.getEncoder().encodeToString(b), sb);
    } else if (o instanceof Datom d) {
      write(List.of(d.e(), d.attr(), d.v(), d.tx(), d.added()), sb);
    } else if (o instanceof Tagged t) {
      write(t.value(), sb);
    } else if (o instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) sb.append(',');
        first = false;
        Object k = e.getKey();
        string(k instanceof Keyword kw ? kw.fullName() : keyText(k), sb);
        sb.append(':');
        write(EdnText.plain(e.getValue()), sb);
      }
      sb.append('}');
    } else if (o instanceof Collection<?> c) {
      sb.append('[');
      boolean first = true;
      for (Object x : c) {
        if (!first) sb.append(',');
        first = false;
        write(EdnText.plain(x), sb);
      }
      sb.append(']');
    } else if (o instanceof Object[] a) {
      write(List.of(a), sb);
    } else {
      string(String.valueOf(o), sb);
    }
  }

  private static String keyText(Object k) {
    return k instanceof String s ? s : EdnText.print(k);
  }

  private static void string(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    sb.append('"');
  }

  // ------------------------------------------------------------------ reading

  /** Reads one JSON value; {@code what} names the input in errors ({@code :json/parse}). */
  static Object read(String text, String what) {
    Parser p = new Parser(text, what);
    p.ws();
    Object v = p.value();
    p.ws();
    if (p.i < text.length()) throw p.error("Expected the end of the input");
    return v;
  }

  /** A recursive-descent reader; nesting is bounded by the input a person writes. */
  private static final class Parser {
    final String s;
    final String what;
    int i;

    Parser(String s, String what) {
      this.s = s;
      this.what = what;
    }

    void ws() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    DatahikeException error(String msg) {
      return DatahikeException.of(
          "json/parse", what + ": " + msg + " at offset " + i, "offset", (long) i);
    }

    Object value() {
      if (i >= s.length()) throw error("Unexpected end of input");
      char c = s.charAt(i);
      switch (c) {
        case '{':
          return object();
        case '[':
          return array();
        case '"':
          String str = string();
          return str.startsWith(":") && str.length() > 1 ? Keyword.of(str.substring(1)) : str;
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        default:
          if (c == '-' || (c >= '0' && c <= '9')) return number();
          throw error("Unexpected character '" + c + "'");
      }
    }

    Object literal(String word, Object v) {
      if (!s.startsWith(word, i)) throw error("Expected " + word);
      i += word.length();
      return v;
    }

    Map<Keyword, Object> object() {
      Map<Keyword, Object> m = new LinkedHashMap<>();
      i++;
      ws();
      if (peek('}')) return m;
      for (; ; ) {
        ws();
        if (i >= s.length() || s.charAt(i) != '"') throw error("Expected a string key");
        String k = string();
        ws();
        expect(':');
        ws();
        m.put(Keyword.of(k.startsWith(":") ? k.substring(1) : k), value());
        ws();
        if (peek('}')) return m;
        expect(',');
      }
    }

    List<Object> array() {
      List<Object> l = new ArrayList<>();
      i++;
      ws();
      if (peek(']')) return l;
      for (; ; ) {
        ws();
        l.add(value());
        ws();
        if (peek(']')) return l;
        expect(',');
      }
    }

    boolean peek(char c) {
      if (i < s.length() && s.charAt(i) == c) {
        i++;
        return true;
      }
      return false;
    }

    void expect(char c) {
      if (!peek(c)) throw error("Expected '" + c + "'");
    }

    String string() {
      StringBuilder sb = new StringBuilder();
      i++;
      while (i < s.length()) {
        char c = s.charAt(i++);
        if (c == '"') return sb.toString();
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        if (i >= s.length()) break;
        char e = s.charAt(i++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'u' -> {
            if (i + 4 > s.length()) throw error("Bad \\u escape");
            try {
              sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            } catch (NumberFormatException x) {
              throw error("Bad \\u escape");
            }
            i += 4;
          }
          default -> sb.append(e);
        }
      }
      throw error("Unterminated string");
    }

    Object number() {
      int start = i;
      if (s.charAt(i) == '-') i++;
      boolean integral = true;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c >= '0' && c <= '9') {
          i++;
        } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
          integral = false;
          i++;
        } else {
          break;
        }
      }
      String t = s.substring(start, i);
      try {
        if (integral) {
          BigInteger b = new BigInteger(t);
          return b.bitLength() < 64 ? (Object) b.longValue() : b;
        }
        return Double.parseDouble(t);
      } catch (NumberFormatException x) {
        i = start;
        throw error("Bad number '" + t + "'");
      }
    }
  }
}
