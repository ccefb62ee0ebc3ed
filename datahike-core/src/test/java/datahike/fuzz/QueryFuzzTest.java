package datahike.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import datahike.Datahike;
import datahike.DatahikeException;
import datahike.db.EdnTags;
import datahike.edn.Keyword;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the query parser and engine through {@link Datahike#q(Object, Object...)} against {@link
 * FuzzDbs#WRITE}: {@link #query} with a fuzzed query text, {@link #input} with fixed queries and a
 * fuzzed EDN input bound in every way {@code :in} allows (scalar, collection, tuple, relation,
 * entity id, pull pattern, rules). Every query runs in the map form with {@code :timeout 20}, so
 * the engine must stop itself; one that runs past Jazzer's per-input timeout is a hang. The only
 * allowed failure is a {@link DatahikeException}.
 *
 * <p>The fuzzer soon learns that cross products of every datom open new coverage; with a 1 s
 * limit those inputs ran to the limit and held the rate near 200 executions a second. 20 ms still
 * makes every such query stop itself mid-join.
 */
class QueryFuzzTest {
  private static final long TIMEOUT_MS = 20;

  /** The queries {@link #input} binds its value into, as the second input after the database. */
  private static final List<String> INPUT_QUERIES =
      List.of(
          "[:find ?e ?n :in $ ?x :where [?e :name ?n] [(= ?n ?x)]]",
          "[:find ?e :in $ ?x :where [?e :age ?x]]",
          "[:find ?n :in $ ?x :where [?x :name ?n]]",
          "[:find ?x :in $ [?x ...]]",
          "[:find ?a ?b :in $ [?a ?b]]",
          "[:find ?a ?b :in $ [[?a ?b]] :where [?a :age ?b]]",
          "[:find (pull ?e ?p) :in $ ?p :where [?e :name \"Alice\"]]",
          "[:find ?e :in $ % :where (r ?e)]",
          "[:find ?e ?f :in $ % :where (r ?e ?f)]",
          "[:find (min ?x) (max ?x) (count ?x) :in $ [?x ...]]",
          "[:find ?y :in $ ?x :where [(str ?x) ?y]]");

  @DictionaryFile(resourcePath = "query.dict")
  @FuzzTest
  void query(byte[] data) {
    run(FuzzDbs.text(data), List.of(FuzzDbs.WRITE));
  }

  @DictionaryFile(resourcePath = "query-input.dict")
  @FuzzTest
  void input(byte[] data) {
    Object value;
    try {
      value = EdnTags.read(FuzzDbs.text(data));
    } catch (DatahikeException e) {
      return;
    }
    for (String q : INPUT_QUERIES) {
      run(q, Arrays.asList(FuzzDbs.WRITE, value));
    }
  }

  private static void run(String query, List<Object> args) {
    try {
      Datahike.q(
          Map.of(
              Keyword.of("query"), query,
              Keyword.of("args"), args,
              Keyword.of("timeout"), TIMEOUT_MS));
    } catch (DatahikeException e) {
      // the documented failure
    }
  }
}
