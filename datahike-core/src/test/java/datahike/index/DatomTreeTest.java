package datahike.index;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Datom;
import datahike.edn.Keyword;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The persistent B+tree against a TreeSet reference, with old versions checked unchanged. */
class DatomTreeTest {
  private static final int[] ATTRS = {
    Datom.attrCode(Keyword.of("t/a")), Datom.attrCode(Keyword.of("t/b")), Datom.attrCode(Keyword.of("t/c"))
  };

  private static Datom random(Random r) {
    return new Datom(r.nextInt(300), ATTRS[r.nextInt(3)], (long) r.nextInt(50), 536870913L, true);
  }

  @Test
  void withAndWithout_matchATreeSetModel_persistentAndTransient() {
    long seed = System.nanoTime();
    Random r = new Random(seed);
    for (DatomOrder order : DatomOrder.values()) {
      DatomTree tree = DatomTree.empty(order, false);
      TreeSet<Datom> model = new TreeSet<>(order::compare);
      List<DatomTree> versions = new ArrayList<>();
      List<List<Datom>> snapshots = new ArrayList<>();
      for (int round = 0; round < 60; round++) {
        Edit edit = r.nextBoolean() ? new Edit() : null;
        int ops = 1 + r.nextInt(400);
        for (int i = 0; i < ops; i++) {
          Datom d = random(r);
          if (r.nextInt(3) == 0) {
            tree = tree.without(d, edit);
            model.remove(d);
          } else {
            tree = tree.with(d, edit);
            model.add(d);
          }
        }
        if (edit != null) tree = tree.persistent();
        tree.checkInvariants();
        assertThat(tree.size()).as("seed %d", seed).isEqualTo(model.size());
        assertThat(list(tree.all())).as("seed %d", seed).containsExactlyElementsOf(model);
        versions.add(tree);
        snapshots.add(new ArrayList<>(model));
        // Range counts and slices by a prefix key.
        Datom key = new Datom(-1, ATTRS[r.nextInt(3)], null, 0, true);
        if (order == DatomOrder.EAVT) key = new Datom(r.nextInt(300), 0, null, 0, true);
        List<Datom> expected = new ArrayList<>();
        for (Datom d : model) if (order.compare(d, key) == 0) expected.add(d);
        assertThat(list(tree.slice(key, key))).as("seed %d", seed).containsExactlyElementsOf(expected);
        assertThat(tree.count(key, key)).as("seed %d", seed).isEqualTo(expected.size());
        assertThat(tree.first(key)).as("first, seed %d", seed)
            .isEqualTo(expected.isEmpty() ? null : expected.get(0));
      }
      for (int i = 0; i < versions.size(); i++) {
        assertThat(list(versions.get(i).all())).as("old version %d, seed %d", i, seed)
            .containsExactlyElementsOf(snapshots.get(i));
      }
    }
  }

