package datahike.server.client;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Config;
import datahike.Connection;
import datahike.Database;
import datahike.Datahike;
import datahike.db.EdnTags;
import datahike.edn.Keyword;
import datahike.server.codec.Format;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Queries, pulls and index reads give the same results over the remote client as locally. */
class RemoteEqualsLocalTest {
  static final String ID = "equals-" + UUID.randomUUID();
  static RemoteFixture fx;
  static Connection local;

  @BeforeAll
  static void start() {
    fx = new RemoteFixture();
    Config cfg = RemoteFixture.local(ID);
    Datahike.createDatabase(cfg);
    local = Datahike.connect(cfg);
    local.transact(
        "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one "
            + " :db/unique :db.unique/identity} {:db/ident :age :db/valueType :db.type/long"
            + " :db/cardinality :db.cardinality/one  :db/index true} {:db/ident :friend"
            + " :db/valueType :db.type/ref :db/cardinality :db.cardinality/many} {:db/ident :tags"
            + " :db/valueType :db.type/keyword  :db/cardinality :db.cardinality/many} {:db/ident"
            + " :birthday :db/valueType :db.type/instant  :db/cardinality :db.cardinality/one}"
            + " {:db/ident :uuid :db/valueType :db.type/uuid :db/cardinality :db.cardinality/one}"
            + " {:db/ident :score :db/valueType :db.type/double :db/cardinality"
            + " :db.cardinality/one} {:db/ident :note :db/valueType :db.type/string :db/cardinality"
            + " :db.cardinality/one}]");
    StringBuilder tx = new StringBuilder("[");
    for (int i = 0; i < 40; i++) {
      tx.append("{:db/id \"p")
          .append(i)
          .append("\" :name \"P")
          .append(i)
          .append("\" :age ")
          .append(10 + i)
          .append(" :tags [:t")
          .append(i % 3)
          .append(" :all]")
          .append(" :birthday #inst \"19")
          .append(50 + i)
          .append("-03-0")
          .append(1 + i % 9)
          .append("T10:00:00.000-00:00\"")
          .append(" :uuid #uuid \"00000000-0000-0000-0000-0000000000")
          .append(10 + i)
          .append("\"")
          .append(" :score ")
          .append(i * 1.25)
          .append(" :note \"")
          .append(i % 4 == 0 ? ":colon" : "plain ~^` \\\\")
          .append("\"");
      if (i > 0) tx.append(" :friend [\"p").append(i - 1).append("\"]");
      tx.append("} ");
    }
    local.transact(tx.append("]").toString());
    local.transact("[[:db/retract [:name \"P3\"] :age 13] {:name \"P3\" :age 99}]");
  }

  @AfterAll
  static void stop() {
    fx.close();
    Datahike.deleteDatabase(RemoteFixture.local(ID));
  }

  static Object edn(String s) {
    return EdnTags.read(s);
  }

  /** A query and its inputs after the database. */
  record Q(String query, Object... inputs) {}

  static final List<Q> QUERIES =
      List.of(
          new Q("[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]"),
          new Q("[:find [?n ...] :where [_ :name ?n]]"),
          new Q("[:find ?n . :where [?e :age 30] [?e :name ?n]]"),
          new Q("[:find [?n ?a] :where [?e :name ?n] [?e :age ?a] [(= ?a 25)]]"),
          new Q("[:find (count ?e) (avg ?a) (max ?a) :where [?e :age ?a]]"),
          new Q("[:find ?t (count ?e) :where [?e :tags ?t]]"),
          new Q("[:find ?n ?f :where [?e :name ?n] [?e :friend ?x] [?x :name ?f]]"),
          new Q("[:find ?n :in $ ?min :where [?e :age ?a] [(> ?a ?min)] [?e :name ?n]]", 35L),
          new Q("[:find ?e :in $ [?n ...] :where [?e :name ?n]]", List.of("P1", "P2")),
          new Q(
              "[:find ?n ?a :in $ [[?n ?a]] :where [?e :name ?n] [?e :age ?a]]",
              List.of(List.of("P1", 11L), List.of("P2", 99L))),
          new Q(
              "[:find ?n :in $ % :where (adult ?e) [?e :name ?n]]",
              edn("[[(adult ?e) [?e :age ?a] [(>= ?a 40)]]]")),
          new Q(
              "[:find ?n :in $ % :where (chain ?e ?x) [?x :name \"P0\"] [?e :name ?n]]",
              edn(
                  "[[(chain ?a ?b) [?a :friend ?b]] [(chain ?a ?b) [?a :friend ?m] (chain ?m"
                      + " ?b)]]")),
          new Q("[:find (pull ?e [:name {:friend [:name]}]) :where [?e :age 30]]"),
          new Q("[:find ?n ?a :keys name age :where [?e :name ?n] [?e :age ?a] [(< ?a 14)]]"),
          new Q(
              "[:find ?b ?u ?s ?note :where [?e :birthday ?b] [?e :uuid ?u] [?e :score ?s]"
                  + " [?e :note ?note]]"),
          new Q("{:find [?n] :where [[?e :name ?n] [(clojure.string/starts-with? ?n \"P1\")]]}"),
          new Q("[:find ?e ?a ?v :where [?e :age ?v] [?e ?a ?v] [(> ?v 45)]]"),
          new Q("[:find ?n :where [?e :name ?n] (not [?e :friend])]"),
          new Q("[:find ?n :where [?e :name ?n] (or [?e :age 10] [?e :age 11])]"));

