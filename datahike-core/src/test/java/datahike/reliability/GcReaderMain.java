package datahike.reliability;

import datahike.Connection;
import datahike.Database;
import datahike.Datahike;
import datahike.DatahikeException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A reader process for {@link GcTest}: connects to the file database in {@code args[0]}, prints
 * {@code READY}, then obeys commands on stdin, one per line:
 *
 * <ul>
 *   <li>{@code SNAP}: catches up ({@code conn.refresh()}) and holds the value as its snapshot,
 *       without reading it; prints {@code SNAP <max-tx>} or {@code ERROR <code> <message>}.
 *   <li>{@code READ}: reads every datom of the snapshot (current and history EAVT); prints {@code
 *       OK <count>} or {@code ERROR <code> <message>}.
 * </ul>
 *
 * It exits when stdin closes.
 */
final class GcReaderMain {
  private GcReaderMain() {}

  public static void main(String[] args) throws Exception {
    try (Connection conn = Datahike.connect(GcTest.config(args[0]))) {
      System.out.println("READY");
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      Database snap = null;
      String cmd;
      while ((cmd = in.readLine()) != null) {
        if (cmd.equals("SNAP")) {
          try {
            snap = conn.refresh();
            System.out.println("SNAP " + snap.maxTx());
          } catch (DatahikeException e) {
            System.out.println("ERROR " + e.code() + " " + e.getMessage().replace('\n', ' '));
          }
        } else if (cmd.equals("READ")) {
          try {
            int n = snap.datoms(":eavt").size() + snap.history().datoms(":eavt").size();
            System.out.println("OK " + n);
          } catch (DatahikeException e) {
            System.out.println("ERROR " + e.code() + " " + e.getMessage().replace('\n', ' '));
          }
        }
        System.out.flush();
      }
    }
  }
}
