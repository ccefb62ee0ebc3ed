package datahike.store.redis;

import datahike.DatahikeException;
import datahike.store.BlobFrame;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The blobs of a Redis store: one key per blob ({@code {p}:b:<key>}, frame {@link
 * BlobFrame#KIND_BLOB}) and the set of all blob keys ({@code {p}:keys}, for {@code list}), written
 * and deleted together by one script per batch of {@link #BATCH} blobs, so the set never misses a
 * blob nor names a deleted one.
 */
final class RedisBlobs {
  /** Blobs per script call when writing or deleting a batch. */
  static final int BATCH = 256;

  private final RedisConfig cfg;
  private final RedisCommands<byte[], byte[]> redis;
  private final StoreRedis.Keys keys;

  RedisBlobs(RedisConfig cfg, RedisCommands<byte[], byte[]> redis, StoreRedis.Keys keys) {
    this.cfg = cfg;
    this.redis = redis;
    this.keys = keys;
  }

  /** See {@link datahike.store.Store#get}. */
  byte[] get(String key) {
    checkKey(key);
    byte[] framed;
    try {
      framed = redis.get(keys.blob(key));
    } catch (RedisException e) {
      throw io("read blob " + key, e);
    }
    return framed == null ? null : BlobFrame.decode(key, framed, BlobFrame.KIND_BLOB).payload();
  }

  /** See {@link datahike.store.Store#putAll}. */
  void putAll(Map<String, byte[]> values) {
    List<Map.Entry<String, byte[]>> entries = new ArrayList<>(values.entrySet());
    for (Map.Entry<String, byte[]> e : entries) {
      checkKey(e.getKey());
    }
    try {
      for (int i = 0; i < entries.size(); i += BATCH) {
        List<Map.Entry<String, byte[]>> part =
            entries.subList(i, Math.min(entries.size(), i + BATCH));
        byte[][] ks = new byte[part.size() + 1][];
        byte[][] args = new byte[part.size() * 2][];
        ks[0] = keys.blobSet();
        for (int j = 0; j < part.size(); j++) {
          Map.Entry<String, byte[]> e = part.get(j);
          ks[j + 1] = keys.blob(e.getKey());
          args[j] = BlobFrame.encode(BlobFrame.KIND_BLOB, e.getValue());
          args[part.size() + j] = e.getKey().getBytes(StandardCharsets.UTF_8);
        }
        Scripts.PUT.<Long>run(redis, ScriptOutputType.INTEGER, ks, args);
      }
    } catch (RedisException e) {
      throw io("write " + entries.size() + " blobs", e);
    }
  }

  /** See {@link datahike.store.Store#delete}. */
  void delete(Collection<String> names) {
    List<String> all = new ArrayList<>(names);
    try {
      for (int i = 0; i < all.size(); i += BATCH) {
        List<String> part = all.subList(i, Math.min(all.size(), i + BATCH));
        byte[][] ks = new byte[part.size() + 1][];
        byte[][] args = new byte[part.size()][];
        ks[0] = keys.blobSet();
        for (int j = 0; j < part.size(); j++) {
          ks[j + 1] = keys.blob(part.get(j));
          args[j] = part.get(j).getBytes(StandardCharsets.UTF_8);
        }
        Scripts.DELETE.<Long>run(redis, ScriptOutputType.INTEGER, ks, args);
      }
    } catch (RedisException e) {
      throw io("delete " + all.size() + " blobs", e);
    }
  }

  /** See {@link datahike.store.Store#list}. */
  List<String> list() {
    List<String> out = new ArrayList<>();
    try {
      ScanCursor cursor = ScanCursor.INITIAL;
      ScanArgs args = ScanArgs.Builder.limit(1000);
      do {
        ValueScanCursor<byte[]> page = redis.sscan(keys.blobSet(), cursor, args);
        for (byte[] v : page.getValues()) {
          out.add(new String(v, StandardCharsets.UTF_8));
        }
        cursor = page;
      } while (!cursor.isFinished());
    } catch (RedisException e) {
      throw io("list blobs", e);
    }
    return out;
  }

  private static void checkKey(String key) {
    if (key == null || key.isEmpty() || key.length() > 200) {
      throw DatahikeException.of(
          "store/bad-key",
          "a blob key is a non-empty string of at most 200 characters, got "
              + (key == null ? "null" : key.length() + " characters"),
          "key",
          key);
    }
  }

  private DatahikeException io(String what, RedisException e) {
    return DatahikeException.of(
        "store/io",
        cfg.describe() + ": cannot " + what + ": " + e.getMessage(),
        "prefix",
        cfg.prefix(),
        e);
  }
}
