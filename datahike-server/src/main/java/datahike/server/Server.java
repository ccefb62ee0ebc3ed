package datahike.server;

/**
 * A running Datahike HTTP server, from {@link ServerMain#start(ServerConfig)}. Close it to stop
 * serving; the databases it opened stay (in-memory ones for as long as the JVM runs).
 */
public interface Server extends AutoCloseable {
  /** The port it listens on (the actual one when the configuration asked for port 0). */
  int port();

  /** Its base URL, e.g. {@code http://127.0.0.1:4444}. */
  String url();

  /** Stops serving: refuses new requests, lets running ones finish briefly, closes. */
  @Override
  void close();
}
