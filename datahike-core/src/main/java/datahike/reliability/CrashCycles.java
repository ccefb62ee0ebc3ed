package datahike.reliability;

import datahike.Config;
import datahike.Connection;
import datahike.Datahike;
import datahike.DatahikeException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Kill-and-recover cycles: each cycle starts a {@link CrashWriter} child on one database of a
 * {@link CrashBackend} (the file store by default), kills it with SIGKILL at a random moment, then
 * reopens the database and checks it with {@link CrashVerifier} against everything acknowledged so
 * far. Where the kill lands is chosen per cycle (from the seed): while the child starts and
 * recovers the log, at a random time while it commits, or shortly after it started an index flush
 * ({@code conn.sync()}). Odd cycles run 8 writer threads (group commit), even ones a single writer
 * that flushes every few commits.
 */
public final class CrashCycles {
  private CrashCycles() {}

  /**
   * The result of a run.
   *
   * @param seed the seed of the run
   * @param cycles cycles run
   * @param acknowledged transactions acknowledged by the children
   * @param lost acknowledged transactions missing at some verification (must be 0)
   * @param unacknowledgedPresent transactions found whole although their ack was never read
   * @param killsInStartup kills before the child reported READY
   * @param killsInSync kills that landed between SYNC and SYNCED (during an index flush)
   * @param violations the first violations found (empty when all is well)
   * @param violationCount all violations
   */
  public record Summary(
      long seed,
      int cycles,
      long acknowledged,
      long lost,
      long unacknowledgedPresent,
      int killsInStartup,
      int killsInSync,
      List<String> violations,
      long violationCount) {
    @Override
    public String toString() {
      return "seed "
          + seed
          + ": cycles "
          + cycles
          + ", acknowledged "
          + acknowledged
          + ", lost "
          + lost
          + ", unacknowledged but present (whole) "
          + unacknowledgedPresent
          + ", kills during startup/recovery "
          + killsInStartup
          + ", kills during an index flush "
          + killsInSync
          + ", violations "
          + violationCount
          + (violations.isEmpty() ? "" : " " + violations);
    }
  }

  /**
   * Options of a run.
   *
   * @param dir where the databases' files go (for backends with files)
   * @param backend the backend the databases live on
   * @param cycles how many cycles to run
   * @param seed the seed of every random choice
   * @param maxMillis stop starting cycles after this long (0: no limit)
   * @param resetEvery start a fresh database every this many cycles (0: never)
   * @param concurrentSync flush from a thread of its own, racing the writers (otherwise writer 0 of
   *     single-writer cycles flushes between its commits, and 8-writer cycles do not flush)
   * @param log where to report each cycle, or null
   */
  public record Options(
      Path dir,
      CrashBackend backend,
      int cycles,
      long seed,
      long maxMillis,
      int resetEvery,
      boolean concurrentSync,
      PrintStream log) {}

