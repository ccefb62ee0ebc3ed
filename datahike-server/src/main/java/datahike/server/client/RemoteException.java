package datahike.server.client;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import java.util.Map;

/**
 * An error the server answered (or the transport raised): the server's code, message and data, plus
 * the HTTP status (0 when the server could not be reached).
 */
public final class RemoteException extends DatahikeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  RemoteException(
      int status, Keyword code, String message, Map<Keyword, Object> data, Throwable cause) {
    super(code, message, data, cause);
    this.status = status;
  }

  /** The HTTP status of the answer; 0 when there was none. */
  public int status() {
    return status;
  }
}
