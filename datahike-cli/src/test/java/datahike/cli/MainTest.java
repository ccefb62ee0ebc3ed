package datahike.cli;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.api.Operation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The non-interactive commands, run in this JVM on in-memory databases. */
class MainTest {
  @TempDir Path dir;
  private String cfg;

  @BeforeEach
  void config() throws Exception {
    Path f = dir.resolve("cfg.edn");
    Files.writeString(
        f,
        "{:store {:backend :memory :id \"main-"
            + UUID.randomUUID()
            + "\"} :initial-tx [{:db/ident :name :db/valueType :db.type/string :db/cardinality"
            + " :db.cardinality/one :db/unique :db.unique/identity} {:db/ident :age :db/valueType"
            + " :db.type/long :db/cardinality :db.cardinality/one}]}");
    cfg = f.toString();
  }

  @Test
  void transactThenQuery_inOneProcess() {
    Cli.Result t = Cli.run("", "transact", "conn:" + cfg, "[{:name \"Ada\" :age 36}]");
    assertThat(t.status()).as(t.err()).isZero();
    assertThat(t.out()).startsWith("{:tx 536870914, :tempids {}, :tx-data [#datahike/Datom [");
    Cli.Result q =
        Cli.run("", "query", "[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]", "db:" + cfg);
    assertThat(q.out()).isEqualTo("#{[\"Ada\" 36]}\n");
  }

  @Test
  void transact_readsStandardInputWhenTxDataIsLeftOut() {
    assertThat(Cli.run("[{:name \"Ada\"}]", "transact", "conn:" + cfg).status()).isZero();
    assertThat(Cli.run("[{\"name\": \"Grace\", \"age\": 45}]", "transact", "conn:" + cfg).status())
        .isZero();
    Cli.Result q =
        Cli.run("", "query", "--format", "table", "[:find ?n :where [?e :name ?n]]", "db:" + cfg);
    assertThat(q.out()).isEqualTo("?n\n-----\nAda\nGrace\n(2 rows)\n");
  }

  @Test
  void formats_ednJsonTable() {
    Cli.run("", "transact", "conn:" + cfg, "[{:name \"Ada\" :age 36} {:name \"Bob\" :age 7}]");
    String q = "[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]";
    assertThat(Cli.run("", "query", "-f", "json", q, "db:" + cfg).out())
        .isIn("[[\"Ada\",36],[\"Bob\",7]]\n", "[[\"Bob\",7],[\"Ada\",36]]\n");
    assertThat(Cli.run("", "query", "--format", "table", q, "db:" + cfg).out())
        .isEqualTo("?n  | ?a\n----+---\nAda | 36\nBob |  7\n(2 rows)\n");
    assertThat(Cli.run("", "pull", "db:" + cfg, "[:name :age]", "[:name \"Ada\"]").out())
        .isEqualTo("{:name \"Ada\", :age 36}\n");
    assertThat(Cli.run("", "entity", "-f", "json", "db:" + cfg, "[:name \"Bob\"]").out())
        .isEqualTo("{\"db/id\":4,\"age\":7,\"name\":\"Bob\"}\n");
    assertThat(Cli.run("", "bogus-format", "-f", "yaml").status()).isEqualTo(1);
    assertThat(Cli.run("", "schema", "-f", "yaml", "db:" + cfg).err())
        .startsWith("error :cli/bad-format:");
  }

  @Test
  void prefixes_historyAsOfSinceEdnJson() throws Exception {
    Cli.run("", "transact", "conn:" + cfg, "[{:name \"Ada\" :age 36}]");
    Cli.run("", "transact", "conn:" + cfg, "[{:name \"Ada\" :age 37}]");
    String q = "[:find ?a :where [?e :age ?a]]";
    assertThat(Cli.run("", "query", q, "asof:536870914:" + cfg).out()).isEqualTo("#{[36]}\n");
    assertThat(Cli.run("", "query", q, "since:536870914:" + cfg).out()).isEqualTo("#{[37]}\n");
    assertThat(
            Cli.run("", "query", "[:find ?a ?op :where [?e :age ?a _ ?op]]", "history:" + cfg)
                .out())
        .contains("[36 false]")
        .contains("[36 true]")
        .contains("[37 true]");
    Path qf = dir.resolve("q.edn");
    Files.writeString(qf, "[:find ?n . :in $ ?a :where [?e :name ?n] [?e :age ?a]]");
    Path in = dir.resolve("in.json");
    Files.writeString(in, "37");
    assertThat(Cli.run("", "query", "edn:" + qf, "db:" + cfg, "json:" + in).out())
        .isEqualTo("\"Ada\"\n");
  }

