package datahike.reliability;

import datahike.Config;
import datahike.Connection;
import datahike.Datahike;
import datahike.TxReport;
import datahike.edn.Keyword;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A writer process for {@link MultiProcessWriterTest}. Connects, prints {@code READY}, waits for a
 * line on stdin (so that all writers start together), commits, printing {@code ACK ...} per
 * acknowledged transaction, then {@code DONE}. It pauses a little longer than the writer lock's
 * linger time now and then, so that the lock changes hands between the processes.
 *
 * <ul>
 *   <li>{@code commit <dir> <name> <count>}: {@code [{:mp/id "<name>-<i>" :mp/n i}]}; prints {@code
 *       ACK <name>-<i> <tx>}.
 *   <li>{@code upsert <dir> <name> <count> <keys> <seed>}: {@code [{:u/key "k<r>" :u/by name :u/n
 *       i}]} with r random below keys, transaction metadata {@code {:u/tx "<name>-<i>"}}; prints
 *       {@code ACK <name>-<i> k<r> <tx>}.
 * </ul>
 */
final class WriterChildMain {
  private WriterChildMain() {}

  static Config config(String dir) {
    return Config.parse(
        "{:store {:backend :file :path "
            + CrashWorkload.edn(dir)
            + "} :writer-lock-wait-ms 120000}");
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String name = args[2];
    int count = Integer.parseInt(args[3]);
    SplittableRandom random = new SplittableRandom(args.length > 5 ? Long.parseLong(args[5]) : 1);
    int pauseEvery = mode.equals("commit") ? 50 : 25;
    try (Connection conn = Datahike.connect(config(args[1]))) {
      System.out.println("READY");
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      for (int i = 1; i <= count; i++) {
        String id = name + "-" + i;
        if (mode.equals("commit")) {
          TxReport r = conn.transact("[{:mp/id \"" + id + "\" :mp/n " + i + "}]");
          System.out.println("ACK " + id + " " + r.tx());
        } else {
          String key = "k" + random.nextInt(Integer.parseInt(args[4]));
          TxReport r =
              conn.transact(
                  "[{:u/key \"" + key + "\" :u/by \"" + name + "\" :u/n " + i + "}]",
                  Map.of(Keyword.of("u/tx"), id));
          System.out.println("ACK " + id + " " + key + " " + r.tx());
        }
        System.out.flush();
        if (i % pauseEvery == 0) Thread.sleep(210 + random.nextInt(60));
      }
    }
    System.out.println("DONE");
    System.out.flush();
  }
}
