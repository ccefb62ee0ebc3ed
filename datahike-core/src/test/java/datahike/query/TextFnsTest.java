package datahike.query;

import static datahike.query.Q.edn;
import static datahike.query.Q.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Regex built-ins observe the query's :timeout, even inside one catastrophic match. */
class TextFnsTest {
  /**
   * Twelve greedy {@code .*a} over thirty a's and no b: the engine tries every way to split the
   * a's among them (seconds for 22 a's, hours for 30).
   */
  private static final String EVIL = "a".repeat(30) + "!";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[(re-find #\"(.*a){12}b\" ?s) ?m]",
        "[(re-matches #\"(.*a){12}b\" ?s) ?m]",
        "[(re-seq #\"(.*a){12}b\" ?s) ?m]",
        "[(re-pattern \"(.*a){12}b\") ?p] [(re-find ?p ?s) ?m]",
        "[(clojure.string/split ?s #\"(.*a){12}b\") ?m]",
        "[(clojure.string/replace ?s #\"(.*a){12}b\" \"x\") ?m]"
      })
  void regex_catastrophicBacktracking_failsWithTheQueryTimeout(String clause) {
    Object query = edn("[:find ?m :in [?s ...] :where " + clause + "]");
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () ->
            assertThatThrownBy(
                    () -> Query.q(query, List.of(list(EVIL)), QueryOptions.DEFAULTS.withTimeout(100)))
                .isInstanceOf(DatahikeException.class)
                .satisfies(
                    e ->
                        assertThat(((DatahikeException) e).code())
                            .isEqualTo(Keyword.of("query/timeout"))));
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 60_000})
  void regex_withOrWithoutTimeout_matchesAsUsual(long timeoutMs) {
    QueryOptions opts = QueryOptions.DEFAULTS.withTimeout(timeoutMs);
    Object groups =
        Query.q(
            edn("[:find ?m . :in ?s :where [(re-find #\"(\\w+)@(\\w+)\" ?s) ?m]]"),
            List.of("mail ann@host now"),
            opts);
    assertThat(groups).isEqualTo(list("ann@host", "ann", "host"));
    Object parts =
        Query.q(
            edn("[:find ?m . :in ?s :where [(clojure.string/split ?s #\",\") ?m]]"),
            List.of("a,b,c"),
            opts);
    assertThat(parts).isEqualTo(list("a", "b", "c"));
  }
}
