package datahike.edn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import datahike.Datom;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tables of values and their EDN text, one table per kind of value. */
class EdnPrinterTest {

  static Stream<Arguments> literals() {
    return Stream.of(arguments(null, "nil"), arguments(true, "true"), arguments(false, "false"));
  }

  static Stream<Arguments> strings() {
    return Stream.of(
        arguments("", "\"\""),
        arguments("abc", "\"abc\""),
        arguments("a\"b\\c", "\"a\\\"b\\\\c\""),
        arguments("\n\t\r\b\f", "\"\\n\\t\\r\\b\\f\""),
        arguments("\u0000\u0001\u001f", "\"\\u0000\\u0001\\u001F\""),
        arguments("\u007f\u00e9\u4e2d\uD83D\uDE00", "\"\u007f\u00e9\u4e2d\uD83D\uDE00\""),
        arguments("; , # ( ) [ ] { }", "\"; , # ( ) [ ] { }\""));
  }

  static Stream<Arguments> characters() {
    return Stream.of(
        arguments('a', "\\a"),
        arguments('\\', "\\\\"),
        arguments('"', "\\\""),
        arguments(',', "\\,"),
        arguments('(', "\\("),
        arguments('\n', "\\newline"),
        arguments(' ', "\\space"),
        arguments('\t', "\\tab"),
        arguments('\r', "\\return"),
        arguments('\b', "\\backspace"),
        arguments('\f', "\\formfeed"),
        arguments('\u0000', "\\u0000"),
        arguments('\u007f', "\\u007F"),
        arguments('\u2028', "\\u2028"),
        arguments('\uD800', "\\uD800"),
        arguments('\u00e9', "\\\u00e9"));
  }

  static Stream<Arguments> numbers() {
    return Stream.of(
        arguments(42L, "42"),
        arguments(-1L, "-1"),
        arguments(Long.MIN_VALUE, "-9223372036854775808"),
        arguments(7, "7"),
        arguments((short) 3, "3"),
        arguments((byte) -2, "-2"),
        arguments(BigInteger.valueOf(42), "42N"),
        arguments(
            new BigInteger("-123456789012345678901234567890"), "-123456789012345678901234567890N"),
        arguments(1.0, "1.0"),
        arguments(-0.0, "-0.0"),
        arguments(0.1, "0.1"),
        arguments(1e10, "1.0E10"),
        arguments(1.5e-7, "1.5E-7"),
        arguments(Double.NaN, "##NaN"),
        arguments(Double.POSITIVE_INFINITY, "##Inf"),
        arguments(Double.NEGATIVE_INFINITY, "##-Inf"),
        arguments(1.5f, "1.5"),
        arguments(Float.NaN, "##NaN"),
        arguments(Float.NEGATIVE_INFINITY, "##-Inf"),
        arguments(new BigDecimal("1.50"), "1.50M"),
        arguments(new BigDecimal("1E+3"), "1E+3M"),
        arguments(new BigDecimal("-0.000001"), "-0.000001M"));
  }

  static Stream<Arguments> names() {
    return Stream.of(
        arguments(Keyword.of("a"), ":a"),
        arguments(Keyword.of("db/ident"), ":db/ident"),
        arguments(Keyword.of("/"), ":/"),
        arguments(Symbol.of("?e"), "?e"),
        arguments(Symbol.of("clojure.string/blank?"), "clojure.string/blank?"),
        arguments(Symbol.of("/"), "/"));
  }

  static Stream<Arguments> collections() {
    Map<Object, Object> map = new LinkedHashMap<>();
    map.put(Keyword.of("a"), 1L);
    map.put(Keyword.of("b"), List.of(2L, EdnList.of(3L)));
    map.put(null, null);
    return Stream.of(
        arguments(List.of(), "[]"),
        arguments(List.of(1L, 2L), "[1 2]"),
        arguments(Arrays.asList(null, "a"), "[nil \"a\"]"),
        arguments(EdnList.of(), "()"),
        arguments(
            EdnList.of(Symbol.of("pull"), Symbol.of("?e"), List.of(Symbol.of("*"))),
            "(pull ?e [*])"),
        arguments(Map.of(), "{}"),
        arguments(map, "{:a 1, :b [2 (3)], nil nil}"),
        arguments(new LinkedHashSet<>(List.of(1L, 2L)), "#{1 2}"),
        arguments(new LinkedHashSet<>(), "#{}"),
        arguments(new ArrayDeque<>(List.of(1L, 2L)), "[1 2]"),
        arguments(new Object[] {1L, "a", new Object[] {}}, "[1 \"a\" []]"),
        arguments(new long[] {1, 2}, "[1 2]"),
        arguments(new int[] {3}, "[3]"),
        arguments(new double[] {1, 2.5}, "[1.0 2.5]"),
        arguments(Map.entry(Keyword.of("a"), 1L), "[:a 1]"),
        arguments(
            List.of(Map.of(), List.of(List.of()), EdnList.of(EdnList.of())), "[{} [[]] (())]"));
  }

