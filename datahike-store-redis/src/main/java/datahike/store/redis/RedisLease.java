package datahike.store.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The writer lock of a Redis store: the key {@code {p}:lock} set with {@code SET NX PX lease} to a
 * token naming the holder ({@code "process <pid> <uuid>"}), renewed every third of the lease by a
 * background thread while held, deleted on release only if it still holds the token.
 *
 * <p>A holder that dies stops renewing, so its lock goes when the lease ends; a holder that only
 * stalls past its lease loses the lock too, and its next append or truncation fails the token check
 * in the script (fencing), so it can never write beside its successor.
 */
final class RedisLease {
  /** Renews every lease of this JVM; daemon, so it never keeps the JVM alive. */
  private static final ScheduledExecutorService RENEWER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "datahike-redis-lease");
            t.setDaemon(true);
            return t;
          });

  private final RedisCommands<byte[], byte[]> redis;
  private final byte[] key;
  private final byte[] token;
  private final long leaseMs;
  private final ScheduledFuture<?> renewal;
  private boolean released;

  private RedisLease(RedisCommands<byte[], byte[]> redis, byte[] key, byte[] token, long leaseMs) {
    this.redis = redis;
    this.key = key;
    this.token = token;
    this.leaseMs = leaseMs;
    long every = Math.max(50, leaseMs / 3);
    this.renewal = RENEWER.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the lock {@code key} for {@code token}, trying until {@code deadline} ({@link
   * System#nanoTime}); null when another holder kept it that long.
   */
  static RedisLease acquire(
      RedisCommands<byte[], byte[]> redis, byte[] key, byte[] token, long leaseMs, long deadline)
      throws InterruptedException {
    SetArgs args = SetArgs.Builder.nx().px(leaseMs);
    while (true) {
      if ("OK".equals(redis.set(key, token, args))) {
        return new RedisLease(redis, key, token, leaseMs);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      Thread.sleep(Math.max(1, Math.min(20, TimeUnit.NANOSECONDS.toMillis(left))));
    }
  }

  private void renew() {
    try {
      Long ok =
          Scripts.RENEW.run(
              redis, ScriptOutputType.INTEGER, new byte[][] {key}, token, RedisLog.ascii(leaseMs));
      if (ok == null || ok == 0) {
        renewal.cancel(false); // lost: the fence fails our next write
      }
    } catch (RedisException e) {
      // Try again next round; if the lease runs out meanwhile, the fence stops our writes.
    }
  }

  /** The token this lease holds the lock with. */
  byte[] token() {
    return token;
  }

  /** Stops renewing and deletes the lock if it still holds this token. Idempotent. */
  synchronized void release() {
    if (released) {
      return;
    }
    released = true;
    renewal.cancel(false);
    try {
      Scripts.UNLOCK.run(redis, ScriptOutputType.INTEGER, new byte[][] {key}, token);
    } catch (RedisException e) {
      // The lease runs out by itself.
    }
  }
}
