package datahike.edn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import datahike.DatahikeException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tables of EDN text and the value it reads as, one table per production. */
class EdnReaderTest {

  static Stream<Arguments> literals() {
    return Stream.of(
        arguments("nil", null),
        arguments("true", true),
        arguments("false", false),
        arguments("  nil  ", null),
        arguments("true;comment", true));
  }

  static Stream<Arguments> strings() {
    return Stream.of(
        arguments("\"\"", ""),
        arguments("\"abc\"", "abc"),
        arguments("\"a\\tb\"", "a\tb"),
        arguments("\"a\\nb\"", "a\nb"),
        arguments("\"a\\rb\"", "a\rb"),
        arguments("\"a\\\"b\"", "a\"b"),
        arguments("\"a\\\\b\"", "a\\b"),
        arguments("\"\\b\\f\"", "\b\f"),
        arguments("\"\\u0041\\u00e9\\u00E9\"", "A\u00e9\u00e9"),
        arguments("\"\\uD83D\\uDE00\"", "\uD83D\uDE00"),
        arguments("\"\\0\"", "\0"),
        arguments("\"\\101\"", "A"),
        arguments("\"\\377\"", "\u00ff"),
        arguments("\"\\1234\"", "S4"),
        arguments("\"\\18\"", "\u00018"),
        arguments("\"line1\nline2\"", "line1\nline2"),
        arguments("\"\u00e9\u4e2d\uD83D\uDE00\"", "\u00e9\u4e2d\uD83D\uDE00"),
        arguments("\"; not a comment\"", "; not a comment"),
        arguments("\"a,b\"", "a,b"));
  }

  static Stream<Arguments> characters() {
    return Stream.of(
        arguments("\\a", 'a'),
        arguments("\\Z", 'Z'),
        arguments("\\1", '1'),
        arguments("\\newline", '\n'),
        arguments("\\space", ' '),
        arguments("\\tab", '\t'),
        arguments("\\return", '\r'),
        arguments("\\backspace", '\b'),
        arguments("\\formfeed", '\f'),
        arguments("\\u0041", 'A'),
        arguments("\\u00e9", '\u00e9'),
        arguments("\\uD800", '\uD800'),
        arguments("\\o101", 'A'),
        arguments("\\o7", '\7'),
        arguments("\\u", 'u'),
        arguments("\\o", 'o'),
        arguments("\\n", 'n'),
        arguments("\\\\", '\\'),
        arguments("\\\"", '"'),
        arguments("\\(", '('),
        arguments("\\,", ','),
        arguments("\\;", ';'),
        arguments("\\\u00e9", '\u00e9'),
        arguments("[\\a \\b]", List.of('a', 'b')),
        arguments("(\\))", List.of(')')),
        arguments("[\\a\\b]", List.of('a', 'b')));
  }

  static Stream<Arguments> integers() {
    return Stream.of(
        arguments("0", 0L),
        arguments("42", 42L),
        arguments("-7", -7L),
        arguments("+7", 7L),
        arguments("-0", 0L),
        arguments("123456789012345678", 123456789012345678L),
        arguments("1234567890123456789", 1234567890123456789L),
        arguments("9223372036854775807", Long.MAX_VALUE),
        arguments("-9223372036854775808", Long.MIN_VALUE),
        arguments("9223372036854775808", new BigInteger("9223372036854775808")),
        arguments("-9223372036854775809", new BigInteger("-9223372036854775809")),
        arguments("42N", BigInteger.valueOf(42)),
        arguments("-42N", BigInteger.valueOf(-42)),
        arguments("0N", BigInteger.ZERO),
        arguments("0x1F", 31L),
        arguments("0XFF", 255L),
        arguments("-0x10", -16L),
        arguments("0x1fN", BigInteger.valueOf(31)),
        arguments("0xFFFFFFFFFFFFFFFF", new BigInteger("FFFFFFFFFFFFFFFF", 16)),
        arguments("017", 15L),
        arguments("-017", -15L),
        arguments("00", 0L),
        arguments("017N", BigInteger.valueOf(15)),
        arguments("2r1010", 10L),
        arguments("36rZZ", 1295L),
        arguments("-16rFF", -255L),
        arguments("8R17", 15L));
  }

