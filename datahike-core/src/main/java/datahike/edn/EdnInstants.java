package datahike.edn;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of {@code #inst} values: RFC 3339 timestamps as Clojure reads and prints them
 * (clojure.instant).
 *
 * <p>Reading accepts what {@code clojure.instant/parse-timestamp} accepts: a four-digit year,
 * optionally followed by month, day, {@code T} hours, minutes, seconds and a fraction of any
 * length, then optionally {@code Z} or an offset {@code +hh:mm} / {@code -hh:mm}; absent parts are
 * the start of their range and an absent offset is UTC. The fields are range-checked as Clojure
 * does (second 60 is allowed only at minute 59, a leap second, and rolls over into the next
 * minute). A {@link Date} holds milliseconds, so further digits of the fraction are dropped.
 *
 * <p>Printing gives Clojure's form, always UTC with milliseconds: {@code
 * 2020-01-01T00:00:00.000-00:00}.
 *
 * <p>Both directions use the proleptic Gregorian calendar of java.time. Clojure goes through {@code
 * GregorianCalendar}, which switches to the Julian calendar before 1582-10-15, so instants before
 * that date map to other milliseconds than in Clojure. Years outside 0000 to 9999 print, but do not
 * read back.
 */
final class EdnInstants {
  private EdnInstants() {}

  /** Clojure's {@code clojure.instant/timestamp}. */
  private static final Pattern TIMESTAMP =
      Pattern.compile(
          "(\\d\\d\\d\\d)(?:-(\\d\\d)(?:-(\\d\\d)(?:[T](\\d\\d)(?::(\\d\\d)(?::(\\d\\d)"
              + "(?:[.](\\d+))?)?)?)?)?)?(?:[Z]|([-+])(\\d\\d):(\\d\\d))?");

  private static final int YEAR = 0;
  private static final int MONTH = 1;
  private static final int DAY = 2;
  private static final int HOURS = 3;
  private static final int MINUTES = 4;
  private static final int SECONDS = 5;
  private static final int MILLIS = 6;

  /** 0 without an offset, else 1 or -1. */
  private static final int OFFSET_SIGN = 7;

  private static final int OFFSET_HOURS = 8;
  private static final int OFFSET_MINUTES = 9;

  /**
   * The instant written {@code text}.
   *
   * @throws IllegalArgumentException naming the problem when {@code text} is no valid timestamp
   */
  static Date parse(String text) {
    // The full form (what printers write) is scanned by hand: the regex costs twice as much as
    // reading the rest of a typical entity map. Other forms go through Clojure's regex.
    int[] f = scanFull(text);
    if (f == null) {
      f = scanPattern(text);
    }
    check(text, f[MONTH], 1, 12, "month");
    check(text, f[DAY], 1, LocalDate.of(f[YEAR], f[MONTH], 1).lengthOfMonth(), "day");
    check(text, f[HOURS], 0, 23, "hours");
    check(text, f[MINUTES], 0, 59, "minutes");
    check(text, f[SECONDS], 0, f[MINUTES] == 59 ? 60 : 59, "seconds");
    check(text, f[OFFSET_HOURS], 0, 23, "offset hours");
    check(text, f[OFFSET_MINUTES], 0, 59, "offset minutes");
    long offset = (f[OFFSET_HOURS] * 3600L + f[OFFSET_MINUTES] * 60L) * f[OFFSET_SIGN];
    long epochSeconds =
        LocalDate.of(f[YEAR], f[MONTH], f[DAY]).toEpochDay() * 86400L
            + f[HOURS] * 3600L
            + f[MINUTES] * 60L
            + f[SECONDS]
            - offset;
    return new Date(epochSeconds * 1000L + f[MILLIS]);
  }

