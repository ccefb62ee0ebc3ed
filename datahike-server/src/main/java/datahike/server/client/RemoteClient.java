package datahike.server.client;

import datahike.DatahikeException;
import datahike.api.Operation;
import datahike.edn.Keyword;
import datahike.server.codec.Format;
import datahike.server.codec.JsonCodec;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The transport: one {@code POST} per operation call to the server's route for it, the arguments as
 * a map by name in the peer's format, the answer decoded, an error answer raised as a {@link
 * RemoteException} with the server's code.
 *
 * <p>{@link RemoteDatabase} arguments are sent as {@code #datahike/DB} references; anything else
 * that is not data fails first ({@link Sendable}). A database
 * without a basis (fresh from {@link RemoteConnection#db()}) is pinned to the basis the server
 * reports in the {@code Datahike-Basis-T} header, which lists the basis of every unpinned database
 * it resolved in argument order, the same order in which this class sends them.
 *
 * <p>All clients share one JDK {@link HttpClient} (HTTP/1.1, keep-alive), which is thread-safe.
 */
final class RemoteClient {
  static final String BASIS_HEADER = "Datahike-Basis-T";

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private static final Keyword QUERY = Keyword.of("query");
  private static final Keyword ARGS = Keyword.of("args");

  final RemotePeer peer;

  RemoteClient(RemotePeer peer) {
    this.peer = peer;
  }

  /** A request being prepared: the body and the unpinned databases in it, in order. */
  private static final class Prepared {
    final Map<Keyword, Object> body = new LinkedHashMap<>();
    final List<RemoteDatabase> unpinned = new ArrayList<>();
  }

  /** Calls {@code op} with arguments by name (in the operation's order) and returns the result. */
  Object call(Operation op, Map<String, Object> args) {
    Prepared p = prepare(op, args);
    HttpRequest req = request(op, p);
    HttpResponse<byte[]> resp;
    try {
      try {
        resp = HTTP.send(req, HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        // A pooled keep-alive connection the server closed meanwhile fails the next request on
        // it. Reads are safe to send again; a write is not (it may have been applied), so its
        // caller gets the error, status 0: outcome unknown.
        if (op.mutates()) throw e;
        resp = HTTP.send(req, HttpResponse.BodyHandlers.ofByteArray());
      }
    } catch (IOException e) {
      throw unreachable(op, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RemoteException(
          0,
          Keyword.of("remote/interrupted"),
          "Interrupted while calling " + op.route(),
          Map.of(),
          e);
    }
    return answer(op, p, resp);
  }

  /** As {@link #call}, without blocking. */
  CompletableFuture<Object> callAsync(Operation op, Map<String, Object> args) {
    Prepared p = prepare(op, args);
    return HTTP.sendAsync(request(op, p), HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (resp, err) -> {
              if (err != null) {
                Throwable c =
                    err instanceof CompletionException && err.getCause() != null
                        ? err.getCause()
                        : err;
                throw new CompletionException(
                    c instanceof IOException io ? unreachable(op, io) : c);
              }
              return answer(op, p, resp);
            });
  }

  private Prepared prepare(Operation op, Map<String, Object> args) {
    Prepared p = new Prepared();
    for (Operation.Arg a : op.args()) {
      if (!args.containsKey(a.name())) continue;
      Object v = args.get(a.name());
      if (a.type() == Operation.ArgType.VARARGS && v instanceof List<?> l) {
        List<Object> out = new ArrayList<>(l.size());
        for (Object x : l) out.add(ref(x, p));
        v = out;
      } else if (a.name().equals("query")
          && v instanceof Map<?, ?> m
          && m.get(ARGS) != null
          && m.containsKey(QUERY)) {
        Map<Object, Object> q = new LinkedHashMap<>(m);
        List<Object> out = new ArrayList<>();
        for (Object x : (List<?>) m.get(ARGS)) out.add(ref(x, p));
        q.put(ARGS, out);
        v = q;
      } else {
        v = ref(v, p);
      }
      p.body.put(Keyword.of(a.name()), v);
    }
    Sendable.check(op.javaName(), p.body);
    return p;
  }

  private Object ref(Object v, Prepared p) {
    if (!(v instanceof RemoteDatabase db)) return v;
    if (db.client() != this && !db.client().peer.url().equals(peer.url())) {
      throw DatahikeException.of(
          "remote/foreign-database",
          "A database of " + db.client().peer.url() + " cannot be used on " + peer.url(),
          "url",
          db.client().peer.url().toString());
    }
    if (db.basisOrNull() == null) p.unpinned.add(db);
    return db.toRef();
  }

  private HttpRequest request(Operation op, Prepared p) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(peer.url().resolve(peer.url().getPath() + op.route()))
            .timeout(peer.timeout())
            .header("Content-Type", peer.format().contentType())
            .header("Accept", peer.format().mediaType())
            .POST(HttpRequest.BodyPublishers.ofByteArray(peer.format().encode(p.body)));
    if (peer.token() != null) b.header("Authorization", "token " + peer.token());
    return b.build();
  }

  private Object answer(Operation op, Prepared p, HttpResponse<byte[]> resp) {
    if (resp.statusCode() != 200) throw error(op, resp);
    String basis = resp.headers().firstValue(BASIS_HEADER).orElse(null);
    if (basis != null && !p.unpinned.isEmpty()) {
      String[] ts = basis.split(",");
      for (int i = 0; i < ts.length && i < p.unpinned.size(); i++) {
        p.unpinned.get(i).pin(Long.parseLong(ts[i].trim()));
      }
    }
    Format f = resp.headers().firstValue("Content-Type").map(Format::ofMediaType).orElse(null);
    return (f == null ? peer.format() : f).decode(resp.body());
  }

  private RemoteException error(Operation op, HttpResponse<byte[]> resp) {
    int status = resp.statusCode();
    try {
      if (JsonCodec.decode(resp.body()) instanceof Map<?, ?> m
          && m.get(Keyword.of("error")) instanceof Keyword code) {
        Object msg = m.get(Keyword.of("message"));
        Map<Keyword, Object> data = new LinkedHashMap<>();
        if (m.get(Keyword.of("data")) instanceof Map<?, ?> d) {
          for (Map.Entry<?, ?> e : d.entrySet()) {
            if (e.getKey() instanceof Keyword k) data.put(k, e.getValue());
          }
        }
        return new RemoteException(status, code, String.valueOf(msg), data, null);
      }
    } catch (DatahikeException e) {
      // Not our JSON error body: fall through to a generic error.
    }
    return new RemoteException(
        status,
        Keyword.of("remote/http-" + status),
        op.route() + " answered HTTP " + status,
        Map.of(Keyword.of("status"), (long) status),
        null);
  }

  private RemoteException unreachable(Operation op, IOException e) {
    return new RemoteException(
        0,
        Keyword.of("remote/unreachable"),
        "Cannot reach the Datahike server at "
            + peer.url()
            + " ("
            + op.route()
            + "): "
            + e.getMessage()
            + (op.mutates() ? "; the server may or may not have applied the call" : ""),
        Map.of(Keyword.of("url"), peer.url().toString()),
        e);
  }
}
