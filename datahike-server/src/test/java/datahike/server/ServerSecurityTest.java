package datahike.server;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Config;
import datahike.Connection;
import datahike.Datahike;
import datahike.edn.Keyword;
import datahike.server.codec.JsonCodec;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Authentication, authorization, limits and error bodies: a refused request changes nothing, and
 * every error is a JSON body with a code and without a stack trace.
 */
class ServerSecurityTest {
  static final String WRITE = "w-" + UUID.randomUUID();
  static final String READ = "r-" + UUID.randomUUID();
  static final String ID = "security-" + UUID.randomUUID();
  static final Config CFG =
      Config.parse("{:store {:backend :memory :id \"" + ID + "\"} :name \"people\"}");
  static Server server;
  static Connection local;

  @BeforeAll
  static void start() {
    server =
        ServerMain.start(
            ServerConfig.builder()
                .port(0)
                .token(WRITE)
                .readOnlyToken(READ)
                .databases(List.of(CFG))
                .maxBodyBytes(64 * 1024)
                .queryTimeoutMs(300)
                .build());
    local = Datahike.connect(CFG);
    local.transact(
        "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}"
            + " {:db/ident :n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]");
  }

  @AfterAll
  static void stop() {
    server.close();
    Datahike.deleteDatabase(CFG);
  }

  static final String TX = "{:conn \"people\" :tx-data [{:name \"Mallory\"}]}";

  static long names() {
    Object n = Datahike.q("[:find (count ?e) . :where [?e :name]]", local.db());
    return n == null ? 0 : ((Number) n).longValue();
  }

  static Map<?, ?> errorBody(HttpResponse<String> r) {
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    assertThat(r.body()).doesNotContain("at datahike.", "at org.eclipse", "Exception:");
    Object o = JsonCodec.decode(r.body());
    assertThat(o).isInstanceOf(Map.class);
    Map<?, ?> m = (Map<?, ?>) o;
    assertThat(m.get(Keyword.of("error"))).isInstanceOf(Keyword.class);
    assertThat(m.get(Keyword.of("message"))).isInstanceOf(String.class);
    assertThat(m.get(Keyword.of("data"))).isInstanceOf(Map.class);
    return m;
  }

  static Keyword code(HttpResponse<String> r) {
    return (Keyword) errorBody(r).get(Keyword.of("error"));
  }

