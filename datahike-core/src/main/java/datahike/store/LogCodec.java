package datahike.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes log groups: the records that one sync made durable, framed as one {@link
 * BlobFrame} of kind {@link BlobFrame#KIND_LOG_GROUP}. Shared by the memory and file stores.
 *
 * <p>Group payload layout (big-endian):
 *
 * <pre>
 * offset  size  field
 *  0      8     first sequence number s
 *  8      4     count c (at least 1); the records are numbered s .. s+c-1
 * 12      ...   c times: length (4), then that many bytes
 * </pre>
 *
 * <p>Why one checksum per group rather than per record: a group is written with one write and made
 * durable with one sync, so a crash can tear any of its pages, for example leaving record 2 damaged
 * and record 3 intact. Only a group-wide checksum makes such a tail recognisable as one
 * unacknowledged unit; with per-record checksums the intact record 3 behind a damaged record 2
 * would look like rot in acknowledged data. Sequence number, length and checksum are thus kept per
 * group; records carry only their length.
 */
final class LogCodec {
  /** Frame bytes of the group payload before the first record. */
  static final int GROUP_HEADER = 12;

  /** Bytes each record adds to a group besides its payload. */
  static final int RECORD_OVERHEAD = 4;

  private LogCodec() {}

  /** The framed group holding {@code batches}' records, numbered from {@code firstSeq}. */
  static byte[] encode(long firstSeq, List<List<byte[]>> batches) {
    long size = GROUP_HEADER;
    int count = 0;
    for (List<byte[]> b : batches) {
      for (byte[] r : b) {
        size += RECORD_OVERHEAD + r.length;
        count++;
      }
    }
    byte[] frame = BlobFrame.allocate(BlobFrame.KIND_LOG_GROUP, (int) Math.min(size, -1L >>> 1));
    int p = BlobFrame.HEADER_BYTES;
    BlobFrame.putLong(frame, p, firstSeq);
    BlobFrame.putInt(frame, p + 8, count);
    p += GROUP_HEADER;
    for (List<byte[]> b : batches) {
      for (byte[] r : b) {
        BlobFrame.putInt(frame, p, r.length);
        System.arraycopy(r, 0, frame, p + 4, r.length);
        p += RECORD_OVERHEAD + r.length;
      }
    }
    BlobFrame.seal(frame);
    return frame;
  }

  /** The bytes {@code records} take in a group, for batching limits. */
  static long weight(List<byte[]> records) {
    long w = 0;
    for (byte[] r : records) {
      w += RECORD_OVERHEAD + r.length;
    }
    return w;
  }

  /**
   * Checks the framed group {@code frame[off, off+len)} read from {@code where} and returns its
   * records with sequence numbers at least {@code fromSeq}.
   */
  static List<LogEntry> decode(String where, byte[] frame, int off, int len, long fromSeq) {
    int n = BlobFrame.check(where, frame, off, len, BlobFrame.KIND_LOG_GROUP, 1, BlobFrame.VERSION);
    int p = off + BlobFrame.HEADER_BYTES;
    int end = p + n;
    if (n < GROUP_HEADER) {
      throw BlobFrame.corrupt(where, "log group shorter than its header", null);
    }
    long seq = BlobFrame.getLong(frame, p);
    int count = BlobFrame.getInt(frame, p + 8);
    p += GROUP_HEADER;
    List<LogEntry> out = new ArrayList<>(Math.max(0, Math.min(count, 1024)));
    for (int i = 0; i < count; i++, seq++) {
      if (end - p < RECORD_OVERHEAD) {
        throw BlobFrame.corrupt(where, "log group ends inside record " + seq, null);
      }
      int rl = BlobFrame.getInt(frame, p);
      p += RECORD_OVERHEAD;
      if (rl < 0 || rl > end - p) {
        throw BlobFrame.corrupt(where, "log record " + seq + " overruns its group", null);
      }
      if (seq >= fromSeq) {
        byte[] r = new byte[rl];
        System.arraycopy(frame, p, r, 0, rl);
        out.add(new LogEntry(seq, r));
      }
      p += rl;
    }
    if (count < 1 || p != end) {
      throw BlobFrame.corrupt(where, "log group count does not match its length", null);
    }
    return out;
  }

  /** The first sequence number of a group already checked by {@link #decode}. */
  static long firstSeq(byte[] frame, int off) {
    return BlobFrame.getLong(frame, off + BlobFrame.HEADER_BYTES);
  }

  /** The record count of a group already checked by {@link #decode}. */
  static int count(byte[] frame, int off) {
    return BlobFrame.getInt(frame, off + BlobFrame.HEADER_BYTES + 8);
  }
}
