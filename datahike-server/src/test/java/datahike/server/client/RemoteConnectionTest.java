package datahike.server.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.Config;
import datahike.Connection;
import datahike.Database;
import datahike.Datahike;
import datahike.DatahikeException;
import datahike.Datom;
import datahike.Entity;
import datahike.TxReport;
import datahike.edn.Keyword;
import datahike.server.codec.Format;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code Datahike.connect} with {@code :remote-peer {:backend :datahike-server ...}}: a plain
 * {@link Connection} whose calls go to a live server on a loopback port, in each wire format.
 */
class RemoteConnectionTest {
  static RemoteFixture fx;

  @BeforeAll
  static void start() {
    fx = new RemoteFixture();
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  static final String SCHEMA =
      "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
          + "  :db/unique :db.unique/identity}"
          + " {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
          + " {:db/ident :friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}"
          + " {:db/ident :address :db/valueType :db.type/ref :db/cardinality :db.cardinality/one"
          + "  :db/isComponent true}"
          + " {:db/ident :city :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]";

  static String code(Throwable e) {
    return ((DatahikeException) e).code().fullName();
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void lifecycle_createConnectTransactReadDelete(Format f) {
    Config cfg = fx.remote("remote-conn-" + f + "-" + UUID.randomUUID(), f);
    assertThat(Datahike.databaseExists(cfg)).isFalse();
    assertThatThrownBy(() -> Datahike.connect(cfg)).extracting(RemoteConnectionTest::code)
        .isEqualTo("db/missing");
    Datahike.createDatabase(cfg);
    assertThat(Datahike.databaseExists(cfg)).isTrue();
    assertThatThrownBy(() -> Datahike.createDatabase(cfg)).extracting(RemoteConnectionTest::code)
        .isEqualTo("db/exists");
    try (Connection conn = Datahike.connect(cfg)) {
      assertThat(conn.config()).isSameAs(cfg);
      conn.transact(SCHEMA);
      TxReport r =
          conn.transact(
              List.of(
                  Map.of(
                      Keyword.of("db/id"), "alice", Keyword.of("name"), "Alice",
                      Keyword.of("age"), 30L)));
      long alice = r.tempid("alice");
      assertThat(r.txData()).extracting(Datom::e).contains(alice);
      assertThat(r.dbAfter().maxTx()).isEqualTo(r.tx());
      assertThat(r.dbBefore().maxTx()).isLessThan(r.tx());

      Database db = conn.db();
      Set<List<Object>> rows = Datahike.q("[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]", db);
      assertThat(rows).containsExactly(List.of("Alice", 30L));
      assertThat(db.maxTx()).isEqualTo(r.tx());

      // A value stays a value: later transactions do not show in it.
      TxReport r2 = conn.transact("[{:name \"Bob\" :age 40} [:db/add [:name \"Alice\"] :age 31]]");
      assertThat((Object) Datahike.q("[:find (count ?e) . :where [?e :name]]", db)).isEqualTo(1L);
      assertThat(db.pull("[:age]", alice)).isEqualTo(Map.of(Keyword.of("age"), 30L));
      Database now = conn.db();
      assertThat((Object) Datahike.q("[:find (count ?e) . :where [?e :name]]", now)).isEqualTo(2L);
      assertThat(now.pull("[:age]", alice)).isEqualTo(Map.of(Keyword.of("age"), 31L));
      assertThat(r2.dbAfter().pull("[:age]", alice)).isEqualTo(Map.of(Keyword.of("age"), 31L));

      // Views are made locally and read on the server.
      assertThat(Datahike.<Set<List<Object>>>q("[:find ?a :where [_ :age ?a]]", now.asOf(r.tx())))
          .containsExactly(List.of(30L));
      assertThat(Datahike.<Set<List<Object>>>q("[:find ?n :where [_ :name ?n]]", now.since(r.tx())))
          .containsExactly(List.of("Bob"));
      Set<List<Object>> hist =
          Datahike.q("[:find ?a ?added :where [?e :age ?a _ ?added]]", now.history());
      assertThat(hist).contains(List.of(30L, false), List.of(31L, true), List.of(40L, true));
      assertThat(now.history().isHistory()).isTrue();
      assertThatThrownBy(() -> now.asOf(5L)).extracting(RemoteConnectionTest::code)
          .isEqualTo("time-point/invalid");

      // with: nothing is written; its db-after can be read.
      TxReport w = now.with("[{:name \"Eve\" :age 20}]");
      assertThat(w.dbBefore()).isSameAs(now);
      assertThat((Object) Datahike.q("[:find ?a . :where [?e :name \"Eve\"] [?e :age ?a]]", w.dbAfter()))
          .isEqualTo(20L);
      assertThat((Object) Datahike.q("[:find ?e . :where [?e :name \"Eve\"]]", conn.db())).isNull();

      // Datoms, index range, schema.
      assertThat(now.datoms(":eavt", alice)).extracting(Datom::v).contains("Alice", 31L);
      assertThat(now.indexRange(Keyword.of("age"), 35L, null)).extracting(Datom::v).containsExactly(40L);
      assertThat(now.schema()).containsKey(Keyword.of("name"));
      assertThat(now.pullMany("[:name]", List.of(alice, List.of(Keyword.of("name"), "Bob"))))
          .containsExactly(Map.of(Keyword.of("name"), "Alice"), Map.of(Keyword.of("name"), "Bob"));

      // Async transactions, storage collection, query statistics and plans.
      TxReport async = conn.transactAsync("[{:name \"Carol\"}]").join();
      assertThat(async.tx()).isGreaterThan(r2.tx());
      assertThat(conn.gcStorage(new Date())).isZero();
      Map<Keyword, Object> stats = Datahike.queryStats("[:find ?n :where [_ :name ?n]]", conn.db());
      assertThat(stats).containsKeys(Keyword.of("ret"), Keyword.of("query-stats"));
      assertThat(Datahike.explain("[:find ?n :where [_ :name ?n]]", conn.db())).isNotEmpty();
      assertThat(conn.refresh().maxTx()).isEqualTo(async.tx());
    }
    Datahike.deleteDatabase(cfg);
    assertThat(Datahike.databaseExists(cfg)).isFalse();
    assertThat(Datahike.databaseExists(RemoteFixture.local(cfg.store().get(Keyword.of("id")).toString())))
        .isFalse();
  }

  @Test
  void entity_isLazyAndNavigable() {
    Config cfg = fx.remote("remote-entity-" + UUID.randomUUID(), Format.TRANSIT);
    Datahike.createDatabase(cfg);
    try (Connection conn = Datahike.connect(cfg)) {
      conn.transact(SCHEMA);
      TxReport r =
          conn.transact(
              "[{:db/id \"a\" :name \"Alice\" :age 30 :address {:city \"Berlin\"}}"
                  + " {:db/id \"b\" :name \"Bob\" :friend [\"a\"]}"
                  + " {:db/id \"c\" :name \"Carol\" :friend [\"a\" \"b\"]}]");
      Entity alice = conn.db().entity(List.of(Keyword.of("name"), "Alice"));
      assertThat(alice.id()).isEqualTo(r.tempid("a"));
      assertThat(alice.get(":name")).isEqualTo("Alice");
      assertThat(alice.get(Keyword.of("age"))).isEqualTo(30L);
      assertThat(alice.get(":db/id")).isEqualTo(alice.id());
      assertThat(alice.get(":nothing")).isNull();
      assertThat(alice.keySet()).containsExactlyInAnyOrder(
          Keyword.of("name"), Keyword.of("age"), Keyword.of("address"));
      // A component reference is an entity; touch nests it.
      Entity address = (Entity) alice.get(":address");
      assertThat(address.get(":city")).isEqualTo("Berlin");
      assertThat(address.get(":_address")).isEqualTo(alice);
      assertThat(alice.touch().get(Keyword.of("address")))
          .isEqualTo(Map.of(Keyword.of("db/id"), address.id(), Keyword.of("city"), "Berlin"));
      assertThat(alice.toMap().get(Keyword.of("address"))).isEqualTo(Map.of(Keyword.of("db/id"), address.id()));
      // Reverse attributes and referrers are read on the server.
      @SuppressWarnings("unchecked")
      Set<Entity> fans = (Set<Entity>) alice.get(":_friend");
      List<Object> names = new ArrayList<>();
      for (Entity e : fans) names.add(e.get(":name"));
      assertThat(names).containsExactlyInAnyOrder("Bob", "Carol");
      assertThat(alice.referrers()).containsExactlyInAnyOrder(r.tempid("b"), r.tempid("c"));
      // Navigation follows references through the same value.
      Entity carol = conn.db().entity(r.tempid("c"));
      @SuppressWarnings("unchecked")
      Set<Entity> carolsFriends = (Set<Entity>) carol.get(":friend");
      List<Object> friendNames = new ArrayList<>();
      for (Entity e : carolsFriends) friendNames.add(e.get(":name"));
      assertThat(friendNames).containsExactlyInAnyOrder("Alice", "Bob");
      // Entities of an old value keep reading it.
      Database before = conn.db();
      conn.transact("[[:db/add [:name \"Alice\"] :age 31]]");
      assertThat(before.entity(alice.id()).get(":age")).isEqualTo(30L);
      assertThat(conn.db().entity(alice.id()).get(":age")).isEqualTo(31L);
      assertThat(conn.db().entity(List.of(Keyword.of("name"), "Nobody"))).isNull();
    } finally {
      Datahike.deleteDatabase(cfg);
    }
  }

  /** Errors come back as DatahikeExceptions with the codes the local engine raises. */
  @ParameterizedTest
  @EnumSource(Format.class)
  void errors_haveTheLocalCodes(Format f) {
    String id = "remote-errors-" + f + "-" + UUID.randomUUID();
    Config cfg = fx.remote(id, f);
    Datahike.createDatabase(cfg);
    try (Connection remote = Datahike.connect(cfg);
        Connection local = Datahike.connect(RemoteFixture.local(id))) {
      remote.transact(SCHEMA);
      remote.transact("[{:name \"Alice\" :age 30}]");
      List<Function<Connection, Object>> failing =
          List.of(
              c -> c.transact("[{:name 42}]"),
              c -> c.transact("[{:unknown-attr 1}]"),
              c -> c.transact("[[:db/add -1 :age \"not a long\"]]"),
              c -> c.transact("[[:db.fn/cas [:name \"Alice\"] :age 1 2]]"),
              c -> Datahike.q("[:find ?x :where [?e :name ?n] [(> ?x 1)]]", c.db()),
              c -> Datahike.q("[:find ?x :where [?e :name", c.db()),
              c -> c.db().pull("[:name]", List.of(Keyword.of("age"), 30L)),
              c -> c.db().entity(List.of(Keyword.of("age"), 30L)),
              c -> c.db().datoms(":nope"),
              c -> c.db().asOf("yesterday"));
      for (Function<Connection, Object> call : failing) {
        Throwable l = catchThrowable(() -> call.apply(local));
        Throwable r = catchThrowable(() -> call.apply(remote));
        assertThat(l).isInstanceOf(DatahikeException.class);
        assertThat(r).isInstanceOf(DatahikeException.class);
        assertThat(code(r)).as(l.getMessage()).isEqualTo(code(l));
      }
    } finally {
      Datahike.deleteDatabase(cfg);
    }
  }

  private static Throwable catchThrowable(Runnable r) {
    try {
      r.run();
      return null;
    } catch (Throwable t) {
      return t;
    }
  }

  /** What cannot cross the wire fails before the request, naming the operation. */
  @Test
  void javaCode_cannotCrossTheWire() {
    Config cfg = fx.remote("remote-unsupported-" + UUID.randomUUID(), Format.TRANSIT);
    Datahike.createDatabase(cfg);
    try (Connection conn = Datahike.connect(cfg)) {
      conn.transact(SCHEMA);
      Database db = conn.db();
      Database localDb = Database.wrap(datahike.db.DbBuilder.empty(
          new datahike.db.DbValue.DbFlags(true, false, false), null));
      Map<String, Runnable> calls = new LinkedHashMap<>();
      calls.put("filter", () -> db.filter((d, datom) -> true));
      calls.put("listen", () -> conn.listen("k", (Consumer<TxReport>) x -> {}));
      calls.put("unlisten", () -> conn.unlisten("k"));
      calls.put("unwrap", db::unwrap);
      Function<Long, Long> inc = x -> x + 1;
      calls.put("q", () -> Datahike.q("[:find ?x :in $ ?f :where [(?f 1) ?x]]", db, inc));
      calls.put("q ", () -> Datahike.q("[:find ?n :in $ $2 :where [$2 _ :name ?n]]", db, localDb));
      calls.put("transact", () -> conn.transact(List.of(Map.of(Keyword.of("name"), new Object()))));
      for (Map.Entry<String, Runnable> c : calls.entrySet()) {
        assertThatThrownBy(c.getValue()::run)
            .as(c.getKey())
            .isInstanceOf(DatahikeException.class)
            .satisfies(e -> assertThat(code(e)).isEqualTo("remote/unsupported"))
            .satisfies(
                e ->
                    assertThat(((DatahikeException) e).data().get(Keyword.of("operation")))
                        .isEqualTo(c.getKey().strip()));
      }
      // A query over collections only has no server to go to: it runs locally, as always.
      assertThat((Object) Datahike.q("[:find ?x . :in [?x ...]]", List.of(7L))).isEqualTo(7L);
    } finally {
      Datahike.deleteDatabase(cfg);
    }
  }

  @Test
  void oldBasis_readsAsOfWithHistory_andIsGoneWithout() {
    for (boolean history : new boolean[] {true, false}) {
      String id = "basis-" + history + "-" + UUID.randomUUID();
      Config cfg =
          Config.parse(
              "{:store {:backend :memory :id \""
                  + id
                  + "\"} :keep-history? "
                  + history
                  + " :remote-peer "
                  + fx.peer(Format.TRANSIT, RemoteFixture.TOKEN)
                  + "}");
      Datahike.createDatabase(cfg);
      try (Connection conn = Datahike.connect(cfg)) {
        conn.transact(SCHEMA);
        conn.transact("[{:name \"first\"}]");
        Database old = conn.db();
        String q = "[:find (count ?e) . :where [?e :name]]";
        assertThat((Object) Datahike.q(q, old)).isEqualTo(1L);
        for (int i = 0; i < 70; i++) conn.transact("[{:name \"n" + i + "\"}]");
        if (history) {
          assertThat((Object) Datahike.q(q, old)).isEqualTo(1L);
        } else {
          assertThatThrownBy(() -> Datahike.q(q, old))
              .isInstanceOf(RemoteException.class)
              .satisfies(e -> assertThat(((RemoteException) e).status()).isEqualTo(410))
              .extracting(RemoteConnectionTest::code)
              .isEqualTo("db/basis-unavailable");
        }
        assertThat((Object) Datahike.q(q, conn.db())).isEqualTo(71L);
      }
      Datahike.deleteDatabase(cfg);
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void wrongToken_isAnAuthError(Format f) {
    String id = "remote-token-" + f + "-" + UUID.randomUUID();
    Config cfg = fx.remote(id, f);
    Datahike.createDatabase(cfg);
    for (String token : new String[] {"nope", null}) {
      Config bad =
          Config.parse(
              "{:store {:backend :memory :id \"" + id + "\"} :remote-peer " + fx.peer(f, token) + "}");
      assertThatThrownBy(() -> Datahike.connect(bad))
          .isInstanceOf(RemoteException.class)
          .satisfies(e -> assertThat(((RemoteException) e).status()).isEqualTo(401))
          .extracting(RemoteConnectionTest::code)
          .isEqualTo("server/unauthorized");
      assertThatThrownBy(() -> Datahike.databaseExists(bad)).extracting(RemoteConnectionTest::code)
          .isEqualTo("server/unauthorized");
    }
    Datahike.deleteDatabase(cfg);
  }

  @Test
  void remoteConfigurations_areChecked() {
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("{:remote-peer {:backend :no-such-server :url \"http://x\"}}", "remote/unknown-backend");
    bad.put("{:remote-peer {:url \"http://x\"}}", "remote/config-invalid");
    bad.put("{:remote-peer {:backend :datahike-server :url \"ftp://x\"}}", "remote/config-invalid");
    bad.put(
        "{:remote-peer {:backend :datahike-server :url \"http://x\"}"
            + " :writer {:backend :datahike-server :url \"http://x\"}}",
        "remote/config-invalid");
    bad.put(
        "{:remote-peer {:backend :datahike-server :url \"http://127.0.0.1:1\" :timeout-ms 2000}}",
        "remote/unreachable");
    for (Map.Entry<String, String> b : bad.entrySet()) {
      Config cfg = Config.parse(b.getKey());
      assertThatThrownBy(() -> Datahike.connect(cfg)).as(b.getKey())
          .extracting(RemoteConnectionTest::code)
          .isEqualTo(b.getValue());
    }
  }
}
