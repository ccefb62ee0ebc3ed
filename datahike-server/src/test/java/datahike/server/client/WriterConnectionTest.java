package datahike.server.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.Config;
import datahike.Connection;
import datahike.Database;
import datahike.Datahike;
import datahike.DatahikeException;
import datahike.TxReport;
import datahike.edn.Keyword;
import datahike.server.codec.Format;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Datahike.connect} with {@code :writer {:backend :datahike-server ...}} beside a {@code
 * :store} shared with the server: transactions go to the server, which alone writes the store; the
 * connection reads the store itself (opened read-only, as another process would), sees each of its
 * transactions as soon as transact returns, and does not call the server to read.
 */
class WriterConnectionTest {
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
          + " :db/unique :db.unique/identity}"
          + " {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]";

  Config writerConfig(String store, String token) {
    return Config.parse(
        "{:store " + store + " :writer " + fx.peer(Format.TRANSIT, token) + "}");
  }

  @Test
  void fileStore_transactsThroughTheServer_readsLocally(@TempDir Path dir) throws Exception {
    String store = "{:backend :file :path \"" + dir.resolve("db") + "\"}";
    Config cfg = writerConfig(store, RemoteFixture.TOKEN);
    Datahike.createDatabase(cfg); // by the server
    assertThat(Files.exists(dir.resolve("db"))).isTrue();
    assertThat(Datahike.databaseExists(cfg)).isTrue();
    try (Connection conn = Datahike.connect(cfg)) {
      conn.transact(SCHEMA);
      TxReport r = conn.transact("[{:db/id \"a\" :name \"Alice\" :age 30}]");
      // Committed by the server and already in the local value.
      Database db = conn.db();
      assertThat(db.maxTx()).isEqualTo(r.tx());
      assertThat(r.dbAfter().maxTx()).isEqualTo(r.tx());
      assertThat(r.dbBefore().maxTx()).isLessThan(r.tx());
      assertThat(r.tempid("a")).isPositive();
      assertThat((Object) Datahike.q("[:find ?a . :where [?e :name \"Alice\"] [?e :age ?a]]", db))
          .isEqualTo(30L);

      // Reads stay local: no request reaches the server.
      long requests = fx.requests();
      for (int i = 0; i < 20; i++) {
        Database d = conn.db();
        assertThat((Object) Datahike.q("[:find (count ?e) . :where [?e :name]]", d)).isEqualTo(1L);
        assertThat(d.pull("[:name :age]", r.tempid("a")))
            .isEqualTo(Map.of(Keyword.of("name"), "Alice", Keyword.of("age"), 30L));
        assertThat(d.entity(r.tempid("a")).get(":name")).isEqualTo("Alice");
        assertThat(d.history().datoms(":eavt", r.tempid("a"))).hasSize(2);
        assertThat(conn.refresh().maxTx()).isEqualTo(r.tx());
      }
      assertThat(fx.requests()).isEqualTo(requests);

      // Every acknowledged transaction is visible on return, one after another.
      for (int i = 0; i < 25; i++) {
        TxReport ri = conn.transact(List.of(Map.of(Keyword.of("name"), "n" + i, Keyword.of("age"), (long) i)));
        assertThat(conn.db().maxTx()).isEqualTo(ri.tx());
        assertThat(conn.db().entity(List.of(Keyword.of("name"), "n" + i)).get(":age")).isEqualTo((long) i);
      }
      assertThat(fx.requests()).isEqualTo(requests + 25);

      // The server's own view agrees (a :remote-peer connection to the same store).
      Config peer =
          Config.parse("{:store " + store + " :remote-peer " + fx.peer(Format.JSON, RemoteFixture.TOKEN) + "}");
      try (Connection remote = Datahike.connect(peer)) {
        String all = "[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]";
        assertThat((Object) Datahike.q(all, remote.db())).isEqualTo(Datahike.q(all, conn.db()));
      }
    }
    Datahike.deleteDatabase(cfg); // by the server
    assertThat(Datahike.databaseExists(cfg)).isFalse();
  }

  @Test
  void wrongToken_isAnAuthError_andWritesNothing(@TempDir Path dir) {
    String store = "{:backend :file :path \"" + dir.resolve("db") + "\"}";
    Config cfg = writerConfig(store, RemoteFixture.TOKEN);
    Datahike.createDatabase(cfg);
    try (Connection conn = Datahike.connect(cfg)) {
      conn.transact(SCHEMA);
      conn.transact("[{:name \"Alice\"}]");
    }
    try (Connection conn = Datahike.connect(writerConfig(store, "wrong"))) {
      assertThatThrownBy(() -> conn.transact("[{:name \"Mallory\"}]"))
          .isInstanceOf(RemoteException.class)
          .extracting(e -> ((DatahikeException) e).code().fullName())
          .isEqualTo("server/unauthorized");
      // Reading needs no token: it is local.
      assertThat((Object) Datahike.q("[:find (count ?e) . :where [?e :name]]", conn.refresh()))
          .isEqualTo(1L);
      assertThatThrownBy(() -> conn.listen("k", x -> {}))
          .extracting(e -> ((DatahikeException) e).code().fullName())
          .isEqualTo("remote/unsupported");
    }
    Datahike.deleteDatabase(cfg);
  }

  /** An in-memory store is shared only inside one JVM: the server's, read in place. */
  @Test
  void memoryStore_sharedWithAnInProcessServer() {
    String id = "writer-" + UUID.randomUUID();
    Config cfg = writerConfig("{:backend :memory :id \"" + id + "\"}", RemoteFixture.TOKEN);
    Datahike.createDatabase(cfg);
    try (Connection conn = Datahike.connect(cfg)) {
      conn.transact(SCHEMA);
      TxReport r = conn.transact("[{:db/id \"x\" :name \"Alice\"}]");
      assertThat(r.dbAfter().maxTx()).isEqualTo(r.tx());
      assertThat((Object) Datahike.q("[:find ?n . :where [_ :name ?n]]", conn.db())).isEqualTo("Alice");
    }
    Datahike.deleteDatabase(cfg);
    assertThat(Datahike.databaseExists(cfg)).isFalse();
  }
}
