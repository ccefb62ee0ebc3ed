package datahike.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.DatahikeException;
import datahike.Datom;
import datahike.edn.Keyword;
import datahike.index.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NodeCodecTest {
  private static final long TX0 = 536870913L;
  private static final String[] NAMES = {
    "Ivan", "Petr", "Sergei", "Oleg", "Yuri", "Dmitry", "Fedor", "Denis"
  };
  private static final String[] LAST_NAMES = {
    "Ivanov", "Petrov", "Sidorov", "Kovalev", "Kuznetsov", "Voronoi"
  };

  private static int attr(String name) {
    return Datom.attrCode(Keyword.of(name));
  }

  /** The datoms of {@code n} people20k-shaped persons, ids from 1, in transaction {@code tx}. */
  static List<Datom> people(Random r, int n, long tx) {
    List<Datom> out = new ArrayList<>();
    for (long e = 1; e <= n; e++) {
      out.add(new Datom(e, attr("name"), NAMES[r.nextInt(NAMES.length)], tx, true));
      out.add(new Datom(e, attr("last-name"), LAST_NAMES[r.nextInt(6)], tx, true));
      out.add(new Datom(e, attr("sex"), Keyword.of(r.nextBoolean() ? "male" : "female"), tx, true));
      out.add(new Datom(e, attr("age"), (long) r.nextInt(100), tx, true));
      out.add(new Datom(e, attr("salary"), (long) r.nextInt(100_000), tx, true));
    }
    return out;
  }

  private static final Comparator<Datom> EAVT =
      Comparator.<Datom>comparingLong(d -> d.e)
          .thenComparing(d -> (Keyword) d.attr())
          .thenComparing((x, y) -> Values.compare(x.v, y.v));
  private static final Comparator<Datom> AEVT =
      Comparator.<Datom, Keyword>comparing(d -> (Keyword) d.attr())
          .thenComparingLong(d -> d.e)
          .thenComparing((x, y) -> Values.compare(x.v, y.v));
  private static final Comparator<Datom> AVET =
      Comparator.<Datom, Keyword>comparing(d -> (Keyword) d.attr())
          .thenComparing((x, y) -> Values.compare(x.v, y.v))
          .thenComparingLong(d -> d.e);

  /** Average bytes per datom over all full 64-datom leaves of people20k sorted by {@code cmp}. */
  private static double bytesPerDatom(Comparator<Datom> cmp, boolean txPerPerson) {
    Random r = new Random(20240601L);
    List<Datom> ds = people(r, 20_000, TX0);
    if (txPerPerson) {
      ds.replaceAll(d -> d.withOp(TX0 + d.e / 100, true));
    }
    Datom[] all = ds.stream().sorted(cmp).toArray(Datom[]::new);
    long bytes = 0;
    int leaves = all.length / 64;
    for (int i = 0; i < leaves; i++) {
      byte[] b = NodeCodec.encodeLeaf(all, i * 64, 64);
      bytes += b.length;
      if (i % 97 == 0) {
        Datom[] back = ((DecodedNode.Leaf) NodeCodec.decode(b)).keys();
        assertThat(back).containsExactly(Arrays.copyOfRange(all, i * 64, i * 64 + 64));
      }
    }
    return (double) bytes / (leaves * 64L);
  }

  @Test
  void encodeLeaf_people20kEavt_wellUnder20BytesPerDatom() {
    double eavt = bytesPerDatom(EAVT, false);
    double aevt = bytesPerDatom(AEVT, false);
    double avet = bytesPerDatom(AVET, false);
    double eavtTx = bytesPerDatom(EAVT, true);
    double avetTx = bytesPerDatom(AVET, true);
    System.out.printf(
        "NodeCodec people20k leaves of 64, bytes/datom: EAVT %.2f, AEVT %.2f, AVET %.2f;"
            + " with 200 txs: EAVT %.2f, AVET %.2f%n",
        eavt, aevt, avet, eavtTx, avetTx);
    assertThat(eavt).isLessThan(10.0);
    assertThat(aevt).isLessThan(12.0);
    assertThat(avet).isLessThan(14.0);
  }

  @Test
  void roundTrip_leafSlice() {
    List<Datom> ds = people(new Random(1), 20, TX0);
    Datom[] all = ds.toArray(new Datom[0]);
    DecodedNode n = NodeCodec.decode(NodeCodec.encodeLeaf(all, 7, 30));
    assertThat(n).isInstanceOf(DecodedNode.Leaf.class);
    assertThat(n.size()).isEqualTo(30);
    assertThat(((DecodedNode.Leaf) n).keys()).containsExactly(Arrays.copyOfRange(all, 7, 37));
  }

  @Test
  void roundTrip_emptyLeafAndBranch() {
    assertThat(NodeCodec.decode(NodeCodec.encodeLeaf(new Datom[0], 0, 0)).size()).isZero();
    DecodedNode b = NodeCodec.decode(NodeCodec.encodeBranch(null, null, null, 0));
    assertThat(b).isInstanceOf(DecodedNode.Branch.class);
    assertThat(b.size()).isZero();
  }

  @Test
  void roundTrip_randomLeaves() {
    for (long seed = 1; seed <= 2000; seed++) {
      Random r = new Random(seed);
      int n = r.nextInt(4) == 0 ? r.nextInt(500) : r.nextInt(70);
      int from = r.nextInt(3);
      List<Datom> ds = CodecTestData.randomDatoms(r, n + from + 1, 1 + r.nextInt(1 << 30));
      Datom[] all = ds.toArray(new Datom[0]);
      Datom[] back =
          ((DecodedNode.Leaf) NodeCodec.decode(NodeCodec.encodeLeaf(all, from, n))).keys();
      CodecTestData.assertSameDatoms(
          List.of(back), List.of(all).subList(from, from + n), "seed " + seed);
    }
  }

  @Test
  void roundTrip_randomBranches() {
    for (long seed = 1; seed <= 2000; seed++) {
      Random r = new Random(seed);
      int n = r.nextInt(70);
      Datom[] keys = CodecTestData.randomDatoms(r, n + 3, TX0).toArray(new Datom[0]);
      String[] addresses = new String[n + 3];
      long[] counts = new long[n + 3];
      for (int i = 0; i < n; i++) {
        addresses[i] = CodecTestData.randomAddress(r);
        counts[i] = r.nextInt(10) == 0 ? r.nextLong() : r.nextInt(5000);
      }
      String msg = "seed " + seed;
      DecodedNode.Branch b =
          (DecodedNode.Branch) NodeCodec.decode(NodeCodec.encodeBranch(keys, addresses, counts, n));
      CodecTestData.assertSameDatoms(List.of(b.maxKeys()), List.of(keys).subList(0, n), msg);
      assertThat(b.childAddresses()).as(msg).containsExactly(Arrays.copyOf(addresses, n));
      assertThat(b.childCounts()).as(msg).containsExactly(Arrays.copyOf(counts, n));
    }
  }

  @Test
  void encodeBranch_sharedAddressPrefix_writtenOnce() {
    int n = 64;
    Datom[] keys = people(new Random(2), 13, TX0).subList(0, n).toArray(new Datom[0]);
    String[] addresses = new String[n];
    long[] counts = new long[n];
    Random r = new Random(3);
    for (int i = 0; i < n; i++) {
      addresses[i] = "n-1700000000000-" + new UUID(r.nextLong(), r.nextLong());
      counts[i] = 64;
    }
    byte[] b = NodeCodec.encodeBranch(keys, addresses, counts, n);
    System.out.printf("NodeCodec branch of 64 children: %.1f bytes/child%n", b.length / 64.0);
    assertThat(b.length).isLessThan(n * 50);
    assertThat(((DecodedNode.Branch) NodeCodec.decode(b)).childAddresses())
        .containsExactly(addresses);
  }

  @Test
  void decode_badKindOrVersion_fails() {
    byte[] leaf = NodeCodec.encodeLeaf(new Datom[] {new Datom(1, 5, 1L, TX0, true)}, 0, 1);
    byte[] kind = leaf.clone();
    kind[1] = 3;
    byte[] version = leaf.clone();
    version[0] = 2;
    Object[][] cases = {
      {kind, "codec/corrupt"},
      {version, "codec/too-new"},
      {Arrays.copyOf(leaf, leaf.length - 1), "codec/corrupt"},
      {Arrays.copyOf(leaf, leaf.length + 1), "codec/corrupt"},
    };
    for (Object[] c : cases) {
      assertThatThrownBy(() -> NodeCodec.decode((byte[]) c[0]))
          .isInstanceOfSatisfying(
              DatahikeException.class, e -> assertThat(e.code().fullName()).isEqualTo(c[1]));
    }
  }
}
