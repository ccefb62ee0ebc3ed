package datahike.edn;

import datahike.DatahikeException;
import java.io.Reader;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * Reads EDN text into Java values, as Clojure's {@code clojure.edn/read} does.
 *
 * <table>
 *   <caption>What each form reads as</caption>
 *   <tr><th>EDN</th><th>Java</th></tr>
 *   <tr><td>{@code nil}, {@code true}, {@code false}</td><td>null, {@link Boolean}</td></tr>
 *   <tr><td>{@code "text"}, escapes <code>\t \n \r \b \f \" \\ &#92;uXXXX</code>, octal
 *       <code>\377</code></td><td>{@link String}</td></tr>
 *   <tr><td><code>\c \newline \space \tab \return \backspace \formfeed &#92;uXXXX \o377</code></td>
 *       <td>{@link Character}</td></tr>
 *   <tr><td>{@code 42 -7 0x2A 052 2r101010}</td><td>{@link Long}; {@link java.math.BigInteger}
 *       with suffix {@code N} or when it does not fit a long</td></tr>
 *   <tr><td>{@code 1.5 1e3 ##Inf ##-Inf ##NaN}</td><td>{@link Double}; {@link
 *       java.math.BigDecimal} with suffix {@code M}</td></tr>
 *   <tr><td>{@code 1/3}</td><td>{@link java.math.BigDecimal} (see below)</td></tr>
 *   <tr><td>{@code :kw :ns/kw}</td><td>{@link Keyword}</td></tr>
 *   <tr><td>{@code sym ns/sym ?e $ / ...}</td><td>{@link Symbol}</td></tr>
 *   <tr><td>{@code (a b)}</td><td>{@link EdnList}, an immutable {@link List}</td></tr>
 *   <tr><td>{@code [a b]}</td><td>an immutable {@link List}, equal to a list with the same
 *       elements</td></tr>
 *   <tr><td>{@code {k v}}, {@code #:ns{k v}}</td><td>an immutable {@link Map} in reading order
 *       </td></tr>
 *   <tr><td>{@code #{a b}}</td><td>an immutable {@link java.util.Set} in reading order</td></tr>
 *   <tr><td>{@code #inst "2020-01-01T00:00:00Z"}</td><td>{@link java.util.Date}</td></tr>
 *   <tr><td>{@code #uuid "..."}</td><td>{@link UUID}</td></tr>
 *   <tr><td>{@code #bytes "base64"}</td><td>{@code byte[]}</td></tr>
 *   <tr><td>{@code #tag value}</td><td>the tag reader's result, else {@link Tagged}</td></tr>
 * </table>
 *
 * <p>Comments ({@code ;} to end of line), commas (whitespace), discards ({@code #_ form}, which
 * stack: {@code #_ #_ a b} drops both) and metadata ({@code ^:private x}, {@code ^{:a 1} x}) are
 * read and dropped. A map or set with a duplicate key or element is an error.
 *
 * <p>Decisions where EDN leaves room or Datahike has no counterpart:
 *
 * <ul>
 *   <li>A ratio {@code 1/3} reads as the {@link java.math.BigDecimal} quotient rounded to {@link
 *       MathContext#DECIMAL128}: Datahike has no ratio value type, and the printer never writes
 *       ratios. {@code 1/0} is an error.
 *   <li>Hexadecimal {@code 0x1F}, octal {@code 017} and radix {@code 36rZZ} integers read as in
 *       Clojure.
 *   <li>{@code #bytes "..."} (standard Base64 with padding) is built in, since Datahike's bytes
 *       value type has no EDN form; the printer writes byte arrays that way.
 *   <li>{@code #inst} follows RFC 3339 as {@code clojure.instant} does, but in the proleptic
 *       Gregorian calendar (Clojure switches to the Julian one before 1582-10-15); {@code #uuid}
 *       needs the canonical 8-4-4-4-12 hex form.
 *   <li>A tag reader given to the constructor overrides the built-in one of the same tag; a tag
 *       with no reader gives a {@link Tagged}.
 * </ul>
 *
 * <p>Malformed input throws a {@link DatahikeException} with code {@code :edn/parse} whose message
 * ends "at line L, column C" (both counted from 1, columns in UTF-16 chars) and whose data holds
 * {@code :line} and {@code :column} as Longs. An {@link java.io.IOException} from the underlying
 * reader becomes code {@code :edn/io}. A tag reader's DatahikeException passes through unchanged;
 * its other runtime exceptions become {@code :edn/parse} errors at the tag, with the cause
 * attached.
 *
 * <p>How: {@link EdnLexer} reads chars, tokens and literals from a char array with an index; this
 * class classifies tokens by their first character and builds the forms. Nesting lives on an
 * explicit stack of frames (open collections, and prefixes such as a tag waiting for its form), not
 * on the Java stack, so that deeply nested input cannot overflow it. An instance is not
 * thread-safe.
 */
public final class EdnReader {
  /** What {@link #next()} returns at the end of the input. */
  public static final Object EOF =
      new Object() {
        @Override
        public String toString() {
          return "#<EOF>";
        }
      };

  /** An internal marker: no value completed yet. */
  private static final Object NONE = new Object();

  private static final int LIST = 0;
  private static final int VECTOR = 1;
  private static final int MAP = 2;
  private static final int SET = 3;
  private static final int TAG = 4;
  private static final int DISCARD = 5;
  private static final int META = 6;

  /** One open construct: a collection being filled, or a prefix waiting for its form. */
  private static final class Frame {
    final Frame parent;
    final int kind;
    final int line;
    final int column;

    /** The closing delimiter of a collection; 0 for prefixes. */
    final char close;

    /** The tag of a TAG frame, the namespace of a namespaced MAP frame, else null. */
    final String name;

    ArrayList<Object> items;
    LinkedHashMap<Object, Object> map;
    LinkedHashSet<Object> set;
    Object key;
    boolean hasKey;
    boolean metaRead;

    Frame(Frame parent, int kind, int line, int column, char close, String name) {
      this.parent = parent;
      this.kind = kind;
      this.line = line;
      this.column = column;
      this.close = close;
      this.name = name;
    }
  }

  private final EdnLexer lex;
  private final Map<String, Function<Object, Object>> tagReaders;

  /** Position of the first char of the form being read. */
  private int formLine;

  private int formColumn;
  private Frame top;

  /**
   * A reader of the forms in {@code in}, one per {@link #next()} call.
   *
   * @param in the EDN text; not closed by this reader
   * @param tagReaders functions by tag name without {@code #} (e.g. {@code "datahike/Datom"}), each
   *     turning the form after the tag into a value; null means none
   */
  public EdnReader(Reader in, Map<String, Function<Object, Object>> tagReaders) {
    this.lex = new EdnLexer(Objects.requireNonNull(in, "in"));
    this.tagReaders = tagReaders == null ? Map.of() : tagReaders;
  }

  private EdnReader(String text, Map<String, Function<Object, Object>> tagReaders) {
    this.lex = new EdnLexer(Objects.requireNonNull(text, "text"));
    this.tagReaders = tagReaders == null ? Map.of() : tagReaders;
  }

  /**
   * The one form in {@code text}; whitespace, comments and discarded forms may follow it.
   *
   * @throws DatahikeException {@code :edn/parse} when the text is malformed, empty, or holds more
   *     than one form
   */
  public static Object read(String text) {
    return read(text, null);
  }

  /**
   * The one form in {@code text}, read with {@code tagReaders} (see {@link #EdnReader(Reader,
   * Map)}).
   *
   * @throws DatahikeException {@code :edn/parse} when the text is malformed, empty, or holds more
   *     than one form
   */
  public static Object read(String text, Map<String, Function<Object, Object>> tagReaders) {
    EdnReader r = new EdnReader(text, tagReaders);
    Object value = r.next();
    if (value == EOF) {
      throw error("Expected a form, found the end of the input", r.lex.line(), r.lex.column());
    }
    if (r.lex.skipWhitespace() >= 0) {
      int l = r.lex.line();
      int c = r.lex.column();
      if (r.next() != EOF) {
        throw error("Expected one form, found another", l, c);
      }
    }
    return value;
  }

  /**
   * All forms in {@code text}, in order (empty for blank text).
   *
   * @throws DatahikeException {@code :edn/parse} when the text is malformed
   */
  public static List<Object> readAll(String text) {
    return readAll(text, null);
  }

  /**
   * All forms in {@code text}, read with {@code tagReaders}.
   *
   * @throws DatahikeException {@code :edn/parse} when the text is malformed
   */
  public static List<Object> readAll(
      String text, Map<String, Function<Object, Object>> tagReaders) {
    EdnReader r = new EdnReader(text, tagReaders);
    ArrayList<Object> forms = new ArrayList<>();
    for (Object v = r.next(); v != EOF; v = r.next()) {
      forms.add(v);
    }
    return new EdnVector(forms.toArray());
  }

  /**
   * The next form, or {@link #EOF} when only whitespace, comments and discarded forms remain. After
   * an exception, further calls give undefined results.
   *
   * @throws DatahikeException {@code :edn/parse} when the input is malformed
   */
  public Object next() {
    for (; ; ) {
      int c = lex.skipWhitespace();
      formLine = lex.line();
      formColumn = lex.column();
      if (c < 0) {
        if (top == null) {
          return EOF;
        }
        throw unterminated(top);
      }
      lex.skip();
      Object value;
      switch (c) {
        case '(':
          push(LIST, ')', null).items = new ArrayList<>();
          continue;
        case '[':
          push(VECTOR, ']', null).items = new ArrayList<>();
          continue;
        case '{':
          push(MAP, '}', null).map = new LinkedHashMap<>();
          continue;
        case ')':
        case ']':
        case '}':
          value = close((char) c);
          break;
        case '"':
          value = lex.readString(formLine, formColumn);
          break;
        case '\\':
          value = lex.readCharacter(formLine, formColumn);
          break;
        case ':':
          value = readKeyword();
          break;
        case '^':
          push(META, (char) 0, null);
          continue;
        case '#':
          value = dispatch();
          if (value == NONE) {
            continue;
          }
          break;
        default:
          value = readAtom((char) c);
          break;
      }
      value = deliver(value);
      if (value != NONE) {
        return value;
      }
    }
  }

  /** Hands a completed form to the innermost frame; the form itself if there is none. */
  private Object deliver(Object value) {
    for (; ; ) {
      Frame f = top;
      if (f == null) {
        return value;
      }
      switch (f.kind) {
        case TAG:
          top = f.parent;
          value = applyTag(f, value);
          continue;
        case DISCARD:
          top = f.parent;
          return NONE;
        case META:
          if (!f.metaRead) {
            if (!(value instanceof Keyword
                || value instanceof Symbol
                || value instanceof String
                || value instanceof Map)) {
              throw error("Metadata must be a symbol, keyword, string or map", f.line, f.column);
            }
            f.metaRead = true;
            return NONE;
          }
          top = f.parent;
          continue;
        case SET:
          if (!f.set.add(value)) {
            throw error("Duplicate set element: " + abbreviate(value), formLine, formColumn);
          }
          return NONE;
        case MAP:
          if (f.hasKey) {
            f.map.put(f.key, value);
            f.key = null;
            f.hasKey = false;
          } else {
            if (f.map.containsKey(value)) {
              throw error("Duplicate key: " + abbreviate(value), formLine, formColumn);
            }
            f.key = value;
            f.hasKey = true;
          }
          return NONE;
        default:
          f.items.add(value);
          return NONE;
      }
    }
  }

  private Frame push(int kind, char close, String name) {
    Frame f = new Frame(top, kind, formLine, formColumn, close, name);
    top = f;
    return f;
  }

  /** Closes the innermost collection with delimiter {@code c} and returns its value. */
  private Object close(char c) {
    Frame f = top;
    if (f == null || f.close != c) {
      String why =
          f == null || f.close == 0 ? "" : " (the " + describe(f) + " needs '" + f.close + "')";
      throw error("Unmatched delimiter '" + c + "'" + why, formLine, formColumn);
    }
    top = f.parent;
    switch (f.kind) {
      case LIST:
        return new EdnList(f.items.toArray());
      case VECTOR:
        return new EdnVector(f.items.toArray());
      case SET:
        return Collections.unmodifiableSet(f.set);
      default:
        if (f.hasKey) {
          throw error(
              "A map needs an even number of forms: the "
                  + describe(f)
                  + " has a key without a value",
              formLine,
              formColumn);
        }
        return Collections.unmodifiableMap(f.name == null ? f.map : qualify(f));
    }
  }

  /** The keys of namespaced map {@code #:ns{...}}: {@code :k} becomes {@code :ns/k}. */
  private LinkedHashMap<Object, Object> qualify(Frame f) {
    LinkedHashMap<Object, Object> m = new LinkedHashMap<>();
    for (Map.Entry<Object, Object> e : f.map.entrySet()) {
      Object k = e.getKey();
      if (k instanceof Keyword kw) {
        if (kw.namespace() == null) {
          k = Keyword.of(f.name, kw.name());
        } else if (kw.namespace().equals("_")) {
          k = Keyword.of(bareName(kw.name(), k));
        }
      } else if (k instanceof Symbol s) {
        if (s.namespace() == null) {
          k = Symbol.of(f.name + "/" + s.name());
        } else if (s.namespace().equals("_")) {
          String name = bareName(s.name(), k);
          if (!symbolStart(name)) {
            throw error("Invalid key in a namespaced map: " + abbreviate(k), formLine, formColumn);
          }
          k = Symbol.of(name);
        }
      }
      if (m.containsKey(k)) {
        throw error("Duplicate key: " + abbreviate(k), formLine, formColumn);
      }
      m.put(k, e.getValue());
    }
    return m;
  }

  /**
   * The name a {@code _/name} key of a namespaced map stands for: it must stand alone (no '/'
   * in it unless it is "/"), or it could not be printed and read back as the same key.
   */
  private String bareName(String name, Object key) {
    if (name.indexOf('/') >= 0 && !name.equals("/")) {
      throw error("Invalid key in a namespaced map: " + abbreviate(key), formLine, formColumn);
    }
    return name;
  }

  /** True when {@code ns} can begin a symbol: not a digit or '#', nor a sign or dot then a digit. */
  private static boolean symbolStart(String ns) {
    char c = ns.charAt(0);
    if (Character.isDigit(c) || c == '#') return false;
    return !((c == '+' || c == '-' || c == '.') && ns.length() > 1 && Character.isDigit(ns.charAt(1)));
  }

  /** After {@code #}: a set, discard, symbolic value, namespaced map, metadata or tag. */
  private Object dispatch() {
    int next = lex.peek();
    if (next < 0) {
      throw error("End of input after '#'", formLine, formColumn);
    }
    char c = (char) next;
    switch (c) {
      case '{':
        lex.skip();
        push(SET, '}', null).set = new LinkedHashSet<>();
        return NONE;
      case '_':
        lex.skip();
        push(DISCARD, (char) 0, null);
        return NONE;
      case '"':
        lex.skip();
        return regex();
      case '^':
        lex.skip();
        push(META, (char) 0, null);
        return NONE;
      case '#':
        {
          lex.skip();
          String t = lex.token(false);
          switch (t) {
            case "Inf":
              return Double.POSITIVE_INFINITY;
            case "-Inf":
              return Double.NEGATIVE_INFINITY;
            case "NaN":
              return Double.NaN;
            default:
              throw error("Invalid symbolic value: ##" + t, formLine, formColumn);
          }
        }
      case ':':
        {
          lex.skip();
          String ns = lex.token(false);
          if (ns.isEmpty() || ns.charAt(0) == ':' || ns.indexOf('/') >= 0 || !validName(ns)
              || !symbolStart(ns)) {
            throw error("Invalid namespaced map prefix: #:" + ns, formLine, formColumn);
          }
          if (lex.skipWhitespace() != '{') {
            throw error("A namespaced map needs a map after #:" + ns, formLine, formColumn);
          }
          lex.skip();
          push(MAP, '}', ns).map = new LinkedHashMap<>();
          return NONE;
        }
      default:
        if (Character.isLetter(c)) {
          String tag = lex.token(false);
          if (!validName(tag)) {
            throw error("Invalid tag: #" + tag, formLine, formColumn);
          }
          push(TAG, (char) 0, tag);
          return NONE;
        }
        throw error("No dispatch macro for '#" + c + "'", formLine, formColumn);
    }
  }

  /**
   * A Clojure regex literal {@code #"..."} (not EDN, but how Datalog queries written for Datahike
   * spell patterns): the text up to the closing quote, backslashes kept, compiled to a {@link
   * java.util.regex.Pattern}.
   */
  private Object regex() {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int c = lex.peek();
      if (c < 0) throw error("Unclosed regex literal: unexpected end of input", formLine, formColumn);
      lex.skip();
      if (c == '"') break;
      sb.append((char) c);
      if (c == '\\') {
        int n = lex.peek();
        if (n < 0) throw error("Unclosed regex literal: unexpected end of input", formLine, formColumn);
        lex.skip();
        sb.append((char) n);
      }
    }
    try {
      return java.util.regex.Pattern.compile(sb.toString());
    } catch (java.util.regex.PatternSyntaxException e) {
      throw error("Invalid regex #\"" + sb + "\": " + e.getDescription(), formLine, formColumn);
    }
  }

  private Object applyTag(Frame f, Object value) {
    Function<Object, Object> reader = tagReaders.get(f.name);
    try {
      if (reader != null) {
        return reader.apply(value);
      }
      switch (f.name) {
        case "inst":
          return EdnInstants.parse(tagString(f, value));
        case "uuid":
          return uuid(tagString(f, value));
        case "bytes":
          return Base64.getDecoder().decode(tagString(f, value));
        default:
          return new Tagged(f.name, value);
      }
    } catch (DatahikeException e) {
      throw e;
    } catch (RuntimeException e) {
      String problem = "Invalid #" + f.name + " " + abbreviate(value) + ": " + e.getMessage();
      throw DatahikeException.of(
          "edn/parse",
          problem + at(f.line, f.column),
          "line",
          (long) f.line,
          "column",
          (long) f.column,
          "tag",
          f.name,
          e);
    }
  }

  private String tagString(Frame f, Object value) {
    if (value instanceof String s) {
      return s;
    }
    throw error("#" + f.name + " needs a string, got " + abbreviate(value), f.line, f.column);
  }

  /** The UUID in canonical form {@code xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}. */
  private static UUID uuid(String s) {
    if (s.length() != 36) {
      throw new IllegalArgumentException("expected 36 characters");
    }
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (i == 8 || i == 13 || i == 18 || i == 23 ? c != '-' : !hex) {
        throw new IllegalArgumentException(
            "expected the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
      }
    }
    return UUID.fromString(s);
  }

  /** A symbol, number, {@code nil}, {@code true} or {@code false} starting with {@code first}. */
  private Object readAtom(char first) {
    String t = lex.token(true);
    if (isDigit(first)
        || ((first == '+' || first == '-') && t.length() > 1 && isDigit(t.charAt(1)))) {
      try {
        return EdnNumbers.parse(t);
      } catch (NumberFormatException e) {
        throw error(e.getMessage(), formLine, formColumn);
      }
    }
    switch (t) {
      case "nil":
        return null;
      case "true":
        return Boolean.TRUE;
      case "false":
        return Boolean.FALSE;
      default:
        if (!validName(t)) {
          throw error("Invalid symbol: " + t, formLine, formColumn);
        }
        return Symbol.of(t);
    }
  }

  private Object readKeyword() {
    String t = lex.token(false);
    if (t.isEmpty() || t.charAt(0) == ':' || !validName(t)) {
      throw error("Invalid keyword: :" + t, formLine, formColumn);
    }
    return Keyword.of(t);
  }

  /**
   * Whether {@code t} may name a symbol or keyword (without the colon), following Clojure's {@code
   * symbolPat}: no trailing {@code :}, no {@code ::}, and a slash only between a namespace and a
   * name ({@code /} alone and names like {@code clojure.core//} are fine).
   */
  private static boolean validName(String t) {
    int n = t.length();
    if (n == 0 || t.charAt(n - 1) == ':' || t.contains("::")) {
      return false;
    }
    if (n == 1 || t.indexOf('/') < 0) {
      return true;
    }
    if (t.charAt(0) == '/') {
      return false;
    }
    return t.charAt(n - 1) != '/' || t.charAt(n - 2) == '/';
  }

  private DatahikeException unterminated(Frame f) {
    String what =
        f.kind == TAG
            ? "Tag #" + f.name + " (" + at(f.line, f.column).substring(1) + ") has no form"
            : f.kind == DISCARD
                ? "Discard #_ (" + at(f.line, f.column).substring(1) + ") has no form"
                : f.kind == META
                    ? "Metadata ^ (" + at(f.line, f.column).substring(1) + ") has no form"
                    : "Unclosed " + describe(f);
    return error(what + ": unexpected end of input", lex.line(), lex.column());
  }

  /** E.g. {@code "vector (opened at line 1, column 1)"}. */
  private static String describe(Frame f) {
    String kind =
        f.kind == LIST ? "list" : f.kind == VECTOR ? "vector" : f.kind == SET ? "set" : "map";
    return kind + " (opened" + at(f.line, f.column) + ")";
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String at(int line, int column) {
    return EdnLexer.at(line, column);
  }

  private static DatahikeException error(String message, int line, int column) {
    return EdnLexer.error(message, line, column);
  }

  private static String abbreviate(Object value) {
    String s = EdnPrinter.print(value);
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
