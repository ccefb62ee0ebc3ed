package datahike.server.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.Config;
import datahike.Datahike;
import datahike.DatahikeException;
import datahike.Datom;
import datahike.edn.Keyword;
import datahike.server.codec.Format;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The remote client against a live server, in each wire format. */
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
          + " {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]";

  @ParameterizedTest
  @EnumSource(Format.class)
  void lifecycle_transactReadAndViews(Format f) {
    Config cfg = fx.remote("remote-conn-" + f + "-" + UUID.randomUUID(), f);
    assertThat(RemoteDatahike.databaseExists(cfg)).isFalse();
    assertThatThrownBy(() -> RemoteDatahike.connect(cfg))
        .isInstanceOf(DatahikeException.class)
        .extracting(e -> ((DatahikeException) e).code().fullName())
        .isEqualTo("db/missing");
    RemoteDatahike.createDatabase(cfg);
    assertThat(RemoteDatahike.databaseExists(cfg)).isTrue();
    try (RemoteConnection conn = RemoteDatahike.connect(cfg)) {
      conn.transact(SCHEMA);
      RemoteTxReport r =
          conn.transact(
              List.of(
                  Map.of(
                      Keyword.of("db/id"),
                      "alice",
                      Keyword.of("name"),
                      "Alice",
                      Keyword.of("age"),
                      30L)));
      long alice = r.tempid("alice");
      assertThat(r.txData()).extracting(Datom::e).contains(alice);
      assertThat(r.dbAfter().basisT()).isEqualTo(r.tx());

      RemoteDatabase db = conn.db();
      Set<List<Object>> rows =
          RemoteDatahike.q("[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]", db);
      assertThat(rows).containsExactly(List.of("Alice", 30L));
      long basis = db.basisT();
      assertThat(basis).isEqualTo(r.tx());

      // A value stays a value: later transactions do not show in it.
      RemoteTxReport r2 =
          conn.transact("[{:name \"Bob\" :age 40} [:db/add [:name \"Alice\"] :age 31]]");
      assertThat(db.<Object>q("[:find (count ?e) . :where [?e :name]]")).isEqualTo(1L);
      assertThat(db.pull("[:age]", alice)).isEqualTo(Map.of(Keyword.of("age"), 30L));
      RemoteDatabase now = conn.db();
      assertThat(now.<Object>q("[:find (count ?e) . :where [?e :name]]")).isEqualTo(2L);
      assertThat(now.pull("[:age]", alice)).isEqualTo(Map.of(Keyword.of("age"), 31L));

      // Views are made locally and read on the server.
      assertThat(
              RemoteDatahike.<Set<List<Object>>>q(
                  "[:find ?a :where [_ :age ?a]]", now.asOf(r.tx())))
          .containsExactly(List.of(30L));
      assertThat(
              RemoteDatahike.<Set<List<Object>>>q(
                  "[:find ?n :where [_ :name ?n]]", now.since(r.tx())))
          .containsExactly(List.of("Bob"));
      Set<List<Object>> hist =
          RemoteDatahike.q("[:find ?a ?added :where [?e :age ?a _ ?added]]", now.history());
      assertThat(hist).contains(List.of(30L, false), List.of(31L, true), List.of(40L, true));
      assertThat(now.history().isHistory()).isTrue();
      assertThatThrownBy(() -> now.asOf(5L).schema())
          .isInstanceOf(RemoteException.class)
          .extracting(e -> ((RemoteException) e).code().fullName())
          .isEqualTo("time-point/invalid");

      // with: nothing is written; its db-after can be read.
      RemoteTxReport w = now.with("[{:name \"Eve\" :age 20}]");
      assertThat(w.dbAfter().<Object>q("[:find ?a . :where [?e :name \"Eve\"] [?e :age ?a]]"))
          .isEqualTo(20L);
      assertThat(conn.db().<Object>q("[:find ?e . :where [?e :name \"Eve\"]]")).isNull();

      // Entity, datoms, index range, schema.
      assertThat(now.entity(alice)).containsEntry(Keyword.of("name"), "Alice");
      assertThat(now.datoms(":eavt", alice)).extracting(Datom::v).contains("Alice", 31L);
      assertThat(now.indexRange(Keyword.of("age"), 35L, null))
          .extracting(Datom::v)
          .containsExactly(40L);
      assertThat(now.schema()).containsKey(Keyword.of("name"));
      assertThat(now.pullMany("[:name]", List.of(alice, List.of(Keyword.of("name"), "Bob"))))
          .containsExactly(Map.of(Keyword.of("name"), "Alice"), Map.of(Keyword.of("name"), "Bob"));

      // Errors keep their code.
      assertThatThrownBy(() -> conn.transact("[{:name 42}]"))
          .isInstanceOf(RemoteException.class)
          .satisfies(e -> assertThat(((RemoteException) e).status()).isEqualTo(422));

      // Async transactions.
      RemoteTxReport async = conn.transactAsync("[{:name \"Carol\"}]").join();
      assertThat(async.tx()).isGreaterThan(r2.tx());
      assertThat(conn.gcStorage(new Date())).isZero();
      Map<Keyword, Object> stats =
          RemoteDatahike.queryStats("[:find ?n :where [_ :name ?n]]", conn.db());
      assertThat(stats).containsKey(Keyword.of("query-stats"));
      assertThatThrownBy(() -> conn.listen("k", x -> {})).isInstanceOf(DatahikeException.class);
    }
    RemoteDatahike.deleteDatabase(cfg);
    assertThat(RemoteDatahike.databaseExists(cfg)).isFalse();
    assertThat(
            Datahike.databaseExists(
                RemoteFixture.local(cfg.store().get(Keyword.of("id")).toString())))
        .isFalse();
  }

  @org.junit.jupiter.api.Test
  void oldBasis_readsAsOfWithHistory_andIsGoneWithout() {
    for (boolean history : new boolean[] {true, false}) {
      String id = "basis-" + history + "-" + UUID.randomUUID();
      Config cfg =
          Config.parse(
              "{:store {:backend :memory :id \""
                  + id
                  + "\"} :keep-history? "
                  + history
                  + " :remote-peer {:backend :datahike-server :url \""
                  + fx.server.url()
                  + "\""
                  + " :token \""
                  + RemoteFixture.TOKEN
                  + "\"}}");
      RemoteDatahike.createDatabase(cfg);
      try (RemoteConnection conn = RemoteDatahike.connect(cfg)) {
        conn.transact(SCHEMA);
        conn.transact("[{:name \"first\"}]");
        RemoteDatabase old = conn.db();
        String q = "[:find (count ?e) . :where [?e :name]]";
        assertThat(old.<Object>q(q)).isEqualTo(1L);
        for (int i = 0; i < 70; i++) conn.transact("[{:name \"n" + i + "\"}]");
        if (history) {
          assertThat(old.<Object>q(q)).isEqualTo(1L);
        } else {
          assertThatThrownBy(() -> old.q(q))
              .isInstanceOf(RemoteException.class)
              .satisfies(e -> assertThat(((RemoteException) e).status()).isEqualTo(410))
              .extracting(e -> ((RemoteException) e).code().fullName())
              .isEqualTo("db/basis-unavailable");
        }
        assertThat(conn.db().<Object>q(q)).isEqualTo(71L);
      }
      RemoteDatahike.deleteDatabase(cfg);
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void wrongToken_isRefused(Format f) {
    String id = "remote-token-" + f + "-" + UUID.randomUUID();
    Config cfg = fx.remote(id, f);
    RemoteDatahike.createDatabase(cfg);
    Config bad =
        Config.parse(
            "{:store {:backend :memory :id \""
                + id
                + "\"}"
                + " :remote-peer {:backend :datahike-server :url \""
                + fx.server.url()
                + "\""
                + " :token \"nope\" :format "
                + f.keyword()
                + "}}");
    assertThatThrownBy(() -> RemoteDatahike.connect(bad))
        .isInstanceOf(RemoteException.class)
        .satisfies(e -> assertThat(((RemoteException) e).status()).isEqualTo(401))
        .extracting(e -> ((RemoteException) e).code().fullName())
        .isEqualTo("server/unauthorized");
    RemoteDatahike.deleteDatabase(cfg);
  }
}
