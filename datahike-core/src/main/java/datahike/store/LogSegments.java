package datahike.store;

import static java.nio.file.StandardOpenOption.READ;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Log segment files: their names, their header, and the scan that reads one back and tells a torn
 * tail from damage to acknowledged records (the rules are in {@link FileLog}).
 *
 * <p>A segment is {@code <first seq, 20 digits>.log}, e.g. {@code 00000000000000000001.log}: a
 * header frame ({@link BlobFrame#KIND_LOG_SEGMENT}, payload: the first sequence number again; 24
 * bytes) followed by group frames ({@link LogCodec}), back to back.
 */
final class LogSegments {
  /** Header frame of a segment: frame overhead plus the 8-byte first sequence. */
  static final int SEGMENT_HEADER_BYTES = BlobFrame.OVERHEAD + 8;

  private static final String SUFFIX = ".log";
  private static final Keyword SEGMENT = Keyword.of("segment");

  private LogSegments() {}

  /** A segment file and the first sequence its name gives. */
  record Segment(long firstSeq, Path path) {}

  static String name(long firstSeq) {
    return String.format(Locale.ROOT, "%020d", firstSeq) + SUFFIX;
  }

  /** The header frame of the segment starting at {@code firstSeq}. */
  static byte[] header(long firstSeq) {
    byte[] payload = new byte[8];
    BlobFrame.putLong(payload, 0, firstSeq);
    return BlobFrame.encode(BlobFrame.KIND_LOG_SEGMENT, payload);
  }

  /** The segments, ordered by first sequence. */
  static List<Segment> list(Path dir) throws IOException {
    List<Segment> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        String digits = n.substring(0, n.length() - SUFFIX.length());
        if (digits.length() == 20 && digits.chars().allMatch(Character::isDigit)) {
          out.add(new Segment(Long.parseLong(digits), p));
        }
      }
    } catch (NoSuchFileException e) {
      return out;
    }
    out.sort(Comparator.comparingLong(Segment::firstSeq));
    return out;
  }

  /** Where a scan of one segment ended: offset after the last good group, next sequence. */
  record Scan(long end, long nextSeq, boolean torn, boolean tornHeader) {}

  /**
   * Reads segment {@code seg} from the start, adding records from {@code fromSeq} on to {@code out}
   * (if not null). Groups wholly before {@code fromSeq} are skipped by their headers without
   * checksumming them, unless {@code out} is null (recovery checks every group).
   */
  static Scan scan(Segment seg, boolean isLast, long fromSeq, List<LogEntry> out)
      throws IOException {
    try (FileChannel ch = FileChannel.open(seg.path(), READ)) {
      long size = ch.size();
      String where = seg.path() + "@0";
      try {
        byte[] h = FileIo.readFully(ch, 0, (int) Math.min(size, SEGMENT_HEADER_BYTES));
        BlobFrame.check(where, h, 0, h.length, BlobFrame.KIND_LOG_SEGMENT, 1, BlobFrame.VERSION);
        if (h.length != SEGMENT_HEADER_BYTES
            || BlobFrame.getLong(h, BlobFrame.HEADER_BYTES) != seg.firstSeq()) {
          throw BlobFrame.corrupt(where, "segment header does not match the file name", null);
        }
      } catch (DatahikeException e) {
        if (!isCorrupt(e)) {
          throw e;
        }
        if (!isLast || validGroupAfter(ch, 0, size)) {
          throw corruptAt(seg, 0, e);
        }
        return new Scan(0, seg.firstSeq(), true, true);
      }
      long pos = SEGMENT_HEADER_BYTES;
      long expect = seg.firstSeq();
      byte[] head = new byte[BlobFrame.HEADER_BYTES + LogCodec.GROUP_HEADER];
      while (pos < size) {
        where = seg.path() + "@" + pos;
        String problem = null;
        int n = -1;
        if (size - pos < head.length) {
          problem = "truncated group header";
        } else {
          FileIo.readInto(ch, pos, head);
          n = BlobFrame.getInt(head, 8);
          if (BlobFrame.getInt(head, 0) != BlobFrame.MAGIC) {
            problem = "bad magic number";
          } else if ((head[5] & 0xff) > BlobFrame.VERSION) {
            BlobFrame.check(
                where,
                head,
                0,
                head.length,
                BlobFrame.KIND_LOG_GROUP,
                1,
                BlobFrame.VERSION); // throws :store/too-new
          } else if (n < LogCodec.GROUP_HEADER || pos + BlobFrame.OVERHEAD + n > size) {
            problem = "group length " + n + " runs past the end of the segment";
          }
        }
        if (problem == null) {
          long first = BlobFrame.getLong(head, BlobFrame.HEADER_BYTES);
          int count = BlobFrame.getInt(head, BlobFrame.HEADER_BYTES + 8);
          long frameLen = BlobFrame.OVERHEAD + (long) n;
          boolean skip = out != null && first == expect && count > 0 && first + count <= fromSeq;
          if (skip) {
            expect += count;
            pos += frameLen;
            continue;
          }
          byte[] frame = FileIo.readFully(ch, pos, (int) frameLen);
          try {
            List<LogEntry> entries =
                LogCodec.decode(
                    where, frame, 0, frame.length, out == null ? Long.MAX_VALUE : fromSeq);
            first = LogCodec.firstSeq(frame, 0);
            if (first != expect) {
              throw corruptAt(
                  seg,
                  pos,
                  BlobFrame.corrupt(
                      where,
                      "group starts at record " + first + " where " + expect + " was expected",
                      null));
            }
            if (out != null) {
              out.addAll(entries);
            }
            expect += LogCodec.count(frame, 0);
            pos += frameLen;
            continue;
          } catch (DatahikeException e) {
            if (!isCorrupt(e) || e.data().containsKey(SEGMENT)) {
              throw e;
            }
            problem = e.getMessage();
          }
        }
        if (allZero(ch, pos, size)) {
          // Space the writer wrote ahead (FileLog.PREALLOCATE_BYTES): the end of the log, not damage.
          return new Scan(pos, expect, false, false);
        }
        if (!isLast || validGroupAfter(ch, pos + 1, size)) {
          throw corruptAt(seg, pos, BlobFrame.corrupt(where, problem, null));
        }
        return new Scan(pos, expect, true, false);
      }
      return new Scan(pos, expect, false, false);
    }
  }

  /** True when every byte in {@code [from, size)} is zero. */
  private static boolean allZero(FileChannel ch, long from, long size) throws IOException {
    byte[] buf = new byte[(int) Math.min(64 << 10, Math.max(0, size - from))];
    for (long pos = from; pos < size; ) {
      int n = (int) Math.min(buf.length, size - pos);
      if (n < buf.length) buf = new byte[n];
      FileIo.readInto(ch, pos, buf);
      for (byte b : buf) {
        if (b != 0) return false;
      }
      pos += n;
    }
    return true;
  }

  /**
   * True when some valid group frame starts in {@code [from, size)}: then the damage before it is
   * not a torn tail. Reads the rest of the segment and tries every occurrence of the magic.
   */
  private static boolean validGroupAfter(FileChannel ch, long from, long size) throws IOException {
    if (from >= size) {
      return false;
    }
    byte[] rest = FileIo.readFully(ch, from, (int) Math.min(size - from, Integer.MAX_VALUE - 8));
    for (int i = 0; i + BlobFrame.OVERHEAD + LogCodec.GROUP_HEADER <= rest.length; i++) {
      if (BlobFrame.getInt(rest, i) != BlobFrame.MAGIC || rest[i + 4] != BlobFrame.KIND_LOG_GROUP) {
        continue;
      }
      int n = BlobFrame.getInt(rest, i + 8);
      if (n < LogCodec.GROUP_HEADER || (long) i + BlobFrame.OVERHEAD + n > rest.length) {
        continue;
      }
      try {
        LogCodec.decode("", rest, i, BlobFrame.OVERHEAD + n, Long.MAX_VALUE);
        return true;
      } catch (DatahikeException e) {
        // not a group; keep looking
      }
    }
    return false;
  }

  private static boolean isCorrupt(DatahikeException e) {
    return e.code().fullName().equals("store/corrupt");
  }

  private static DatahikeException corruptAt(Segment seg, long offset, DatahikeException cause) {
    return DatahikeException.of(
        "store/corrupt",
        "log segment "
            + seg.path()
            + " is corrupt at offset "
            + offset
            + " ("
            + cause.getMessage()
            + "); records after it were acknowledged, so this is not a"
            + " torn tail",
        "segment",
        seg.path().toString(),
        "offset",
        offset,
        cause);
  }
}
