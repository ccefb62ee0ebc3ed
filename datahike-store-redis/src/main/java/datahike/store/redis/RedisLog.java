package datahike.store.redis;

import datahike.DatahikeException;
import datahike.store.GroupCommitter;
import datahike.store.LogCodec;
import datahike.store.LogEntry;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The transaction log of a Redis store: one key per log group ({@code {p}:log:<first seq>}, a
 * {@link LogCodec} frame), a sorted set indexing them by first sequence ({@code {p}:logidx}), and
 * the last sequence number handed out ({@code {p}:seq}). Appends go through a {@link
 * GroupCommitter}: what queues while one script call runs becomes the next group.
 *
 * <p><b>Fencing.</b> The append script checks, atomically with the write, that the lock key still
 * holds this writer's token and that the group starts right after the counter; a writer whose lease
 * ran out (a stalled process, a lost renewal) fails with {@code :store/not-locked} and never writes
 * beside the next one. Truncation is fenced the same way.
 *
 * <p>Scripts cannot tear, but the contract treats damage in the last group as a torn append (it
 * cannot be told from one): readers skip it, the next writer removes it when it takes the lock.
 * After a failed append the outcome is unknown (the reply may have been lost after the script ran),
 * so the log refuses appends until the writer lock is taken again, as the file store does.
 */
final class RedisLog {
  /** Most record bytes one group holds (a larger single append goes alone). */
  static final long MAX_GROUP_BYTES = 16L << 20;

  private final RedisConfig cfg;
  private final RedisCommands<byte[], byte[]> redis;
  private final byte[] lockKey;
  private final byte[] seqKey;
  private final byte[] idxKey;
  private final String groupPrefix;
  private final GroupCommitter<List<byte[]>, Long> committer;

  // Writer state: changed only inside committer.exclusive() or by the flusher.
  private volatile byte[] token;
  private long nextSeq;
  private volatile Throwable poisoned;

  RedisLog(RedisConfig cfg, RedisCommands<byte[], byte[]> redis, StoreRedis.Keys keys) {
    this.cfg = cfg;
    this.redis = redis;
    this.lockKey = keys.lock();
    this.seqKey = keys.seq();
    this.idxKey = keys.logIndex();
    this.groupPrefix = keys.groupPrefix();
    this.committer = new GroupCommitter<>(this::flush, LogCodec::weight, MAX_GROUP_BYTES);
  }

  /** The committer, for statistics. */
  GroupCommitter<List<byte[]>, Long> committer() {
    return committer;
  }

  /** Makes this log writable under {@code token}, just taken: recovers the tail first. */
  void startWriting(byte[] token) {
    committer.exclusive(
        () -> {
          nextSeq = recover(token);
          poisoned = null;
          this.token = token;
        });
  }

  /** Makes this log read-only again (the writer lock is going). */
  void stopWriting() {
    committer.exclusive(() -> token = null);
  }

  /** Fails queued appends and refuses new ones. */
  void close() {
    committer.close();
    committer.exclusive(() -> token = null);
  }

  // ---- writing -------------------------------------------------------------------------

  long append(List<byte[]> records) {
    if (records.isEmpty()) {
      long[] last = new long[1];
      committer.exclusive(
          () -> {
            ensureWritable();
            last[0] = nextSeq - 1;
          });
      return last[0];
    }
    return committer.commit(records);
  }

  private List<Long> flush(List<List<byte[]>> batch) {
    ensureWritable();
    long first = nextSeq;
    int count = 0;
    for (List<byte[]> b : batch) {
      count += b.size();
    }
    byte[] frame = LogCodec.encode(first, batch);
    try {
      Scripts.APPEND.<Long>run(
          redis,
          ScriptOutputType.INTEGER,
          new byte[][] {lockKey, seqKey, idxKey, groupKey(first)},
          token,
          ascii(first),
          ascii(count),
          frame);
    } catch (RedisException e) {
      poisoned = e;
      throw failure(e, "log append failed, outcome unknown");
    }
    List<Long> out = new ArrayList<>(batch.size());
    long seq = first;
    for (List<byte[]> b : batch) {
      seq += b.size();
      out.add(seq - 1);
    }
    nextSeq = seq;
    return out;
  }

  private void ensureWritable() {
    if (token == null) {
      throw DatahikeException.of(
          "store/not-locked",
          cfg.describe() + ": only the holder of the writer lock changes the log",
          "prefix",
          cfg.prefix());
    }
    if (poisoned != null) {
      throw DatahikeException.of(
          "store/io",
          cfg.describe() + ": an earlier log append failed; take the writer lock again to recover",
          "prefix",
          cfg.prefix(),
          poisoned);
    }
  }

