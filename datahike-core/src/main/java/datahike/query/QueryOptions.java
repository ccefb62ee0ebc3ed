package datahike.query;

/**
 * Options of one query call, as Datahike's query map takes them.
 *
 * @param offset rows to skip ({@code :offset}); negative for none
 * @param limit most rows to return ({@code :limit}); negative for no limit
 * @param timeoutMs cancel the query after this many milliseconds ({@code :timeout}); 0 or
 *     negative for no timeout
 * @param stats collect per-clause statistics (see {@link Query#queryStats})
 */
public record QueryOptions(long offset, long limit, long timeoutMs, boolean stats) {
  /** No offset, no limit, no timeout. */
  public static final QueryOptions DEFAULTS = new QueryOptions(-1, -1, -1, false);

  /** Options with offset, limit and timeout (no statistics). */
  public QueryOptions(long offset, long limit, long timeoutMs) {
    this(offset, limit, timeoutMs, false);
  }

  /** These options with {@code :offset}. */
  public QueryOptions withOffset(long n) {
    return new QueryOptions(n, limit, timeoutMs, stats);
  }

  /** These options with {@code :limit}. */
  public QueryOptions withLimit(long n) {
    return new QueryOptions(offset, n, timeoutMs, stats);
  }

  /** These options with {@code :timeout} in milliseconds. */
  public QueryOptions withTimeout(long ms) {
    return new QueryOptions(offset, limit, ms, stats);
  }
}
