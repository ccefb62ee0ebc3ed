package datahike;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.edn.Keyword;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The README's Java tour, compiled and run; a second test keeps the README text identical. */
class ReadmeTourTest {
  @Test
  void tour_runsAsTheReadmeSays() {
    // tour:begin
    Config cfg = Config.parse("{:store {:backend :memory :id \"tour\"}}");
    Datahike.createDatabase(cfg);
    try (Connection conn = Datahike.connect(cfg)) {
      // Schema on write (the default): declare attributes first.
      conn.transact("[{:db/ident :name :db/valueType :db.type/string"
          + "            :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}"
          + "           {:db/ident :age :db/valueType :db.type/long"
          + "            :db/cardinality :db.cardinality/one}"
          + "           {:db/ident :friend :db/valueType :db.type/ref"
          + "            :db/cardinality :db.cardinality/many}]");

      // Transactions take EDN strings or Java data; string tempids resolve to entity ids.
      TxReport r = conn.transact("[{:db/id \"alice\" :name \"Alice\" :age 30}"
          + " {:db/id \"bob\" :name \"Bob\" :age 25 :friend \"alice\"}]");
      long alice = r.tempid("alice");

      // Datalog: a relation comes back as a Set of rows.
      Set<List<Object>> rows = Datahike.q(
          "[:find ?n ?a :where [?e :name ?n] [?e :age ?a] [(> ?a 26)]]", conn.db());
      // rows = [["Alice", 30]]

      // Pull a tree of data; lookup refs name entities by a unique attribute.
      Map<Keyword, Object> bob =
          conn.db().pull("[:name {:friend [:name]}]", List.of(Keyword.of("name"), "Bob"));
      // bob = {:name "Bob", :friend [{:name "Alice"}]}

      // Every database value is immutable: keep one, and travel in time.
      Database before = conn.db();
      conn.transact(List.of(List.of(Keyword.of("db/add"), alice, Keyword.of("age"), 31L)));
      Object oldAge = Datahike.q("[:find ?a . :in $ ?e :where [?e :age ?a]]", before, alice);   // 30
      Object newAge = Datahike.q("[:find ?a . :in $ ?e :where [?e :age ?a]]", conn.db(), alice); // 31
      Database asOf = conn.db().asOf(r.tx());          // as of the second transaction: age 30
      // tour:end

      assertThat(rows).containsExactly(List.of("Alice", 30L));
      assertThat(bob).isEqualTo(
          Map.of(Keyword.of("name"), "Bob",
              Keyword.of("friend"), List.of(Map.of(Keyword.of("name"), "Alice"))));
      assertThat(oldAge).isEqualTo(30L);
      assertThat(newAge).isEqualTo(31L);
      assertThat((Object) Datahike.q("[:find ?a . :in $ ?e :where [?e :age ?a]]", asOf, alice))
          .isEqualTo(30L);
    } finally {
      Datahike.deleteDatabase(cfg);
    }
  }

  @Test
  void readme_showsExactlyTheTestedTour() throws IOException {
    String readme = Files.readString(Path.of("../README.md"));
    String block = readme.substring(readme.indexOf("```java\n") + 8);
    block = block.substring(0, block.indexOf("```"));
    String test = Files.readString(Path.of("src/test/java/datahike/ReadmeTourTest.java"));
    String tour = test.substring(test.indexOf("// tour:begin\n") + 14, test.indexOf("      // tour:end"));
    assertThat(normalize(block)).contains(normalize(tour));
  }

  private static String normalize(String s) {
    StringBuilder sb = new StringBuilder();
    for (String line : s.split("\n")) {
      String t = line.strip();
      if (!t.isEmpty()) sb.append(t).append('\n');
    }
    return sb.toString();
  }
}