  static Stream<Arguments> tagged() {
    return Stream.of(
        arguments(new Date(0), "#inst \"1970-01-01T00:00:00.000-00:00\""),
        arguments(new Date(-1), "#inst \"1969-12-31T23:59:59.999-00:00\""),
        arguments(
            Date.from(Instant.parse("2020-01-02T03:04:05.006Z")),
            "#inst \"2020-01-02T03:04:05.006-00:00\""),
        arguments(
            Date.from(Instant.parse("0999-12-31T23:59:59Z")),
            "#inst \"0999-12-31T23:59:59.000-00:00\""),
        arguments(
            UUID.fromString("F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6"),
            "#uuid \"f81d4fae-7dec-11d0-a765-00a0c91e6bf6\""),
        arguments(new byte[] {1, 2, 3}, "#bytes \"AQID\""),
        arguments(new byte[0], "#bytes \"\""),
        arguments(new byte[] {-1, -17}, "#bytes \"/+8=\""),
        arguments(new Tagged("my/point", List.of(1L, 2L)), "#my/point [1 2]"),
        arguments(new Tagged("a", new Tagged("b", null)), "#a #b nil"),
        arguments(List.of(new Tagged("a", Map.of()), 1L), "[#a {} 1]"),
        arguments(
            new Datom(1, Datom.attrCode(Keyword.of("name")), "Ivan", 536870913L, true),
            "#datahike/Datom [1 :name \"Ivan\" 536870913 true]"));
  }

  static Stream<Arguments> others() {
    Object custom =
        new Object() {
          @Override
          public String toString() {
            return "custom!";
          }
        };
    return Stream.of(
        arguments(custom, "custom!"),
        arguments(List.of(custom), "[custom!]"),
        arguments(new StringBuilder("sb"), "sb"));
  }

  @ParameterizedTest
  @MethodSource({
    "literals",
    "strings",
    "characters",
    "numbers",
    "names",
    "collections",
    "tagged",
    "others"
  })
  void print_value_givesEdnText(Object value, String expected) {
    assertThat(EdnPrinter.print(value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource({"literals", "strings", "characters", "names", "collections", "tagged"})
  void print_thenRead_givesEqualValue(Object value, String text) {
    Object back = EdnReader.read(EdnPrinter.print(value));
    if (value instanceof byte[] b) {
      assertThat((byte[]) back).isEqualTo(b);
    } else if (value instanceof Object[] || value instanceof long[] || value instanceof int[]) {
      assertThat(EdnPrinter.print(back)).isEqualTo(text);
    } else if (value instanceof double[] || value instanceof Datom) {
      assertThat(EdnPrinter.print(back)).isEqualTo(text);
    } else if (value instanceof Map.Entry<?, ?> e) {
      assertThat(back).isEqualTo(Arrays.asList(e.getKey(), e.getValue()));
    } else if (value instanceof ArrayDeque<?> d) {
      assertThat(back).isEqualTo(List.copyOf(d));
    } else {
      assertThat(back).isEqualTo(value);
    }
  }

  @ParameterizedTest
  @MethodSource("numbers")
  void print_thenRead_keepsNumberValue(Object value, String text) {
    Object back = EdnReader.read(text);
    if (value instanceof Float f) {
      assertThat(back).isEqualTo(f.doubleValue());
    } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      assertThat(back).isEqualTo(((Number) value).longValue());
    } else {
      assertThat(back).isEqualTo(value);
    }
  }

  @Test
  void print_intoBuilder_appendsAndReturnsIt() {
    StringBuilder sb = new StringBuilder("x=");
    assertThat(EdnPrinter.print(List.of(1L), sb)).isSameAs(sb);
    assertThat(sb).hasToString("x=[1]");
  }

  @Test
  void toString_ofReadValues_isEdn() {
    assertThat(EdnReader.read("(a [b] #t c)")).hasToString("(a [b] #t c)");
    assertThat(EdnReader.read("[1 (2)]")).hasToString("[1 (2)]");
    assertThat(EdnReader.readAll("1 2")).hasToString("[1 2]");
    assertThat(EdnList.copyOf(List.of(1L, "a"))).hasToString("(1 \"a\")");
  }

  @Test
  void print_deepNesting_needsNoJavaStack() {
    Object v = List.of();
    Object m = Map.of();
    for (int i = 0; i < 200_000; i++) {
      v = EdnList.of(v, i);
      m = Map.of(i, m);
    }
    String text = EdnPrinter.print(v);
    assertThat(text.startsWith("(".repeat(200_000) + "[] 0) 1)")).isTrue();
    assertThat(text.endsWith(" 199998) 199999)")).isTrue();
    assertThat(EdnPrinter.print(EdnReader.read(text)).equals(text)).isTrue();
    String map = EdnPrinter.print(m);
    assertThat(map.startsWith("{199999 {199998 {")).isTrue();
    assertThat(map.endsWith("{0 {}" + "}".repeat(200_000))).isTrue();
  }
}
