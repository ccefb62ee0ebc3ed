package datahike.pull;

import datahike.edn.Keyword;
import datahike.edn.Symbol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small EDN reader for the tests of this package, so that patterns and expected results read as
 * in Datahike's tests: vectors and lists become {@link ArrayList}s, maps {@link LinkedHashMap}s,
 * sets {@link LinkedHashSet}s; integers are Longs, decimals Doubles.
 */
final class TestEdn {
  private final String s;
  private int i;

  private TestEdn(String s) {
    this.s = s;
  }

  /** The one value {@code text} holds. */
  static Object read(String text) {
    TestEdn r = new TestEdn(text);
    Object v = r.next();
    r.skip();
    if (r.i != r.s.length()) {
      throw new IllegalArgumentException("trailing input at " + r.i + ": " + text);
    }
    return v;
  }

  private void skip() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == ';') {
        while (i < s.length() && s.charAt(i) != '\n') {
          i++;
        }
      } else if (Character.isWhitespace(c) || c == ',') {
        i++;
      } else {
        return;
      }
    }
  }

  private Object next() {
    skip();
    char c = s.charAt(i);
    switch (c) {
      case '[':
        i++;
        return seq(']', new ArrayList<>());
      case '(':
        i++;
        return seq(')', new ArrayList<>());
      case '{':
        {
          i++;
          List<Object> kvs = seq('}', new ArrayList<>());
          Map<Object, Object> m = new LinkedHashMap<>();
          for (int k = 0; k < kvs.size(); k += 2) {
            m.put(kvs.get(k), kvs.get(k + 1));
          }
          return m;
        }
      case '#':
        {
          i++;
          if (s.charAt(i) != '{') {
            throw new IllegalArgumentException("unsupported tag at " + i);
          }
          i++;
          Set<Object> set = new LinkedHashSet<>(seq('}', new ArrayList<>()));
          return set;
        }
      case '"':
        return string();
      default:
        return atom();
    }
  }

  private List<Object> seq(char close, List<Object> out) {
    while (true) {
      skip();
      if (s.charAt(i) == close) {
        i++;
        return out;
      }
      out.add(next());
    }
  }

  private String string() {
    StringBuilder b = new StringBuilder();
    i++;
    while (s.charAt(i) != '"') {
      char c = s.charAt(i++);
      if (c == '\\') {
        char e = s.charAt(i++);
        b.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
      } else {
        b.append(c);
      }
    }
    i++;
    return b.toString();
  }

  private Object atom() {
    int start = i;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c) || c == ',' || "[](){}\"".indexOf(c) >= 0) {
        break;
      }
      i++;
    }
    String t = s.substring(start, i);
    if (t.equals("nil")) {
      return null;
    }
    if (t.equals("true") || t.equals("false")) {
      return Boolean.valueOf(t);
    }
    if (t.startsWith(":")) {
      return Keyword.of(t.substring(1));
    }
    char c0 = t.charAt(0);
    if (Character.isDigit(c0) || ((c0 == '-' || c0 == '+') && t.length() > 1)) {
      if (t.contains(".") || t.contains("e") || t.contains("E")) {
        return Double.valueOf(t);
      }
      return Long.valueOf(t);
    }
    return Symbol.of(t);
  }
}
