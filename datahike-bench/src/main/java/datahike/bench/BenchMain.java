package datahike.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Entry point of {@code datahike bench}: runs a suite, prints plain tables, writes the same figures
 * as JSON under {@code bench/results/} with the machine's cores, the JVM and the date.
 *
 * <pre>
 * BenchMain [people20k|scale|commit|all] [--quick] [--runs N] [--harness datahike|datomic]
 *           [--sizes 20000,200000] [--out bench/results] [--dir bench/work]
 * BenchMain commit --backend B[,B...]|all [--quick]
 * BenchMain backends [--backend B[,B...]|all] [--quick]
 * BenchMain open [--datoms N] [--runs N] [--quick]
 * BenchMain gen [DIR]      writes people20k.edn/.tsv like people20k-gen.js and prints the checks
 * </pre>
 *
 * <p>Backends B: {@code file memory lmdb sqlite h2 postgresql mariadb redis s3} (see {@link
 * Backend}); servers are the machine's (PostgreSQL 127.0.0.1:5432 user postgres db test, MariaDB
 * 127.0.0.1:3306 root db test, Redis 127.0.0.1:6379), S3 is s3proxy started in this JVM. A backend
 * that cannot run is reported "skipped (why)" in its row. Every database is fresh and deleted
 * afterwards.
 *
 * <ul>
 *   <li>{@code commit --backend}: the commit suite (1 writer, 16 writers, bulk load) per backend,
 *       one table, the file store as baseline ({@link BackendCommitBench}). Without {@code
 *       --backend}, the file store only, next to the fsync probe ({@link CommitBench}).
 *   <li>{@code backends}: people20k's queries per backend, cold (fresh connection, first call) and
 *       warm (median after warm-up), the file store as baseline ({@link BackendQueryBench}).
 *   <li>{@code open}: builds once (reused from the work dir) a file database of N datoms (default
 *       10,000,000; {@code --quick} 100,000) and times connect + first query result in {@code
 *       --runs} fresh JVMs (default 5; {@link OpenBench}).
 * </ul>
 *
 * <p>{@code --runs N} (people20k; open: see above): forks N fresh JVMs per harness, interleaved
 * (datahike, datomic, datahike, ...), each with this JVM's flags, and reports the median of the run
 * medians and their range (PEOPLE20K.md section 5, across processes). Without it both harnesses run
 * in this JVM.
 */
public final class BenchMain {
  /** The Datomic peer version of the side-by-side baseline (see the module pom). */
  static final String DATOMIC_VERSION = "1.0.7622";

  private static Path workDir = Paths.get("bench", "work");

  private BenchMain() {}

  /** The work directory for durable databases and the fsync probe ({@code --dir}). */
  static Path workDir() {
    return workDir;
  }

  /** Parsed command line. */
  record Args(
      String suite,
      boolean quick,
      int runs,
      String harness,
      Path childOut,
      Path out,
      List<Integer> sizes,
      String backend,
      long datoms,
      List<String> raw) {
    static Args parse(String[] argv) {
      String suite = "people20k";
      boolean quick = false;
      int runs = 0;
      String harness = null;
      String backend = null;
      long datoms = 0;
      Path childOut = null;
      Path out = Paths.get("bench", "results");
      List<Integer> sizes = null;
      boolean suiteGiven = false;
      for (int i = 0; i < argv.length; i++) {
        String a = argv[i];
        switch (a) {
          case "--quick" -> quick = true;
          case "--runs" -> runs = Integer.parseInt(value(argv, ++i, a));
          case "--harness" -> harness = value(argv, ++i, a);
          case "--backend" -> backend = value(argv, ++i, a);
          case "--datoms" -> datoms = Long.parseLong(value(argv, ++i, a).replace("_", ""));
          case "--child-out" -> childOut = Paths.get(value(argv, ++i, a));
          case "--out" -> out = Paths.get(value(argv, ++i, a));
          case "--dir" -> workDir = Paths.get(value(argv, ++i, a));
          case "--sizes" -> {
            sizes = new ArrayList<>();
            for (String s : value(argv, ++i, a).split(",")) {
              sizes.add(Integer.parseInt(s.trim().replace("_", "")));
            }
          }
          case "-h", "--help" -> throw new UsageException(null);
          default -> {
            if (a.startsWith("-") || suiteGiven) {
              throw new UsageException("unknown argument: " + a);
            }
            suite = a;
            suiteGiven = true;
          }
        }
      }
      if (!List.of("people20k", "scale", "commit", "backends", "open", "all", "gen")
          .contains(suite)) {
        throw new UsageException("unknown suite: " + suite);
      }
      if (backend != null) {
        if (!suite.equals("commit") && !suite.equals("backends")) {
          throw new UsageException("--backend is for the commit and backends suites");
        }
        Backend.parse(backend); // fails early on an unknown name
      }
      if (datoms < 0 || (datoms != 0 && !suite.equals("open"))) {
        throw new UsageException("--datoms N (N > 0) is for the open suite");
      }
      if (harness != null && !People20kBench.SYSTEMS.contains(harness)) {
        throw new UsageException("unknown harness: " + harness);
      }
      return new Args(
          suite, quick, runs, harness, childOut, out, sizes, backend, datoms, List.of(argv));
    }

    private static String value(String[] argv, int i, String flag) {
      if (i >= argv.length) {
        throw new UsageException(flag + " needs a value");
      }
      return argv[i];
    }
  }

