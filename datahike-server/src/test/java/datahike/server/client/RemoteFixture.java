package datahike.server.client;

import datahike.Config;
import datahike.server.Server;
import datahike.server.ServerConfig;
import datahike.server.ServerMain;
import datahike.server.codec.Format;
import java.util.UUID;

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
            + " :remote-peer {:backend :datahike-server :url \""
            + server.url()
            + "\""
            + " :token \""
            + TOKEN
            + "\" :format "
            + f.keyword()
            + "}}");
  }

  /** The same database without the remote part, for local access. */
  static Config local(String id) {
    return Config.parse("{:store {:backend :memory :id \"" + id + "\"} :keep-history? true}");
  }

  @Override
  public void close() {
    server.close();
  }
}
