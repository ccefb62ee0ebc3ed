package datahike.codec;

import datahike.DatahikeException;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked cursor over an encoded payload, the reading side of {@link ByteWriter}. Every
 * read checks the remaining input first and every length or count is bounded by it, so malformed
 * input fails with {@code :codec/corrupt} (naming the offset) before any out-of-range access or
 * oversized allocation.
 *
 * <p>Internal: not part of the public API.
 */
public final class ByteReader {
  private final byte[] buf;
  private final int end;
  private int pos;

  /** A reader over {@code buf[off, off+len)}. */
  public ByteReader(byte[] buf, int off, int len) {
    if (off < 0 || len < 0 || off > buf.length - len) {
      throw new IllegalArgumentException("range out of bounds");
    }
    this.buf = buf;
    this.pos = off;
    this.end = off + len;
  }

  /** A reader over all of {@code buf}. */
  public ByteReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  /** The current offset into the underlying array. */
  public int position() {
    return pos;
  }

  /** Bytes left to read. */
  public int remaining() {
    return end - pos;
  }

  /** A {@code :codec/corrupt} exception naming {@code what} and the current offset. */
  public DatahikeException corrupt(String what) {
    return DatahikeException.of(
        "codec/corrupt", "corrupt payload: " + what + " at offset " + pos, "offset", pos);
  }

  /** Fails with {@code :codec/corrupt} unless all input has been read. */
  public void expectEnd() {
    if (pos != end) {
      throw corrupt((end - pos) + " trailing bytes");
    }
  }

  /** Reads one unsigned byte. */
  public int u8() {
    if (pos >= end) {
      throw corrupt("unexpected end of input");
    }
    return buf[pos++] & 0xFF;
  }

  /** Reads an unsigned LEB128 varint of at most 10 bytes. */
  public long varint() {
    byte[] b = buf;
    int p = pos;
    int e = end;
    // Fast path: one byte.
    if (p < e && b[p] >= 0) {
      pos = p + 1;
      return b[p];
    }
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p >= e) {
        pos = p;
        throw corrupt("truncated varint");
      }
      int x = b[p++];
      if (shift == 63 && (x & 0xFE) != 0) {
        pos = p - 1;
        throw corrupt("varint overflows 64 bits");
      }
      v |= (long) (x & 0x7F) << shift;
      if (x >= 0) {
        pos = p;
        return v;
      }
    }
    pos = p;
    throw corrupt("varint longer than 10 bytes");
  }

  /** Reads a zigzag-encoded varint. */
  public long zigzag() {
    long z = varint();
    return (z >>> 1) ^ -(z & 1);
  }

  /** Reads a varint that must lie in {@code [0, max]}. */
  public int varintAtMost(long max, String what) {
    long v = varint();
    if (v < 0 || v > max) {
      throw corrupt(what + " " + Long.toUnsignedString(v) + " out of range");
    }
    return (int) v;
  }

  /**
   * Reads a count of items that each take at least {@code minBytesEach} bytes of the remaining
   * input, so the count can never exceed what the input could hold.
   */
  public int count(int minBytesEach, String what) {
    return varintAtMost(remaining() / minBytesEach, what);
  }

  /** Reads 4 bytes, big-endian. */
  public int int32() {
    need(4);
    byte[] b = buf;
    int p = pos;
    pos = p + 4;
    return (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | b[p + 3] & 0xFF;
  }

  /** Reads 8 bytes, big-endian. */
  public long int64() {
    long hi = int32();
    return hi << 32 | (int32() & 0xFFFF_FFFFL);
  }

  /** Reads {@code len} bytes into a new array. */
  public byte[] bytes(int len) {
    need(len);
    byte[] out = new byte[len];
    System.arraycopy(buf, pos, out, 0, len);
    pos += len;
    return out;
  }

  /** Reads a varint length, then that many bytes. */
  public byte[] lengthPrefixed() {
    return bytes(count(1, "byte length"));
  }

  /** Reads {@code len} bytes as UTF-8 (malformed sequences become U+FFFD, as in the JDK). */
  public String utf8(int len) {
    need(len);
    String s = new String(buf, pos, len, StandardCharsets.UTF_8);
    pos += len;
    return s;
  }

  /** Reads a varint length, then that many bytes of UTF-8. */
  public String utf8() {
    return utf8(count(1, "string length"));
  }

  private void need(int n) {
    if (n < 0 || end - pos < n) {
      throw corrupt("length " + n + " exceeds the " + (end - pos) + " bytes left");
    }
  }

  /**
   * Reads the format version byte at the start of a payload: {@code :codec/too-new} above {@code
   * current}, {@code :codec/corrupt} below 1.
   */
  public int version(int current, String what) {
    int v = u8();
    if (v > current) {
      throw DatahikeException.of(
          "codec/too-new",
          what + " format version " + v + " is newer than this build reads (" + current + ")",
          "version",
          v,
          "supported",
          current);
    }
    if (v < 1) {
      throw corrupt(what + " format version " + v);
    }
    return v;
  }
}
