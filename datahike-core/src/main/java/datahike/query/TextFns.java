package datahike.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** String, regex and printing built-ins ({@code str}, {@code re-find}, clojure.string/...). */
final class TextFns {
  private TextFns() {}

  static String string(Object o) {
    if (o instanceof String s) {
      return s;
    }
    throw new TypeMismatch("Expected a string, got " + Forms.print(o));
  }

  static Pattern pattern(Object o) {
    if (o instanceof Pattern p) {
      return p;
    }
    if (o instanceof String s) {
      return Pattern.compile(s);
    }
    throw new TypeMismatch("Expected a regex pattern, got " + Forms.print(o));
  }

  /** {@code o} as a string for regex matching, observing the running query's deadline. */
  private static CharSequence input(Object o) {
    return Deadline.current().guard(string(o));
  }

  /** The match as Clojure returns it: the string, or [match group1 ...] with groups. */
  private static Object groups(Matcher m) {
    if (m.groupCount() == 0) {
      return m.group();
    }
    List<Object> out = new ArrayList<>();
    for (int i = 0; i <= m.groupCount(); i++) {
      out.add(m.group(i));
    }
    return out;
  }

  private static String join(Object[] args, boolean readably) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < args.length; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      Forms.print(args[i], readably, sb);
    }
    return sb.toString();
  }

  static void register() {
    BuiltIns.def(
        "str",
        args -> {
          StringBuilder sb = new StringBuilder();
          for (Object a : args) {
            sb.append(Clj.str(a));
          }
          return sb.toString();
        });
    BuiltIns.def(
        "subs",
        args -> {
          String s = string(args[0]);
          int start = Num.num(args[1]).intValue();
          int end = args.length > 2 ? Num.num(args[2]).intValue() : s.length();
          return s.substring(start, end);
        });
    BuiltIns.def("pr-str", args -> join(args, true));
    BuiltIns.def("prn-str", args -> join(args, true) + "\n");
    BuiltIns.def("print-str", args -> join(args, false));
    BuiltIns.def("println-str", args -> join(args, false) + "\n");
    BuiltIns.def("re-pattern", args -> pattern(args[0]));
    BuiltIns.def(
        "re-find",
        args -> {
          Matcher m = pattern(args[0]).matcher(input(args[1]));
          return m.find() ? groups(m) : null;
        });
    BuiltIns.def(
        "re-matches",
        args -> {
          Matcher m = pattern(args[0]).matcher(input(args[1]));
          return m.matches() ? groups(m) : null;
        });
    BuiltIns.def(
        "re-seq",
        args -> {
          Matcher m = pattern(args[0]).matcher(input(args[1]));
          List<Object> out = new ArrayList<>();
          while (m.find()) {
            out.add(groups(m));
          }
          return out.isEmpty() ? null : out;
        });
    str("blank?", args -> args[0] == null || string(args[0]).isBlank());
    str("includes?", args -> string(args[0]).contains(Clj.str(args[1])));
    str("starts-with?", args -> string(args[0]).startsWith(string(args[1])));
    str("ends-with?", args -> string(args[0]).endsWith(string(args[1])));
    str("lower-case", args -> string(args[0]).toLowerCase(Locale.ROOT));
    str("upper-case", args -> string(args[0]).toUpperCase(Locale.ROOT));
    str(
        "capitalize",
        args -> {
          String s = string(args[0]);
          return s.isEmpty()
              ? s
              : s.substring(0, 1).toUpperCase(Locale.ROOT)
                  + s.substring(1).toLowerCase(Locale.ROOT);
        });
    str("trim", args -> string(args[0]).strip());
    str("triml", args -> string(args[0]).stripLeading());
    str("trimr", args -> string(args[0]).stripTrailing());
    str("reverse", args -> new StringBuilder(string(args[0])).reverse().toString());
    str(
        "join",
        args -> {
          String sep = args.length > 1 ? Clj.str(args[0]) : "";
          Object coll = args.length > 1 ? args[1] : args[0];
          StringBuilder sb = new StringBuilder();
          boolean first = true;
          for (Object o : BuiltIns.seq(coll)) {
            if (!first) {
              sb.append(sep);
            }
            sb.append(Clj.str(o));
            first = false;
          }
          return sb.toString();
        });
    str(
        "split",
        args -> {
          CharSequence s = input(args[0]);
          int limit = args.length > 2 ? Num.num(args[2]).intValue() : 0;
          List<Object> out = new ArrayList<>(List.of(pattern(args[1]).split(s, limit)));
          return out;
        });
    str(
        "replace",
        args -> {
          String s = string(args[0]);
          if (args[1] instanceof Pattern p) {
            return p.matcher(input(s)).replaceAll(string(args[2]));
          }
          return s.replace(Clj.str(args[1]), Clj.str(args[2]));
        });
  }

  private static void str(String name, QueryFn f) {
    BuiltIns.def("clojure.string/" + name, f);
    BuiltIns.def("str/" + name, f);
  }
}