  /** A bad command line. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }

  static final String USAGE =
      "usage: bench [people20k|scale|commit|all] [--quick] [--runs N] [--harness"
          + " datahike|datomic]\n"
          + "             [--sizes 20000,200000,...] [--out DIR (bench/results)] [--dir DIR"
          + " (bench/work)]\n"
          + "       bench commit --backend BACKEND[,BACKEND...]|all [--quick]\n"
          + "       bench backends [--backend BACKEND[,BACKEND...]|all (all)] [--quick]\n"
          + "       bench open [--datoms N (10000000)] [--runs N (5)] [--quick]\n"
          + "       bench gen [DIR]\n"
          + "  BACKEND: "
          + String.join("|", Backend.NAMES);

  /** Runs the command line; exits with 0, 1 on a failed check, 2 on a usage error. */
  public static void main(String[] argv) throws Exception {
    int code;
    try {
      code = run(argv);
    } catch (UsageException e) {
      if (e.getMessage() != null) {
        System.err.println(e.getMessage());
      }
      System.err.println(USAGE);
      code = 2;
    }
    System.out.flush();
    // Datomic's peer keeps non-daemon threads; exit explicitly.
    System.exit(code);
  }

  static int run(String[] argv) throws Exception {
    if (argv.length > 0 && argv[0].equals("gen")) {
      List<People20k.Person> ps = People20k.generate();
      Path dir = Paths.get(argv.length > 1 ? argv[1] : ".");
      People20k.write(ps, dir);
      People20k.Check c = People20k.check(ps);
      System.out.println(c.describe());
      return c.ok() ? 0 : 1;
    }
    Args args = Args.parse(argv);
    PrintStream out = System.out;
    PrintStream log = System.err;
    boolean child = args.childOut() != null;

    List<People20k.Person> people = People20k.generate();
    People20k.Check check = People20k.check(people);
    double loadStart = loadAverage();
    if (!child) {
      out.println(machineLine());
      out.println(check.describe());
      warnIfBusy(out, loadStart, "at start");
      out.println();
    }
    if (!check.ok()) {
      log.println("people20k data does not match PEOPLE20K.md; refusing to measure.");
      return 1;
    }

    Timing.Plan plan = args.quick() ? Timing.QUICK : Timing.FULL;
    List<Table> tables = new ArrayList<>();
    boolean all = args.suite().equals("all");
    if (all || args.suite().equals("people20k")) {
      if (child) {
        People20kBench.Results res =
            People20kBench.measure(harnesses(args.harness()), plan, people, check, log);
        People20kBench.writeChild(res, args.childOut());
        return 0;
      }
      tables.add(people20k(args, plan, people, check, log));
      out.println(tables.get(tables.size() - 1).render());
    }
    if (all || args.suite().equals("scale")) {
      List<Integer> sizes =
          args.sizes() != null
              ? args.sizes()
              : args.quick() ? ScaleBench.QUICK_SIZES : ScaleBench.FULL_SIZES;
      List<Harness> hs =
          List.of(
              new DatahikeHarness(),
              new DatahikeHarness("datahike-file", LocalBackend.file(workDir)),
              new DatomicHarness());
      tables.add(ScaleBench.run(hs, sizes, Timing.SCALE, log));
      out.println(tables.get(tables.size() - 1).render());
    }
    CommitBench.Plan commitPlan = args.quick() ? CommitBench.QUICK : CommitBench.FULL;
    if (all || (args.suite().equals("commit") && args.backend() == null)) {
      tables.add(CommitBench.run(workDir, commitPlan, log));
      out.println(tables.get(tables.size() - 1).render());
    }
    if (args.suite().equals("commit") && args.backend() != null) {
      tables.add(BackendCommitBench.run(Backend.parse(args.backend()), workDir, commitPlan, log));
      out.println(tables.get(tables.size() - 1).render());
    }
    if (args.suite().equals("backends")) {
      List<String> backends = Backend.parse(args.backend() == null ? "all" : args.backend());
      BackendQueryBench.Plan qp = args.quick() ? BackendQueryBench.QUICK : BackendQueryBench.FULL;
      for (Table t : BackendQueryBench.run(backends, workDir, qp, people, check, log)) {
        tables.add(t);
        out.println(t.render());
      }
    }
    if (args.suite().equals("open")) {
      long datoms =
          args.datoms() > 0
              ? args.datoms()
              : args.quick() ? OpenBench.QUICK_DATOMS : OpenBench.DEFAULT_DATOMS;
      int runs =
          args.runs() > 0
              ? args.runs()
              : args.quick() ? OpenBench.QUICK_RUNS : OpenBench.DEFAULT_RUNS;
      tables.add(OpenBench.run(workDir, datoms, runs, log));
      out.println(tables.get(tables.size() - 1).render());
    }
    double loadEnd = loadAverage();
    warnIfBusy(out, loadEnd, "at end");
    Path file = writeJson(args, plan, check, tables, loadStart, loadEnd);
    out.println("results: " + file);
    removeIfEmpty(workDir);
    return 0;
  }

