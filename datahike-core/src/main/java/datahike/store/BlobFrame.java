package datahike.store;

import datahike.DatahikeException;
import java.util.zip.CRC32C;

/**
 * The envelope around every byte sequence a store writes: a magic number, a kind, a format version,
 * the payload length, the payload and a CRC32C footer. Every backend frames what it stores, so a
 * torn or rotted write is detected on read and never handed on as data.
 *
 * <p>Byte layout (all integers big-endian):
 *
 * <pre>
 * offset  size  field
 *  0      4     magic    0x89 'D' 'H' 'J'   (0x89 catches 7-bit and text-mode mangling, as in PNG)
 *  4      1     kind     what the payload is: one of the KIND_ constants
 *  5      1     version  format version of that kind (1 today)
 *  6      2     flags    0; reserved (a future version that sets them also raises the version)
 *  8      4     length   n, the payload length in bytes (0 .. MAX_PAYLOAD)
 * 12      n     payload
 * 12+n    4     CRC32C   over bytes [0, 12+n)
 * </pre>
 *
 * <p>Checks run in the order Lucene's {@code CodecUtil} uses, so each failure gets the right name:
 * wrong magic or a short buffer is {@code :store/corrupt}; a version above what this build reads is
 * {@code :store/too-new} (checked before the checksum, since a newer format may lay out the rest
 * differently; magic, kind and version stay at offsets 0..5 forever); a version below is {@code
 * :store/too-old}; then the length and checksum ({@code :store/corrupt}). The kind is checked last,
 * so a flipped kind byte reads as corruption. Every error names the store key or file position it
 * came from ({@code :key} in its data).
 *
 * <p>Internal: not part of the public API. Public only so that backends in other modules frame
 * their bytes the same way.
 */
public final class BlobFrame {
  /** The magic number: 0x89 'D' 'H' 'J'. */
  public static final int MAGIC = 0x89_44_48_4A;

  /** Bytes before the payload: magic, kind, version, flags, length. */
  public static final int HEADER_BYTES = 12;

  /** Bytes after the payload: the CRC32C. */
  public static final int FOOTER_BYTES = 4;

  /** Bytes a frame adds around its payload. */
  public static final int OVERHEAD = HEADER_BYTES + FOOTER_BYTES;

  /** Largest payload a frame holds (the frame must fit one Java array). */
  public static final int MAX_PAYLOAD = Integer.MAX_VALUE - 8 - OVERHEAD;

  /** A blob stored under a key; payload is the caller's bytes. */
  public static final byte KIND_BLOB = 1;

  /** A head slot; payload is the slot sequence (8 bytes) then the caller's head bytes. */
  public static final byte KIND_HEAD = 2;

  /** A log segment's header; payload is the segment's first sequence number (8 bytes). */
  public static final byte KIND_LOG_SEGMENT = 3;

  /**
   * One group of log records, written and synced as one unit; payload: first sequence (8 bytes),
   * count (4), then count times (length (4), bytes). See {@link LogCodec}.
   */
  public static final byte KIND_LOG_GROUP = 4;

  /** The marker saying "this directory is a store"; payload is UTF-8 text. */
  public static final byte KIND_FORMAT = 5;

  /**
   * A pack file's index, near its end; payload: count (4), then count times (key length in UTF-8
   * bytes (2), key, frame length (4)). See {@link PackFile}.
   */
  public static final byte KIND_PACK_INDEX = 6;

  /**
   * A batch of keys deleted from one pack, appended to its {@code .dead} file; payload: count (4),
   * then count times (key length (2), key). See {@link PackFile}.
   */
  public static final byte KIND_PACK_DEAD = 7;

  /** The version every kind above is written with. Kinds 16..127 are free for codecs above. */
  public static final int VERSION = 1;

  private BlobFrame() {}

  /** A decoded frame: its kind and version, and the payload (a fresh array). */
  public record Frame(int kind, int version, byte[] payload) {}

  /** Frames {@code payload} as {@code kind} at the current {@link #VERSION}. */
  public static byte[] encode(byte kind, byte[] payload) {
    return encode(kind, VERSION, payload, 0, payload.length);
  }

  /** Frames {@code payload[off, off+len)} as {@code kind}, {@code version}. */
  public static byte[] encode(byte kind, int version, byte[] payload, int off, int len) {
    if (len > MAX_PAYLOAD) {
      throw DatahikeException.of(
          "store/too-large",
          "a stored value is limited to " + MAX_PAYLOAD + " bytes, got " + len,
          "size",
          len);
    }
    byte[] out = new byte[len + OVERHEAD];
    putInt(out, 0, MAGIC);
    out[4] = kind;
    out[5] = (byte) version;
    out[6] = 0;
    out[7] = 0;
    putInt(out, 8, len);
    System.arraycopy(payload, off, out, HEADER_BYTES, len);
    seal(out);
    return out;
  }

