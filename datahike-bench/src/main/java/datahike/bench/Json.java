package datahike.bench;

import java.util.Iterator;
import java.util.Map;

/**
 * A minimal JSON writer for the result files: maps with string keys, lists and arrays, strings,
 * numbers, booleans and null; non-finite doubles become null.
 *
 * <p>Hand-written rather than Jackson: the bench only ever writes a few small objects and never
 * reads JSON, and every extra jar on this module's classpath is one more thing loaded and JIT-ed in
 * the JVM being measured. jackson-databind is approved for the server module only (STYLE.md).
 */
final class Json {
  private Json() {}

  /** {@code value} as indented JSON text. */
  static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, 0);
    return sb.append('\n').toString();
  }

  private static void write(StringBuilder sb, Object v, int depth) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      string(sb, s);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      sb.append(Double.isFinite(d) ? Double.toString(d) : "null");
    } else if (v instanceof Number || v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        sb.append("{}");
        return;
      }
      sb.append('{');
      Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        newline(sb, depth + 1);
        string(sb, String.valueOf(e.getKey()));
        sb.append(": ");
        write(sb, e.getValue(), depth + 1);
        if (it.hasNext()) {
          sb.append(',');
        }
      }
      newline(sb, depth);
      sb.append('}');
    } else if (v instanceof Iterable<?> l) {
      list(sb, l.iterator(), depth);
    } else if (v instanceof double[] a) {
      sb.append('[');
      for (int i = 0; i < a.length; i++) {
        sb.append(i > 0 ? ", " : "");
        write(sb, a[i], depth);
      }
      sb.append(']');
    } else if (v instanceof Object[] a) {
      list(sb, java.util.Arrays.asList(a).iterator(), depth);
    } else {
      string(sb, v.toString());
    }
  }

  private static void list(StringBuilder sb, Iterator<?> it, int depth) {
    if (!it.hasNext()) {
      sb.append("[]");
      return;
    }
    sb.append('[');
    while (it.hasNext()) {
      newline(sb, depth + 1);
      write(sb, it.next(), depth + 1);
      if (it.hasNext()) {
        sb.append(',');
      }
    }
    newline(sb, depth);
    sb.append(']');
  }

  private static void newline(StringBuilder sb, int depth) {
    sb.append('\n');
    sb.append("  ".repeat(depth));
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