  @Test
  void everyOperationCommand_runs() {
    Cli.run("", "transact", "conn:" + cfg, "[{:name \"Ada\" :age 36}]");
    String db = "db:" + cfg;
    assertThat(Cli.run("", "pull-many", db, "[:name]", "[3]").out())
        .isEqualTo("[{:name \"Ada\"}]\n");
    Cli.Result datoms = Cli.run("", "datoms", db, ":eavt", "3", ":age");
    assertThat(datoms.out()).as(datoms.err()).contains("[3 :age 36 ");
    assertThat(Cli.run("", "datoms", db, "{:index :eavt :components [3 :age]}").out())
        .contains("[3 :age 36 ");
    assertThat(Cli.run("", "seek-datoms", db, ":eavt", "3").out()).contains("[3 :age 36 ");
    assertThat(Cli.run("", "index-range", db, ":name", "\"A\"", "\"B\"").out())
        .contains("[3 :name \"Ada\" ");
    assertThat(Cli.run("", "schema", db).out()).contains(":name {");
    assertThat(Cli.run("", "reverse-schema", db).out()).contains(":db/unique #{:name");
    assertThat(Cli.run("", "metrics", db).out()).contains(":count ");
    assertThat(Cli.run("", "query-stats", "[:find ?n :where [?e :name ?n]]", db).out())
        .contains(":ret #{[\"Ada\"]}");
    assertThat(Cli.run("", "with", db, "[{:name \"Eve\"}]").out()).contains("\"Eve\"");
    assertThat(Cli.run("", "load-entities", "conn:" + cfg, "[{:name \"Bo\"}]").status()).isZero();
    assertThat(Cli.run("", "gc-storage", "conn:" + cfg).out()).isEqualTo("0\n");
    assertThat(Cli.run("", "database-exists", cfg).out()).isEqualTo("true\n");
    assertThat(Cli.run("", "delete-database", cfg).out()).isEqualTo("nil\n");
    assertThat(Cli.run("", "database-exists", cfg).out()).isEqualTo("false\n");
    assertThat(Cli.run("", "create-database", cfg).status()).isZero();
    assertThat(Cli.run("", "create-database", cfg).err()).startsWith("error :db/exists:");
  }

  @Test
  void exportThenImport_keepsSchemaDataHistoryAndTxIds() throws Exception {
    Cli.run("", "transact", "conn:" + cfg, "[{:name \"Ada\" :age 36}]");
    Cli.run("", "transact", "conn:" + cfg, "[{:name \"Ada\" :age 37}]");
    Path file = dir.resolve("out.edn");
    Cli.Result e = Cli.run("", "export", "db:" + cfg, file.toString());
    assertThat(e.status()).as(e.err()).isZero();
    assertThat(e.err()).isEqualTo("export: 14 datoms written to " + file + "\n");
    assertThat(Files.readAllLines(file).get(0)).isEqualTo(ImportExport.HEADER);

    Path target = dir.resolve("target.edn");
    Files.writeString(target, "{:store {:backend :memory :id \"t-" + UUID.randomUUID() + "\"}}");
    Cli.Result i = Cli.run("", "import", "conn:" + target, file.toString());
    assertThat(i.status()).as(i.err()).isZero();
    assertThat(i.err()).contains("14 datoms in 3 transactions");
    String q = "[:find ?a ?tx ?op :where [?e :name \"Ada\"] [?e :age ?a ?tx ?op]]";
    assertThat(Cli.run("", "query", q, "history:" + target).out())
        .isEqualTo(Cli.run("", "query", q, "history:" + cfg).out());
    assertThat(Cli.run("", "export", "db:" + target, dir.resolve("again.edn").toString()).status())
        .isZero();
    assertThat(Files.readAllLines(dir.resolve("again.edn"))).isEqualTo(Files.readAllLines(file));
  }

