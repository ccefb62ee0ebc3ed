package datahike.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code datahike bench}: runs {@code datahike.bench.BenchMain} of module datahike-bench without
 * depending on it at compile time. When the class is on this JVM's class path it runs there (in a
 * child JVM with the same class path); otherwise the module's jar {@code
 * datahike-bench/target/datahike-bench.jar} next to this one is run. Neither: a message says how to
 * build it.
 */
final class Bench {
  static final String MAIN = "datahike.bench.BenchMain";
  static final String JAR = "datahike-bench/target/datahike-bench.jar";

  private Bench() {}

  /** Runs the benchmarks with {@code args}; returns their exit status. */
  static int run(List<String> args, PrintStream err) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (ClassLoader.getSystemResource(MAIN.replace('.', '/') + ".class") != null) {
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(MAIN);
    } else {
      Path jar = findJar();
      if (jar == null) {
        err.println("bench: module datahike-bench is not built. Build it with");
        err.println("  mvn -q -DskipTests -pl datahike-bench -am package");
        err.println("and run ./datahike bench again (it runs " + JAR + ").");
        return 1;
      }
      cmd.add("-jar");
      cmd.add(jar.toString());
    }
    cmd.addAll(args);
    return new ProcessBuilder(cmd).inheritIO().start().waitFor();
  }

  /** The bench jar: under {@code -Ddatahike.home}, else beside the module holding this class. */
  static Path findJar() {
    List<Path> homes = new ArrayList<>();
    String home = System.getProperty("datahike.home");
    if (home != null) homes.add(Path.of(home));
    try {
      // .../datahike-cli/target/datahike.jar or .../datahike-cli/target/classes
      Path self = Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (self.getParent() != null && self.getParent().getParent() != null) {
        homes.add(self.getParent().getParent().getParent());
      }
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // no code source: only datahike.home is tried
    }
    for (Path h : homes) {
      if (h == null) continue;
      Path jar = h.resolve(JAR.replace('/', File.separatorChar));
      if (Files.isRegularFile(jar)) return jar;
    }
    return null;
  }
}