  @Test
  void withAll_addsSortedBatchesLikeOneByOne_inEveryOrder_andLeavesOldVersionsAlone() {
    long seed = System.nanoTime();
    Random r = new Random(seed);
    int[] batchSizes = {1, 2, 5, 40, 700, 3000, 20_000};
    for (boolean temporal : new boolean[] {false, true}) {
      for (DatomOrder order : DatomOrder.values()) {
        DatomTree tree = DatomTree.empty(order, temporal);
        java.util.Comparator<Datom> cmp = temporal ? order::compareWithTx : order::compare;
        TreeSet<Datom> model = new TreeSet<>(cmp);
        List<DatomTree> versions = new ArrayList<>();
        List<List<Datom>> snapshots = new ArrayList<>();
        for (int round = 0; round < 24; round++) {
          Edit edit = r.nextBoolean() ? new Edit() : null;
          // Dense batches (a few entities) and sparse ones (spread over all); some already present.
          int size = batchSizes[r.nextInt(batchSizes.length)];
          int span = r.nextBoolean() ? 50 : 100_000;
          int base = r.nextInt(100_000);
          TreeSet<Datom> batch = new TreeSet<>(cmp);
          for (int i = 0; i < size; i++) {
            Datom d =
                new Datom(base + r.nextInt(span), ATTRS[r.nextInt(3)], (long) r.nextInt(50),
                    536870913L + r.nextInt(3), r.nextBoolean());
            if (!temporal) d = new Datom(d.e, d.a, d.v, 536870913L, true);
            batch.add(d);
          }
          if (!model.isEmpty() && r.nextBoolean()) batch.add(model.first());
          Datom[] sorted = batch.toArray(new Datom[0]);
          tree = tree.withAll(sorted, sorted.length, edit);
          model.addAll(batch);
          // Removals now and then, so batches also meet trees that were merged and rebalanced.
          if (r.nextInt(3) == 0) {
            for (int i = 0; i < size / 2; i++) {
              Datom d = model.ceiling(new Datom(r.nextInt(100_000), 0, null, 0, true));
              if (d == null) continue;
              tree = tree.without(d, edit);
              model.remove(d);
            }
          }
          if (edit != null) tree = tree.persistent();
          tree.checkInvariants();
          assertThat(tree.size()).as("seed %d", seed).isEqualTo(model.size());
          assertThat(list(tree.all())).as("seed %d", seed).containsExactlyElementsOf(model);
          versions.add(tree);
          snapshots.add(new ArrayList<>(model));
          Datom key = new Datom(-1, ATTRS[r.nextInt(3)], null, 0, true);
          if (order == DatomOrder.EAVT) key = new Datom(base + r.nextInt(span), 0, null, 0, true);
          List<Datom> expected = new ArrayList<>();
          for (Datom d : model) if (order.compare(d, key) == 0) expected.add(d);
          assertThat(tree.count(key, key)).as("seed %d", seed).isEqualTo(expected.size());
          assertThat(tree.first(key)).as("seed %d", seed)
              .isEqualTo(expected.isEmpty() ? null : expected.get(0));
        }
        for (int i = 0; i < versions.size(); i++) {
          assertThat(list(versions.get(i).all())).as("old version %d, seed %d", i, seed)
              .containsExactlyElementsOf(snapshots.get(i));
        }
      }
    }
  }

  @Test
  void withAll_keepsTheDatomAlreadyPresent() {
    Datom held = new Datom(1, ATTRS[0], 5L, 536870913L, true);
    Datom same = new Datom(1, ATTRS[0], 5L, 536870999L, true);
    Datom other = new Datom(2, ATTRS[0], 5L, 536870999L, true);
    DatomTree t = DatomTree.empty(DatomOrder.EAVT, false).with(held, null);
    DatomTree t2 = t.withAll(new Datom[] {same, other}, 2, null);
    assertThat(list(t2.all())).extracting(Datom::tx).containsExactly(536870913L, 536870999L);
    assertThat(t.withAll(new Datom[] {same}, 1, null)).isSameAs(t);
  }

  @Test
  void seeker_findsWhatASliceFinds_forKeysInAnyOrder_onEavtAevtAndTemporalTrees() {
    long seed = System.nanoTime();
    Random r = new Random(seed);
    for (DatomOrder order : List.of(DatomOrder.EAVT, DatomOrder.AEVT)) {
      for (boolean temporal : new boolean[] {false, true}) {
        DatomTree tree = DatomTree.empty(order, temporal);
        // Entities with many values of one attribute make matches span leaves.
        for (int i = 0; i < 20_000; i++) {
          Datom d = random(r);
          if (r.nextInt(10) == 0) d = new Datom(7, ATTRS[1], (long) r.nextInt(5000), 536870913L, true);
          tree = tree.with(d, null);
        }
        DatomTree.Seeker seeker = tree.seeker();
        List<Long> ascending = new ArrayList<>();
        for (long e = 0; e < 310; e += 1 + r.nextInt(3)) ascending.add(e);
        List<Long> shuffled = new ArrayList<>(ascending);
        java.util.Collections.shuffle(shuffled, r);
        for (List<Long> es : List.of(ascending, shuffled, ascending)) {
          // One attribute for a whole pass (the probes of a join), or one per key.
          int passAttr = ATTRS[r.nextInt(3)];
          boolean perKey = r.nextBoolean();
          for (long e : es) {
            int a = perKey ? ATTRS[r.nextInt(3)] : passAttr;
            Datom key = new Datom(e, a, null, 0, true);
            if (order == DatomOrder.EAVT && r.nextInt(8) == 0) key = new Datom(e, 0, null, 0, true);
            if (r.nextInt(16) == 0) key = new Datom(e, a, (long) r.nextInt(50), 0, true);
            seeker.seek(key);
            List<Datom> got = new ArrayList<>();
            for (Datom d = seeker.next(); d != null; d = seeker.next()) got.add(d);
            assertThat(seeker.next()).isNull();
            assertThat(got)
                .as("%s temporal %s e %d, seed %d", order, temporal, e, seed)
                .containsExactlyElementsOf(list(tree.slice(key, key)));
          }
        }
      }
    }
  }

