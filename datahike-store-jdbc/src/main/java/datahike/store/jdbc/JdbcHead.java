package datahike.store.jdbc;

import datahike.store.BlobFrame;
import datahike.store.LogCodec;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import javax.sql.DataSource;

/**
 * The head of a JDBC store: row 0 of {@code <table>_head (id, v)}, frame {@link
 * BlobFrame#KIND_HEAD}, payload: version (8 bytes) + head bytes. Compare-and-set is {@code UPDATE
 * ... SET v = next WHERE id = 0 AND v = current} (or an {@code INSERT} for the first head, which
 * the primary key fails when another writer won), atomic across processes; the version makes every
 * stored frame distinct, so equal contents written twice are still told apart.
 */
final class JdbcHead {
  private final JdbcConfig cfg;
  private final DataSource ds;
  private final String head;

  JdbcHead(JdbcConfig cfg, DataSource ds) {
    this.cfg = cfg;
    this.ds = ds;
    this.head = cfg.tableName("head");
  }

  /** See {@link datahike.store.Store#readHead}. */
  byte[] read() {
    byte[] framed = Sql.auto(ds, cfg, "read the head", this::headRow);
    return framed == null ? null : headContent(framed);
  }

  /** See {@link datahike.store.Store#casHead}. */
  boolean compareAndSet(byte[] expected, byte[] next) {
    return Sql.auto(
        ds,
        cfg,
        "set the head",
        c -> compareAndSetRow(c, expected, next));
  }

  private boolean compareAndSetRow(Connection c, byte[] expected, byte[] next) throws SQLException {
    while (true) {
      byte[] cur = headRow(c);
      if (cur == null) {
        if (expected != null) {
          return false;
        }
        try (PreparedStatement ps =
            c.prepareStatement("insert into " + head + " (id, v) values (0, ?)")) {
          ps.setBytes(1, headFrame(1, next));
          ps.executeUpdate();
          return true;
        } catch (SQLException e) {
          if (!cfg.dialect().isDuplicate(e)) {
            throw e;
          }
          continue; // another writer set the first head; compare with it
        }
      }
      if (!Arrays.equals(headContent(cur), expected)) {
        return false;
      }
      long version =
          ByteBuffer.wrap(BlobFrame.decode(headWhere(), cur, BlobFrame.KIND_HEAD).payload())
              .getLong();
      try (PreparedStatement ps =
          c.prepareStatement("update " + head + " set v = ? where id = 0 and v = ?")) {
        ps.setBytes(1, headFrame(version + 1, next));
        ps.setBytes(2, cur);
        if (ps.executeUpdate() == 1) {
          return true;
        }
      }
      // Changed since we read it: look again.
    }
  }

  private byte[] headRow(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select v from " + head + " where id = 0")) {
      return rs.next() ? rs.getBytes(1) : null;
    }
  }

  private static byte[] headFrame(long version, byte[] content) {
    return BlobFrame.encode(
        BlobFrame.KIND_HEAD,
        ByteBuffer.allocate(8 + content.length).putLong(version).put(content).array());
  }

  private byte[] headContent(byte[] framed) {
    byte[] p = BlobFrame.decode(headWhere(), framed, BlobFrame.KIND_HEAD).payload();
    if (p.length < 8) {
      throw LogCodec.corrupt(headWhere(), "head shorter than its version");
    }
    return Arrays.copyOfRange(p, 8, p.length);
  }

  private String headWhere() {
    return cfg.describe() + ", table " + head;
  }
}