  @ParameterizedTest
  @EnumSource(Format.class)
  void queries_sameRemotelyAsLocally(Format f) throws Exception {
    Database ldb = local.db();
    try (RemoteConnection conn = RemoteDatahike.connect(fx.remote(ID, f))) {
      RemoteDatabase rdb = conn.db();
      int nonEmpty = 0;
      for (Q q : QUERIES) {
        Object[] lin = new Object[q.inputs().length + 1];
        Object[] rin = new Object[q.inputs().length + 1];
        lin[0] = ldb;
        rin[0] = rdb;
        System.arraycopy(q.inputs(), 0, lin, 1, q.inputs().length);
        System.arraycopy(q.inputs(), 0, rin, 1, q.inputs().length);
        Object expected = Datahike.q(q.query(), lin);
        Object actual = RemoteDatahike.q(q.query(), rin);
        assertThat(actual).as(q.query()).isEqualTo(expected);
        if (expected != null && !(expected instanceof java.util.Collection<?> c && c.isEmpty())) {
          nonEmpty++;
        }
      }
      assertThat(nonEmpty).as("queries with results").isEqualTo(QUERIES.size());
      assertThat(rdb.basisT()).isEqualTo(ldb.maxTx());
      // Views.
      Object lh = Datahike.q("[:find ?a ?added :where [?e :age ?a _ ?added]]", ldb.history());
      Object rh = RemoteDatahike.q("[:find ?a ?added :where [?e :age ?a _ ?added]]", rdb.history());
      assertThat(rh).isEqualTo(lh);
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void pullsAndIndexReads_sameRemotelyAsLocally(Format f) {
    Database ldb = local.db();
    try (RemoteConnection conn = RemoteDatahike.connect(fx.remote(ID, f))) {
      RemoteDatabase rdb = conn.db();
      List<Object> eids = new ArrayList<>();
      for (int i = 0; i < 40; i += 7) eids.add(List.of(Keyword.of("name"), "P" + i));
      for (String pattern :
          List.of(
              "[*]",
              "[:name {:friend [*]}]",
              "[:name :_friend]",
              "[:name {:friend 2}]",
              "[[:name :as \"n\"] [:age :default 0]]",
              "[:name {:friend ...}]")) {
        for (Object eid : eids) {
          assertThat(rdb.pull(pattern, eid))
              .as(pattern + " " + eid)
              .isEqualTo(ldb.pull(pattern, eid));
        }
        assertThat(rdb.pullMany(pattern, eids)).isEqualTo(ldb.pullMany(pattern, eids));
      }
      long p5 = ldb.entity(List.of(Keyword.of("name"), "P5")).id();
      assertThat(rdb.entity(p5)).isEqualTo(ldb.entity(p5).toMap());
      assertThat(rdb.datoms(Keyword.of("eavt"), p5)).isEqualTo(ldb.datoms(Keyword.of("eavt"), p5));
      assertThat(rdb.datoms(Keyword.of("avet"), Keyword.of("age")))
          .isEqualTo(ldb.datoms(Keyword.of("avet"), Keyword.of("age")));
      assertThat(rdb.seekDatoms(Keyword.of("aevt"), Keyword.of("tags")))
          .isEqualTo(ldb.seekDatoms(Keyword.of("aevt"), Keyword.of("tags")));
      assertThat(rdb.indexRange(Keyword.of("age"), 20L, 30L))
          .isEqualTo(ldb.indexRange(Keyword.of("age"), 20L, 30L));
      assertThat(rdb.schema()).isEqualTo(ldb.schema());
      assertThat(rdb.reverseSchema()).isEqualTo(ldb.reverseSchema());
      assertThat(rdb.metrics()).isEqualTo(ldb.metrics());
      assertThat(rdb.history().datoms(Keyword.of("eavt"), List.of(Keyword.of("name"), "P3")))
          .isEqualTo(ldb.history().datoms(Keyword.of("eavt"), List.of(Keyword.of("name"), "P3")));
    }
  }
}
