package datahike.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects a child process's stdout as lines on a background thread. Only lines ended by a newline
 * count: a line cut short by the kill is dropped, never half-read.
 */
public final class ChildOutput {
  private final List<String> lines = new ArrayList<>();
  private final Thread reader;
  private boolean ended;

  /** Starts reading {@code p}'s stdout. */
  public ChildOutput(Process p) {
    InputStream in = p.getInputStream();
    reader = new Thread(() -> pump(in), "child-stdout-" + p.pid());
    reader.setDaemon(true);
    reader.start();
  }

  private void pump(InputStream in) {
    ByteArrayOutputStream cur = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            add(cur.toString(StandardCharsets.UTF_8));
            cur.reset();
          } else {
            cur.write(buf[i]);
          }
        }
      }
    } catch (IOException e) {
      // the pipe broke: the child is gone
    } finally {
      synchronized (this) {
        ended = true;
        notifyAll();
      }
    }
  }

  private synchronized void add(String line) {
    lines.add(line);
    notifyAll();
  }

  /**
   * Waits until a line starting with {@code prefix} arrives at index {@code from} or later; returns
   * its index, or -1 on timeout or end of output.
   */
  public synchronized int await(String prefix, int from, long timeoutMs)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    int i = from;
    while (true) {
      for (; i < lines.size(); i++) if (lines.get(i).startsWith(prefix)) return i;
      long left = deadline - System.currentTimeMillis();
      if (ended || left <= 0) return -1;
      wait(left);
    }
  }

  /** Waits for the end of the output (the child died) and returns every complete line. */
  public List<String> finish(long timeoutMs) throws InterruptedException {
    reader.join(timeoutMs);
    synchronized (this) {
      return new ArrayList<>(lines);
    }
  }
}
