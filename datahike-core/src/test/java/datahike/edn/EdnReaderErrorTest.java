package datahike.edn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import datahike.DatahikeException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed EDN: each case gives the line, column and a fragment of the message. */
class EdnReaderErrorTest {

  static Stream<Arguments> structure() {
    return Stream.of(
        arguments("", 1, 1, "Expected a form, found the end of the input"),
        arguments("  \n ;c", 2, 4, "Expected a form"),
        arguments("#_ 1", 1, 5, "Expected a form"),
        arguments("1 2", 1, 3, "Expected one form, found another"),
        arguments("[1]\n [2]", 2, 2, "Expected one form"),
        arguments("(", 1, 2, "Unclosed list (opened at line 1, column 1)"),
        arguments("[1 2", 1, 5, "Unclosed vector (opened at line 1, column 1)"),
        arguments("{:a 1", 1, 6, "Unclosed map (opened at line 1, column 1)"),
        arguments("#{1", 1, 4, "Unclosed set (opened at line 1, column 1)"),
        arguments("[1 [2\n 3]", 2, 4, "Unclosed vector (opened at line 1, column 1)"),
        arguments(")", 1, 1, "Unmatched delimiter ')'"),
        arguments("[1 2)", 1, 5, "the vector (opened at line 1, column 1) needs ']'"),
        arguments("(]", 1, 2, "the list (opened at line 1, column 1) needs ')'"),
        arguments("#{1}}", 1, 5, "Unmatched delimiter '}'"),
        arguments("{:a}", 1, 4, "A map needs an even number of forms"),
        arguments("{:a 1 :a 2}", 1, 7, "Duplicate key: :a"),
        arguments("{[1] 1 (1) 2}", 1, 10, "Duplicate key: (1)"),
        arguments("#{1 1}", 1, 5, "Duplicate set element: 1"),
        arguments("#:a{:b 1 :a/b 2}", 1, 16, "Duplicate key: :a/b"),
        arguments("[#_]", 1, 4, "Unmatched delimiter ']'"),
        arguments("#_", 1, 3, "Discard #_ (at line 1, column 1) has no form"),
        arguments("#foo", 1, 5, "Tag #foo (at line 1, column 1) has no form"),
        arguments("[#foo]", 1, 6, "Unmatched delimiter ']'"),
        arguments("^:a", 1, 4, "Metadata ^ (at line 1, column 1) has no form"),
        arguments("^1 x", 1, 1, "Metadata must be a symbol, keyword, string or map"),
        arguments("[1\n 2\n  )", 3, 3, "Unmatched delimiter ')'"),
        arguments("{:a 1\n :b}", 2, 4, "A map needs an even number of forms"),
        arguments("[1\r\n 1a]", 2, 2, "Invalid number: 1a"));
  }

  static Stream<Arguments> strings() {
    return Stream.of(
        arguments("\"abc", 1, 5, "Unclosed string (opened at line 1, column 1)"),
        arguments("\"abc\ndef", 2, 4, "Unclosed string (opened at line 1, column 1)"),
        arguments("\"a\\", 1, 4, "Unclosed string"),
        arguments("\"a\\qb\"", 1, 3, "Unsupported escape character: \\q"),
        arguments("\"a\\u12\"", 1, 3, "Invalid unicode escape"),
        arguments("\"a\\u12", 1, 3, "Invalid unicode escape"),
        arguments("\"\\400\"", 1, 2, "Octal escape sequence must be in range [0, 377]"),
        arguments("[\"a\nb\" 1x]", 2, 4, "Invalid number: 1x"));
  }

  static Stream<Arguments> characters() {
    return Stream.of(
        arguments("\\", 1, 1, "End of input after '\\'"),
        arguments("\\abc", 1, 1, "Unsupported character: \\abc"),
        arguments("\\u12", 1, 1, "Unsupported character: \\u12"),
        arguments("\\u12345", 1, 1, "Unsupported character"),
        arguments("\\uXYZW", 1, 1, "Unsupported character"),
        arguments("\\o400", 1, 1, "Unsupported character: \\o400"),
        arguments("\\o8", 1, 1, "Unsupported character"),
        arguments("[1 \\newlines]", 1, 4, "Unsupported character: \\newlines"));
  }

