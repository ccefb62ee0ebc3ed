package datahike.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Pull behaviour on the graph of Datahike's {@code pull_api_test.cljc}, as tables. */
class PullTest {
  static final String SCHEMA =
      "{:aka    {:db/cardinality :db.cardinality/many}"
          + " :child  {:db/cardinality :db.cardinality/many :db/valueType :db.type/ref}"
          + " :friend {:db/cardinality :db.cardinality/many :db/valueType :db.type/ref}"
          + " :enemy  {:db/cardinality :db.cardinality/many :db/valueType :db.type/ref}"
          + " :father {:db/valueType :db.type/ref}"
          + " :part   {:db/valueType :db.type/ref :db/isComponent true"
          + "          :db/cardinality :db.cardinality/many}"
          + " :spec   {:db/valueType :db.type/ref :db/isComponent true"
          + "          :db/cardinality :db.cardinality/one}"
          + " :email  {:db/unique :db.unique/identity}}";

  static final String DATOMS =
      "[[1 :name \"Petr\"] [1 :aka \"Devil\"] [1 :aka \"Tupen\"]"
          + " [2 :name \"David\"] [3 :name \"Thomas\"] [4 :name \"Lucy\"]"
          + " [5 :name \"Elizabeth\"] [6 :name \"Matthew\"] [7 :name \"Eunan\"]"
          + " [8 :name \"Kerri\"] [9 :name \"Rebecca\"]"
          + " [1 :child 2] [1 :child 3] [2 :father 1] [3 :father 1] [6 :father 3]"
          + " [10 :name \"Part A\"] [11 :name \"Part A.A\"] [10 :part 11]"
          + " [12 :name \"Part A.A.A\"] [11 :part 12] [13 :name \"Part A.A.A.A\"] [12 :part 13]"
          + " [14 :name \"Part A.A.A.B\"] [12 :part 14] [15 :name \"Part A.B\"] [10 :part 15]"
          + " [16 :name \"Part A.B.A\"] [15 :part 16] [17 :name \"Part A.B.A.A\"] [16 :part 17]"
          + " [18 :name \"Part A.B.A.B\"] [16 :part 18]]";

  static final String FRIENDS =
      "[[4 :friend 5] [5 :friend 6] [6 :friend 7] [7 :friend 8]"
          + " [4 :enemy 6] [5 :enemy 7] [6 :enemy 8] [7 :enemy 4]]";

  static final NaiveDb DB = NaiveDb.of(SCHEMA, DATOMS);
  static final NaiveDb FRIEND_DB = DB.with(FRIENDS);
  static final NaiveDb CYCLE_DB = FRIEND_DB.with("[[8 :friend 4]]");
  static final NaiveDb PART_LOOP_DB = DB.with("[[12 :part 10]]");

