package datahike.store;

import datahike.DatahikeException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Blob keys: what a valid key is, and how a key becomes a file name and back.
 *
 * <p>File names must survive every file system we run on, including case-insensitive ones, and must
 * never start with a dot (temporary files do). So {@code a-z 0-9 - _} pass as they are, {@code .}
 * passes except in first position, and every other UTF-8 byte becomes {@code %XX} (upper-case hex).
 * Uppercase letters are escaped, so {@code "A"} and {@code "a"} never share a file on macOS or
 * Windows. A key is at most {@link #MAX_LENGTH} characters and its escaped name at most {@link
 * #MAX_NAME} bytes, within the usual 255-byte name limit together with the temporary-file affixes;
 * plain keys (hex, UUIDs, {@code node-123}) never come near it.
 *
 * <p>Each key lives in one of 256 subdirectories, {@code 00}..{@code ff}, picked by the low byte of
 * the CRC32C of its UTF-8 bytes: keys sharing a prefix still spread evenly, and no directory grows
 * past what a file system handles well. The choice is part of the on-disk format.
 */
final class StoreKeys {
  /** Longest key, in chars. */
  static final int MAX_LENGTH = 200;

  /** Longest escaped file name; leaves room for the temporary-file prefix and suffix. */
  static final int MAX_NAME = 220;

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private StoreKeys() {}

  /** Checks that {@code key} is a valid blob key. */
  static void check(String key) {
    if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
      throw DatahikeException.of(
          "store/bad-key",
          "a blob key is a non-empty string of at most "
              + MAX_LENGTH
              + " characters, got "
              + (key == null ? "null" : key.length() + " characters"),
          "key",
          key);
    }
  }

  /** The file name for {@code key}. */
  static String encode(String key) {
    check(key);
    byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(utf8.length + 8);
    for (int i = 0; i < utf8.length; i++) {
      int b = utf8[i] & 0xff;
      boolean plain =
          (b >= 'a' && b <= 'z')
              || (b >= '0' && b <= '9')
              || b == '-'
              || b == '_'
              || (b == '.' && i > 0);
      if (plain) {
        sb.append((char) b);
      } else {
        sb.append('%').append(HEX[b >>> 4]).append(HEX[b & 15]);
      }
    }
    if (sb.length() > MAX_NAME) {
      throw DatahikeException.of(
          "store/bad-key",
          "blob key too long once escaped for a file name ("
              + sb.length()
              + " > "
              + MAX_NAME
              + " bytes): "
              + key,
          "key",
          key);
    }
    return sb.toString();
  }

  /** The key whose file name is {@code name}, or null when {@code name} is not one of ours. */
  static String decode(String name) {
    if (name.isEmpty() || name.charAt(0) == '.') {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '%') {
        if (i + 2 >= name.length()) {
          return null;
        }
        int hi = Character.digit(name.charAt(i + 1), 16);
        int lo = Character.digit(name.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else if (c < 0x80) {
        out.write(c);
      } else {
        return null;
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The subdirectory name ({@code 00}..{@code ff}) holding {@code key}. */
  static String shard(String key) {
    byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
    return shardName(BlobFrame.crc(utf8, 0, utf8.length) & 0xff);
  }

  /** The name of shard directory {@code i} (0..255): two lower-case hex digits. */
  static String shardName(int i) {
    return new String(new char[] {HEX_LOWER[i >>> 4 & 15], HEX_LOWER[i & 15]});
  }

  private static final char[] HEX_LOWER = "0123456789abcdef".toCharArray();
}
