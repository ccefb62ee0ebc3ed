package datahike.server;

import datahike.Config;
import datahike.DatahikeException;
import datahike.edn.EdnPrinter;
import datahike.edn.EdnReader;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The server's settings, read from an EDN file such as
 *
 * <pre>{@code
 * {:port 4444                  ; 0 picks a free port; default 4444, Datahike's
 *  :bind "127.0.0.1"           ; the address to listen on; default loopback only
 *  :token "secret"             ; Authorization: token secret — may read and write
 *  :read-only-token "reader"   ; may call operations that do not change data
 *  :databases [{:store {:backend :memory :id "people"} :name "people"}]  ; opened (created
 *                              ; when missing) at start; clients may name them by :name
 *  :allow-create false         ; may clients create and delete databases? default false
 *  :dev-mode false             ; reads without a token, and writes too when no :token is set
 *  :max-body-bytes 16777216    ; larger request bodies get 413; default 16 MiB
 *  :query-timeout-ms 60000     ; the most a query may run; 0 for no limit; default 60 s
 *  :plugins ["com.example.MyFunctions"]}  ; classes registering named functions at start
 * }</pre>
 *
 * Tokens may be strings or keywords ({@code :secret} means "secret"). Requests name transaction
 * functions, entity predicates and query functions but never carry code: each {@code :plugins}
 * class (a string or symbol; on the server's class path, implementing {@link
 * datahike.spi.FunctionRegistrar}, with a public no-argument constructor) registers them when the
 * server starts, after every registrar {@link java.util.ServiceLoader} finds (see {@code Plugins}).
 * Immutable; build one with {@link #parse}, {@link #load}, {@link #of} or {@link #builder()}.
 *
 * @param port the TCP port; 0 for an ephemeral one
 * @param bind the address to bind
 * @param token the read-write token, or null
 * @param readOnlyToken the read-only token, or null
 * @param databases databases to open (and create when missing) at start
 * @param allowCreate whether clients may create and delete databases
 * @param devMode relaxes authentication for development, see above
 * @param maxBodyBytes the largest accepted request body
 * @param queryTimeoutMs the longest a query may run, 0 for no limit
 * @param plugins names of {@link datahike.spi.FunctionRegistrar} classes to run at start
 */
public record ServerConfig(
    int port,
    String bind,
    String token,
    String readOnlyToken,
    List<Config> databases,
    boolean allowCreate,
    boolean devMode,
    long maxBodyBytes,
    long queryTimeoutMs,
    List<String> plugins) {

  /** Datahike's default port. */
  public static final int DEFAULT_PORT = 4444;

  /** 16 MiB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 16L << 20;

  /** One minute. */
  public static final long DEFAULT_QUERY_TIMEOUT_MS = 60_000;

  private static final Set<String> KEYS =
      Set.of(
          "port",
          "bind",
          "token",
          "read-only-token",
          "databases",
          "allow-create",
          "dev-mode",
          "max-body-bytes",
          "query-timeout-ms",
          "plugins");

  /** Checks the settings; throws {@code :server/config-invalid} naming the culprit. */
  public ServerConfig {
    if (port < 0 || port > 65535) throw invalid("port", "must be in 0..65535", port);
    if (bind == null || bind.isBlank()) throw invalid("bind", "must be an address", bind);
    if (token != null && token.isEmpty()) throw invalid("token", "must not be empty", token);
    if (readOnlyToken != null && readOnlyToken.isEmpty()) {
      throw invalid("read-only-token", "must not be empty", readOnlyToken);
    }
    if (token != null && token.equals(readOnlyToken)) {
      throw invalid("read-only-token", "must differ from :token", "(redacted)");
    }
    if (maxBodyBytes <= 0) throw invalid("max-body-bytes", "must be positive", maxBodyBytes);
    if (queryTimeoutMs < 0) throw invalid("query-timeout-ms", "must be >= 0", queryTimeoutMs);
    databases = List.copyOf(databases == null ? List.of() : databases);
    plugins = List.copyOf(plugins == null ? List.of() : plugins);
    for (String p : plugins) {
      if (p.isBlank()) throw invalid("plugins", "holds class names, not blanks", p);
    }
  }

  /** The defaults: port 4444 on 127.0.0.1, no tokens, no databases. */
  public static ServerConfig defaults() {
    return builder().build();
  }

  /** Parses an EDN map as described in the class comment. */
  public static ServerConfig parse(String edn) {
    Object o = EdnReader.read(edn);
    if (!(o instanceof Map<?, ?> m)) {
      throw DatahikeException.of(
          "server/config-invalid",
          "The server configuration must be an EDN map, got " + EdnPrinter.print(o));
    }
    return of(m);
  }

  /** Reads and parses an EDN file. */
  public static ServerConfig load(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw DatahikeException.of(
          "server/config-unreadable",
          "Cannot read the server configuration " + file + ": " + e.getMessage(),
          "path",
          file.toString(),
          e);
    }
  }

  /** The configuration a map with keyword (or string) keys describes; unknown keys are errors. */
  public static ServerConfig of(Map<?, ?> m) {
    Builder b = builder();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String k = e.getKey() instanceof Keyword kw ? kw.fullName() : String.valueOf(e.getKey());
      if (k.startsWith(":")) k = k.substring(1);
      if (!KEYS.contains(k)) {
        throw DatahikeException.of(
            "server/config-invalid",
            "Unknown server configuration key :" + k + "; known keys: " + KEYS,
            "key",
            Keyword.of(k));
      }
      Object v = e.getValue();
      switch (k) {
        case "port":
          b.port((int) number(k, v));
          break;
        case "bind":
          b.bind(text(k, v));
          break;
        case "token":
          b.token(text(k, v));
          break;
        case "read-only-token":
          b.readOnlyToken(text(k, v));
          break;
        case "databases":
          {
            if (!(v instanceof List<?> l)) throw invalid(k, "must be a vector of configs", v);
            List<Config> cfgs = new ArrayList<>();
            for (Object c : l) {
              if (!(c instanceof Map<?, ?> cm)) throw invalid(k, "holds config maps", c);
              cfgs.add(Config.of(cm));
            }
            b.databases(cfgs);
            break;
          }
        case "allow-create":
          b.allowCreate(bool(k, v));
          break;
        case "dev-mode":
          b.devMode(bool(k, v));
          break;
        case "max-body-bytes":
          b.maxBodyBytes(number(k, v));
          break;
        case "plugins":
          {
            if (!(v instanceof List<?> l)) throw invalid(k, "must be a vector of class names", v);
            List<String> names = new ArrayList<>();
            for (Object c : l) {
              if (c instanceof String n) names.add(n);
              else if (c instanceof Symbol sym) names.add(sym.fullName());
              else throw invalid(k, "holds class names (strings or symbols)", c);
            }
            b.plugins(names);
            break;
          }
        default:
          b.queryTimeoutMs(number(k, v));
      }
    }
    return b.build();
  }

  private static long number(String key, Object v) {
    if (v instanceof Long || v instanceof Integer) return ((Number) v).longValue();
    throw invalid(key, "must be an integer", v);
  }

  private static boolean bool(String key, Object v) {
    if (v instanceof Boolean b) return b;
    throw invalid(key, "must be true or false", v);
  }

  private static String text(String key, Object v) {
    if (v == null) return null;
    if (v instanceof String s) return s;
    if (v instanceof Keyword kw) return kw.fullName();
    throw invalid(key, "must be a string", v);
  }

  private static DatahikeException invalid(String key, String what, Object value) {
    boolean secret = key.contains("token");
    return DatahikeException.of(
        "server/config-invalid",
        "Server configuration :"
            + key
            + " "
            + what
            + ", got "
            + (secret ? "(redacted)" : EdnPrinter.print(value)),
        "key",
        Keyword.of(key));
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** This configuration with another port (tests use 0). */
  public ServerConfig withPort(int p) {
    return toBuilder().port(p).build();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return builder()
        .port(port)
        .bind(bind)
        .token(token)
        .readOnlyToken(readOnlyToken)
        .databases(databases)
        .allowCreate(allowCreate)
        .devMode(devMode)
        .maxBodyBytes(maxBodyBytes)
        .queryTimeoutMs(queryTimeoutMs)
        .plugins(plugins);
  }

  @Override
  public String toString() {
    return "ServerConfig[port="
        + port
        + ", bind="
        + bind
        + ", token="
        + (token == null ? "none" : "(set)")
        + ", read-only-token="
        + (readOnlyToken == null ? "none" : "(set)")
        + ", databases="
        + databases.size()
        + ", allow-create="
        + allowCreate
        + ", dev-mode="
        + devMode
        + ", max-body-bytes="
        + maxBodyBytes
        + ", query-timeout-ms="
        + queryTimeoutMs
        + ", plugins="
        + plugins
        + "]";
  }

  /** Builds a {@link ServerConfig}. */
  public static final class Builder {
    private int port = DEFAULT_PORT;
    private String bind = "127.0.0.1";
    private String token;
    private String readOnlyToken;
    private List<Config> databases = List.of();
    private boolean allowCreate;
    private boolean devMode;
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private long queryTimeoutMs = DEFAULT_QUERY_TIMEOUT_MS;
    private List<String> plugins = List.of();

    Builder() {}

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder bind(String bind) {
      this.bind = bind;
      return this;
    }

    public Builder token(String token) {
      this.token = token;
      return this;
    }

    public Builder readOnlyToken(String token) {
      this.readOnlyToken = token;
      return this;
    }

    public Builder databases(List<Config> databases) {
      this.databases = databases;
      return this;
    }

    public Builder allowCreate(boolean allow) {
      this.allowCreate = allow;
      return this;
    }

    public Builder devMode(boolean dev) {
      this.devMode = dev;
      return this;
    }

    public Builder maxBodyBytes(long max) {
      this.maxBodyBytes = max;
      return this;
    }

    public Builder queryTimeoutMs(long ms) {
      this.queryTimeoutMs = ms;
      return this;
    }

    /** The {@link datahike.spi.FunctionRegistrar} classes to run at start, by name. */
    public Builder plugins(List<String> classNames) {
      this.plugins = classNames;
      return this;
    }

    public ServerConfig build() {
      return new ServerConfig(
          port,
          bind,
          token,
          readOnlyToken,
          databases,
          allowCreate,
          devMode,
          maxBodyBytes,
          queryTimeoutMs,
          plugins);
    }
  }
}
