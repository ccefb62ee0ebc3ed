package datahike.migrate;

import datahike.Connection;
import datahike.Database;
import datahike.DatahikeException;
import datahike.Datom;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Export and import of a whole database: every datom of the history, transaction metadata
 * included, in transaction order, with entity and transaction ids kept. An export imported into a
 * freshly created database, in any backend, reproduces the history exactly, so this is how a
 * database moves between backends.
 *
 * <p>The default format is Datahike's CBOR export ({@link Format#CBOR}): files written here are
 * read by Datahike's {@code datahike.migrate/import-db}, and its {@code export-db} files are read
 * here. {@link Format#EDN} writes the same records as EDN lines.
 *
 * <pre>{@code
 * Migrate.exportDb(source.db(), Path.of("backup.cbor"), Format.CBOR);
 * Datahike.createDatabase(target);
 * try (Connection conn = Datahike.connect(target)) {
 *   Migrate.importDb(conn, Path.of("backup.cbor"));
 * }
 * }</pre>
 *
 * <p>Both directions stream: export holds at most {@link Options#windowDatoms} datoms while
 * sorting them into transaction order, import at most {@link Options#batchDatoms} (whole
 * transactions are never split).
 */
public final class Migrate {
  private Migrate() {}

  /** The first line of an EDN export: a comment saying what the file is. */
  public static final String EDN_HEADER = EdnRecords.HEADER;

  /** Reports progress: {@code phase} is "export", "check" or "import"; total is known. */
  @FunctionalInterface
  public interface Progress {
    /** No reporting. */
    Progress NONE = (phase, done, total) -> {};

    /** {@code done} of {@code total} datoms of {@code phase} are through. */
    void update(String phase, long done, long total);
  }

  /**
   * Tuning and progress.
   *
   * @param batchDatoms datoms per load during import (whole transactions, so a batch may be larger)
   * @param windowDatoms datoms held while sorting an export into transaction order; a larger
   *     database is read in several passes
   * @param progress called every {@code batchDatoms} datoms and at the end of each phase
   */
  public record Options(int batchDatoms, int windowDatoms, Progress progress) {
    /** 10,000 datoms per load, windows of 1,000,000 datoms, no progress. */
    public static final Options DEFAULTS = new Options(10_000, 1_000_000, Progress.NONE);

    public Options {
      if (batchDatoms < 1 || windowDatoms < 1) {
        throw new IllegalArgumentException("batch and window sizes must be positive");
      }
      if (progress == null) progress = Progress.NONE;
    }

    /** These options with another progress listener. */
    public Options withProgress(Progress p) {
      return new Options(batchDatoms, windowDatoms, p);
    }
  }

  /**
   * What an export or import did.
   *
   * @param format the file's format
   * @param datoms the datoms written or loaded
   * @param transactions the transactions they belong to
   */
  public record Report(Format format, long datoms, long transactions) {}

  /** Exports {@code conn}'s database to {@code file} in Datahike's CBOR format. */
  public static Report exportDb(Connection conn, Path file) {
    return exportDb(conn.db(), file, Format.CBOR, Options.DEFAULTS);
  }

  /** Exports {@code db} to {@code file} in {@code format}. */
  public static Report exportDb(Database db, Path file, Format format) {
    return exportDb(db, file, format, Options.DEFAULTS);
  }

  /**
   * Exports the whole of {@code db} (its history when it keeps history; views such as as-of are
   * ignored, as in Datahike) to {@code file} in {@code format}. The file is written beside its
   * final name and moved into place when complete, so a failed export leaves no partial file.
   *
   * @throws DatahikeException {@code :migrate/io}, {@code :migrate/unsupported-value}
   */
  public static Report exportDb(Database db, Path file, Format format, Options options) {
    Path part = file.resolveSibling(file.getFileName() + ".part");
    long[] txs = {0, Long.MIN_VALUE};
    long n;
    try (OutputStream out = Files.newOutputStream(part)) {
      RecordSink sink =
          format == Format.CBOR ? new CborRecords.Writer(out) : new EdnRecords.LineWriter(out);
      n =
          ExportOrder.forEach(
              db,
              options.windowDatoms(),
              new ExportOrder.Sink() {
                long done;
                long total;

                @Override
                public void start(long total) {
                  this.total = total;
                  options.progress().update("export", 0, total);
                }

                @Override
                public void accept(Datom d) throws IOException {
                  sink.write(d.e(), d.attr(), d.v(), d.tx(), d.added());
                  if (d.tx() != txs[1]) {
                    txs[0]++;
                    txs[1] = d.tx();
                  }
                  if (++done % options.batchDatoms() == 0) {
                    options.progress().update("export", done, total);
                  }
                }
              });
      sink.close();
      options.progress().update("export", n, n);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(part);
      } catch (IOException ignored) {
        // The export failed already; that error is the one to report.
      }
      if (e instanceof RuntimeException r) throw r;
      throw io("write", file, (IOException) e);
    }
    try {
      try {
        Files.move(
            part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw io("write", file, e);
    }
    return new Report(format, n, txs[0]);
  }

  /** Imports {@code file} (format detected from its content) into {@code conn}. */
  public static Report importDb(Connection conn, Path file) {
    return importDb(conn, file, Options.DEFAULTS);
  }

  /**
   * Imports the export {@code file} into {@code conn}'s database, which must be empty (freshly
   * created): the format is detected from the content ({@link Format#detect}), the whole file is
   * checked first, so a corrupt or truncated file is refused before anything is loaded, then its
   * transactions are loaded in order with their own entity and transaction ids ({@link
   * Connection#loadEntities}).
   *
   * @throws DatahikeException {@code :migrate/corrupt} naming the file position, {@code
   *     :migrate/not-empty}, {@code :migrate/config-mismatch}, {@code :migrate/no-such-file},
   *     {@code :migrate/io}, or the error of a load (then the transactions before it are loaded)
   */
  public static Report importDb(Connection conn, Path file, Options options) {
    return new Importer(conn, file, Format.detect(file), options).run();
  }

  static DatahikeException io(String verb, Path file, IOException e) {
    return DatahikeException.of(
        "migrate/io",
        "Cannot " + verb + " " + file + ": " + e.getMessage(),
        "file",
        file.toString(),
        e);
  }
}
