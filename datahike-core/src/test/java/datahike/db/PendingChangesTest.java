package datahike.db;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Datom;
import datahike.edn.Keyword;
import datahike.index.DatomOrder;
import datahike.index.DatomTree;
import datahike.index.Edit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Deferred index changes end up exactly as if applied one by one, in every follower order. */
class PendingChangesTest {
  private static final long TX = 536870913L;

  /** {@code n} attributes, keyword ones (in an order unlike their ids) and entity-id ones. */
  private static int[] attrs(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i % 2 == 0 ? Datom.attrCode(Keyword.of("p/k" + (n - i))) : 100 + i;
    }
    return a;
  }

  private static List<Datom> list(Iterable<Datom> it) {
    List<Datom> out = new ArrayList<>();
    for (Datom d : it) out.add(d);
    return out;
  }

  @Test
  void additions_goInSortedByAttributeThenOrder_whateverTheirNumberAndAttributes() {
    long seed = System.nanoTime();
    Random r = new Random(seed);
    for (int attrCount : new int[] {1, 5, 64, 65, 200}) {
      int[] as = attrs(attrCount);
      for (DatomOrder order : new DatomOrder[] {DatomOrder.AEVT, DatomOrder.AVET}) {
        for (int size : new int[] {1, 3, 63, 64, 500, 5000}) {
          DatomTree tree = DatomTree.empty(order, false);
          TreeSet<Datom> model = new TreeSet<>(order::compare);
          for (int round = 0; round < 3; round++) {
            PendingChanges p = new PendingChanges();
            TreeSet<Datom> seen = new TreeSet<>(order::compare);
            seen.addAll(model);
            for (int i = 0; i < size; i++) {
              // Entity by entity, as a transaction writes them; values of mixed kinds.
              long e = round * 10_000L + i / 3;
              Object v = r.nextBoolean() ? (Object) (long) r.nextInt(20) : "s" + r.nextInt(20);
              Datom d = new Datom(e, as[r.nextInt(as.length)], v, TX, true);
              if (seen.add(d)) p.add(d); // only effective changes are recorded
            }
            Edit edit = new Edit();
            tree = p.applyTo(tree, edit).persistent();
            model = seen;
            assertThat(p.isEmpty()).isTrue();
            assertThat(list(tree.all()))
                .as("%d attrs, %s, batch %d, seed %d", attrCount, order, size, seed)
                .containsExactlyElementsOf(model);
          }
        }
      }
    }
  }

  @Test
  void mixedChanges_applyInTheOrderRecorded() {
    Datom a = new Datom(1, attrs(1)[0], 5L, TX, true);
    Datom b = new Datom(2, attrs(1)[0], 6L, TX, true);
    Datom a2 = new Datom(1, attrs(1)[0], 5L, TX + 1, true);
    DatomTree tree = DatomTree.empty(DatomOrder.AVET, false).with(a, null);
    PendingChanges p = new PendingChanges();
    p.remove(a);
    p.add(b);
    p.add(a2); // removed, then asserted again by a later transaction's datom
    p.remove(b);
    DatomTree after = p.applyTo(tree, new Edit()).persistent();
    assertThat(list(after.all())).containsExactly(a2);
    assertThat(list(after.all()).get(0).tx()).isEqualTo(TX + 1);
    assertThat(list(tree.all())).containsExactly(a);
  }
}
