package datahike.store.redis;

import datahike.reliability.CrashBackend;
import datahike.reliability.CrashLoop;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 cycles with a Redis database (core's crash loop, CI-sized). The killed process is the
 * client: the machine's Redis runs without persistence, so what this proves is that everything a
 * killed client saw acknowledged is in Redis whole, nothing half-written shows, and the dead
 * client's writer lease lapses (2 s) so the next writer goes on. A Redis server crash is out of
 * scope. The long mode is {@code ./datahike stress crash --backend redis --cycles N}.
 */
class RedisCrashTest {
  @TempDir Path dir;

  @Test
  void killedClients_loseNoAcknowledgedTransaction() throws Exception {
    RedisTestServer.require();
    CrashLoop.assertNothingLost(
        dir, CrashBackend.named("redis"), Integer.getInteger("datahike.crash.cycles", 5), false);
  }
}
