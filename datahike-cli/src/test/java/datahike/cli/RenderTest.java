package datahike.cli;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.edn.Keyword;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tables for relations and other table-shaped results. */
class RenderTest {
  @Test
  void relation_sortedAlignedWithFindHeaders() {
    Set<List<Object>> rel = new LinkedHashSet<>();
    rel.add(List.of("Bob", 7L));
    rel.add(List.of("Ada", 36L));
    Object q = EdnText.read("[:find ?n (max ?a) :where [?e :name ?n] [?e :age ?a]]", "q");
    assertThat(Render.format(rel, Render.Format.TABLE, q))
        .isEqualTo("?n  | (max ?a)\n----+---------\nAda |       36\nBob |        7\n(2 rows)");
  }

  @Test
  void findHeaders_nullForNonRelations() {
    assertThat(Render.findHeaders(EdnText.read("[:find ?n . :where [?e :name ?n]]", "q"))).isNull();
    assertThat(Render.findHeaders(EdnText.read("[:find [?n ...] :where [?e :name ?n]]", "q")))
        .isNull();
    assertThat(Render.findHeaders(EdnText.read("{:find [?n] :where [[?e :name ?n]]}", "q")))
        .containsExactly("?n");
  }

  @Test
  void mapOfMaps_andLimit() {
    Map<Keyword, Map<Keyword, Object>> schema = new LinkedHashMap<>();
    schema.put(
        Keyword.of("name"), Map.of(Keyword.of("db/cardinality"), Keyword.of("db.cardinality/one")));
    assertThat(Render.table(schema, null, 10))
        .isEqualTo(
            "      | :db/cardinality\n------+--------------------\n"
                + ":name | :db.cardinality/one\n(1 row)");
    List<List<Object>> rows = List.of(List.of(1L), List.of(2L), List.of(3L));
    assertThat(Render.table(List.of("n"), rows, 2, "rows"))
        .isEqualTo("n\n-\n1\n2\n(3 rows, showing the first 2)");
  }

  @Test
  void scalarsAndPullsStayEdn() {
    assertThat(Render.format(42L, Render.Format.TABLE, null)).isEqualTo("42");
    assertThat(Render.format(Map.of(Keyword.of("name"), "Ada"), Render.Format.TABLE, null))
        .isEqualTo("{:name \"Ada\"}");
  }
}