  @Test
  void firstEA_findsWhatFirstWithAPartialKeyFinds() {
    Random r = new Random(3);
    DatomTree t = DatomTree.empty(DatomOrder.EAVT, false);
    Edit edit = new Edit();
    for (int i = 0; i < 20_000; i++) t = t.with(random(r), edit);
    edit.publish();
    for (long e = 0; e <= 301; e++) {
      for (int a : ATTRS) {
        assertThat(t.firstEA(e, a)).as("e %d a %d", e, a).isSameAs(t.first(new Datom(e, a, null, 0, true)));
      }
    }
    assertThat(DatomTree.empty(DatomOrder.EAVT, false).firstEA(1, ATTRS[0])).isNull();
  }

  @Test
  void build_makesTheSameTreeAsInserts() {
    List<Datom> ds = new ArrayList<>();
    for (int e = 0; e < 5000; e++) ds.add(new Datom(e, ATTRS[e % 3], (long) e, 536870913L, true));
    Datom[] arr = ds.toArray(new Datom[0]);
    DatomTree t = DatomTree.build(DatomOrder.EAVT, false, arr, arr.length);
    assertThat(t.size()).isEqualTo(5000);
    assertThat(list(t.all())).containsExactlyElementsOf(ds);
    DatomTree t2 = t.without(ds.get(10), null).with(ds.get(10), null);
    assertThat(list(t2.all())).containsExactlyElementsOf(ds);
  }

  /** A node store over a map, standing in for blobs. */
  @Test
  void persist_namesNodesOnlyOnceDurable_soAnUnfinishedWriteIsWrittenAgain() {
    Random r = new Random(7);
    DatomTree tree = DatomTree.empty(DatomOrder.EAVT, false);
    for (int i = 0; i < 3000; i++) tree = tree.with(random(r), null);
    MapNodeStore store = new MapNodeStore(10_000);
    tree.persist(store, new PersistedNodes()); // written, never declared durable
    int first = store.blobs.size();
    assertThat(tree.rootAddress()).isNull();
    PersistedNodes w = new PersistedNodes();
    String root = tree.persist(store, w);
    assertThat(store.blobs.size()).isEqualTo(2 * first);
    assertThat(w.size()).isEqualTo(first);
    w.durable(store);
    assertThat(tree.rootAddress()).isEqualTo(root);
    assertThat(tree.persist(store, new PersistedNodes())).isEqualTo(root);
    assertThat(store.blobs.size()).isEqualTo(2 * first);
  }