  /**
   * Removes a damaged last group (a torn, never acknowledged append), puts the counter right, and
   * returns the next sequence number.
   */
  private long recover(byte[] mine) {
    try {
      List<byte[]> tail = redis.zrevrange(idxKey, 0, 1);
      byte[] counter = redis.get(seqKey);
      long last = counter == null ? 0 : Long.parseLong(ascii(counter));
      if (tail.isEmpty()) {
        return last + 1;
      }
      long lastFirst = Long.parseLong(ascii(tail.get(0)));
      String deleteFirst = "";
      long expected;
      try {
        expected = group(lastFirst, redis.get(groupKey(lastFirst))).nextSeq() - 1;
      } catch (DatahikeException e) {
        if (!LogCodec.isCorrupt(e)) {
          throw e;
        }
        deleteFirst = Long.toString(lastFirst);
        if (tail.size() > 1) {
          long prevFirst = Long.parseLong(ascii(tail.get(1)));
          expected = group(prevFirst, redis.get(groupKey(prevFirst))).nextSeq() - 1;
        } else {
          expected = lastFirst - 1;
        }
      }
      if (!deleteFirst.isEmpty() || expected != last) {
        Scripts.FIX_TAIL.<Long>run(
            redis,
            ScriptOutputType.INTEGER,
            new byte[][] {lockKey, seqKey, idxKey, groupKey(lastFirst)},
            mine,
            deleteFirst.getBytes(StandardCharsets.US_ASCII),
            ascii(expected));
      }
      return expected + 1;
    } catch (RedisException e) {
      throw failure(e, "cannot recover the log tail");
    }
  }

  // ---- reading -------------------------------------------------------------------------

  List<LogEntry> read(long fromSeq) {
    List<Object> reply;
    try {
      reply =
          Scripts.READ_LOG.run(
              redis,
              ScriptOutputType.MULTI,
              new byte[][] {idxKey},
              ascii(fromSeq),
              groupPrefix.getBytes(StandardCharsets.UTF_8));
    } catch (RedisException e) {
      throw failure(e, "cannot read the log");
    }
    List<LogEntry> out = new ArrayList<>();
    long expect = -1;
    for (int i = 0; i < reply.size(); i += 2) {
      boolean lastGroup = i + 2 >= reply.size();
      long first = Long.parseLong(ascii((byte[]) reply.get(i)));
      LogCodec.Group g;
      try {
        g = group(first, (byte[]) reply.get(i + 1));
        if (expect >= 0 && g.firstSeq() != expect) {
          throw LogCodec.corrupt(
              where(first), "it starts at " + g.firstSeq() + ", the log was at " + expect);
        }
      } catch (DatahikeException e) {
        if (lastGroup && LogCodec.isCorrupt(e)) {
          break; // a torn tail: never acknowledged
        }
        throw e;
      }
      g.entries(fromSeq, out);
      expect = g.nextSeq();
    }
    return out;
  }

  private LogCodec.Group group(long first, byte[] frame) {
    String where = where(first);
    if (frame == null) {
      throw LogCodec.corrupt(where, "the group is missing");
    }
    LogCodec.Group g = LogCodec.decodeGroup(where, frame);
    if (g.firstSeq() != first) {
      throw LogCodec.corrupt(where, "it names sequence " + g.firstSeq());
    }
    return g;
  }

  private String where(long first) {
    return cfg.describe() + ", log group " + groupPrefix + first;
  }

  // ---- truncation ----------------------------------------------------------------------

  /** Drops the groups that end before {@code seq}; never the last group, so numbering goes on. */
  void truncateBefore(long seq) {
    ensureWritable();
    try {
      Scripts.TRUNCATE.<Long>run(
          redis,
          ScriptOutputType.INTEGER,
          new byte[][] {lockKey, idxKey},
          token,
          ascii(seq),
          groupPrefix.getBytes(StandardCharsets.UTF_8));
    } catch (RedisException e) {
      throw failure(e, "cannot truncate the log");
    }
  }

  // ---- helpers -------------------------------------------------------------------------

  private byte[] groupKey(long first) {
    return (groupPrefix + first).getBytes(StandardCharsets.UTF_8);
  }

  private DatahikeException failure(RedisException e, String what) {
    String msg = String.valueOf(e.getMessage());
    if (e instanceof RedisCommandExecutionException && msg.startsWith("NOTLOCKED")) {
      return DatahikeException.of(
          "store/not-locked",
          cfg.describe()
              + ": this instance lost the writer lock (its lease ran out); "
              + StoreRedis.holderText(msg.substring("NOTLOCKED".length()).trim())
              + " holds it now",
          "prefix",
          cfg.prefix(),
          e);
    }
    return DatahikeException.of(
        "store/io", cfg.describe() + ": " + what + ": " + msg, "prefix", cfg.prefix(), e);
  }

  static byte[] ascii(long n) {
    return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
  }

  static String ascii(byte[] b) {
    return new String(b, StandardCharsets.US_ASCII);
  }
}
