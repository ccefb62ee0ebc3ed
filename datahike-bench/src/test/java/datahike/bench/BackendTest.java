package datahike.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.Datahike;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The backends of the per-backend suites: names, and databases that leave nothing behind. */
class BackendTest {
  @TempDir Path work;

  @Test
  void parse_allIsEveryBackendWithTheFileStoreFirst() {
    assertThat(Backend.parse("all"))
        .startsWith("file")
        .containsExactlyElementsOf(Backend.NAMES)
        .contains("memory", "lmdb", "sqlite", "h2", "postgresql", "mariadb", "redis", "s3");
  }

  @Test
  void parse_aListKeepsItsOrderAndDropsRepeats() {
    assertThat(Backend.parse("redis, FILE,redis")).containsExactly("redis", "file");
  }

  @Test
  void parse_anUnknownNameIsAUsageErrorNamingIt() {
    assertThatThrownBy(() -> Backend.parse("file,mongo"))
        .isInstanceOf(BenchMain.UsageException.class)
        .hasMessageContaining("mongo");
  }

  /** Each local backend holds data, and its database is gone, files included, after close. */
  @ParameterizedTest
  @ValueSource(strings = {"file", "memory", "lmdb", "sqlite", "h2"})
  void aLocalDatabaseHoldsPeopleAndLeavesNothingAfterClose(String name) throws Exception {
    try (Backend b = Backend.of(name, work)) {
      assertThat(b.unavailable()).isNull();
      DatahikeHarness.Db db = DatahikeHarness.open(b);
      try {
        db.conn.transact(List.of(DatahikeHarness.entityMap(People20k.generate(3).get(0))));
        db.reconnect(); // a durable database is closed and read back
        Set<List<Object>> rows = Datahike.q("[:find ?n :where [_ :name ?n]]", db.conn.db());
        assertThat(rows).hasSize(1);
      } finally {
        db.close();
      }
      assertThat(Datahike.databaseExists(db.cfg)).isFalse();
    }
    try (var left = Files.list(work)) {
      assertThat(left.toList()).isEmpty();
    }
  }

  @Test
  void geomeanRatio_isTheGeometricMeanOfTheQueriesBothMeasured() {
    Object[] ms = {4.0, 1.0, "error", 9.0};
    Object[] base = {1.0, 4.0, 2.0, null};
    assertThat(BackendQueryBench.geomeanRatio(ms, base)).isCloseTo(1.0, within());
    assertThat(BackendQueryBench.geomeanRatio(new Object[] {8.0}, new Object[] {2.0}))
        .isCloseTo(4.0, within());
    assertThat(BackendQueryBench.geomeanRatio(ms, null)).isNull();
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