  @Test
  void unloadStored_keepsOnlyTheNovelty_andReadsTheRestFromTheCache() {
    Random r = new Random(11);
    MapNodeStore store = new MapNodeStore(1_000_000);
    DatomTree tree = DatomTree.stored(DatomOrder.AEVT, false, store, null, 0);
    TreeSet<Datom> model = new TreeSet<>(DatomOrder.AEVT::compare);
    for (int i = 0; i < 20000; i++) {
      Datom d = random(r);
      tree = tree.with(d, null);
      model.add(d);
    }
    PersistedNodes w = new PersistedNodes();
    tree.persist(store, w);
    w.durable(store);
    // Novelty after the flush stays in memory; everything stored becomes a stub.
    for (int i = 0; i < 100; i++) {
      Datom d = random(r);
      tree = tree.with(d, null);
      model.add(d);
    }
    DatomTree unloaded = tree.unloadStored();
    assertThat(list(unloaded.all())).containsExactlyElementsOf(model);
    assertThat(unloaded.size()).isEqualTo(tree.size());
    // Every stub came back from the cache the flush filled: nothing was fetched (decoded) again.
    assertThat(store.fetches).isZero();
    unloaded.checkInvariants();
    // Persisting the unloaded tree writes only the novelty's paths, as the original would have.
    PersistedNodes w2 = new PersistedNodes();
    tree.persist(store, w2);
    PersistedNodes w3 = new PersistedNodes();
    unloaded.persist(store, w3);
    assertThat(w3.size()).isEqualTo(w2.size());
  }

  static final class MapNodeStore extends NodeStore implements NodeStore.Writer {
    final java.util.Map<String, Decoded> blobs = new java.util.HashMap<>();
    int fetches;

    MapNodeStore(long cacheDatoms) {
      super(cacheDatoms);
    }

    @Override
    protected Decoded fetch(String address) {
      fetches++;
      return blobs.get(address);
    }

    @Override
    public String writeLeaf(Datom[] keys, int len) {
      String a = "n" + blobs.size();
      blobs.put(a, new Decoded(java.util.Arrays.copyOf(keys, len), null, null));
      return a;
    }

    @Override
    public String writeBranch(Datom[] maxKeys, String[] kids, long[] counts, int len) {
      String a = "n" + blobs.size();
      blobs.put(a, new Decoded(java.util.Arrays.copyOf(maxKeys, len), kids.clone(), counts.clone()));
      return a;
    }
  }

  @Test
  void persist_thenLoadLazily_givesTheSameTreeAndKeepsWorking() {
    long seed = System.nanoTime();
    Random r = new Random(seed);
    DatomTree tree = DatomTree.empty(DatomOrder.AEVT, false);
    TreeSet<Datom> model = new TreeSet<>(DatomOrder.AEVT::compare);
    for (int i = 0; i < 20000; i++) {
      Datom d = random(r);
      tree = tree.with(d, null);
      model.add(d);
    }
    MapNodeStore store = new MapNodeStore(500);
    PersistedNodes w = new PersistedNodes();
    String root = tree.persist(store, w);
    w.durable(null);
    int written = store.blobs.size();
    DatomTree stored = DatomTree.stored(DatomOrder.AEVT, false, store, root, tree.size());
    assertThat(list(stored.all())).as("seed %d", seed).containsExactlyElementsOf(model);
    // Changes on a stored tree copy only the touched path; persisting again writes only that.
    for (int i = 0; i < 200; i++) {
      Datom d = random(r);
      if (r.nextBoolean()) {
        stored = stored.with(d, null);
        model.add(d);
      } else {
        stored = stored.without(d, null);
        model.remove(d);
      }
    }
    assertThat(list(stored.all())).as("seed %d", seed).containsExactlyElementsOf(model);
    Datom key = new Datom(-1, ATTRS[1], null, 0, true);
    long expected = model.stream().filter(d -> DatomOrder.AEVT.compare(d, key) == 0).count();
    assertThat(stored.count(key, key)).isEqualTo(expected);
    PersistedNodes w2 = new PersistedNodes();
    String root2 = stored.persist(store, w2);
    w2.durable(null);
    assertThat(store.blobs.size() - written).isLessThan(written);
    DatomTree reloaded = DatomTree.stored(DatomOrder.AEVT, false, store, root2, stored.size());
    assertThat(list(reloaded.all())).containsExactlyElementsOf(model);
  }

  private static List<Datom> list(Iterable<Datom> it) {
    List<Datom> l = new ArrayList<>();
    for (Datom d : it) l.add(d);
    return l;
  }
}
