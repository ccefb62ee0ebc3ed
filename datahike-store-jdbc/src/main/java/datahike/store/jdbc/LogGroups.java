package datahike.store.jdbc;

import datahike.DatahikeException;
import datahike.store.BlobFrame;
import datahike.store.LogEntry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Log groups: the records one commit made durable, framed as one {@link BlobFrame} of kind {@link
 * BlobFrame#KIND_LOG_GROUP}, in the layout core's file and memory stores use (their codec is not
 * public, hence this copy; see the module README).
 *
 * <p>Group payload layout (big-endian):
 *
 * <pre>
 * offset  size  field
 *  0      8     first sequence number s
 *  8      4     count c (at least 1); the records are numbered s .. s+c-1
 * 12      ...   c times: length (4), then that many bytes
 * </pre>
 */
final class LogGroups {
  /** Payload bytes before the first record. */
  static final int GROUP_HEADER = 12;

  /** Bytes each record adds to a group besides its payload. */
  static final int RECORD_OVERHEAD = 4;

  private LogGroups() {}

  /** A decoded group: its first sequence number and its records. */
  record Group(long firstSeq, List<byte[]> records) {
    /** The sequence number after this group's last record. */
    long nextSeq() {
      return firstSeq + records.size();
    }
  }

  /** The bytes {@code records} take in a group, for batching limits. */
  static long weight(List<byte[]> records) {
    long w = 0;
    for (byte[] r : records) {
      w += RECORD_OVERHEAD + r.length;
    }
    return w;
  }

  /** The framed group holding {@code batches}' records, numbered from {@code firstSeq}. */
  static byte[] encode(long firstSeq, List<List<byte[]>> batches) {
    long size = GROUP_HEADER;
    int count = 0;
    for (List<byte[]> b : batches) {
      size += weight(b);
      count += b.size();
    }
    if (size > BlobFrame.MAX_PAYLOAD) {
      throw DatahikeException.of(
          "store/too-large",
          "one log group is limited to " + BlobFrame.MAX_PAYLOAD + " bytes, got " + size,
          "size",
          size);
    }
    ByteBuffer p = ByteBuffer.allocate((int) size);
    p.putLong(firstSeq).putInt(count);
    for (List<byte[]> b : batches) {
      for (byte[] r : b) {
        p.putInt(r.length).put(r);
      }
    }
    return BlobFrame.encode(BlobFrame.KIND_LOG_GROUP, p.array());
  }

  /**
   * Checks the framed group read from {@code where} and decodes it.
   *
   * @throws DatahikeException {@code :store/corrupt} (or {@code too-new}, {@code too-old}) naming
   *     {@code where}
   */
  static Group decode(String where, byte[] frame) {
    byte[] p = BlobFrame.decode(where, frame, BlobFrame.KIND_LOG_GROUP).payload();
    if (p.length < GROUP_HEADER) {
      throw corrupt(where, "log group shorter than its header");
    }
    ByteBuffer b = ByteBuffer.wrap(p);
    long seq = b.getLong();
    int count = b.getInt();
    if (count < 1) {
      throw corrupt(where, "log group holds " + count + " records");
    }
    List<byte[]> out = new ArrayList<>(Math.min(count, 1024));
    for (int i = 0; i < count; i++) {
      if (b.remaining() < RECORD_OVERHEAD) {
        throw corrupt(where, "log group ends inside record " + (seq + i));
      }
      int len = b.getInt();
      if (len < 0 || len > b.remaining()) {
        throw corrupt(where, "log record " + (seq + i) + " overruns its group");
      }
      byte[] r = new byte[len];
      b.get(r);
      out.add(r);
    }
    if (b.hasRemaining()) {
      throw corrupt(where, "log group count does not match its length");
    }
    return new Group(seq, out);
  }

  /** The records of {@code g} numbered {@code fromSeq} or later, appended to {@code out}. */
  static void entries(Group g, long fromSeq, List<LogEntry> out) {
    long seq = g.firstSeq();
    for (byte[] r : g.records()) {
      if (seq >= fromSeq) {
        out.add(new LogEntry(seq, r));
      }
      seq++;
    }
  }

  /** The {@code :store/corrupt} error for {@code where}. */
  static DatahikeException corrupt(String where, String what) {
    return DatahikeException.of("store/corrupt", where + " is corrupt: " + what, "key", where);
  }

  /** True when {@code e} says stored bytes are damaged (not newer or older than this build). */
  static boolean isCorrupt(DatahikeException e) {
    return e.code().fullName().equals("store/corrupt");
  }
}
