package datahike.server;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error of the HTTP layer: a {@link DatahikeException} that also carries its HTTP status. Errors
 * from the engine are plain DatahikeExceptions; {@link #status(DatahikeException)} maps their codes
 * to statuses.
 */
final class ServerException extends DatahikeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  private ServerException(int status, String code, String message, Map<Keyword, Object> data) {
    super(Keyword.of(code), message, data, null);
    this.status = status;
  }

  /** An error with HTTP status {@code status}, code, message and data as alternating kvs. */
  static ServerException of(int status, String code, String message, Object... kvs) {
    Map<Keyword, Object> data = new LinkedHashMap<>();
    for (int i = 0; i + 1 < kvs.length; i += 2) {
      Object k = kvs[i];
      data.put(k instanceof Keyword kw ? kw : Keyword.of(String.valueOf(k)), kvs[i + 1]);
    }
    return new ServerException(status, code, message, data);
  }

  /** 400 with {@code code}. */
  static ServerException badRequest(String code, String message, Object... kvs) {
    return of(400, code, message, kvs);
  }

  /** The HTTP status of any DatahikeException. */
  static int status(DatahikeException e) {
    if (e instanceof ServerException s) return s.status;
    Keyword code = e.code();
    String ns = code.namespace();
    String c = code.fullName();
    switch (c) {
      case "db/missing":
        return 404;
      case "db/exists":
        return 409;
      case "db/basis-unavailable":
        return 410;
      case "connection/closed":
        return 503;
      default:
        break;
    }
    if (ns != null) {
      switch (ns) {
        case "json":
        case "edn":
        case "transit":
        case "codec":
        case "config":
          return 400;
        default:
          break;
      }
    }
    return 422;
  }
}
