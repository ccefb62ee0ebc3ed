package datahike.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** The file log's segment layout as tests damage it: groups, then the zeros written ahead. */
final class LogLayout {
  private LogLayout() {}

  /** Where the groups of a segment end: the zeros the writer wrote ahead start there. */
  static int groupsEnd(byte[] segment) {
    int pos = LogSegments.SEGMENT_HEADER_BYTES;
    while (pos + BlobFrame.OVERHEAD <= segment.length
        && BlobFrame.getInt(segment, pos) == BlobFrame.MAGIC) {
      pos += BlobFrame.getInt(segment, pos + 8) + BlobFrame.OVERHEAD;
    }
    return pos;
  }

  /** A crash mid-write of the last group: the file ends {@code n} bytes short of it. */
  static void tearTail(Path segment, int n) throws Exception {
    byte[] b = Files.readAllBytes(segment);
    Files.write(segment, Arrays.copyOf(b, groupsEnd(b) - n));
  }

  /** Garbage where the next group would go, as a torn write leaves it. */
  static void garbageAfterGroups(Path segment, byte[] garbage) throws Exception {
    byte[] b = Files.readAllBytes(segment);
    Files.write(segment, Arrays.copyOf(b, groupsEnd(b)));
    Files.write(segment, garbage, StandardOpenOption.APPEND);
  }
}
