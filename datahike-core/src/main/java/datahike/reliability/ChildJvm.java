package datahike.reliability;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a main class in a child JVM with this JVM's class path (so tests can start test classes),
 * tuned to start fast: C1 only, serial GC, a small heap. The child's stderr goes to ours; its
 * stdout is for the caller to read.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** Starts {@code main} with {@code args} in a new JVM. */
  public static Process start(Class<?> main, List<String> args) throws IOException {
    return start(main.getName(), args);
  }

  /** Starts the class named {@code main} with {@code args} in a new JVM. */
  public static Process start(String main, List<String> args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:-UsePerfData");
    cmd.add("-Xshare:auto");
    cmd.add("-Xmx512m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main);
    cmd.addAll(args);
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }
}
