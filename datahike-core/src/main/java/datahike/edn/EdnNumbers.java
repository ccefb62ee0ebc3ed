package datahike.edn;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * Turns a number token into its value, following Clojure's reader (clojure.lang.EdnReader, {@code
 * intPat}, {@code ratioPat}, {@code floatPat}):
 *
 * <pre>
 * integer = [+-]? ( "0" | [1-9][0-9]* | "0" [xX] hex+ | "0" [0-7]+ | radix [rR] [0-9A-Za-z]+ ) "N"?
 * ratio   = [+-]? [0-9]+ "/" [0-9]+
 * float   = [+-]? [0-9]+ ( "." [0-9]* )? ( [eE] [+-]? [0-9]+ )? "M"?
 * </pre>
 *
 * An integer is a Long, or a BigInteger when it has the {@code N} suffix or does not fit a long; a
 * leading zero means octal ({@code 017} is 15) as in Clojure, and {@code 019} is an error. A float
 * is a Double, or a BigDecimal with the {@code M} suffix. A ratio is the BigDecimal quotient
 * rounded to {@link MathContext#DECIMAL128} (see {@link EdnReader}).
 */
final class EdnNumbers {
  private EdnNumbers() {}

  /**
   * The value of {@code s}, whose first character is a digit, or a sign followed by a digit.
   *
   * @throws NumberFormatException naming the problem when {@code s} is no valid number
   */
  static Object parse(String s) {
    int n = s.length();
    int i = 0;
    boolean negative = false;
    char first = s.charAt(0);
    if (first == '+' || first == '-') {
      negative = first == '-';
      i = 1;
    }
    if (i >= n || !isDigit(s.charAt(i))) {
      throw invalid(s);
    }
    if (s.charAt(i) == '0' && i + 1 < n && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
      return hex(s, i + 2, negative);
    }
    int j = i;
    while (j < n && isDigit(s.charAt(j))) {
      j++;
    }
    if (j == n) {
      return integer(s, i, n, negative, false);
    }
    char c = s.charAt(j);
    if (c == 'N' && j == n - 1) {
      return integer(s, i, j, negative, true);
    }
    if ((c == 'r' || c == 'R') && j - i <= 2 && s.charAt(i) != '0') {
      return radix(s, Integer.parseInt(s, i, j, 10), j + 1, negative);
    }
    if (c == '/') {
      return ratio(s, i, j, negative);
    }
    if (c == '.' || c == 'e' || c == 'E' || c == 'M') {
      return decimal(s, j);
    }
    throw invalid(s);
  }

  private static Object integer(String s, int from, int to, boolean negative, boolean big) {
    int radix = 10;
    if (to - from > 1 && s.charAt(from) == '0') {
      for (int k = from + 1; k < to; k++) {
        if (s.charAt(k) > '7') {
          throw invalid(s);
        }
      }
      radix = 8;
    }
    if (!big && to - from <= 18) {
      long v = 0;
      for (int k = from; k < to; k++) {
        v = v * radix + (s.charAt(k) - '0');
      }
      return negative ? -v : v;
    }
    return fit(new BigInteger(s.substring(from, to), radix), negative, big);
  }

  private static Object hex(String s, int from, boolean negative) {
    int to = s.length();
    boolean big = to > from && s.charAt(to - 1) == 'N';
    if (big) {
      to--;
    }
    if (to == from) {
      throw invalid(s);
    }
    for (int k = from; k < to; k++) {
      if (Character.digit(s.charAt(k), 16) < 0) {
        throw invalid(s);
      }
    }
    return fit(new BigInteger(s.substring(from, to), 16), negative, big);
  }

  private static Object radix(String s, int radix, int from, boolean negative) {
    if (radix < Character.MIN_RADIX || radix > Character.MAX_RADIX) {
      throw new NumberFormatException("Radix out of range: " + s);
    }
    int to = s.length();
    if (to == from) {
      throw invalid(s);
    }
    for (int k = from; k < to; k++) {
      if (Character.digit(s.charAt(k), radix) < 0) {
        throw invalid(s);
      }
    }
    return fit(new BigInteger(s.substring(from), radix), negative, false);
  }

  private static Object ratio(String s, int from, int slash, boolean negative) {
    int n = s.length();
    if (slash + 1 == n) {
      throw invalid(s);
    }
    for (int k = slash + 1; k < n; k++) {
      if (!isDigit(s.charAt(k))) {
        throw invalid(s);
      }
    }
    BigDecimal denominator = new BigDecimal(s.substring(slash + 1));
    if (denominator.signum() == 0) {
      throw new NumberFormatException("Divide by zero: " + s);
    }
    BigDecimal q =
        new BigDecimal(s.substring(from, slash)).divide(denominator, MathContext.DECIMAL128);
    return negative ? q.negate() : q;
  }

  private static Object decimal(String s, int j) {
    int n = s.length();
    if (s.charAt(j) == '.') {
      j++;
      while (j < n && isDigit(s.charAt(j))) {
        j++;
      }
    }
    if (j < n && (s.charAt(j) == 'e' || s.charAt(j) == 'E')) {
      j++;
      if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
        j++;
      }
      int digits = j;
      while (j < n && isDigit(s.charAt(j))) {
        j++;
      }
      if (j == digits) {
        throw invalid(s);
      }
    }
    if (j == n) {
      return Double.parseDouble(s);
    }
    if (j == n - 1 && s.charAt(j) == 'M') {
      return new BigDecimal(s.substring(0, j));
    }
    throw invalid(s);
  }

  /** {@code v} (negated if asked) as a Long when it fits and {@code big} is false. */
  private static Object fit(BigInteger v, boolean negative, boolean big) {
    if (negative) {
      v = v.negate();
    }
    return !big && v.bitLength() < 64 ? (Object) v.longValue() : v;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static NumberFormatException invalid(String s) {
    return new NumberFormatException("Invalid number: " + s);
  }
}
