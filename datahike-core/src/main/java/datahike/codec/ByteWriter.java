package datahike.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array that codecs append to: unsigned and zigzag varints, fixed-width big-endian
 * integers, raw bytes. One writer per encoded payload; nothing is allocated per value except when
 * the array grows (doubling).
 *
 * <p>Varints are unsigned LEB128: seven bits per byte, least significant group first, the high bit
 * set on every byte but the last; a long takes 1 to 10 bytes. Zigzag maps signed to unsigned
 * ({@code 0, -1, 1, -2, ...} to {@code 0, 1, 2, 3, ...}) so small negative numbers stay short.
 *
 * <p>Internal: not part of the public API.
 */
public final class ByteWriter {
  private byte[] buf;
  private int size;

  /** A writer with room for {@code capacity} bytes before it first grows. */
  public ByteWriter(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  /** The number of bytes written so far. */
  public int size() {
    return size;
  }

  /** A copy of the bytes written so far. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  private void ensure(int n) {
    if (buf.length - size < n) {
      long want = Math.max((long) buf.length * 2, (long) size + n);
      if (want > Integer.MAX_VALUE - 8) {
        want = Integer.MAX_VALUE - 8;
        if (want - size < n) {
          throw new OutOfMemoryError("encoded payload larger than a Java array");
        }
      }
      buf = Arrays.copyOf(buf, (int) want);
    }
  }

  /** Appends one byte (the low 8 bits of {@code b}). */
  public void u8(int b) {
    ensure(1);
    buf[size++] = (byte) b;
  }

  /** Appends {@code v} as an unsigned LEB128 varint (1 to 10 bytes). */
  public void varint(long v) {
    ensure(10);
    byte[] b = buf;
    int p = size;
    while ((v & ~0x7FL) != 0) {
      b[p++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    b[p++] = (byte) v;
    size = p;
  }

  /** Appends {@code v} zigzag-encoded as a varint. */
  public void zigzag(long v) {
    varint((v << 1) ^ (v >> 63));
  }

  /** Appends {@code v} as 4 bytes, big-endian. */
  public void int32(int v) {
    ensure(4);
    byte[] b = buf;
    int p = size;
    b[p] = (byte) (v >>> 24);
    b[p + 1] = (byte) (v >>> 16);
    b[p + 2] = (byte) (v >>> 8);
    b[p + 3] = (byte) v;
    size = p + 4;
  }

  /** Appends {@code v} as 8 bytes, big-endian. */
  public void int64(long v) {
    int32((int) (v >>> 32));
    int32((int) v);
  }

  /** Appends {@code len} bytes of {@code src} from {@code off}. */
  public void bytes(byte[] src, int off, int len) {
    ensure(len);
    System.arraycopy(src, off, buf, size, len);
    size += len;
  }

  /** Appends a varint length, then the bytes. */
  public void lengthPrefixed(byte[] src) {
    varint(src.length);
    bytes(src, 0, src.length);
  }

  /**
   * Appends {@code s} as UTF-8. When {@code shortTag >= 0} and the encoding is shorter than {@code
   * shortLimit} bytes, writes the single byte {@code shortTag + length} first; otherwise writes
   * {@code longTag} (unless negative) and a varint length. Strings that are all ASCII are copied
   * without an intermediate array.
   */
  void string(String s, int shortTag, int shortLimit, int longTag) {
    int n = s.length();
    boolean ascii = true;
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (!ascii) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      lengthHeader(utf8.length, shortTag, shortLimit, longTag);
      bytes(utf8, 0, utf8.length);
      return;
    }
    lengthHeader(n, shortTag, shortLimit, longTag);
    ensure(n);
    byte[] b = buf;
    int p = size;
    for (int i = 0; i < n; i++) {
      b[p++] = (byte) s.charAt(i);
    }
    size = p;
  }

  private void lengthHeader(int len, int shortTag, int shortLimit, int longTag) {
    if (shortTag >= 0 && len < shortLimit) {
      u8(shortTag + len);
    } else {
      if (longTag >= 0) {
        u8(longTag);
      }
      varint(len);
    }
  }
}
