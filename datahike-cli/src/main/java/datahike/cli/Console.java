package datahike.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * The console's two loops over {@link ConsoleCommands}: interactive on a JLine terminal (line
 * editing, multi-line input until brackets close, history across sessions, completion), and
 * scripted over piped input (the same commands, no prompts; errors go to standard error and make
 * the exit status 1).
 */
final class Console {
  /** The prompt for the lines that continue an input whose brackets are still open. */
  static final String CONTINUATION = "    ...> ";

  private Console() {}

  /** Lines that open every interactive session, after the lines about the database. */
  static final List<String> HINTS =
      List.of(
          "Type help for commands, exit or Ctrl-D to leave. Try:",
          "  transact [{:name \"Alice\" :age 30} {:name \"Bob\" :age 25}]",
          "  [:find ?n ?a :where [?e :name ?n] [?e :age ?a]]");

  /**
   * Runs the interactive console on {@code terminal} until exit or end of input.
   *
   * @param history the history file, or null for none
   * @return the exit status: 0
   */
  static int interactive(
      Terminal terminal, DefaultDatabase.Opened db, Path history, boolean debug) {
    PrintWriter out = terminal.writer();
    boolean tty =
        !Terminal.TYPE_DUMB.equals(terminal.getType())
            && !Terminal.TYPE_DUMB_COLOR.equals(terminal.getType());
    ConsoleCommands commands = new ConsoleCommands(db.conn(), out, out, tty, debug);
    LineReaderBuilder b =
        LineReaderBuilder.builder()
            .terminal(terminal)
            .appName("datahike")
            .parser(new ConsoleParser())
            .completer(new ConsoleCompleter(commands))
            .variable(LineReader.SECONDARY_PROMPT_PATTERN, CONTINUATION)
            .variable(LineReader.BLINK_MATCHING_PAREN, 0)
            .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
            .option(LineReader.Option.HISTORY_BEEP, false);
    if (history != null) b.variable(LineReader.HISTORY_FILE, history);
    LineReader reader = b.build();
    out.println("datahike-java console");
    for (String line : db.about()) out.println(line);
    for (String line : HINTS) out.println(line);
    out.flush();
    try {
      for (; ; ) {
        String input;
        try {
          input = reader.readLine(commands.prompt());
        } catch (UserInterruptException e) {
          continue; // Ctrl-C drops the line being typed
        } catch (EndOfFileException e) {
          break;
        }
        if (commands.execute(input) == ConsoleCommands.EXIT) break;
      }
    } finally {
      try {
        reader.getHistory().save();
      } catch (IOException e) {
        out.println("(could not save the history: " + e.getMessage() + ")");
      }
      out.flush();
    }
    return 0;
  }

  /**
   * Runs the commands read from {@code in} (until end of input) without prompts.
   *
   * @return 0 when every command succeeded, else the worst status (1 user error, 2 internal)
   */
  static int script(BufferedReader in, PrintWriter out, ConsoleCommands commands) {
    int status = 0;
    StringBuilder text = new StringBuilder();
    try {
      for (String line = in.readLine(); ; line = in.readLine()) {
        if (line == null) {
          if (!text.toString().isBlank()) {
            int s = commands.execute(text.toString());
            if (s == ConsoleCommands.EXIT) break;
            status = Math.max(status, s);
          }
          break;
        }
        text.append(line).append('\n');
        if (EdnText.incomplete(text.toString())) continue;
        int s = commands.execute(text.toString());
        text.setLength(0);
        if (s == ConsoleCommands.EXIT) break;
        status = Math.max(status, s);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.flush();
    return status;
  }
}
