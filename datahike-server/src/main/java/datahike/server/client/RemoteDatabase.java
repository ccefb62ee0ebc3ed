package datahike.server.client;

import datahike.DatahikeException;
import datahike.Datom;
import datahike.api.Operation;
import datahike.edn.EdnPrinter;
import datahike.edn.Keyword;
import datahike.edn.Tagged;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A database value on a server: the reading methods of {@link datahike.Database}, each one request.
 * Like a local value it does not change: the first read pins it to the server's current value (its
 * basis, the max-tx), and every later read, and every view made from it, reads that same value. The
 * server keeps recent values; an older basis is read through an as-of view when the database keeps
 * history, and fails with {@code :db/basis-unavailable} otherwise.
 *
 * <p>Views ({@link #history()}, {@link #asOf}, {@link #since}) are made here without a request; an
 * invalid time point is reported by the first read. {@link #entity} answers the entity's attribute
 * map (refs as {@code {:db/id n}}), since a lazy entity cannot cross the wire. Thread safe.
 */
public final class RemoteDatabase {
  private static final Keyword NAME = Keyword.of("name");
  private static final Keyword CONFIG = Keyword.of("config");
  private static final Keyword BASIS_T = Keyword.of("basis-t");
  private static final Keyword VIEWS = Keyword.of("views");
  private static final Keyword MAX_TX = Keyword.of("max-tx");
  private static final Keyword MAX_EID = Keyword.of("max-eid");
  private static final Keyword HISTORY = Keyword.of("history");
  private static final Keyword AS_OF = Keyword.of("as-of");
  private static final Keyword SINCE = Keyword.of("since");
  private static final String TAG = "datahike/DB";

  private final RemoteClient client;

  /** {@code :name "x"} or {@code :config {...}}. */
  private final Map<Keyword, Object> target;

  /** The basis, shared with the views made from this value; empty until pinned. */
  private final AtomicReference<Long> basis;

  private final List<Object> views;
  private final Long maxTx;
  private final Long maxEid;

  RemoteDatabase(
      RemoteClient client,
      Map<Keyword, Object> target,
      AtomicReference<Long> basis,
      List<Object> views,
      Long maxTx,
      Long maxEid) {
    this.client = client;
    this.target = target;
    this.basis = basis;
    this.views = List.copyOf(views);
    this.maxTx = maxTx;
    this.maxEid = maxEid;
  }

  /** The current value of the database {@code target} names, pinned on first read. */
  static RemoteDatabase current(RemoteClient client, Map<Keyword, Object> target) {
    return new RemoteDatabase(client, target, new AtomicReference<>(), List.of(), null, null);
  }

  /** A database value the server described ({@code #datahike/DB {...}}). */
  static RemoteDatabase described(RemoteClient client, Object descriptor) {
    if (!(descriptor instanceof Tagged t)
        || !TAG.equals(t.tag())
        || !(t.value() instanceof Map<?, ?> m)) {
      throw DatahikeException.of(
          "remote/bad-answer",
          "Expected a #datahike/DB value, got " + EdnPrinter.print(descriptor));
    }
    Map<Keyword, Object> target = new LinkedHashMap<>();
    if (m.get(NAME) != null) target.put(NAME, m.get(NAME));
    if (m.get(CONFIG) != null) target.put(CONFIG, m.get(CONFIG));
    Object b = m.get(BASIS_T);
    List<Object> views = m.get(VIEWS) instanceof List<?> l ? new ArrayList<>(l) : List.of();
    return new RemoteDatabase(
        client,
        target,
        new AtomicReference<>(b instanceof Long l ? l : null),
        views,
        m.get(MAX_TX) instanceof Long x ? x : null,
        m.get(MAX_EID) instanceof Long x ? x : null);
  }

  RemoteClient client() {
    return client;
  }

  Long basisOrNull() {
    return basis.get();
  }

  void pin(long t) {
    basis.compareAndSet(null, t);
  }

  /** The reference sent to the server: {@code #datahike/DB {...}}. */
  Tagged toRef() {
    Map<Keyword, Object> m = new LinkedHashMap<>(target);
    Long b = basis.get();
    if (b != null) m.put(BASIS_T, b);
    if (!views.isEmpty()) m.put(VIEWS, views);
    return new Tagged(TAG, m);
  }

  private RemoteDatabase plus(Object view) {
    List<Object> vs = new ArrayList<>(views);
    vs.add(view);
    return new RemoteDatabase(client, target, basis, vs, null, null);
  }

  private Object call(Operation op, Object... kvs) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("db", this);
    for (int i = 0; i < kvs.length; i += 2) args.put((String) kvs[i], kvs[i + 1]);
    return client.call(op, args);
  }

  // ------------------------------------------------------------------ reads

  /** See {@link datahike.Database#pull}. */
  @SuppressWarnings("unchecked")
  public Map<Keyword, Object> pull(Object pattern, Object eid) {
    return (Map<Keyword, Object>) call(Operation.PULL, "pattern", pattern, "eid", eid);
  }

  /** See {@link datahike.Database#pullMany}. */
  @SuppressWarnings("unchecked")
  public List<Map<Keyword, Object>> pullMany(Object pattern, List<?> eids) {
    return (List<Map<Keyword, Object>>) call(Operation.PULL_MANY, "pattern", pattern, "eids", eids);
  }

  /**
   * The attributes of entity {@code eid} as a map with {@code :db/id} (references as {@code {:db/id
   * n}}, cardinality many as sets), or null when nothing is found: what {@link
   * datahike.Entity#toMap()} gives locally.
   */
  @SuppressWarnings("unchecked")
  public Map<Keyword, Object> entity(Object eid) {
    return (Map<Keyword, Object>) call(Operation.ENTITY, "eid", eid);
  }

  /** See {@link datahike.Database#datoms}. */
  @SuppressWarnings("unchecked")
  public List<Datom> datoms(Object index, Object... components) {
    return (List<Datom>)
        call(Operation.DATOMS, "index", index, "components", Arrays.asList(components));
  }

  /** See {@link datahike.Database#seekDatoms}. */
  @SuppressWarnings("unchecked")
  public List<Datom> seekDatoms(Object index, Object... components) {
    return (List<Datom>)
        call(Operation.SEEK_DATOMS, "index", index, "components", Arrays.asList(components));
  }

  /** See {@link datahike.Database#indexRange}. */
  @SuppressWarnings("unchecked")
  public List<Datom> indexRange(Object attr, Object start, Object end) {
    return (List<Datom>) call(Operation.INDEX_RANGE, "attrid", attr, "start", start, "end", end);
  }

  /** See {@link datahike.Database#schema}. */
  @SuppressWarnings("unchecked")
  public Map<Keyword, Map<Keyword, Object>> schema() {
    return (Map<Keyword, Map<Keyword, Object>>) call(Operation.SCHEMA);
  }

  /** See {@link datahike.Database#reverseSchema}. */
  @SuppressWarnings("unchecked")
  public Map<Keyword, Set<Keyword>> reverseSchema() {
    return (Map<Keyword, Set<Keyword>>) call(Operation.REVERSE_SCHEMA);
  }

  /** See {@link datahike.Database#metrics}. */
  @SuppressWarnings("unchecked")
  public Map<Keyword, Object> metrics() {
    return (Map<Keyword, Object>) call(Operation.METRICS);
  }

  /** Runs a query with this database as {@code $} followed by {@code inputs}. */
  public <T> T q(Object query, Object... inputs) {
    Object[] all = new Object[inputs.length + 1];
    all[0] = this;
    System.arraycopy(inputs, 0, all, 1, inputs.length);
    return RemoteDatahike.q(query, all);
  }

  /** The database as if {@code txData} were transacted; nothing is written. */
  public RemoteTxReport with(Object txData) {
    return with(txData, null);
  }

  /** As {@link #with(Object)}, with transaction metadata. */
  public RemoteTxReport with(Object txData, Map<Keyword, Object> txMeta) {
    Object tx = txData;
    if (txMeta != null) {
      Map<Keyword, Object> m = new LinkedHashMap<>();
      m.put(Keyword.of("tx-data"), txData);
      m.put(Keyword.of("tx-meta"), txMeta);
      tx = m;
    }
    return RemoteTxReport.of(client, call(Operation.WITH, "tx-data", tx));
  }

  // ------------------------------------------------------------------ views

  /** The history view (made here; no request). */
  public RemoteDatabase history() {
    return plus(HISTORY);
  }

  /** The value as of a transaction id or {@link Date} (made here; no request). */
  public RemoteDatabase asOf(Object timePoint) {
    return plus(List.of(AS_OF, timePoint(timePoint)));
  }

  /** The datoms added since a transaction id or {@link Date} (made here; no request). */
  public RemoteDatabase since(Object timePoint) {
    return plus(List.of(SINCE, timePoint(timePoint)));
  }

  private static Object timePoint(Object t) {
    if (t instanceof Date) return t;
    if (t instanceof Number n) return n.longValue();
    throw DatahikeException.of(
        "time-point/invalid",
        "A time point must be a transaction id or a java.util.Date, got " + EdnPrinter.print(t),
        "time-point",
        t);
  }

  /** True when this value is read through views (history, as-of, since, with). */
  public boolean isView() {
    return !views.isEmpty();
  }

  /** True when the views include the history view. */
  public boolean isHistory() {
    return views.contains(HISTORY);
  }

  /**
   * The basis: the max-tx of the database value this one reads (before views). Pins the value with
   * a small request ({@code /schema}) when no read has pinned it yet.
   */
  public long basisT() {
    Long b = basis.get();
    if (b == null) {
      RemoteDatabase base = new RemoteDatabase(client, target, basis, List.of(), null, null);
      base.schema();
      b = basis.get();
    }
    return b;
  }

  /** The max-tx of this value as the server described it, or null when it was not described. */
  public Long describedMaxTx() {
    return maxTx;
  }

  /** The max-eid of this value as the server described it, or null. */
  public Long describedMaxEid() {
    return maxEid;
  }

  @Override
  public String toString() {
    return "#datahike/DB " + EdnPrinter.print(toRef().value());
  }
}
