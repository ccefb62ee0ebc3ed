package datahike.query;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * Clojure's numeric tower, as far as Java values go: long, BigInteger (bigint), BigDecimal
 * (bigdec) and double; mixing promotes to the wider kind, double being the widest. Clojure's
 * ratios do not exist here: an inexact integer division gives a double.
 */
final class Num {
  private Num() {}

  static final int LONG = 0;
  static final int BIGINT = 1;
  static final int BIGDEC = 2;
  static final int DOUBLE = 3;

  static Number num(Object o) {
    if (o instanceof Number n) {
      return n;
    }
    throw new TypeMismatch(
        "Expected a number, got " + (o == null ? "nil" : o.getClass().getSimpleName()));
  }

  /** The kind of a number, or -1 for anything else. */
  static int kindOrNeg(Object o) {
    return o instanceof Number n ? kind(n) : -1;
  }

  static int kind(Number n) {
    if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
      return LONG;
    }
    if (n instanceof BigInteger) {
      return BIGINT;
    }
    if (n instanceof BigDecimal) {
      return BIGDEC;
    }
    return DOUBLE;
  }

  static BigInteger bigint(Number n) {
    return n instanceof BigInteger b ? b : BigInteger.valueOf(n.longValue());
  }

  static BigDecimal bigdec(Number n) {
    if (n instanceof BigDecimal b) {
      return b;
    }
    if (n instanceof BigInteger b) {
      return new BigDecimal(b);
    }
    if (kind(n) == DOUBLE) {
      return BigDecimal.valueOf(n.doubleValue());
    }
    return BigDecimal.valueOf(n.longValue());
  }

  /** Clojure {@code +} on two numbers (long overflow throws, as in Clojure). */
  static Number add(Object x, Object y) {
    Number a = num(x);
    Number b = num(y);
    int k = Math.max(kind(a), kind(b));
    switch (k) {
      case LONG:
        return Math.addExact(a.longValue(), b.longValue());
      case BIGINT:
        return bigint(a).add(bigint(b));
      case BIGDEC:
        return bigdec(a).add(bigdec(b));
      default:
        return a.doubleValue() + b.doubleValue();
    }
  }

  static Number sub(Object x, Object y) {
    Number a = num(x);
    Number b = num(y);
    int k = Math.max(kind(a), kind(b));
    switch (k) {
      case LONG:
        return Math.subtractExact(a.longValue(), b.longValue());
      case BIGINT:
        return bigint(a).subtract(bigint(b));
      case BIGDEC:
        return bigdec(a).subtract(bigdec(b));
      default:
        return a.doubleValue() - b.doubleValue();
    }
  }

  static Number mul(Object x, Object y) {
    Number a = num(x);
    Number b = num(y);
    int k = Math.max(kind(a), kind(b));
    switch (k) {
      case LONG:
        return Math.multiplyExact(a.longValue(), b.longValue());
      case BIGINT:
        return bigint(a).multiply(bigint(b));
      case BIGDEC:
        return bigdec(a).multiply(bigdec(b));
      default:
        return a.doubleValue() * b.doubleValue();
    }
  }

  static Number div(Object x, Object y) {
    Number a = num(x);
    Number b = num(y);
    int k = Math.max(kind(a), kind(b));
    if (k == DOUBLE) {
      return a.doubleValue() / b.doubleValue();
    }
    if (isZero(b)) {
      throw new ArithmeticException("Divide by zero");
    }
    if (k == BIGDEC) {
      BigDecimal da = bigdec(a);
      BigDecimal db = bigdec(b);
      try {
        return da.divide(db);
      } catch (ArithmeticException e) {
        return da.divide(db, MathContext.DECIMAL128);
      }
    }
    BigInteger ia = bigint(a);
    BigInteger ib = bigint(b);
    BigInteger[] qr = ia.divideAndRemainder(ib);
    if (qr[1].signum() == 0) {
      return k == LONG ? (Number) qr[0].longValue() : qr[0];
    }
    return a.doubleValue() / b.doubleValue();
  }

  static Number quot(Object x, Object y) {
    Number a = num(x);
    Number b = num(y);
    int k = Math.max(kind(a), kind(b));
    if (k == DOUBLE) {
      double q = a.doubleValue() / b.doubleValue();
      return q < 0 ? Math.ceil(q) : Math.floor(q);
    }
    if (isZero(b)) {
      throw new ArithmeticException("Divide by zero");
    }
    if (k == LONG) {
      return a.longValue() / b.longValue();
    }
    if (k == BIGINT) {
      return bigint(a).divide(bigint(b));
    }
    return bigdec(a).divideToIntegralValue(bigdec(b));
  }

  static Number rem(Object x, Object y) {
    Number a = num(x);
    Number b = num(y);
    int k = Math.max(kind(a), kind(b));
    if (k == DOUBLE) {
      return a.doubleValue() % b.doubleValue();
    }
    if (isZero(b)) {
      throw new ArithmeticException("Divide by zero");
    }
    if (k == LONG) {
      return a.longValue() % b.longValue();
    }
    if (k == BIGINT) {
      return bigint(a).remainder(bigint(b));
    }
    return bigdec(a).remainder(bigdec(b));
  }

  static Number mod(Object x, Object y) {
    Number r = rem(x, y);
    Number b = num(y);
    if (!isZero(r) && (sign(r) != sign(b))) {
      return add(r, b);
    }
    return r;
  }

  static boolean isZero(Number n) {
    return sign(n) == 0;
  }

  static int sign(Number n) {
    switch (kind(n)) {
      case LONG:
        return Long.signum(n.longValue());
      case BIGINT:
        return ((BigInteger) n).signum();
      case BIGDEC:
        return ((BigDecimal) n).signum();
      default:
        double d = n.doubleValue();
        return d > 0 ? 1 : d < 0 ? -1 : 0;
    }
  }

  /** Numeric comparison (Clojure {@code <}, {@code ==}): no tie-break by class. */
  static int compare(Object x, Object y) {
    Number a = num(x);
    Number b = num(y);
    int ka = kind(a);
    int kb = kind(b);
    if (ka == LONG && kb == LONG) {
      return Long.compare(a.longValue(), b.longValue());
    }
    if (ka == DOUBLE || kb == DOUBLE) {
      return Double.compare(a.doubleValue(), b.doubleValue());
    }
    return bigdec(a).compareTo(bigdec(b));
  }

  /** Clojure {@code =} on two numbers: same category and equal value. */
  static boolean equiv(Number a, Number b) {
    int ka = kind(a);
    int kb = kind(b);
    boolean ia = ka <= BIGINT;
    boolean ib = kb <= BIGINT;
    if (ia != ib) {
      return false;
    }
    if (!ia && ka != kb) {
      return false;
    }
    return compare(a, b) == 0;
  }

  /** The value as a double. */
  static double toDouble(Object o) {
    return num(o).doubleValue();
  }
}