  /** Removes the work dir when the suites left nothing in it (they delete their databases). */
  private static void removeIfEmpty(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // Not empty, or not ours to remove: leave it.
    }
  }

  private static List<Harness> harnesses(String only) {
    List<Harness> hs = new ArrayList<>();
    if (only == null || only.equals("datahike")) {
      hs.add(new DatahikeHarness());
    }
    if (only == null || only.equals("datomic")) {
      hs.add(new DatomicHarness());
    }
    return hs;
  }

  private static Table people20k(
      Args args,
      Timing.Plan plan,
      List<People20k.Person> people,
      People20k.Check check,
      PrintStream log)
      throws Exception {
    String what =
        "people20k ("
            + plan.name()
            + ": writes "
            + plan.writeWarmups()
            + " warm-up + "
            + plan.writeIters()
            + " timed; queries "
            + plan.queryWarmupMs()
            + " ms warm-up, "
            + plan.querySamples()
            + " samples of >= "
            + plan.querySampleMs()
            + " ms)";
    if (args.runs() <= 1) {
      List<Harness> hs = harnesses(args.harness());
      People20kBench.Results res = People20kBench.measure(hs, plan, people, check, log);
      for (Harness h : hs) {
        h.close();
      }
      return People20kBench.table(
          res, what + ", one JVM", "range: min–max of the samples of this run.");
    }
    Map<String, Map<String, List<People20kBench.Cell>>> runs = new LinkedHashMap<>();
    List<String> systems =
        args.harness() == null ? People20kBench.SYSTEMS : List.of(args.harness());
    for (int r = 1; r <= args.runs(); r++) {
      for (String h : systems) {
        log.println("run " + r + "/" + args.runs() + ": " + h + " in a fresh JVM");
        Path tmp = Files.createTempFile("people20k-" + h + "-", ".tsv");
        try {
          List<String> cmd = new ArrayList<>();
          cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
          cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
          cmd.add("-cp");
          cmd.add(System.getProperty("java.class.path"));
          cmd.add(BenchMain.class.getName());
          cmd.add("people20k");
          if (args.quick()) {
            cmd.add("--quick");
          }
          cmd.addAll(List.of("--harness", h, "--child-out", tmp.toString()));
          int rc = new ProcessBuilder(cmd).inheritIO().start().waitFor();
          if (rc != 0) {
            throw new IllegalStateException("child JVM for " + h + " exited with " + rc);
          }
          People20kBench.readChild(tmp, runs);
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
    }
    return People20kBench.table(
        People20kBench.combine(runs),
        what + ", median of " + args.runs() + " JVM runs per harness",
        "range: min–max of the " + args.runs() + " run medians (each run a fresh JVM).");
  }

  /** Cores, JVM, OS and date on one line, for the top of the output. */
  static String machineLine() {
    Runtime rt = Runtime.getRuntime();
    return "machine: "
        + rt.availableProcessors()
        + " cores, "
        + cpuModel()
        + "; JVM "
        + System.getProperty("java.vm.name")
        + " "
        + System.getProperty("java.runtime.version")
        + ", max heap "
        + (rt.maxMemory() >> 20)
        + " MiB; "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.arch")
        + "; "
        + OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS);
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: the model is a nicety.
    }
    return "unknown CPU";
  }

  /** The 1-minute system load average, or -1 where the OS has none. */
  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /**
   * Other processes competing for the cores make every figure noisy (a load of 8 on 2 cores tripled
   * some query medians in a test run); say so next to the figures.
   */
  private static void warnIfBusy(PrintStream out, double load, String when) {
    int cores = Runtime.getRuntime().availableProcessors();
    if (load > cores * 0.75) {
      out.printf(
          Locale.ROOT,
          "warning: system load %.1f on %d cores %s: other processes are competing, figures are"
              + " noisy%n",
          load,
          cores,
          when);
    }
  }

  private static long totalMemory() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return -1;
  }

  private static Path writeJson(
      Args args,
      Timing.Plan plan,
      People20k.Check check,
      List<Table> tables,
      double loadStart,
      double loadEnd)
      throws IOException {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("suite", args.suite());
    doc.put("date", now.toString());
    doc.put("args", args.raw());
    Runtime rt = Runtime.getRuntime();
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cores", rt.availableProcessors());
    machine.put("cpu", cpuModel());
    machine.put("memory_bytes", totalMemory());
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    machine.put("arch", System.getProperty("os.arch"));
    machine.put("load_average_start", loadStart);
    machine.put("load_average_end", loadEnd);
    doc.put("machine", machine);
    Map<String, Object> jvm = new LinkedHashMap<>();
    jvm.put("name", System.getProperty("java.vm.name"));
    jvm.put("version", System.getProperty("java.runtime.version"));
    jvm.put("vendor", System.getProperty("java.vm.vendor"));
    jvm.put("args", ManagementFactory.getRuntimeMXBean().getInputArguments());
    jvm.put("max_heap_bytes", rt.maxMemory());
    doc.put("jvm", jvm);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("name", plan.name());
    p.put("write_warmups", plan.writeWarmups());
    p.put("write_iterations", plan.writeIters());
    p.put("query_warmup_ms", plan.queryWarmupMs());
    p.put("query_samples", plan.querySamples());
    p.put("query_sample_ms", plan.querySampleMs());
    p.put("runs", Math.max(1, args.runs()));
    doc.put("plan", p);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("sha256", check.sha256());
    data.put("matches_reference", check.ok());
    doc.put("people20k_data", data);
    doc.put("datomic_version", DATOMIC_VERSION);
    List<Object> ts = new ArrayList<>();
    for (Table t : tables) {
      ts.add(t.toJson());
    }
    doc.put("tables", ts);
    Files.createDirectories(args.out());
    String stamp = now.format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
    Path file =
        args.out().resolve(args.suite() + (args.quick() ? "-quick-" : "-") + stamp + ".json");
    Files.writeString(file, Json.write(doc), StandardCharsets.UTF_8);
    return file;
  }
}
