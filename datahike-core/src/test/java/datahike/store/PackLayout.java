package datahike.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads and rewrites the file store's pack files from the outside, for tests that damage or
 * inspect stored blobs: where a key's frame lies, and a pack rewritten in place (same file, so an
 * open store reads the new bytes) with one frame replaced.
 */
final class PackLayout {
  private PackLayout() {}

  /** Where a blob's frame lies. */
  record Loc(Path pack, long offset, int length) {}

  /** The valid packs of the store in {@code root}, oldest first. */
  static List<Path> packs(Path root) throws IOException {
    Path dir = root.resolve("packs");
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> PackFile.Name.parse(p.getFileName().toString()) != null)
          .sorted(
              (a, b) ->
                  PackFile.Name.parse(a.getFileName().toString())
                      .compareTo(PackFile.Name.parse(b.getFileName().toString())))
          .toList();
    }
  }

  static PackFile.Index index(Path pack) throws IOException {
    try (FileChannel ch = FileChannel.open(pack, StandardOpenOption.READ)) {
      return PackFile.readIndex(ch, pack.toString());
    }
  }

  /** The newest frame of {@code key} in the store in {@code root}. */
  static Loc locate(Path root, String key) throws IOException {
    Loc found = null;
    for (Path p : packs(root)) {
      PackFile.Index idx = index(p);
      if (idx == null) continue;
      long off = 0;
      for (int i = 0; i < idx.keys().length; i++) {
        if (idx.keys()[i].equals(key)) found = new Loc(p, off, idx.lengths()[i]);
        off += idx.lengths()[i];
      }
    }
    if (found == null) throw new IllegalArgumentException("no pack holds " + key);
    return found;
  }

  /** The framed bytes of {@code key}. */
  static byte[] read(Path root, String key) throws IOException {
    Loc l = locate(root, key);
    byte[] all = Files.readAllBytes(l.pack());
    byte[] out = new byte[l.length()];
    System.arraycopy(all, (int) l.offset(), out, 0, l.length());
    return out;
  }

  /**
   * Rewrites, in place, the pack holding {@code key} with {@code framed} as its frame (any length),
   * keeping its other frames and rebuilding its index and trailer.
   */
  static void replace(Path root, String key, byte[] framed) throws IOException {
    Loc l = locate(root, key);
    byte[] all = Files.readAllBytes(l.pack());
    PackFile.Index idx = index(l.pack());
    List<String> keys = new ArrayList<>();
    List<byte[]> frames = new ArrayList<>();
    long off = 0;
    for (int i = 0; i < idx.keys().length; i++) {
      int len = idx.lengths()[i];
      byte[] f = new byte[len];
      System.arraycopy(all, (int) off, f, 0, len);
      keys.add(idx.keys()[i]);
      frames.add(off == l.offset() ? framed : f);
      off += len;
    }
    // Files.write truncates the same file: a store that has it open sees the new bytes.
    Files.write(l.pack(), pack(keys, frames));
  }

  /** A whole pack file holding {@code frames} under {@code keys}. */
  static byte[] pack(List<String> keys, List<byte[]> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream index = new ByteArrayOutputStream();
    byte[] four = new byte[4];
    BlobFrame.putInt(four, 0, keys.size());
    index.writeBytes(four);
    for (int i = 0; i < keys.size(); i++) {
      out.writeBytes(frames.get(i));
      byte[] k = keys.get(i).getBytes(StandardCharsets.UTF_8);
      index.write(k.length >>> 8);
      index.write(k.length);
      index.writeBytes(k);
      BlobFrame.putInt(four, 0, frames.get(i).length);
      index.writeBytes(four);
    }
    long at = out.size();
    out.writeBytes(BlobFrame.encode(BlobFrame.KIND_PACK_INDEX, index.toByteArray()));
    byte[] t = new byte[PackFile.TRAILER_BYTES];
    BlobFrame.putLong(t, 0, at);
    BlobFrame.putInt(t, 8, PackFile.TRAILER_MAGIC);
    BlobFrame.putInt(t, 12, BlobFrame.crc(t, 0, 12));
    out.writeBytes(t);
    return out.toByteArray();
  }
}
