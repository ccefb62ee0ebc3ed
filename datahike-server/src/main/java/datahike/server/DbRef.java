package datahike.server;

import datahike.Config;
import datahike.Database;
import datahike.edn.EdnPrinter;
import datahike.edn.Keyword;
import datahike.edn.Tagged;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a request names a database value: which database, at which basis, through which views.
 *
 * <pre>{@code
 * ref   = "name"                                  ; a database the server knows by :name
 *       | {:store {...} ...}                      ; a configuration
 *       | #datahike/DB {:name "name" | :config {...}
 *                       :basis-t T?               ; the value whose max-tx is T
 *                       :as-of t? :since t? :history true?   ; applied in this order, then
 *                       :views [view ...]?}       ; these, left to right
 *         (the same map without the tag is accepted for db and conn arguments)
 * view  = :history | [:as-of t] | [:since t] | [:with tx-data] | [:with tx-data tx-meta]
 * t     = transaction id | #inst
 * }</pre>
 *
 * The server answers a database value with the same tagged map, adding {@code :basis-t}, {@code
 * :max-tx} and {@code :max-eid} ({@code :max-tx} and {@code :max-eid} are informational and ignored
 * when the map is sent back). A reference without {@code :basis-t} means the current value. In
 * {@code :inputs} of a query only the tagged form is a database; any other value is an ordinary
 * input.
 *
 * @param name the database name, or null
 * @param config the configuration, or null (exactly one of name and config is set)
 * @param basisT the max-tx of the value meant, or null for the current value
 * @param views the views to apply, in order
 */
record DbRef(String name, Config config, Long basisT, List<View> views) {
  static final String TAG = "datahike/DB";
  static final Keyword NAME = Keyword.of("name");
  static final Keyword CONFIG = Keyword.of("config");
  static final Keyword BASIS_T = Keyword.of("basis-t");
  static final Keyword AS_OF = Keyword.of("as-of");
  static final Keyword SINCE = Keyword.of("since");
  static final Keyword HISTORY = Keyword.of("history");
  static final Keyword VIEWS = Keyword.of("views");
  static final Keyword WITH = Keyword.of("with");
  static final Keyword MAX_TX = Keyword.of("max-tx");
  static final Keyword MAX_EID = Keyword.of("max-eid");
  static final Keyword STORE = Keyword.of("store");
  static final Keyword REMOTE_PEER = Keyword.of("remote-peer");
  static final Keyword WRITER = Keyword.of("writer");

  DbRef {
    views = List.copyOf(views);
  }

  /** One view of a database value. */
  sealed interface View {
    /** The view of {@code db}. */
    Database apply(Database db);

    /** The EDN form, as in the class comment. */
    Object form();
  }

  /** {@code :history}. */
  record History() implements View {
    @Override
    public Database apply(Database db) {
      return db.history();
    }

    @Override
    public Object form() {
      return HISTORY;
    }
  }

  /** {@code [:as-of t]}. */
  record AsOf(Object t) implements View {
    @Override
    public Database apply(Database db) {
      return db.asOf(t);
    }

    @Override
    public Object form() {
      return List.of(AS_OF, t);
    }
  }

  /** {@code [:since t]}. */
  record Since(Object t) implements View {
    @Override
    public Database apply(Database db) {
      return db.since(t);
    }

    @Override
    public Object form() {
      return List.of(SINCE, t);
    }
  }

  /** {@code [:with tx-data tx-meta?]}: recomputed on every use, so it stays a pure read. */
  record With(Object txData, Map<Keyword, Object> txMeta) implements View {
    @Override
    public Database apply(Database db) {
      return db.with(txData, txMeta).dbAfter();
    }

    @Override
    public Object form() {
      List<Object> l = new ArrayList<>(3);
      l.add(WITH);
      l.add(txData);
      if (txMeta != null) l.add(txMeta);
      return l;
    }
  }

  /** This reference with one more view. */
  DbRef plus(View v) {
    List<View> vs = new ArrayList<>(views);
    vs.add(v);
    return new DbRef(name, config, basisT, vs);
  }

  /** This reference pinned to {@code t}. */
  DbRef pinned(long t) {
    return new DbRef(name, config, t, views);
  }

  /** The tagged descriptor of {@code value}, which this reference names. */
  Tagged describe(Database value) {
    Map<Keyword, Object> m = new LinkedHashMap<>();
    if (name != null) {
      m.put(NAME, name);
    } else {
      m.put(CONFIG, config.toMap());
    }
    if (basisT != null) m.put(BASIS_T, basisT);
    if (!views.isEmpty()) {
      List<Object> vs = new ArrayList<>();
      for (View v : views) vs.add(v.form());
      m.put(VIEWS, vs);
    }
    m.put(MAX_TX, value.maxTx());
    m.put(MAX_EID, value.maxEid());
    return new Tagged(TAG, m);
  }

