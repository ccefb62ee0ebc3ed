package datahike.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import datahike.store.jdbc.JdbcTestDb;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The store contract on one JDBC database. The hooks damage rows behind the store's back through a
 * plain connection: blobs in {@code <table>_blobs}, log groups in {@code <table>_log}. Each test
 * gets its own table prefix; every table of the class's run is dropped at the end.
 */
@SuppressWarnings("try") // writer locks are held, not used, in try blocks
abstract class AbstractJdbcStoreTest extends AbstractStoreContractTest {
  private static final Keyword TABLE = Keyword.of("table");

  /** The database this class runs on. */
  abstract JdbcTestDb db();

  @Override
  protected Map<Keyword, Object> newConfig() {
    return new HashMap<>(db().config(JdbcTestDb.newTable("c")));
  }

  static void dropAll(JdbcTestDb db) {
    db.dropTables("c");
  }

  private String table(Map<Keyword, Object> config, String suffix) {
    return config.get(TABLE) + "_" + suffix;
  }

  private static byte[] key(String k) {
    return k.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  protected byte[] rawBlob(Map<Keyword, Object> config, String key) throws Exception {
    try (Connection c = db().raw();
        PreparedStatement ps =
            c.prepareStatement(
                "select v from " + table(config, "blobs") + " where k = ? order by part")) {
      ps.setBytes(1, key(key));
      return concat(ps);
    }
  }

  @Override
  protected void rawBlob(Map<Keyword, Object> config, String key, byte[] framed) throws Exception {
    try (Connection c = db().raw()) {
      try (PreparedStatement ps =
          c.prepareStatement("delete from " + table(config, "blobs") + " where k = ?")) {
        ps.setBytes(1, key(key));
        ps.executeUpdate();
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "insert into " + table(config, "blobs") + " (k, part, v) values (?, 0, ?)")) {
        ps.setBytes(1, key(key));
        ps.setBytes(2, framed);
        ps.executeUpdate();
      }
    }
  }

  @Override
  protected void flipLogByte(Map<Keyword, Object> config, long seq, int offset) throws Exception {
    String log = table(config, "log");
    try (Connection c = db().raw()) {
      long group = scalarLong(c, "select max(seq) from " + log + " where seq <= " + seq);
      List<byte[]> parts = parts(c, log, group);
      int part = 0;
      int at = offset;
      while (at >= parts.get(part).length) {
        at -= parts.get(part).length;
        part++;
      }
      byte[] b = parts.get(part);
      b[at] ^= 0x10;
      update(c, log, group, part, b);
    }
  }

  @Override
  protected void tearLogTail(Map<Keyword, Object> config, int n) throws Exception {
    String log = table(config, "log");
    try (Connection c = db().raw()) {
      long group = scalarLong(c, "select max(seq) from " + log);
      List<byte[]> parts = parts(c, log, group);
      int last = parts.size() - 1;
      byte[] b = parts.get(last);
      update(c, log, group, last, java.util.Arrays.copyOf(b, b.length - n));
    }
  }

  @Override
  protected void appendLogGarbage(Map<Keyword, Object> config, byte[] bytes) throws Exception {
    String log = table(config, "log");
    try (Connection c = db().raw()) {
      long group = scalarLong(c, "select max(seq) from " + log);
      // The group payload starts with its first sequence (8 bytes) and record count (4).
      ByteBuffer b = ByteBuffer.wrap(parts(c, log, group).get(0), BlobFrame.HEADER_BYTES, 12);
      long next = b.getLong() + b.getInt();
      try (PreparedStatement ps =
          c.prepareStatement("insert into " + log + " (seq, part, v) values (?, 0, ?)")) {
        ps.setLong(1, next);
        ps.setBytes(2, bytes);
        ps.executeUpdate();
      }
    }
  }

  private static List<byte[]> parts(Connection c, String log, long seq) throws SQLException {
    List<byte[]> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement("select v from " + log + " where seq = ? order by part")) {
      ps.setLong(1, seq);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getBytes(1));
        }
      }
    }
    return out;
  }

  private static void update(Connection c, String log, long seq, int part, byte[] v)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("update " + log + " set v = ? where seq = ? and part = ?")) {
      ps.setBytes(1, v);
      ps.setLong(2, seq);
      ps.setInt(3, part);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  private static byte[] concat(PreparedStatement ps) throws SQLException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    boolean any = false;
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.writeBytes(rs.getBytes(1));
        any = true;
      }
    }
    return any ? out.toByteArray() : null;
  }

  private static long scalarLong(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Fencing: a writer whose lock was lost without its noticing (here: another writer's token put in
   * place behind its back, as a successor does) fails its next append instead of writing.
   */
  @Test
  void append_afterAnotherWriterTookOver_failsNotLocked() throws Exception {
    Map<Keyword, Object> cfg = newConfig();
    Store a = open(cfg);
    try (Store.WriterLock l = a.lockWriter(Duration.ofSeconds(5))) {
      assertThat(a.append(List.of(bytes("mine")))).isEqualTo(1);
      try (Connection c = db().raw();
          PreparedStatement ps =
              c.prepareStatement(
                  "update " + table(cfg, "meta") + " set v = ? where name = 'writer'")) {
        ps.setBytes(1, bytes("process 4242 successor"));
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
      assertThatThrownBy(() -> a.append(List.of(bytes("late"))))
          .isInstanceOfSatisfying(
              DatahikeException.class,
              e -> {
                assertThat(e.code().fullName()).isEqualTo("store/not-locked");
                assertThat(e.getMessage()).contains("process 4242");
              });
      assertThatThrownBy(() -> a.truncateLogBefore(5))
          .satisfies(t -> assertThat(code(t)).isIn("store/not-locked", "store/io"));
    }
    assertThat(seqs(a.readLog(1))).containsExactly(1L);
  }

  /**
   * The kit's version ends by removing {@code :path} and {@code :id}, which name file and memory
   * stores. A JDBC store is named by {@code :dbtype} or {@code :jdbcUrl} (its {@code :table} has a
   * default), so the last step removes those instead, and checks a bad table name too.
   */
  @Override
  @Test
  void stores_unknownOrMissingBackend_clearErrors() {
    assertThatThrownBy(() -> Stores.open(Map.of(Stores.BACKEND, Keyword.of("nope"))))
        .isInstanceOfSatisfying(
            DatahikeException.class,
            e -> {
              assertThat(e.code().fullName()).isEqualTo("store/unknown-backend");
              assertThat(e.getMessage()).contains(":nope").contains("jdbc").contains("memory");
            });
    assertThatThrownBy(() -> Stores.open(Map.of()))
        .satisfies(t -> assertThat(code(t)).isEqualTo("store/config"));
    Map<Keyword, Object> cfg = new HashMap<>(newConfig());
    cfg.remove(Keyword.of("dbtype"));
    cfg.remove(Keyword.of("jdbcUrl"));
    assertThatThrownBy(() -> Stores.open(cfg))
        .isInstanceOfSatisfying(
            DatahikeException.class,
            e -> {
              assertThat(e.code().fullName()).isEqualTo("store/config");
              assertThat(e.getMessage()).contains(":dbtype");
            });
    Map<Keyword, Object> badTable = new HashMap<>(newConfig());
    badTable.put(TABLE, "no-dashes; drop table x");
    assertThatThrownBy(() -> Stores.open(badTable))
        .satisfies(t -> assertThat(code(t)).isEqualTo("store/config"));
  }
}
