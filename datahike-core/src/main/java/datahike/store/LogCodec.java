package datahike.store;

import datahike.DatahikeException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes log groups: the records that one sync (one write transaction, one PUT, one
 * committed row) made durable, framed as one {@link BlobFrame} of kind {@link
 * BlobFrame#KIND_LOG_GROUP}.
 *
 * <p>SPI helper for store backends: the memory and file stores and the LMDB, S3, JDBC and Redis
 * backends all write their log in this one layout, so a backend only decides where a group lives
 * and how it is fenced, never how it is framed. Like the rest of {@code datahike.store} it is not
 * user API and may change with the storage format version.
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
public final class LogCodec {
  /** Frame bytes of the group payload before the first record. */
  public static final int GROUP_HEADER = 12;

  /** Bytes each record adds to a group besides its payload. */
  public static final int RECORD_OVERHEAD = 4;

  private LogCodec() {}

  /**
   * A checked group: its first sequence number and record count, over the frame it was decoded
   * from (records are copied out only by {@link #entries}, so checking a group allocates nothing).
   */
  public record Group(long firstSeq, int count, byte[] frame, int off) {
    /** The sequence number after this group's last record. */
    public long nextSeq() {
      return firstSeq + count;
    }

    /** The records numbered {@code fromSeq} or later, appended to {@code out}. */
    public void entries(long fromSeq, List<LogEntry> out) {
      int p = off + BlobFrame.HEADER_BYTES + GROUP_HEADER;
      long seq = firstSeq;
      for (int i = 0; i < count; i++, seq++) {
        int rl = BlobFrame.getInt(frame, p);
        p += RECORD_OVERHEAD;
        if (seq >= fromSeq) {
          byte[] r = new byte[rl];
          System.arraycopy(frame, p, r, 0, rl);
          out.add(new LogEntry(seq, r));
        }
        p += rl;
      }
    }
  }

  /**
   * The framed group holding {@code batches}' records, numbered from {@code firstSeq}.
   *
   * @throws DatahikeException {@code :store/too-large} when the group exceeds {@link
   *     BlobFrame#MAX_PAYLOAD}
   */
  public static byte[] encode(long firstSeq, List<List<byte[]>> batches) {
    long size = GROUP_HEADER;
    int count = 0;
    for (List<byte[]> b : batches) {
      size += weight(b);
      count += b.size();
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
  public static long weight(List<byte[]> records) {
    long w = 0;
    for (byte[] r : records) {
      w += RECORD_OVERHEAD + r.length;
    }
    return w;
  }

  /**
   * Checks the framed group {@code frame[off, off+len)} read from {@code where} and returns its
   * records with sequence numbers at least {@code fromSeq}.
   *
   * @throws DatahikeException {@code :store/corrupt} (or {@code :store/too-new}, {@code
   *     :store/too-old}) naming {@code where}
   */
  public static List<LogEntry> decode(String where, byte[] frame, int off, int len, long fromSeq) {
    List<LogEntry> out = new ArrayList<>();
    decodeGroup(where, frame, off, len).entries(fromSeq, out);
    return out;
  }

  /**
   * As {@link #decode(String, byte[], int, int, long)} for a whole array holding one group that
   * its backend stored under {@code expectedFirst}; a group naming another first sequence number is
   * corrupt (a misplaced or stale object).
   */
  public static List<LogEntry> decode(
      String where, byte[] frame, long expectedFirst, long fromSeq) {
    Group g = decodeGroup(where, frame, 0, frame.length);
    if (g.firstSeq() != expectedFirst) {
      throw corrupt(
          where, "log group starts at " + g.firstSeq() + " but is stored as " + expectedFirst);
    }
    List<LogEntry> out = new ArrayList<>();
    g.entries(fromSeq, out);
    return out;
  }

  /** Checks and decodes the group that is the whole of {@code frame}, read from {@code where}. */
  public static Group decodeGroup(String where, byte[] frame) {
    return decodeGroup(where, frame, 0, frame.length);
  }

  /** Checks and decodes the group framed in {@code frame[off, off+len)}, read from {@code where}. */
  public static Group decodeGroup(String where, byte[] frame, int off, int len) {
    int n = BlobFrame.check(where, frame, off, len, BlobFrame.KIND_LOG_GROUP, 1, BlobFrame.VERSION);
    int p = off + BlobFrame.HEADER_BYTES;
    int end = p + n;
    if (n < GROUP_HEADER) {
      throw corrupt(where, "log group shorter than its header");
    }
    long first = BlobFrame.getLong(frame, p);
    int count = BlobFrame.getInt(frame, p + 8);
    p += GROUP_HEADER;
    if (count < 1) {
      throw corrupt(where, "log group holds " + count + " records");
    }
    for (int i = 0; i < count; i++) {
      if (end - p < RECORD_OVERHEAD) {
        throw corrupt(where, "log group ends inside record " + (first + i));
      }
      int rl = BlobFrame.getInt(frame, p);
      p += RECORD_OVERHEAD;
      if (rl < 0 || rl > end - p) {
        throw corrupt(where, "log record " + (first + i) + " overruns its group");
      }
      p += rl;
    }
    if (p != end) {
      throw corrupt(where, "log group count does not match its length");
    }
    return new Group(first, count, frame, off);
  }

  /** The first sequence number of a group already checked by {@link #decode}. */
  public static long firstSeq(byte[] frame, int off) {
    return BlobFrame.getLong(frame, off + BlobFrame.HEADER_BYTES);
  }

  /** The record count of a group already checked by {@link #decode}. */
  public static int count(byte[] frame, int off) {
    return BlobFrame.getInt(frame, off + BlobFrame.HEADER_BYTES + 8);
  }

  /** The {@code :store/corrupt} error for {@code where}: "{where} is corrupt: {what}". */
  public static DatahikeException corrupt(String where, String what) {
    return BlobFrame.corrupt(where, what, null);
  }

  /** True when {@code e} says stored bytes are damaged (not newer or older than this build). */
  public static boolean isCorrupt(DatahikeException e) {
    return e.code().fullName().equals("store/corrupt");
  }
}