  @Test
  void write_withoutToken_is401AndChangesNothing() {
    long before = names();
    HttpResponse<String> r = Http.post(server, "/transact", "application/edn", TX, null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(code(r)).isEqualTo(Keyword.of("server/unauthorized"));
    assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
    assertThat(names()).isEqualTo(before);
  }

  @Test
  void write_withWrongToken_is401AndChangesNothing() {
    long before = names();
    HttpResponse<String> r = Http.post(server, "/transact", "application/edn", TX, "guess");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(names()).isEqualTo(before);
    HttpRequest malformed =
        HttpRequest.newBuilder(URI.create(server.url() + "/transact"))
            .header("Content-Type", "application/edn")
            .header("Authorization", WRITE)
            .POST(HttpRequest.BodyPublishers.ofString(TX))
            .build();
    assertThat(Http.send(malformed).statusCode()).isEqualTo(401);
    assertThat(names()).isEqualTo(before);
  }

  @Test
  void write_withReadOnlyToken_is403AndChangesNothing() {
    long before = names();
    HttpResponse<String> r = Http.post(server, "/transact", "application/edn", TX, READ);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(code(r)).isEqualTo(Keyword.of("server/forbidden"));
    assertThat(names()).isEqualTo(before);
    HttpResponse<String> create =
        Http.post(
            server,
            "/create-database",
            "application/edn",
            "{:config {:store {:backend :memory :id \"nope\"}}}",
            READ);
    assertThat(create.statusCode()).isEqualTo(403);
  }

  @Test
  void write_withToken_succeeds() {
    long before = names();
    HttpResponse<String> r = Http.post(server, "/transact", "application/edn", TX, WRITE);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(names()).isEqualTo(before + 1);
  }

  @Test
  void read_needsAToken_readOnlyTokenSuffices() {
    String body = "{:db \"people\"}";
    assertThat(Http.post(server, "/schema", "application/edn", body, null).statusCode())
        .isEqualTo(401);
    assertThat(Http.post(server, "/schema", "application/edn", body, "guess").statusCode())
        .isEqualTo(401);
    assertThat(Http.post(server, "/schema", "application/edn", body, READ).statusCode())
        .isEqualTo(200);
    assertThat(Http.post(server, "/schema", "application/edn", body, WRITE).statusCode())
        .isEqualTo(200);
    assertThat(Http.get(server, "/metrics", null).statusCode()).isEqualTo(401);
    HttpResponse<String> m = Http.get(server, "/metrics", READ);
    assertThat(m.statusCode()).isEqualTo(200);
    assertThat(m.body()).contains("datahike_server_requests_seconds");
  }

  @Test
  void devMode_readsWithoutToken_writesStillNeedIt() {
    String id = "dev-" + UUID.randomUUID();
    Config c = Config.parse("{:store {:backend :memory :id \"" + id + "\"} :name \"dev\"}");
    try (Server s =
        ServerMain.start(
            ServerConfig.builder()
                .port(0)
                .token(WRITE)
                .devMode(true)
                .databases(List.of(c))
                .build())) {
      assertThat(Http.post(s, "/schema", "application/edn", "{:db \"dev\"}", null).statusCode())
          .isEqualTo(200);
      assertThat(
              Http.post(
                      s,
                      "/transact",
                      "application/edn",
                      "{:conn \"dev\" :tx-data [{:db/ident :x}]}",
                      null)
                  .statusCode())
          .isEqualTo(401);
    } finally {
      Datahike.deleteDatabase(c);
    }
  }

  @Test
  void noTokenConfigured_writesAreDisabled() {
    String id = "open-" + UUID.randomUUID();
    Config c = Config.parse("{:store {:backend :memory :id \"" + id + "\"} :name \"open\"}");
    try (Server s =
        ServerMain.start(ServerConfig.builder().port(0).databases(List.of(c)).build())) {
      assertThat(Http.post(s, "/schema", "application/edn", "{:db \"open\"}", null).statusCode())
          .isEqualTo(200);
      HttpResponse<String> w =
          Http.post(
              s,
              "/transact",
              "application/edn",
              "{:conn \"open\" :tx-data [{:db/ident :x}]}",
              null);
      assertThat(w.statusCode()).isEqualTo(401);
      assertThat(w.body()).contains("writes are disabled");
    } finally {
      Datahike.deleteDatabase(c);
    }
  }

  @Test
  void oversizedBody_is413AndChangesNothing() {
    long before = names();
    StringBuilder sb = new StringBuilder("{:conn \"people\" :tx-data [");
    while (sb.length() < 100 * 1024) sb.append("{:name \"padding padding padding\"} ");
    sb.append("]}");
    HttpResponse<String> r =
        Http.post(server, "/transact", "application/edn", sb.toString(), WRITE);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(code(r)).isEqualTo(Keyword.of("server/body-too-large"));
    assertThat(names()).isEqualTo(before);
    // Without Content-Length (chunked): counted while reading.
    HttpRequest chunked =
        HttpRequest.newBuilder(URI.create(server.url() + "/transact"))
            .header("Content-Type", "application/edn")
            .header("Authorization", "token " + WRITE)
            .timeout(Duration.ofSeconds(30))
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(sb.toString().getBytes())))
            .build();
    HttpResponse<String> c = Http.send(chunked);
    assertThat(c.statusCode()).isEqualTo(413);
    assertThat(names()).isEqualTo(before);
    assertThat(Http.get(server, "/health", null).statusCode()).isEqualTo(200);
  }

  @Test
  void queryPastTimeout_isAClearError_andServerStaysHealthy() {
    StringBuilder tx = new StringBuilder("[");
    for (int i = 0; i < 3000; i++) tx.append("{:n ").append(i).append("} ");
    local.transact(tx.append("]").toString());
    String slow =
        "{:query \"[:find (count ?a) :where [?a :n ?x] [?b :n ?y] [?c :n ?z] [(< ?x ?y ?z)]]\""
            + " :inputs [#datahike/DB {:name \"people\"}]}";
    long t0 = System.nanoTime();
    HttpResponse<String> r = Http.post(server, "/query", "application/edn", slow, READ);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(code(r)).isEqualTo(Keyword.of("query/timeout"));
    assertThat(ms).isLessThan(10_000);
    HttpResponse<String> stats = Http.post(server, "/query-stats", "application/edn", slow, READ);
    assertThat(stats.statusCode()).isEqualTo(422);
    assertThat(code(stats)).isEqualTo(Keyword.of("query/timeout"));
    assertThat(Http.get(server, "/health", null).statusCode()).isEqualTo(200);
    HttpResponse<String> next =
        Http.post(
            server,
            "/query",
            "application/edn",
            "{:query \"[:find (count ?a) . :where [?a :n]]\" :inputs [#datahike/DB {:name"
                + " \"people\"}]}",
            READ);
    assertThat(next.statusCode()).isEqualTo(200);
    assertThat(next.body()).isEqualTo("3000");
  }

  @Test
  void badRequests_getCodedJsonErrors() {
    HttpResponse<String> notFound = Http.post(server, "/nope", "application/json", "{}", WRITE);
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(code(notFound)).isEqualTo(Keyword.of("server/not-found"));

    HttpResponse<String> get = Http.get(server, "/transact", WRITE);
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");

    HttpResponse<String> badJson =
        Http.post(server, "/schema", "application/json", "{\"db\":", READ);
    assertThat(badJson.statusCode()).isEqualTo(400);
    assertThat(code(badJson)).isEqualTo(Keyword.of("json/parse"));

    HttpResponse<String> media = Http.post(server, "/schema", "text/plain", "x", READ);
    assertThat(media.statusCode()).isEqualTo(415);

    HttpResponse<String> unknownArg =
        Http.post(server, "/schema", "application/json", "{\"db\": \"people\", \"dbx\": 1}", READ);
    assertThat(unknownArg.statusCode()).isEqualTo(400);
    assertThat(code(unknownArg)).isEqualTo(Keyword.of("server/unknown-argument"));

    HttpResponse<String> missing =
        Http.post(server, "/pull", "application/json", "{\"db\": \"people\"}", READ);
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(code(missing)).isEqualTo(Keyword.of("server/missing-argument"));

    HttpResponse<String> noDb =
        Http.post(server, "/schema", "application/json", "{\"db\": \"ghost\"}", READ);
    assertThat(noDb.statusCode()).isEqualTo(404);
    assertThat(code(noDb)).isEqualTo(Keyword.of("db/missing"));

    HttpResponse<String> engine =
        Http.post(
            server,
            "/query",
            "application/json",
            "{\"query\": \"[:find :where [?y :n]]\","
                + " \"inputs\": [{\"#datahike/DB\": {\"name\": \"people\"}}]}",
            READ);
    assertThat(engine.statusCode()).isEqualTo(422);
    Map<?, ?> err = errorBody(engine);
    assertThat(((Keyword) err.get(Keyword.of("error"))).namespace()).isEqualTo("query");

    HttpResponse<String> create =
        Http.post(
            server,
            "/create-database",
            "application/json",
            "{\"config\": {\"store\": {\"backend\": \":memory\", \"id\": \"x\"}}}",
            WRITE);
    assertThat(create.statusCode()).isEqualTo(403);
    assertThat(code(create)).isEqualTo(Keyword.of("server/create-disabled"));
  }

  @Test
  void databasesTheServerDoesNotServe_areMissing() {
    String other = "other-" + UUID.randomUUID();
    Config c = Config.parse("{:store {:backend :memory :id \"" + other + "\"}}");
    Datahike.createDatabase(c);
    try {
      String ref = "{:store {:backend :memory :id \"" + other + "\"}}";
      HttpResponse<String> r =
          Http.post(server, "/schema", "application/edn", "{:db " + ref + "}", WRITE);
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(code(r)).isEqualTo(Keyword.of("db/missing"));
      HttpResponse<String> exists =
          Http.post(server, "/database-exists", "application/edn", "{:config " + ref + "}", WRITE);
      assertThat(exists.body()).isEqualTo("false");
      String mine = "{:store {:backend :memory :id \"" + ID + "\"}}";
      assertThat(
              Http.post(server, "/schema", "application/edn", "{:db " + mine + "}", WRITE)
                  .statusCode())
          .isEqualTo(200);
    } finally {
      Datahike.deleteDatabase(c);
    }
  }

  @Test
  void malformedHttp_getsAJsonError() throws Exception {
    try (java.net.Socket sock = new java.net.Socket("127.0.0.1", server.port())) {
      sock.setSoTimeout(10_000);
      sock.getOutputStream()
          .write("POST /query HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n".getBytes());
      String answer = new String(sock.getInputStream().readAllBytes());
      assertThat(answer).startsWith("HTTP/1.1 400");
      assertThat(answer).contains("\"error\":\":server/http-400\"").doesNotContain("<html");
    }
  }

  @Test
  void codeInRequests_isNeverEvaluated() {
    long before = names();
    // An unregistered transaction function name is an error, not a lookup of Java code.
    HttpResponse<String> r =
        Http.post(
            server,
            "/transact",
            "application/edn",
            "{:conn \"people\" :tx-data [[:java.lang.System/exit 1]]}",
            WRITE);
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(names()).isEqualTo(before);
    HttpResponse<String> fn =
        Http.post(
            server,
            "/query",
            "application/edn",
            "{:query \"[:find ?x :where [(java.lang.System/exit 1) ?x]]\""
                + " :inputs [#datahike/DB {:name \"people\"}]}",
            READ);
    assertThat(fn.statusCode()).isIn(400, 422);
    assertThat(Http.get(server, "/health", null).statusCode()).isEqualTo(200);
  }
}
