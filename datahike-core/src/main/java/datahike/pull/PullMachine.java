package datahike.pull;

import datahike.Datom;
import datahike.db.Db;
import datahike.edn.Keyword;
import datahike.pull.PullPattern.Attr;
import datahike.pull.PullPattern.Join;
import datahike.pull.PullPattern.Nested;
import datahike.pull.PullPattern.Pattern;
import datahike.pull.PullPattern.Recursive;
import datahike.schema.Attribute;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs a parsed pattern against a database on an explicit stack of frames.
 *
 * <p>This is Datahike's frame machine ({@code datahike.pull-api}, itself DataScript's pre-1.0
 * {@code pull_api.cljc}) with the same observable behaviour:
 *
 * <ul>
 *   <li>An entity frame pulls one pattern for a list of entity ids and keeps the non-empty maps; it
 *       yields the list (many) or its first map (one). A recursion frame pulls the enclosing
 *       pattern again for each referenced id. A finished frame hands its result to the frame below
 *       under its key; a nil result is dropped, an empty list is kept ({@code :child []}).
 *   <li>Recursion state is a multiset of <em>seen</em> ids and a depth per attribute, inherited
 *       along the path. A nested pattern ({@code {:child [...]}}) and the reverse attributes pulled
 *       after a wildcard start afresh. A recursion step marks the id it enters; a component
 *       expansion marks the entity whose components it expands; a wildcard expansion in a frame
 *       with a key marks the expanded entity. A seen id met by recursion or by a wildcard pattern
 *       yields {@code {:db/id n}}.
 *   <li>A recursion stops when the depth of its attribute equals the limit written for it, looked
 *       up by the result key in the enclosing pattern (so with {@code :as} the limit is not found
 *       and only cycles stop it, as in Datahike).
 *   <li>A wildcard pulls every attribute of the entity with the options the pattern gives that
 *       attribute, then the pattern's reverse attributes; other explicit specs are not pulled.
 * </ul>
 *
 * <p>Instead of Datahike's persistent maps, the recursion state is one mutable {@link Scope} per
 * fresh start, and each frame undoes its own mark when it finishes: frames finish in stack order,
 * so the scope always holds exactly the marks of the running frame's ancestors.
 */
final class PullMachine {
  private static final Keyword DB_ID = Keyword.of("db/id");

  /** The key of the entity frame a recursion step pulls (Datahike's {@code ::recursion}). */
  private static final Object RECURSION = new Marker("recursion");

  /** The key of the frame pulling reverse attributes after a wildcard ({@code ::expand-rev}). */
  private static final Object EXPAND_REV = new Marker("expand-rev");

  /** Options of an attribute a wildcard pulls that the pattern does not name. */
  private static final Attr NO_OPTS = Attr.named(Keyword.of("db/id"));

  private final Db db;
  private final ArrayDeque<Frame> stack = new ArrayDeque<>();

  private PullMachine(Db db) {
    this.db = db;
  }

  /**
   * Pulls {@code pattern} for each of {@code eids}: the list of non-empty results when {@code
   * multi}, else the first one or null.
   */
  static Object run(Db db, Pattern pattern, long[] eids, boolean multi) {
    PullMachine m = new PullMachine(db);
    return m.loop(new EntityFrame(pattern, eids, multi, null, null, new Scope(), null, 0L));
  }

  private Object loop(Frame root) {
    stack.push(root);
    while (true) {
      Frame top = stack.peek();
      if (top.step(this)) {
        continue;
      }
      stack.pop();
      top.release();
      Object result = top.result();
      Frame below = stack.peek();
      if (below == null) {
        return result;
      }
      if (result != null) {
        below.accept(top.key, top.xform == null ? result : top.xform.apply(result));
      }
    }
  }

  private void push(Frame f) {
    stack.push(f);
  }

  /** Pulls one attribute spec of entity {@code eid} into {@code f}. */
  private void pullAttr(Attr spec, long eid, EntityFrame f) {
    if (spec.name() == DB_ID) {
      if (db.search(eid, Db.ANY_A, null, Db.ANY).iterator().hasNext()) {
        f.kvps.put(DB_ID, eid);
      }
      return;
    }
    int code = db.attrCode(spec.attr());
    Iterable<Datom> datoms;
    if (code == Db.NO_ATTR) {
      datoms = List.of();
    } else if (!spec.reverse()) {
      datoms = db.search(eid, code, null, Db.ANY);
    } else {
      // Datahike reads reverse references from AVET, which holds only indexed attributes.
      Attribute a = db.attribute(code);
      datoms = a != null && a.inAvet() ? db.search(Db.ANY, code, eid, Db.ANY) : List.of();
    }
    pullAttrDatoms(spec.name(), code, eid, !spec.reverse(), datoms, spec, f);
  }

