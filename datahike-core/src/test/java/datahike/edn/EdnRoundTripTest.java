package datahike.edn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import datahike.DatahikeException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Seeded random tests: printed random values read back equal, and mutated EDN text either reads or
 * fails with {@code :edn/parse}, never otherwise. Each failure names its seed; rerun one with
 * {@code -Dedn.seed=SEED}.
 */
class EdnRoundTripTest {
  private static final long MASTER_SEED = Long.getLong("edn.seed", System.nanoTime());

  @Test
  void printThenRead_randomValues_givesEqualValue() {
    for (int i = 0; i < 5000; i++) {
      long seed = MASTER_SEED + i;
      Object value = new Gen(new Random(seed)).value(4, false);
      String text = EdnPrinter.print(value);
      Object back;
      try {
        back = EdnReader.read(text);
      } catch (RuntimeException e) {
        throw new AssertionError(failure(seed, "cannot read " + text), e);
      }
      if (!deepEquals(value, back)) {
        fail(failure(seed, text + " read back as " + EdnPrinter.print(back)));
      }
      assertThat(EdnPrinter.print(back)).as(failure(seed, "printed twice")).isEqualTo(text);
    }
  }

  @Test
  void next_manyRandomValuesInRandomChunks_givesEqualValues() {
    for (int i = 0; i < 200; i++) {
      long seed = MASTER_SEED + i;
      Random r = new Random(seed);
      Gen gen = new Gen(r);
      List<Object> values = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      String[] separators = {
        " ", ",", "\n", "\r\n", " ;comment [ \" \n", " #_ [1 2] ", "\t#_#_a b "
      };
      for (int n = r.nextInt(50); n >= 0; n--) {
        Object v = gen.value(3, false);
        values.add(v);
        EdnPrinter.print(v, text).append(separators[r.nextInt(separators.length)]);
      }
      EdnReader reader = new EdnReader(chunked(text.toString(), r), null);
      List<Object> back = new ArrayList<>();
      for (Object v = reader.next(); v != EdnReader.EOF; v = reader.next()) {
        back.add(v);
      }
      if (!deepEquals(values, back)) {
        fail(failure(seed, text + " read back as " + EdnPrinter.print(back)));
      }
    }
  }

  @Test
  void read_mutatedText_givesValueOrParseError() {
    String alphabet = "()[]{}#_^\"\\;:,/ \n\t1aN.eM+-x0r\u00e9u'";
    for (int i = 0; i < 30000; i++) {
      long seed = MASTER_SEED + i;
      Random r = new Random(seed);
      StringBuilder text = new StringBuilder(EdnPrinter.print(new Gen(r).value(3, false)));
      for (int edits = 1 + r.nextInt(3); edits > 0; edits--) {
        int at = r.nextInt(text.length() + 1);
        switch (r.nextInt(5)) {
          case 0 -> text.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
          case 1 -> text.delete(at, Math.min(text.length(), at + 1 + r.nextInt(3)));
          case 2 -> text.insert(at, text.substring(r.nextInt(at + 1), at));
          case 3 -> text.setLength(at);
          default -> {
            if (at < text.length()) {
              text.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
            }
          }
        }
      }
      String s = text.toString();
      try {
        EdnReader.readAll(s);
        new EdnReader(chunked(s, r), null).next();
      } catch (DatahikeException e) {
        assertThat(e.code()).as(failure(seed, s)).isEqualTo(Keyword.of("edn/parse"));
        assertThat((Long) e.data().get(Keyword.of("line"))).as(failure(seed, s)).isPositive();
        assertThat((Long) e.data().get(Keyword.of("column"))).as(failure(seed, s)).isPositive();
      } catch (Throwable t) {
        throw new AssertionError(failure(seed, "unexpected " + t + " for " + s), t);
      }
    }
  }

  private static String failure(long seed, String what) {
    return "seed " + seed + " (rerun with -Dedn.seed=" + seed + "): " + what;
  }

  /** A Reader over {@code text} that hands out chunks of random size. */
  private static Reader chunked(String text, Random r) {
    int max = 1 + r.nextInt(r.nextBoolean() ? 16 : 20000);
    return new StringReader(text) {
      @Override
      public int read(char[] cbuf, int off, int len) throws IOException {
        return super.read(cbuf, off, Math.min(len, 1 + r.nextInt(max)));
      }
    };
  }

