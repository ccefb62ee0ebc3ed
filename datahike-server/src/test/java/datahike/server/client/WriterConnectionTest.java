package datahike.server.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.Config;
import datahike.Datahike;
import datahike.TxReport;
import datahike.server.ServerConfig;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The {@code :writer} mode: reads from the local store, transactions through the server. The store
 * is shared in-process (the memory store) since the durable file store is not wired yet.
 */
class WriterConnectionTest {
  @Test
  void transactions_goToTheServer_readsStayLocal() {
    String id = "writer-" + UUID.randomUUID();
    String token = "writer-token";
    try (RemoteFixture fx =
        new RemoteFixture(ServerConfig.builder().port(0).token(token).allowCreate(true).build())) {
      Config cfg =
          Config.parse(
              "{:store {:backend :memory :id \""
                  + id
                  + "\"}"
                  + " :writer {:backend :datahike-server :url \""
                  + fx.server.url()
                  + "\""
                  + " :token \""
                  + token
                  + "\"}}");
      RemoteDatahike.createDatabase(cfg);
      assertThat(Datahike.databaseExists(cfg)).isTrue();
      try (WriterConnection conn = WriterConnection.connect(cfg)) {
        conn.transact(
            "[{:db/ident :name :db/valueType :db.type/string"
                + " :db/cardinality :db.cardinality/one}]");
        TxReport r = conn.transact("[{:db/id \"x\" :name \"Alice\"}]");
        assertThat(r.dbAfter().maxTx()).isEqualTo(r.tx());
        assertThat(r.dbBefore().maxTx()).isLessThan(r.tx());
        assertThat(Datahike.<Object>q("[:find ?n . :where [_ :name ?n]]", conn.db()))
            .isEqualTo("Alice");
        assertThat(conn.db().pull("[:name]", r.tempid("x")).get(datahike.edn.Keyword.of("name")))
            .isEqualTo("Alice");
      }
      Config noToken =
          Config.parse(
              "{:store {:backend :memory :id \""
                  + id
                  + "\"}"
                  + " :writer {:backend :datahike-server :url \""
                  + fx.server.url()
                  + "\"}}");
      try (WriterConnection conn = WriterConnection.connect(noToken)) {
        assertThatThrownBy(() -> conn.transact("[{:name \"Mallory\"}]"))
            .isInstanceOf(RemoteException.class);
        assertThat(Datahike.<Object>q("[:find (count ?e) . :where [?e :name]]", conn.db()))
            .isEqualTo(1L);
      }
      RemoteDatahike.deleteDatabase(cfg);
      assertThat(Datahike.databaseExists(cfg)).isFalse();
    }
  }
}