  /**
   * Puts the values of {@code datoms} (attribute {@code code} of entity {@code eid}, forward or
   * reverse) into {@code f} under the result key, or pushes the frame that pulls them.
   */
  private void pullAttrDatoms(
      Keyword name,
      int code,
      long eid,
      boolean forward,
      Iterable<Datom> datoms,
      Attr opts,
      EntityFrame f) {
    long limit = opts.limit();
    List<Datom> found = new ArrayList<>();
    if (limit > 0) {
      for (Datom d : datoms) {
        found.add(d);
        if (found.size() >= limit) {
          break;
        }
      }
    }
    Object key = opts.as() != null ? opts.as() : name;
    if (found.isEmpty()) {
      if (opts.hasDefault()) {
        f.kvps.put(key, opts.defaultValue());
      }
      return;
    }
    Attribute a = code == Db.NO_ATTR ? null : db.attribute(code);
    boolean ref = a != null && a.isRef();
    boolean component = ref && a.component();
    boolean multi = forward ? a != null && a.many() : !component;
    Join join = opts.join();
    if (join instanceof Nested n) {
      push(
          new EntityFrame(
              n.pattern(), ids(found, forward), multi, key, opts.xform(), new Scope(), null, 0L));
    } else if (join instanceof Recursive) {
      recurse(key, multi, ids(found, forward), opts.xform(), f);
    } else if (component && forward) {
      push(
          new EntityFrame(
              Pattern.WILDCARD, ids(found, true), multi, key, opts.xform(), f.scope, key, eid));
    } else {
      Object value;
      if (multi) {
        List<Object> vs = new ArrayList<>(found.size());
        for (Datom d : found) {
          vs.add(valueOf(d, forward, ref));
        }
        value = vs;
      } else {
        value = valueOf(found.get(0), forward, ref);
      }
      f.kvps.put(key, opts.xform() == null ? value : opts.xform().apply(value));
    }
  }

  private void recurse(
      Object key, boolean multi, long[] eids, Function<Object, Object> xform, EntityFrame f) {
    Attr spec = key instanceof Keyword k ? f.pattern.attrs().get(k) : null;
    Long limit = spec != null && spec.join() instanceof Recursive r ? r.limit() : null;
    if (limit != null && limit == f.scope.depth(key)) {
      return;
    }
    push(new RecursionFrame(f.pattern, key, multi, eids, xform, f.scope));
  }

  private static Object valueOf(Datom d, boolean forward, boolean ref) {
    Object v = forward ? d.v : (Object) d.e;
    return ref ? idMap(v) : v;
  }

  /** The entity ids among the values (forward) or entities (reverse) of {@code datoms}. */
  private static long[] ids(List<Datom> datoms, boolean forward) {
    long[] ids = new long[datoms.size()];
    int n = 0;
    for (Datom d : datoms) {
      if (!forward) {
        ids[n++] = d.e;
      } else if (d.v instanceof Number num) {
        ids[n++] = num.longValue();
      }
    }
    return n == ids.length ? ids : Arrays.copyOf(ids, n);
  }

  private static Map<Object, Object> idMap(Object e) {
    Map<Object, Object> m = new LinkedHashMap<>(2);
    m.put(DB_ID, e);
    return m;
  }

  /** The datoms of {@code eid} by attribute, in index order. */
  private Iterator<Map.Entry<Integer, List<Datom>>> datomsByAttr(long eid) {
    Map<Integer, List<Datom>> groups = new LinkedHashMap<>();
    for (Datom d : db.search(eid, Db.ANY_A, null, Db.ANY)) {
      groups.computeIfAbsent(d.a, k -> new ArrayList<>()).add(d);
    }
    return groups.entrySet().iterator();
  }

  /** Seen ids and recursion depths along the path of the running frame. */
  private static final class Scope {
    private final HashMap<Long, Integer> seen = new HashMap<>();
    private final HashMap<Object, Integer> depth = new HashMap<>();

    boolean seen(long e) {
      return seen.containsKey(e);
    }

    int depth(Object attr) {
      Integer d = depth.get(attr);
      return d == null ? 0 : d;
    }

    void push(Object attr, long e) {
      seen.merge(e, 1, Integer::sum);
      depth.merge(attr, 1, Integer::sum);
    }

    void pop(Object attr, long e) {
      seen.computeIfPresent(e, (k, n) -> n == 1 ? null : n - 1);
      depth.computeIfPresent(attr, (k, n) -> n == 1 ? null : n - 1);
    }
  }

  /** A unique frame key that no pattern can spell. */
  private record Marker(String name) {}

  private abstract static class Frame {
    /** The key the result goes under in the frame below; null for the root. */
    final Object key;

    /** Applied to the result before it is handed down, or null. */
    final Function<Object, Object> xform;

    final boolean multi;
    final long[] eids;
    int next;
    final List<Object> results = new ArrayList<>();
    final Scope scope;

