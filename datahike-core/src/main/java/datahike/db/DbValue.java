package datahike.db;

import datahike.Datom;
import datahike.index.DatomOrder;
import datahike.index.DatomTree;
import datahike.index.Edit;
import datahike.schema.Schema;
import java.util.List;

/**
 * The current state of a database: the three covering indices over current datoms, the three
 * temporal indices over retracted datoms (when history is kept), the schema and the id counters.
 *
 * <p>A published DbValue is immutable. The transactor works on a {@link #transientCopy()}, whose
 * trees it changes in place through the mutators below, and publishes it with {@link
 * #persistent()}; nothing else may call the mutators. Internal.
 */
public final class DbValue extends AbstractDb {
  /** The first transaction id (Datahike's tx0); the initial empty database has this max-tx. */
  public static final long TX0 = 536870912L;

  private final DbFlags flags;
  private Schema schema;
  private DatomTree eavt;
  private DatomTree aevt;
  private DatomTree avet;
  private DatomTree teavt;
  private DatomTree taevt;
  private DatomTree tavet;
  private long maxEid;
  private long maxTx;
  /** The token of this value's transient updates; null once published. */
  private Edit edit;
  /**
   * Changes not yet applied to AEVT, AVET and their temporal twins (see {@link PendingChanges});
   * null once published. Every read of those trees goes through {@link #aevt()} etc.
   */
  private PendingChanges aevtPending;
  private PendingChanges avetPending;
  private PendingChanges taevtPending;
  private PendingChanges tavetPending;

  /** Database-wide settings fixed at creation. */
  public record DbFlags(boolean keepHistory, boolean attributeRefs, boolean schemaOnRead) {}

  private DbValue(DbFlags flags, Schema schema, long maxEid, long maxTx) {
    this.flags = flags;
    this.schema = schema;
    this.maxEid = maxEid;
    this.maxTx = maxTx;
    this.eavt = DatomTree.empty(DatomOrder.EAVT, false);
    this.aevt = DatomTree.empty(DatomOrder.AEVT, false);
    this.avet = DatomTree.empty(DatomOrder.AVET, false);
    this.teavt = DatomTree.empty(DatomOrder.EAVT, true);
    this.taevt = DatomTree.empty(DatomOrder.AEVT, true);
    this.tavet = DatomTree.empty(DatomOrder.AVET, true);
  }

  /** An empty database value with the given schema and counters. */
  public static DbValue empty(DbFlags flags, Schema schema, long maxEid, long maxTx) {
    return new DbValue(flags, schema, maxEid, maxTx);
  }

  /** An empty database (attribute-refs databases then get the system entities). */
  public static DbValue empty(DbFlags flags, Schema schema) {
    return empty(flags, schema, 0, TX0);
  }

  private DbValue copyOf() {
    DbValue c = new DbValue(flags, schema, maxEid, maxTx);
    c.eavt = eavt;
    c.aevt = aevt();
    c.avet = avet();
    c.teavt = teavt;
    c.taevt = taevt();
    c.tavet = tavet();
    return c;
  }

  // The follower trees, brought up to date with the changes waiting for them.

  private DatomTree aevt() {
    if (aevtPending != null && !aevtPending.isEmpty()) aevt = aevtPending.applyTo(aevt, edit);
    return aevt;
  }

  private DatomTree avet() {
    if (avetPending != null && !avetPending.isEmpty()) avet = avetPending.applyTo(avet, edit);
    return avet;
  }

  private DatomTree taevt() {
    if (taevtPending != null && !taevtPending.isEmpty()) taevt = taevtPending.applyTo(taevt, edit);
    return taevt;
  }

  private DatomTree tavet() {
    if (tavetPending != null && !tavetPending.isEmpty()) tavet = tavetPending.applyTo(tavet, edit);
    return tavet;
  }

  // ------------------------------------------------------------------ transactor's side

  /** A copy the transactor may change in place until {@link #persistent()}. */
  public DbValue transientCopy() {
    DbValue c = copyOf();
    c.edit = new Edit();
    c.aevtPending = new PendingChanges();
    c.avetPending = new PendingChanges();
    c.taevtPending = new PendingChanges();
    c.tavetPending = new PendingChanges();
    return c;
  }

