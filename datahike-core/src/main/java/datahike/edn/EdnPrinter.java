package datahike.edn;

import datahike.Datom;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Writes Java values as EDN text, as Clojure's {@code pr-str} does, so that {@link
 * EdnReader#read(String)} gives back an equal value.
 *
 * <table>
 *   <caption>How each value prints</caption>
 *   <tr><th>Java</th><th>EDN</th></tr>
 *   <tr><td>null, Boolean</td><td>{@code nil true false}</td></tr>
 *   <tr><td>String</td><td>{@code "a\"b\n"}; other control chars as <code>&#92;uXXXX</code></td>
 *       </tr>
 *   <tr><td>Character</td><td>{@code \a \newline \space \tab \return \backspace \formfeed};
 *       control chars, other whitespace and surrogates as <code>&#92;uXXXX</code></td></tr>
 *   <tr><td>Long, Integer, Short, Byte</td><td>{@code 42}</td></tr>
 *   <tr><td>BigInteger</td><td>{@code 42N}</td></tr>
 *   <tr><td>Double, Float</td><td>{@code 1.0 1.0E10 ##Inf ##-Inf ##NaN}</td></tr>
 *   <tr><td>BigDecimal</td><td>{@code 1.50M}</td></tr>
 *   <tr><td>Keyword, Symbol</td><td>{@code :db/ident ?e}</td></tr>
 *   <tr><td>{@link EdnList}</td><td>{@code (a b)}</td></tr>
 *   <tr><td>other List or Collection, Object[], long[], int[], double[], Map.Entry</td>
 *       <td>{@code [a b]}</td></tr>
 *   <tr><td>Set</td><td>{@code #{a b}}</td></tr>
 *   <tr><td>Map</td><td>{@code {:a 1, :b 2}}</td></tr>
 *   <tr><td>java.util.Date</td><td>{@code #inst "2020-01-01T00:00:00.000-00:00"} (UTC)</td></tr>
 *   <tr><td>UUID</td><td>{@code #uuid "..."}</td></tr>
 *   <tr><td>byte[]</td><td>{@code #bytes "AQID"}: standard Base64 with padding; Clojure has no
 *       EDN form for byte arrays, and {@link EdnReader} reads this one back</td></tr>
 *   <tr><td>{@link Tagged}</td><td>{@code #tag value}</td></tr>
 *   <tr><td>{@link Datom}</td><td>its {@code toString()}: {@code #datahike/Datom [e a v tx
 *       added]}</td></tr>
 *   <tr><td>anything else</td><td>its {@code toString()}</td></tr>
 * </table>
 *
 * <p>Float, Integer, Short and Byte read back as Double and Long: EDN has no narrower numbers.
 *
 * <p>How: nesting lives on an explicit stack of open collections, not the Java stack, so that
 * printing deeply nested data cannot overflow it.
 */
public final class EdnPrinter {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private EdnPrinter() {}

  /** One open collection: its remaining elements and its closing delimiter. */
  private static final class Frame {
    final Frame parent;
    final Iterator<?> it;
    final char close;
    final boolean map;
    int count;
    Object pendingValue;
    boolean hasPending;

    Frame(Frame parent, Iterator<?> it, char close, boolean map) {
      this.parent = parent;
      this.it = it;
      this.close = close;
      this.map = map;
    }
  }

  /** The EDN text of {@code o}. */
  public static String print(Object o) {
    return print(o, new StringBuilder()).toString();
  }

  /** Appends the EDN text of {@code o} to {@code sb} and returns {@code sb}. */
  public static StringBuilder print(Object o, StringBuilder sb) {
    Frame top = null;
    Object x = o;
    for (; ; ) {
      while (x instanceof Tagged t) {
        sb.append('#').append(t.tag()).append(' ');
        x = t.value();
      }
      if (!printScalar(x, sb)) {
        top = open(x, sb, top);
      }
      // Find the next value to print, closing the collections that are done.
      for (; ; ) {
        if (top == null) {
          return sb;
        }
        Frame f = top;
        if (f.hasPending) {
          sb.append(' ');
          x = f.pendingValue;
          f.pendingValue = null;
          f.hasPending = false;
          break;
        }
        if (f.it.hasNext()) {
          Object e = f.it.next();
          if (f.count++ > 0) {
            sb.append(f.map ? ", " : " ");
          }
          if (f.map) {
            Map.Entry<?, ?> entry = (Map.Entry<?, ?>) e;
            x = entry.getKey();
            f.pendingValue = entry.getValue();
            f.hasPending = true;
          } else {
            x = e;
          }
          break;
        }
        sb.append(f.close);
        top = f.parent;
      }
    }
  }

  /** Appends {@code x} if it is no collection; false if it is one. */
  private static boolean printScalar(Object x, StringBuilder sb) {
    if (x == null) {
      sb.append("nil");
    } else if (x instanceof String s) {
      printString(s, sb);
    } else if (x instanceof Keyword k) {
      sb.append(':').append(k.fullName());
    } else if (x instanceof Long l) {
      sb.append(l.longValue());
    } else if (x instanceof Symbol s) {
      sb.append(s.fullName());
    } else if (x instanceof Boolean b) {
      sb.append(b.booleanValue());
    } else if (x instanceof Double d) {
      printDouble(d, sb);
    } else if (x instanceof Integer || x instanceof Short || x instanceof Byte) {
      sb.append(((Number) x).intValue());
    } else if (x instanceof BigInteger b) {
      sb.append(b).append('N');
    } else if (x instanceof BigDecimal b) {
      sb.append(b).append('M');
    } else if (x instanceof Float f) {
      float v = f;
      if (Float.isNaN(v) || Float.isInfinite(v)) {
        printDouble(v, sb);
      } else {
        sb.append(v);
      }
    } else if (x instanceof Character c) {
      printCharacter(c, sb);
    } else if (x instanceof Date d) {
      sb.append("#inst \"");
      EdnInstants.format(d, sb);
      sb.append('"');
    } else if (x instanceof UUID u) {
      sb.append("#uuid \"").append(u).append('"');
    } else if (x instanceof byte[] b) {
      sb.append("#bytes \"").append(Base64.getEncoder().encodeToString(b)).append('"');
    } else if (x instanceof Datom) {
      sb.append(x);
    } else if (x instanceof java.util.regex.Pattern p) {
      sb.append("#\"").append(p.pattern()).append('"');
    } else if (x instanceof Collection
        || x instanceof Map
        || x instanceof Map.Entry
        || x instanceof Object[]
        || x instanceof long[]
        || x instanceof int[]
        || x instanceof double[]) {
      return false;
    } else {
      sb.append(x);
    }
    return true;
  }

  /** Appends the opening delimiter of collection {@code x}; the frame that prints the rest. */
  private static Frame open(Object x, StringBuilder sb, Frame parent) {
    if (x instanceof Map<?, ?> m) {
      sb.append('{');
      return new Frame(parent, m.entrySet().iterator(), '}', true);
    }
    if (x instanceof Set<?> s) {
      sb.append("#{");
      return new Frame(parent, s.iterator(), '}', false);
    }
    Iterator<?> it;
    if (x instanceof Collection<?> c) {
      it = c.iterator();
    } else if (x instanceof Map.Entry<?, ?> e) {
      it = Arrays.asList(e.getKey(), e.getValue()).iterator();
    } else if (x instanceof Object[] a) {
      it = Arrays.asList(a).iterator();
    } else if (x instanceof long[] a) {
      it = Arrays.stream(a).iterator();
    } else if (x instanceof int[] a) {
      it = Arrays.stream(a).iterator();
    } else {
      it = Arrays.stream((double[]) x).iterator();
    }
    boolean list = x instanceof EdnList;
    sb.append(list ? '(' : '[');
    return new Frame(parent, it, list ? ')' : ']', false);
  }

  private static void printDouble(double d, StringBuilder sb) {
    if (Double.isNaN(d)) {
      sb.append("##NaN");
    } else if (d == Double.POSITIVE_INFINITY) {
      sb.append("##Inf");
    } else if (d == Double.NEGATIVE_INFINITY) {
      sb.append("##-Inf");
    } else {
      sb.append(d);
    }
  }

  private static void printString(String s, StringBuilder sb) {
    sb.append('"');
    int start = 0;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= ' ' && c != '"' && c != '\\') {
        continue;
      }
      sb.append(s, start, i);
      start = i + 1;
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\t':
          sb.append("\\t");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\b':
          sb.append("\\b");
          break;
        case '\f':
          sb.append("\\f");
          break;
        default:
          unicodeEscape(c, sb);
          break;
      }
    }
    sb.append(s, start, n).append('"');
  }

  private static void printCharacter(char c, StringBuilder sb) {
    switch (c) {
      case '\n':
        sb.append("\\newline");
        return;
      case ' ':
        sb.append("\\space");
        return;
      case '\t':
        sb.append("\\tab");
        return;
      case '\r':
        sb.append("\\return");
        return;
      case '\b':
        sb.append("\\backspace");
        return;
      case '\f':
        sb.append("\\formfeed");
        return;
      default:
        if (Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSurrogate(c)) {
          unicodeEscape(c, sb);
        } else {
          sb.append('\\').append(c);
        }
    }
  }

  /** Appends {@code \}{@code uXXXX}. */
  private static void unicodeEscape(char c, StringBuilder sb) {
    sb.append("\\u");
    for (int shift = 12; shift >= 0; shift -= 4) {
      sb.append(HEX[(c >> shift) & 0xF]);
    }
  }
}