  static Stream<Arguments> floats() {
    return Stream.of(
        arguments("1.0", 1.0),
        arguments("1.", 1.0),
        arguments("-1.5", -1.5),
        arguments("+1.5", 1.5),
        arguments("1e3", 1000.0),
        arguments("1E3", 1000.0),
        arguments("1.5e-3", 0.0015),
        arguments("1e+3", 1000.0),
        arguments("1.e2", 100.0),
        arguments("01.5", 1.5),
        arguments("0.0", 0.0),
        arguments("-0.0", -0.0),
        arguments("1.7976931348623157E308", Double.MAX_VALUE),
        arguments("4.9E-324", Double.MIN_VALUE),
        arguments("##Inf", Double.POSITIVE_INFINITY),
        arguments("##-Inf", Double.NEGATIVE_INFINITY),
        arguments("##NaN", Double.NaN),
        arguments("1.5M", new BigDecimal("1.5")),
        arguments("1M", new BigDecimal("1")),
        arguments("-2.50M", new BigDecimal("-2.50")),
        arguments("1e3M", new BigDecimal("1e3")),
        arguments("1E+3M", new BigDecimal("1E+3")),
        arguments("1.M", new BigDecimal("1")));
  }

  static Stream<Arguments> ratios() {
    MathContext mc = MathContext.DECIMAL128;
    return Stream.of(
        arguments("1/2", new BigDecimal("0.5")),
        arguments("-3/4", new BigDecimal("-0.75")),
        arguments("+3/4", new BigDecimal("0.75")),
        arguments("1/3", BigDecimal.ONE.divide(BigDecimal.valueOf(3), mc)),
        arguments("-2/3", BigDecimal.valueOf(-2).divide(BigDecimal.valueOf(3), mc)),
        arguments("4/2", new BigDecimal("2")),
        arguments("0/5", new BigDecimal("0")),
        arguments(
            "100000000000000000000/3",
            new BigDecimal("100000000000000000000").divide(BigDecimal.valueOf(3), mc)));
  }

  static Stream<Arguments> keywords() {
    return Stream.of(
        arguments(":a", Keyword.of("a")),
        arguments(":db/ident", Keyword.of("db", "ident")),
        arguments(":db.type/string", Keyword.of("db.type/string")),
        arguments(":a.b.c/d-e?", Keyword.of("a.b.c/d-e?")),
        arguments(":person/_friend", Keyword.of("person/_friend")),
        arguments(":_friend", Keyword.of("_friend")),
        arguments(":a:b", Keyword.of("a:b")),
        arguments(":/", Keyword.of("/")),
        arguments(":+", Keyword.of("+")),
        arguments(":1", Keyword.of("1")),
        arguments(":a#", Keyword.of("a#")),
        arguments(":\u00e9t\u00e9", Keyword.of("\u00e9t\u00e9")),
        arguments("[:a:b]", List.of(Keyword.of("a:b"))),
        arguments("[:a]", List.of(Keyword.of("a"))));
  }

  static Stream<Arguments> symbols() {
    return Stream.of(
            "a",
            "?e",
            "?name-1",
            "$",
            "$db",
            "$1",
            "...",
            "_",
            ".",
            "+",
            "-",
            "->",
            "->>",
            "*",
            "!",
            "<=",
            "not=",
            "/",
            "clojure.string/blank?",
            "clojure.core//",
            "a.b",
            "a#",
            "a'b",
            "'a",
            "-a",
            "+a",
            "-.5",
            ".5",
            "nil?",
            "truex",
            "falsey",
            "%",
            "%1",
            "&",
            "a:b",
            "\u00e9t\u00e9")
        .map(s -> arguments(s, Symbol.of(s)));
  }

