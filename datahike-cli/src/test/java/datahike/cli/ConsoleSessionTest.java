package datahike.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays the README's console session ({@code console-session.txt}) on a terminal: the first line
 * is the command ({@code $ ./datahike ARGS}); lines after a prompt ({@code datahike...> }) or the
 * continuation prompt are typed; the whole screen must equal the transcript.
 */
class ConsoleSessionTest {
  @TempDir Path dir;

  @Test
  void readmeSession_replaysExactly() throws IOException {
    String transcript;
    try (InputStream in = getClass().getResourceAsStream("/console-session.txt")) {
      transcript = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> lines = new ArrayList<>(Arrays.asList(transcript.split("\n", -1)));
    String command = lines.remove(0);
    assertThat(command).startsWith("$ ./datahike");
    List<String> args = new ArrayList<>();
    for (String a : command.substring("$ ./datahike".length()).trim().split("\\s+")) {
      if (!a.isEmpty()) args.add(a);
    }
    args.add("--history");
    args.add(dir.resolve("history").toString());

    StringBuilder typed = new StringBuilder();
    for (String line : lines) {
      String input = typedPart(line);
      if (input != null) typed.append(input).append('\n');
    }

    Cli.Result r = Cli.terminal(typed.toString(), args.toArray(new String[0]));

    assertThat(r.status()).isZero();
    assertThat(r.out()).isEqualTo(String.join("\n", lines));
    assertThat(Files.readString(dir.resolve("history"))).contains("as-of 536870913");
  }

  /** The text typed on a transcript line, or null when the line is output. */
  static String typedPart(String line) {
    if (line.startsWith(Console.CONTINUATION)) return line.substring(Console.CONTINUATION.length());
    if (line.startsWith("datahike") && line.contains("> ")) {
      String prompt = line.substring(0, line.indexOf("> ") + 2);
      if (prompt.matches("datahike( [a-z-]+( \\d+)?)?> ")) return line.substring(prompt.length());
    }
    return null;
  }
}