  /** Freezes a transient copy into a published value. */
  public DbValue persistent() {
    // All pending changes first: publishing the first tree publishes every node of the Edit.
    aevt();
    avet();
    taevt();
    tavet();
    eavt.persistent();
    aevt.persistent();
    avet.persistent();
    teavt.persistent();
    taevt.persistent();
    tavet.persistent();
    if (edit != null) edit.publish();
    edit = null;
    aevtPending = null;
    avetPending = null;
    taevtPending = null;
    tavetPending = null;
    return this;
  }

  /**
   * Adds a current datom to EAVT, AEVT and AVET (a datom equal in e, a and v to a current one
   * changes nothing). EAVT changes at once; AEVT and AVET when next read or published.
   */
  public void addCurrent(Datom d) {
    long size = eavt.size();
    eavt = eavt.with(d, edit);
    if (eavt.size() == size) return; // present: the three trees hold the same datoms
    if (aevtPending != null) {
      aevtPending.add(d);
      avetPending.add(d);
    } else {
      aevt = aevt.with(d, edit);
      avet = avet.with(d, edit);
    }
  }

  /** Removes a current datom from EAVT, AEVT and AVET (as {@link #addCurrent}, deferred). */
  public void removeCurrent(Datom d) {
    long size = eavt.size();
    eavt = eavt.without(d, edit);
    if (eavt.size() == size) return;
    if (aevtPending != null) {
      aevtPending.remove(d);
      avetPending.remove(d);
    } else {
      aevt = aevt.without(d, edit);
      avet = avet.without(d, edit);
    }
  }

  /** Adds a datom to the temporal indices (as {@link #addCurrent}, led by the temporal EAVT). */
  public void addTemporal(Datom d) {
    long size = teavt.size();
    teavt = teavt.with(d, edit);
    if (teavt.size() == size) return;
    if (taevtPending != null) {
      taevtPending.add(d);
      tavetPending.add(d);
    } else {
      taevt = taevt.with(d, edit);
      tavet = tavet.with(d, edit);
    }
  }

  /** Removes a datom from the temporal indices (purge). */
  public void removeTemporal(Datom d) {
    long size = teavt.size();
    teavt = teavt.without(d, edit);
    if (teavt.size() == size) return;
    if (taevtPending != null) {
      taevtPending.remove(d);
      tavetPending.remove(d);
    } else {
      taevt = taevt.without(d, edit);
      tavet = tavet.without(d, edit);
    }
  }

  public void setSchema(Schema s) {
    this.schema = s;
  }

  public void setMaxEid(long e) {
    this.maxEid = e;
  }

  public void setMaxTx(long t) {
    this.maxTx = t;
  }

  /** Replaces all trees at once (bulk load, store). */
  public void setTrees(DatomTree[] current, DatomTree[] temporal) {
    // Changes waiting for the replaced trees belong to them: apply them before dropping them.
    aevt();
    avet();
    taevt();
    tavet();
    eavt = current[0];
    aevt = current[1];
    avet = current[2];
    if (temporal != null) {
      teavt = temporal[0];
      taevt = temporal[1];
      tavet = temporal[2];
    }
  }

  // ------------------------------------------------------------------ reading

  @Override
  public DbValue base() {
    return this;
  }

  public DbFlags flags() {
    return flags;
  }

  public Schema schema() {
    return schema;
  }

  public long maxEid() {
    return maxEid;
  }

  @Override
  public long maxTx() {
    return maxTx;
  }

  @Override
  public boolean isHistory() {
    return false;
  }

  /** The current tree of an index. */
  public DatomTree tree(IndexType t) {
    switch (t) {
      case EAVT:
        return eavt;
      case AEVT:
        return aevt();
      default:
        return avet();
    }
  }

  /** The temporal tree of an index. */
  public DatomTree temporalTree(IndexType t) {
    switch (t) {
      case EAVT:
        return teavt;
      case AEVT:
        return taevt();
      default:
        return tavet();
    }
  }

