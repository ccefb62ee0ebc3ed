package datahike.server;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Config;
import datahike.Datom;
import datahike.api.Operation;
import datahike.db.EdnTags;
import datahike.edn.Keyword;
import datahike.edn.Tagged;
import datahike.server.codec.Format;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One call per remote operation against a live server with an in-memory database, in each wire
 * format (the body is written as EDN here for readability and sent in the format under test).
 */
class ServerRoutesTest {
  static final String TOKEN = "write-token";
  static Server server;

  /** The operations these tests call; checked against the table below. */
  static final Set<Operation> CALLED = EnumSet.noneOf(Operation.class);

  @BeforeAll
  static void start() {
    server =
        ServerMain.start(ServerConfig.builder().port(0).token(TOKEN).allowCreate(true).build());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static final String SCHEMA =
      "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
          + "  :db/unique :db.unique/identity}"
          + " {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one"
          + "  :db/index true}"
          + " {:db/ident :friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}]";

  /** Calls {@code route} with the EDN body sent in {@code f}; asserts 200 and decodes. */
  static Object call(Format f, String route, String ednBody) {
    Object body = EdnTags.read(ednBody);
    HttpResponse<String> r =
        Http.post(server, route, f.contentType(), f.mediaType(), f.encode(body), TOKEN);
    assertThat(r.statusCode()).as(route + " " + r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith(f.mediaType());
    Operation op = Operation.byCliName(route.substring(1));
    if (op != null) CALLED.add(op);
    return f.decode(r.body().getBytes(StandardCharsets.UTF_8));
  }

  static Keyword kw(String s) {
    return Keyword.of(s);
  }

  @SuppressWarnings("unchecked")
  @ParameterizedTest
  @EnumSource(Format.class)
  void everyRoute_answersInEachFormat(Format f) {
    String id = "routes-" + f + "-" + UUID.randomUUID();
    String cfg = "{:store {:backend :memory :id \"" + id + "\"} :name \"" + id + "\"}";
    String db = "\"" + id + "\"";

    Object created = call(f, "/create-database", "{:config " + cfg + "}");
    assertThat(created).isInstanceOf(Map.class);
    assertThat(call(f, "/database-exists", "{:config " + cfg + "}")).isEqualTo(true);

    Map<Object, Object> schemaTx =
        (Map<Object, Object>) call(f, "/transact", "{:conn " + db + " :tx-data " + SCHEMA + "}");
    assertThat((List<Object>) schemaTx.get(kw("tx-data"))).isNotEmpty();
    Map<Object, Object> tx =
        (Map<Object, Object>)
            call(
                f,
                "/transact",
                "{:conn "
                    + db
                    + " :tx-data [{:db/id \"a\" :name \"Alice\" :age 30}"
                    + " {:db/id \"b\" :name \"Bob\" :age 40 :friend \"a\"}]}");
    Map<Object, Object> tempids = (Map<Object, Object>) tx.get(kw("tempids"));
    long alice = ((Number) tempids.get("a")).longValue();
    long txId = ((Number) tempids.get(kw("db/current-tx"))).longValue();
    assertThat((List<Object>) tx.get(kw("tx-data"))).allMatch(d -> d instanceof Datom);
    Tagged after = (Tagged) tx.get(kw("db-after"));
    assertThat(((Map<Object, Object>) after.value()).get(kw("basis-t"))).isEqualTo(txId);

    Map<Object, Object> loaded =
        (Map<Object, Object>)
            call(f, "/load-entities", "{:conn " + db + " :entities [{:name \"Carol\" :age 50}]}");
    assertThat((List<Object>) loaded.get(kw("tx-data"))).isNotEmpty();

    Object rows =
        call(
            f,
            "/query",
            "{:query \"[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]\""
                + " :inputs [#datahike/DB {:name "
                + db
                + "}]}");
    assertThat((Set<Object>) rows)
        .containsExactlyInAnyOrder(
            List.of("Alice", 30L), List.of("Bob", 40L), List.of("Carol", 50L));

    Object mapForm =
        call(
            f,
            "/query",
            "{:query {:query [:find ?n :in $ ?min :where [?e :age ?a] [(>= ?a ?min)] [?e :name ?n]]"
                + " :args [#datahike/DB {:name "
                + db
                + "} 40] :limit 10 :timeout 5000}}");
    assertThat((Set<Object>) mapForm).containsExactlyInAnyOrder(List.of("Bob"), List.of("Carol"));

    Map<Object, Object> stats =
        (Map<Object, Object>)
            call(
                f,
                "/query-stats",
                "{:query \"[:find ?n :where [?e :name ?n]]\" :inputs [#datahike/DB {:name "
                    + db
                    + "}]}");
    assertThat((Set<Object>) stats.get(kw("ret"))).hasSize(3);
    assertThat((List<Object>) stats.get(kw("query-stats"))).isNotEmpty();

    Map<Object, Object> pulled =
        (Map<Object, Object>)
            call(
                f,
                "/pull",
                "{:db "
                    + db
                    + " :pattern \"[:name :age {:friend [:name]}]\" :eid [:name \"Bob\"]}");
    assertThat(pulled.get(kw("name"))).isEqualTo("Bob");
    assertThat(pulled.get(kw("friend"))).isEqualTo(List.of(Map.of(kw("name"), "Alice")));

    List<Object> many =
        (List<Object>)
            call(
                f,
                "/pull-many",
                "{:db " + db + " :pattern [:age] :eids [[:name \"Alice\"] [:name \"Carol\"]]}");
    assertThat(many).containsExactly(Map.of(kw("age"), 30L), Map.of(kw("age"), 50L));

    Map<Object, Object> entity =
        (Map<Object, Object>) call(f, "/entity", "{:db " + db + " :eid " + alice + "}");
    assertThat(entity.get(kw("db/id"))).isEqualTo(alice);
    assertThat(entity.get(kw("name"))).isEqualTo("Alice");
    assertThat(call(f, "/entity", "{:db " + db + " :eid [:name \"Nobody\"]}")).isNull();

    List<Object> datoms =
        (List<Object>)
            call(f, "/datoms", "{:db " + db + " :index :avet :components [:name \"Alice\"]}");
    assertThat(datoms).hasSize(1);
    assertThat(((Datom) datoms.get(0)).e()).isEqualTo(alice);

    List<Object> seek =
        (List<Object>)
            call(f, "/seek-datoms", "{:db " + db + " :index :avet :components [:name \"Bob\"]}");
    assertThat(seek).isNotEmpty();
    assertThat(((Datom) seek.get(0)).v()).isEqualTo("Bob");

    List<Object> range =
        (List<Object>) call(f, "/index-range", "{:db " + db + " :attrid :age :start 35 :end 45}");
    assertThat(range).extracting(d -> ((Datom) d).v()).containsExactly(40L);

    Map<Object, Object> schema = (Map<Object, Object>) call(f, "/schema", "{:db " + db + "}");
    assertThat(schema).containsKey(kw("name"));
    Map<Object, Object> reverse =
        (Map<Object, Object>) call(f, "/reverse-schema", "{:db " + db + "}");
    assertThat((Set<Object>) reverse.get(kw("db/index"))).contains(kw("age"));
    Map<Object, Object> metrics = (Map<Object, Object>) call(f, "/metrics", "{:db " + db + "}");
    assertThat(((Number) metrics.get(kw("count"))).longValue()).isPositive();

    Tagged asOf = (Tagged) call(f, "/as-of", "{:db " + db + " :time-point " + txId + "}");
    Object asOfRows =
        call(
            f,
            "/query",
            "{:query \"[:find ?n :where [_ :name ?n]]\" :inputs [" + print(asOf) + "]}");
    assertThat((Set<Object>) asOfRows).containsExactlyInAnyOrder(List.of("Alice"), List.of("Bob"));
    Tagged since = (Tagged) call(f, "/since", "{:db " + db + " :time-point " + txId + "}");
    Object sinceRows =
        call(
            f,
            "/query",
            "{:query \"[:find ?n :where [_ :name ?n]]\" :inputs [" + print(since) + "]}");
    assertThat((Set<Object>) sinceRows).containsExactly(List.of("Carol"));
    Tagged history = (Tagged) call(f, "/history", "{:db " + db + "}");
    assertThat(((Map<Object, Object>) history.value()).get(kw("views")))
        .isEqualTo(List.of(kw("history")));

    Map<Object, Object> with =
        (Map<Object, Object>)
            call(f, "/with", "{:db " + db + " :tx-data [{:name \"Eve\" :age 20}]}");
    Tagged withAfter = (Tagged) with.get(kw("db-after"));
    Object withRows =
        call(
            f,
            "/query",
            "{:query \"[:find ?a :where [?e :name \\\"Eve\\\"] [?e :age ?a]]\" :inputs ["
                + print(withAfter)
                + "]}");
    assertThat((Set<Object>) withRows).containsExactly(List.of(20L));
    Object noEve =
        call(
            f,
            "/query",
            "{:query \"[:find ?e :where [?e :name \\\"Eve\\\"]]\" :inputs [#datahike/DB {:name "
                + db
                + "}]}");
    assertThat((Set<Object>) noEve).isEmpty();

    assertThat(
            ((Number)
                    call(
                        f, "/gc-storage", "{:conn " + db + " :remove-before #inst \"2020-01-01\"}"))
                .longValue())
        .isZero();

    assertThat(call(f, "/delete-database", "{:config " + cfg + "}")).isNull();
    assertThat(call(f, "/database-exists", "{:config " + cfg + "}")).isEqualTo(false);
  }

  static String print(Object o) {
    return datahike.edn.EdnPrinter.print(o);
  }

  @Test
  void everyRemoteOperation_hasARouteTest() {
    // Test order is not guaranteed: run the flow here too.
    everyRoute_answersInEachFormat(Format.EDN);
    List<Operation> missing = new ArrayList<>();
    for (Operation op : Operation.values()) {
      if (op.remote() && !CALLED.contains(op)) missing.add(op);
    }
    assertThat(missing).as("remote operations without a route test").isEmpty();
  }

  @Test
  void configuredDatabase_isServedByName() {
    String id = "configured-" + UUID.randomUUID();
    Config c = Config.parse("{:store {:backend :memory :id \"" + id + "\"} :name \"" + id + "\"}");
    try (Server s =
        ServerMain.start(
            ServerConfig.builder().port(0).token(TOKEN).databases(List.of(c)).build())) {
      HttpResponse<String> r =
          Http.post(s, "/schema", "application/edn", "{:db \"" + id + "\"}", TOKEN);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(datahike.Datahike.databaseExists(c)).isTrue();
    }
  }

  @Test
  void basisHeader_namesTheValueRead() {
    String id = "basis-" + UUID.randomUUID();
    String cfg = "{:store {:backend :memory :id \"" + id + "\"}}";
    call(Format.EDN, "/create-database", "{:config " + cfg + "}");
    HttpResponse<String> r =
        Http.post(server, "/schema", "application/edn", "{:db " + cfg + "}", TOKEN);
    assertThat(r.headers().firstValue("Datahike-Basis-T")).hasValue("536870912");
    call(Format.EDN, "/delete-database", "{:config " + cfg + "}");
  }
}
