package datahike.store.redis;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * A Redis store configuration, read from Datahike's keys:
 *
 * <pre>
 * {:backend :redis
 *  :host "localhost" :port 6379   ; or :uri "redis://[user:password@]host:port[/database]"
 *  :password "..." :username "..." :database 0
 *  :prefix "datahike:app"          ; default "datahike:" + :id, or "datahike" without :id
 *  :lock-lease-ms 10000}           ; writer lock lease, renewed every third of it
 * </pre>
 *
 * @param uri where the server is
 * @param prefix the key prefix; every key of the store is {@code {prefix}:...}
 * @param leaseMs the writer lock's lease in milliseconds
 * @param config the configuration as given, for error data
 */
record RedisConfig(RedisURI uri, String prefix, long leaseMs, Map<Keyword, Object> config) {

  /** The prefix when neither {@code :prefix} nor {@code :id} is given. */
  static final String DEFAULT_PREFIX = "datahike";

  /** Reads {@code config}, failing with {@code :store/config} naming the culprit. */
  static RedisConfig parse(Map<Keyword, Object> config) {
    RedisURI uri;
    String uriText = string(config, "uri");
    if (uriText != null) {
      try {
        uri = RedisURI.create(uriText);
      } catch (RuntimeException e) {
        throw bad(config, "uri", ":uri must be a redis:// or rediss:// URI: " + e.getMessage());
      }
    } else {
      String host = string(config, "host");
      long port = number(config, "port", 6379);
      if (port < 1 || port > 65535) {
        throw bad(config, "port", ":port must be between 1 and 65535");
      }
      RedisURI.Builder b =
          RedisURI.builder().withHost(host == null ? "localhost" : host).withPort((int) port);
      String password = string(config, "password");
      String username = string(config, "username");
      if (password != null && username != null) {
        b.withAuthentication(username, password.toCharArray());
      } else if (password != null) {
        b.withPassword(password.toCharArray());
      }
      b.withDatabase((int) number(config, "database", 0));
      uri = b.build();
    }
    uri.setTimeout(Duration.ofSeconds(60));
    String prefix = string(config, "prefix");
    if (prefix == null) {
      String id = string(config, "id");
      prefix = id == null ? DEFAULT_PREFIX : DEFAULT_PREFIX + ":" + id;
    }
    if (prefix.length() > 200 || prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
      throw bad(config, "prefix", ":prefix must be at most 200 characters without { or }");
    }
    long lease = number(config, "lock-lease-ms", 10_000);
    if (lease < 300) {
      throw bad(config, "lock-lease-ms", ":lock-lease-ms must be at least 300");
    }
    return new RedisConfig(uri, prefix, lease, config);
  }

  /** The store as people name it in messages (no password). */
  String describe() {
    return "Redis store "
        + prefix
        + " at "
        + uri.getHost()
        + ":"
        + uri.getPort()
        + "/"
        + uri.getDatabase();
  }

  private static String string(Map<Keyword, Object> config, String key) {
    Object v = config.get(Keyword.of(key));
    if (v == null) {
      return null;
    }
    String s = v instanceof Keyword k ? k.fullName() : v.toString();
    return s.isEmpty() ? null : s;
  }

  private static long number(Map<Keyword, Object> config, String key, long dflt) {
    Object v = config.get(Keyword.of(key));
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      throw bad(config, key, ":" + key + " must be a number, got " + v);
    }
  }

  static DatahikeException bad(Map<Keyword, Object> config, String key, String message) {
    return DatahikeException.of(
        "store/config",
        message + "; got " + redacted(config),
        "key",
        Keyword.of(key),
        "config",
        redacted(config));
  }

  /** {@code config} with any password (also one inside a URI) masked, for messages. */
  static String redacted(Map<Keyword, Object> config) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<Keyword, Object> e : config.entrySet()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(e.getKey()).append(' ');
      String k = e.getKey().fullName().toLowerCase(Locale.ROOT);
      String v = String.valueOf(e.getValue());
      if (k.contains("password")) {
        v = "\"***\"";
      } else if (k.equals("uri")) {
        v = v.replaceAll("//[^@/]*@", "//***@");
      }
      sb.append(v);
    }
    return sb.append('}').toString();
  }
}
