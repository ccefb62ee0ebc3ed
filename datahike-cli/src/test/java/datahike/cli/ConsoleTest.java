package datahike.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.Config;
import datahike.Connection;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jline.reader.Candidate;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console on a terminal and on piped input, its parser and its completion. */
class ConsoleTest {
  @TempDir Path dir;

  private String[] memory() {
    return new String[] {"--memory", "--history", dir.resolve("history").toString()};
  }

  @Test
  void terminal_transactThenQuery() {
    Cli.Result r =
        Cli.terminal(
            "transact [{:name \"Ada\" :born 1815}]\n"
                + "[:find ?n ?b :where [?e :name ?n] [?e :born ?b]]\n",
            memory());
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .contains("datahike> transact [{:name \"Ada\" :born 1815}]\ntx 536870913: 2 datoms added")
        .contains("?n  | ?b\n----+-----\nAda | 1815\n(1 row)");
  }

  @Test
  void terminal_multiLineInputWaitsForClosingBracket() {
    Cli.Result r =
        Cli.terminal(
            "transact [{:name \"Ada\"}\n  {:name \"Grace\"}]\n[:find [?n ...]\n"
                + " :where [_ :name ?n]]\n",
            memory());
    assertThat(r.out())
        .contains(
            "datahike> transact [{:name \"Ada\"}\n    ...>   {:name \"Grace\"}]\n"
                + "tx 536870913: 2 datoms added")
        .contains("[\"Ada\" \"Grace\"]");
  }

  @Test
  void terminal_errorsShowCodeAndMessageWithoutStackTrace() {
    Cli.Result r =
        Cli.terminal(
            "transact [{:name \"Ada\"}]\n[:find ?x :where [?e :name ?n]]\nbogus 1\n" + "stats\n",
            memory());
    assertThat(r.out())
        .contains("error :query/parse: Query for unknown vars: [?x]")
        .contains("error :console/unknown-command: Unknown command bogus")
        .contains("datoms    2")
        .doesNotContain("\tat ")
        .doesNotContain("Exception");
  }

  @Test
  void terminal_debugShowsStackTrace() {
    Cli.Result r =
        Cli.terminal("bogus\n", "--memory", "--debug", "--history", dir.resolve("h").toString());
    assertThat(r.out()).contains("error :console/unknown-command").contains("\tat ");
  }

  @Test
  void terminal_keepsHistoryAcrossSessions() throws Exception {
    Cli.terminal("[:find ?e :where [?e :name]]\n", memory());
    Cli.terminal("stats\n", memory());
    assertThat(Files.readString(dir.resolve("history")))
        .contains("[:find ?e :where [?e :name]]")
        .contains("stats");
  }

  @Test
  void terminal_viewsSwitchAndComeBack() {
    Cli.Result r =
        Cli.terminal(
            "transact [{:name \"Ada\"}]\ntransact [{:name \"Grace\"}]\nsince 536870913\n"
                + "[:find ?n :where [_ :name ?n]]\nas-of 5\nnow\n"
                + "[:find (count ?e) . :where [?e :name]]\n",
            memory());
    assertThat(r.out())
        .contains("datahike since 536870913> [:find ?n :where [_ :name ?n]]\n?n\n-----\nGrace\n")
        .contains("error :time-point/invalid")
        .contains("datahike since 536870913> now\nview: the current database\n")
        .contains("datahike> [:find (count ?e) . :where [?e :name]]\n2\n");
  }

  @Test
  void terminal_pullEntityDatomsSchema() {
    Cli.Result r =
        Cli.terminal(
            "transact [{:db/ident :name :db/valueType :db.type/string"
                + " :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}]\n"
                + "transact [{:name \"Ada\"}]\n"
                + "pull [*] [:name \"Ada\"]\nentity [:name \"Ada\"]\ndatoms :avet :name\n"
                + "schema\nentity 999\n",
            memory());
    assertThat(r.out())
        .contains("{:db/id 2, :name \"Ada\"}")
        .contains("2 | :name | Ada | 536870914 | true")
        .contains(":db.cardinality/one")
        .contains("datahike> entity 999\n{:db/id 999}\n");
  }

