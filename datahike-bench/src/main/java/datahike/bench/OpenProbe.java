package datahike.bench;

import datahike.Config;
import datahike.Connection;
import datahike.Datahike;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The child JVM of {@code bench open}: connects to the file database given as the first argument,
 * runs {@link OpenBench#QUERY} on the entity given as the second, and prints one line, {@code
 * connect_ms=<ms> first_query_ms=<ms> answer=<name> <age>}, read back by {@link Result#parse}.
 */
public final class OpenProbe {
  private OpenProbe() {}

  /** One probe's figures and the answer it got. */
  record Result(double connectMs, double firstQueryMs, String answer) {
    static Result parse(String out) {
      for (String line : out.lines().toList()) {
        if (line.startsWith("connect_ms=")) {
          String[] f = line.split(" ", 3);
          return new Result(
              Double.parseDouble(f[0].substring("connect_ms=".length())),
              Double.parseDouble(f[1].substring("first_query_ms=".length())),
              f[2].substring("answer=".length()));
        }
      }
      throw new IllegalStateException("the open probe printed no result line: " + out);
    }
  }

  /** {@code OpenProbe DIR EID}. */
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    long eid = Long.parseLong(args[1]);
    long t0 = System.nanoTime();
    Config cfg = OpenBench.config(dir);
    try (Connection conn = Datahike.connect(cfg)) {
      long t1 = System.nanoTime();
      Object r = Datahike.q(OpenBench.QUERY, conn.db(), eid);
      long t2 = System.nanoTime();
      if (!(r instanceof List<?> row) || row.size() != 2) {
        throw new IllegalStateException("entity " + eid + " of " + dir + ": got " + r);
      }
      System.out.printf(
          Locale.ROOT,
          "connect_ms=%.3f first_query_ms=%.3f answer=%s %s%n",
          (t1 - t0) / 1e6,
          (t2 - t1) / 1e6,
          row.get(0),
          row.get(1));
    }
  }
}
