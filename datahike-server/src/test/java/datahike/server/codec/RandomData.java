package datahike.server.codec;

import datahike.Datom;
import datahike.edn.EdnList;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import datahike.edn.Tagged;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/** Random Datahike data for codec round trips: every value type, nested a few levels. */
final class RandomData {
  private final Random rnd;

  RandomData(long seed) {
    this.rnd = new Random(seed);
  }

  private static final String[] STRINGS = {
    "",
    "a",
    ":looks-like-kw",
    "\\:escaped",
    "\\\\:twice",
    "~tilde",
    "^caret",
    "`tick",
    "#hash",
    "ünïcødé ✓",
    "line\nbreak",
    "\"quoted\"",
    "^ ",
    "^0",
    "~#set",
    "\\",
    ":"
  };

  Object value(int depth) {
    int n = depth <= 0 ? 14 : 19;
    switch (rnd.nextInt(n)) {
      case 0:
        return null;
      case 1:
        return rnd.nextBoolean();
      case 2:
        return STRINGS[rnd.nextInt(STRINGS.length)];
      case 3:
        return rnd.nextLong() >> rnd.nextInt(64);
      case 4:
        {
          double d = rnd.nextDouble() * Math.pow(10, rnd.nextInt(40) - 20);
          int pick = rnd.nextInt(10);
          if (pick == 0) return Double.NaN;
          if (pick == 1) return Double.NEGATIVE_INFINITY;
          if (pick == 2) return 3.0;
          return rnd.nextBoolean() ? d : -d;
        }
      case 5:
        return Keyword.of(rnd.nextBoolean() ? "ns" + rnd.nextInt(3) : null, "k" + rnd.nextInt(5));
      case 6:
        return Symbol.of(rnd.nextBoolean() ? "?e" + rnd.nextInt(3) : "my.ns/f");
      case 7:
        return new Date(rnd.nextLong() % 4_000_000_000_000L + 1_000_000_000_000L);
      case 8:
        return new UUID(rnd.nextLong(), rnd.nextLong());
      case 9:
        return new BigInteger(80, rnd).negate();
      case 10:
        return new BigDecimal(BigInteger.valueOf(rnd.nextInt()), rnd.nextInt(8));
      case 11:
        {
          byte[] b = new byte[rnd.nextInt(6)];
          rnd.nextBytes(b);
          return b;
        }
      case 12:
        return (char) ('a' + rnd.nextInt(26));
      case 13:
        return new Datom(
            rnd.nextInt(100),
            Datom.attrCode(Keyword.of("attr" + rnd.nextInt(3))),
            rnd.nextBoolean() ? (Object) "v" : (Object) (long) rnd.nextInt(9),
            536870913L + rnd.nextInt(5),
            rnd.nextBoolean());
      case 14:
        {
          List<Object> l = new ArrayList<>();
          for (int i = rnd.nextInt(4); i > 0; i--) l.add(value(depth - 1));
          return l;
        }
      case 15:
        {
          Set<Object> s = new LinkedHashSet<>();
          for (int i = rnd.nextInt(4); i > 0; i--) s.add(value(depth - 1));
          return s;
        }
      case 16:
        {
          List<Object> l = new ArrayList<>();
          for (int i = rnd.nextInt(4); i > 0; i--) l.add(value(depth - 1));
          return EdnList.copyOf(l);
        }
      case 17:
        {
          Map<Object, Object> m = new LinkedHashMap<>();
          boolean kwOnly = rnd.nextBoolean();
          for (int i = rnd.nextInt(4); i > 0; i--) {
            Object k = kwOnly ? Keyword.of("key" + rnd.nextInt(6)) : value(depth - 1);
            m.put(k, value(depth - 1));
          }
          return m;
        }
      default:
        return new Tagged("my/tag", value(depth - 1));
    }
  }
}
