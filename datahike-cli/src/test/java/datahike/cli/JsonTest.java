package datahike.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** JSON output and input of the command line. */
class JsonTest {
  @Test
  void write_valuesAndKeys() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(Keyword.of("db/id"), 1L);
    m.put(Keyword.of("type"), Keyword.of("db.type/string"));
    m.put("s", "a\"b\n");
    m.put(2L, List.of(1.5, true, Set.of()));
    m.put(Keyword.of("at"), new Date(0));
    m.put(Keyword.of("nan"), Double.NaN);
    assertThat(Json.write(m))
        .isEqualTo(
            "{\"db/id\":1,\"type\":\":db.type/string\",\"s\":\"a\\\"b\\n\","
                + "\"2\":[1.5,true,[]],\"at\":\"1970-01-01T00:00:00Z\",\"nan\":\"NaN\"}");
  }

  @Test
  void read_objectsBecomeKeywordMaps() {
    Object o =
        Json.read(
            "[{\"name\": \"Ada\", \":age\": 36, \"kind\": \":person\","
                + " \"x\": [1e3, -2, null, false, \"\\u0041\"]}]",
            "tx");
    Map<Keyword, Object> ada = new LinkedHashMap<>();
    ada.put(Keyword.of("name"), "Ada");
    ada.put(Keyword.of("age"), 36L);
    ada.put(Keyword.of("kind"), Keyword.of("person"));
    ada.put(Keyword.of("x"), java.util.Arrays.asList(1000.0, -2L, null, false, "A"));
    assertThat(o).isEqualTo(List.of(ada));
  }

  @Test
  void read_malformedIsJsonParseError() {
    assertThatThrownBy(() -> Json.read("[1, 2", "in"))
        .isInstanceOf(DatahikeException.class)
        .hasMessageStartingWith("in: ")
        .extracting(e -> ((DatahikeException) e).code())
        .isEqualTo(Keyword.of("json/parse"));
  }
}
