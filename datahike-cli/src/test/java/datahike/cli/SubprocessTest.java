package datahike.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import datahike.Config;
import datahike.Datahike;
import datahike.DatahikeException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command as a child process: exit codes, output formats, several processes on one store. */
class SubprocessTest {
  @TempDir Path dir;

  private Path memoryConfig() throws Exception {
    Path f = dir.resolve("mem.edn");
    Files.writeString(
        f,
        "{:store {:backend :memory :id \"sub\"} :schema-flexibility :read"
            + " :initial-tx [{:name \"Ada\" :age 36} {:name \"Bob\" :age 7}]}");
    return f;
  }

  /** True when core has a file backend (else the cross-process tests are skipped, loudly). */
  private boolean fileBackendAvailable() {
    Config cfg = DefaultDatabase.fileConfig(dir.resolve("probe").toString());
    try {
      Datahike.createDatabase(cfg);
      Datahike.deleteDatabase(cfg);
      return true;
    } catch (DatahikeException e) {
      if (!DefaultDatabase.isMissingBackend(e)) throw e;
      System.err.println(
          "\n*** SKIPPED: the file backend is not available in core yet"
              + " ("
              + e.code()
              + "); the cross-process tests run once it is. ***\n");
      return false;
    }
  }

  @Test
  void badQuery_exitsOneWithOneLineNamingTheClause() throws Exception {
    Cli.Result r =
        Cli.process(
            "",
            "query",
            "[:find ?n :where [?e :name ?n] [(frobnicate ?n)]]",
            "db:" + memoryConfig());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).endsWith("\n").contains("[(frobnicate ?n)]").startsWith("error :query/");
    assertThat(r.err().strip().lines()).hasSize(1);
  }

  @Test
  void formatJson_parses() throws Exception {
    Path cfg = memoryConfig();
    Cli.Result r =
        Cli.process(
            "",
            "query",
            "--format",
            "json",
            "[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]",
            "db:" + cfg);
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode rows = new ObjectMapper().readTree(r.out());
    assertThat(rows.isArray()).isTrue();
    assertThat(rows.size()).isEqualTo(2);
    assertThat(rows.toString()).contains("[\"Ada\",36]").contains("[\"Bob\",7]");

    Cli.Result t =
        Cli.process(
            "",
            "transact",
            "-f",
            "json",
            "conn:" + cfg,
            "[{:name \"Eve\" :born #inst \"1990-01-02\"}]");
    JsonNode report = new ObjectMapper().readTree(t.out());
    assertThat(report.get("tx").asLong()).isEqualTo(536870914L);
    assertThat(report.get("tx-data").toString())
        .contains("\":name\",\"Eve\"")
        .contains("\":born\",\"1990-01-02T00:00:00Z\"");
  }

  @Test
  void twoProcesses_transactThenQuery_onOneFileDatabase() throws Exception {
    Assumptions.assumeTrue(fileBackendAvailable(), "file backend not available yet");
    Path cfg = dir.resolve("file.edn");
    Files.writeString(cfg, "{:store {:backend :file :path \"" + dir.resolve("db") + "\"}}");
    Cli.Result c = Cli.process("", "create-database", cfg.toString());
    assertThat(c.status()).as(c.err()).isZero();
    Cli.Result s =
        Cli.process(
            "",
            "transact",
            "conn:" + cfg,
            "[{:db/ident :name :db/valueType :db.type/string :db/cardinality"
                + " :db.cardinality/one}]");
    assertThat(s.status()).as(s.err()).isZero();
    Cli.Result t = Cli.process("", "transact", "conn:" + cfg, "[{:name \"Ada\"}]");
    assertThat(t.status()).as(t.err()).isZero();
    Cli.Result q = Cli.process("", "query", "[:find ?n :where [?e :name ?n]]", "db:" + cfg);
    assertThat(q.status()).as(q.err()).isZero();
    assertThat(q.out()).isEqualTo("#{[\"Ada\"]}\n");
    Cli.Result missing =
        Cli.process(
            "",
            "query",
            "[:find ?n :where [?e :name ?n]]",
            "db:{:store {:backend :file :path \"" + dir.resolve("nothing") + "\"}}");
    assertThat(missing.status()).isEqualTo(1);
    assertThat(missing.err()).startsWith("error :db/missing:");
  }

  @Test
  void noArguments_pipedInput_runsTheConsoleOnTheDefaultDatabase() throws Exception {
    Cli.Result a = Cli.process(dir, "transact [{:name \"Ada\"}]\n");
    assertThat(a.status()).as(a.err()).isZero();
    assertThat(a.out()).isEqualTo("tx 536870913: 1 datom added\n");
    Cli.Result b = Cli.process(dir, "[:find ?n :where [_ :name ?n]]\n");
    assertThat(b.status()).as(b.err()).isZero();
    if (fileBackendAvailable()) {
      // The default is ./datahike-data, durable: the second process sees the first one's data.
      assertThat(Files.isDirectory(dir.resolve("datahike-data"))).isTrue();
      assertThat(b.out()).isEqualTo("?n\n---\nAda\n(1 row)\n");
    } else {
      assertThat(b.err()).contains("in memory");
    }
  }

  @Test
  void noArguments_closedInput_showsTheDemoAndDoesNotWait() {
    long start = System.nanoTime();
    Cli.Result r = Cli.process(dir, null);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("guided demo").contains("Commands:");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(20_000);
  }
}
