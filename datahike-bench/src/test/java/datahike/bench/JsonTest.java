package datahike.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void write_escapesAndNestsValues() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "a\"b\\c\nd\u0001–");
    m.put("n", 2);
    m.put("d", 1.5);
    m.put("nan", Double.NaN);
    m.put("null", null);
    m.put("list", List.of(true, "x"));
    m.put("arr", new double[] {1, 2});
    m.put("empty", Map.of());
    assertThat(Json.write(m))
        .isEqualTo(
            "{\n"
                + "  \"s\": \"a\\\"b\\\\c\\nd\\u0001–\",\n"
                + "  \"n\": 2,\n"
                + "  \"d\": 1.5,\n"
                + "  \"nan\": null,\n"
                + "  \"null\": null,\n"
                + "  \"list\": [\n    true,\n    \"x\"\n  ],\n"
                + "  \"arr\": [1.0, 2.0],\n"
                + "  \"empty\": {}\n"
                + "}\n");
  }

  @Test
  void table_rendersAlignedTextAndSameFiguresAsJson() {
    Table t =
        new Table(
                "t",
                "title",
                Arrays.asList(
                    Table.Column.of("op", "op", Table.Format.TEXT),
                    Table.Column.of("ms", "ms", Table.Format.MS),
                    Table.Column.hidden("extra")))
            .row("q1", 2.5234, "x")
            .row("add-1", "N/A", null)
            .note("a note");
    assertThat(t.render())
        .isEqualTo("title\nop       ms\n-----------\nq1     2.52\nadd-1   N/A\n  a note\n");
    assertThat(Json.write(t.toJson())).contains("\"ms\": 2.5234", "\"ms\": \"N/A\"");
  }
}
