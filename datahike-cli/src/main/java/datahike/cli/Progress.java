package datahike.cli;

import java.io.PrintWriter;

/**
 * Shows how far a long job is: on a terminal a bar redrawn in place ({@code \r}), elsewhere a plain
 * line at every tenth (so logs stay readable), and a closing line in both cases.
 */
final class Progress {
  private static final int BAR = 30;

  /** Plain lines are written only for jobs at least this big; small ones get the closing line. */
  static final long PLAIN_FROM = 1000;

  private final PrintWriter out;
  private final boolean terminal;
  private final String label;
  private final String unit;
  private final long total;
  private int lastShown = -1;

  /**
   * @param out where to draw
   * @param terminal true to draw a bar in place, false for plain lines
   * @param label what is being done, e.g. {@code export}
   * @param unit what is counted, e.g. {@code datoms}
   * @param total how many there are (0 when unknown)
   */
  Progress(PrintWriter out, boolean terminal, String label, String unit, long total) {
    this.out = out;
    this.terminal = terminal;
    this.label = label;
    this.unit = unit;
    this.total = total;
  }

  /** Reports that {@code done} of the total are done. */
  void update(long done) {
    if (total <= 0) return;
    int pct = (int) Math.min(100, done * 100 / total);
    if (terminal) {
      if (pct == lastShown) return;
      lastShown = pct;
      int filled = pct * BAR / 100;
      out.print(
          "\r"
              + label
              + " ["
              + "#".repeat(filled)
              + ".".repeat(BAR - filled)
              + "] "
              + pct
              + "% "
              + done
              + "/"
              + total
              + " "
              + unit);
      out.flush();
    } else if (total >= PLAIN_FROM) {
      int tenth = pct / 10;
      if (tenth == lastShown || tenth == 10 || tenth == 0) return;
      lastShown = tenth;
      out.println(label + ": " + (tenth * 10) + "% (" + done + "/" + total + " " + unit + ")");
      out.flush();
    }
  }

  /** Ends the display with {@code message} on its own line. */
  void finish(String message) {
    if (terminal && lastShown >= 0) out.print("\r\033[K");
    out.println(label + ": " + message);
    out.flush();
  }
}
