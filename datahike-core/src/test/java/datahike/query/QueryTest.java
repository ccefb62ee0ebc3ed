package datahike.query;

import static datahike.query.Q.edn;
import static datahike.query.Q.list;
import static datahike.query.Q.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.DatahikeException;
import datahike.Datom;
import datahike.edn.Keyword;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryTest {
  static MemDb people(int n) {
    List<Datom> ds = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      ds.add(MemDb.datom(i, "name", i % 100 == 0 ? "Ivan" : "P" + i));
      ds.add(MemDb.datom(i, "age", (long) (i % 90)));
      ds.add(MemDb.datom(i, "salary", (long) (i * 1000)));
    }
    return MemDb.of(ds);
  }

  @Test
  void relation_isASetOfLists() {
    MemDb db = people(3);
    Object r = q("[:find ?e ?n :where [?e :name ?n]]", db);
    assertThat(r).isInstanceOf(Set.class);
    assertThat(Q.coll(r))
        .containsExactlyInAnyOrder(list(1L, "P1"), list(2L, "P2"), list(3L, "P3"));
  }

  @Test
  void findSpecs_shapes() {
    MemDb db = people(3);
    assertThat(q("[:find ?n . :where [1 :name ?n]]", db)).isEqualTo("P1");
    assertThat(q("[:find [?n ?a] :where [1 :name ?n] [1 :age ?a]]", db)).isEqualTo(list("P1", 1L));
    assertThat(Q.coll(q("[:find [?e ...] :where [?e :name]]", db)))
        .containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(q("[:find ?n . :where [9 :name ?n]]", db)).isNull();
    assertThat(q("[:find [?n ?a] :where [9 :name ?n] [9 :age ?a]]", db)).isNull();
    Object maps = q("[:find ?e ?n :keys e n :where [?e :name ?n] [(= ?e 1)]]", db);
    assertThat(Q.coll(maps))
        .containsExactly(Map.of(Keyword.of("e"), 1L, Keyword.of("n"), "P1"));
    Object strs = q("[:find ?e :strs e :where [?e :name \"P2\"]]", db);
    assertThat(Q.coll(strs)).containsExactly(Map.of("e", 2L));
  }

  @Test
  void comparisons_longsAndOtherNumbers() {
    // Two Longs are compared directly, anything else through the built-in function.
    Object xs = edn("[1 2 3 2.5 2.0 3N]");
    assertThat(Q.coll(q("[:find ?x :in [?x ...] :where [(> ?x 2)]]", xs)))
        .containsExactlyInAnyOrder(list(3L), list(2.5), list(new java.math.BigInteger("3")));
    assertThat(Q.coll(q("[:find ?x :in [?x ...] :where [(<= 2 ?x)]]", xs)))
        .containsExactlyInAnyOrder(
            list(2L), list(3L), list(2.5), list(2.0), list(new java.math.BigInteger("3")));
    assertThat(Q.coll(q("[:find ?x :in [?x ...] ?m :where [(< ?x ?m)]]", xs, 2L)))
        .containsExactlyInAnyOrder(list(1L));
    // A filter whose variables are all scalars keeps everything or nothing.
    assertThat(Q.coll(q("[:find ?x :in [?x ...] ?m :where [(> ?m 5)]]", xs, 2L))).isEmpty();
    assertThat(Q.coll(q("[:find ?x :in [?x ...] ?m :where [(> ?m 5)]]", xs, 6L)))
        .contains(list(1L), list(2.5), list(3L));
    assertThat(Q.coll(q("[:find ?x ?m :in [?x ...] ?m :where [(> ?x ?m)]]", xs, 2.5)))
        .containsExactlyInAnyOrder(list(3L, 2.5), list(new java.math.BigInteger("3"), 2.5));
    assertThat(Q.coll(q("[:find ?x :in [?x ...] :where [(>= ?x 3)]]", xs)))
        .containsExactlyInAnyOrder(list(3L), list(new java.math.BigInteger("3")));
  }

  @Test
  void with_keepsDuplicates() {
    Object r = q("[:find ?h :with ?m :in [[?m ?h]]]", edn("[[\"a\" 1] [\"b\" 1]]"));
    assertThat(Q.coll(r)).containsExactly(list(1L), list(1L));
  }

  @Test
  void planner_startsWithTheSelectivePattern() {
    MemDb db = people(2000);
    db.scanned = 0;
    Object r = q("[:find ?e ?a :where [?e :age ?a] [?e :name \"Ivan\"]]", db);
    assertThat(Q.coll(r)).hasSize(20);
    // 20 matches of the name, then one :age lookup per match: nowhere near the 2000 ages.
    assertThat(db.scanned).isLessThan(100);
  }

  @Test
  void planner_pushesComparisonsIntoRangeScans() {
    MemDb db = people(2000);
    db.scanned = 0;
    Object r = q("[:find ?e :where [?e :salary ?s] [(> ?s 1990000)]]", db);
    assertThat(Q.coll(r)).hasSize(10);
    assertThat(db.scanned).isLessThan(20);
    db.scanned = 0;
    Object r2 = q("[:find ?e :in $ ?max :where [?e :salary ?s] [(< ?s ?max)]]", db, 5000L);
    assertThat(Q.coll(r2)).hasSize(4);
    assertThat(db.scanned).isLessThan(20);
  }

  @Test
  void unconnectedPredicate_stillFilters() {
    MemDb db = people(3);
    Object r = q("[:find ?n :where [?e :name ?n] [(ground 5) ?x] [(< ?x 3)]]", db);
    assertThat(Q.coll(r)).isEmpty();
  }

  @Test
  void errors_insufficientBindingsAndUnknownFunctions() {
    MemDb db = people(3);
    assertThatThrownBy(() -> q("[:find ?x :where [(zero? ?x)]]"))
        .isInstanceOf(DatahikeException.class)
        .hasMessageContaining("Insufficient bindings: #{?x} not bound in [(zero? ?x)]");
    assertThatThrownBy(() -> q("[:find ?e ?x :in [?e ...] :where [(fun ?e) ?x]]", list(1L)))
        .hasMessageContaining("Unknown function 'fun in [(fun ?e) ?x]");
    assertThatThrownBy(() -> q("[:find ?e :in $ :where [$2 ?e :name]]", db))
        .hasMessageContaining("Where uses unknown source vars: [$2]");
  }

  @Test
  void timeout_cancelsCleanly() {
    MemDb db = people(400);
    Object query = edn("[:find ?a ?b ?c :where [?a :age] [?b :age] [?c :age] [(< ?a ?b ?c)]]");
    assertThatThrownBy(() -> Query.q(query, list(db), QueryOptions.DEFAULTS.withTimeout(50)))
        .isInstanceOf(DatahikeException.class)
        .satisfies(e -> assertThat(((DatahikeException) e).code()).isEqualTo(
            Keyword.of("query/timeout")));
  }

  @Test
  void explain_listsStepsWithEstimatesAndActuals() {
    MemDb db = people(400);
    List<Map<Keyword, Object>> steps =
        Query.explain(
            edn("[:find ?e ?a :where [?e :age ?a] [?e :name \"Ivan\"]]"),
            list(db),
            QueryOptions.DEFAULTS);
    assertThat(steps).hasSize(2);
    assertThat(steps.get(0).get(Keyword.of("clause"))).isEqualTo("[?e :name \"Ivan\"]");
    assertThat(steps.get(1).get(Keyword.of("strategy"))).isEqualTo(Keyword.of("lookup"));
    assertThat(steps.get(1).get(Keyword.of("actual-rows"))).isEqualTo(4L);
  }

  private static Map<Keyword, Object> onlyStep(String query, Object... inputs) {
    List<Map<Keyword, Object>> steps = Query.explain(edn(query), list(inputs), QueryOptions.DEFAULTS);
    assertThat(steps).hasSize(1);
    return steps.get(0);
  }

  @Test
  void scalarInput_inValuePosition_runsAsTheConstantWould() {
    MemDb db = people(400);
    String literal = "[:find ?e :where [?e :name \"Ivan\"]]";
    String input = "[:find ?e :in $ ?n :where [?e :name ?n]]";
    Map<Keyword, Object> byLiteral = onlyStep(literal, db);
    Map<Keyword, Object> byInput = onlyStep(input, db, "Ivan");
    assertThat(byInput.get(Keyword.of("strategy"))).isEqualTo(byLiteral.get(Keyword.of("strategy")));
    assertThat(byInput.get(Keyword.of("estimated-rows"))).isEqualTo(4L);
    assertThat(q(input, db, "Ivan")).isEqualTo(q(literal, db));
    // The input variable is still part of the result.
    assertThat(Q.coll(q("[:find ?e ?n :in $ ?n :where [?e :name ?n]]", db, "Ivan")))
        .containsExactlyInAnyOrder(
            list(100L, "Ivan"), list(200L, "Ivan"), list(300L, "Ivan"), list(400L, "Ivan"));
  }

  @Test
  void scalarInput_inEntityPosition_andNoMatch_andNil() {
    MemDb db = people(400);
    assertThat(Q.coll(q("[:find ?a :in $ ?e :where [?e :age ?a]]", db, 7L))).containsExactly(list(7L));
    assertThat(Q.coll(q("[:find ?e :in $ ?n :where [?e :name ?n]]", db, "nobody"))).isEmpty();
    assertThat(Q.coll(q("[:find ?e :in $ ?n :where [?e :name ?n]]", db, (Object) null))).isEmpty();
    // A string names no entity: no match, as with a bound relation.
    assertThat(Q.coll(q("[:find ?a :in $ ?e :where [?e :age ?a]]", db, "x"))).isEmpty();
  }

  @Test
  void tupleInput_bindsEachPositionAsAConstant() {
    MemDb db = people(400);
    List<Map<Keyword, Object>> steps =
        Query.explain(
            edn("[:find ?e :in $ [?n ?a] :where [?e :name ?n] [?e :age ?a]]"),
            list(db, list("Ivan", 20L)),
            QueryOptions.DEFAULTS);
    // Both patterns are estimated by their constants' counts: 4 Ivans beat the 5 aged 20.
    assertThat(steps.get(0).get(Keyword.of("estimated-rows"))).isEqualTo(4L);
    assertThat(steps.get(1).get(Keyword.of("actual-rows"))).isEqualTo(1L);
    assertThat(Q.coll(q("[:find ?e :in $ [?n ?a] :where [?e :name ?n] [?e :age ?a]]", db, list("Ivan", 20L))))
        .containsExactly(list(200L));
  }

  @Test
  void collectionInput_fewValues_looksUpEachValue_withExactEstimate() {
    MemDb db = people(400);
    Map<Keyword, Object> step =
        onlyStep("[:find ?e :in $ [?n ...] :where [?e :name ?n]]", db, list("Ivan", "P7", "none"));
    assertThat(step.get(Keyword.of("strategy"))).isEqualTo(Keyword.of("lookup"));
    assertThat(step.get(Keyword.of("estimated-rows"))).isEqualTo(5L);
    assertThat(step.get(Keyword.of("actual-rows"))).isEqualTo(5L);
    assertThat(Q.coll(q("[:find ?e :in $ [?n ...] :where [?e :name ?n]]", db, list("Ivan", "P7", "none"))))
        .containsExactlyInAnyOrder(list(7L), list(100L), list(200L), list(300L), list(400L));
  }

  /** Salaries 0, 1000, ... 99000, typed long when {@code typed}; plus a string salary untyped. */
  private static MemDb salaries(boolean typed) {
    MemDbBuilder b = new MemDbBuilder(!typed);
    if (typed) {
      b.schema((Map<?, ?>) edn("{:salary {:db/valueType :db.type/long}}"));
    }
    List<Object> tx = new ArrayList<>();
    for (long i = 0; i < 100; i++) {
      tx.add(edn("{:salary " + i * 1000 + "}"));
    }
    if (!typed) {
      tx.add(edn("{:salary \"50000\"}"));
    }
    b.transact(tx);
    return b.build();
  }

  private static List<Object> strategies(String query, Object... inputs) {
    List<Object> out = new ArrayList<>();
    for (Map<Keyword, Object> step : Query.explain(edn(query), list(inputs), QueryOptions.DEFAULTS)) {
      out.add(step.get(Keyword.of("strategy")));
    }
    return out;
  }

  @Test
  void comparison_onALongAttribute_isAnsweredByTheRangeScan() {
    MemDb db = salaries(true);
    String strict = "[:find ?s :in $ ?min :where [?e :salary ?s] [(> ?s ?min)]]";
    assertThat(strategies(strict, db, 50000L))
        .containsExactly(Keyword.of("range-scan"), Keyword.of("range-bound"));
    assertThat(Q.coll(q(strict, db, 50000L))).hasSize(49).doesNotContain(list(50000L));
    assertThat(Q.coll(q("[:find ?s :where [?e :salary ?s] [(<= ?s 2000)]]", db)))
        .containsExactlyInAnyOrder(list(0L), list(1000L), list(2000L));
    assertThat(Q.coll(q("[:find ?s :where [?e :salary ?s] [(< 97000 ?s)]]", db)))
        .containsExactlyInAnyOrder(list(98000L), list(99000L));
    assertThat(Q.coll(q("[:find ?s :where [?e :salary ?s] [(> ?s 9223372036854775807)]]", db)))
        .isEmpty();
  }

  @Test
  void comparison_notProvenByTheRange_stillFilters() {
    MemDb untyped = salaries(false);
    // Values of any type: the range only narrows the scan, the filter decides.
    assertThat(strategies("[:find ?s :where [?e :salary ?s] [(> ?s 50000)]]", untyped))
        .containsExactly(Keyword.of("range-scan"), Keyword.of("filter"));
    assertThat(Q.coll(q("[:find ?s :where [?e :salary ?s] [(> ?s 97000)]]", untyped)))
        .containsExactlyInAnyOrder(list(98000L), list(99000L));
    MemDb typed = salaries(true);
    // A double bound, or a chain of three, is not answered by the range alone.
    assertThat(strategies("[:find ?s :where [?e :salary ?s] [(> ?s 50000.5)]]", typed))
        .containsExactly(Keyword.of("range-scan"), Keyword.of("filter"));
    assertThat(Q.coll(q("[:find ?s :where [?e :salary ?s] [(< 5 3 ?s)]]", typed))).isEmpty();
  }
}
