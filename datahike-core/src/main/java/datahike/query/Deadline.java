package datahike.query;

import datahike.DatahikeException;

/** A query's time budget: {@link #tick()} throws {@code :query/timeout} once it is spent. */
final class Deadline {
  static final Deadline NONE = new Deadline(-1);

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
}