  static Stream<Arguments> cases() {
    return Stream.of(
        // plain attributes, cardinality many as vectors in index order
        row(DB, "[:name :aka]", 1, "{:name \"Petr\" :aka [\"Devil\" \"Tupen\"]}"),
        row(DB, "[:name :father :db/id]", 6, "{:name \"Matthew\" :father {:db/id 3} :db/id 6}"),
        row(DB, "[:foo]", 1, "nil"),
        row(DB, "[:db/id]", 999, "nil"),
        row(DB, "[]", 1, "nil"),
        row(DB, "(:name)", 1, "{:name \"Petr\"}"),
        row(DB, "#{:name}", 1, "{:name \"Petr\"}"),
        row(DB, "[\"name\"]", 1, "{:name \"Petr\"}"),
        // reverse references
        row(DB, "[:name :_child]", 2, "{:name \"David\" :_child [{:db/id 1}]}"),
        row(DB, "[:name {:_child [:name]}]", 2, "{:name \"David\" :_child [{:name \"Petr\"}]}"),
        row(DB, "[:name :_father]", 3, "{:name \"Thomas\" :_father [{:db/id 6}]}"),
        row(DB, "[:name :_father]", 1, "{:name \"Petr\" :_father [{:db/id 2} {:db/id 3}]}"),
        row(
            DB,
            "[:name {:_father [:name]}]",
            3,
            "{:name \"Thomas\" :_father [{:name \"Matthew\"}]}"),
        row(
            DB,
            "[:name {:_father [:name]}]",
            1,
            "{:name \"Petr\" :_father [{:name \"David\"} {:name \"Thomas\"}]}"),
        row(DB, "[:name :_aka]", 1, "{:name \"Petr\"}"),
        // components: expanded with [*], reverse gives one map, loops stop at seen ids
        row(
            DB,
            "[:name :part]",
            10,
            "{:name \"Part A\" :part [{:db/id 11 :name \"Part A.A\" :part [{:db/id 12 :name"
                + " \"Part A.A.A\" :part [{:db/id 13 :name \"Part A.A.A.A\"} {:db/id 14 :name"
                + " \"Part A.A.A.B\"}]}]} {:db/id 15 :name \"Part A.B\" :part [{:db/id 16 :name"
                + " \"Part A.B.A\" :part [{:db/id 17 :name \"Part A.B.A.A\"} {:db/id 18 :name"
                + " \"Part A.B.A.B\"}]}]}]}"),
        row(DB, "[:name :_part]", 11, "{:name \"Part A.A\" :_part {:db/id 10}}"),
        row(DB, "[:name {:_part [:name]}]", 11, "{:name \"Part A.A\" :_part {:name \"Part A\"}}"),
        row(
            PART_LOOP_DB,
            "[:name :part]",
            10,
            "{:name \"Part A\" :part [{:db/id 11 :name \"Part A.A\" :part [{:db/id 12 :name"
                + " \"Part A.A.A\" :part [{:db/id 10} {:db/id 13 :name \"Part A.A.A.A\"} {:db/id"
                + " 14 :name \"Part A.A.A.B\"}]}]} {:db/id 15 :name \"Part A.B\" :part [{:db/id 16"
                + " :name \"Part A.B.A\" :part [{:db/id 17 :name \"Part A.B.A.A\"} {:db/id 18"
                + " :name \"Part A.B.A.B\"}]}]}]}"),
        // wildcard
        row(
            DB,
            "[*]",
            1,
            "{:db/id 1 :name \"Petr\" :aka [\"Devil\" \"Tupen\"] :child [{:db/id 2} {:db/id 3}]}"),
        row(
            DB,
            "[* :_child]",
            2,
            "{:db/id 2 :name \"David\" :_child [{:db/id 1}] :father {:db/id 1}}"),
        row(
            DB,
            "[:_child *]",
            2,
            "{:db/id 2 :name \"David\" :_child [{:db/id 1}] :father {:db/id 1}}"),
        row(DB, "[*]", 999, "{:db/id 999}"),
        row(
            DB,
            "[* {:child [:name]}]",
            1,
            "{:db/id 1 :name \"Petr\" :aka [\"Devil\" \"Tupen\"]"
                + " :child [{:name \"David\"} {:name \"Thomas\"}]}"),
        row(
            DB,
            "[* [:aka :limit 1] [:name :as :n]]",
            1,
            "{:db/id 1 :n \"Petr\" :aka [\"Devil\"] :child [{:db/id 2} {:db/id 3}]}"),
        // Datahike's wildcard pulls only the entity's own attributes and the reverse ones
        row(DB, "[* (default :foo \"bar\")]", 2, "{:db/id 2 :name \"David\" :father {:db/id 1}}"),
        row(
            DB,
            "[:name {:child [*]}]",
            1,
            "{:name \"Petr\" :child [{:db/id 2 :name \"David\" :father {:db/id 1}}"
                + " {:db/id 3 :name \"Thomas\" :father {:db/id 1}}]}"),
        // limits and defaults
        row(DB, "[(limit :aka 1)]", 1, "{:aka [\"Devil\"]}"),
        row(DB, "[[:aka :limit 1]]", 1, "{:aka [\"Devil\"]}"),
        row(DB, "[(limit :aka nil)]", 1, "{:aka [\"Devil\" \"Tupen\"]}"),
        row(DB, "[[:aka :limit nil]]", 1, "{:aka [\"Devil\" \"Tupen\"]}"),
        row(DB, "[[:aka :limit 0]]", 1, "nil"),
        row(DB, "[(default :foo \"bar\")]", 1, "{:foo \"bar\"}"),
        row(DB, "[[:foo :default \"bar\"]]", 1, "{:foo \"bar\"}"),
        row(DB, "[[:foo :default nil]]", 1, "{:foo nil}"),
        row(DB, "[[:name :default \"x\"]]", 1, "{:name \"Petr\"}"),
        row(
            DB,
            "[:name {(limit :child 1) [:name]}]",
            1,
            "{:name \"Petr\" :child [{:name \"David\"}]}"),
        row(
            DB,
            "[:name {[:child :limit 1] [:name]}]",
            1,
            "{:name \"Petr\" :child [{:name \"David\"}]}"),
        // :as
        row(
            DB,
            "[[:name :as \"Name\"] [:aka :as :alias]]",
            1,
            "{\"Name\" \"Petr\" :alias [\"Devil\" \"Tupen\"]}"),
        row(DB, "[[:x :as \"Name\" :default \"Nothing\"]]", 1, "{\"Name\" \"Nothing\"}"),
        row(
            DB,
            "[{[:child :as :kids] [:name]}]",
            1,
            "{:kids [{:name \"David\"} {:name \"Thomas\"}]}"),
        row(DB, "[[:_child :as :parents]]", 2, "{:parents [{:db/id 1}]}"),
        row(DB, "[:name [:name :as :n]]", 1, "{:n \"Petr\"}"),
        // map specs
        row(DB, "[:name {:father [:name]}]", 6, "{:name \"Matthew\" :father {:name \"Thomas\"}}"),
        row(
            DB,
            "[:name {:child [:name]}]",
            1,
            "{:name \"Petr\" :child [{:name \"David\"} {:name \"Thomas\"}]}"),
        row(DB, "[:name {:father [:name]}]", 1, "{:name \"Petr\"}"),
        row(DB, "[:name {:child [:foo]}]", 1, "{:name \"Petr\" :child []}"),
        row(DB, "[:name {:father [:foo]}]", 6, "{:name \"Matthew\"}"),
        row(
            DB,
            "[:name {:part [:name]}]",
            10,
            "{:name \"Part A\" :part [{:name \"Part A.A\"} {:name \"Part A.B\"}]}"),
        row(
            DB,
            "[:name {:part 1}]",
            10,
            "{:name \"Part A\" :part [{:name \"Part A.A\"} {:name \"Part A.B\"}]}"),
        row(
            DB,
            "[{:father [:name] :child [:name]}]",
            1,
            "{:child [{:name \"David\"} {:name \"Thomas\"}]}"),
        row(
            DB,
            "[{:child [:name]} :name]",
            1,
            "{:name \"Petr\" :child [{:name \"David\"} {:name \"Thomas\"}]}"),
        row(DB, "[{:child [:name]} :child]", 1, "{:child [{:name \"David\"} {:name \"Thomas\"}]}"),
        row(
            DB,
            "[:name {:child [:name {:_father [:name]}]}]",
            1,
            "{:name \"Petr\" :child [{:name \"David\"}"
                + " {:name \"Thomas\" :_father [{:name \"Matthew\"}]}]}"),
        // recursion
        row(
            FRIEND_DB,
            "[:db/id :name {:friend ...}]",
            4,
            "{:db/id 4 :name \"Lucy\" :friend [{:db/id 5 :name \"Elizabeth\" :friend [{:db/id 6"
                + " :name \"Matthew\" :friend [{:db/id 7 :name \"Eunan\" :friend [{:db/id 8 :name"
                + " \"Kerri\"}]}]}]}]}"),
        row(
            FRIEND_DB,
            "[:db/id :name {:friend 2 :enemy 2}]",
            4,
            "{:db/id 4 :name \"Lucy\""
                + " :friend [{:db/id 5 :name \"Elizabeth\""
                + "           :friend [{:db/id 6 :name \"Matthew\""
                + "                     :enemy [{:db/id 8 :name \"Kerri\"}]}]"
                + "           :enemy [{:db/id 7 :name \"Eunan\""
                + "                    :friend [{:db/id 8 :name \"Kerri\"}]"
                + "                    :enemy [{:db/id 4 :name \"Lucy\""
                + "                             :friend [{:db/id 5}]}]}]}]"
                + " :enemy [{:db/id 6 :name \"Matthew\""
                + "          :friend [{:db/id 7 :name \"Eunan\""
                + "                    :friend [{:db/id 8 :name \"Kerri\"}]"
                + "                    :enemy [{:db/id 4 :name \"Lucy\""
                + "                             :friend [{:db/id 5 :name \"Elizabeth\"}]}]}]"
                + "          :enemy [{:db/id 8 :name \"Kerri\"}]}]}"),
        row(
            CYCLE_DB,
            "[:db/id :name {:friend ...}]",
            4,
            "{:db/id 4 :name \"Lucy\" :friend [{:db/id 5 :name \"Elizabeth\" :friend [{:db/id 6"
                + " :name \"Matthew\" :friend [{:db/id 7 :name \"Eunan\" :friend [{:db/id 8 :name"
                + " \"Kerri\" :friend [{:db/id 4 :name \"Lucy\" :friend [{:db/id 5}]}]}]}]}]}]}"),
        row(
            FRIEND_DB,
            "[:name {:friend 1}]",
            4,
            "{:name \"Lucy\" :friend [{:name \"Elizabeth\"}]}"),
        row(
            FRIEND_DB,
            "[:name {\"friend\" \"...\"}]",
            6,
            "{:name \"Matthew\" :friend [{:name \"Eunan\" :friend [{:name \"Kerri\"}]}]}"),
        row(
            FRIEND_DB,
            "[:name {:friend 2.5}]",
            6,
            "{:name \"Matthew\" :friend [{:name \"Eunan\" :friend [{:name \"Kerri\"}]}]}"),
        // Datahike: a recursion step marks the entity it enters, so a wildcard there sees it
        row(
            FRIEND_DB,
            "[* {:friend ...}]",
            7,
            "{:db/id 7 :name \"Eunan\" :friend [{:db/id 8}] :enemy [{:db/id 4}]}"));
  }

