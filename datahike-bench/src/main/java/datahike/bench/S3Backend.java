package datahike.bench;

import datahike.store.s3.S3TestServer;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 store on s3proxy started in this process ({@link S3TestServer}, as the store's tests do):
 * one bucket for the run, one key prefix per bench database; closing deletes every object left, the
 * bucket, and stops the server. Figures are loopback HTTP to an in-memory blob store, the store's
 * request pattern without a network's latency.
 */
final class S3Backend extends Backend {
  private static final String BUCKET = "datahike-bench";

  private S3TestServer server;
  private String startError;

  S3Backend() {
    super("s3", "s3");
  }

  @Override
  String serverUnavailable() {
    if (server == null && startError == null) {
      try {
        server = S3TestServer.start();
        server.createBucket(BUCKET);
      } catch (RuntimeException | LinkageError e) {
        startError = "cannot start s3proxy in-process: " + e;
        if (server != null) {
          server.close();
          server = null;
        }
      }
    }
    return startError;
  }

  @Override
  String storeEdn(String id) {
    if (server == null) {
      throw new IllegalStateException("s3: the server is not running (" + startError + ")");
    }
    return "{:backend :s3 :bucket "
        + edn(BUCKET)
        + " :region \"us-east-1\" :endpoint "
        + edn(server.endpoint())
        + " :path-style true :access-key "
        + edn(S3TestServer.ACCESS_KEY)
        + " :secret-key "
        + edn(S3TestServer.SECRET_KEY)
        + " :prefix "
        + edn(id)
        + " :id "
        + edn(id)
        + "}";
  }

  @Override
  String cleanUp(String id) {
    if (server == null) {
      return null;
    }
    int n = deleteObjects(id + "/");
    return n == 0 ? null : n + " S3 objects under " + id + "/";
  }

  /** Deletes every object under {@code prefix}; returns how many there were. */
  private int deleteObjects(String prefix) {
    try (S3Client c = S3TestServer.client(server.endpoint())) {
      List<S3Object> objs =
          c.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
              .toList();
      for (S3Object o : objs) {
        c.deleteObject(b -> b.bucket(BUCKET).key(o.key()));
      }
      return objs.size();
    }
  }

  @Override
  public void close() {
    if (server == null) {
      return;
    }
    try {
      deleteObjects("");
      try (S3Client c = S3TestServer.client(server.endpoint())) {
        c.deleteBucket(b -> b.bucket(BUCKET));
      }
    } finally {
      server.close();
      server = null;
    }
  }
}
