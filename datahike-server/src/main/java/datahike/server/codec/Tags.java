package datahike.server.codec;

import datahike.DatahikeException;
import datahike.Datom;
import datahike.edn.EdnList;
import datahike.edn.EdnPrinter;
import datahike.edn.EdnReader;
import datahike.edn.Keyword;
import datahike.edn.Tagged;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The tagged values the JSON and Transit codecs share: datoms, sets, lists, maps with any keys, and
 * the fallback {@link Tagged} for tags nobody knows. Keeping them in one place makes the three
 * formats agree on what a tag means.
 */
final class Tags {
  private Tags() {}

  /** Datahike's datom tag, as in EDN {@code #datahike/Datom [e a v tx added]}. */
  static final String DATOM = "datahike/Datom";

  /** A datom as {@code [e a v tx added]}, the attribute as Datahike shows it. */
  static List<Object> datomToList(Datom d) {
    List<Object> l = new ArrayList<>(5);
    l.add(d.e());
    l.add(d.attr());
    l.add(d.v());
    l.add(d.tx());
    l.add(d.added());
    return l;
  }

  /** A datom from {@code [e a v tx? added?]}: tx defaults to tx0, added to true (as in EDN). */
  static Datom datomFromList(Object form) {
    if (!(form instanceof List<?> l) || l.size() < 3 || l.size() > 5) {
      throw bad("A datom is [e a v tx? added?], got " + EdnPrinter.print(form), form);
    }
    if (!(l.get(0) instanceof Number e)) {
      throw bad("A datom's entity id must be a number, got " + EdnPrinter.print(l.get(0)), form);
    }
    Object a = l.get(1);
    int code;
    if (a instanceof Keyword k) {
      code = Datom.attrCode(k);
    } else if (a instanceof Number n) {
      code = (int) n.longValue();
    } else {
      throw bad("A datom's attribute must be a keyword or an id, got " + EdnPrinter.print(a), form);
    }
    long tx = l.size() > 3 ? ((Number) l.get(3)).longValue() : 536870912L;
    boolean added = l.size() <= 4 || Boolean.TRUE.equals(l.get(4));
    return new Datom(e.longValue(), code, l.get(2), tx, added);
  }

  /**
   * The value of a tag known to every format: {@code set}, {@code list}, {@code map} (a list of
   * [key value] pairs), {@code datahike/Datom}; anything else is kept as a {@link Tagged}.
   */
  static Object composite(String tag, Object value) {
    switch (tag) {
      case "set":
        {
          LinkedHashSet<Object> s = new LinkedHashSet<>();
          for (Object o : list(tag, value)) s.add(o);
          return s;
        }
      case "list":
        return EdnList.copyOf(list(tag, value));
      case "map":
        {
          Map<Object, Object> m = new LinkedHashMap<>();
          for (Object pair : list(tag, value)) {
            if (!(pair instanceof List<?> p) || p.size() != 2) {
              throw bad("#map holds [key value] pairs, got " + EdnPrinter.print(pair), value);
            }
            m.put(p.get(0), p.get(1));
          }
          return m;
        }
      case DATOM:
        return datomFromList(value);
      case "regex":
        if (value instanceof String s) return Pattern.compile(s);
        throw bad("#regex holds a string", value);
      default:
        return new Tagged(tag, value);
    }
  }

  private static List<?> list(String tag, Object value) {
    if (value instanceof List<?> l) return l;
    throw bad("#" + tag + " holds an array, got " + EdnPrinter.print(value), value);
  }

  /** An instant from RFC 3339 text, read as EDN's {@code #inst} reads it. */
  static Date instant(String text) {
    if (text.indexOf('"') >= 0 || text.indexOf('\\') >= 0) {
      throw bad("Invalid instant " + text, text);
    }
    Object o = EdnReader.read("#inst \"" + text + "\"");
    return (Date) o;
  }

  /** Standard Base64 with padding, as EDN's {@code #bytes}. */
  static byte[] bytes(String text) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw bad("Invalid base64 bytes: " + e.getMessage(), text);
    }
  }

  static DatahikeException bad(String message, Object form) {
    return DatahikeException.of("codec/invalid", message, "form", form);
  }
}