  /** Number of current datoms. */
  public long size() {
    return eavt.size();
  }

  @Override
  public Iterable<Datom> search(long e, int a, Object v, long tx) {
    return searchIn(false, e, a, v, tx);
  }

  /**
   * Datoms matching the components from the current trees, or with {@code temporal} from the
   * temporal trees.
   */
  Iterable<Datom> searchIn(boolean temporal, long e, int a, Object v, long tx) {
    if (a == NO_ATTR) return List.of();
    IndexType idx;
    boolean filterV = false;
    if (e >= 0) {
      idx = IndexType.EAVT;
      filterV = a == ANY_A && v != null;
    } else if (a != ANY_A) {
      idx = v != null ? IndexType.AVET : IndexType.AEVT;
    } else {
      idx = IndexType.EAVT;
      filterV = v != null;
    }
    Datom key = new Datom(e, a, filterV ? null : v, 0, true);
    DatomTree t = temporal ? temporalTree(idx) : tree(idx);
    Iterable<Datom> r = t.slice(key, key);
    if (filterV || tx >= 0) {
      final Object fv = v;
      final boolean fV = filterV;
      r = Iterables.filter(r, d -> (!fV || datahike.index.Values.equal(d.v, fv)) && (tx < 0 || d.tx() == tx));
    }
    return r;
  }

  @Override
  public Iterable<Datom> datoms(IndexType index, long e, int a, Object v, long tx) {
    return datomsIn(false, index, e, a, v, tx);
  }

  Iterable<Datom> datomsIn(boolean temporal, IndexType index, long e, int a, Object v, long tx) {
    if (a == NO_ATTR) return List.of();
    Datom key = new Datom(e, a, v, 0, true);
    DatomTree t = temporal ? temporalTree(index) : tree(index);
    Iterable<Datom> r = t.slice(key, key);
    if (tx >= 0) r = Iterables.filter(r, d -> d.tx() == tx);
    return r;
  }

  @Override
  public EntityProbe probe(int a) {
    if (a == NO_ATTR) return super.probe(a);
    // One attribute: AEVT, whose leaves hold that attribute's datoms only, so that ascending
    // entities stay in one leaf for longer than in EAVT; all attributes: EAVT.
    DatomTree.Seeker seeker = a == ANY_A ? eavt.seeker() : aevt().seeker();
    return new EntityProbe() {
      @Override
      public void seek(long e) {
        seeker.seek(new Datom(e, a, null, 0, true));
      }

      @Override
      public Datom next() {
        return seeker.next();
      }
    };
  }

  @Override
  public Iterable<Datom> valueRange(int a, Object from, Object to) {
    if (a == NO_ATTR) return List.of();
    return avet().slice(new Datom(-1, a, from, 0, true), new Datom(-1, a, to, 0, true));
  }

  @Override
  public long estimateCount(long e, int a, Object v) {
    if (a == NO_ATTR) return 0;
    IndexType idx = e >= 0 ? IndexType.EAVT : a != ANY_A ? (v != null ? IndexType.AVET : IndexType.AEVT) : IndexType.EAVT;
    Datom key = new Datom(e, a, (e >= 0 && a == ANY_A) ? null : v, 0, true);
    return tree(idx).count(key, key);
  }

  /** The current datom for (e, a, v), or null. */
  public Datom find(long e, int a, Object v) {
    return eavt.get(new Datom(e, a, v, 0, true));
  }

  /** The first current datom of (e, a), or null. */
  public Datom first(long e, int a) {
    return e < 0 ? eavt.first(new Datom(e, a, null, 0, true)) : eavt.firstEA(e, a);
  }

  /** The first current datom of attribute a with value v (any entity), or null. */
  public Datom firstByValue(int a, Object v) {
    return avet().first(new Datom(-1, a, v, 0, true));
  }

  @Override
  public String toString() {
    return "#datahike/DB {:max-tx " + maxTx + " :max-eid " + maxEid + "}";
  }

}