  static Stream<Arguments> numbers() {
    return Stream.of(
        arguments("1a", 1, 1, "Invalid number: 1a"),
        arguments(" -1a", 1, 2, "Invalid number: -1a"),
        arguments("1.5N", 1, 1, "Invalid number"),
        arguments("08", 1, 1, "Invalid number: 08"),
        arguments("0x", 1, 1, "Invalid number"),
        arguments("0xG", 1, 1, "Invalid number"),
        arguments("0xN", 1, 1, "Invalid number"),
        arguments("1e", 1, 1, "Invalid number"),
        arguments("1e+", 1, 1, "Invalid number"),
        arguments("1.2.3", 1, 1, "Invalid number"),
        arguments("1M5", 1, 1, "Invalid number"),
        arguments("1MM", 1, 1, "Invalid number"),
        arguments("1NN", 1, 1, "Invalid number"),
        arguments("1/0", 1, 1, "Divide by zero: 1/0"),
        arguments("1/", 1, 1, "Invalid number"),
        arguments("1/2/3", 1, 1, "Invalid number"),
        arguments("1/a", 1, 1, "Invalid number"),
        arguments("1/-2", 1, 1, "Invalid number"),
        arguments("37r1", 1, 1, "Radix out of range"),
        arguments("1r1", 1, 1, "Radix out of range"),
        arguments("2r2", 1, 1, "Invalid number"),
        arguments("2r", 1, 1, "Invalid number"),
        arguments("0r1", 1, 1, "Invalid number"),
        arguments("100r1", 1, 1, "Invalid number"),
        arguments("1#", 1, 1, "Invalid number"),
        arguments("[1 2 3x]", 1, 6, "Invalid number: 3x"),
        arguments("##foo", 1, 1, "Invalid symbolic value: ##foo"),
        arguments("##", 1, 1, "Invalid symbolic value"));
  }

  static Stream<Arguments> names() {
    return Stream.of(
        arguments(":", 1, 1, "Invalid keyword: :"),
        arguments("::a", 1, 1, "Invalid keyword: ::a"),
        arguments(":a/", 1, 1, "Invalid keyword"),
        arguments(":a:", 1, 1, "Invalid keyword"),
        arguments(":a::b", 1, 1, "Invalid keyword"),
        arguments(":/a", 1, 1, "Invalid keyword"),
        arguments("[:]", 1, 2, "Invalid keyword"),
        arguments("a/", 1, 1, "Invalid symbol: a/"),
        arguments("/a", 1, 1, "Invalid symbol"),
        arguments("a::b", 1, 1, "Invalid symbol"),
        arguments("a:", 1, 1, "Invalid symbol"));
  }

  static Stream<Arguments> dispatch() {
    return Stream.of(
        arguments("#", 1, 1, "End of input after '#'"),
        arguments("#<foo>", 1, 1, "No dispatch macro for '#<'"),
        arguments("#?(:clj 1)", 1, 1, "No dispatch macro for '#?'"),
        arguments("#!foo", 1, 1, "No dispatch macro"),
        arguments("#\"[a-\"", 1, 1, "Invalid regex"),
        arguments("# foo", 1, 1, "No dispatch macro"),
        arguments("#(inc %)", 1, 1, "No dispatch macro"),
        arguments("#a: 1", 1, 1, "Invalid tag: #a:"),
        arguments("#:a[1]", 1, 1, "A namespaced map needs a map after #:a"),
        arguments("#:a", 1, 1, "A namespaced map needs a map"),
        arguments("#::a{}", 1, 1, "Invalid namespaced map prefix: #::a"),
        arguments("#:{}", 1, 1, "Invalid namespaced map prefix"),
        arguments("#:a/b{}", 1, 1, "Invalid namespaced map prefix"));
  }

  static Stream<Arguments> builtInTags() {
    return Stream.of(
        arguments("#inst \"2020-13-01\"", 1, 1, "Invalid #inst \"2020-13-01\""),
        arguments("#inst \"2021-02-29\"", 1, 1, "day"),
        arguments("#inst \"2020-01-01T24:00:00Z\"", 1, 1, "hours"),
        arguments("#inst \"2020-01-01T10:60Z\"", 1, 1, "minutes"),
        arguments("#inst \"2020-01-01T10:58:60Z\"", 1, 1, "seconds"),
        arguments("#inst \"2020-01-01T10:00+24:00\"", 1, 1, "offset hours"),
        arguments("#inst \"2020-1-1\"", 1, 1, "Unrecognized date/time syntax"),
        arguments("#inst \"2020-01-01 10:00\"", 1, 1, "Unrecognized date/time syntax"),
        arguments("#inst \"20\"", 1, 1, "Unrecognized date/time syntax"),
        arguments("[1\n #inst 1]", 2, 2, "#inst needs a string, got 1"),
        arguments("#uuid \"123\"", 1, 1, "Invalid #uuid"),
        arguments("#uuid \"f81d4fae-7dec-11d0-a765-00a0c91e6bfg\"", 1, 1, "Invalid #uuid"),
        arguments("#uuid \"f81d4fae+7dec-11d0-a765-00a0c91e6bf6\"", 1, 1, "Invalid #uuid"),
        arguments("#uuid :a", 1, 1, "#uuid needs a string"),
        arguments("#bytes \"!!\"", 1, 1, "Invalid #bytes"),
        arguments("#bytes [1]", 1, 1, "#bytes needs a string"));
  }

