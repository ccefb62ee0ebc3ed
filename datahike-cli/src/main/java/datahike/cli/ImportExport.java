package datahike.cli;

import datahike.Connection;
import datahike.Database;
import datahike.DatahikeException;
import datahike.Datom;
import datahike.edn.EdnPrinter;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Export and import of a whole database as EDN lines: a comment line, then one datom per line,
 * {@code #datahike/Datom [e a v tx added]}, in the order of core's {@link Database#export()} (every
 * datom of the history, by transaction then entity, retractions first). Import reads such a file
 * (plain {@code [e a v tx added]} vectors too) and hands the datoms to {@link
 * Connection#loadEntities}, which keeps entity and transaction ids: into an empty database, in any
 * backend, it reproduces the history exactly.
 *
 * <p>Import loads whole transactions in batches of about {@link #BATCH} datoms, so progress can be
 * shown and memory stays bounded. The binary (CBOR) form is left to the storage issue, which
 * defines that format; this EDN form is the interchange format until then.
 */
final class ImportExport {
  private ImportExport() {}

  static final String HEADER =
      ";; datahike-java export v1: EDN lines, #datahike/Datom [e a v tx added] in tx order";

  /** Datoms per load during import (whole transactions are never split). */
  static final int BATCH = 10_000;

  /** Writes every datom of {@code db}'s history to {@code file}; returns how many. */
  static long export(Database db, Path file, PrintWriter progressOut, boolean terminal) {
    List<Datom> all = db.export();
    Progress p = new Progress(progressOut, terminal, "export", "datoms", all.size());
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(HEADER);
      w.newLine();
      StringBuilder sb = new StringBuilder();
      long n = 0;
      for (Datom d : all) {
        sb.setLength(0);
        sb.append("#datahike/Datom [").append(d.e()).append(' ');
        EdnPrinter.print(d.attr(), sb).append(' ');
        EdnPrinter.print(d.v(), sb).append(' ').append(d.tx()).append(' ').append(d.added());
        w.write(sb.append(']').toString());
        w.newLine();
        p.update(++n);
      }
    } catch (IOException e) {
      throw DatahikeException.of(
          "cli/io", "Cannot write " + file + ": " + e.getMessage(), "file", file.toString(), e);
    }
    p.finish(all.size() + " datoms written to " + file);
    return all.size();
  }

  /** Loads {@code file} into {@code conn}; returns the number of datoms loaded. */
  static long importFile(Connection conn, Path file, PrintWriter progressOut, boolean terminal) {
    long total = countDatomLines(file);
    Progress p = new Progress(progressOut, terminal, "import", "datoms", total);
    long done = 0;
    long txs = 0;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      List<Datom> batch = new ArrayList<>();
      long lastTx = Long.MIN_VALUE;
      int lineNo = 0;
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        lineNo++;
        String t = line.strip();
        if (t.isEmpty() || t.startsWith(";")) continue;
        Datom d = datom(t, file + " line " + lineNo);
        if (d.tx() != lastTx) {
          txs++;
          if (batch.size() >= BATCH) {
            conn.loadEntities(batch);
            done += batch.size();
            p.update(done);
            batch = new ArrayList<>();
          }
        }
        lastTx = d.tx();
        batch.add(d);
      }
      if (!batch.isEmpty()) {
        conn.loadEntities(batch);
        done += batch.size();
      }
    } catch (NoSuchFileException e) {
      throw DatahikeException.of(
          "cli/no-such-file", "No such file: " + file, "file", file.toString());
    } catch (IOException e) {
      throw DatahikeException.of(
          "cli/io", "Cannot read " + file + ": " + e.getMessage(), "file", file.toString(), e);
    }
    p.finish(done + " datoms in " + txs + " transactions loaded from " + file);
    return done;
  }

  private static Datom datom(String text, String where) {
    Object o = EdnText.read(text, where);
    if (o instanceof Datom d) return d;
    if (o instanceof List<?> l && l.size() >= 4 && l.get(3) instanceof Number) {
      // A plain vector [e a v tx added?], as other tools write it.
      Object x = EdnText.read("#datahike/Datom " + EdnPrinter.print(l), where);
      if (x instanceof Datom d) return d;
    }
    throw DatahikeException.of(
        "cli/bad-export",
        where + ": expected #datahike/Datom [e a v tx added], got " + text,
        "line",
        text);
  }

  private static long countDatomLines(Path file) {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long n = 0;
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String t = line.trim();
        if (!t.isEmpty() && !t.startsWith(";")) n++;
      }
      return n;
    } catch (NoSuchFileException e) {
      throw DatahikeException.of(
          "cli/no-such-file", "No such file: " + file, "file", file.toString());
    } catch (IOException e) {
      throw DatahikeException.of(
          "cli/io", "Cannot read " + file + ": " + e.getMessage(), "file", file.toString(), e);
    }
  }
}
