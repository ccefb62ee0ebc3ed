package datahike.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The pack table against a HashMap model, through random puts, removals and bulk removals. */
class PackTableTest {
  private record Where(PackCatalog.Pack pack, long offset, int length) {}

  @Test
  void randomOperations_matchHashMapModel() {
    long seed = System.nanoTime();
    try {
      run(seed);
    } catch (AssertionError e) {
      throw new AssertionError("random pack table test failed; seed " + seed, e);
    }
  }

  private static void run(long seed) {
    Random rnd = new Random(seed);
    PackCatalog.Pack[] packs = new PackCatalog.Pack[4];
    for (int i = 0; i < packs.length; i++) {
      packs[i] = new PackCatalog.Pack(PackFile.Name.fresh(i, 0), Path.of("p" + i), 0, null);
    }
    PackTable t = new PackTable(4);
    Map<String, Where> model = new HashMap<>();
    for (int step = 0; step < 50_000; step++) {
      // Few distinct keys so that probe runs collide and wrap often.
      String k = "k" + rnd.nextInt(3000);
      int op = rnd.nextInt(100);
      if (op < 60) {
        Where w = new Where(packs[rnd.nextInt(4)], rnd.nextInt(1 << 20), rnd.nextInt(5000));
        t.put(k, w.pack(), w.offset(), w.length());
        model.put(k, w);
      } else if (op < 99) {
        int s = t.find(k);
        assertThat(s >= 0).isEqualTo(model.containsKey(k));
        if (s >= 0) {
          t.removeSlot(s);
          model.remove(k);
        }
      } else {
        PackCatalog.Pack gone = packs[rnd.nextInt(4)];
        t.removeIf(p -> p == gone);
        model.values().removeIf(w -> w.pack() == gone);
      }
      if (step % 5000 == 0 || step == 49_999) check(t, model);
    }
  }

  private static void check(PackTable t, Map<String, Where> model) {
    assertThat(t.size()).isEqualTo(model.size());
    for (Map.Entry<String, Where> e : model.entrySet()) {
      int s = t.find(e.getKey());
      assertThat(s).as(e.getKey()).isNotNegative();
      assertThat(new Where(t.pack(s), t.offset(s), t.length(s))).isEqualTo(e.getValue());
    }
    int n = 0;
    for (int i = 0; i < t.capacity(); i++) if (t.key(i) != null) n++;
    assertThat(n).isEqualTo(model.size());
  }
}
