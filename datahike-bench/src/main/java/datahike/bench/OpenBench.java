package datahike.bench;

import datahike.Config;
import datahike.Connection;
import datahike.Datahike;
import datahike.TxReport;
import datahike.bench.People20k.Person;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * {@code bench open [--datoms N]}: how long a large file database takes to open in a fresh JVM
 * (issue #5: 10 M datoms in under 2 s, lazily).
 *
 * <p>The database ({@code <work dir>/open-<N>}, people rows as in people20k, bulk-transacted in
 * batches of {@link ScaleBench#BATCH} entity maps) is built once and reused while its descriptor
 * {@code open-<N>.properties} is beside it: the descriptor is written last, so a build that was cut
 * short is redone. Then {@link OpenProbe} runs in {@code runs} fresh child JVMs (this JVM's flags
 * and class path), one after another; each times {@code Datahike.connect} and the first result of a
 * point query on the last person loaded, and the parent checks the answer. The table gives the
 * median and range of those, and of the child's wall time (JVM start included).
 */
final class OpenBench {
  /** Datoms of the default database (issue #5). */
  static final long DEFAULT_DATOMS = 10_000_000L;

  /** Datoms under {@code --quick}. */
  static final long QUICK_DATOMS = 100_000L;

  /** Child JVMs per run (and under {@code --quick}). */
  static final int DEFAULT_RUNS = 5;

  static final int QUICK_RUNS = 3;

  /** The point query the probe answers: name and age of one entity. */
  static final String QUERY = "[:find [?n ?a] :in $ ?e :where [?e :name ?n] [?e :age ?a]]";

  private OpenBench() {}

  /** The configuration of the database at {@code dir}, the same in the builder and the probe. */
  static Config config(Path dir) {
    return Config.parse(
        "{:store {:backend :file :path "
            + Backend.edn(dir.toAbsolutePath().toString())
            + "} :schema-flexibility :write :keep-history? false}");
  }

  /** What the builder recorded: the database's size, and the entity the probe looks up. */
  record Built(
      long people,
      long datoms,
      long eid,
      String name,
      long age,
      double buildSeconds,
      boolean now) {}

  /** Builds (or reuses) the database of {@code datoms} datoms, probes it, returns the table. */
  static Table run(Path workDir, long datoms, int runs, PrintStream log)
      throws IOException, InterruptedException {
    Path dir = workDir.resolve("open-" + datoms);
    Built b = buildOrReuse(dir, datoms, log);
    long[] disk = diskUsage(dir);
    double[] connect = new double[runs];
    double[] first = new double[runs];
    double[] wall = new double[runs];
    for (int r = 0; r < runs; r++) {
      long t0 = System.nanoTime();
      String out = child(dir, b.eid());
      wall[r] = (System.nanoTime() - t0) / 1e6;
      OpenProbe.Result res = OpenProbe.Result.parse(out);
      String expected = b.name() + " " + b.age();
      if (!res.answer().equals(expected)) {
        throw new IllegalStateException(
            "the probe of " + dir + " answered " + res.answer() + ", expected " + expected);
      }
      connect[r] = res.connectMs();
      first[r] = res.firstQueryMs();
      log.printf(
          Locale.ROOT,
          "  run %d/%d: connect %s ms, first query %s ms, child JVM %s ms%n",
          r + 1,
          runs,
          Table.ms(connect[r]),
          Table.ms(first[r]),
          Table.ms(wall[r]));
    }
    double[] total = new double[runs];
    for (int r = 0; r < runs; r++) {
      total[r] = connect[r] + first[r];
    }
    Table t =
        new Table(
            "open",
            String.format(
                Locale.ROOT,
                "open: a %,d-datom file database in a fresh JVM (median of %d)",
                b.datoms(),
                runs),
            List.of(
                Table.Column.of("metric", "metric", Table.Format.TEXT),
                Table.Column.of("median_ms", "median ms", Table.Format.MS),
                Table.Column.of("range_ms", "range", Table.Format.TEXT),
                Table.Column.hidden("samples_ms")));
    row(t, "connect (Datahike.connect)", connect);
    row(t, "first query result", first);
    row(t, "connect + first query result", total);
    row(t, "child JVM wall time (start to exit)", wall);
    t.note(
        String.format(
            Locale.ROOT,
            "database: %s, %,d people, %,d person datoms (plus schema and tx datoms), %.1f MiB in"
                + " %,d files; %s.",
            dir.toAbsolutePath(),
            b.people(),
            b.datoms(),
            disk[0] / 1048576.0,
            disk[1],
            b.now()
                ? String.format(
                    Locale.ROOT,
                    "built now in %.0f s (%,.0f datoms/s)",
                    b.buildSeconds(),
                    b.people() * People20k.ATTRS_PER_PERSON / b.buildSeconds())
                : "reused (built earlier, its descriptor is beside it)"));
    t.note(
        "first query: "
            + QUERY
            + " on the last person loaded; the OS page cache holds whatever earlier runs read.");
    return t;
  }

  private static void row(Table t, String metric, double[] ms) {
    double lo = Arrays.stream(ms).min().orElse(Double.NaN);
    double hi = Arrays.stream(ms).max().orElse(Double.NaN);
    t.row(metric, Timing.median(ms), Table.range(lo, hi), ms);
  }

  private static Path descriptor(Path dir) {
    return dir.resolveSibling(dir.getFileName() + ".properties");
  }

  /** The database at {@code dir}: reused when its descriptor is there, else built from scratch. */
  static Built buildOrReuse(Path dir, long datoms, PrintStream log) throws IOException {
    Path desc = descriptor(dir);
    if (Files.exists(desc)) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(desc, StandardCharsets.UTF_8)) {
        p.load(r);
      }
      log.println("  reusing " + dir + " (delete " + desc + " to rebuild)");
      return new Built(
          Long.parseLong(p.getProperty("people")),
          Long.parseLong(p.getProperty("datoms")),
          Long.parseLong(p.getProperty("eid")),
          p.getProperty("name"),
          Long.parseLong(p.getProperty("age")),
          Double.parseDouble(p.getProperty("build_seconds")),
          false);
    }
    Backend.deleteTree(dir);
    Files.createDirectories(dir.getParent());
    int people = (int) ((datoms + People20k.ATTRS_PER_PERSON - 1) / People20k.ATTRS_PER_PERSON);
    log.printf(
        Locale.ROOT,
        "  building %s: %,d people (bulk, batches of %,d)%n",
        dir,
        people,
        ScaleBench.BATCH);
    List<Person> ps = People20k.generate(people);
    Config cfg = config(dir);
    Datahike.createDatabase(cfg);
    long t0 = System.nanoTime();
    long eid;
    try (Connection conn = Datahike.connect(cfg)) {
      conn.transact(DatahikeHarness.SCHEMA_EDN);
      TxReport last = null;
      long reported = t0;
      for (int i = 0; i < ps.size(); i += ScaleBench.BATCH) {
        List<Object> tx = new ArrayList<>(ScaleBench.BATCH);
        for (Person p : ps.subList(i, Math.min(ps.size(), i + ScaleBench.BATCH))) {
          tx.add(DatahikeHarness.entityMap(p));
        }
        last = conn.transact(tx);
        long now = System.nanoTime();
        if (now - reported > 30_000_000_000L) {
          reported = now;
          log.printf(
              Locale.ROOT,
              "  %,d / %,d people, %.0f s%n",
              Math.min(ps.size(), i + ScaleBench.BATCH),
              ps.size(),
              (now - t0) / 1e9);
        }
      }
      eid = last.tempid(ps.get(ps.size() - 1).tempid());
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Person lastPerson = ps.get(ps.size() - 1);
    long personDatoms = (long) people * People20k.ATTRS_PER_PERSON;
    Properties p = new Properties();
    p.setProperty("people", Long.toString(people));
    p.setProperty("datoms", Long.toString(personDatoms));
    p.setProperty("eid", Long.toString(eid));
    p.setProperty("name", lastPerson.name());
    p.setProperty("age", Long.toString(lastPerson.age()));
    p.setProperty("build_seconds", Double.toString(seconds));
    try (Writer w = Files.newBufferedWriter(desc, StandardCharsets.UTF_8)) {
      p.store(w, "bench open: the database beside this file is complete");
    }
    log.printf(Locale.ROOT, "  built in %.0f s%n", seconds);
    return new Built(people, personDatoms, eid, lastPerson.name(), lastPerson.age(), seconds, true);
  }

  /** Runs {@link OpenProbe} on {@code dir} in a fresh JVM; returns its stdout. */
  private static String child(Path dir, long eid) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(OpenProbe.class.getName());
    cmd.add(dir.toAbsolutePath().toString());
    cmd.add(Long.toString(eid));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IllegalStateException("the open probe of " + dir + " exited with " + rc);
    }
    return out;
  }

  /** Bytes and number of the regular files under {@code dir}. */
  private static long[] diskUsage(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      long[] bytesAndFiles = new long[2];
      files
          .filter(Files::isRegularFile)
          .forEach(
              f -> {
                bytesAndFiles[0] += f.toFile().length();
                bytesAndFiles[1]++;
              });
      return bytesAndFiles;
    }
  }
}
