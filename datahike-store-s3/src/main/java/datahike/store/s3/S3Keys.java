package datahike.store.s3;

import datahike.DatahikeException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Object names of blob keys. Plain {@code A-Z a-z 0-9 - _ .} pass as they are (S3 names are
 * case-sensitive); every other UTF-8 byte becomes {@code %XX}, so {@code /} never makes a folder
 * and names stay printable. A key whose escaped form would pass {@link #MAX_ESCAPED} characters (it
 * takes 200 characters of non-Latin script) is named {@code ~} + its UTF-8 in unpadded base64url
 * instead; {@code ~} is never produced by escaping, so the two forms cannot collide. Either form
 * stays within S3's 1024-byte name limit together with a prefix.
 */
final class S3Keys {
  /** Longest key, in chars (the SPI's limit). */
  static final int MAX_LENGTH = 200;

  /** Longest escaped name before switching to base64url. */
  static final int MAX_ESCAPED = 600;

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private S3Keys() {}

  /** The object name (below {@code blobs/}) of {@code key}. */
  static String encode(String key) {
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
    byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(utf8.length + 8);
    for (byte value : utf8) {
      int b = value & 0xff;
      boolean plain =
          (b >= 'a' && b <= 'z')
              || (b >= 'A' && b <= 'Z')
              || (b >= '0' && b <= '9')
              || b == '-'
              || b == '_'
              || b == '.';
      if (plain) {
        sb.append((char) b);
      } else {
        sb.append('%').append(HEX[b >>> 4]).append(HEX[b & 15]);
      }
    }
    if (sb.length() > MAX_ESCAPED) {
      return "~" + Base64.getUrlEncoder().withoutPadding().encodeToString(utf8);
    }
    return sb.toString();
  }

  /** The key named {@code name}, or null when {@code name} is not one of ours. */
  static String decode(String name) {
    if (name.isEmpty()) {
      return null;
    }
    if (name.charAt(0) == '~') {
      try {
        return new String(Base64.getUrlDecoder().decode(name.substring(1)), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
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

  /** The object name of the log group starting at {@code seq}: 20 digits, so names sort by seq. */
  static String logName(long seq) {
    return String.format("%020d", seq);
  }
}
