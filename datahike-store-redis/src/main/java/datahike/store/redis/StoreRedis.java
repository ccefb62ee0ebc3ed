package datahike.store.redis;

import datahike.DatahikeException;
import datahike.store.BlobFrame;
import datahike.store.LogCodec;
import datahike.store.LogEntry;
import datahike.store.Store;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Redis backend: a store in the keys of one Redis database under the prefix {@code p}, all
 * sharing the hash tag {@code {p}} (one cluster slot, as the scripts need):
 *
 * <pre>
 * {p}:format     the store marker, frame KIND_FORMAT ({@code exists} means this key exists)
 * {p}:b:&lt;key&gt;    one blob, frame KIND_BLOB
 * {p}:keys       set of all blob keys, kept with the blobs in one script (for {@code list})
 * {p}:head       the head, frame KIND_HEAD, payload: version (8) + head bytes
 * {p}:log:&lt;seq&gt;  one log group, keyed by its first sequence; see {@link RedisLog}
 * {p}:logidx     sorted set of the groups' first sequences
 * {p}:seq        the last sequence number handed out
 * {p}:lock       the writer lock: token with a lease; see {@link RedisLease}
 * </pre>
 *
 * <p>Every item is framed ({@link BlobFrame}) like the file store's, so damage is reported, never
 * decoded. The head's compare-and-set is one script comparing the stored frame (whose version
 * counter makes every write distinct) and replacing it.
 *
 * <p><b>Durability</b>: a call returns once Redis has applied the write. That survives the crash of
 * this process and of any client, but whether it survives a restart of Redis depends on the
 * server's persistence (AOF with {@code appendfsync always} for every acknowledged write; RDB
 * snapshots or {@code everysec} lose the last moments; without persistence, everything). This store
 * does not change server settings.
 */
final class StoreRedis implements Store {
  private static final String FORMAT_TEXT = "datahike-java redis store";

  /** Event loops shared by every store of this JVM (Lettuce's threads are daemons). */
  private static volatile ClientResources resources;

  /** The keys of one store. */
  record Keys(String tag) {
    byte[] key(String suffix) {
      return (tag + ":" + suffix).getBytes(StandardCharsets.UTF_8);
    }

    byte[] format() {
      return key("format");
    }

    byte[] blob(String name) {
      return key("b:" + name);
    }

    byte[] blobSet() {
      return key("keys");
    }

    byte[] head() {
      return key("head");
    }

    byte[] logIndex() {
      return key("logidx");
    }

    byte[] seq() {
      return key("seq");
    }

    byte[] lock() {
      return key("lock");
    }

    String groupPrefix() {
      return tag + ":log:";
    }
  }

  private final RedisConfig cfg;
  private final RedisClient client;
  private final StatefulRedisConnection<byte[], byte[]> conn;
  private final RedisCommands<byte[], byte[]> redis;
  private final Keys keys;
  private final RedisLog log;
  private final RedisBlobs blobs;
  private volatile boolean closed;
  private volatile Lock held;

  private StoreRedis(
      RedisConfig cfg, RedisClient client, StatefulRedisConnection<byte[], byte[]> c) {
    this.cfg = cfg;
    this.client = client;
    this.conn = c;
    this.redis = c.sync();
    this.keys = new Keys("{" + cfg.prefix() + "}");
    this.log = new RedisLog(cfg, redis, keys);
    this.blobs = new RedisBlobs(cfg, redis, keys);
  }

  /** Opens the store {@code cfg} names, creating it when it does not exist. */
  static StoreRedis open(RedisConfig cfg) {
    RedisClient client = RedisClient.create(resources(), cfg.uri());
    StatefulRedisConnection<byte[], byte[]> c;
    try {
      c = client.connect(ByteArrayCodec.INSTANCE);
    } catch (RedisException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      throw DatahikeException.of(
          "store/io",
          "cannot connect to " + cfg.describe() + ": " + e.getMessage(),
          "prefix",
          cfg.prefix(),
          e);
    }
    StoreRedis s = new StoreRedis(cfg, client, c);
    try {
      s.create();
      return s;
    } catch (RuntimeException | Error e) {
      s.close();
      throw e;
    }
  }

  /** True when the store {@code cfg} names exists. */
  static boolean exists(RedisConfig cfg) {
    StoreRedis s = connectOnly(cfg);
    try {
      return s.redis.exists(s.keys.format()) > 0;
    } catch (RedisException e) {
      throw s.io("check whether the store exists", e);
    } finally {
      s.close();
    }
  }

