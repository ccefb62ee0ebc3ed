package datahike.query;

import datahike.edn.EdnList;
import datahike.edn.Symbol;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.text.SimpleDateFormat;
import java.util.Collection;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;

/** Small helpers over query forms: well-known symbols, quoting, and EDN printing. */
final class Forms {
  private Forms() {}

  static final Symbol BLANK = Symbol.of("_");
  static final Symbol ELLIPSIS = Symbol.of("...");
  static final Symbol DOT = Symbol.of(".");
  static final Symbol DEFAULT_SRC = Symbol.of("$");
  static final Symbol RULES = Symbol.of("%");
  static final Symbol QUOTE = Symbol.of("quote");
  static final Symbol PULL = Symbol.of("pull");
  static final Symbol AGGREGATE = Symbol.of("aggregate");
  static final Symbol NOT = Symbol.of("not");
  static final Symbol NOT_JOIN = Symbol.of("not-join");
  static final Symbol OR = Symbol.of("or");
  static final Symbol OR_JOIN = Symbol.of("or-join");
  static final Symbol AND = Symbol.of("and");

  /** True for a variable symbol ({@code ?x}). */
  static boolean isVar(Object o) {
    return o instanceof Symbol s && s.isVariable();
  }

  /** True for a source symbol ({@code $}, {@code $db}). */
  static boolean isSource(Object o) {
    return o instanceof Symbol s && s.isSource();
  }

  /** {@code (quote x)} gives x; anything else is returned as is. */
  static Object unquote(Object form) {
    if (form instanceof List<?> l && l.size() == 2 && l.get(0) == QUOTE) {
      return l.get(1);
    }
    return form;
  }

  /** Clojure truthiness: everything but nil and false. */
  static boolean truthy(Object o) {
    return o != null && o != Boolean.FALSE && !Boolean.FALSE.equals(o);
  }

  /** {@code #{?a ?b}}, as Clojure prints a set of symbols. */
  static String printSet(Collection<Symbol> vars) {
    StringBuilder sb = new StringBuilder("#{");
    boolean first = true;
    for (Symbol s : vars) {
      if (!first) {
        sb.append(' ');
      }
      sb.append(s);
      first = false;
    }
    return sb.append('}').toString();
  }

  /** The value as {@code pr-str} prints it. */
  static String print(Object o) {
    StringBuilder sb = new StringBuilder();
    print(o, true, sb);
    return sb.toString();
  }

  /** The value as {@code print-str} prints it (strings and characters without quotes). */
  static String display(Object o) {
    StringBuilder sb = new StringBuilder();
    print(o, false, sb);
    return sb.toString();
  }

  /** Prints {@code o} readably (pr) or for humans (print) onto {@code sb}. */
  static void print(Object o, boolean readably, StringBuilder sb) {
    if (o == null) {
      sb.append("nil");
    } else if (o instanceof String s) {
      if (readably) {
        printString(s, sb);
      } else {
        sb.append(s);
      }
    } else if (o instanceof BigInteger b) {
      sb.append(b).append('N');
    } else if (o instanceof BigDecimal b) {
      sb.append(b.toPlainString()).append('M');
    } else if (o instanceof Double d) {
      printDouble(d, sb);
    } else if (o instanceof Float f) {
      printDouble(f.doubleValue(), sb);
    } else if (o instanceof Character c) {
      if (readably) {
        sb.append('\\').append(c);
      } else {
        sb.append(c);
      }
    } else if (o instanceof Date d) {
      SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'-00:00'");
      f.setTimeZone(TimeZone.getTimeZone("UTC"));
      sb.append("#inst \"").append(f.format(d)).append('"');
    } else if (o instanceof UUID u) {
      sb.append("#uuid \"").append(u).append('"');
    } else if (o instanceof java.util.regex.Pattern p) {
      sb.append("#\"").append(p.pattern()).append('"');
    } else if (o instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          sb.append(", ");
        }
        print(e.getKey(), readably, sb);
        sb.append(' ');
        print(e.getValue(), readably, sb);
        first = false;
      }
      sb.append('}');
    } else if (o instanceof Set<?> s) {
      printSeq(s, "#{", "}", readably, sb);
    } else if (o instanceof EdnList l) {
      printSeq(l, "(", ")", readably, sb);
    } else if (o instanceof Collection<?> c) {
      printSeq(c, "[", "]", readably, sb);
    } else if (o instanceof Object[] a) {
      printSeq(List.of(a), "[", "]", readably, sb);
    } else {
      sb.append(o);
    }
  }

  private static void printSeq(
      Collection<?> c, String open, String close, boolean readably, StringBuilder sb) {
    sb.append(open);
    Iterator<?> it = c.iterator();
    while (it.hasNext()) {
      print(it.next(), readably, sb);
      if (it.hasNext()) {
        sb.append(' ');
      }
    }
    sb.append(close);
  }

  private static void printDouble(double d, StringBuilder sb) {
    if (Double.isNaN(d)) {
      sb.append("##NaN");
    } else if (Double.isInfinite(d)) {
      sb.append(d > 0 ? "##Inf" : "##-Inf");
    } else {
      sb.append(d);
    }
  }

  private static void printString(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
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
        default:
          sb.append(c);
      }
    }
    sb.append('"');
  }
}