  static Stream<Arguments> collections() {
    Keyword a = Keyword.of("a");
    Keyword b = Keyword.of("b");
    Map<Object, Object> nested = new LinkedHashMap<>();
    nested.put(List.of(1L, 2L), Set.of(3L));
    nested.put(null, null);
    return Stream.of(
        arguments("()", List.of()),
        arguments("(1 2)", List.of(1L, 2L)),
        arguments("[]", List.of()),
        arguments("[1 [2 (3)] \"x\"]", List.of(1L, List.of(2L, List.of(3L)), "x")),
        arguments("[nil nil]", Arrays.asList(null, null)),
        arguments("{}", Map.of()),
        arguments("{:a 1 :b 2}", Map.of(a, 1L, b, 2L)),
        arguments("{:a 1, :b 2,}", Map.of(a, 1L, b, 2L)),
        arguments("{[1 2] #{3} nil nil}", nested),
        arguments("#{}", Set.of()),
        arguments("#{1 2 [3]}", Set.of(1L, 2L, List.of(3L))),
        arguments("#{nil}", new LinkedHashSet<>(Arrays.asList((Object) null))),
        arguments("{1 1 1.0 2 1N 3}", mapOf(1L, 1L, 1.0, 2L, BigInteger.ONE, 3L)),
        arguments("[[[[]]]]", List.of(List.of(List.of(List.of())))),
        arguments("{:a {:b {:a 1}}}", Map.of(a, Map.of(b, Map.of(a, 1L)))),
        arguments("[1,2,,3]", List.of(1L, 2L, 3L)),
        arguments("[1\t2\r\n3\f4\u000b5\u20036]", List.of(1L, 2L, 3L, 4L, 5L, 6L)),
        arguments("[a(b)c]", List.of(Symbol.of("a"), List.of(Symbol.of("b")), Symbol.of("c"))),
        arguments("[\"a\"\"b\"]", List.of("a", "b")),
        arguments("[:a\"b\"]", List.of(a, "b")));
  }

  static Stream<Arguments> commentsAndDiscards() {
    return Stream.of(
        arguments(";c\n1", 1L),
        arguments("1 ; c", 1L),
        arguments("[1 ;c\n 2]", List.of(1L, 2L)),
        arguments("[1 ;c]\n 2]", List.of(1L, 2L)),
        arguments("[1 #_2 3]", List.of(1L, 3L)),
        arguments("[1 #_ 2 3]", List.of(1L, 3L)),
        arguments("[#_ #_ 1 2 3]", List.of(3L)),
        arguments("#_ #_ 1 2 3", 3L),
        arguments("#_1 2", 2L),
        arguments("[#_[1 2] 3]", List.of(3L)),
        arguments("[1 #_ ;c\n 2 3]", List.of(1L, 3L)),
        arguments("{:a #_ :b 1}", Map.of(Keyword.of("a"), 1L)),
        arguments("[#_ #_ #_ 1 2 3]", List.of()),
        arguments("[#_ #x 1 2]", List.of(2L)),
        arguments("[1 #_(nested #_x [y])]", List.of(1L)),
        arguments("#{1 #_1}", Set.of(1L)));
  }