  /** Runs {@code o.cycles()} cycles (or fewer when {@code o.maxMillis()} runs out). */
  public static Summary run(Options o) throws IOException, InterruptedException {
    SplittableRandom random = new SplittableRandom(o.seed());
    long start = System.currentTimeMillis();
    Map<String, Long> acked = new HashMap<>();
    Map<String, Long> seen = new HashMap<>();
    long ackTotal = 0;
    Set<String> lost = new HashSet<>();
    long unacked = 0;
    int startupKills = 0;
    int syncKills = 0;
    List<String> violations = new ArrayList<>();
    long violationCount = 0;
    int cycle = 0;
    int generation = 0;
    String run = CrashBackend.runName();
    String store = o.backend().store(o.dir(), run, generation);
    create(store);
    for (; cycle < o.cycles(); cycle++) {
      if (o.maxMillis() > 0 && System.currentTimeMillis() - start > o.maxMillis()) break;
      if (o.resetEvery() > 0 && cycle > 0 && cycle % o.resetEvery() == 0) {
        delete(CrashWorkload.config(store));
        store = o.backend().store(o.dir(), run, ++generation);
        create(store);
        acked.clear();
        seen.clear();
      }
      int threads = cycle % 2 == 1 ? 8 : 1;
      String sync;
      if (o.concurrentSync()) {
        long min = 20 + random.nextInt(100);
        sync = "thread:" + min + ":" + (min + 1 + random.nextInt(200));
      } else {
        sync = threads == 1 ? "inline:" + (5 + random.nextInt(30)) : "none";
      }
      Process p =
          ChildJvm.start(
              CrashWriter.class,
              List.of(
                  store,
                  Integer.toString(cycle),
                  Integer.toString(threads),
                  sync,
                  Long.toString(random.nextLong())));
      ChildOutput out = new ChildOutput(p);
      int mode = random.nextInt(20);
      String how;
      if (mode < 3) {
        how = "startup";
        Thread.sleep(random.nextInt(700));
      } else if (mode < 11) {
        how = "random";
        int first = out.await("ACK", 0, 60_000);
        if (first < 0) how = "random (no ACK seen)";
        Thread.sleep(random.nextInt(400));
      } else if (sync.equals("none")) {
        how = "random";
        if (out.await("ACK", 0, 60_000) < 0) how = "random (no ACK seen)";
        Thread.sleep(random.nextInt(400));
      } else {
        how = "sync";
        int first = out.await("ACK", 0, 60_000);
        int synced = out.await("SYNC", Math.max(0, first), 10_000);
        if (synced < 0) how = "sync (none seen)";
        int delay = random.nextInt(4) == 0 ? 0 : random.nextInt(60);
        if (delay > 0) Thread.sleep(delay);
      }
      p.destroyForcibly();
      if (!p.waitFor(60, TimeUnit.SECONDS)) throw new IllegalStateException("child did not die");
      List<String> lines = out.finish(10_000);
      Map<String, Long> cycleAcks = new HashMap<>();
      boolean ready = false;
      boolean inSync = false;
      List<String> errors = new ArrayList<>();
      for (String l : lines) {
        if (l.equals("READY")) ready = true;
        else if (l.equals("SYNC")) inSync = true;
        else if (l.equals("SYNCED")) inSync = false;
        else if (l.startsWith("ACK ")) {
          String[] f = l.split(" ");
          cycleAcks.put(f[1], Long.parseLong(f[2]));
        } else if (l.startsWith("ERROR")) errors.add("cycle " + cycle + ": child " + l);
      }
      if (!ready) startupKills++;
      if (inSync) syncKills++;
      acked.putAll(cycleAcks);
      ackTotal += cycleAcks.size();
      CrashVerifier.Outcome v = CrashVerifier.verify(CrashWorkload.config(store), acked, seen);
      lost.addAll(v.lost());
      for (String k : v.present().keySet()) {
        if (!acked.containsKey(k) && !seen.containsKey(k)) unacked++;
      }
      seen.putAll(v.present());
      long bad = v.violationCount() + errors.size();
      violationCount += bad;
      for (String e : errors) if (violations.size() < 30) violations.add(e);
      for (String e : v.violations()) {
        if (violations.size() < 30) violations.add("cycle " + cycle + ": " + e);
      }
      if (o.log() != null) {
        o.log()
            .printf(
                "cycle %d (%d thread%s, kill %s%s): %d acknowledged, %d present, %s%n",
                cycle,
                threads,
                threads == 1 ? "" : "s",
                how,
                inSync ? ", landed in a flush" : "",
                cycleAcks.size(),
                v.present().size(),
                bad == 0 ? "ok" : bad + " violations " + v.violations() + errors);
      }
    }
    // A database with damage stays for inspection; a sound one goes (server tables, Redis keys).
    if (violationCount == 0) delete(CrashWorkload.config(store));
    return new Summary(
        o.seed(),
        cycle,
        ackTotal,
        lost.size(),
        unacked,
        startupKills,
        syncKills,
        List.copyOf(violations),
        violationCount);
  }

  /**
   * Deletes a crash database once the killed writer's lock is gone: at once where the lock died
   * with the process (file, session), after its lease ran out where it is a lease (Redis, S3).
   */
  static void delete(Config cfg) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 120_000;
    while (true) {
      try {
        Datahike.deleteDatabase(cfg);
        return;
      } catch (DatahikeException e) {
        if (!e.code().fullName().equals("store/locked") || System.currentTimeMillis() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  private static void create(String store) {
    Config cfg = CrashWorkload.config(store);
    Datahike.createDatabase(cfg);
    try (Connection conn = Datahike.connect(cfg)) {
      conn.transact(CrashWorkload.SCHEMA);
    }
  }
}
