package datahike.server;

import datahike.Config;
import datahike.Datahike;
import datahike.DatahikeException;
import datahike.api.Operation;
import datahike.edn.Keyword;
import datahike.server.codec.Format;
import datahike.server.codec.JsonCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server on Jetty's core handlers (no servlets). One handler dispatches by path: {@code GET
 * /health}, {@code GET /openapi.json}, {@code GET /metrics}, and {@code POST} on each remote
 * operation's {@link Operation#route()}.
 *
 * <p>A request to an operation goes: route → authentication (headers only, {@link Auth}) → body,
 * read up to {@code :max-body-bytes} (413 past it, by Content-Length or by counting) → decoding by
 * Content-Type → {@link Api} → encoding by Accept (defaulting to the request's format). Every error
 * is answered as JSON {@code {"error": ":code", "message": "...", "data": {...}}}, without stack
 * traces; unexpected exceptions are logged with an id that the answer names.
 */
final class ServerJetty implements Server {
  private static final Logger LOG = LoggerFactory.getLogger(ServerJetty.class);

  /** The header naming the basis of each database read without one, in argument order. */
  static final String BASIS_HEADER = "Datahike-Basis-T";

  private static final Keyword ERROR = Keyword.of("error");
  private static final Keyword MESSAGE = Keyword.of("message");
  private static final Keyword DATA = Keyword.of("data");

  private final ServerConfig cfg;
  private final org.eclipse.jetty.server.Server jetty;
  private final ServerConnector connector;
  private final GracefulHandler graceful;
  private final Databases dbs;
  private final Api api;
  private final Auth auth;
  private final ServerMetrics metrics;
  private final Map<String, Operation> routes = new HashMap<>();
  private final byte[] openApi = OpenApi.json();
  private volatile boolean closed;

  private ServerJetty(ServerConfig cfg) {
    this.cfg = cfg;
    this.dbs = new Databases(cfg.allowCreate());
    this.api = new Api(dbs, cfg);
    this.auth = new Auth(cfg);
    this.metrics = new ServerMetrics(dbs::openCount);
    for (Operation op : Operation.values()) if (op.remote()) routes.put(op.route(), op);
    QueuedThreadPool pool = new QueuedThreadPool(200, 8, 60_000);
    pool.setName("datahike-server");
    pool.setStopTimeout(200);
    jetty = new org.eclipse.jetty.server.Server(pool);
    HttpConfiguration hc = new HttpConfiguration();
    hc.setSendServerVersion(false);
    hc.setSendXPoweredBy(false);
    connector = new ServerConnector(jetty, new HttpConnectionFactory(hc));
    connector.setHost(cfg.bind());
    connector.setPort(cfg.port());
    // Longer than Jetty's 30 s: fewer pooled client connections closed under a client's feet.
    connector.setIdleTimeout(120_000);
    jetty.addConnector(connector);
    // GracefulHandler lets requests in flight finish when the server stops (up to the stop
    // timeout) while new ones are refused.
    graceful = new GracefulHandler();
    graceful.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            return ServerJetty.this.handle(request, response, callback);
          }
        });
    jetty.setHandler(graceful);
    jetty.setErrorHandler(new JsonErrorHandler());
    jetty.setStopTimeout(0);
  }

  /**
   * Registers the plugins' functions ({@link Plugins}), opens the configured databases (creating
   * missing ones), then starts listening.
   */
  static ServerJetty start(ServerConfig cfg) {
    // Before anything listens or opens: a request must not see a name its plugin registers later.
    Plugins.load(cfg.plugins());
    ServerJetty s = new ServerJetty(cfg);
    try {
      for (Config c : cfg.databases()) {
        if (!Datahike.databaseExists(c)) Datahike.createDatabase(c);
        s.dbs.register(c);
        s.dbs.open(c);
      }
      s.jetty.start();
    } catch (DatahikeException e) {
      s.close();
      throw e;
    } catch (Exception e) {
      s.close();
      throw DatahikeException.of(
          "server/start-failed",
          "Could not start the server on " + cfg.bind() + ":" + cfg.port() + ": " + e.getMessage(),
          "bind",
          cfg.bind(),
          "port",
          (long) cfg.port(),
          e);
    }
    return s;
  }

  @Override
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public String url() {
    String host = cfg.bind().contains(":") ? "[" + cfg.bind() + "]" : cfg.bind();
    if (host.equals("0.0.0.0")) host = "127.0.0.1";
    return "http://" + host + ":" + port();
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    try {
      // Refuse new requests and wait (briefly) for those in flight; then stop without waiting
      // for idle keep-alive connections, which Jetty's own graceful stop would.
      if (jetty.isStarted()) graceful.shutdown().get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("requests still running when the server stopped");
    }
    try {
      jetty.stop();
    } catch (Exception e) {
      LOG.warn("stopping the server failed", e);
    }
    dbs.close();
    metrics.close();
  }

  // ------------------------------------------------------------------ requests

  /** An answer: status, content type, body and extra headers. */
  private record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
    static Reply of(int status, String contentType, byte[] body) {
      return new Reply(status, contentType, body, Map.of());
    }

    Reply with(String header, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(header, value);
      return new Reply(status, contentType, body, h);
    }
  }

  private boolean handle(Request request, Response response, Callback callback) {
    long t0 = System.nanoTime();
    String path = Request.getPathInContext(request);
    Operation op = routes.get(path);
    String route =
        op != null
            ? op.route()
            : path.equals("/health") || path.equals("/openapi.json") ? path : "unknown";
    Reply reply;
    boolean[] bodyRead = {false};
    try {
      reply = dispatch(request, path, op, bodyRead);
    } catch (DatahikeException e) {
      reply = error(e);
    } catch (ClassCastException | IllegalArgumentException | NullPointerException e) {
      // The engine got an argument of the wrong shape (or nil): the request's fault.
      LOG.debug("bad argument on {}", route, e);
      reply =
          error(
              ServerException.badRequest(
                  "server/bad-argument",
                  "An argument has the wrong type or shape: " + e.getMessage()));
    } catch (StackOverflowError e) {
      reply =
          error(
              ServerException.of(
                  422, "server/too-deep", "The request nests too deeply to evaluate"));
    } catch (RuntimeException e) {
      reply = internal(e, route);
    }
    if (reply.status() >= 400 && !bodyRead[0] && hasBody(request)) {
      // The body was not read (refused before, or too large): close the connection rather than
      // leave its rest in the stream, and tell the client so it does not reuse the connection.
      reply = reply.with("Connection", "close");
    }
    send(response, callback, reply);
    metrics.request(route, reply.status(), System.nanoTime() - t0);
    return true;
  }

  private static boolean hasBody(Request request) {
    return request.getLength() != 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
  }

  private Reply dispatch(Request request, String path, Operation op, boolean[] bodyRead) {
    String method = request.getMethod();
    boolean get = method.equals("GET") || method.equals("HEAD");
    if (path.equals("/health")) {
      if (!get) throw notAllowed(path, "GET");
      Map<Keyword, Object> h = new LinkedHashMap<>();
      h.put(Keyword.of("status"), "ok");
      h.put(Keyword.of("open-databases"), (long) dbs.openCount());
      return Reply.of(200, Format.JSON.contentType(), JsonCodec.encode(h));
    }
    if (path.equals("/openapi.json")) {
      if (!get) throw notAllowed(path, "GET");
      return Reply.of(200, Format.JSON.contentType(), openApi);
    }
    if (op == null) {
      throw ServerException.of(
          404, "server/not-found", "No route " + path + "; see GET /openapi.json", "path", path);
    }
    if (get && path.equals("/metrics")) {
      auth.check(request.getHeaders().get(HttpHeader.AUTHORIZATION), false, "GET /metrics");
      return Reply.of(
          200,
          ServerMetrics.CONTENT_TYPE,
          metrics.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    if (!method.equals("POST"))
      throw notAllowed(path, path.equals("/metrics") ? "GET, POST" : "POST");
    auth.check(request.getHeaders().get(HttpHeader.AUTHORIZATION), op.mutates(), op.route());
    String ct = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    Format in = ct == null ? Format.JSON : Format.ofMediaType(ct);
    if (in == null) {
      throw ServerException.of(
          415,
          "server/unsupported-media-type",
          "Unsupported Content-Type "
              + ct
              + "; use application/json, application/edn or "
              + "application/transit+json",
          "content-type",
          ct);
    }
    Format out = accept(request.getHeaders().get(HttpHeader.ACCEPT), in);
    byte[] body = readBody(request);
    bodyRead[0] = true;
    Object args = body.length == 0 ? null : in.decode(body);
    Api.Call call = new Api.Call();
    Object result = api.call(op, args, call);
    byte[] bytes;
    try {
      bytes = out.encode(result);
    } catch (DatahikeException e) {
      throw ServerException.of(
          500,
          "server/unencodable",
          "The result cannot be written as " + out.mediaType() + ": " + e.getMessage());
    }
    Map<String, String> headers = Map.of();
    if (!call.basis.isEmpty()) {
      StringBuilder sb = new StringBuilder();
      for (Long t : call.basis) {
        if (sb.length() > 0) sb.append(',');
        sb.append(t);
      }
      headers = Map.of(BASIS_HEADER, sb.toString());
    }
    return new Reply(200, out.contentType(), bytes, headers);
  }

  /** The answer format: the first of ours the Accept header names, else the request's. */
  private static Format accept(String accept, Format request) {
    if (accept == null) return request;
    for (String range : accept.split(",")) {
      Format f = Format.ofMediaType(range);
      if (f != null) return f;
    }
    return request;
  }

  /**
   * Bytes of an oversized body that are read and dropped before the 413 goes out, as Tomcat's
   * {@code maxSwallowSize}: a client still sending the body when the server closes the connection
   * gets a reset (a broken pipe) instead of the answer. Past this much the connection is closed
   * anyway, so a huge upload cannot hold the server.
   */
  static final long SWALLOW_BYTES = 2L << 20;

  private byte[] readBody(Request request) {
    long max = cfg.maxBodyBytes();
    long len = request.getLength();
    byte[] chunk = new byte[16 * 1024];
    try (InputStream in = Request.asInputStream(request)) {
      if (len > max) {
        if (len - max <= SWALLOW_BYTES) swallow(in, chunk, len);
        throw tooLarge(len);
      }
      ByteArrayOutputStream buf = new ByteArrayOutputStream(len > 0 ? (int) len : 1024);
      long total = 0;
      int n;
      while ((n = in.read(chunk)) != -1) {
        total += n;
        if (total > max) {
          swallow(in, chunk, SWALLOW_BYTES);
          throw tooLarge(total);
        }
        buf.write(chunk, 0, n);
      }
      return buf.toByteArray();
    } catch (IOException e) {
      throw ServerException.badRequest(
          "server/bad-body", "Could not read the body: " + e.getMessage());
    }
  }

  /** Reads and drops up to {@code limit} more bytes of {@code in}; stops early at its end. */
  private static void swallow(InputStream in, byte[] chunk, long limit) throws IOException {
    long left = limit;
    int n;
    while (left > 0 && (n = in.read(chunk, 0, (int) Math.min(chunk.length, left))) != -1) {
      left -= n;
    }
  }

  private ServerException tooLarge(long size) {
    return ServerException.of(
        413,
        "server/body-too-large",
        "The request body exceeds the server's limit of " + cfg.maxBodyBytes() + " bytes",
        "max-body-bytes",
        cfg.maxBodyBytes(),
        "size",
        size);
  }

  private static ServerException notAllowed(String path, String allow) {
    return ServerException.of(
        405, "server/method-not-allowed", path + " answers " + allow, "allow", allow);
  }

  private Reply error(DatahikeException e) {
    int status = ServerException.status(e);
    metrics.error(e.code().fullName());
    Map<String, String> headers = new LinkedHashMap<>();
    if (status == 401) headers.put("WWW-Authenticate", "Token");
    if (status == 405 && e.data().get(Keyword.of("allow")) instanceof String allow) {
      headers.put("Allow", allow);
    }
    return new Reply(
        status, Format.JSON.contentType(), errorBody(e.code(), e.getMessage(), e.data()), headers);
  }

  private Reply internal(RuntimeException e, String route) {
    String id = UUID.randomUUID().toString();
    LOG.error("internal error {} on {}", id, route, e);
    metrics.error("server/internal");
    return Reply.of(
        500,
        Format.JSON.contentType(),
        errorBody(
            Keyword.of("server/internal"),
            "Internal server error; the server log names it " + id,
            Map.of(Keyword.of("error-id"), id)));
  }

  /** {@code {"error": ":code", "message": "...", "data": {...}}}; secrets in data redacted. */
  static byte[] errorBody(Keyword code, String message, Map<Keyword, Object> data) {
    Map<Keyword, Object> m = new LinkedHashMap<>();
    m.put(ERROR, code);
    m.put(MESSAGE, message == null ? code.fullName() : message);
    Map<Keyword, Object> d = new LinkedHashMap<>();
    for (Map.Entry<Keyword, Object> en : data.entrySet()) {
      String k = en.getKey().name();
      boolean secret = k.contains("token") || k.contains("password") || k.contains("secret");
      d.put(en.getKey(), secret ? "(redacted)" : en.getValue());
    }
    m.put(DATA, d);
    try {
      return JsonCodec.encodeLenient(m);
    } catch (DatahikeException e) {
      m.put(DATA, Map.of());
      return JsonCodec.encodeLenient(m);
    }
  }

  private static void send(Response response, Callback callback, Reply reply) {
    response.setStatus(reply.status());
    HttpFields.Mutable h = response.getHeaders();
    h.put(HttpHeader.CONTENT_TYPE, reply.contentType());
    h.put(HttpHeader.CACHE_CONTROL, "no-store");
    for (Map.Entry<String, String> e : reply.headers().entrySet()) h.put(e.getKey(), e.getValue());
    response.write(true, ByteBuffer.wrap(reply.body()), callback);
  }

  /** Jetty's own errors (bad HTTP, failures outside the handler) as JSON too. */
  private static final class JsonErrorHandler extends ErrorHandler {
    JsonErrorHandler() {
      setShowStacks(false);
      setShowCauses(false);
    }

    @Override
    protected void generateResponse(
        Request request,
        Response response,
        int code,
        String message,
        Throwable cause,
        Callback callback) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, Format.JSON.contentType());
      response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    private static byte[] body(int code, String message) {
      String reason = HttpStatus.getMessage(code);
      return errorBody(
          Keyword.of("server/http-" + code),
          message == null || message.isBlank() ? reason : message,
          Map.of(Keyword.of("status"), (long) code));
    }
  }

  /** For tests: the operations with routes. */
  List<Operation> routed() {
    return List.copyOf(routes.values());
  }
}
