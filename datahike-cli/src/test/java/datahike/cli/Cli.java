package datahike.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** Runs the datahike command in tests: in this JVM, on a terminal, or as a child process. */
final class Cli {
  private Cli() {}

  /** What a run gave: exit status, standard output, standard error (line ends as \n). */
  record Result(int status, String out, String err) {}

  /** Runs {@code args} in this JVM with {@code stdin} piped in (not a terminal). */
  static Result run(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayInputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    Main.Env env =
        new Main.Env(
            in,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            false,
            () -> {
              throw new IllegalStateException("no terminal in this test");
            });
    int status = Main.run(args, env);
    return new Result(status, text(out), text(err));
  }

  /**
   * Runs {@code args} in this JVM as on a terminal: JLine's dumb terminal type over piped streams
   * (a line-discipline terminal, as for a remote shell), with {@code typed} as the keystrokes.
   * Standard output and error of the run go to the terminal as well.
   */
  static Result terminal(String typed, String... args) {
    try {
      PipedInputStream in = new PipedInputStream(1 << 16);
      PipedOutputStream keys = new PipedOutputStream(in);
      ByteArrayOutputStream screen = new ByteArrayOutputStream();
      Terminal t =
          TerminalBuilder.builder()
              .system(false)
              .streams(in, screen)
              .type(Terminal.TYPE_DUMB)
              .encoding(StandardCharsets.UTF_8)
              .build();
      t.echo(false); // the line reader shows what is typed, as on a real terminal
      keys.write(typed.getBytes(StandardCharsets.UTF_8));
      keys.close();
      PrintStream both = new PrintStream(screen, true, StandardCharsets.UTF_8);
      Main.Env env = new Main.Env(in, both, both, true, () -> t);
      int status = Main.run(args, env); // closes the terminal
      return new Result(status, text(screen), "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code java -cp <test class path> datahike.cli.Main args} with {@code stdin}. */
  static Result process(String stdin, String... args) {
    return process(null, stdin, args);
  }

  /**
   * Runs {@code java -cp <test class path> datahike.cli.Main args} in directory {@code dir} (null:
   * this one) with {@code stdin} (null: closed at once).
   */
  static Result process(Path dir, String stdin, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Djdk.console=java.base");
    cmd.add("-XX:TieredStopAtLevel=1"); // short-lived: start fast
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add("datahike.cli.Main");
    cmd.addAll(List.of(args));
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd);
      if (dir != null) pb.directory(dir.toFile());
      File errFile = File.createTempFile("datahike-err", ".txt");
      errFile.deleteOnExit();
      pb.redirectError(errFile);
      Process p = pb.start();
      if (stdin == null) {
        p.getOutputStream().close();
      } else {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
      }
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("datahike " + List.of(args) + " did not finish in 60 s");
      }
      String err = java.nio.file.Files.readString(errFile.toPath(), StandardCharsets.UTF_8);
      return new Result(
          p.exitValue(),
          new String(out, StandardCharsets.UTF_8).replace("\r\n", "\n"),
          err.replace("\r\n", "\n"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The test class path (Surefire's, else this JVM's). */
  static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  private static String text(ByteArrayOutputStream b) {
    return b.toString(StandardCharsets.UTF_8).replace("\r", "");
  }
}