  /** A store instance on {@code cfg} that neither checks nor creates anything. */
  static StoreRedis connectOnly(RedisConfig cfg) {
    RedisClient client = RedisClient.create(resources(), cfg.uri());
    try {
      return new StoreRedis(cfg, client, client.connect(ByteArrayCodec.INSTANCE));
    } catch (RedisException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      throw DatahikeException.of(
          "store/io",
          "cannot connect to " + cfg.describe() + ": " + e.getMessage(),
          "prefix",
          cfg.prefix(),
          e);
    }
  }

  private static ClientResources resources() {
    ClientResources r = resources;
    if (r == null) {
      synchronized (StoreRedis.class) {
        if (resources == null) {
          resources = DefaultClientResources.create();
        }
        r = resources;
      }
    }
    return r;
  }

  /** The log, for statistics. */
  RedisLog log() {
    return log;
  }

  // ---- creation ------------------------------------------------------------------------

  /**
   * Writes the marker unless it is there, under the writer lock (racing creators and deleters wait
   * for each other), after removing what an interrupted deletion left.
   */
  private void create() {
    try {
      if (redis.exists(keys.format()) > 0) {
        return;
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      RedisLease lease =
          RedisLease.acquire(redis, keys.lock(), newToken(), cfg.leaseMs(), deadline);
      if (lease == null) {
        throw locked(Duration.ofSeconds(30));
      }
      try {
        if (redis.exists(keys.format()) > 0) {
          return;
        }
        wipe();
        redis.set(
            keys.format(),
            BlobFrame.encode(BlobFrame.KIND_FORMAT, FORMAT_TEXT.getBytes(StandardCharsets.UTF_8)));
      } finally {
        lease.release();
      }
    } catch (RedisException e) {
      throw io("create the store", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DatahikeException.of("store/io", "interrupted creating " + cfg.describe(), e);
    }
  }

  /** Deletes every key of the store but the marker and the lock. */
  private void wipe() {
    blobs.delete(blobs.list());
    List<byte[]> groups = new ArrayList<>();
    for (byte[] first : redis.zrange(keys.logIndex(), 0, -1)) {
      groups.add((keys.groupPrefix() + RedisLog.ascii(first)).getBytes(StandardCharsets.UTF_8));
    }
    for (int i = 0; i < groups.size(); i += RedisBlobs.BATCH) {
      redis.del(
          groups.subList(i, Math.min(groups.size(), i + RedisBlobs.BATCH)).toArray(new byte[0][]));
    }
    redis.del(keys.head(), keys.logIndex(), keys.seq(), keys.blobSet());
  }

  // ---- blobs ---------------------------------------------------------------------------

  @Override
  public byte[] get(String key) {
    ensureOpen();
    return blobs.get(key);
  }

  @Override
  public void putAll(Map<String, byte[]> values) {
    ensureOpen();
    blobs.putAll(values);
  }

  @Override
  public void delete(Collection<String> names) {
    ensureOpen();
    blobs.delete(names);
  }

  @Override
  public Iterable<String> list() {
    ensureOpen();
    return blobs.list();
  }

  // ---- head ----------------------------------------------------------------------------

  @Override
  public byte[] readHead() {
    ensureOpen();
    byte[] framed;
    try {
      framed = redis.get(keys.head());
    } catch (RedisException e) {
      throw io("read the head", e);
    }
    return framed == null ? null : headPayload(framed).content();
  }

  @Override
  public boolean casHead(byte[] expected, byte[] next) {
    ensureOpen();
    if (next == null) {
      throw new IllegalArgumentException("the head cannot be set to null");
    }
    try {
      while (true) {
        byte[] cur = redis.get(keys.head());
        long version = 0;
        if (cur == null) {
          if (expected != null) {
            return false;
          }
        } else {
          Head h = headPayload(cur);
          if (!Arrays.equals(h.content(), expected)) {
            return false;
          }
          version = h.version();
        }
        byte[] frame =
            BlobFrame.encode(
                BlobFrame.KIND_HEAD,
                ByteBuffer.allocate(8 + next.length).putLong(version + 1).put(next).array());
        Long ok =
            Scripts.CAS_HEAD.run(
                redis,
                ScriptOutputType.INTEGER,
                new byte[][] {keys.head()},
                cur == null ? new byte[0] : cur,
                frame,
                cur == null ? new byte[] {'1'} : new byte[] {'0'});
        if (ok != null && ok == 1) {
          return true;
        }
        // Changed since we read it: look again.
      }
    } catch (RedisException e) {
      throw io("set the head", e);
    }
  }

  private record Head(long version, byte[] content) {}

  private Head headPayload(byte[] framed) {
    String where = cfg.describe() + ", head";
    byte[] p = BlobFrame.decode(where, framed, BlobFrame.KIND_HEAD).payload();
    if (p.length < 8) {
      throw LogCodec.corrupt(where, "head shorter than its version");
    }
    return new Head(ByteBuffer.wrap(p).getLong(), Arrays.copyOfRange(p, 8, p.length));
  }

  // ---- log -----------------------------------------------------------------------------

  @Override
  public long append(List<byte[]> records) {
    ensureOpen();
    return log.append(records);
  }

  @Override
  public List<LogEntry> readLog(long fromSeq) {
    ensureOpen();
    return log.read(fromSeq);
  }

  @Override
  public void truncateLogBefore(long seq) {
    ensureOpen();
    log.truncateBefore(seq);
  }

  // ---- writer lock ---------------------------------------------------------------------

  @Override
  public WriterLock lockWriter(Duration wait) {
    ensureOpen();
    RedisLease lease = lease(wait);
    if (lease == null) {
      throw locked(wait);
    }
    try {
      log.startWriting(lease.token());
    } catch (RuntimeException | Error e) {
      lease.release();
      throw e;
    }
    Lock l = new Lock(lease);
    held = l;
    return l;
  }

  private RedisLease lease(Duration wait) {
    long deadline = System.nanoTime() + Math.max(0, wait.toNanos());
    try {
      return RedisLease.acquire(redis, keys.lock(), newToken(), cfg.leaseMs(), deadline);
    } catch (RedisException e) {
      throw io("take the writer lock", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DatahikeException.of(
          "store/locked", "interrupted waiting for the writer lock", "prefix", cfg.prefix(), e);
    }
  }

  private static byte[] newToken() {
    return ("process " + ProcessHandle.current().pid() + " " + UUID.randomUUID())
        .getBytes(StandardCharsets.UTF_8);
  }

  private DatahikeException locked(Duration wait) {
    String holder;
    try {
      byte[] t = redis.get(keys.lock());
      holder = holderText(t == null ? null : new String(t, StandardCharsets.UTF_8));
    } catch (RedisException e) {
      holder = "another process";
    }
    return DatahikeException.of(
        "store/locked",
        cfg.describe() + " already has a writer (" + holder + "); waited " + wait,
        "prefix",
        cfg.prefix(),
        "holder",
        holder,
        "waited-ms",
        wait.toMillis());
  }

  /** "process 123" from a lock token, or a phrase when there is none. */
  static String holderText(String token) {
    if (token == null || token.isEmpty() || token.equals("false")) {
      return "nobody, the lease ran out,";
    }
    int cut = token.lastIndexOf(' ');
    return cut > 0 ? token.substring(0, cut) : token;
  }

  /** The lock as handed out: releasing it also makes the log read-only again. */
  private final class Lock implements WriterLock {
    private final RedisLease lease;
    private boolean released;

    Lock(RedisLease lease) {
      this.lease = lease;
    }

    @Override
    public void close() {
      synchronized (this) {
        if (released) {
          return;
        }
        released = true;
      }
      try {
        log.stopWriting();
      } finally {
        if (held == this) {
          held = null;
        }
        lease.release();
      }
    }
  }

  // ---- lifecycle -----------------------------------------------------------------------

  private DatahikeException io(String what, RedisException e) {
    return DatahikeException.of(
        "store/io",
        cfg.describe() + ": cannot " + what + ": " + e.getMessage(),
        "prefix",
        cfg.prefix(),
        e);
  }

  private void ensureOpen() {
    if (closed) {
      throw DatahikeException.of(
          "store/closed", cfg.describe() + " is closed", "prefix", cfg.prefix());
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    Lock l = held;
    try {
      if (l != null) {
        l.close();
      }
      log.close();
    } finally {
      closed = true;
      conn.close();
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Override
  public void deleteAll() {
    ensureOpen();
    Lock mine = held;
    RedisLease bare = null;
    if (mine == null) {
      bare = lease(Duration.ZERO);
      if (bare == null) {
        throw locked(Duration.ZERO);
      }
    }
    try {
      // The marker first: from here on the store does not exist, even if the rest is interrupted
      // (a later creation wipes what is left).
      redis.del(keys.format());
      wipe();
    } catch (RedisException e) {
      throw io("delete the store", e);
    } finally {
      try {
        if (mine != null) {
          mine.close();
        }
        if (bare != null) {
          bare.release();
        }
      } finally {
        close();
      }
    }
  }
}
