package datahike.edn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Keywords are interned (one object per name) without holding names no one uses any more. */
class KeywordTest {

  @Test
  void sameName_sameObject_withOrWithoutColon() {
    Keyword a = Keyword.of("person/name");
    assertThat(Keyword.of(":person/name")).isSameAs(a);
    assertThat(Keyword.of("person", "name")).isSameAs(a);
    assertThat(a.namespace()).isEqualTo("person");
    assertThat(a.name()).isEqualTo("name");
  }

  @Test
  void id_isAssignedOnce_andLeadsBackToTheKeyword() {
    Keyword k = Keyword.of("kw-test/" + UUID.randomUUID());
    int id = k.id();
    assertThat(id).isPositive();
    assertThat(k.id()).isEqualTo(id);
    assertThat(Keyword.byId(id)).isSameAs(k);
    assertThat(Keyword.of("other-" + UUID.randomUUID()).id()).isNotEqualTo(id);
  }

  @Test
  void unusedKeywords_areDropped_keywordsWithAnId_stay() throws Exception {
    String pinnedName = "kw-pinned/" + UUID.randomUUID();
    int pinnedId = Keyword.of(pinnedName).id();
    int before = Keyword.internedCount();
    for (int i = 0; i < 100_000; i++) {
      Keyword.of("kw-garbage/" + i + "-" + UUID.randomUUID());
    }
    int after = before;
    for (int round = 0; round < 50; round++) {
      System.gc();
      Thread.sleep(20);
      Keyword.of("kw-drain/" + UUID.randomUUID()); // interning drains cleared entries
      after = Keyword.internedCount();
      if (after < before + 50_000) {
        break;
      }
    }
    assertThat(after).as("interned keywords after dropping 100,000").isLessThan(before + 50_000);
    Keyword again = Keyword.of(pinnedName);
    assertThat(again.id()).isEqualTo(pinnedId);
    assertThat(Keyword.byId(pinnedId)).isSameAs(again);
  }

  @Test
  void order_isClojures_noNamespaceFirst_thenNamespace_thenName() {
    // Short names, shared prefixes longer than the packed four units, NUL and units >= 0x8000
    // (where a signed comparison of the packed prefix would go wrong).
    String[] parts = {"a", "ab", "abc", "abcd", "abcde", "abcdf", "abcd\0", "ab\0", "\0", "z",
        "\u8000", "a\u8000b", "\uffff", "B", "name", "names"};
    List<Keyword> ks = new ArrayList<>();
    Random r = new Random(42);
    for (int i = 0; i < 400; i++) {
      String nm = parts[r.nextInt(parts.length)] + (r.nextBoolean() ? "" : parts[r.nextInt(parts.length)]);
      String ns = r.nextInt(3) == 0 ? null : parts[r.nextInt(parts.length)];
      ks.add(Keyword.of(ns, nm));
    }
    for (Keyword x : ks) {
      for (Keyword y : ks) {
        assertThat(Integer.signum(x.compareTo(y)))
            .as("%s vs %s", x, y)
            .isEqualTo(Integer.signum(reference(x, y)));
      }
    }
  }

  @Test
  void idOrder_isKeywordOrder_whateverOrderIdsWereAssignedIn() {
    String run = "kw-rank-" + UUID.randomUUID() + "/";
    List<Keyword> ks = new ArrayList<>();
    Random r = new Random(7);
    // Random names, then 200 names that each sort just above the previous one (so each lands in
    // the smallest gap and renumbering must happen), then ascending and descending runs.
    for (int i = 0; i < 300; i++) ks.add(Keyword.of(run + "r" + r.nextInt(1_000_000)));
    StringBuilder squeeze = new StringBuilder("m");
    for (int i = 0; i < 200; i++) ks.add(Keyword.of(run + squeeze.append('\0')));
    for (int i = 0; i < 100; i++) ks.add(Keyword.of(run + "up" + (10_000 + i)));
    for (int i = 0; i < 100; i++) ks.add(Keyword.of(run + "down" + (10_000 - i)));
    for (Keyword k : ks) k.id();
    for (Keyword x : ks) {
      for (Keyword y : ks) {
        assertThat(Integer.signum(Keyword.compareIds(x.id(), y.id())))
            .as("%s vs %s", x, y)
            .isEqualTo(Integer.signum(x.compareTo(y)));
      }
    }
  }

  /** Clojure's keyword order spelt out on the strings. */
  private static int reference(Keyword x, Keyword y) {
    if (x.namespace() == null || y.namespace() == null) {
      if (x.namespace() != null) return 1;
      if (y.namespace() != null) return -1;
    } else {
      int c = x.namespace().compareTo(y.namespace());
      if (c != 0) return c;
    }
    return x.name().compareTo(y.name());
  }
}
