package datahike.cli;

import datahike.DatahikeException;
import datahike.Datom;
import datahike.Entity;
import datahike.edn.EdnPrinter;
import datahike.edn.EdnReader;
import datahike.edn.Keyword;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * EDN text as the command line sees it: whether typed input is complete (balanced brackets, closed
 * strings), reading forms with datahike's tags, and printing results for people.
 */
final class EdnText {
  private EdnText() {}

  /** Tag readers: {@code #datahike/Datom [e a v tx added]} (what export writes) becomes a Datom. */
  static final Map<String, Function<Object, Object>> TAGS =
      Map.of("datahike/Datom", EdnText::datom, "datom", EdnText::datom);

  /**
   * True when {@code text} needs more lines: a bracket ({@code ( [ { #{}) or a string is still
   * open. Comments ({@code ;} to end of line) and character literals ({@code \(}) do not count.
   * Extra closing brackets make the text complete: the reader reports them.
   */
  static boolean incomplete(String text) {
    int depth = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"':
          i++;
          while (i < n && text.charAt(i) != '"') {
            if (text.charAt(i) == '\\') i++;
            i++;
          }
          if (i >= n) return true;
          break;
        case ';':
          while (i < n && text.charAt(i) != '\n') i++;
          break;
        case '\\':
          i++; // a character literal: the next char is data, whatever it is
          break;
        case '(':
        case '[':
        case '{':
          depth++;
          break;
        case ')':
        case ']':
        case '}':
          depth--;
          if (depth < 0) return false;
          break;
        default:
          break;
      }
    }
    return depth > 0;
  }

  /** The one form in {@code text}; {@code what} names it in the error message. */
  static Object read(String text, String what) {
    try {
      return EdnReader.read(text, TAGS);
    } catch (DatahikeException e) {
      throw rename(e, what);
    }
  }

  /** All forms in {@code text}, in order. */
  static List<Object> readAll(String text) {
    EdnReader r = new EdnReader(new StringReader(text), TAGS);
    List<Object> out = new ArrayList<>();
    for (Object o = r.next(); o != EdnReader.EOF; o = r.next()) out.add(o);
    return out;
  }

  /** {@code e} with {@code what: } before its message, same code and data. */
  static DatahikeException rename(DatahikeException e, String what) {
    if (what == null) return e;
    return new DatahikeException(e.code(), what + ": " + e.getMessage(), e.data(), e);
  }

  /** Entities become their touched maps, so that EDN and JSON show their attributes. */
  static Object plain(Object o) {
    if (o instanceof Entity e) return e.touch();
    if (o instanceof Collection<?> c) {
      boolean any = false;
      for (Object x : c) any |= x instanceof Entity;
      if (!any) return o;
      List<Object> out = new ArrayList<>();
      for (Object x : c) out.add(plain(x));
      return out;
    }
    return o;
  }

  /** One line of EDN. */
  static String print(Object o) {
    return EdnPrinter.print(plain(o));
  }

  /**
   * EDN for a person: one line when it fits in {@code width}, else a map or collection with one
   * entry per line (nested values stay on their line).
   */
  static String pretty(Object o, int width) {
    Object p = plain(o);
    String flat = EdnPrinter.print(p);
    if (flat.length() <= width) return flat;
    if (p instanceof Map<?, ?> m && !m.isEmpty()) {
      StringBuilder sb = new StringBuilder("{");
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) sb.append('\n').append(' ');
        first = false;
        sb.append(EdnPrinter.print(e.getKey())).append(' ').append(print(e.getValue()));
      }
      return sb.append('}').toString();
    }
    if (p instanceof List<?> l && !l.isEmpty() && !(p instanceof datahike.edn.EdnList)) {
      StringBuilder sb = new StringBuilder("[");
      boolean first = true;
      for (Object x : l) {
        if (!first) sb.append('\n').append(' ');
        first = false;
        sb.append(print(x));
      }
      return sb.append(']').toString();
    }
    return flat;
  }

  /** {@code #datahike/Datom [e a v tx? added?]}: tx defaults to 0 (the caller assigns one). */
  private static Object datom(Object form) {
    if (!(form instanceof List<?> l)
        || l.size() < 3
        || l.size() > 5
        || !(l.get(0) instanceof Number e)
        || !(l.get(1) instanceof Keyword || l.get(1) instanceof Number)) {
      throw DatahikeException.of(
          "edn/datom",
          "A datom literal is [e a v tx? added?], got " + EdnPrinter.print(form),
          "form",
          form);
    }
    Object a = l.get(1);
    int code = a instanceof Keyword k ? Datom.attrCode(k) : ((Number) a).intValue();
    long tx = l.size() > 3 && l.get(3) instanceof Number t ? t.longValue() : 0;
    boolean added = l.size() <= 4 || !Boolean.FALSE.equals(l.get(4));
    return new Datom(e.longValue(), code, l.get(2), tx, added);
  }
}
