package datahike.cli;

import datahike.conformance.ConformanceRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code datahike} command. With no arguments it runs a short guided demo on an in-memory
 * database; {@code conformance PATH...} runs EDN conformance cases. Exit codes: 0 ok, 1 user
 * error, 2 internal error.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    try {
      if (args.length == 0) {
        Demo.run(System.out);
        printCommands();
        return 0;
      }
      switch (args[0]) {
        case "demo":
          Demo.run(System.out);
          return 0;
        case "conformance":
          return conformance(Arrays.copyOfRange(args, 1, args.length));
        case "help":
        case "--help":
        case "-h":
          printCommands();
          return 0;
        default:
          System.err.println("Unknown command: " + args[0]);
          printCommands();
          return 1;
      }
    } catch (datahike.DatahikeException e) {
      System.err.println("error " + e.code() + ": " + e.getMessage());
      return 1;
    } catch (RuntimeException | IOException e) {
      System.err.println("internal error: " + e);
      return 2;
    }
  }

  private static int conformance(String[] paths) throws IOException {
    if (paths.length == 0) {
      System.err.println("usage: datahike conformance PATH...   (EDN case files or directories)");
      return 1;
    }
    List<Path> roots = new ArrayList<>();
    for (String p : paths) roots.add(Path.of(p));
    ConformanceRunner.Summary s = new ConformanceRunner().runAll(roots, System.out);
    return s.failed() == 0 ? 0 : 1;
  }

  private static void printCommands() {
    System.out.println();
    System.out.println("Commands:");
    System.out.println("  ./datahike                       the guided demo (in-memory database)");
    System.out.println("  ./datahike demo                  the same");
    System.out.println("  ./datahike conformance PATH...   run EDN conformance cases");
    System.out.println("  ./datahike help                  this list");
  }
}
