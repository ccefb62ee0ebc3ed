package datahike.reliability;

import datahike.Connection;
import datahike.Datahike;
import datahike.TxReport;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The child process of the crash test: commits {@link CrashWorkload} transactions to a database as
 * fast as it can until it is killed, and reports on stdout, one line per event, each written with a
 * single {@code write} call (atomic on a pipe) once the event happened:
 *
 * <pre>
 * READY                  connected
 * ACK &lt;key&gt; &lt;tx&gt;         transaction key was acknowledged (durable) as transaction tx
 * SYNC / SYNCED          a conn.sync() (index flush) starts / ended
 * ERROR &lt;message&gt;        a writer failed (the driver counts it as a violation)
 * </pre>
 *
 * Usage: {@code CrashWriter <store> <cycle> <threads> <sync> <seed>}, where {@code store} is the
 * store map (EDN) and {@code sync} is {@code none}, {@code inline:N} (writer thread 0 calls {@code
 * conn.sync()} after every N of its transactions; the other writers keep committing meanwhile) or
 * {@code thread:MIN:MAX} (a separate thread syncs every MIN to MAX milliseconds).
 */
public final class CrashWriter {
  private CrashWriter() {}

  private static final FileOutputStream OUT = new FileOutputStream(FileDescriptor.out);

  /** Writes one line to stdout in one system call. */
  static synchronized void line(String s) {
    try {
      OUT.write((s + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      System.exit(3); // the driver is gone
    }
  }

  public static void main(String[] args) throws Exception {
    String store = args[0];
    int cycle = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    String[] sync = args[3].split(":");
    SplittableRandom random = new SplittableRandom(Long.parseLong(args[4]));
    int syncEvery = sync[0].equals("inline") ? Integer.parseInt(sync[1]) : 0;
    try (Connection conn = Datahike.connect(CrashWorkload.config(store))) {
      line("READY");
      List<Thread> all = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String w = CrashWorkload.writer(cycle, t);
        int every = t == 0 ? syncEvery : 0;
        Thread th = new Thread(() -> write(conn, w, every), "writer-" + w);
        th.start();
        all.add(th);
      }
      if (sync[0].equals("thread")) {
        SplittableRandom r = random.split();
        long min = Long.parseLong(sync[1]);
        long max = Long.parseLong(sync[2]);
        Thread th = new Thread(() -> syncs(conn, r, min, max), "syncer");
        th.setDaemon(true);
        th.start();
      }
      for (Thread th : all) th.join();
    }
  }

  private static void write(Connection conn, String w, int syncEvery) {
    try {
      for (long n = 1; ; n++) {
        TxReport r = conn.transact(CrashWorkload.tx(w, n));
        line("ACK " + CrashWorkload.key(w, n) + " " + r.tx());
        if (syncEvery > 0 && n % syncEvery == 0) {
          line("SYNC");
          conn.sync();
          line("SYNCED");
        }
      }
    } catch (RuntimeException e) {
      line("ERROR " + w + ": " + e.toString().replace('\n', ' '));
      e.printStackTrace();
    }
  }

  private static void syncs(Connection conn, SplittableRandom r, long min, long max) {
    try {
      while (true) {
        Thread.sleep(min + r.nextLong(Math.max(1, max - min)));
        line("SYNC");
        conn.sync();
        line("SYNCED");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      line("ERROR sync: " + e.toString().replace('\n', ' '));
      e.printStackTrace();
    }
  }
}