  /**
   * Parses a database or connection reference (see class comment); {@code argName} names the
   * argument in errors. Connections take no basis and no views.
   */
  static DbRef parse(Object form, String argName, boolean connection) {
    if (form instanceof String s) return new DbRef(s, null, null, List.of());
    Object x = form instanceof Tagged t && TAG.equals(t.tag()) ? t.value() : form;
    if (!(x instanceof Map<?, ?> m)) throw bad(argName, "names no database", form);
    if (m.containsKey(STORE)) return new DbRef(null, config(m), null, List.of());
    String name = null;
    Config cfg = null;
    Long basis = null;
    Object asOf = null;
    Object since = null;
    boolean history = false;
    List<View> views = new ArrayList<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      Object k = e.getKey() instanceof String s ? Keyword.of(s) : e.getKey();
      Object v = e.getValue();
      if (NAME.equals(k)) {
        if (!(v instanceof String s)) throw bad(argName, ":name must be a string", form);
        name = s;
      } else if (CONFIG.equals(k)) {
        if (v instanceof String s) {
          cfg = strip(Config.parse(s));
        } else if (v instanceof Map<?, ?> cm) {
          cfg = config(cm);
        } else {
          throw bad(argName, ":config must be a configuration map", form);
        }
      } else if (BASIS_T.equals(k)) {
        if (!(v instanceof Long l)) throw bad(argName, ":basis-t must be a transaction id", form);
        basis = l;
      } else if (AS_OF.equals(k)) {
        asOf = timePoint(argName, v, form);
      } else if (SINCE.equals(k)) {
        since = timePoint(argName, v, form);
      } else if (HISTORY.equals(k)) {
        history = Boolean.TRUE.equals(v);
      } else if (VIEWS.equals(k)) {
        if (!(v instanceof List<?> l)) throw bad(argName, ":views must be a vector", form);
        for (Object view : l) views.add(view(argName, view, form));
      } else if (!MAX_TX.equals(k) && !MAX_EID.equals(k)) {
        throw bad(argName, "has an unknown key " + EdnPrinter.print(k), form);
      }
    }
    if ((name == null) == (cfg == null)) {
      throw bad(argName, "needs exactly one of :name and :config", form);
    }
    List<View> all = new ArrayList<>();
    if (asOf != null) all.add(new AsOf(asOf));
    if (since != null) all.add(new Since(since));
    if (history) all.add(new History());
    all.addAll(views);
    if (connection && (basis != null || !all.isEmpty())) {
      throw bad(argName, "is a connection: it takes no :basis-t and no views", form);
    }
    return new DbRef(name, cfg, basis, all);
  }

  private static View view(String argName, Object v, Object form) {
    if (HISTORY.equals(v)) return new History();
    if (v instanceof List<?> l && !l.isEmpty()) {
      Object head = l.get(0);
      if (AS_OF.equals(head) && l.size() == 2) return new AsOf(timePoint(argName, l.get(1), form));
      if (SINCE.equals(head) && l.size() == 2) return new Since(timePoint(argName, l.get(1), form));
      if (WITH.equals(head) && (l.size() == 2 || l.size() == 3)) {
        Object meta = l.size() == 3 ? l.get(2) : null;
        if (meta != null && !(meta instanceof Map)) {
          throw bad(argName, "[:with tx-data tx-meta] takes a map as tx-meta", form);
        }
        @SuppressWarnings("unchecked")
        Map<Keyword, Object> m = (Map<Keyword, Object>) meta;
        return new With(l.get(1), m);
      }
    }
    throw bad(
        argName,
        "has an unknown view "
            + EdnPrinter.print(v)
            + "; views are :history, [:as-of t], [:since t], [:with tx-data tx-meta?]",
        form);
  }

  private static Object timePoint(String argName, Object v, Object form) {
    if (v instanceof Long || v instanceof Date) return v;
    throw bad(argName, "takes a transaction id or an #inst as time point", form);
  }

  /** A configuration sent by a client, without the keys that carry client credentials. */
  static Config config(Map<?, ?> m) {
    Map<Object, Object> c = new LinkedHashMap<>(m);
    c.remove(REMOTE_PEER);
    c.remove(WRITER);
    c.remove("remote-peer");
    c.remove("writer");
    return Config.of(c);
  }

  static Config strip(Config cfg) {
    return config(cfg.toMap());
  }

  static ServerException bad(String argName, String what, Object form) {
    return ServerException.badRequest(
        "server/bad-database",
        "Argument " + argName + " " + what + ": " + abbreviate(EdnPrinter.print(form)),
        "argument",
        argName);
  }

  static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