    /** The mark this frame put into {@link #scope} (null: none), undone by {@link #release}. */
    private final Object markAttr;

    private final long markEid;

    Frame(
        Object key,
        Function<Object, Object> xform,
        boolean multi,
        long[] eids,
        Scope scope,
        Object markAttr,
        long markEid) {
      this.key = key;
      this.xform = xform;
      this.multi = multi;
      this.eids = eids;
      this.scope = scope;
      this.markAttr = markAttr;
      this.markEid = markEid;
      if (markAttr != null) {
        scope.push(markAttr, markEid);
      }
    }

    /** Does one step; false when the frame is finished. */
    abstract boolean step(PullMachine m);

    /** Takes the result of a finished frame pushed by this one. */
    abstract void accept(Object key, Object value);

    void release() {
      if (markAttr != null) {
        scope.pop(markAttr, markEid);
      }
    }

    Object result() {
      if (multi) {
        return results;
      }
      return results.isEmpty() ? null : results.get(0);
    }
  }

  /** Pulls a pattern for a list of entities (Datahike's {@code :pattern} and {@code :expand}). */
  private static final class EntityFrame extends Frame {
    private static final int NEXT = 0;
    private static final int SPECS = 1;
    private static final int EXPAND = 2;
    private static final int EXPAND_REVERSE = 3;

    final Pattern pattern;
    private int phase = NEXT;
    private long eid;
    Map<Object, Object> kvps;
    private Iterator<Attr> specs;
    private Iterator<Map.Entry<Integer, List<Datom>>> groups;
    private boolean expandMarked;

    EntityFrame(
        Pattern pattern,
        long[] eids,
        boolean multi,
        Object key,
        Function<Object, Object> xform,
        Scope scope,
        Object markAttr,
        long markEid) {
      super(key, xform, multi, eids, scope, markAttr, markEid);
      this.pattern = pattern;
    }

    @Override
    boolean step(PullMachine m) {
      switch (phase) {
        case NEXT:
          return startEntity(m);
        case SPECS:
          if (specs.hasNext()) {
            m.pullAttr(specs.next(), eid, this);
          } else {
            if (!kvps.isEmpty()) {
              results.add(kvps);
            }
            phase = NEXT;
          }
          return true;
        case EXPAND:
          if (groups.hasNext()) {
            Map.Entry<Integer, List<Datom>> g = groups.next();
            int code = g.getKey();
            Keyword ident = m.db.attrIdent(code);
            Attr opts = ident == null ? null : pattern.attrs().get(ident);
            m.pullAttrDatoms(
                ident, code, eid, true, g.getValue(), opts == null ? NO_OPTS : opts, this);
          } else if (pattern.reverseOnly() != null) {
            phase = EXPAND_REVERSE;
            m.push(
                new EntityFrame(
                    pattern.reverseOnly(),
                    new long[] {eid},
                    false,
                    EXPAND_REV,
                    null,
                    new Scope(),
                    null,
                    0L));
          } else {
            finishExpand();
          }
          return true;
        default:
          finishExpand();
          return true;
      }
    }

    private boolean startEntity(PullMachine m) {
      if (next >= eids.length) {
        return false;
      }
      eid = eids[next++];
      kvps = new LinkedHashMap<>();
      if (!pattern.wildcard()) {
        specs = pattern.attrs().values().iterator();
        phase = SPECS;
      } else if (scope.seen(eid)) {
        results.add(idMap(eid));
      } else {
        if (key != null) {
          scope.push(key, eid);
          expandMarked = true;
        }
        kvps.put(DB_ID, eid);
        groups = m.datomsByAttr(eid);
        phase = EXPAND;
      }
      return true;
    }

    private void finishExpand() {
      if (expandMarked) {
        scope.pop(key, eid);
        expandMarked = false;
      }
      results.add(kvps);
      phase = NEXT;
    }

    @Override
    void accept(Object k, Object value) {
      if (k == EXPAND_REV) {
        kvps.putAll((Map<?, ?>) value);
      } else {
        kvps.put(k, value);
      }
    }
  }

  /** Pulls the enclosing pattern again for each referenced entity (Datahike's recursion). */
  private static final class RecursionFrame extends Frame {
    private final Pattern pattern;

    RecursionFrame(
        Pattern pattern,
        Object key,
        boolean multi,
        long[] eids,
        Function<Object, Object> xform,
        Scope scope) {
      super(key, xform, multi, eids, scope, null, 0L);
      this.pattern = pattern;
    }

    @Override
    boolean step(PullMachine m) {
      if (next >= eids.length) {
        return false;
      }
      long e = eids[next++];
      if (scope.seen(e)) {
        results.add(idMap(e));
      } else {
        m.push(new EntityFrame(pattern, new long[] {e}, false, RECURSION, null, scope, key, e));
      }
      return true;
    }

    @Override
    void accept(Object k, Object value) {
      results.add(value);
    }
  }
}