  /** The fields of {@code yyyy-MM-ddTHH:mm:ss[.f+][Z|+hh:mm|-hh:mm]}, or null for other text. */
  private static int[] scanFull(String s) {
    int n = s.length();
    if (n < 19
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return null;
    }
    int[] f = new int[10];
    if ((f[YEAR] = digits(s, 0, 4)) < 0
        || (f[MONTH] = digits(s, 5, 7)) < 0
        || (f[DAY] = digits(s, 8, 10)) < 0
        || (f[HOURS] = digits(s, 11, 13)) < 0
        || (f[MINUTES] = digits(s, 14, 16)) < 0
        || (f[SECONDS] = digits(s, 17, 19)) < 0) {
      return null;
    }
    int i = 19;
    if (i < n && s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      if (i == start) {
        return null;
      }
      f[MILLIS] = millis(s, start, i);
    }
    if (i == n) {
      return f;
    }
    char c = s.charAt(i);
    if (c == 'Z') {
      return i + 1 == n ? f : null;
    }
    if ((c == '+' || c == '-')
        && n == i + 6
        && s.charAt(i + 3) == ':'
        && (f[OFFSET_HOURS] = digits(s, i + 1, i + 3)) >= 0
        && (f[OFFSET_MINUTES] = digits(s, i + 4, i + 6)) >= 0) {
      f[OFFSET_SIGN] = c == '-' ? -1 : 1;
      return f;
    }
    return null;
  }

  /** The fields of any form Clojure accepts, absent ones at the start of their range. */
  private static int[] scanPattern(String s) {
    Matcher m = TIMESTAMP.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException("Unrecognized date/time syntax: " + s);
    }
    int[] f = new int[10];
    f[YEAR] = Integer.parseInt(m.group(1));
    f[MONTH] = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
    f[DAY] = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
    for (int field = HOURS, group = 4; field <= SECONDS; field++, group++) {
      f[field] = m.group(group) == null ? 0 : Integer.parseInt(m.group(group));
    }
    if (m.group(7) != null) {
      f[MILLIS] = millis(s, m.start(7), m.end(7));
    }
    if (m.group(8) != null) {
      f[OFFSET_SIGN] = m.group(8).equals("-") ? -1 : 1;
      f[OFFSET_HOURS] = Integer.parseInt(m.group(9));
      f[OFFSET_MINUTES] = Integer.parseInt(m.group(10));
    }
    return f;
  }

  /** The value of the ASCII digits {@code s[from, to)}, or -1 if one is no digit. */
  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** The milliseconds of fraction digits {@code s[from, to)}: the first three, padded. */
  private static int millis(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < from + 3; i++) {
      v = v * 10 + (i < to ? s.charAt(i) - '0' : 0);
    }
    return v;
  }

  private static void check(String text, int v, int min, int max, String name) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(
          "Failed: " + min + " <= " + name + " <= " + max + ", got " + v + " in " + text);
    }
  }

  /**
   * Appends {@code d} as Clojure prints it, without the tag: {@code 2020-01-01T00:00:00.000-00:00}.
   */
  static void format(Date d, StringBuilder sb) {
    long ms = d.getTime();
    LocalDateTime t =
        LocalDateTime.ofEpochSecond(
            Math.floorDiv(ms, 1000L), (int) Math.floorMod(ms, 1000L) * 1_000_000, ZoneOffset.UTC);
    int year = t.getYear();
    if (year >= 0 && year <= 9999) {
      pad(sb, year, 4);
    } else {
      sb.append(year);
    }
    sb.append('-');
    pad(sb, t.getMonthValue(), 2);
    sb.append('-');
    pad(sb, t.getDayOfMonth(), 2);
    sb.append('T');
    pad(sb, t.getHour(), 2);
    sb.append(':');
    pad(sb, t.getMinute(), 2);
    sb.append(':');
    pad(sb, t.getSecond(), 2);
    sb.append('.');
    pad(sb, t.getNano() / 1_000_000, 3);
    sb.append("-00:00");
  }

  private static void pad(StringBuilder sb, int v, int width) {
    for (int limit = 10, w = 1; w < width; w++, limit *= 10) {
      if (v < limit) {
        sb.append('0');
      }
    }
    sb.append(v);
  }
}
