package datahike.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may call what. A request names its caller with {@code Authorization: token <token>} (also
 * accepted: {@code Bearer <token>}).
 *
 * <ul>
 *   <li>The {@code :token} may call every operation.
 *   <li>The {@code :read-only-token} may call operations that do not {@link
 *       datahike.api.Operation#mutates() mutate}; writes get 403.
 *   <li>A token that is neither gets 401, in dev mode too.
 *   <li>Without a token: reads are allowed in dev mode or when the server has no tokens at all;
 *       writes only in dev mode on a server without {@code :token}. Otherwise 401.
 * </ul>
 *
 * Tokens are compared in constant time. The check reads headers only, so a refused request is
 * answered before its body is read.
 */
final class Auth {
  private final byte[] token;
  private final byte[] readOnlyToken;
  private final boolean devMode;

  Auth(ServerConfig cfg) {
    this.token = bytes(cfg.token());
    this.readOnlyToken = bytes(cfg.readOnlyToken());
    this.devMode = cfg.devMode();
  }

  private static byte[] bytes(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  /** Throws 401 or 403 unless the request with this Authorization header may do it. */
  void check(String authorization, boolean mutates, String what) {
    byte[] presented = presented(authorization);
    if (presented != null) {
      if (token != null && MessageDigest.isEqual(presented, token)) return;
      if (readOnlyToken != null && MessageDigest.isEqual(presented, readOnlyToken)) {
        if (!mutates) return;
        throw ServerException.of(
            403,
            "server/forbidden",
            what + " changes data; the read-only token may not call it",
            "route",
            what);
      }
      throw ServerException.of(401, "server/unauthorized", "Invalid token", "route", what);
    }
    if (mutates) {
      if (devMode && token == null) return;
      throw ServerException.of(
          401,
          "server/unauthorized",
          token == null
              ? what + " changes data, and this server has no :token: writes are disabled"
              : what + " changes data and needs the header Authorization: token <token>",
          "route",
          what);
    }
    if (devMode || (token == null && readOnlyToken == null)) return;
    throw ServerException.of(
        401,
        "server/unauthorized",
        what + " needs the header Authorization: token <token>",
        "route",
        what);
  }

  /** The token of an Authorization header, or null when there is none. */
  private static byte[] presented(String header) {
    if (header == null || header.isBlank()) return null;
    String h = header.trim();
    int sp = h.indexOf(' ');
    if (sp > 0) {
      String scheme = h.substring(0, sp);
      if (scheme.equalsIgnoreCase("token") || scheme.equalsIgnoreCase("bearer")) {
        return h.substring(sp + 1).trim().getBytes(StandardCharsets.UTF_8);
      }
    }
    throw ServerException.of(
        401, "server/unauthorized", "Malformed Authorization header: expected \"token <token>\"");
  }
}
