package datahike.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Blobs of the file store's first layout, one file per blob in {@code blobs/xx/<name>} ({@link
 * StoreKeys} names the file and shard), kept readable for stores written before pack files. Such a
 * store gets no new blob files: new blobs go to packs ({@link FilePacks}), and a key found in a
 * pack wins over its old file. Deletes remove the old files as before.
 */
final class LegacyBlobs {
  private static final Duration STALE_TEMP = Duration.ofMinutes(10);
  private static final String TEMP_PREFIX = ".tmp-";

  private final Path blobs;

  LegacyBlobs(Path blobs) {
    this.blobs = blobs;
  }

  /** The file of blob {@code key}. */
  Path path(String key) {
    return blobs.resolve(StoreKeys.shard(key)).resolve(StoreKeys.encode(key));
  }

  /** The blob under {@code key}, or null. */
  byte[] get(String key) {
    Path p = path(key);
    byte[] framed;
    try {
      framed = Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw FileIo.io("cannot read blob " + key, p, e);
    }
    return BlobFrame.decode(key, framed, BlobFrame.KIND_BLOB).payload();
  }

  /** Removes the file of {@code key}, if any; not durable. */
  void delete(String key) {
    Path p = path(key);
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw FileIo.io("cannot delete blob " + key, p, e);
    }
  }

  /** Every key with a blob file, shard by shard. */
  List<String> keys() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      Path d = blobs.resolve(StoreKeys.shardName(i));
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
        for (Path p : ds) {
          String k = StoreKeys.decode(p.getFileName().toString());
          if (k != null) keys.add(k);
        }
      } catch (NoSuchFileException e) {
        // shard never created (or store deleted): nothing in it
      } catch (IOException e) {
        throw FileIo.io("cannot list blobs in " + d, d, e);
      }
    }
    return keys;
  }

  /** Removes temporaries of interrupted blob writes older than ten minutes. */
  void removeStaleTemps() {
    long cutoff = System.currentTimeMillis() - STALE_TEMP.toMillis();
    for (int i = 0; i < 256; i++) {
      Path d = blobs.resolve(StoreKeys.shardName(i));
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(d, TEMP_PREFIX + "*")) {
        for (Path p : ds) {
          if (Files.getLastModifiedTime(p).toMillis() < cutoff) {
            Files.deleteIfExists(p);
          }
        }
      } catch (IOException e) {
        // Housekeeping only: a leftover temporary harms nothing.
      }
    }
  }
}