  @Test
  void script_runsPipedCommandsWithoutPrompts() {
    Cli.Result r =
        Cli.run(
            "transact [{:name \"Ada\"}]\n; a comment\n[:find ?n\n :where [_ :name ?n]]\n",
            "--memory");
    assertThat(r.status()).isZero();
    assertThat(r.out()).isEqualTo("tx 536870913: 1 datom added\n?n\n---\nAda\n(1 row)\n");
  }

  @Test
  void script_queryWithInputsAndCollectionFind() {
    Cli.Result r =
        Cli.run(
            "transact [{:name \"Ada\" :age 36} {:name \"Bob\" :age 7}]\n"
                + "q [:find [?n ...] :in $ ?min :where [?e :name ?n] [?e :age ?a] [(> ?a ?min)]]"
                + " 10\n"
                + "[:find ?x :in [?x ...]] [1 2]\n",
            "--memory");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("[\"Ada\"]\n").endsWith("?x\n--\n 1\n 2\n(2 rows)\n");
  }

  @Test
  void script_errorGoesToStderrAndExitStatusIsOne() {
    Cli.Result r =
        Cli.run(
            "transact [{:name \"Ada\"}]\n[:find ?x :where [?e :name ?n]]\nstats\n",
            "console",
            "--memory");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error :query/parse: Query for unknown vars: [?x]\n");
    assertThat(r.out()).contains("datoms    2");
  }

  @Test
  void script_exportThenImportIntoAnotherDatabase() throws Exception {
    Path file = dir.resolve("export.edn");
    Cli.Result a =
        Cli.run(
            "transact [{:name \"Ada\" :age 36}]\ntransact [[:db/add 1 :age 37]]\nexport "
                + file
                + "\n",
            "--memory");
    assertThat(a.status()).isZero();
    assertThat(a.out()).contains("export: 6 datoms written to " + file);
    Cli.Result b =
        Cli.run(
            "import " + file + "\nhistory\n[:find ?a ?added :where [1 :age ?a _ ?added]]\n",
            "--memory");
    assertThat(b.status()).as(b.err()).isZero();
    assertThat(b.out())
        .contains("import: 6 datoms in 2 transactions loaded from " + file)
        .contains("36 | false\n36 | true\n37 | true");
  }

  @Test
  void parser_asksForMoreLinesUntilBracketsClose() {
    Parser p = new ConsoleParser();
    assertThatThrownBy(() -> p.parse("[:find ?e", 9, Parser.ParseContext.ACCEPT_LINE))
        .isInstanceOf(EOFError.class);
    assertThatThrownBy(() -> p.parse("transact [{:name \"a]", 20, Parser.ParseContext.ACCEPT_LINE))
        .isInstanceOf(EOFError.class);
    ParsedLine l = p.parse("[:find ?e :where [?e :na", 24, Parser.ParseContext.COMPLETE);
    assertThat(l.word()).isEqualTo(":na");
    assertThat(p.parse("tr", 2, Parser.ParseContext.COMPLETE).wordIndex()).isZero();
  }

  @Test
  void completer_offersCommandsAndAttributeNames() {
    Config cfg =
        Config.of(
            Map.of(
                "store",
                Map.of("backend", "memory", "id", "complete-" + UUID.randomUUID()),
                "schema-flexibility",
                "read"));
    try (Connection conn = Inputs.open(cfg)) {
      conn.transact("[{:person/name \"Ada\"}]");
      PrintWriter w = new PrintWriter(new StringWriter());
      ConsoleCommands commands = new ConsoleCommands(conn, w, w, false, false);
      ConsoleCompleter c = new ConsoleCompleter(commands);
      Parser p = new ConsoleParser();

      List<Candidate> first = new ArrayList<>();
      c.complete(null, p.parse("tr", 2, Parser.ParseContext.COMPLETE), first);
      assertThat(first).extracting(Candidate::value).contains("transact", "as-of", "history");

      List<Candidate> attrs = new ArrayList<>();
      c.complete(
          null, p.parse("[:find ?e :where [?e :pe", 24, Parser.ParseContext.COMPLETE), attrs);
      assertThat(attrs).extracting(Candidate::value).contains(":person/name", ":where");

      conn.transact("[{:person/born 1815}]");
      List<Candidate> again = new ArrayList<>();
      c.complete(null, p.parse("pull [:", 7, Parser.ParseContext.COMPLETE), again);
      assertThat(again).extracting(Candidate::value).contains(":person/born");
    }
  }
}
