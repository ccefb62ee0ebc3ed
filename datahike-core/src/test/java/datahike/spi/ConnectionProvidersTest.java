package datahike.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.Config;
import datahike.Connection;
import datahike.Database;
import datahike.Datahike;
import datahike.DatahikeException;
import datahike.Entity;
import datahike.edn.Keyword;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * How the facade hands configurations with {@code :remote-peer} / {@code :writer} to a {@link
 * ConnectionProvider}, and how {@link Connection}, {@link Database} and {@link Entity} delegate to
 * a provider's backends. The provider here ({@code :spi-test}, registered in the test resources)
 * records the calls it gets.
 */
class ConnectionProvidersTest {
  /** Calls received by the recording backends, as "method args". */
  static final List<String> CALLS = new ArrayList<>();

  static <T> T recording(Class<T> type, String name, java.util.function.Function<String, Object> answer) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, m, args) -> {
              if (m.getName().equals("toString")) return name;
              if (m.getName().equals("equals")) return proxy == args[0];
              if (m.getName().equals("hashCode")) return System.identityHashCode(proxy);
              CALLS.add(m.getName() + " " + (args == null ? List.of() : java.util.Arrays.asList(args)));
              return answer.apply(m.getName());
            }));
  }

  static DatabaseBackend db() {
    return recording(
        DatabaseBackend.class,
        "recorded-db",
        m ->
            switch (m) {
              case "entityId" -> 42L;
              case "entityGet" -> "value";
              case "maxTx" -> 536870913L;
              case "q" -> Set.of(List.of(1L));
              case "history" -> db();
              default -> null;
            });
  }

  /** The {@code :spi-test} provider. */
  public static final class Recording implements ConnectionProvider {
    @Override
    public Set<String> backends() {
      return Set.of("spi-test");
    }

    @Override
    public ConnectionBackend connect(Config cfg, Mode mode) {
      CALLS.add("connect " + mode);
      return recording(
          ConnectionBackend.class,
          "recorded-conn",
          m -> m.equals("db") ? Database.of(db()) : m.equals("config") ? cfg : null);
    }

    @Override
    public void createDatabase(Config cfg, Mode mode) {
      CALLS.add("createDatabase " + mode);
    }

    @Override
    public void deleteDatabase(Config cfg, Mode mode) {
      CALLS.add("deleteDatabase " + mode);
    }

    @Override
    public boolean databaseExists(Config cfg, Mode mode) {
      CALLS.add("databaseExists " + mode);
      return true;
    }
  }

  static String code(Throwable t) {
    return ((DatahikeException) t).code().fullName();
  }

  @Test
  void configurationsWithoutRemoteKeys_stayWithTheLocalEngine() {
    assertThat(ConnectionProviders.route(Config.parse("{:store {:backend :memory :id \"x\"}}")))
        .isNull();
  }

  @Test
  void remoteKeys_goToTheProviderOfTheirBackend() {
    CALLS.clear();
    for (String key : List.of("remote-peer", "writer")) {
      Config cfg = Config.parse("{:store {:backend :memory :id \"spi\"} :" + key + " {:backend :spi-test}}");
      Datahike.createDatabase(cfg);
      assertThat(Datahike.databaseExists(cfg)).isTrue();
      try (Connection conn = Datahike.connect(cfg)) {
        assertThat(conn.config()).isSameAs(cfg);
        conn.transact("[{:name \"x\"}]");
        assertThat(conn.db().toString()).isEqualTo("recorded-db");
      }
      Datahike.deleteDatabase(cfg);
    }
    String peer = "REMOTE_PEER";
    assertThat(CALLS)
        .startsWith(
            "createDatabase " + peer, "databaseExists " + peer, "connect " + peer, "config []",
            "transact [[{:name \"x\"}], null]", "db []", "close []", "deleteDatabase " + peer)
        .contains("connect WRITER");
  }

  @Test
  void badRemoteKeys_areRefused() {
    assertThatThrownBy(() -> Datahike.connect(Config.parse("{:remote-peer {:backend :no-such}}")))
        .satisfies(e -> assertThat(code(e)).isEqualTo("remote/unknown-backend"))
        .hasMessageContaining("datahike-server");
    assertThatThrownBy(() -> Datahike.connect(Config.parse("{:writer {:url \"http://x\" :token \"t0p\"}}")))
        .satisfies(e -> assertThat(code(e)).isEqualTo("remote/config-invalid"))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("t0p"));
    assertThatThrownBy(
            () ->
                Datahike.connect(
                    Config.parse("{:writer {:backend :spi-test} :remote-peer {:backend :spi-test}}")))
        .satisfies(e -> assertThat(code(e)).isEqualTo("remote/config-invalid"));
  }

  @Test
  void databasesOfABackend_delegateEveryRead() {
    CALLS.clear();
    DatabaseBackend backend = db();
    Database db = Database.of(backend);
    db.pull("[*]", 1L);
    db.datoms(":eavt", 1L);
    assertThat(db.maxTx()).isEqualTo(536870913L);
    assertThat(db.history().toString()).isEqualTo("recorded-db");
    // A query with one of its databases among the inputs goes to it whole, databases as backends.
    Object rows = Datahike.q("[:find ?e :in $ ?x :where [?e :a ?x]]", db, 7L);
    assertThat(rows).isEqualTo(Set.of(List.of(1L)));
    assertThat(CALLS).contains("q [[:find ?e :in $ ?x :where [?e :a ?x]], [recorded-db, 7]]");
    // Entities: strings and nil name none without asking; ids are resolved, attributes read lazily.
    assertThat(db.entity("x")).isNull();
    Entity e = db.entity(List.of(Keyword.of("name"), "x"));
    assertThat(e.id()).isEqualTo(42L);
    assertThat(e.get(":db/id")).isEqualTo(42L);
    assertThat(e.get(":name")).isEqualTo("value");
    assertThat(CALLS).anyMatch(c -> c.startsWith("entityGet [42, :name, "));
    // Only local databases have an engine value.
    assertThatThrownBy(db::unwrap).satisfies(t -> assertThat(code(t)).isEqualTo("remote/unsupported"));
  }
}
