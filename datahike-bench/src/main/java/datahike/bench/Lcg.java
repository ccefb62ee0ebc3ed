package datahike.bench;

/**
 * The 32-bit linear congruential generator of PEOPLE20K.md section 1 (Numerical Recipes constants),
 * with its {@code randInt} and Fisher–Yates shuffle.
 *
 * <p>{@code state = (state * 1664525 + 1013904223) mod 2^32}; {@code randInt(n)} takes the high
 * bits, {@code (state * n) >>> 32}, because the low bits of an LCG are weak. The state is kept in a
 * {@code long} masked to 32 bits, so the arithmetic is unsigned as in the JS reference.
 */
final class Lcg {
  private static final long MASK = 0xFFFF_FFFFL;
  private long state;

  Lcg(long seed) {
    this.state = seed & MASK;
  }

  /** The next 32-bit state, as an unsigned value. */
  long next() {
    state = (state * 1664525L + 1013904223L) & MASK;
    return state;
  }

  /** A uniform int in {@code [0, n)}. {@code state * n < 2^63} for every {@code n < 2^31}. */
  int randInt(int n) {
    return (int) ((next() * n) >>> 32);
  }

  /** Shuffles {@code a} in place, same loop shape as {@code Collections.shuffle}. */
  <T> void shuffle(T[] a) {
    for (int i = a.length - 1; i >= 1; i--) {
      int j = randInt(i + 1);
      T t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** Shuffles {@code a} in place, same loop shape as {@link #shuffle(Object[])}. */
  void shuffle(long[] a) {
    for (int i = a.length - 1; i >= 1; i--) {
      int j = randInt(i + 1);
      long t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
