package datahike.spi;

import datahike.Config;
import java.util.Set;

/**
 * Serves configurations whose connections are not the local engine's: {@code :remote-peer
 * {:backend :x ...}} (every call goes to a server) and {@code :writer {:backend :x ...}} (reads
 * from the shared {@code :store} locally, transactions through a writer). Found by {@link
 * ConnectionProviders} through {@link java.util.ServiceLoader}, by the {@code :backend} name.
 *
 * <p>Every method receives the whole configuration, {@code :remote-peer} or {@code :writer}
 * included, and the mode that selected this provider. Errors are {@link
 * datahike.DatahikeException}s with the codes the local engine uses where there is one ({@code
 * :db/missing}, {@code :db/exists}, ...). Implementations need a public no-argument constructor.
 */
public interface ConnectionProvider {
  /** How the configuration names the provider. */
  enum Mode {
    /** {@code :remote-peer}: reads and writes go to the server. */
    REMOTE_PEER("remote-peer"),
    /** {@code :writer}: reads from the local store, transactions through the writer. */
    WRITER("writer");

    private final String key;

    Mode(String key) {
      this.key = key;
    }

    /** The configuration key, without colon: {@code remote-peer} or {@code writer}. */
    public String key() {
      return key;
    }
  }

  /** The {@code :backend} names this provider answers to, without colon: {@code "datahike-server"}. */
  Set<String> backends();

  /** Connects to the existing database {@code cfg} describes; {@code :db/missing} if none. */
  ConnectionBackend connect(Config cfg, Mode mode);

  /** Creates the database; {@code :db/exists} if it exists. */
  void createDatabase(Config cfg, Mode mode);

  /** Deletes the database and its data; nothing happens when it does not exist. */
  void deleteDatabase(Config cfg, Mode mode);

  /** True when the database exists. */
  boolean databaseExists(Config cfg, Mode mode);
}
