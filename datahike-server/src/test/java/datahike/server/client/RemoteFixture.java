package datahike.server.client;

import datahike.Config;
import datahike.server.Server;
import datahike.server.ServerConfig;
import datahike.server.ServerMain;
import datahike.server.codec.Format;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A live server on a loopback port and configurations that point the client at it. */
final class RemoteFixture implements AutoCloseable {
  static final String TOKEN = "fixture-" + UUID.randomUUID();
  final Server server;

  RemoteFixture() {
    this(ServerConfig.builder().port(0).token(TOKEN).allowCreate(true).build());
  }

  RemoteFixture(ServerConfig cfg) {
    server = ServerMain.start(cfg);
  }

  /** A fresh in-memory database config with {@code :remote-peer} to this server. */
  Config remote(String id, Format f) {
    return Config.parse(
        "{:store {:backend :memory :id \""
            + id
            + "\"} :keep-history? true"
            + " :remote-peer "
            + peer(f, TOKEN)
            + "}");
  }

  /** The {@code :remote-peer} / {@code :writer} map naming this server. */
  String peer(Format f, String token) {
    return "{:backend :datahike-server :url \""
        + server.url()
        + "\""
        + (token == null ? "" : " :token \"" + token + "\"")
        + " :format "
        + f.keyword()
        + "}";
  }

  /** The same database without the remote part, for local access. */
  static Config local(String id) {
    return Config.parse("{:store {:backend :memory :id \"" + id + "\"} :keep-history? true}");
  }

  private static final Pattern REQUESTS =
      Pattern.compile("datahike_server_requests_seconds_count\\{([^}]*)\\} ([0-9.eE+]+)");

  /**
   * Operation requests the server has answered so far (from {@code GET /metrics}), once the count
   * is settled (the server records a request just after answering it).
   */
  long requests() throws Exception {
    long last = scrapeRequests();
    while (true) {
      Thread.sleep(100);
      long now = scrapeRequests();
      if (now == last) return now;
      last = now;
    }
  }

  private long scrapeRequests() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.url() + "/metrics"))
                    .header("Authorization", "token " + TOKEN)
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    long n = 0;
    Matcher m = REQUESTS.matcher(r.body());
    while (m.find()) {
      if (!m.group(1).contains("route=\"/metrics\"")) n += (long) Double.parseDouble(m.group(2));
    }
    return n;
  }

  @Override
  public void close() {
    server.close();
  }
}
