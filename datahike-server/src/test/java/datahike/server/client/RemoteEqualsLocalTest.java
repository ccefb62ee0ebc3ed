package datahike.server.client;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Config;
import datahike.Connection;
import datahike.Database;
import datahike.Datahike;
import datahike.Datom;
import datahike.Entity;
import datahike.TxReport;
import datahike.db.EdnTags;
import datahike.edn.Keyword;
import datahike.server.codec.Format;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A connection from {@code Datahike.connect} with {@code :remote-peer} gives what a local
 * connection gives: the same query results (every find form, inputs, rules), pulls, entities, index
 * reads, views and schema of one database read both ways, and the same tempids and tx-data for the
 * same transactions.
 */
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
    try (Connection conn = Datahike.connect(fx.remote(ID, f))) {
      Database rdb = conn.db();
      int nonEmpty = 0;
      for (Q q : QUERIES) {
        Object[] lin = new Object[q.inputs().length + 1];
        Object[] rin = new Object[q.inputs().length + 1];
        lin[0] = ldb;
        rin[0] = rdb;
        System.arraycopy(q.inputs(), 0, lin, 1, q.inputs().length);
        System.arraycopy(q.inputs(), 0, rin, 1, q.inputs().length);
        Object expected = Datahike.q(q.query(), lin);
        Object actual = Datahike.q(q.query(), rin);
        assertThat(actual).as(q.query()).isEqualTo(expected);
        if (expected != null && !(expected instanceof java.util.Collection<?> c && c.isEmpty())) {
          nonEmpty++;
        }
      }
      assertThat(nonEmpty).as("queries with results").isEqualTo(QUERIES.size());
      assertThat(rdb.maxTx()).isEqualTo(ldb.maxTx());
      assertThat(rdb.maxEid()).isEqualTo(ldb.maxEid());
      // Map form with :args, :offset and :limit.
      String sorted = "[:find ?n ?a :in $ ?min :where [?e :name ?n] [?e :age ?a] [(> ?a ?min)]]";
      Map<Keyword, Object> lq = new LinkedHashMap<>();
      lq.put(Keyword.of("query"), sorted);
      lq.put(Keyword.of("args"), List.of(ldb, 20L));
      lq.put(Keyword.of("limit"), 5L);
      Map<Keyword, Object> rq = new LinkedHashMap<>(lq);
      rq.put(Keyword.of("args"), List.of(rdb, 20L));
      assertThat((Object) Datahike.q(rq)).isEqualTo(Datahike.q(lq));
      // Views, and queries joining two of them.
      String added = "[:find ?a ?added :where [?e :age ?a _ ?added]]";
      assertThat((Object) Datahike.q(added, rdb.history()))
          .isEqualTo(Datahike.q(added, ldb.history()));
      long second = ldb.maxTx() - 1;
      String ages = "[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]";
      assertThat((Object) Datahike.q(ages, rdb.asOf(second)))
          .isEqualTo(Datahike.q(ages, ldb.asOf(second)));
      String newAges = "[:find ?a :where [_ :age ?a]]";
      assertThat((Object) Datahike.q(newAges, rdb.since(second)))
          .isEqualTo(Datahike.q(newAges, ldb.since(second)))
          .isEqualTo(Set.of(List.of(99L)));
      String changed =
          "[:find ?n ?old ?new :in $old $new :where [$old ?e :name ?n] [$old ?e :age ?old]"
              + " [$new ?e :age ?new] [(!= ?old ?new)]]";
      assertThat((Object) Datahike.q(changed, rdb.asOf(second), rdb))
          .isEqualTo(Datahike.q(changed, ldb.asOf(second), ldb))
          .isEqualTo(Set.of(List.of("P3", 13L, 99L)));
      assertThat(rdb.asOf(second).maxTx()).isEqualTo(ldb.asOf(second).maxTx());
      // Statistics and plans have the local shape.
      String q = "[:find ?n :where [?e :age 30] [?e :name ?n]]";
      assertThat(Datahike.queryStats(q, rdb).get(Keyword.of("ret")))
          .isEqualTo(Datahike.queryStats(q, ldb).get(Keyword.of("ret")));
      assertThat(Datahike.explain(q, rdb)).hasSameSizeAs(Datahike.explain(q, ldb));
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void pullsAndIndexReads_sameRemotelyAsLocally(Format f) {
    Database ldb = local.db();
    try (Connection conn = Datahike.connect(fx.remote(ID, f))) {
      Database rdb = conn.db();
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
      assertThat(rdb.entity(p5).toMap()).isEqualTo(ldb.entity(p5).toMap());
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
      assertThat(rdb.seekDatoms(":avet", Keyword.of("age"), 45L))
          .isEqualTo(ldb.seekDatoms(":avet", Keyword.of("age"), 45L));
      assertThat(rdb.indexRange(Keyword.of("name"), "P2", "P25"))
          .isEqualTo(ldb.indexRange(Keyword.of("name"), "P2", "P25"));
      long tx2 = ldb.maxTx() - 1;
      assertThat(rdb.asOf(tx2).datoms(":eavt", List.of(Keyword.of("name"), "P3")))
          .isEqualTo(ldb.asOf(tx2).datoms(":eavt", List.of(Keyword.of("name"), "P3")));
      assertThat(rdb.since(tx2).datoms(":aevt", Keyword.of("age")))
          .isEqualTo(ldb.since(tx2).datoms(":aevt", Keyword.of("age")))
          .hasSize(1);
      assertThat(rdb.export()).isEqualTo(ldb.export());
      assertThat(rdb.history().isHistory()).isTrue();
      assertThat(rdb.isFiltered()).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void entities_sameRemotelyAsLocally(Format f) {
    Database ldb = local.db();
    try (Connection conn = Datahike.connect(fx.remote(ID, f))) {
      Database rdb = conn.db();
      for (int i : new int[] {0, 5, 39}) {
        List<Object> ref = List.of(Keyword.of("name"), "P" + i);
        Entity l = ldb.entity(ref);
        Entity r = rdb.entity(ref);
        assertThat(r.id()).isEqualTo(l.id());
        assertThat(r.keySet()).isEqualTo(l.keySet());
        assertThat(r.toMap()).isEqualTo(l.toMap());
        assertThat(r.touch()).isEqualTo(l.touch());
        assertThat(r.referrers()).isEqualTo(l.referrers());
        for (String a : List.of(":name", ":age", ":tags", ":birthday", ":db/id", ":missing")) {
          assertThat(r.get(a)).as(a).isEqualTo(l.get(a));
        }
        // References are entities, navigable on the server; reverse attributes too.
        assertThat(ids(r.get(":friend"))).isEqualTo(ids(l.get(":friend")));
        assertThat(ids(r.get(":_friend"))).isEqualTo(ids(l.get(":_friend")));
        if (r.get(":friend") instanceof Set<?> fs && !fs.isEmpty()) {
          Entity friend = (Entity) fs.iterator().next();
          assertThat(friend.db()).isSameAs(r.db());
          assertThat(friend.get(":name")).isEqualTo(((Entity) ((Set<?>) l.get(":friend")).iterator().next()).get(":name"));
        }
      }
      assertThat(rdb.entity(List.of(Keyword.of("name"), "nobody"))).isNull();
      assertThat(rdb.entity("a string")).isNull();
      assertThat(rdb.entity(777L).get(":db/id")).isEqualTo(ldb.entity(777L).get(":db/id"));
    }
  }

  private static Object ids(Object v) {
    if (v instanceof Entity e) return e.id();
    if (v instanceof Set<?> s) {
      Set<Object> out = new java.util.TreeSet<>();
      for (Object x : s) out.add(((Entity) x).id());
      return out;
    }
    return v;
  }

  /** The same transactions on a local and a remote database: same tempids, same tx-data. */
  @ParameterizedTest
  @EnumSource(Format.class)
  void transactions_sameReportsRemotelyAsLocally(Format f) {
    String rid = "tx-remote-" + UUID.randomUUID();
    String lid = "tx-local-" + UUID.randomUUID();
    Config rcfg = fx.remote(rid, f);
    Config lcfg = RemoteFixture.local(lid);
    Datahike.createDatabase(rcfg);
    Datahike.createDatabase(lcfg);
    try (Connection rc = Datahike.connect(rcfg);
        Connection lc = Datahike.connect(lcfg)) {
      List<Object> txs =
          List.of(
              "[{:db/ident :name :db/valueType :db.type/string :db/cardinality"
                  + " :db.cardinality/one :db/unique :db.unique/identity}"
                  + " {:db/ident :friend :db/valueType :db.type/ref :db/cardinality"
                  + " :db.cardinality/many}"
                  + " {:db/ident :source :db/valueType :db.type/string :db/cardinality"
                  + " :db.cardinality/one}]",
              "[{:db/id \"a\" :name \"A\"} {:db/id \"b\" :name \"B\" :friend \"a\"}"
                  + " {:db/id -1 :name \"C\"}]",
              "[{:name \"A\" :friend [[:name \"C\"]]} [:db/retract [:name \"B\"] :friend"
                  + " [:name \"A\"]]]",
              List.of(
                  Map.of(Keyword.of("db/id"), "d", Keyword.of("name"), "D"),
                  List.of(Keyword.of("db/add"), "d", Keyword.of("friend"), "d")),
              "[[:db/retractEntity [:name \"C\"]]]");
      for (Object tx : txs) {
        TxReport l = lc.transact(tx);
        TxReport r = rc.transact(tx);
        assertThat(r.tempids()).isEqualTo(l.tempids());
        assertThat(withoutInstants(r.txData())).isEqualTo(withoutInstants(l.txData()));
        assertThat(r.tx()).isEqualTo(l.tx());
        assertThat(r.dbAfter().maxTx()).isEqualTo(r.tx());
        assertThat(r.dbBefore().maxTx()).isEqualTo(l.dbBefore().maxTx());
        assertThat(r.dbAfter().maxEid()).isEqualTo(l.dbAfter().maxEid());
      }
      Map<Keyword, Object> meta = Map.of(Keyword.of("source"), "test");
      TxReport l = lc.transact("[{:name \"E\"}]", meta);
      TxReport r = rc.transact("[{:name \"E\"}]", meta);
      assertThat(r.txMeta().get(Keyword.of("source"))).isEqualTo("test");
      assertThat(withoutInstants(r.txData())).isEqualTo(withoutInstants(l.txData()));
      TxReport lw = lc.db().with("[{:db/id \"w\" :name \"W\"}]");
      TxReport rw = rc.db().with("[{:db/id \"w\" :name \"W\"}]");
      assertThat(rw.tempids()).isEqualTo(lw.tempids());
      assertThat((Object) Datahike.q("[:find ?e . :where [?e :name \"W\"]]", rw.dbAfter()))
          .isEqualTo(lw.tempid("w"));
      String all = "[:find ?e ?a ?v :where [?e ?a ?v] [(< ?e 536870912)]]";
      assertThat((Object) Datahike.q(all, rc.db())).isEqualTo(Datahike.q(all, lc.db()));
      assertThat(rc.db().schema()).isEqualTo(lc.db().schema());
    } finally {
      Datahike.deleteDatabase(rcfg);
      Datahike.deleteDatabase(lcfg);
    }
  }

  private static List<Object> withoutInstants(List<Datom> ds) {
    List<Object> out = new ArrayList<>();
    for (Datom d : ds) {
      boolean instant = Keyword.of("db/txInstant").equals(d.attr());
      out.add(List.of(d.e(), d.attr(), instant ? "instant" : d.v(), d.tx(), d.added()));
    }
    return out;
  }
}
