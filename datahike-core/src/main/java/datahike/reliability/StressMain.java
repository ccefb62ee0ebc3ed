package datahike.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The long modes of the reliability proofs, run by hand or from a nightly job: {@code ./datahike
 * stress ...} (the launcher runs this class from module datahike-bench's jar, whose class path
 * holds every backend module and JDBC driver; the child JVMs get the same class path).
 *
 * <pre>
 * stress crash   [--backend file|lmdb|sqlite|h2|postgresql|mariadb|redis | --store EDN]
 *                [--cycles 1000] [--dir D] [--seed S] [--minutes M] [--reset-every 200]
 *                [--concurrent-sync] [--quiet]
 * stress writers [--backend file|postgresql|... | --store EDN] [--processes 4] [--txs 2500]
 *                [--dir D] [--seed S]
 * stress model   [--seeds 100] [--txs 10000] [--seed FIRST] [--dir D] [--memory]
 * </pre>
 *
 * {@code crash} runs {@link CrashCycles}: a writer child JVM killed with SIGKILL at a random
 * moment, the database reopened and checked, {@code --cycles} times (or until {@code --minutes} run
 * out). {@code --reset-every} starts a fresh database every that many cycles, so that checking the
 * whole database stays quick. {@code --concurrent-sync} flushes from a thread of its own while the
 * writers commit (see {@link CrashCycles.Options}). What a kill means per backend: see {@link
 * CrashBackend}. Prints the cycles run, transactions acknowledged and lost.
 *
 * <p>{@code writers} runs {@link MultiWriters}: processes committing to one database at once, half
 * of their transactions upserts of shared unique-identity keys. {@code model} runs {@link ModelRun}
 * for {@code --seeds} seeds. Every mode exits with 1 when anything was lost or read wrong, 2 on bad
 * arguments.
 */
public final class StressMain {
  private StressMain() {}

  private static final Set<String> FLAGS = Set.of("--quiet", "--concurrent-sync", "--memory");

  public static void main(String[] args) throws Exception {
    String mode = args.length == 0 ? "" : args[0];
    if (!Set.of("crash", "writers", "model").contains(mode)) {
      System.err.println(
          "usage: stress crash [--backend B | --store EDN] [--cycles N] [--dir D] [--seed S]"
              + " [--minutes M] [--reset-every K] [--concurrent-sync] [--quiet]\n"
              + "       stress writers [--backend B | --store EDN] [--processes P] [--txs N]"
              + " [--dir D] [--seed S]\n"
              + "       stress model [--seeds K] [--txs N] [--seed FIRST] [--dir D] [--memory]\n"
              + "backends: "
              + CrashBackend.NAMES);
      System.exit(2);
    }
    Map<String, String> opts = options(Arrays.copyOfRange(args, 1, args.length));
    boolean ok =
        switch (mode) {
          case "crash" -> crash(opts);
          case "writers" -> writers(opts);
          default -> model(opts);
        };
    System.exit(ok ? 0 : 1);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (FLAGS.contains(a)) opts.put(a, "true");
      else if (a.startsWith("--") && i + 1 < args.length) opts.put(a, args[++i]);
      else throw new IllegalArgumentException("unknown argument " + a);
    }
    return opts;
  }

  private static CrashBackend backend(Map<String, String> opts) {
    String store = opts.get("--store");
    if (store != null) return new CrashBackend("custom", store);
    return CrashBackend.named(opts.getOrDefault("--backend", "file"));
  }

  private static long seed(Map<String, String> opts) {
    return Long.parseLong(opts.getOrDefault("--seed", Long.toString(System.nanoTime())));
  }

  private static Path dir(Map<String, String> opts, String name) throws Exception {
    Path dir = Path.of(opts.getOrDefault("--dir", name));
    Files.createDirectories(dir);
    return dir;
  }

  private static boolean crash(Map<String, String> opts) throws Exception {
    CrashBackend backend = backend(opts);
    int cycles = Integer.parseInt(opts.getOrDefault("--cycles", "1000"));
    Path dir = dir(opts, "crash-stress");
    long seed = seed(opts);
    long minutes = Long.parseLong(opts.getOrDefault("--minutes", "0"));
    int resetEvery = Integer.parseInt(opts.getOrDefault("--reset-every", "200"));
    boolean quiet = opts.containsKey("--quiet");
    System.out.println(
        "crash: backend " + backend.name() + ", seed " + seed + ", up to " + cycles + " cycles");
    long start = System.nanoTime();
    CrashCycles.Summary s =
        CrashCycles.run(
            new CrashCycles.Options(
                dir,
                backend,
                cycles,
                seed,
                minutes * 60_000,
                resetEvery,
                opts.containsKey("--concurrent-sync"),
                quiet ? null : System.out));
    System.out.println("backend: " + backend.name());
    System.out.println("cycles run: " + s.cycles());
    System.out.println("transactions acknowledged: " + s.acknowledged());
    System.out.println("lost: " + s.lost());
    System.out.println("unacknowledged but present (whole): " + s.unacknowledgedPresent());
    System.out.println("kills during startup/recovery: " + s.killsInStartup());
    System.out.println("kills during an index flush: " + s.killsInSync());
    System.out.println("violations: " + s.violationCount());
    System.out.println("seconds: " + (System.nanoTime() - start) / 1_000_000_000);
    for (String v : s.violations()) System.out.println("  " + v);
    return s.lost() == 0 && s.violationCount() == 0;
  }

  private static boolean writers(Map<String, String> opts) throws Exception {
    CrashBackend backend = backend(opts);
    int processes = Integer.parseInt(opts.getOrDefault("--processes", "4"));
    int txs = Integer.parseInt(opts.getOrDefault("--txs", "2500"));
    Path dir = dir(opts, "writers-stress");
    long seed = seed(opts);
    System.out.println(
        "writers: backend "
            + backend.name()
            + ", "
            + processes
            + " processes x "
            + txs
            + " transactions, seed "
            + seed);
    MultiWriters.Outcome o = MultiWriters.run(backend, dir, processes, txs, seed, System.out);
    System.out.println(o);
    return o.ok();
  }

  private static boolean model(Map<String, String> opts) throws Exception {
    int seeds = Integer.parseInt(opts.getOrDefault("--seeds", "100"));
    int txs = Integer.parseInt(opts.getOrDefault("--txs", "10000"));
    long first = Long.parseLong(opts.getOrDefault("--seed", "1"));
    boolean memory = opts.containsKey("--memory");
    Path dir = memory ? null : dir(opts, "model-stress");
    System.out.println(
        "model: seeds "
            + first
            + ".."
            + (first + seeds - 1)
            + ", "
            + txs
            + " transactions each, "
            + (memory ? "memory" : "file")
            + " databases");
    long start = System.nanoTime();
    long committed = 0;
    long rejected = 0;
    long checks = 0;
    long wrong = 0;
    for (long seed = first; seed < first + seeds; seed++) {
      ModelRun.Result r = ModelRun.run(seed, txs, dir == null ? null : dir.resolve("s" + seed));
      committed += r.committed();
      rejected += r.rejected();
      checks += r.checks();
      wrong += r.wrongReads();
      System.out.println(r);
      if (r.wrongReads() > 0) break;
    }
    System.out.printf(
        "model: %d transactions committed, %d rejected, %d index/as-of/history checks,"
            + " wrong reads %d, %d s%n",
        committed, rejected, checks, wrong, (System.nanoTime() - start) / 1_000_000_000);
    return wrong == 0;
  }
}
