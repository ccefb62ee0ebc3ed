package datahike.cli;

import datahike.Connection;
import datahike.Database;
import datahike.migrate.Format;
import datahike.migrate.Migrate;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code export} and {@code import} commands on top of module datahike-migrate: a whole
 * database, history and transaction metadata included, in transaction order with its ids, as
 * Datahike's CBOR export (the default) or EDN lines. Import detects the format from the file's
 * content and needs an empty database; into one, in any backend, it reproduces the history
 * exactly. Progress is drawn while the datoms go through.
 */
final class ImportExport {
  private ImportExport() {}

  /** The first line of an EDN export. */
  static final String HEADER = Migrate.EDN_HEADER;

  /**
   * The format to write {@code file} in: {@code name} when given ({@code cbor} or {@code edn}),
   * else EDN for a {@code .edn} file and Datahike's CBOR for anything else.
   */
  static Format format(String name, Path file) {
    if (name != null) return Format.of(name);
    String f = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return f.endsWith(".edn") ? Format.EDN : Format.CBOR;
  }

  /** Writes every datom of {@code db}'s history to {@code file}; returns how many. */
  static long export(
      Database db, Path file, Format format, PrintWriter progressOut, boolean terminal) {
    Bar bar = new Bar(progressOut, terminal, "export");
    Migrate.Report r =
        Migrate.exportDb(db, file, format, Migrate.Options.DEFAULTS.withProgress(bar));
    bar.finish(r.datoms() + " datoms written to " + file);
    return r.datoms();
  }

  /** Loads {@code file} into {@code conn}; returns the number of datoms loaded. */
  static long importFile(Connection conn, Path file, PrintWriter progressOut, boolean terminal) {
    Bar bar = new Bar(progressOut, terminal, "import");
    Migrate.Report r = Migrate.importDb(conn, file, Migrate.Options.DEFAULTS.withProgress(bar));
    bar.finish(r.datoms() + " datoms in " + r.transactions() + " transactions loaded from " + file);
    return r.datoms();
  }

  /** Draws one phase of a migration ({@code export} or {@code import}) as a {@link Progress}. */
  private static final class Bar implements Migrate.Progress {
    private final PrintWriter out;
    private final boolean terminal;
    private final String phase;
    private Progress p;

    Bar(PrintWriter out, boolean terminal, String phase) {
      this.out = out;
      this.terminal = terminal;
      this.phase = phase;
    }

    @Override
    public void update(String phase, long done, long total) {
      if (!phase.equals(this.phase)) return;
      if (p == null) p = new Progress(out, terminal, phase, "datoms", total);
      p.update(done);
    }

    void finish(String message) {
      (p != null ? p : new Progress(out, terminal, phase, "datoms", 0)).finish(message);
    }
  }
}