  @Test
  void export_cborByDefaultOrWithFormat_importDetectsIt() throws Exception {
    Cli.run("", "transact", "conn:" + cfg, "[{:name \"Ada\" :age 36}]");
    Path cbor = dir.resolve("out.cbor");
    Cli.Result e = Cli.run("", "export", "db:" + cfg, cbor.toString());
    assertThat(e.status()).as(e.err()).isZero();
    assertThat(Files.readAllBytes(cbor)[0] & 0xff).isEqualTo(0x85); // [e a v tx added]
    Path forced = dir.resolve("out.txt");
    assertThat(Cli.run("", "export", "--format", "edn", "db:" + cfg, forced.toString()).status())
        .isZero();
    assertThat(Files.readAllLines(forced).get(0)).isEqualTo(ImportExport.HEADER);
    for (Path file : new Path[] {cbor, forced}) {
      Path target = dir.resolve("t-" + file.getFileName() + ".edn");
      Files.writeString(target, "{:store {:backend :memory :id \"t-" + UUID.randomUUID() + "\"}}");
      Cli.Result i = Cli.run("", "import", "conn:" + target, file.toString());
      assertThat(i.status()).as(i.err()).isZero();
      String q = "[:find ?a ?tx :where [?e :name \"Ada\"] [?e :age ?a ?tx]]";
      assertThat(Cli.run("", "query", q, "db:" + target).out())
          .isEqualTo(Cli.run("", "query", q, "db:" + cfg).out());
      // A second import into the same database is refused: ids are kept, so it must be empty.
      Cli.Result again = Cli.run("", "import", "conn:" + target, file.toString());
      assertThat(again.status()).isEqualTo(1);
      assertThat(again.err()).startsWith("error :migrate/not-empty:");
    }
  }

  @Test
  void exitCodes_userErrorsAreOne() {
    Cli.Result badEdn = Cli.run("", "query", "[:find ?n", "db:" + cfg);
    assertThat(badEdn.status()).isEqualTo(1);
    assertThat(badEdn.err()).startsWith("error :edn/parse: query: Unclosed vector");

    Cli.Result unknownAttr = Cli.run("", "transact", "conn:" + cfg, "[{:nope 1}]");
    assertThat(unknownAttr.status()).isEqualTo(1);
    assertThat(unknownAttr.err()).startsWith("error :transact/schema:").contains(":nope");

    Path missing = dir.resolve("missing.edn");
    Cli.Result noFile = Cli.run("", "query", "[:find ?e :where [?e :name]]", "db:" + missing);
    assertThat(noFile.status()).isEqualTo(1);
    assertThat(noFile.err()).isEqualTo("error :cli/no-such-file: No such file: " + missing + "\n");

    Cli.Result missingArg = Cli.run("", "query");
    assertThat(missingArg.status()).isEqualTo(1);
    assertThat(missingArg.err()).startsWith("error :cli/usage: Missing required parameter");

    Cli.Result unknown = Cli.run("", "frobnicate");
    assertThat(unknown.status()).isEqualTo(1);
    assertThat(unknown.err()).startsWith("error :cli/usage: Unknown command 'frobnicate'");
  }

  @Test
  void help_listsEveryOperationWithItsDoc() {
    Cli.Result h = Cli.run("", "help");
    assertThat(h.status()).isZero();
    for (Operation op : Operation.values()) {
      if (OperationHandlers.isCommand(op)) {
        assertThat(h.out()).contains(op.cliName()).contains(op.doc().split("\\s+")[0]);
      }
    }
    assertThat(h.out()).contains("asof:T:CFG").contains("history:CFG").contains("since:T:CFG");
    Cli.Result q = Cli.run("", "help", "query");
    assertThat(q.out()).contains(Operation.Q.doc()).contains("QUERY").contains("[INPUTS...]");
    assertThat(Cli.run("", "transact", "--help").out()).contains("conn:CFG").contains("TX-DATA");
  }