  @ParameterizedTest(name = "{1} of {2}")
  @MethodSource("cases")
  void pull_table(NaiveDb db, String pattern, long eid, String expected) {
    assertThat(Pull.pull(db, TestEdn.read(pattern), eid)).isEqualTo(TestEdn.read(expected));
  }

  private static Arguments row(NaiveDb db, String pattern, long eid, String expected) {
    return Arguments.of(db, pattern, eid, expected);
  }

  @Test
  void pull_dualRecursion() {
    NaiveDb db =
        NaiveDb.of(
            "{:part {:db/valueType :db.type/ref} :spec {:db/valueType :db.type/ref}}",
            "[[1 :part 2] [2 :part 3] [3 :part 1] [1 :spec 2] [2 :spec 1]]");
    assertThat(Pull.pull(db, TestEdn.read("[:db/id {:part ...} {:spec ...}]"), 1L))
        .isEqualTo(
            TestEdn.read(
                "{:db/id 1,"
                    + " :spec {:db/id 2"
                    + "        :spec {:db/id 1, :spec {:db/id 2}, :part {:db/id 2}}"
                    + "        :part {:db/id 3,"
                    + "               :part {:db/id 1, :spec {:db/id 2}, :part {:db/id 2}}}}"
                    + " :part {:db/id 2"
                    + "        :spec {:db/id 1, :spec {:db/id 2}, :part {:db/id 2}}"
                    + "        :part {:db/id 3,"
                    + "               :part {:db/id 1, :spec {:db/id 2}, :part {:db/id 2}}}}}"));
  }