  @ParameterizedTest
  @MethodSource({
    "structure",
    "strings",
    "characters",
    "numbers",
    "names",
    "dispatch",
    "builtInTags"
  })
  void read_malformedText_throwsParseErrorWithPosition(
      String edn, int line, int column, String fragment) {
    assertParseError(() -> EdnReader.read(edn), line, column, fragment);
    assertParseError(() -> readAllTrickling(edn), line, column, fragment);
  }

  @Test
  void read_tagReaderThrows_givesParseErrorAtTagWithCause() {
    Map<String, Function<Object, Object>> readers =
        Map.of(
            "bad",
            v -> {
              throw new IllegalStateException("boom");
            });
    DatahikeException e =
        catchThrowableOfType(
            DatahikeException.class, () -> EdnReader.read("[1\n  #bad [2]]", readers));
    assertThat(e.code()).isEqualTo(Keyword.of("edn/parse"));
    assertThat(e).hasMessage("Invalid #bad [2]: boom at line 2, column 3");
    assertThat(e).hasCauseInstanceOf(IllegalStateException.class);
    assertThat(e.data())
        .containsEntry(Keyword.of("line"), 2L)
        .containsEntry(Keyword.of("column"), 3L)
        .containsEntry(Keyword.of("tag"), "bad");
  }

  @Test
  void read_tagReaderThrowsDatahikeException_passesItThrough() {
    DatahikeException own = DatahikeException.of("datom/bad", "bad datom");
    Map<String, Function<Object, Object>> readers =
        Map.of(
            "datahike/Datom",
            v -> {
              throw own;
            });
    assertThatThrownBy(() -> EdnReader.read("#datahike/Datom [1 :a 2]", readers)).isSameAs(own);
  }

  @Test
  void error_dataHoldsLineAndColumnAsLongs() {
    DatahikeException e =
        catchThrowableOfType(DatahikeException.class, () -> EdnReader.read("[1\n  2 3x]"));
    assertThat(e.data()).containsEntry(Keyword.of("line"), 2L);
    assertThat(e.data()).containsEntry(Keyword.of("column"), 5L);
    assertThat(e).hasMessage("Invalid number: 3x at line 2, column 5");
  }

  @Test
  void next_afterLongInput_reportsAbsoluteLine() {
    String text = "[1]\n".repeat(10_000) + "  )";
    EdnReader r = new EdnReader(new StringReader(text), null);
    DatahikeException e =
        catchThrowableOfType(
            DatahikeException.class,
            () -> {
              while (r.next() != EdnReader.EOF) {
                // Read on until the error.
              }
            });
    assertThat(e).hasMessageEndingWith("at line 10001, column 3");
  }

  static void assertParseError(Runnable read, int line, int column, String fragment) {
    DatahikeException e = catchThrowableOfType(DatahikeException.class, read::run);
    assertThat(e).as("expected a DatahikeException").isNotNull();
    assertThat(e.code()).isEqualTo(Keyword.of("edn/parse"));
    assertThat(e.getMessage())
        .contains(fragment)
        .endsWith(" at line " + line + ", column " + column);
    assertThat(e.data())
        .containsEntry(Keyword.of("line"), (long) line)
        .containsEntry(Keyword.of("column"), (long) column);
  }

  /** Reads every form of {@code edn} through a Reader that hands out one char per call. */
  private static void readAllTrickling(String edn) {
    Reader trickle =
        new StringReader(edn) {
          @Override
          public int read(char[] cbuf, int off, int len) throws IOException {
            return super.read(cbuf, off, Math.min(len, 1));
          }
        };
    EdnReader r = new EdnReader(trickle, null);
    int forms = 0;
    for (Object v = r.next(); v != EdnReader.EOF; v = r.next()) {
      forms++;
    }
    // EdnReader.read rejects empty text and extra forms; mirror that so both paths agree.
    if (forms != 1) {
      EdnReader.read(edn);
    }
  }
}
