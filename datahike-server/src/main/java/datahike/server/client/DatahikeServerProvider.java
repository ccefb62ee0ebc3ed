package datahike.server.client;

import datahike.Config;
import datahike.Datahike;
import datahike.DatahikeException;
import datahike.api.Operation;
import datahike.edn.Keyword;
import datahike.spi.ConnectionBackend;
import datahike.spi.ConnectionProvider;
import datahike.spi.LocalReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code :datahike-server} connection provider: what {@link Datahike#connect} and the database
 * administration of {@link Datahike} do for configurations with
 *
 * <pre>{@code
 * :remote-peer {:backend :datahike-server :url "http://host:4444" :token "..."}   ; all on the server
 * :writer      {:backend :datahike-server :url "http://host:4444" :token "..."}   ; reads local
 * }</pre>
 *
 * (optional {@code :format :transit|:json|:edn} and {@code :timeout-ms}). With {@code
 * :remote-peer}, connecting, creating, deleting and asking whether a database exists go to the
 * server; with {@code :writer}, creating and deleting go to the server and existence is read from
 * the shared store. Registered in {@code META-INF/services/datahike.spi.ConnectionProvider}.
 */
public final class DatahikeServerProvider implements ConnectionProvider {
  /** For {@link java.util.ServiceLoader}. */
  public DatahikeServerProvider() {}

  @Override
  public Set<String> backends() {
    return Set.of("datahike-server");
  }

  @Override
  public ConnectionBackend connect(Config cfg, Mode mode) {
    RemoteClient client = client(cfg, mode);
    if (mode == Mode.WRITER) return new WriterConnection(cfg, LocalReader.open(cfg), client);
    if (!Boolean.TRUE.equals(client.call(Operation.DATABASE_EXISTS, configArgs(cfg)))) {
      throw DatahikeException.of(
          "db/missing",
          "Database does not exist on the server: "
              + cfg.store()
              + ". Create it first with createDatabase.",
          "config",
          RemotePeer.stripped(cfg));
    }
    return new RemoteConnection(cfg, client);
  }

  /** Creates the database on the server (which needs {@code :allow-create true}). */
  @Override
  public void createDatabase(Config cfg, Mode mode) {
    client(cfg, mode).call(Operation.CREATE_DATABASE, configArgs(cfg));
  }

  /** Deletes the database on the server (which needs {@code :allow-create true}). */
  @Override
  public void deleteDatabase(Config cfg, Mode mode) {
    client(cfg, mode).call(Operation.DELETE_DATABASE, configArgs(cfg));
  }

  @Override
  public boolean databaseExists(Config cfg, Mode mode) {
    if (mode == Mode.WRITER) return Datahike.databaseExists(LocalReader.withoutRemote(cfg));
    return Boolean.TRUE.equals(client(cfg, mode).call(Operation.DATABASE_EXISTS, configArgs(cfg)));
  }

  private static RemoteClient client(Config cfg, Mode mode) {
    Keyword key = mode == Mode.WRITER ? RemotePeer.WRITER : RemotePeer.REMOTE_PEER;
    return new RemoteClient(RemotePeer.of(cfg, key));
  }

  private static Map<String, Object> configArgs(Config cfg) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("config", RemotePeer.stripped(cfg));
    return args;
  }
}