  /**
   * Equality that also holds for byte arrays, and tells lists from vectors, number classes apart,
   * and map and set order.
   */
  static boolean deepEquals(Object a, Object b) {
    if (a instanceof byte[] x) {
      return b instanceof byte[] y && Arrays.equals(x, y);
    }
    if (a instanceof List<?> x) {
      if (!(b instanceof List<?> y)
          || (a instanceof EdnList) != (b instanceof EdnList)
          || x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!deepEquals(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map<?, ?> x) {
      if (!(b instanceof Map<?, ?> y) || !sameOrder(x.keySet(), y.keySet())) {
        return false;
      }
      for (Map.Entry<?, ?> e : x.entrySet()) {
        if (!deepEquals(e.getValue(), y.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Set<?> x) {
      return b instanceof Set<?> y && sameOrder(x, y);
    }
    if (a instanceof Tagged x) {
      return b instanceof Tagged y && x.tag().equals(y.tag()) && deepEquals(x.value(), y.value());
    }
    return Objects.equals(a, b) && (a == null || a.getClass() == b.getClass());
  }

  private static boolean sameOrder(Set<?> x, Set<?> y) {
    if (x.size() != y.size()) {
      return false;
    }
    Iterator<?> i = x.iterator();
    Iterator<?> j = y.iterator();
    while (i.hasNext()) {
      if (!deepEquals(i.next(), j.next())) {
        return false;
      }
    }
    return true;
  }

  /** Random values of every type the printer and reader support. */
  static final class Gen {
    private static final long MIN_MS = Instant.parse("0000-01-01T00:00:00Z").toEpochMilli();
    private static final long MAX_MS = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
    private static final String CHARS =
        "aZ0 ,;#\"\\\n\t\r\b\f\u0000\u0001\u001f\u007f\u00e9\u00df\u4e2d\u2028\uD800(){}[]";
    private static final String NAME_START = "abcxyzABC*!_?<>=.\u00e9";
    private static final String NAME_REST = "abc019-_.*+!?<>=#'\u00e9";

    private final Random r;

    Gen(Random r) {
      this.r = r;
    }

    /** A value nested at most {@code depth} deep; {@code hashable} leaves out byte arrays. */
    Object value(int depth, boolean hashable) {
      switch (r.nextInt(depth > 0 ? 20 : 14)) {
        case 0:
          return null;
        case 1:
          return r.nextBoolean();
        case 2:
        case 3:
          return longValue();
        case 4:
          return bigInteger();
        case 5:
          return doubleValue();
        case 6:
          return bigDecimal();
        case 7:
          return string();
        case 8:
          return (char) r.nextInt(0x10000);
        case 9:
          return Keyword.of(name());
        case 10:
          return Symbol.of(symbolName());
        case 11:
          return new UUID(r.nextLong(), r.nextLong());
        case 12:
          return new Date(MIN_MS + (long) (r.nextDouble() * (MAX_MS - MIN_MS)));
        case 13:
          return hashable ? string() : bytes();
        case 14:
          return new Tagged(tag(), value(depth - 1, hashable));
        case 15:
          return EdnList.copyOf(elements(depth - 1, hashable));
        case 16:
        case 17:
          return Collections.unmodifiableList(elements(depth - 1, hashable));
        case 18:
          {
            Map<Object, Object> m = new LinkedHashMap<>();
            for (int n = r.nextInt(5); n > 0; n--) {
              m.put(value(depth - 1, true), value(depth - 1, hashable));
            }
            return m;
          }
        default:
          {
            Set<Object> s = new LinkedHashSet<>();
            for (int n = r.nextInt(5); n > 0; n--) {
              s.add(value(depth - 1, true));
            }
            return s;
          }
      }
    }

    private List<Object> elements(int depth, boolean hashable) {
      List<Object> items = new ArrayList<>();
      for (int n = r.nextInt(5); n > 0; n--) {
        items.add(value(depth, hashable));
      }
      return items;
    }

    private long longValue() {
      switch (r.nextInt(4)) {
        case 0:
          return r.nextInt(100) - 50;
        case 1:
          return r.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
        default:
          return r.nextLong() >> r.nextInt(64);
      }
    }

    private BigInteger bigInteger() {
      BigInteger b = new BigInteger(r.nextInt(130), r);
      return r.nextBoolean() ? b.negate() : b;
    }

    private double doubleValue() {
      switch (r.nextInt(4)) {
        case 0:
          double[] special = {
            0.0,
            -0.0,
            1.0,
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE,
            Double.MAX_VALUE,
            1e-300,
            1e300
          };
          return special[r.nextInt(special.length)];
        case 1:
          return Double.longBitsToDouble(r.nextLong());
        default:
          return r.nextGaussian() * Math.pow(10, r.nextInt(30) - 15);
      }
    }

    private BigDecimal bigDecimal() {
      return new BigDecimal(bigInteger(), r.nextInt(30) - 10);
    }

    private String string() {
      StringBuilder sb = new StringBuilder();
      for (int n = r.nextInt(12); n > 0; n--) {
        int k = r.nextInt(10);
        if (k == 0) {
          sb.append("\uD83D\uDE00");
        } else if (k == 1) {
          sb.append((char) r.nextInt(0x10000));
        } else {
          sb.append(CHARS.charAt(r.nextInt(CHARS.length())));
        }
      }
      return sb.toString();
    }

    private byte[] bytes() {
      byte[] b = new byte[r.nextInt(10)];
      r.nextBytes(b);
      return b;
    }

    private String ident() {
      StringBuilder sb = new StringBuilder();
      sb.append(NAME_START.charAt(r.nextInt(NAME_START.length())));
      for (int n = r.nextInt(8); n > 0; n--) {
        sb.append(NAME_REST.charAt(r.nextInt(NAME_REST.length())));
      }
      return sb.toString();
    }

    private String name() {
      return r.nextInt(3) == 0 ? ident() : ident() + "/" + ident();
    }

    private String symbolName() {
      if (r.nextInt(50) == 0) {
        return "/";
      }
      String s = name();
      return s.equals("nil") || s.equals("true") || s.equals("false") ? "x" + s : s;
    }

    private String tag() {
      String t = "t" + ident();
      return r.nextBoolean() ? t : "my.ns" + r.nextInt(3) + "/" + t;
    }
  }
}
