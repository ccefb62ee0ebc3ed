package datahike.codec;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Datom;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import datahike.index.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/** Seeded random values, datoms, records and nodes for the codec tests, and strict comparison. */
final class CodecTestData {
  private CodecTestData() {}

  private static final String[] WORDS = {
    "",
    "a",
    "Ivan",
    "Petr",
    "Олег",
    "日本語",
    "emoji \uD83D\uDE00",
    "x".repeat(63),
    "y".repeat(64),
    "z".repeat(300),
    ":colon",
    "ns/name"
  };

  static final Keyword[] KEYWORDS = new Keyword[40];

  static {
    for (int i = 0; i < KEYWORDS.length; i++) {
      KEYWORDS[i] = Keyword.of(i % 3 == 0 ? "k" + i : "codec.test/k" + i);
    }
  }

  /** A random long biased towards the boundaries of the small and varint encodings. */
  static long randomLong(Random r) {
    switch (r.nextInt(6)) {
      case 0:
        return r.nextInt(128) - 64;
      case 1:
        return r.nextInt(1 << 16) - (1 << 15);
      case 2:
        return r.nextLong();
      case 3:
        return new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 63, 64, -64, -65}[r.nextInt(8)];
      default:
        return r.nextInt(100_000);
    }
  }

  static String randomString(Random r) {
    if (r.nextBoolean()) {
      return WORDS[r.nextInt(WORDS.length)];
    }
    char[] c = new char[r.nextInt(80)];
    for (int i = 0; i < c.length; i++) {
      c[i] = r.nextInt(4) == 0 ? (char) (0x80 + r.nextInt(0xD000)) : (char) (32 + r.nextInt(95));
    }
    return new String(c);
  }

  /** A random value of any supported type; collections nest below {@code depth}. */
  static Object randomValue(Random r, int depth, boolean allowNull) {
    int kinds = depth > 0 ? 23 : 20;
    switch (r.nextInt(kinds)) {
      case 0:
        return allowNull ? null : "not-null";
      case 1:
        return r.nextBoolean();
      case 2:
      case 3:
        return randomLong(r);
      case 4:
        return r.nextInt(3) == 0
            ? new double[] {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE}
                [r.nextInt(5)]
            : r.nextGaussian() * 1e6;
      case 5:
        return r.nextFloat();
      case 6:
      case 7:
        return randomString(r);
      case 8:
        return KEYWORDS[r.nextInt(KEYWORDS.length)];
      case 9:
        return Symbol.of(r.nextBoolean() ? "sym" + r.nextInt(10) : "codec.test/s" + r.nextInt(10));
      case 10:
        return new UUID(r.nextLong(), r.nextLong());
      case 11:
        return new Date(randomLong(r));
      case 12:
        return new BigInteger(r.nextInt(200), r).subtract(BigInteger.ONE.shiftLeft(100));
      case 13:
        return new BigDecimal(new BigInteger(r.nextInt(100), r), r.nextInt(40) - 20);
      case 14:
        {
          byte[] b = new byte[r.nextInt(70)];
          r.nextBytes(b);
          return b;
        }
      case 15:
        return (char) r.nextInt(0x10000);
      case 16:
        return r.nextInt();
      case 17:
        return (short) r.nextInt();
      case 18:
        return (byte) r.nextInt();
      case 19:
        return randomLong(r);
      case 20:
      case 21:
        {
          Object[] items = new Object[r.nextInt(5)];
          for (int i = 0; i < items.length; i++) {
            items[i] = randomValue(r, depth - 1, true);
          }
          return Arrays.asList(items);
        }
      default:
        if (r.nextBoolean()) {
          Set<Object> s = new LinkedHashSet<>();
          for (int i = r.nextInt(4); i > 0; i--) {
            s.add(randomLong(r));
          }
          s.add(KEYWORDS[r.nextInt(KEYWORDS.length)]);
          return s;
        }
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = r.nextInt(4); i > 0; i--) {
          m.put(KEYWORDS[r.nextInt(KEYWORDS.length)], randomString(r));
        }
        return m;
    }
  }

  static Datom randomDatom(Random r, long prevE, long tx) {
    long e = r.nextInt(4) == 0 ? randomLong(r) : prevE + r.nextInt(5) - 1;
    int a =
        r.nextInt(5) == 0
            ? r.nextInt(3) == 0 ? Integer.MAX_VALUE - r.nextInt(2) : r.nextInt(1000)
            : Datom.attrCode(KEYWORDS[r.nextInt(KEYWORDS.length)]);
    long t = r.nextInt(3) == 0 ? 1 + (randomLong(r) & (Integer.MAX_VALUE >>> 1)) : tx;
    return new Datom(e, a, randomValue(r, 3, false), t, r.nextInt(4) != 0);
  }

  static List<Datom> randomDatoms(Random r, int n, long tx) {
    List<Datom> out = new ArrayList<>();
    long e = r.nextInt(1000);
    for (int i = 0; i < n; i++) {
      Datom d = randomDatom(r, e, tx);
      out.add(d);
      e = d.e;
    }
    return out;
  }

  static TxRecord randomRecord(Random r) {
    long tx = 1 + (r.nextLong() & (Integer.MAX_VALUE >>> 1));
    int n = r.nextInt(4) == 0 ? r.nextInt(200) : r.nextInt(10);
    return new TxRecord(
        tx, randomLong(r), randomDatoms(r, n, tx), randomDatoms(r, r.nextInt(3), tx));
  }

  static String randomAddress(Random r) {
    switch (r.nextInt(4)) {
      case 0:
        return new UUID(r.nextLong(), r.nextLong()).toString();
      case 1:
        return "n-17000000" + r.nextInt(100) + "-" + new UUID(r.nextLong(), r.nextLong());
      case 2:
        return "\uD83D\uDE00\uD83D" + (r.nextBoolean() ? "\uDE00" : "\uDE01") + r.nextInt(3);
      default:
        return randomString(r);
    }
  }

  /** A leaf or branch payload with random content. */
  static byte[] randomNode(Random r) {
    int n = r.nextInt(4) == 0 ? r.nextInt(300) : r.nextInt(8);
    Datom[] keys = randomDatoms(r, n + 2, 1 + r.nextInt(1 << 20)).toArray(new Datom[0]);
    if (r.nextBoolean()) {
      return NodeCodec.encodeLeaf(keys, 1, n);
    }
    String[] addresses = new String[n];
    long[] counts = new long[n];
    for (int i = 0; i < n; i++) {
      addresses[i] = randomAddress(r);
      counts[i] = r.nextInt(10) == 0 ? r.nextLong() : r.nextInt(5000);
    }
    return NodeCodec.encodeBranch(keys, addresses, counts, n);
  }

  /** True when {@code a} and {@code b} are equal values of the same classes, all the way down. */
  static boolean same(Object a, Object b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a instanceof List<?> la && b instanceof List<?> lb) {
      if (la.size() != lb.size()) {
        return false;
      }
      for (int i = 0; i < la.size(); i++) {
        if (!same(la.get(i), lb.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Set<?> || a instanceof Map<?, ?>) {
      return (b instanceof Set<?> || b instanceof Map<?, ?>) && a.equals(b);
    }
    return a.getClass() == b.getClass() && Values.equal(a, b);
  }

  static void assertSameDatoms(List<Datom> actual, List<Datom> expected, String msg) {
    assertThat(actual).as(msg).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      Datom x = expected.get(i);
      Datom y = actual.get(i);
      assertThat(y).as(msg + " datom " + i).isEqualTo(x);
      assertThat(same(y.v, x.v)).as(msg + " value of datom " + i + ": " + x.v).isTrue();
    }
  }
}
