package datahike.cli;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Datom;
import datahike.edn.Keyword;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When typed input is complete, and how results print. */
class EdnTextTest {
  @ParameterizedTest(name = "{0} -> incomplete {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "stats                                | false",
        "[:find ?e                            | true",
        "[:find ?e :where [?e :name]]         | false",
        "transact [{:name \"a]\"}             | true",
        "transact [{:name \"a]\"}]            | false",
        "transact [{:name \"a                 | true",
        "[:find ?e ; ]] comment               | true",
        "[\\] \\[ ]                           | false",
        "#{1 2                                | true",
        "(pull ?e [*])                        | false",
        "[1 2]]                               | false",
        "\"esc \\\" still open                | true",
      })
  void incomplete_table(String text, boolean expected) {
    assertThat(EdnText.incomplete(text.strip())).isEqualTo(expected);
  }

  @Test
  void read_datomTag() {
    Object d = EdnText.read("#datahike/Datom [1 :name \"Ada\" 536870913 false]", "x");
    assertThat(d).isInstanceOf(Datom.class);
    Datom datom = (Datom) d;
    assertThat(datom.attr()).isEqualTo(Keyword.of("name"));
    assertThat(datom.tx()).isEqualTo(536870913L);
    assertThat(datom.added()).isFalse();
  }

  @Test
  void pretty_breaksLongMapsOnly() {
    assertThat(EdnText.pretty(Map.of(Keyword.of("a"), 1L), 100)).isEqualTo("{:a 1}");
    String longText = "x".repeat(60);
    String p = EdnText.pretty(List.of(longText, longText), 100);
    assertThat(p).isEqualTo("[\"" + longText + "\"\n \"" + longText + "\"]");
  }
}