  @Test
  void pull_deepRecursionRunsOnTheHeap() {
    int depth = 3_000;
    StringBuilder triples = new StringBuilder("[");
    for (int i = 1; i <= depth; i++) {
      triples.append("[").append(i).append(" :name \"p\"]");
      if (i < depth) {
        triples.append("[").append(i).append(" :friend ").append(i + 1).append("]");
      }
    }
    triples.append("]");
    NaiveDb db = NaiveDb.of(PullTest.SCHEMA, "[]").with(triples.toString());
    Object node = Pull.pull(db, TestEdn.read("[:db/id {:friend ...}]"), 1L);
    int seen = 0;
    while (node != null) {
      Map<?, ?> m = (Map<?, ?>) node;
      seen++;
      assertThat(m.get(Keyword.of("db/id"))).isEqualTo((long) seen);
      List<?> friends = (List<?>) m.get(Keyword.of("friend"));
      node = friends == null ? null : friends.get(0);
    }
    assertThat(seen).isEqualTo(depth);
  }

  @Test
  void pull_defaultLimitIs1000() {
    StringBuilder triples = new StringBuilder("[");
    for (int i = 0; i < 1500; i++) {
      triples.append("[8 :aka \"aka-").append(String.format("%04d", i)).append("\"]");
    }
    triples.append("]");
    NaiveDb db = DB.with(triples.toString());
    assertThat((List<?>) Pull.pull(db, TestEdn.read("[:aka]"), 8L).get(Keyword.of("aka")))
        .hasSize(1000);
    assertThat((List<?>) Pull.pull(db, TestEdn.read("[(limit :aka 1200)]"), 8L).get(kw("aka")))
        .hasSize(1200);
    assertThat((List<?>) Pull.pull(db, TestEdn.read("[(limit :aka nil)]"), 8L).get(kw("aka")))
        .hasSize(1500);
    assertThat((List<?>) Pull.pull(db, TestEdn.read("[*]"), 8L).get(kw("aka"))).hasSize(1000);
  }

