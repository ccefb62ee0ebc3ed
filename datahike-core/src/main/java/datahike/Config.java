package datahike;

import datahike.edn.EdnPrinter;
import datahike.edn.EdnReader;
import datahike.edn.Keyword;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A database configuration, with Datahike's keys and defaults:
 *
 * <pre>{@code
 * {:store {:backend :memory :id "x"}     ; or {:backend :file :path "data/db"}
 *  :keep-history? true                   ; default true
 *  :schema-flexibility :write            ; or :read; default :write
 *  :attribute-refs? false                ; default false
 *  :initial-tx [...]                     ; transacted when the database is created
 *  :name "..."}
 * }</pre>
 *
 * Build one from EDN with {@link #parse(String)}, from a map with {@link #of(Map)}, or with {@link
 * #builder()}. Immutable.
 */
public final class Config {
  static final Keyword STORE = Keyword.of("store");
  static final Keyword BACKEND = Keyword.of("backend");
  static final Keyword ID = Keyword.of("id");
  static final Keyword PATH = Keyword.of("path");
  static final Keyword KEEP_HISTORY = Keyword.of("keep-history?");
  static final Keyword SCHEMA_FLEXIBILITY = Keyword.of("schema-flexibility");
  static final Keyword ATTRIBUTE_REFS = Keyword.of("attribute-refs?");
  static final Keyword INITIAL_TX = Keyword.of("initial-tx");
  static final Keyword NAME = Keyword.of("name");
  static final Keyword READ = Keyword.of("read");
  static final Keyword WRITE = Keyword.of("write");

  private final Map<Keyword, Object> map;

  private Config(Map<Keyword, Object> map) {
    this.map = map;
  }

  /** Parses an EDN map such as {@code {:store {:backend :memory :id "x"}}}. */
  public static Config parse(String edn) {
    Object o = EdnReader.read(edn);
    if (!(o instanceof Map<?, ?> m)) {
      throw DatahikeException.of(
          "config/invalid", "A configuration must be an EDN map, got " + EdnPrinter.print(o), "config", o);
    }
    return of(m);
  }

  /** A configuration from a map with keyword (or string) keys; missing keys take defaults. */
  public static Config of(Map<?, ?> m) {
    Map<Keyword, Object> c = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) c.put(key(e.getKey()), e.getValue());
    Object store = c.get(STORE);
    if (store == null) {
      Map<Keyword, Object> s = new LinkedHashMap<>();
      s.put(BACKEND, Keyword.of("memory"));
      s.put(ID, "default");
      c.put(STORE, s);
    } else if (store instanceof Map<?, ?> sm) {
      Map<Keyword, Object> s = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : sm.entrySet()) s.put(key(e.getKey()), e.getValue());
      Object b = s.get(BACKEND);
      if (b instanceof String str) s.put(BACKEND, Keyword.of(str));
      if (b == null) {
        throw DatahikeException.of("config/invalid", "The :store map needs a :backend", "store", store);
      }
      c.put(STORE, s);
    } else {
      throw DatahikeException.of("config/invalid", ":store must be a map, got " + EdnPrinter.print(store), "store", store);
    }
    Object flex = c.get(SCHEMA_FLEXIBILITY);
    if (flex instanceof String str) c.put(SCHEMA_FLEXIBILITY, Keyword.of(str));
    if (flex != null && c.get(SCHEMA_FLEXIBILITY) != READ && c.get(SCHEMA_FLEXIBILITY) != WRITE) {
      throw DatahikeException.of(
          "config/invalid", ":schema-flexibility must be :read or :write, got " + EdnPrinter.print(flex), "schema-flexibility", flex);
    }
    return new Config(c);
  }

  /**
   * A configuration from the environment, as Datahike's {@code load-config} reads it: environment
   * variables, overridden by Java system properties. Recognized: {@code DATAHIKE_STORE_BACKEND} /
   * {@code datahike.store.backend}, {@code ..._STORE_PATH} / {@code datahike.store.path}, {@code
   * ..._STORE_ID} / {@code datahike.store.id}, {@code ..._STORE_CONFIG} / {@code
   * datahike.store.config} (an EDN map merged into {@code :store}), {@code
   * DATAHIKE_SCHEMA_FLEXIBILITY} / {@code datahike.schema.flexibility} ({@code read|write}), {@code
   * DATAHIKE_KEEP_HISTORY} / {@code datahike.keep.history}, {@code DATAHIKE_ATTRIBUTE_REFS} /
   * {@code datahike.attribute.refs}, {@code DATAHIKE_NAME} / {@code datahike.name}.
   */
  public static Config fromEnvironment() {
    return load(Map.of());
  }

  /** {@code overrides} on top of {@link #fromEnvironment()}: the map wins, as in Datahike. */
  public static Config load(Map<?, ?> overrides) {
    Map<Keyword, Object> m = new LinkedHashMap<>();
    Map<Keyword, Object> store = new LinkedHashMap<>();
    String backend = setting("datahike.store.backend");
    if (backend != null) store.put(BACKEND, Keyword.of(backend.replace(":", "")));
    String path = setting("datahike.store.path");
    if (path != null) store.put(PATH, path);
    String id = setting("datahike.store.id");
    if (id != null) store.put(ID, id);
    String storeEdn = setting("datahike.store.config");
    if (storeEdn != null && EdnReader.read(storeEdn) instanceof Map<?, ?> sm) {
      for (Map.Entry<?, ?> e : sm.entrySet()) store.put(key(e.getKey()), e.getValue());
    }
    if (!store.isEmpty()) {
      if (!store.containsKey(BACKEND)) store.put(BACKEND, Keyword.of(store.containsKey(PATH) ? "file" : "memory"));
      m.put(STORE, store);
    }
    String flex = setting("datahike.schema.flexibility");
    if (flex != null) m.put(SCHEMA_FLEXIBILITY, Keyword.of(flex.replace(":", "")));
    String keep = setting("datahike.keep.history");
    if (keep != null) m.put(KEEP_HISTORY, Boolean.parseBoolean(keep));
    String refs = setting("datahike.attribute.refs");
    if (refs != null) m.put(ATTRIBUTE_REFS, Boolean.parseBoolean(refs));
    String name = setting("datahike.name");
    if (name != null) m.put(NAME, name);
    for (Map.Entry<?, ?> e : overrides.entrySet()) m.put(key(e.getKey()), e.getValue());
    return of(m);
  }

  /** A setting by its property name; the system property wins over the environment variable. */
  private static String setting(String property) {
    String v = System.getProperty(property);
    if (v != null) return v;
    return System.getenv(property.toUpperCase(java.util.Locale.ROOT).replace('.', '_'));
  }

  private static Keyword key(Object k) {
    if (k instanceof Keyword kw) return kw;
    return Keyword.of(String.valueOf(k));
  }

  /** A builder, starting from an in-memory store with a random id. */
  public static Builder builder() {
    return new Builder();
  }

  /** The store map, e.g. {@code {:backend :memory :id "x"}}. */
  @SuppressWarnings("unchecked")
  public Map<Keyword, Object> store() {
    return (Map<Keyword, Object>) map.get(STORE);
  }

  /** The store backend keyword, e.g. {@code :memory} or {@code :file}. */
  public Keyword backend() {
    return (Keyword) store().get(BACKEND);
  }

  /** Whether retracted datoms are kept for history/as-of/since (default true). */
  public boolean keepHistory() {
    Object v = map.get(KEEP_HISTORY);
    return v == null || Boolean.TRUE.equals(v);
  }

  /** True for {@code :schema-flexibility :read}. */
  public boolean schemaOnRead() {
    return map.get(SCHEMA_FLEXIBILITY) == READ;
  }

  /** True for {@code :attribute-refs? true}. */
  public boolean attributeRefs() {
    return Boolean.TRUE.equals(map.get(ATTRIBUTE_REFS));
  }

  /** Transaction data to run when the database is created, or null. */
  public Object initialTx() {
    return map.get(INITIAL_TX);
  }

  /**
   * The {@code :schema} map given at creation (ident → definition, as DataScript's and Datahike's
   * {@code empty-db} take it): installed without entities or transactions; null when absent.
   */
  public Map<?, ?> schema() {
    Object s = map.get(Keyword.of("schema"));
    if (s != null && !(s instanceof Map)) {
      throw DatahikeException.of(
          "config/invalid", ":schema must be a map of attribute definitions", "schema", s);
    }
    return (Map<?, ?>) s;
  }

  /** The database name, or null. */
  public String name() {
    Object n = map.get(NAME);
    return n == null ? null : n.toString();
  }

  /** The whole configuration as a map. */
  public Map<Keyword, Object> toMap() {
    return java.util.Collections.unmodifiableMap(map);
  }

  /** A stable key naming the store: backend plus id or path. */
  public String storeKey() {
    Map<Keyword, Object> s = store();
    String backend = backend().name();
    if (backend.equals("mem")) backend = "memory";
    Object where;
    if (s.containsKey(PATH)) {
      where = java.nio.file.Path.of(String.valueOf(s.get(PATH))).toAbsolutePath().normalize();
    } else if (s.containsKey(ID)) {
      where = s.get(ID);
    } else {
      // Backends located by other keys (bucket, host, table, ...): the whole store map names it.
      where = EdnPrinter.print(new java.util.TreeMap<>(s));
    }
    return backend + ":" + where;
  }

  @Override
  public String toString() {
    return EdnPrinter.print(map);
  }

  /** Builds a {@link Config}. */
  public static final class Builder {
    private final Map<Keyword, Object> m = new LinkedHashMap<>();

    Builder() {
      memory(UUID.randomUUID().toString());
    }

    /** An in-memory store named {@code id} (shared by every connection in this JVM). */
    public Builder memory(String id) {
      Map<Keyword, Object> s = new LinkedHashMap<>();
      s.put(BACKEND, Keyword.of("memory"));
      s.put(ID, id);
      m.put(STORE, s);
      return this;
    }

    /** A file store in directory {@code path}. */
    public Builder file(String path) {
      Map<Keyword, Object> s = new LinkedHashMap<>();
      s.put(BACKEND, Keyword.of("file"));
      s.put(PATH, path);
      m.put(STORE, s);
      return this;
    }

    /** Any store map. */
    public Builder store(Map<Keyword, Object> store) {
      m.put(STORE, store);
      return this;
    }

    public Builder keepHistory(boolean keep) {
      m.put(KEEP_HISTORY, keep);
      return this;
    }

    /** {@code :schema-flexibility :read}: any attribute may be transacted without schema. */
    public Builder schemaOnRead() {
      m.put(SCHEMA_FLEXIBILITY, READ);
      return this;
    }

    public Builder attributeRefs(boolean refs) {
      m.put(ATTRIBUTE_REFS, refs);
      return this;
    }

    public Builder initialTx(List<?> txData) {
      m.put(INITIAL_TX, txData);
      return this;
    }

    public Builder name(String name) {
      m.put(NAME, name);
      return this;
    }

    public Config build() {
      return Config.of(m);
    }
  }
}