  @Test
  void version_conformanceBench() throws Exception {
    assertThat(Cli.run("", "version").out()).startsWith("datahike-java ");
    Path empty = Files.createDirectories(dir.resolve("cases"));
    Cli.Result c = Cli.run("", "conformance", empty.toString());
    assertThat(c.status()).isZero();
    assertThat(c.out()).contains("0 passed, 0 failed");
    assertThat(Cli.run("", "conformance").status()).isEqualTo(1);
    if (Bench.findJar() == null
        && ClassLoader.getSystemResource("datahike/bench/BenchMain.class") == null) {
      Cli.Result b = Cli.run("", "bench");
      assertThat(b.status()).isEqualTo(1);
      assertThat(b.err()).contains("datahike-bench is not built");
    }
  }

  /** {@code serve}: the server's command line; a wrong plugin stops the start, named. */
  @Test
  void serve_reportsAWrongPluginAndBadArguments() {
    Cli.Result missing = Cli.run("", "serve", "--port", "0", "--plugin", "com.example.Missing");
    assertThat(missing.status()).isEqualTo(1);
    assertThat(missing.err()).contains("error :server/plugin").contains("com.example.Missing");
    Cli.Result bogus = Cli.run("", "serve", "--bogus");
    assertThat(bogus.status()).isEqualTo(1);
    assertThat(bogus.err()).contains("Unknown argument --bogus").contains("--plugin CLASS");
    Cli.Result help = Cli.run("", "serve", "--help");
    assertThat(help.status()).isZero();
    assertThat(help.out()).contains("--plugin CLASS").contains("FunctionRegistrar");
  }

  /** {@code conformance --remote URL}: the cases through Datahike.connect on a live server. */
  @Test
  void conformance_remote_runsTheCasesOnAServer() throws Exception {
    Path cases = Files.createDirectories(dir.resolve("remote-cases")).resolve("one.edn");
    Files.writeString(
        cases,
        "[{:id \"cli/remote\" :config {:schema-flexibility :read}"
            + " :tx [[[:db/add 1 :name \"Ivan\"] [:db/add 2 :name \"Petr\"] [:db/add 2 :boss 1]]]"
            + " :steps [{:op :q :query [:find ?n :where [_ :name ?n]] :args [$]"
            + "          :expect [[\"Ivan\"] [\"Petr\"]] :cmp :set}"
            + "         {:op :transact :tx [[:db/add 1 :age 30]]}"
            + "         {:op :entity :eid 1 :expect {:db/id 1 :name \"Ivan\" :age 30}}]}]");
    String token = "cli-token";
    try (datahike.server.Server s =
        datahike.server.ServerMain.start(
            datahike.server.ServerConfig.builder().port(0).token(token).allowCreate(true).build())) {
      Cli.Result ok =
          Cli.run("", "conformance", "--remote", s.url(), "--token", token, "--format", "edn",
              cases.toString());
      assertThat(ok.out()).contains("1 passed, 0 failed");
      assertThat(ok.status()).isZero();
      Cli.Result denied =
          Cli.run("", "conformance", "--remote", s.url(), "--token", "wrong", cases.toString());
      assertThat(denied.out()).contains("0 passed, 1 failed").contains(":server/unauthorized");
      assertThat(denied.status()).isEqualTo(1);
    }
    assertThat(Cli.run("", "conformance", "--token", "t", cases.toString()).status()).isEqualTo(1);
    assertThat(Cli.run("", "conformance", "--remote").status()).isEqualTo(1);
  }

  @Test
  void noCommand_withEmptyInput_showsDemoAndCommands() {
    Cli.Result r = Cli.run("");
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .contains("guided demo")
        .contains("3. Query")
        .contains("Commands:")
        .contains("transact");
  }
}
