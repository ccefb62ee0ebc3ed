package datahike.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The long modes of the reliability proofs, run by hand or from CI's nightly job:
 *
 * <pre>
 * java -cp datahike-core.jar:caffeine.jar:slf4j-api.jar datahike.reliability.StressMain \
 *     crash --cycles 1000 --dir /tmp/crash [--seed 42] [--minutes 25] [--reset-every 200]
 *     [--concurrent-sync] [--quiet]
 * </pre>
 *
 * {@code crash} runs {@link CrashCycles}: a writer child JVM killed with SIGKILL at a random
 * moment, the database reopened and checked, {@code --cycles} times (or until {@code --minutes} run
 * out). {@code --reset-every} starts a fresh database every that many cycles, so that checking the
 * whole database stays quick. {@code --concurrent-sync} flushes from a thread of its own while the
 * writers commit (see {@link CrashCycles.Options}). Prints the cycles run, transactions
 * acknowledged and lost; exits with 1 when anything was lost or found damaged.
 */
public final class StressMain {
  private StressMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !args[0].equals("crash")) {
      System.err.println(
          "usage: StressMain crash --cycles N --dir D [--seed S] [--minutes M]"
              + " [--reset-every K] [--concurrent-sync] [--quiet]");
      System.exit(2);
    }
    Map<String, String> opts = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--quiet") || a.equals("--concurrent-sync")) opts.put(a, "true");
      else if (a.startsWith("--") && i + 1 < args.length) opts.put(a, args[++i]);
      else throw new IllegalArgumentException("unknown argument " + a);
    }
    int cycles = Integer.parseInt(opts.getOrDefault("--cycles", "1000"));
    Path dir = Path.of(opts.getOrDefault("--dir", "crash-stress"));
    long seed = Long.parseLong(opts.getOrDefault("--seed", Long.toString(System.nanoTime())));
    long minutes = Long.parseLong(opts.getOrDefault("--minutes", "0"));
    int resetEvery = Integer.parseInt(opts.getOrDefault("--reset-every", "200"));
    boolean quiet = opts.containsKey("--quiet");
    Files.createDirectories(dir);
    System.out.println("crash: seed " + seed + ", up to " + cycles + " cycles in " + dir);
    CrashCycles.Summary s =
        CrashCycles.run(
            new CrashCycles.Options(
                dir,
                cycles,
                seed,
                minutes * 60_000,
                resetEvery,
                opts.containsKey("--concurrent-sync"),
                quiet ? null : System.out));
    System.out.println("cycles run: " + s.cycles());
    System.out.println("transactions acknowledged: " + s.acknowledged());
    System.out.println("lost: " + s.lost());
    System.out.println("unacknowledged but present (whole): " + s.unacknowledgedPresent());
    System.out.println("kills during startup/recovery: " + s.killsInStartup());
    System.out.println("kills during an index flush: " + s.killsInSync());
    System.out.println("violations: " + s.violationCount());
    for (String v : s.violations()) System.out.println("  " + v);
    System.exit(s.lost() == 0 && s.violationCount() == 0 ? 0 : 1);
  }
}
