package datahike.store.s3;

import datahike.DatahikeException;
import datahike.store.BlobFrame;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The S3 store's writer lock: a lease object {@code <prefix>lock}, frame KIND_BLOB whose payload is
 * UTF-8 lines {@code key value}: {@code state} ({@code held} or {@code free}), {@code holder} (a
 * random id per acquisition), {@code pid}, {@code host}, {@code lease-ms}, {@code renewal} (a
 * counter, so every renewal changes the object and its ETag).
 *
 * <p>Every change is a conditional PUT: creating with {@code If-None-Match: *}, renewing, releasing
 * and taking over with {@code If-Match: <etag last seen>}, so of two processes racing for the lease
 * exactly one wins. A holder renews every quarter of the lease (and once more, synchronously,
 * before an append that finds its lease lapsed); a waiter takes over a held lease only after it has
 * seen the same ETag unchanged for a whole lease period on its own monotonic clock. The holder
 * counts its validity from the moment it <i>sent</i> its last successful renewal, minus a tenth of
 * the lease for clock-rate drift, so it stops writing before a waiter can take over: no comparison
 * of wall clocks between machines is involved (the lease argument of Gray and Cheriton, 1989).
 *
 * <p>Fencing: {@link #check} is called before every log append; an expired or lost lease fails with
 * {@code :store/locked}. As a last guard the log objects themselves are created with {@code
 * If-None-Match: *}, so two writers can never both write the same sequence number.
 *
 * <p>A process that dies holding the lease blocks other writers for one lease period ({@code
 * :lease-ms}, default 10 s); a clean release frees it at once.
 */
final class S3Lease {
  static final String NAME = "lock";
  private static final long POLL_MS = 50;

  private static final ScheduledExecutorService RENEWER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "datahike-s3-lease-renewer");
            t.setDaemon(true);
            return t;
          });

  private static final String HOST = host();

  private final S3Bucket bucket;

  /** Held around every request that changes the lease object, so renewal and release never race. */
  private final Object io = new Object();

  private final String holder;
  private final long leaseNanos;
  private final long marginNanos;
  private long renewal;
  private String etag;
  private long validUntil;
  private boolean lost;
  private boolean released;
  private volatile ScheduledFuture<?> renewing;

  private S3Lease(S3Bucket bucket, String holder, long leaseMs, String etag, long sentAt) {
    this.bucket = bucket;
    this.holder = holder;
    this.leaseNanos = TimeUnit.MILLISECONDS.toNanos(leaseMs);
    this.marginNanos = leaseNanos / 10;
    this.etag = etag;
    this.validUntil = sentAt + leaseNanos - marginNanos;
  }

  /** Takes the lease of {@code bucket}'s store, waiting up to {@code wait}. */
  static S3Lease acquire(S3Bucket bucket, Duration wait) {
    long leaseMs = bucket.config().leaseMs();
    long deadline = System.nanoTime() + Math.max(0, wait.toNanos());
    String holder = UUID.randomUUID().toString();
    byte[] mine = encode(held(holder, leaseMs, 0));
    String seenEtag = null;
    long seenAt = 0;
    Map<String, String> seen = null;
    while (true) {
      S3Bucket.Got cur = bucket.get(NAME);
      long sent = System.nanoTime();
      String etag = null;
      if (cur == null) {
        etag = bucket.putIfAbsent(NAME, mine);
      } else {
        Map<String, String> lease = decode(bucket, cur.bytes());
        if (!"held".equals(lease.get("state"))) {
          etag = bucket.putIfMatch(NAME, mine, cur.etag());
        } else {
          if (!cur.etag().equals(seenEtag)) {
            seenEtag = cur.etag();
            seenAt = sent;
            seen = lease;
          }
          long theirs = TimeUnit.MILLISECONDS.toNanos(parseLong(lease.get("lease-ms"), leaseMs));
          if (sent - seenAt > theirs) {
            etag = bucket.putIfMatch(NAME, mine, cur.etag()); // expired: take it over
          }
        }
      }
      if (etag != null) {
        S3Lease l = new S3Lease(bucket, holder, leaseMs, etag, sent);
        l.schedule();
        return l;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        String who =
            seen == null
                ? "another writer"
                : "process " + seen.get("pid") + " on " + seen.get("host");
        throw DatahikeException.of(
            "store/locked",
            "the S3 store "
                + bucket.config().where()
                + " already has a writer ("
                + who
                + "); waited "
                + wait,
            "holder",
            who,
            "waited-ms",
            wait.toMillis());
      }
      sleep(Math.min(POLL_MS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
    }
  }

  private void schedule() {
    long period = Math.max(1, TimeUnit.NANOSECONDS.toMillis(leaseNanos) / 4);
    renewing = RENEWER.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
  }

  /** One renewal: a conditional PUT of the next renewal counter. */
  private void renew() {
    synchronized (io) {
      renewOnce();
    }
  }

  private void renewOnce() {
    byte[] next;
    String expect;
    synchronized (this) {
      if (released || lost) {
        return;
      }
      next = encode(held(holder, TimeUnit.NANOSECONDS.toMillis(leaseNanos), renewal + 1));
      expect = etag;
    }
    long sent = System.nanoTime();
    try {
      String e = bucket.putIfMatch(NAME, next, expect);
      synchronized (this) {
        if (e == null) {
          lost = true;
        } else {
          renewal++;
          etag = e;
          validUntil = sent + leaseNanos - marginNanos;
        }
      }
    } catch (RuntimeException e) {
      // A failed renewal is retried at the next tick (or by check()); the lease lapses if none
      // succeeds in time.
    }
  }

  /**
   * Fails with {@code :store/locked} unless this lease is held and valid now (fencing). A lease
   * whose background renewals fell behind (a loaded machine, a slow network) is renewed here once,
   * synchronously: a conditional PUT that succeeds proves nobody took the lease over.
   */
  void check() {
    if (why() == null) {
      return;
    }
    synchronized (io) {
      if (why() != null && !released && !lost) {
        renewOnce();
      }
    }
    String why = why();
    if (why != null) {
      throw DatahikeException.of(
          "store/locked",
          "the writer lease of " + bucket.config().where() + " " + why + "; take the lock again",
          "holder",
          holder);
    }
  }

  private synchronized String why() {
    return released
        ? "was released"
        : lost
            ? "was taken over by another writer"
            : System.nanoTime() >= validUntil ? "expired (renewals failed)" : null;
  }

  /** Marks the lease lost (another writer wrote where only the holder may). */
  synchronized void markLost() {
    lost = true;
  }

  /** Releases the lease: stops renewing and marks the object free. Idempotent. */
  void release() {
    if (renewing != null) {
      renewing.cancel(false);
    }
    synchronized (io) {
      releaseOnce();
    }
  }

  private void releaseOnce() {
    String expect;
    synchronized (this) {
      if (released) {
        return;
      }
      released = true;
      expect = lost ? null : etag;
    }
    if (expect != null) {
      try {
        Map<String, String> free = new LinkedHashMap<>();
        free.put("state", "free");
        free.put("holder", holder);
        bucket.putIfMatch(NAME, encode(free), expect);
      } catch (RuntimeException e) {
        // Unreleased, the lease expires by itself.
      }
    }
  }

  private static Map<String, String> held(String holder, long leaseMs, long renewal) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("state", "held");
    m.put("holder", holder);
    m.put("pid", Long.toString(ProcessHandle.current().pid()));
    m.put("host", HOST);
    m.put("lease-ms", Long.toString(leaseMs));
    m.put("renewal", Long.toString(renewal));
    return m;
  }

  private static byte[] encode(Map<String, String> lease) {
    StringBuilder sb = new StringBuilder();
    lease.forEach((k, v) -> sb.append(k).append(' ').append(v).append('\n'));
    return BlobFrame.encode(BlobFrame.KIND_BLOB, sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> decode(S3Bucket bucket, byte[] framed) {
    String where = bucket.config().where() + NAME;
    byte[] p = BlobFrame.decode(where, framed, BlobFrame.KIND_BLOB).payload();
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : new String(p, StandardCharsets.UTF_8).split("\n")) {
      int sp = line.indexOf(' ');
      if (sp > 0) {
        m.put(line.substring(0, sp), line.substring(sp + 1));
      }
    }
    return m;
  }

  private static long parseLong(String s, long dflt) {
    try {
      return s == null ? dflt : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return dflt;
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "unknown-host";
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DatahikeException.of("store/locked", "interrupted waiting for the writer lock");
    }
  }
}
