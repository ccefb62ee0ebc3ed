package datahike.index;

import datahike.Datom;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A persistent B+tree of datoms in one {@link DatomOrder}: the storage of one index.
 *
 * <p>Every update returns a new tree sharing all untouched nodes with the old one, so a database
 * value stays valid forever and readers take no locks. To build one transaction's changes without
 * copying a path per datom, pass the same {@link Edit} token to a series of updates: nodes
 * created under that token are mutated in place until {@link #persistent()} is called (the
 * transient mode; see Clojure's transients and DataScript's persistent-sorted-set for the idea).
 *
 * <p>Branch nodes carry subtree counts so that {@link #count(Datom, Datom)} is O(log n); the query
 * planner estimates cardinalities with it.
 *
 * <p>Hand-written because no library offers a persistent B+tree with transient batches, subtree
 * counts and a comparator that treats partial keys as prefixes. Internal.
 */
public final class DatomTree {
  /**
   * Maximum keys per node. 256 rather than a cache-friendlier 64 because a node is also the unit of
   * storage: at 64, a flush of 200,000 datoms wrote about 18,000 blobs (one file and one sync each
   * in the file store) and took 17 s; at 256 about 4,500 and 11 s, while in-memory transactions and
   * queries measured the same within noise.
   */
  static final int MAX = 256;
  /** Nodes smaller than this are merged with a sibling after a removal. */
  static final int MIN = MAX / 4;

  /**
   * The array capacity of a transient node that must hold {@code need} entries. A node first
   * copied in a transaction gets exactly what it needs, since most transactions touch a leaf once
   * and {@link #persistent()} would otherwise copy it again to trim it; a transient node that
   * outgrows its arrays grows by half, so that a large transaction filling one leaf copies it
   * O(log) times rather than once per datom.
   */
  private static int capacity(Node n, int need, Edit edit) {
    if (edit == null || !n.editable(edit)) return need;
    return Math.min(MAX, Math.max(need, need + (need >> 1)));
  }

  private final DatomOrder order;
  private final boolean temporal;
  private final Node root;
  /** Where stub nodes load from; null for trees that live only in memory. */
  private final NodeStore store;

  private DatomTree(DatomOrder order, boolean temporal, Node root, NodeStore store) {
    this.order = order;
    this.temporal = temporal;
    this.root = root;
    this.store = store;
  }

  private DatomTree(DatomOrder order, boolean temporal, Node root) {
    this(order, temporal, root, null);
  }

  /** This tree's content in a tree whose nodes are all stored and load lazily from {@code store}. */
  public static DatomTree stored(
      DatomOrder order, boolean temporal, NodeStore store, String rootAddress, long count) {
    return new DatomTree(order, temporal, rootAddress == null ? null : Node.stub(rootAddress, count), store);
  }

  /** The tree with another root, sharing this tree's order and store. */
  private DatomTree withRoot(Node r) {
    return new DatomTree(order, temporal, r, store);
  }

  /** A loaded node: {@code n} itself, or the content of a stub read through the store. */
  private Node load(Node n) {
    if (n == null || !n.isStub()) return n;
    return store.load(n.address);
  }

  /** An empty tree. {@code temporal} trees also order by tx and added. */
  public static DatomTree empty(DatomOrder order, boolean temporal) {
    return new DatomTree(order, temporal, null);
  }

  /**
   * A tree holding {@code sorted} (already in this tree's order, no duplicates), built bottom-up
   * with full leaves.
   */
  public static DatomTree build(DatomOrder order, boolean temporal, Datom[] sorted, int n) {
    if (n == 0) return empty(order, temporal);
    int per = MAX * 7 / 8;
    int leaves = (n + per - 1) / per;
    Node[] level = new Node[leaves];
    for (int i = 0; i < leaves; i++) {
      int from = (int) ((long) n * i / leaves);
      int to = (int) ((long) n * (i + 1) / leaves);
      Datom[] keys = new Datom[to - from];
      System.arraycopy(sorted, from, keys, 0, to - from);
      level[i] = new Node(keys, null, to - from, to - from, null);
    }
    int count = leaves;
    while (count > 1) {
      int parents = (count + per - 1) / per;
      Node[] up = new Node[parents];
      for (int i = 0; i < parents; i++) {
        int from = (int) ((long) count * i / parents);
        int to = (int) ((long) count * (i + 1) / parents);
        Node[] kids = new Node[to - from];
        Datom[] keys = new Datom[to - from];
        long c = 0;
        for (int j = from; j < to; j++) {
          kids[j - from] = level[j];
          keys[j - from] = level[j].maxKey();
          c += level[j].count;
        }
        up[i] = new Node(keys, kids, to - from, c, null);
      }
      level = up;
      count = parents;
    }
    return new DatomTree(order, temporal, level[0]);
  }

  /** The sort order. */
  public DatomOrder order() {
    return order;
  }

  /** Number of datoms. */
  public long size() {
    return root == null ? 0 : root.count;
  }

  /**
   * Compares two datoms in this tree's order (for a temporal tree, with tx and added): the order
   * that {@link #withAll} needs its batch sorted in.
   */
  public int compare(Datom x, Datom k) {
    return cmp(x, k);
  }

  private int cmp(Datom x, Datom k) {
    return temporal ? order.compareWithTx(x, k) : order.compare(x, k);
  }

  // ---------------------------------------------------------------- lookup

  /** The datom equal to {@code key} (in this order's components), or null. */
  public Datom get(Datom key) {
    Node n = load(root);
    if (n == null) return null;
    while (!n.isLeaf()) {
      int i = childFor(n, key);
      n = load(n.kids[i]);
    }
    int i = search(n, key);
    return i >= 0 ? n.keys[i] : null;
  }

  /**
   * The first datom equal to {@code key} with its wildcards matching anything (the first of {@link
   * #slice slice(key, key)}), or null; one descent, no cursor.
   */
  public Datom first(Datom key) {
    Node n = load(root);
    if (n == null) return null;
    while (!n.isLeaf()) {
      n = load(n.kids[childFor(n, key)]);
    }
    // childFor led to the leftmost leaf whose greatest datom is not less than key (or the last).
    int i = bound(n, key, false);
    if (i == n.len) return null;
    Datom d = n.keys[i];
    return cmp(d, key) == 0 ? d : null;
  }

  /**
   * In an EAVT tree, {@code first(new Datom(e, a, null, 0, true))} for an entity id {@code e >= 0}
   * (not the wildcard) without building the key: the transactor asks it once per datom (is there
   * a value for this entity and attribute?).
   */
  public Datom firstEA(long e, int a) {
    if (order != DatomOrder.EAVT) throw new IllegalStateException("firstEA on " + order);
    Node n = load(root);
    if (n == null) return null;
    while (!n.isLeaf()) {
      // As childFor: the first child whose max is not less, else the last.
      n = load(n.kids[lowerBoundEA(n, n.len - 1, e, a)]);
    }
    int i = lowerBoundEA(n, n.len, e, a);
    if (i == n.len) return null;
    Datom d = n.keys[i];
    return cmpEA(d, e, a) == 0 ? d : null;
  }

  /** The first index below {@code hi} whose key is not less than (e, a); {@code hi} if none. */
  private static int lowerBoundEA(Node n, int hi, long e, int a) {
    int lo = 0;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cmpEA(n.keys[mid], e, a) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** EAVT's order of {@code d} against the partial key (e, a). */
  private static int cmpEA(Datom d, long e, int a) {
    int c = Long.compare(d.e, e);
    return c != 0 ? c : DatomOrder.cmpA(d.a, a);
  }

  /** Binary search in a node: index of an equal key, or -(insertion point) - 1. */
  private int search(Node n, Datom key) {
    int lo = 0;
    int hi = n.len - 1;
    Datom[] keys = n.keys;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = cmp(keys[mid], key);
      if (c < 0) lo = mid + 1;
      else if (c > 0) hi = mid - 1;
      else return mid;
    }
    return -(lo + 1);
  }

  /**
   * The first index whose key is not less than {@code key} (or, with {@code upper}, greater than
   * it); {@code len} when there is none.
   */
  private int bound(Node n, Datom key, boolean upper) {
    int lo = 0;
    int hi = n.len;
    Datom[] keys = n.keys;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      int c = cmp(keys[mid], key);
      if (upper ? c <= 0 : c < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The child whose range holds {@code key}: the first whose max is not less, else the last. */
  private int childFor(Node n, Datom key) {
    int lo = 0;
    int hi = n.len - 1;
    Datom[] keys = n.keys;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cmp(keys[mid], key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // ---------------------------------------------------------------- updates

  /** Carries the right half of a split up the recursion. */
  static final class Op {
    final Edit edit;
    Node right;
    boolean changed;
    /** Datoms a batch inserted so far ({@link #withAll}). */
    long added;

    private Op(Edit edit) {
      this.edit = edit;
    }

    /**
     * A cleared Op for one update under {@code edit}: the token's own, since a transaction makes
     * one update per datom and index and the Ops were a tenth of a bulk load's allocations.
     */
    static Op of(Edit edit) {
      if (edit == null) return new Op(null);
      Op op = edit.op;
      if (op == null) {
        op = new Op(edit);
        edit.op = op;
      }
      op.right = null;
      op.changed = false;
      op.added = 0;
      return op;
    }
  }

  /**
   * The tree with {@code d} added; this tree when an equal datom is present. With a non-null
   * {@code edit}, nodes created under the same token are reused in place.
   */
  public DatomTree with(Datom d, Edit edit) {
    if (root == null) {
      Datom[] keys = new Datom[1];
      keys[0] = d;
      return withRoot(new Node(keys, null, 1, 1, edit));
    }
    Op op = Op.of(edit);
    Node n = insert(load(root), d, op);
    if (!op.changed) return this;
    if (op.right != null) {
      Node l = n;
      Node r = op.right;
      Datom[] keys = new Datom[2];
      Node[] kids = new Node[2];
      keys[0] = l.maxKey();
      keys[1] = r.maxKey();
      kids[0] = l;
      kids[1] = r;
      n = new Node(keys, kids, 2, l.count + r.count, edit);
    }
    return n == root ? this : withRoot(n);
  }

  private Node insert(Node n, Datom d, Op op) {
    if (n.isLeaf()) {
      int i = search(n, d);
      if (i >= 0) return n;
      op.changed = true;
      return insertAt(n, -i - 1, d, null, op);
    }
    int i = childFor(n, d);
    Node child = load(n.kids[i]);
    Node nc = insert(child, d, op);
    if (!op.changed) return n;
    Node right = op.right;
    op.right = null;
    Node m = n.editable(op.edit) ? n : copy(n, op.edit, 0);
    m.kids[i] = nc;
    m.keys[i] = nc.maxKey();
    m.count += 1;
    if (right == null) return m;
    m.count -= right.count;
    return insertAt(m, i + 1, right.maxKey(), right, op);
  }

  /** Inserts key (and kid, for branches) at position i, splitting when full. */
  private Node insertAt(Node n, int i, Datom key, Node kid, Op op) {
    long add = kid == null ? 1 : kid.count;
    if (n.len < MAX) {
      Node m;
      if (n.editable(op.edit) && n.len < n.keys.length) {
        m = n;
        System.arraycopy(m.keys, i, m.keys, i + 1, m.len - i);
        if (kid != null) System.arraycopy(m.kids, i, m.kids, i + 1, m.len - i);
      } else {
        int cap = capacity(n, n.len + 1, op.edit);
        Datom[] keys = new Datom[cap];
        System.arraycopy(n.keys, 0, keys, 0, i);
        System.arraycopy(n.keys, i, keys, i + 1, n.len - i);
        Node[] kids = null;
        if (n.kids != null) {
          kids = new Node[cap];
          System.arraycopy(n.kids, 0, kids, 0, i);
          System.arraycopy(n.kids, i, kids, i + 1, n.len - i);
        }
        m = new Node(keys, kids, n.len, n.count, op.edit);
      }
      m.keys[i] = key;
      if (kid != null) m.kids[i] = kid;
      m.len++;
      m.count += add;
      return m;
    }
    // Full: split into two halves, then insert into the proper half.
    int total = n.len + 1;
    Datom[] all = new Datom[total];
    Node[] allKids = n.kids == null ? null : new Node[total];
    System.arraycopy(n.keys, 0, all, 0, i);
    all[i] = key;
    System.arraycopy(n.keys, i, all, i + 1, n.len - i);
    if (allKids != null) {
      System.arraycopy(n.kids, 0, allKids, 0, i);
      allKids[i] = kid;
      System.arraycopy(n.kids, i, allKids, i + 1, n.len - i);
    }
    int half = total / 2;
    Node l = slice(all, allKids, 0, half, op.edit);
    Node r = slice(all, allKids, half, total, op.edit);
    op.right = r;
    return l;
  }

  private static Node slice(Datom[] keys, Node[] kids, int from, int to, Edit edit) {
    int len = to - from;
    // Exact size: a split in a small transaction is published as it is; in a large one the
    // halves grow by capacity() like any other transient node.
    int cap = len;
    Datom[] k = new Datom[cap];
    System.arraycopy(keys, from, k, 0, len);
    Node[] c = null;
    long count;
    if (kids != null) {
      c = new Node[cap];
      System.arraycopy(kids, from, c, 0, len);
      count = 0;
      for (int j = 0; j < len; j++) count += c[j].count;
    } else {
      count = len;
    }
    return new Node(k, c, len, count, edit);
  }

  private static Node copy(Node n, Edit edit, int extra) {
    int cap = n.len + extra;
    Datom[] keys = new Datom[cap];
    System.arraycopy(n.keys, 0, keys, 0, n.len);
    Node[] kids = null;
    if (n.kids != null) {
      kids = new Node[cap];
      System.arraycopy(n.kids, 0, kids, 0, n.len);
    }
    return new Node(keys, kids, n.len, n.count, edit);
  }

  // ---------------------------------------------------------------- batch insertion

  /** Keys per node when a batch splits a node: room for later inserts, as {@link #build} leaves. */
  private static final int FILL = MAX * 7 / 8;

  /**
   * The tree with every datom of {@code sorted[0, n)} added: they must be strictly ascending in this
   * tree's order; one equal to a datom already present is skipped, as {@link #with} does. Each node
   * the batch touches is copied (or, under {@code edit}, changed) once for the whole batch rather
   * than once per datom, and the batch is split among children by galloping, so a run of datoms
   * that land close together costs a few comparisons each instead of a descent from the root.
   */
  public DatomTree withAll(Datom[] sorted, int n, Edit edit) {
    if (n == 0) return this;
    if (n == 1) return with(sorted[0], edit);
    Op op = Op.of(edit);
    Node start = root == null ? new Node(new Datom[0], null, 0, 0, null) : load(root);
    Node[] parts = insertRun(start, sorted, 0, n, op);
    if (!op.changed) return this;
    while (parts.length > 1) parts = split(parts, parts.length, edit);
    return parts[0] == root ? this : withRoot(parts[0]);
  }

  /**
   * Inserts {@code ks[from, to)} (ascending, all within this node's range or beyond its end) under
   * {@code n}; returns the node(s) that replace it: one, or several when it overflowed.
   */
  private Node[] insertRun(Node n, Datom[] ks, int from, int to, Op op) {
    return n.isLeaf() ? mergeLeaf(n, ks, from, to, op) : insertRunBranch(n, ks, from, to, op);
  }

  private Node[] mergeLeaf(Node n, Datom[] ks, int from, int to, Op op) {
    Datom[] old = n.keys;
    int len = n.len;
    Datom[] all = new Datom[len + to - from];
    int m = 0;
    int pos = 0;
    for (int i = from; i < to; i++) {
      Datom k = ks[i];
      int p = gallopLeaf(old, pos, len, k, i == from);
      if (p < len && cmp(old[p], k) == 0) continue; // present: keep the datom the tree holds
      System.arraycopy(old, pos, all, m, p - pos);
      m += p - pos;
      all[m++] = k;
      pos = p;
    }
    int inserted = m - pos;
    if (inserted == 0) return new Node[] {n}; // every key was present
    op.changed = true;
    op.added += inserted;
    System.arraycopy(old, pos, all, m, len - pos);
    m += len - pos;
    if (m <= MAX) {
      if (all.length != m) all = java.util.Arrays.copyOf(all, m);
      if (n.editable(op.edit)) {
        n.keys = all;
        n.len = m;
        n.count = m;
        return new Node[] {n};
      }
      return new Node[] {new Node(all, null, m, m, op.edit)};
    }
    return split(all, null, m, op.edit);
  }

  /**
   * The first index in {@code keys[pos, len)} whose key is not less than {@code k}. For the first
   * key of a run ({@code first}) nothing is known: plain binary search. The following ones tend to
   * land close to the previous one: exponential probe from {@code pos}, then binary search.
   */
  private int gallopLeaf(Datom[] keys, int pos, int len, Datom k, boolean first) {
    int lo = pos;
    if (first) {
      int hi = len;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cmp(keys[mid], k) < 0) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    }
    int step = 1;
    int hi = pos;
    while (hi < len && cmp(keys[hi], k) < 0) {
      lo = hi + 1;
      hi = pos + step;
      step <<= 1;
    }
    if (hi > len) hi = len;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cmp(keys[mid], k) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first index in {@code ks[from, to)} whose datom is greater than {@code max}. */
  private int gallopRun(Datom[] ks, int from, int to, Datom max) {
    int lo = from;
    int step = 1;
    int hi = from;
    while (hi < to && cmp(ks[hi], max) <= 0) {
      lo = hi + 1;
      hi = from + step;
      step <<= 1;
    }
    if (hi > to) hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cmp(ks[mid], max) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private Node[] insertRunBranch(Node n, Datom[] ks, int from, int to, Op op) {
    Node m = null; // n itself when editable, else its copy, once a child changed
    int i = from;
    while (i < to) {
      Node cur = m == null ? n : m;
      int c = childFor(cur, ks[i]);
      int j = c == cur.len - 1 ? to : gallopRun(ks, i, to, cur.keys[c]);
      Node child = load(cur.kids[c]);
      long added = op.added;
      Node[] parts = insertRun(child, ks, i, j, op);
      i = j;
      if (op.added == added) continue; // every key was present
      if (m == null) m = n.editable(op.edit) ? n : copy(n, op.edit, 0);
      m.count += op.added - added;
      m.kids[c] = parts[0];
      m.keys[c] = parts[0].maxKey();
      if (parts.length > 1) insertKids(m, c + 1, parts);
    }
    if (m == null) return new Node[] {n};
    if (m.len > MAX) return split(m.keys, m.kids, m.len, op.edit);
    if (op.edit == null && m.keys.length != m.len) {
      m.keys = java.util.Arrays.copyOf(m.keys, m.len);
      m.kids = java.util.Arrays.copyOf(m.kids, m.len);
    }
    return new Node[] {m};
  }

  /**
   * Inserts {@code parts[1..]} as children of the modifiable branch {@code m} at {@code at}, growing
   * its arrays as needed (past MAX for now: the caller splits it afterwards).
   */
  private static void insertKids(Node m, int at, Node[] parts) {
    int extra = parts.length - 1;
    if (m.len + extra > m.keys.length) {
      int cap = Math.max(m.len + extra, Math.min(MAX, m.len + (m.len >> 1)));
      m.keys = java.util.Arrays.copyOf(m.keys, cap);
      m.kids = java.util.Arrays.copyOf(m.kids, cap);
    }
    System.arraycopy(m.keys, at, m.keys, at + extra, m.len - at);
    System.arraycopy(m.kids, at, m.kids, at + extra, m.len - at);
    for (int p = 1; p < parts.length; p++) {
      m.kids[at + p - 1] = parts[p];
      m.keys[at + p - 1] = parts[p].maxKey();
    }
    m.len += extra;
  }

  /** Leaves (kids == null) or branches over {@code keys/kids[0, m)}, about FILL entries each. */
  private static Node[] split(Datom[] keys, Node[] kids, int m, Edit edit) {
    int pieces = (m + FILL - 1) / FILL;
    Node[] out = new Node[pieces];
    for (int p = 0; p < pieces; p++) {
      int a = (int) ((long) m * p / pieces);
      int b = (int) ((long) m * (p + 1) / pieces);
      out[p] = slice(keys, kids, a, b, edit);
    }
    return out;
  }

  /** Branches over {@code kids[0, m)}: the level above a node that overflowed into several. */
  private static Node[] split(Node[] kids, int m, Edit edit) {
    Datom[] keys = new Datom[m];
    for (int k = 0; k < m; k++) keys[k] = kids[k].maxKey();
    if (m <= MAX) {
      long count = 0;
      for (int k = 0; k < m; k++) count += kids[k].count;
      return new Node[] {new Node(keys, java.util.Arrays.copyOf(kids, m), m, count, edit)};
    }
    return split(keys, kids, m, edit);
  }

  /** The tree without the datom equal to {@code d}; this tree when there is none. */
  public DatomTree without(Datom d, Edit edit) {
    if (root == null) return this;
    Op op = Op.of(edit);
    Node n = remove(load(root), d, op);
    if (!op.changed) return this;
    while (n != null && !n.isLeaf() && n.len == 1) n = load(n.kids[0]);
    if (n != null && n.len == 0) n = null;
    return withRoot(n);
  }

  private Node remove(Node n, Datom d, Op op) {
    if (n.isLeaf()) {
      int i = search(n, d);
      if (i < 0) return n;
      op.changed = true;
      if (!n.editable(op.edit)) {
        // Copy without the removed key: exactly sized, nothing left to trim when published.
        Datom[] keys = new Datom[n.len - 1];
        System.arraycopy(n.keys, 0, keys, 0, i);
        System.arraycopy(n.keys, i + 1, keys, i, n.len - i - 1);
        return new Node(keys, null, n.len - 1, n.count - 1, op.edit);
      }
      System.arraycopy(n.keys, i + 1, n.keys, i, n.len - i - 1);
      n.len--;
      n.keys[n.len] = null;
      n.count--;
      return n;
    }
    int i = childFor(n, d);
    Node nc = remove(load(n.kids[i]), d, op);
    if (!op.changed) return n;
    Node m = n.editable(op.edit) ? n : copy(n, op.edit, 0);
    m.count--;
    if (nc.len == 0) {
      removeAt(m, i);
      return m;
    }
    m.kids[i] = nc;
    m.keys[i] = nc.maxKey();
    if (nc.len < MIN && m.len > 1) {
      int j = i > 0 ? i - 1 : i + 1;
      int lo = Math.min(i, j);
      m.kids[lo] = load(m.kids[lo]);
      m.kids[lo + 1] = load(m.kids[lo + 1]);
      rebalance(m, lo, op.edit);
    }
    return m;
  }

  private static void removeAt(Node m, int i) {
    System.arraycopy(m.keys, i + 1, m.keys, i, m.len - i - 1);
    System.arraycopy(m.kids, i + 1, m.kids, i, m.len - i - 1);
    m.len--;
    m.keys[m.len] = null;
    m.kids[m.len] = null;
  }

  /** Merges children lo and lo+1 of m, or redistributes them evenly when they do not fit one. */
  private static void rebalance(Node m, int lo, Edit edit) {
    Node a = m.kids[lo];
    Node b = m.kids[lo + 1];
    int total = a.len + b.len;
    Datom[] keys = new Datom[total];
    System.arraycopy(a.keys, 0, keys, 0, a.len);
    System.arraycopy(b.keys, 0, keys, a.len, b.len);
    Node[] kids = null;
    if (a.kids != null) {
      kids = new Node[total];
      System.arraycopy(a.kids, 0, kids, 0, a.len);
      System.arraycopy(b.kids, 0, kids, a.len, b.len);
    }
    if (total <= MAX) {
      Node merged = slice(keys, kids, 0, total, edit);
      m.kids[lo] = merged;
      m.keys[lo] = merged.maxKey();
      removeAt(m, lo + 1);
    } else {
      int half = total / 2;
      Node l = slice(keys, kids, 0, half, edit);
      Node r = slice(keys, kids, half, total, edit);
      m.kids[lo] = l;
      m.keys[lo] = l.maxKey();
      m.kids[lo + 1] = r;
      m.keys[lo + 1] = r.maxKey();
    }
  }

  /**
   * Publishes a tree built in transient mode: the nodes of its batch become immutable (those of
   * every tree updated under the same {@link Edit}, see {@link Edit#publish()}).
   */
  public DatomTree persistent() {
    if (root != null && root.edit != null) root.edit.publish();
    return this;
  }

  // ---------------------------------------------------------------- storage

  /**
   * Writes every node not yet stored (bottom-up, so a node is only ever written after the nodes
   * it references) through {@code writer} and records them in {@code written}; returns the root's
   * address, or null for an empty tree. Stored subtrees are shared and never written again. The
   * written nodes take their addresses only when the caller declares them durable ({@link
   * PersistedNodes#durable}); until then persisting again would write them again.
   */
  public String persist(NodeStore.Writer writer, PersistedNodes written) {
    return root == null ? null : persist(root, writer, written);
  }

  private static String persist(Node n, NodeStore.Writer writer, PersistedNodes written) {
    String stored = n.address;
    if (stored != null) return stored;
    String addr;
    if (n.isLeaf()) {
      addr = writer.writeLeaf(n.keys, n.len);
    } else {
      String[] kidAddrs = new String[n.len];
      long[] counts = new long[n.len];
      for (int i = 0; i < n.len; i++) {
        kidAddrs[i] = persist(n.kids[i], writer, written);
        counts[i] = n.kids[i].count;
      }
      addr = writer.writeBranch(n.keys, kidAddrs, counts, n.len);
    }
    written.add(n, addr);
    return addr;
  }

  /**
   * This tree with every stored subtree replaced by a stub, so that memory holds only the nodes
   * not stored yet and stored ones come back through the store's bounded cache. Walks only the
   * unstored nodes (the novelty since the last flush) and copies the branches among them whose
   * children change; a tree without a store is returned as it is.
   */
  public DatomTree unloadStored() {
    if (root == null || store == null) return this;
    Node r = unload(root);
    return r == root ? this : withRoot(r);
  }

  private static Node unload(Node n) {
    String a = n.address;
    if (a != null) return n.isStub() ? n : Node.stub(a, n.count);
    if (n.isLeaf()) return n;
    Node[] kids = null;
    for (int i = 0; i < n.len; i++) {
      Node k = n.kids[i];
      Node u = unload(k);
      if (u != k) {
        if (kids == null) kids = java.util.Arrays.copyOf(n.kids, n.len);
        kids[i] = u;
      }
    }
    return kids == null ? n : new Node(n.keys, kids, n.len, n.count, null);
  }

  /** The address of the root when the whole tree is stored, else null. */
  public String rootAddress() {
    return root == null ? null : root.address;
  }

  /** Builds a loaded node from decoded content: a leaf, or a branch of stubs. */
  static Node decoded(String address, Datom[] keys, String[] kidAddrs, long[] kidCounts) {
    Node n;
    if (kidAddrs == null) {
      n = new Node(keys, null, keys.length, keys.length, null);
    } else {
      Node[] kids = new Node[keys.length];
      long c = 0;
      for (int i = 0; i < kids.length; i++) {
        kids[i] = Node.stub(kidAddrs[i], kidCounts[i]);
        c += kidCounts[i];
      }
      n = new Node(keys, kids, keys.length, c, null);
    }
    n.address = address;
    return n;
  }

  /**
   * Checks the structure (for tests): keys ascending, no node above MAX, each branch key the
   * greatest datom beneath it, each count the datoms beneath; throws IllegalStateException.
   */
  void checkInvariants() {
    if (root != null) check(load(root), null);
  }

  private long check(Node n, Datom after) {
    if (n.len > MAX || n.len == 0) throw new IllegalStateException("node of " + n.len + " keys");
    Datom prev = after;
    long count = 0;
    for (int i = 0; i < n.len; i++) {
      if (n.isLeaf()) {
        if (prev != null && cmp(prev, n.keys[i]) >= 0) throw new IllegalStateException("keys out of order at " + n.keys[i]);
        prev = n.keys[i];
        count++;
      } else {
        Node kid = load(n.kids[i]);
        count += check(kid, prev);
        if (kid.maxKey() != n.keys[i]) throw new IllegalStateException("stale branch key " + n.keys[i]);
        prev = n.keys[i];
      }
    }
    if (count != n.count) throw new IllegalStateException("count " + n.count + ", holds " + count);
    return count;
  }

  // ---------------------------------------------------------------- counts

  /**
   * Datoms d with from &lt;= d &lt;= to in this order (wildcards in the keys compare equal, so
   * partial keys bound prefixes); null bounds are open. O(log n).
   */
  public long count(Datom from, Datom to) {
    if (root == null) return 0;
    long hi = to == null ? root.count : rank(to, true);
    long lo = from == null ? 0 : rank(from, false);
    return Math.max(0, hi - lo);
  }

  /** Datoms less than key (or, with {@code inclusive}, not greater than key). */
  private long rank(Datom key, boolean inclusive) {
    long r = 0;
    Node n = load(root);
    while (true) {
      int b = bound(n, key, inclusive);
      if (n.isLeaf()) return r + b;
      for (int i = 0; i < b; i++) r += n.kids[i].count;
      int i = b;
      if (i == n.len) return r;
      n = load(n.kids[i]);
    }
  }

  // ---------------------------------------------------------------- iteration

  /** All datoms in order. */
  public Iterable<Datom> all() {
    return () -> new Cursor(null, null);
  }

  /** Datoms d with from &lt;= d &lt;= to (wildcard prefixes as in {@link #count}). */
  public Iterable<Datom> slice(Datom from, Datom to) {
    return () -> new Cursor(from, to);
  }

  /** A root-to-leaf path that can step to the next leaf: shared by the cursors. */
  private abstract class Path {
    final Node[] path = new Node[16];
    final int[] idx = new int[16];
    int depth = -1;

    /** Descends from the root to the leaf holding {@code key} (the first leaf if null). */
    Node descend(Datom key) {
      depth = -1;
      Node n = load(root);
      if (n == null) return null;
      while (!n.isLeaf()) {
        int i = key == null ? 0 : childFor(n, key);
        depth++;
        path[depth] = n;
        idx[depth] = i;
        n = load(n.kids[i]);
      }
      return n;
    }

    /** The leaf after the current one, or null at the end. */
    Node nextLeaf() {
      while (depth >= 0) {
        Node p = path[depth];
        int i = idx[depth] + 1;
        if (i < p.len) {
          idx[depth] = i;
          Node n = load(p.kids[i]);
          while (!n.isLeaf()) {
            depth++;
            path[depth] = n;
            idx[depth] = 0;
            n = load(n.kids[0]);
          }
          return n;
        }
        depth--;
      }
      return null;
    }
  }

  /**
   * A reusable cursor for many prefix searches, e.g. the datoms of one attribute for entity after
   * entity. A search whose start lies inside the leaf of the previous one (the usual case when
   * the keys come in index order, as they do from another index scan) looks only into that leaf
   * instead of descending from the root, and no iterator is allocated per search.
   */
  public Seeker seeker() {
    return new Seeker();
  }

  /** See {@link #seeker()}. Not thread-safe; one per scan. */
  public final class Seeker extends Path {
    private Node leaf;
    private int pos;
    private Datom to;
    /*
     * How the sought key compares: GENERAL through the tree's order; ENTITY (EAVT, only e given)
     * and ATTR_ENTITY (AEVT, a and e given) on primitives, since the per-entity probes of a join
     * compare a datom at every step of the binary search and of next(), and the order's compare
     * is a megamorphic call (three enum constants) that the JIT does not inline.
     */
    private static final int GENERAL = 0;
    private static final int ENTITY = 1;
    private static final int ATTR_ENTITY = 2;
    private int mode;
    private long toE;
    private int toA;

    private Seeker() {}

    /** Positions at the first datom not less than {@code key}; {@link #next} yields up to it. */
    public void seek(Datom key) {
      to = key;
      toE = key.e;
      toA = key.a;
      boolean prefix = key.e >= 0 && key.v == null && (!temporal || key.tx() == 0);
      mode =
          !prefix
              ? GENERAL
              : order == DatomOrder.EAVT && key.a == 0
                  ? ENTITY
                  : order == DatomOrder.AEVT && key.a != 0 ? ATTR_ENTITY : GENERAL;
      Node l = leaf;
      // The first match lies in this leaf when its first key is less and its last not less; when
      // the datom before the current position is already less (keys sought in ascending order),
      // the search starts there. A key just past this leaf usually lies in the next one, reached
      // through the parent on the path instead of from the root.
      if (l != null && l.len > 0) {
        if (cmpTo(l.keys[l.len - 1]) >= 0) {
          if (pos > 0 && pos <= l.len && cmpTo(l.keys[pos - 1]) < 0) {
            pos = boundFrom(l, pos);
            return;
          }
          if (cmpTo(l.keys[0]) < 0) {
            pos = boundFrom(l, 0);
            return;
          }
        } else {
          Node next = nextLeaf();
          if (next == null || (next.len > 0 && cmpTo(next.keys[next.len - 1]) >= 0)) {
            leaf = next;
            pos = next == null ? 0 : boundFrom(next, 0);
            return;
          }
        }
      }
      leaf = descendTo();
      pos = leaf == null ? 0 : boundFrom(leaf, 0);
    }

    /** {@link #descend} to the sought key, comparing as {@link #cmpTo} does. */
    private Node descendTo() {
      depth = -1;
      Node n = load(root);
      if (n == null) return null;
      while (!n.isLeaf()) {
        // The first child whose max is not less than the key, else the last.
        int lo = 0;
        int hi = n.len - 1;
        Datom[] keys = n.keys;
        while (lo < hi) {
          int mid = (lo + hi) >>> 1;
          if (cmpTo(keys[mid]) < 0) lo = mid + 1;
          else hi = mid;
        }
        depth++;
        path[depth] = n;
        idx[depth] = lo;
        n = load(n.kids[lo]);
      }
      return n;
    }

    /** The next datom equal to the sought key (its wildcards match anything), or null. */
    public Datom next() {
      while (leaf != null && pos >= leaf.len) {
        leaf = nextLeaf();
        pos = 0;
      }
      if (leaf == null || to == null) return null;
      Datom d = leaf.keys[pos];
      if (cmpTo(d) > 0) {
        to = null;
        return null;
      }
      pos++;
      return d;
    }

    /** {@code x} compared with the sought key, as the tree's order would. */
    private int cmpTo(Datom x) {
      switch (mode) {
        case ENTITY:
          return Long.compare(x.e, toE);
        case ATTR_ENTITY:
          {
            int c = DatomOrder.cmpA(x.a, toA);
            return c != 0 ? c : Long.compare(x.e, toE);
          }
        default:
          return cmp(x, to);
      }
    }

    /** The first index from {@code lo} whose key is not less than the sought key. */
    private int boundFrom(Node n, int lo) {
      int hi = n.len;
      Datom[] keys = n.keys;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cmpTo(keys[mid]) < 0) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    }
  }

  /** Iterates leaves left to right along an explicit path stack. */
  private final class Cursor extends Path implements Iterator<Datom> {
    private final Datom to;
    private Node leaf;
    private int pos;
    private Datom next;
    /** True when the whole current leaf lies within {@code to}: no comparison per datom. */
    private boolean inRange;

    Cursor(Datom from, Datom to) {
      this.to = to;
      Node n = descend(from);
      if (n == null) return;
      enter(n);
      pos = from == null ? 0 : bound(n, from, false);
      advance();
    }

    private void enter(Node n) {
      leaf = n;
      pos = 0;
      // One comparison per leaf: when its last datom is within the end, all of them are.
      inRange = to == null || (n.len > 0 && cmp(n.keys[n.len - 1], to) <= 0);
    }

    private void advance() {
      while (leaf != null && pos >= leaf.len) {
        Node n = nextLeaf();
        if (n == null) {
          leaf = null;
        } else {
          enter(n);
        }
      }
      if (leaf == null) {
        next = null;
        return;
      }
      Datom d = leaf.keys[pos++];
      next = !inRange && cmp(d, to) > 0 ? null : d;
      if (next == null) leaf = null;
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public Datom next() {
      Datom d = next;
      if (d == null) throw new NoSuchElementException();
      advance();
      return d;
    }
  }
}
