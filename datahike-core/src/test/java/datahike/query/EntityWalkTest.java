package datahike.query;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Config;
import datahike.Connection;
import datahike.Database;
import datahike.Datahike;
import datahike.edn.Keyword;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Star joins on an entity run as one entity walk on a real database and give what the patterns'
 * separate lookups give: cardinality-many products, constant values as filters, a missing
 * attribute dropping the row, wide entities (past the walk budget), history views.
 */
class EntityWalkTest {
  private Connection conn;

  @BeforeEach
  void setUp() {
    Config cfg = Config.builder().build();
    Datahike.createDatabase(cfg);
    conn = Datahike.connect(cfg);
    conn.transact(
        "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
            + "  :db/index true}"
            + " {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
            + " {:db/ident :sex :db/valueType :db.type/keyword :db/cardinality :db.cardinality/one}"
            + " {:db/ident :nick :db/valueType :db.type/string :db/cardinality :db.cardinality/many}"
            + " {:db/ident :friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}"
            + " {:db/ident :tag :db/valueType :db.type/long :db/cardinality :db.cardinality/many}]");
    StringBuilder tx = new StringBuilder("[");
    for (int i = 1; i <= 60; i++) {
      tx.append("{:db/id ").append(-i).append(" :name \"").append(i % 3 == 0 ? "Ivan" : "P" + i);
      tx.append("\" :sex ").append(i % 2 == 0 ? ":male" : ":female");
      if (i % 5 != 0) {
        tx.append(" :age ").append(i);
      }
      if (i % 4 == 0) {
        tx.append(" :nick [\"a").append(i).append("\" \"b").append(i).append("\"]");
      }
      if (i % 6 == 0) {
        // a wide entity: more datoms than the walk budget
        tx.append(" :tag [");
        for (int t = 0; t < 40; t++) {
          tx.append(t).append(' ');
        }
        tx.append(']');
      }
      if (i > 1) {
        tx.append(" :friend [").append(-(i - 1)).append(']');
      }
      tx.append("} ");
    }
    conn.transact(tx.append(']').toString());
    // History: some ages change, some nicks go.
    conn.transact("[[:db/add " + eid("P1") + " :age 100]]");
  }

  private String eid(String name) {
    Object e = Datahike.q("[:find ?e . :in $ ?n :where [?e :name ?n]]", conn.db(), name);
    return String.valueOf(e);
  }

  private static final String[] QUERIES = {
    "[:find ?e ?a :where [?e :name \"Ivan\"] [?e :age ?a] [?e :sex :male]]",
    "[:find ?e ?a ?n :where [?e :name \"Ivan\"] [?e :age ?a] [?e :nick ?n]]",
    "[:find ?e ?n ?m :where [?e :name \"Ivan\"] [?e :nick ?n] [?e :nick ?m]]",
    "[:find ?e ?t ?s :where [?e :name \"Ivan\"] [?e :tag ?t] [?e :sex ?s]]",
    "[:find ?e ?f ?a :where [?e :name \"Ivan\"] [?e :friend ?f] [?e :age ?a] [?e :sex :male]]",
    "[:find ?e ?x :where [?e :name \"Ivan\"] [?e :sex :female] [?e :age ?x] [?e :age]]",
    "[:find ?e :where [?e :name \"Ivan\"] [?e :age ?a] [?e :sex :nobody]]",
    "[:find ?e ?a :with ?n :where [?e :name \"Ivan\"] [?e :age ?a] [?e :nick ?n]]",
  };

  /** The same query with each pattern on its own source ($, $2, $3...: all the same database). */
  private static Object apart(Database db, String query) {
    // Patterns on different sources never share a walk.
    StringBuilder out = new StringBuilder();
    int at = query.indexOf(":where") + 6;
    out.append(query, 0, at - 6).append(":in $ $2 $3 $4 $5 :where");
    String rest = query.substring(at);
    int n = 0;
    for (int i = 0; i < rest.length(); i++) {
      char c = rest.charAt(i);
      out.append(c);
      if (c == '[' && i + 1 < rest.length() && rest.charAt(i + 1) == '?' && n++ > 0) {
        out.append('$').append(n).append(' ');
      }
    }
    return Datahike.q(out.toString(), db, db, db, db, db);
  }

  @SuppressWarnings("unchecked")
  private static Collection<Object> asCollection(Object r) {
    return (Collection<Object>) r;
  }

  @Test
  void walk_matchesSeparateLookups() {
    Database db = conn.db();
    for (String q : QUERIES) {
      Object walked = Datahike.q(q, db);
      Object reference = apart(db, q);
      if (walked instanceof Set) {
        assertThat(asCollection(walked)).as(q).containsExactlyInAnyOrderElementsOf(
            new HashSet<>(asCollection(reference)));
      } else {
        assertThat(asCollection(walked)).as(q).containsExactlyInAnyOrderElementsOf(
            new ArrayList<>(asCollection(reference)));
      }
    }
  }

  @Test
  void walk_onHistory_matchesSeparateLookups() {
    Database h = Datahike.history(conn.db());
    for (String q : QUERIES) {
      assertThat(asCollection(Datahike.q(q, h))).as(q).containsExactlyInAnyOrderElementsOf(
          asCollection(apart(h, q)));
    }
    Object ages =
        Datahike.q(
            "[:find ?a ?added :where [?e :name \"P1\"] [?e :age ?a ?t ?added] [?e :sex :female]]",
            h);
    assertThat(asCollection(ages)).hasSize(3); // 1 asserted, 1 retracted, 100 asserted
  }

  @Test
  void walk_cardinalityManyProduct() {
    Object r =
        Datahike.q(
            "[:find ?n ?m :where [?e :name \"P4\"] [?e :nick ?n] [?e :nick ?m]]", conn.db());
    assertThat(asCollection(r)).hasSize(4);
  }

  @Test
  void explain_showsTheWalk() {
    List<Map<Keyword, Object>> steps =
        Datahike.explain(
            "[:find ?e ?a :where [?e :name \"Ivan\"] [?e :age ?a] [?e :sex :male]]", conn.db());
    assertThat(steps).hasSize(3);
    assertThat(steps.get(0).get(Keyword.of("clause"))).isEqualTo("[?e :name \"Ivan\"]");
    assertThat(steps.get(1).get(Keyword.of("strategy"))).isEqualTo(Keyword.of("entity-walk"));
    assertThat(steps.get(2).get(Keyword.of("strategy"))).isEqualTo(Keyword.of("entity-walk"));
    assertThat(steps.get(2).get(Keyword.of("actual-rows"))).isEqualTo(8L);
  }
}