  @Test
  void pullMany_keepsOrderAndDropsEmptyResults() {
    assertThat(Pull.pullMany(DB, TestEdn.read("[:name]"), List.of(1L, 5L, 7L, 9L)))
        .isEqualTo(
            TestEdn.read(
                "[{:name \"Petr\"} {:name \"Elizabeth\"} {:name \"Eunan\"} {:name \"Rebecca\"}]"));
    assertThat(Pull.pullMany(DB, TestEdn.read("[:db/id :name]"), List.of(2L, 999L, 1L)))
        .isEqualTo(TestEdn.read("[{:db/id 2 :name \"David\"} {:db/id 1 :name \"Petr\"}]"));
    assertThat(Pull.pullMany(DB, TestEdn.read("[:foo]"), List.of(1L))).isEmpty();
    assertThat(Pull.pullMany(DB, TestEdn.read("[:name]"), List.of())).isEmpty();
  }

  @Test
  void pull_resolvesLookupRefsAndIdents() {
    NaiveDb db = DB.with("[[20 :email \"a@b.c\"] [20 :name \"Ann\"] [21 :db/ident :ent1]]");
    assertThat(Pull.pull(db, TestEdn.read("[:name]"), TestEdn.read("[:email \"a@b.c\"]")))
        .isEqualTo(TestEdn.read("{:name \"Ann\"}"));
    assertThat(Pull.pull(db, TestEdn.read("[*]"), (Object) kw("ent1")))
        .isEqualTo(TestEdn.read("{:db/id 21 :db/ident :ent1}"));
    assertThat(Pull.pull(db, TestEdn.read("[:name]"), (Object) 20L))
        .isEqualTo(TestEdn.read("{:name \"Ann\"}"));
    assertThat(
            Pull.pullMany(
                db, TestEdn.read("[:name]"), List.of(TestEdn.read("[:email \"a@b.c\"]"), 1L)))
        .isEqualTo(TestEdn.read("[{:name \"Ann\"} {:name \"Petr\"}]"));
  }

  @Test
  void pull_unresolvableEntityThrows() {
    assertThatThrownBy(
            () -> Pull.pull(DB, TestEdn.read("[:name]"), TestEdn.read("[:email \"nobody\"]")))
        .isInstanceOf(DatahikeException.class)
        .hasMessageContaining("Nothing found for entity id");
    assertThatThrownBy(() -> Pull.pull(DB, TestEdn.read("[:name]"), (Object) kw("nope")))
        .isInstanceOf(DatahikeException.class)
        .hasMessageContaining("Nothing found for entity id");
    assertThatThrownBy(
            () -> Pull.pull(DB, TestEdn.read("[:name]"), TestEdn.read("[:name \"Petr\"]")))
        .isInstanceOf(DatahikeException.class)
        .hasMessageContaining("should be marked as :db/unique");
  }

  @Test
  void pull_xformByRegisteredSymbol() {
    Function<Object, Object> upper = v -> v.toString().toUpperCase();
    Function<Object, Object> count = v -> (long) ((List<?>) v).size();
    PullXforms.register(Symbol.of("test/upper"), upper);
    PullXforms.register(Symbol.of("test/count"), count);
    assertThat(Pull.pull(DB, TestEdn.read("[[:name :xform test/upper]]"), 1L))
        .isEqualTo(TestEdn.read("{:name \"PETR\"}"));
    assertThat(Pull.pull(DB, TestEdn.read("[[:aka :xform test/count :as :n]]"), 1L))
        .isEqualTo(TestEdn.read("{:n 2}"));
    assertThat(Pull.pull(DB, TestEdn.read("[{[:child :xform test/count] [:name]}]"), 1L))
        .isEqualTo(TestEdn.read("{:child 2}"));
    assertThat(Pull.pull(DB, TestEdn.read("[[:foo :xform test/upper :default \"x\"]]"), 1L))
        .isEqualTo(TestEdn.read("{:foo \"x\"}"));
    List<Object> javaPattern = new ArrayList<>();
    javaPattern.add(List.of(kw("name"), kw("xform"), upper));
    assertThat(Pull.pull(DB, javaPattern, 2L)).isEqualTo(TestEdn.read("{:name \"DAVID\"}"));
  }

  @Test
  void pull_badPatternThrowsBeforeResolvingTheEntity() {
    assertThatThrownBy(() -> Pull.pull(DB, TestEdn.read("[1]"), (Object) kw("nope")))
        .isInstanceOf(DatahikeException.class)
        .hasMessageContaining("Cannot parse attr-spec");
  }

  private static Keyword kw(String name) {
    return Keyword.of(name);
  }
}
