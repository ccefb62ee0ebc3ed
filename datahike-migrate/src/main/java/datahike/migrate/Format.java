package datahike.migrate;

import datahike.DatahikeException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** The file formats of an export. */
public enum Format {
  /**
   * Datahike's export format and the default: a CBOR sequence (RFC 8742) of {@code [e a v tx
   * added]} arrays, as {@code datahike.migrate/export-db} writes it. Type-exact for every value
   * type but two cases Datahike's encoder narrows (see {@link CborRecords}).
   */
  CBOR("cbor"),
  /**
   * EDN text, one {@code #datahike/Datom [e a v tx added]} per line after a comment line: readable
   * and diffable, as Datahike's first export-db wrote it; floats read back as doubles unless the
   * schema says {@code :db.type/float}.
   */
  EDN("edn");

  private final String extension;

  Format(String extension) {
    this.extension = extension;
  }

  /** The usual file extension, without the dot. */
  public String extension() {
    return extension;
  }

  /**
   * The format named {@code name} ({@code cbor} or {@code edn}, any case).
   *
   * @throws DatahikeException {@code :migrate/unknown-format}
   */
  public static Format of(String name) {
    for (Format f : values()) {
      if (f.extension.equalsIgnoreCase(name.strip())) return f;
    }
    throw DatahikeException.of(
        "migrate/unknown-format",
        "Unknown export format " + name + ", expected cbor or edn",
        "format",
        name);
  }

  /**
   * The format of the export {@code file}, from its first byte: a CBOR array head ({@code 0x80}
   * to {@code 0x9f}) or tag ({@code 0xc0} to {@code 0xdb}) is CBOR, EDN text starts with {@code ;},
   * {@code #}, {@code [} or white space. An empty file goes by its extension ({@code .edn} is EDN,
   * anything else CBOR).
   *
   * @throws DatahikeException {@code :migrate/unknown-format} for anything else, {@code
   *     :migrate/no-such-file}, {@code :migrate/io}
   */
  public static Format detect(Path file) {
    int first;
    try (InputStream in = Files.newInputStream(file)) {
      first = in.read();
    } catch (NoSuchFileException e) {
      throw DatahikeException.of(
          "migrate/no-such-file", "No such file: " + file, "file", file.toString());
    } catch (IOException e) {
      throw DatahikeException.of(
          "migrate/io", "Cannot read " + file + ": " + e.getMessage(), "file", file.toString(), e);
    }
    if (first < 0) {
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      return name.endsWith(".edn") ? EDN : CBOR;
    }
    if ((first >= 0x80 && first <= 0x9f) || (first >= 0xc0 && first <= 0xdb)) return CBOR;
    if (first == ';' || first == '#' || first == '[' || Character.isWhitespace(first)) return EDN;
    throw DatahikeException.of(
        "migrate/unknown-format",
        file
            + " is neither a CBOR nor an EDN export: it starts with byte 0x"
            + Integer.toHexString(first),
        "file",
        file.toString());
  }
}
