package datahike.query;

import datahike.DatahikeException;

/**
 * A query's time budget: {@link #tick()} throws {@code :query/timeout} once it is spent.
 *
 * <p>The deadline of the query running on a thread is also reachable as {@link #current()}, for
 * work that has no context to carry it, such as regex matching inside built-in functions.
 */
final class Deadline {
  static final Deadline NONE = new Deadline(-1);

  private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

  private final long deadlineNanos;
  private final long timeoutMs;
  private int counter;

  Deadline(long timeoutMs) {
    this.timeoutMs = timeoutMs;
    this.deadlineNanos = timeoutMs > 0 ? System.nanoTime() + timeoutMs * 1_000_000L : 0;
  }

  /** Called per unit of work; checks the clock every 1024 calls. */
  void tick() {
    if (timeoutMs > 0 && (++counter & 1023) == 0) {
      check();
    }
  }

  /** Checks the clock now. */
  void check() {
    if (timeoutMs > 0 && System.nanoTime() - deadlineNanos > 0) {
      throw DatahikeException.of(
          "query/timeout", "Query took too long to run (:timeout " + timeoutMs + " ms)",
          "timeout", timeoutMs);
    }
  }

  /**
   * Makes this the deadline of the query running on this thread ({@link #current}) and returns
   * the one it replaces (a query run from inside another's function), for {@link #restore}.
   */
  Deadline install() {
    Deadline previous = CURRENT.get();
    CURRENT.set(this);
    return previous;
  }

  /** Undoes {@link #install}: {@code previous} is what it returned. */
  static void restore(Deadline previous) {
    if (previous == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(previous);
    }
  }

  /** The deadline of the query running on this thread; {@link #NONE} outside queries. */
  static Deadline current() {
    Deadline d = CURRENT.get();
    return d == null ? NONE : d;
  }

  /**
   * {@code text} as regex input that observes this deadline: with a timeout, a view that checks
   * the clock every few thousand character reads, so that a pattern that backtracks
   * catastrophically fails with {@code :query/timeout} instead of running on; without one, the
   * text itself.
   */
  CharSequence guard(CharSequence text) {
    return timeoutMs > 0 ? new GuardedChars(text, this) : text;
  }

  /** A CharSequence that checks a deadline as the regex engine reads it. */
  private static final class GuardedChars implements CharSequence {
    /** Character reads between two clock checks: a clock read costs about 20 ns. */
    private static final int CHECK_EVERY = 4096;

    private final CharSequence text;
    private final Deadline deadline;
    private int reads;

    GuardedChars(CharSequence text, Deadline deadline) {
      this.text = text;
      this.deadline = deadline;
    }

    @Override
    public char charAt(int index) {
      if (++reads == CHECK_EVERY) {
        reads = 0;
        deadline.check();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      // Matched groups: copied out, no more matching on them.
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }
}
