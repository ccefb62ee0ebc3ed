package datahike.server.client;

import datahike.Config;
import datahike.DatahikeException;
import datahike.edn.EdnPrinter;
import datahike.edn.Keyword;
import datahike.server.codec.Format;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a remote database is served: the {@code :remote-peer} (or {@code :writer}) map of a
 * configuration, {@code {:backend :datahike-server :url "http://host:4444" :token "..." :format
 * :transit :timeout-ms 120000}}. {@code :format} is {@code :transit} (default), {@code :json} or
 * {@code :edn}; {@code :timeout-ms} bounds each request (default two minutes).
 *
 * @param url the server's base URL
 * @param token the token sent as {@code Authorization: token <token>}, or null
 * @param format the wire format
 * @param timeout the longest a request may take
 */
record RemotePeer(URI url, String token, Format format, Duration timeout) {
  static final Keyword REMOTE_PEER = Keyword.of("remote-peer");
  static final Keyword WRITER = Keyword.of("writer");
  private static final Keyword BACKEND = Keyword.of("backend");
  private static final Keyword URL = Keyword.of("url");
  private static final Keyword TOKEN = Keyword.of("token");
  private static final Keyword FORMAT = Keyword.of("format");
  private static final Keyword TIMEOUT = Keyword.of("timeout-ms");
  private static final Keyword DATAHIKE_SERVER = Keyword.of("datahike-server");

  /** The endpoint under {@code key} ({@code :remote-peer} or {@code :writer}) of {@code cfg}. */
  static RemotePeer of(Config cfg, Keyword key) {
    Object o = cfg.toMap().get(key);
    if (!(o instanceof Map<?, ?> m)) {
      throw DatahikeException.of(
          "remote/config-invalid", "The configuration has no " + key + " map", "key", key);
    }
    Object backend = m.get(BACKEND);
    if (!DATAHIKE_SERVER.equals(backend) && !"datahike-server".equals(backend)) {
      throw DatahikeException.of(
          "remote/config-invalid",
          key + " :backend must be :datahike-server, got " + EdnPrinter.print(backend),
          "backend",
          backend);
    }
    Object url = m.get(URL);
    if (!(url instanceof String u) || !(u.startsWith("http://") || u.startsWith("https://"))) {
      throw DatahikeException.of(
          "remote/config-invalid",
          key + " :url must be an http(s) URL, got " + EdnPrinter.print(url),
          "url",
          url);
    }
    Object token = m.get(TOKEN);
    String t = token == null ? null : token instanceof Keyword k ? k.fullName() : token.toString();
    Format f = m.get(FORMAT) == null ? Format.TRANSIT : Format.ofName(m.get(FORMAT));
    if (f == null) {
      throw DatahikeException.of(
          "remote/config-invalid",
          key + " :format must be :transit, :json or :edn, got " + EdnPrinter.print(m.get(FORMAT)),
          "format",
          m.get(FORMAT));
    }
    Object ms = m.get(TIMEOUT);
    Duration timeout =
        ms instanceof Number n ? Duration.ofMillis(n.longValue()) : Duration.ofMinutes(2);
    String base = u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    return new RemotePeer(URI.create(base), t, f, timeout);
  }

  /** {@code cfg} as sent to the server: without {@code :remote-peer} and {@code :writer}. */
  static Map<Keyword, Object> stripped(Config cfg) {
    Map<Keyword, Object> m = new LinkedHashMap<>(cfg.toMap());
    m.remove(REMOTE_PEER);
    m.remove(WRITER);
    return m;
  }

  @Override
  public String toString() {
    return "RemotePeer[" + url + ", " + format + (token == null ? "" : ", token (set)") + "]";
  }
}