  static Stream<Arguments> tags() {
    Map<Object, Object> point = new LinkedHashMap<>();
    point.put(Keyword.of("x"), 1L);
    return Stream.of(
        arguments("#my/point [1 2]", new Tagged("my/point", List.of(1L, 2L))),
        arguments("#foo nil", new Tagged("foo", null)),
        arguments("#foo #bar 1", new Tagged("foo", new Tagged("bar", 1L))),
        arguments("#foo{:x 1}", new Tagged("foo", point)),
        arguments("#foo\"s\"", new Tagged("foo", "s")),
        arguments("[#a 1 #b 2]", List.of(new Tagged("a", 1L), new Tagged("b", 2L))),
        arguments("#a ;c\n #_ 1 2", new Tagged("a", 2L)),
        arguments(
            "#uuid \"f81d4fae-7dec-11d0-a765-00a0c91e6bf6\"",
            UUID.fromString("f81d4fae-7dec-11d0-a765-00a0c91e6bf6")),
        arguments(
            "#uuid \"F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6\"",
            UUID.fromString("f81d4fae-7dec-11d0-a765-00a0c91e6bf6")),
        arguments("#inst \"2020-01-01\"", date("2020-01-01T00:00:00Z")),
        arguments("#inst\"2020-01-01\"", date("2020-01-01T00:00:00Z")),
        arguments("#inst \"2020\"", date("2020-01-01T00:00:00Z")),
        arguments("#inst \"2020-02\"", date("2020-02-01T00:00:00Z")),
        arguments("#inst \"2020-02-29T13\"", date("2020-02-29T13:00:00Z")),
        arguments("#inst \"2020-01-01T10:20\"", date("2020-01-01T10:20:00Z")),
        arguments("#inst \"2020-01-01T10:20:30Z\"", date("2020-01-01T10:20:30Z")),
        arguments("#inst \"2020-01-01T10:20:30.1Z\"", date("2020-01-01T10:20:30.100Z")),
        arguments("#inst \"2020-01-01T10:20:30.123Z\"", date("2020-01-01T10:20:30.123Z")),
        arguments("#inst \"2020-01-01T10:20:30.123999999Z\"", date("2020-01-01T10:20:30.123Z")),
        arguments("#inst \"2020-01-01T10:20:30.123+01:00\"", date("2020-01-01T09:20:30.123Z")),
        arguments("#inst \"2020-01-01T10:20:30-05:30\"", date("2020-01-01T15:50:30Z")),
        arguments("#inst \"2020-01-01T00:00:00.000-00:00\"", date("2020-01-01T00:00:00Z")),
        arguments("#inst \"2020-01-01Z\"", date("2020-01-01T00:00:00Z")),
        arguments("#inst \"1969-12-31T23:59:59.999Z\"", new Date(-1)),
        arguments("#inst \"2016-12-31T23:59:60Z\"", date("2017-01-01T00:00:00Z")),
        arguments("#inst \"0000-01-01\"", date("0000-01-01T00:00:00Z")),
        arguments("#inst \"9999-12-31T23:59:59.999Z\"", date("9999-12-31T23:59:59.999Z")));
  }

  static Stream<Arguments> metadata() {
    return Stream.of(
        arguments("^:foo x", Symbol.of("x")),
        arguments("^{:a 1} [1]", List.of(1L)),
        arguments("^String s", Symbol.of("s")),
        arguments("^\"doc\" s", Symbol.of("s")),
        arguments("[^:a ^:b x 1]", List.of(Symbol.of("x"), 1L)),
        arguments("#^:foo x", Symbol.of("x")),
        arguments("^:a #_ 1 ^:b 2", 2L),
        arguments("{^:a k ^:b v}", Map.of(Symbol.of("k"), Symbol.of("v"))));
  }

