package datahike.migrate;

import datahike.DatahikeException;
import datahike.Datom;
import datahike.db.EdnTags;
import datahike.edn.EdnPrinter;
import datahike.edn.Keyword;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.io.Writer;

/**
 * The EDN export: a comment line, then one {@code #datahike/Datom [e a v tx added]} per line, as
 * Datahike's first export-db printed datoms ({@code prn}). Plain vectors {@code [e a v tx added]}
 * are read too.
 */
final class EdnRecords {
  private EdnRecords() {}

  static final String HEADER =
      ";; datahike-java export v1: EDN lines, #datahike/Datom [e a v tx added] in tx order";

  /** Writes the header and then records, one per line, as UTF-8. */
  static final class LineWriter implements RecordSink {
    private final Writer out;
    private final StringBuilder sb = new StringBuilder();

    LineWriter(OutputStream stream) throws IOException {
      this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
      out.write(HEADER);
      out.write('\n');
    }

    @Override
    public void write(long e, Object a, Object v, long tx, boolean added) throws IOException {
      sb.setLength(0);
      sb.append("#datahike/Datom [").append(e).append(' ');
      EdnPrinter.print(a, sb).append(' ');
      EdnPrinter.print(v, sb).append(' ').append(tx).append(' ').append(added).append("]\n");
      out.write(sb.toString());
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  /** Reads records line by line; errors name the line. */
  static final class LineReader implements RecordReader {
    private final BufferedReader in;
    private final String source;
    private long line;

    LineReader(BufferedReader in, String source) {
      this.in = in;
      this.source = source;
    }

    @Override
    public Record next() {
      try {
        for (String text = in.readLine(); text != null; text = in.readLine()) {
          line++;
          String t = text.strip();
          if (t.isEmpty() || t.startsWith(";")) continue;
          return parse(t);
        }
        return null;
      } catch (IOException e) {
        throw DatahikeException.of(
            "migrate/io", "Cannot read " + source + ": " + e.getMessage(), "file", source, e);
      }
    }

    private Record parse(String text) {
      Object o;
      try {
        o = EdnTags.read(text.startsWith("[") ? "#datahike/Datom " + text : text);
      } catch (DatahikeException e) {
        throw corrupt(e.getMessage(), e);
      }
      if (!(o instanceof Datom d)) {
        throw corrupt("expected #datahike/Datom [e a v tx added], got " + text, null);
      }
      Object a = d.attr();
      if (!(a instanceof Keyword) && !(a instanceof Long)) {
        throw corrupt("bad attribute " + a, null);
      }
      return new Record(d.e(), a, d.v(), d.tx(), d.added());
    }

    private DatahikeException corrupt(String what, Throwable cause) {
      String msg = source + " is corrupt at line " + line + ": " + what;
      return cause == null
          ? DatahikeException.of("migrate/corrupt", msg, "file", source, "line", line)
          : DatahikeException.of("migrate/corrupt", msg, "file", source, "line", line, cause);
    }

    @Override
    public String position() {
      return source + " line " + line;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
