package datahike.store.s3;

import datahike.reliability.CrashBackend;
import datahike.reliability.CrashLoop;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 cycles with an S3 database (core's crash loop, CI-sized) on the in-process S3 server of
 * this test JVM. The killed process is the client: everything it saw acknowledged is in the bucket
 * whole, nothing half-written shows, and its writer lease (2 s here) lapses so the next writer goes
 * on. The long mode runs against any S3 endpoint: {@code ./datahike stress crash --store '{:backend
 * :s3 :endpoint ... :bucket ... :prefix "@NAME@/"}'}.
 */
class S3CrashTest {
  static final String BUCKET = "crash";
  static S3TestServer server;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    server = S3TestServer.start();
    server.createBucket(BUCKET);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void killedClients_loseNoAcknowledgedTransaction() throws Exception {
    CrashBackend s3 =
        new CrashBackend(
            "s3",
            "{:backend :s3 :endpoint \""
                + server.endpoint()
                + "\" :bucket \""
                + BUCKET
                + "\" :access-key \""
                + S3TestServer.ACCESS_KEY
                + "\" :secret-key \""
                + S3TestServer.SECRET_KEY
                + "\" :prefix \"@NAME@/\" :lease-ms 2000}");
    CrashLoop.assertNothingLost(dir, s3, Integer.getInteger("datahike.crash.cycles", 5), false);
  }
}