  static Stream<Arguments> namespacedMaps() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(Keyword.of("a/b"), 1L);
    m.put(Keyword.of("c/d"), 2L);
    m.put(Keyword.of("e"), 3L);
    m.put(Symbol.of("a/f"), 4L);
    m.put(Symbol.of("g"), 5L);
    m.put("s", 6L);
    return Stream.of(
        arguments(
            "#:person{:name \"a\" :age 1}",
            Map.of(Keyword.of("person/name"), "a", Keyword.of("person/age"), 1L)),
        arguments("#:a{:b 1 :c/d 2 :_/e 3 f 4 _/g 5 \"s\" 6}", m),
        arguments("#:a {:b 1}", Map.of(Keyword.of("a/b"), 1L)),
        arguments("#:a.b{}", Map.of()));
  }

  @ParameterizedTest
  @MethodSource({
    "literals",
    "strings",
    "characters",
    "integers",
    "floats",
    "ratios",
    "keywords",
    "symbols",
    "collections",
    "commentsAndDiscards",
    "tags",
    "metadata",
    "namespacedMaps"
  })
  void read_validText_givesValueOfExpectedClass(String edn, Object expected) {
    Object actual = EdnReader.read(edn);
    assertThat(actual).isEqualTo(expected);
    if (expected != null && !(expected instanceof Collection || expected instanceof Map)) {
      assertThat(actual).isExactlyInstanceOf(expected.getClass());
    }
    assertThat(readTrickling(edn)).as("through a Reader, one char at a time").isEqualTo(expected);
  }

  @Test
  void read_list_isEdnListAndVectorIsNot() {
    assertThat(EdnReader.read("(1 2)")).isInstanceOf(EdnList.class);
    assertThat(EdnReader.read("()")).isInstanceOf(EdnList.class);
    assertThat(EdnReader.read("[1 2]")).isInstanceOf(List.class).isNotInstanceOf(EdnList.class);
    assertThat(EdnReader.read("[1 2]")).isEqualTo(EdnReader.read("(1 2)"));
    assertThat(EdnReader.read("[1 2]").hashCode()).isEqualTo(EdnReader.read("(1 2)").hashCode());
    assertThat(EdnReader.read("[(1) [2]]")).isEqualTo(EdnReader.read("([1] (2))"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void read_collections_areImmutable() {
    List<Object> v = (List<Object>) EdnReader.read("[1 2]");
    List<Object> l = (List<Object>) EdnReader.read("(1 2)");
    Map<Object, Object> m = (Map<Object, Object>) EdnReader.read("{:a 1}");
    Set<Object> s = (Set<Object>) EdnReader.read("#{1}");
    assertThatThrownBy(() -> v.add(3L)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> v.set(0, 3L)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> l.remove(0)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> m.put(2L, 3L)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> m.clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> s.add(2L)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> s.clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  @SuppressWarnings("unchecked")
  void read_mapsAndSets_keepReadingOrder() {
    Map<Object, Object> m = (Map<Object, Object>) EdnReader.read("{:z 1 :a 2 :m 3 :b 4}");
    assertThat(m.keySet())
        .containsExactly(Keyword.of("z"), Keyword.of("a"), Keyword.of("m"), Keyword.of("b"));
    Set<Object> s = (Set<Object>) EdnReader.read("#{9 1 5 3}");
    assertThat(s).containsExactly(9L, 1L, 5L, 3L);
  }

  @Test
  void read_keywordsAndSymbols_areInterned() {
    assertThat(EdnReader.read(":db/ident")).isSameAs(Keyword.of("db/ident"));
    assertThat(EdnReader.read("?e")).isSameAs(Symbol.of("?e"));
    assertThat(((Keyword) EdnReader.read(":db/ident")).namespace()).isEqualTo("db");
  }

  @Test
  void read_bytes_decodesBase64() {
    assertThat((byte[]) EdnReader.read("#bytes \"AQID\"")).containsExactly(1, 2, 3);
    assertThat((byte[]) EdnReader.read("#bytes \"\"")).isEmpty();
    assertThat((byte[]) EdnReader.read("#bytes \"/+8=\"")).containsExactly(0xff, 0xef);
  }

  @Test
  void read_tagReaders_areAppliedAndOverrideBuiltIns() {
    Map<String, Function<Object, Object>> readers =
        Map.of("my/point", v -> "P" + v, "inst", v -> "I" + v);
    assertThat(EdnReader.read("#my/point [1 2]", readers)).isEqualTo("P[1 2]");
    assertThat(EdnReader.read("[#my/point 1 #my/point 2]", readers)).isEqualTo(List.of("P1", "P2"));
    assertThat(EdnReader.read("#inst \"x\"", readers)).isEqualTo("Ix");
    assertThat(EdnReader.read("#other 1", readers)).isEqualTo(new Tagged("other", 1L));
    assertThat(EdnReader.readAll("#my/point 1 #my/point 2", readers)).containsExactly("P1", "P2");
  }

  @Test
  void read_tagReaderReturningNull_givesNil() {
    Map<String, Function<Object, Object>> readers = Map.of("gone", v -> null);
    assertThat(EdnReader.read("[#gone 1 2]", readers)).isEqualTo(Arrays.asList(null, 2L));
  }

  @Test
  void readAll_givesEveryForm() {
    assertThat(EdnReader.readAll("1 :a [2] (3) ; done"))
        .containsExactly(1L, Keyword.of("a"), List.of(2L), List.of(3L));
    assertThat(EdnReader.readAll("")).isEmpty();
    assertThat(EdnReader.readAll(" ;c\n #_ 1 ,")).isEmpty();
    assertThat(EdnReader.readAll("nil nil")).containsExactly(null, null);
    assertThat(EdnReader.readAll("a(b)\"c\"")).hasSize(3);
  }

  @Test
  void read_oneFormWithTrailingCommentsAndDiscards_isFine() {
    assertThat(EdnReader.read("1 ;c")).isEqualTo(1L);
    assertThat(EdnReader.read("1 #_ 2")).isEqualTo(1L);
    assertThat(EdnReader.read("[1]\n\n")).isEqualTo(List.of(1L));
  }

  @Test
  void next_overReader_givesFormsThenEof() {
    EdnReader r = new EdnReader(new StringReader("1 [2] ; c\n nil"), null);
    assertThat(r.next()).isEqualTo(1L);
    assertThat(r.next()).isEqualTo(List.of(2L));
    assertThat(r.next()).isNull();
    assertThat(r.next()).isSameAs(EdnReader.EOF);
    assertThat(r.next()).isSameAs(EdnReader.EOF);
  }

  @Test
  void next_overLongReader_readsAcrossBufferRefills() {
    StringBuilder sb = new StringBuilder();
    List<Object> expected = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      switch (i % 6) {
        case 0 -> sb.append("\"str\\ning ").append(i).append("\" ");
        case 1 -> sb.append(":kw/name-").append(i).append(' ');
        case 2 -> sb.append(i * 1_000_003L).append(' ');
        case 3 -> sb.append("\\u00e9 ");
        case 4 -> sb.append("[").append(i).append(".5 sym").append(i).append("] ");
        default -> sb.append("; comment ").append(i).append("\n#inst \"2020-01-01\" ");
      }
    }
    String text = sb.toString();
    expected.addAll(EdnReader.readAll(text));
    assertThat(expected).hasSize(5000);
    EdnReader r = new EdnReader(new StringReader(text), Map.of());
    List<Object> actual = new ArrayList<>();
    for (Object v = r.next(); v != EdnReader.EOF; v = r.next()) {
      actual.add(v);
    }
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void next_readerFails_givesIoError() {
    Reader failing =
        new Reader() {
          @Override
          public int read(char[] cbuf, int off, int len) throws IOException {
            throw new IOException("disk on fire");
          }

          @Override
          public void close() {}
        };
    assertThatThrownBy(() -> new EdnReader(failing, null).next())
        .isInstanceOfSatisfying(
            DatahikeException.class,
            e -> {
              assertThat(e.code()).isEqualTo(Keyword.of("edn/io"));
              assertThat(e)
                  .hasMessageContaining("disk on fire")
                  .hasCauseInstanceOf(IOException.class);
            });
  }

  @Test
  void read_deepNesting_needsNoJavaStack() {
    int depth = 200_000;
    String text = "[".repeat(depth) + "]".repeat(depth);
    Object v = EdnReader.read(text);
    int d = 0;
    while (v instanceof List<?> l && !l.isEmpty()) {
      v = l.get(0);
      d++;
    }
    assertThat(d).isEqualTo(depth - 1);
    assertThat(EdnPrinter.print(EdnReader.read(text))).isEqualTo(text);
    String tags = "#t ".repeat(depth) + "1";
    assertThat(EdnPrinter.print(EdnReader.read(tags))).isEqualTo(tags);
    String discards = "[" + "#_ ".repeat(depth) + "1 ".repeat(depth + 1) + "]";
    assertThat(EdnReader.read(discards)).isEqualTo(List.of(1L));
  }

  /** Reads {@code edn} through a Reader that hands out one char per call. */
  static Object readTrickling(String edn) {
    Reader trickle =
        new StringReader(edn) {
          @Override
          public int read(char[] cbuf, int off, int len) throws IOException {
            return super.read(cbuf, off, Math.min(len, 1));
          }
        };
    EdnReader r = new EdnReader(trickle, null);
    Object v = r.next();
    assertThat(r.next()).isSameAs(EdnReader.EOF);
    return v;
  }

  private static Date date(String instant) {
    return Date.from(Instant.parse(instant));
  }

  private static Map<Object, Object> mapOf(Object... kvs) {
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kvs.length; i += 2) {
      m.put(kvs[i], kvs[i + 1]);
    }
    return m;
  }
}
