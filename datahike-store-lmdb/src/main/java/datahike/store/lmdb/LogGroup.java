package datahike.store.lmdb;

import datahike.DatahikeException;
import datahike.store.BlobFrame;
import datahike.store.LogEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * One group of log records (those one write transaction made durable), framed as a {@link
 * BlobFrame} of kind {@link BlobFrame#KIND_LOG_GROUP}: the same payload layout as the file store's
 * log groups (core's {@code LogCodec}, which is package-private there, hence this copy).
 *
 * <pre>
 * offset  size  field (big-endian)
 *  0      8     first sequence number s
 *  8      4     count c (at least 1); the records are numbered s .. s+c-1
 * 12      ...   c times: length (4), then that many bytes
 * </pre>
 */
final class LogGroup {
  /** Payload bytes before the first record. */
  static final int GROUP_HEADER = 12;

  private LogGroup() {}

  /** The framed group of every record in {@code batches}, numbered from {@code firstSeq}. */
  static byte[] encode(long firstSeq, List<List<byte[]>> batches) {
    long size = GROUP_HEADER;
    int count = 0;
    for (List<byte[]> b : batches) {
      for (byte[] r : b) {
        size += 4L + r.length;
        count++;
      }
    }
    if (size > BlobFrame.MAX_PAYLOAD) {
      throw DatahikeException.of(
          "store/too-large",
          "a log group is limited to " + BlobFrame.MAX_PAYLOAD + " bytes, got " + size,
          "size",
          size);
    }
    byte[] p = new byte[(int) size];
    putLong(p, 0, firstSeq);
    putInt(p, 8, count);
    int at = GROUP_HEADER;
    for (List<byte[]> b : batches) {
      for (byte[] r : b) {
        putInt(p, at, r.length);
        System.arraycopy(r, 0, p, at + 4, r.length);
        at += 4 + r.length;
      }
    }
    return BlobFrame.encode(BlobFrame.KIND_LOG_GROUP, p);
  }

  /** The bytes {@code records} add to a group, for batching limits. */
  static long weight(List<byte[]> records) {
    long w = 0;
    for (byte[] r : records) {
      w += 4 + r.length;
    }
    return w;
  }

  /**
   * Checks the framed group read from {@code where}, stored under {@code expectedFirst}, and
   * returns its records numbered at least {@code fromSeq}.
   */
  static List<LogEntry> decode(String where, byte[] framed, long expectedFirst, long fromSeq) {
    byte[] p = BlobFrame.decode(where, framed, BlobFrame.KIND_LOG_GROUP).payload();
    if (p.length < GROUP_HEADER) {
      throw corrupt(where, "log group shorter than its header");
    }
    long seq = getLong(p, 0);
    int count = getInt(p, 8);
    if (seq != expectedFirst) {
      throw corrupt(where, "log group starts at " + seq + " but is stored as " + expectedFirst);
    }
    List<LogEntry> out = new ArrayList<>(Math.max(0, Math.min(count, 1024)));
    int at = GROUP_HEADER;
    for (int i = 0; i < count; i++, seq++) {
      if (p.length - at < 4) {
        throw corrupt(where, "log group ends inside record " + seq);
      }
      int len = getInt(p, at);
      at += 4;
      if (len < 0 || len > p.length - at) {
        throw corrupt(where, "log record " + seq + " overruns its group");
      }
      if (seq >= fromSeq) {
        byte[] r = new byte[len];
        System.arraycopy(p, at, r, 0, len);
        out.add(new LogEntry(seq, r));
      }
      at += len;
    }
    if (count < 1 || at != p.length) {
      throw corrupt(where, "log group count does not match its length");
    }
    return out;
  }

  /** The record count of a framed group that {@link #decode} accepted. */
  static int count(byte[] framed) {
    return getInt(framed, BlobFrame.HEADER_BYTES + 8);
  }

  static DatahikeException corrupt(String where, String what) {
    return DatahikeException.of("store/corrupt", where + " is corrupt: " + what, "key", where);
  }

  static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  static int getInt(byte[] b, int off) {
    return (b[off] & 0xff) << 24
        | (b[off + 1] & 0xff) << 16
        | (b[off + 2] & 0xff) << 8
        | (b[off + 3] & 0xff);
  }

  static void putLong(byte[] b, int off, long v) {
    putInt(b, off, (int) (v >>> 32));
    putInt(b, off + 4, (int) v);
  }

  static long getLong(byte[] b, int off) {
    return (long) getInt(b, off) << 32 | getInt(b, off + 4) & 0xffffffffL;
  }
}
