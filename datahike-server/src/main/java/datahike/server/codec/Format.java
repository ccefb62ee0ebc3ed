package datahike.server.codec;

import datahike.DatahikeException;
import datahike.db.EdnTags;
import datahike.edn.EdnPrinter;
import datahike.edn.EdnReader;
import datahike.edn.Keyword;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The wire formats the HTTP API speaks, by media type. Each encodes Java data to bytes and back;
 * see {@link JsonCodec} and {@link TransitCodec} for their conventions. EDN uses the core's reader
 * and printer, knowing Datahike's tags ({@code #datahike/Datom}); other tags read as {@link
 * datahike.edn.Tagged}.
 */
public enum Format {
  /** {@code application/json}, with the keyword convention of {@link JsonCodec}. */
  JSON("application/json", "json"),
  /** {@code application/edn}. */
  EDN("application/edn", "edn"),
  /** {@code application/transit+json}. */
  TRANSIT("application/transit+json", "transit");

  private final String mediaType;
  private final String keyword;

  Format(String mediaType, String keyword) {
    this.mediaType = mediaType;
    this.keyword = keyword;
  }

  /** The media type, e.g. {@code application/edn}. */
  public String mediaType() {
    return mediaType;
  }

  /** The {@code Content-Type} header value, with the charset for the text formats. */
  public String contentType() {
    return mediaType + ";charset=utf-8";
  }

  /** The keyword naming this format in configurations: {@code :json}, {@code :edn}, ... */
  public Keyword keyword() {
    return Keyword.of(keyword);
  }

  /** The bytes of {@code value}. */
  public byte[] encode(Object value) {
    switch (this) {
      case JSON:
        return JsonCodec.encode(value);
      case TRANSIT:
        return TransitCodec.encode(value);
      default:
        return EdnPrinter.print(value).getBytes(StandardCharsets.UTF_8);
    }
  }

  /** The value in {@code bytes}. */
  public Object decode(byte[] bytes) {
    switch (this) {
      case JSON:
        return JsonCodec.decode(bytes);
      case TRANSIT:
        return TransitCodec.decode(bytes);
      default:
        {
          String text = new String(bytes, StandardCharsets.UTF_8);
          Object v = EdnReader.read(text, EdnTags.READERS);
          if (v == EdnReader.EOF) throw DatahikeException.of("edn/parse", "Empty EDN document");
          return v;
        }
    }
  }

  /**
   * The format of a {@code Content-Type} or {@code Accept} media type (parameters ignored, case
   * insensitive), or null when it is none of these.
   */
  public static Format ofMediaType(String mediaType) {
    if (mediaType == null) return null;
    String m = mediaType;
    int semi = m.indexOf(';');
    if (semi >= 0) m = m.substring(0, semi);
    m = m.trim().toLowerCase(Locale.ROOT);
    for (Format f : values()) if (f.mediaType.equals(m)) return f;
    return null;
  }

  /** The format named by a keyword or string such as {@code :transit}; null for none. */
  public static Format ofName(Object name) {
    if (name == null) return null;
    String s = name instanceof Keyword k ? k.name() : name.toString();
    if (s.startsWith(":")) s = s.substring(1);
    for (Format f : values()) if (f.keyword.equalsIgnoreCase(s)) return f;
    return null;
  }
}
