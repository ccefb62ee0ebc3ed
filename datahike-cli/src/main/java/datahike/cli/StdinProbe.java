package datahike.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Decides what {@code datahike} with no command does when standard input is not a terminal: if
 * input arrives, the console runs on it; if it is empty (closed, {@code /dev/null}) or stays silent
 * for a moment (an open pipe nobody writes to, as on some CI runners), there is nothing to run, and
 * the guided demo is shown instead. Never blocks for longer than the wait given.
 */
final class StdinProbe {
  private StdinProbe() {}

  /** How long to wait for the first byte of piped input. */
  static final long WAIT_MILLIS = 1500;

  /**
   * The input with its first byte still in it, or null when {@code in} is empty or silent for
   * {@code waitMillis}. The byte is read on a daemon thread, left blocked when nothing comes.
   */
  static InputStream probe(InputStream in, long waitMillis) {
    CompletableFuture<Integer> first = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                first.complete(in.read());
              } catch (IOException e) {
                first.complete(-1);
              }
            },
            "datahike-stdin-probe");
    t.setDaemon(true);
    t.start();
    int b;
    try {
      b = first.get(waitMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    if (b < 0) return null;
    return new SequenceInputStream(new ByteArrayInputStream(new byte[] {(byte) b}), in);
  }
}
