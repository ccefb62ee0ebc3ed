package datahike;

import datahike.edn.Keyword;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one exception type of datahike-java. Every error a user can hit is a DatahikeException with
 * a stable {@link #code()} (a keyword such as {@code :transact/unique} or {@code
 * :query/insufficient-bindings}), a message naming what was wrong, and a {@link #data()} map
 * holding the offending attribute, value, entity or clause.
 *
 * <p>Build them with {@link #of(String, String, Object...)}: one factory, so codes and data are
 * shaped alike everywhere.
 */
public class DatahikeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Keyword code;
  private final Map<Keyword, Object> data;

  /** Use {@link #of}; public so that modules outside core can subclass for their own layers. */
  public DatahikeException(Keyword code, String message, Map<Keyword, Object> data, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
  }

  /**
   * Creates an exception with code {@code code} (e.g. {@code "transact/unique"}), the message, and
   * data given as alternating keys and values: {@code of("tx/bad", "...", "attribute", a, "value",
   * v)}. Keys are strings or keywords. A trailing Throwable in {@code kvs} becomes the cause.
   */
  public static DatahikeException of(String code, String message, Object... kvs) {
    Map<Keyword, Object> data = new LinkedHashMap<>();
    Throwable cause = null;
    int n = kvs.length;
    if (n % 2 == 1 && kvs[n - 1] instanceof Throwable t) {
      cause = t;
      n--;
    }
    for (int i = 0; i + 1 < n; i += 2) {
      Object k = kvs[i];
      Keyword key = k instanceof Keyword kw ? kw : Keyword.of(String.valueOf(k));
      data.put(key, kvs[i + 1]);
    }
    return new DatahikeException(Keyword.of(code), message, data, cause);
  }

  /** The stable error code, e.g. {@code :transact/unique}. */
  public Keyword code() {
    return code;
  }

  /** The offending attribute, value, entity, clause, ... keyed by keywords. */
  public Map<Keyword, Object> data() {
    return data;
  }

  @Override
  public String toString() {
    return "DatahikeException" + code + ": " + getMessage();
  }
}
