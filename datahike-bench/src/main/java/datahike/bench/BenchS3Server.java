package datahike.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 server of the bench's {@code s3} backend, a copy of datahike-store-s3's test {@code
 * S3TestServer} (test classes are not on the bench class path): s3proxy 2.7.0 in-process on a
 * loopback port, over jclouds' in-memory ("transient") blob store, with a small precondition filter
 * in front of it.
 *
 * <p>Why the filter: s3proxy 2.7.0 ignores {@code If-None-Match} and {@code If-Match} on PUT (its
 * {@code handlePutBlob} never reads them; {@code S3ProxyConditionalTest} shows a second {@code
 * If-None-Match: *} PUT succeeding), while AWS S3, MinIO and R2 honour them and the store depends
 * on them for atomic compare-and-set. The filter, a JDK {@code HttpServer}, does what AWS does: for
 * a PUT carrying either header it asks s3proxy for the object's ETag and answers 412 {@code
 * PreconditionFailed} (or 404 for {@code If-Match} on a missing object) when the condition fails;
 * every PUT and DELETE of one key is serialised by a lock stripe, so check and write are atomic.
 * Everything else is forwarded unchanged (s3proxy runs without authentication, so the forwarded
 * request needs no re-signing).
 */
final class BenchS3Server implements AutoCloseable {
  static final String ACCESS_KEY = "test-access";
  static final String SECRET_KEY = "test-secret";
  private static final Set<String> HOP =
      Set.of(
          "host",
          "connection",
          "content-length",
          "expect",
          "upgrade",
          "transfer-encoding",
          "te",
          "trailer",
          "keep-alive",
          "date",
          "if-match",
          "if-none-match");

  private final S3Proxy proxy;
  private final HttpServer front;
  private final ExecutorService frontPool;
  private final HttpClient http;
  private final String upstream;
  private final ReentrantLock[] stripes = new ReentrantLock[128];

  static {
    // The JDK server writes headers and body separately; without TCP_NODELAY every response with
    // a body waits out a delayed ACK (40 ms).
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private BenchS3Server() throws Exception {
    BlobStoreContext ctx =
        ContextBuilder.newBuilder("transient")
            .credentials("identity", "credential")
            .build(BlobStoreContext.class);
    proxy =
        S3Proxy.builder()
            .blobStore(ctx.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.NONE, null, null)
            .jettyMaxThreads(64)
            .build();
    proxy.start();
    while (!proxy.getState().equals("STARTED")) {
      Thread.sleep(10);
    }
    upstream = "http://127.0.0.1:" + proxy.getPort();
    for (int i = 0; i < stripes.length; i++) {
      stripes[i] = new ReentrantLock();
    }
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    front = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
    frontPool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "s3-precondition-filter");
              t.setDaemon(true);
              return t;
            });
    front.setExecutor(frontPool);
    front.createContext("/", this::handle);
    front.start();
  }

  /** Starts a server. */
  static BenchS3Server start() {
    try {
      return new BenchS3Server();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start s3proxy", e);
    }
  }

  /** The endpoint with conditional writes enforced (what the store needs). */
  String endpoint() {
    return "http://127.0.0.1:" + front.getAddress().getPort();
  }

  /** A plain SDK client of {@code endpoint}, for buckets and for reaching behind the store. */
  static S3Client client(String endpoint) {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  /** Creates {@code bucket} if it is missing. */
  void createBucket(String bucket) {
    try (S3Client c = client(endpoint())) {
      if (c.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
        c.createBucket(b -> b.bucket(bucket));
      }
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      URI uri = ex.getRequestURI();
      String path = uri.getRawPath();
      byte[] body = ex.getRequestBody().readAllBytes();
      boolean write = method.equals("PUT") || method.equals("DELETE");
      ReentrantLock lock = write ? stripes[Math.floorMod(path.hashCode(), stripes.length)] : null;
      if (lock != null) {
        lock.lock();
      }
      try {
        String ifNoneMatch = ex.getRequestHeaders().getFirst("If-None-Match");
        String ifMatch = ex.getRequestHeaders().getFirst("If-Match");
        if (method.equals("PUT")
            && uri.getRawQuery() == null
            && (ifNoneMatch != null || ifMatch != null)) {
          HttpResponse<byte[]> head =
              http.send(
                  HttpRequest.newBuilder(URI.create(upstream + path))
                      .method("HEAD", HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
          String etag =
              head.statusCode() == 200 ? head.headers().firstValue("ETag").orElse("") : null;
          if ("*".equals(ifNoneMatch) && etag != null) {
            error(ex, 412, "PreconditionFailed");
            return;
          }
          if (ifMatch != null && etag == null) {
            error(ex, 404, "NoSuchKey");
            return;
          }
          if (ifMatch != null && !unquote(ifMatch).equals(unquote(etag))) {
            error(ex, 412, "PreconditionFailed");
            return;
          }
        }
        forward(ex, method, uri, body);
      } finally {
        if (lock != null) {
          lock.unlock();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void forward(HttpExchange ex, String method, URI uri, byte[] body)
      throws IOException, InterruptedException {
    String target =
        upstream + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    HttpRequest.Builder rb =
        HttpRequest.newBuilder(URI.create(target))
            .method(
                method,
                body.length == 0 && !method.equals("PUT") && !method.equals("POST")
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
      if (HOP.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
        continue;
      }
      for (String v : h.getValue()) {
        try {
          rb.header(h.getKey(), v);
        } catch (IllegalArgumentException restricted) {
          // a header the JDK client sets itself
        }
      }
    }
    HttpResponse<byte[]> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
    for (Map.Entry<String, List<String>> h : r.headers().map().entrySet()) {
      String k = h.getKey().toLowerCase(java.util.Locale.ROOT);
      if (k.equals(":status") || HOP.contains(k)) {
        continue;
      }
      ex.getResponseHeaders().put(h.getKey(), h.getValue());
    }
    byte[] out = r.body();
    boolean noBody = method.equals("HEAD") || r.statusCode() == 204 || r.statusCode() == 304;
    ex.sendResponseHeaders(r.statusCode(), noBody || out.length == 0 ? -1 : out.length);
    if (!noBody && out.length > 0) {
      ex.getResponseBody().write(out);
    }
  }

  private static void error(HttpExchange ex, int status, String code) throws IOException {
    byte[] xml =
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
                + code
                + "</Code><Message>At least one of the pre-conditions you specified did not hold"
                + "</Message><RequestId>filter</RequestId></Error>")
            .getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/xml");
    ex.sendResponseHeaders(status, xml.length);
    ex.getResponseBody().write(xml);
  }

  private static String unquote(String etag) {
    String s = etag.trim();
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")
        ? s.substring(1, s.length() - 1)
        : s;
  }

  @Override
  public void close() {
    front.stop(0);
    frontPool.shutdownNow();
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop s3proxy", e);
    }
  }
}