  /**
   * Allocates a frame for a payload of {@code len} bytes that the caller fills in at {@link
   * #HEADER_BYTES} before calling {@link #seal}; saves a copy for large composite payloads.
   */
  static byte[] allocate(byte kind, int len) {
    if (len < 0 || len > MAX_PAYLOAD) {
      throw DatahikeException.of(
          "store/too-large",
          "a stored value is limited to "
              + MAX_PAYLOAD
              + " bytes, got "
              + Integer.toUnsignedLong(len),
          "size",
          Integer.toUnsignedLong(len));
    }
    byte[] out = new byte[len + OVERHEAD];
    putInt(out, 0, MAGIC);
    out[4] = kind;
    out[5] = (byte) VERSION;
    putInt(out, 8, len);
    return out;
  }

  /** Writes the CRC32C footer of a frame whose header and payload are in place. */
  static void seal(byte[] frame) {
    int end = frame.length - FOOTER_BYTES;
    putInt(frame, end, crc(frame, 0, end));
  }

  /**
   * Checks and unwraps a frame read from {@code where} (a store key or file position, used in
   * errors), accepting {@code kind} at versions 1..{@link #VERSION}.
   */
  public static Frame decode(String where, byte[] bytes, byte kind) {
    return decode(where, bytes, kind, 1, VERSION);
  }

  /**
   * Checks and unwraps a frame of {@code kind} at a version in {@code [minVersion, maxVersion]}.
   *
   * @throws DatahikeException {@code :store/corrupt}, {@code :store/too-new} or {@code
   *     :store/too-old}, naming {@code where}
   */
  public static Frame decode(
      String where, byte[] bytes, byte kind, int minVersion, int maxVersion) {
    int payloadLength = check(where, bytes, 0, bytes.length, kind, minVersion, maxVersion);
    byte[] payload = new byte[payloadLength];
    System.arraycopy(bytes, HEADER_BYTES, payload, 0, payloadLength);
    return new Frame(bytes[4], bytes[5] & 0xff, payload);
  }

  /**
   * Verifies the frame occupying exactly {@code bytes[off, off+len)} and returns its payload
   * length; the payload starts at {@code off + HEADER_BYTES}.
   */
  static int check(
      String where, byte[] bytes, int off, int len, byte kind, int minVersion, int maxVersion) {
    if (len < 6 || getInt(bytes, off) != MAGIC) {
      throw corrupt(
          where, len < 6 ? "truncated frame (" + len + " bytes)" : "bad magic number", null);
    }
    int version = bytes[off + 5] & 0xff;
    if (version > maxVersion) {
      throw DatahikeException.of(
          "store/too-new",
          where
              + " was written in format version "
              + version
              + ", newer than this build reads ("
              + maxVersion
              + "); upgrade datahike-java",
          "key",
          where,
          "version",
          version,
          "max-version",
          maxVersion);
    }
    if (version < minVersion) {
      throw DatahikeException.of(
          "store/too-old",
          where
              + " was written in format version "
              + version
              + ", older than this build reads ("
              + minVersion
              + "); migrate it with an older datahike-java",
          "key",
          where,
          "version",
          version,
          "min-version",
          minVersion);
    }
    if (len < OVERHEAD) {
      throw corrupt(where, "truncated frame (" + len + " bytes)", null);
    }
    int n = getInt(bytes, off + 8);
    if (n < 0 || (long) n + OVERHEAD != len) {
      throw corrupt(
          where,
          "length field says "
              + Integer.toUnsignedLong(n)
              + " payload bytes, frame holds "
              + (len - OVERHEAD),
          null);
    }
    int stored = getInt(bytes, off + HEADER_BYTES + n);
    int actual = crc(bytes, off, HEADER_BYTES + n);
    if (stored != actual) {
      throw corrupt(where, "checksum mismatch", null);
    }
    if (bytes[off + 6] != 0 || bytes[off + 7] != 0) {
      throw corrupt(where, "reserved flags set", null);
    }
    if (bytes[off + 4] != kind) {
      throw corrupt(where, "kind " + bytes[off + 4] + " where " + kind + " was expected", null);
    }
    return n;
  }

  /** The {@code :store/corrupt} error for {@code where}, with an optional cause. */
  static DatahikeException corrupt(String where, String what, Throwable cause) {
    String msg = where + " is corrupt: " + what;
    return cause == null
        ? DatahikeException.of("store/corrupt", msg, "key", where)
        : DatahikeException.of("store/corrupt", msg, "key", where, cause);
  }

  static int crc(byte[] b, int off, int len) {
    CRC32C c = new CRC32C();
    c.update(b, off, len);
    return (int) c.getValue();
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
