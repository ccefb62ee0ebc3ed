package datahike.store.jdbc;

import datahike.DatahikeException;
import datahike.store.BlobFrame;
import datahike.store.LogCodec;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The blobs of a JDBC store: table {@code <table>_blobs (k, part, v)}, one blob per key {@code k}
 * (its UTF-8 bytes), frame {@link BlobFrame#KIND_BLOB} cut into chunks of at most {@link #CHUNK}
 * bytes ({@code part} 0, 1, ...). A batch is one transaction: upserts of every chunk, then the
 * deletion of chunks a shorter new value no longer has.
 */
final class JdbcBlobs {
  /** Largest chunk of a stored value in one row (MariaDB refuses packets over 16 MiB). */
  static final int CHUNK = 1 << 20;

  private final JdbcConfig cfg;
  private final DataSource ds;
  private final String blobs;

  JdbcBlobs(JdbcConfig cfg, DataSource ds) {
    this.cfg = cfg;
    this.ds = ds;
    this.blobs = cfg.tableName("blobs");
  }

  /** See {@link datahike.store.Store#get}. */
  byte[] get(String key) {
    byte[] k = keyBytes(key);
    byte[] framed =
        Sql.auto(
            ds,
            cfg,
            "read blob " + key,
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "select part, v from " + blobs + " where k = ? order by part")) {
                ps.setBytes(1, k);
                try (ResultSet rs = ps.executeQuery()) {
                  JdbcLog.Chunks ch = new JdbcLog.Chunks(0);
                  boolean any = false;
                  while (rs.next()) {
                    ch.add(rs.getInt(1), rs.getBytes(2));
                    any = true;
                  }
                  if (!any) {
                    return null;
                  }
                  byte[] b = ch.bytesOrNull();
                  if (b == null) {
                    throw LogCodec.corrupt(key, "its chunks are not numbered 0, 1, ...");
                  }
                  return b;
                }
              }
            });
    return framed == null ? null : BlobFrame.decode(key, framed, BlobFrame.KIND_BLOB).payload();
  }

  /** See {@link datahike.store.Store#putAll}. */
  void putAll(Map<String, byte[]> values) {
    // Sorted, so concurrent batches lock rows in one order and cannot deadlock each other.
    TreeMap<String, byte[]> sorted = new TreeMap<>();
    for (Map.Entry<String, byte[]> e : values.entrySet()) {
      keyBytes(e.getKey());
      sorted.put(e.getKey(), BlobFrame.encode(BlobFrame.KIND_BLOB, e.getValue()));
    }
    if (sorted.isEmpty()) {
      return;
    }
    Sql.tx(
        ds,
        cfg,
        "write " + sorted.size() + " blobs",
        c -> {
          try (PreparedStatement up = c.prepareStatement(cfg.dialect().upsertBlob(cfg));
              PreparedStatement trim =
                  c.prepareStatement("delete from " + blobs + " where k = ? and part >= ?")) {
            for (Map.Entry<String, byte[]> e : sorted.entrySet()) {
              byte[] k = keyBytes(e.getKey());
              List<byte[]> parts = chunks(e.getValue());
              for (int i = 0; i < parts.size(); i++) {
                up.setBytes(1, k);
                up.setInt(2, i);
                up.setBytes(3, parts.get(i));
                up.addBatch();
              }
              trim.setBytes(1, k);
              trim.setInt(2, parts.size());
              trim.addBatch();
            }
            up.executeBatch();
            trim.executeBatch();
          }
          return null;
        });
  }

  /** See {@link datahike.store.Store#delete}. */
  void delete(Collection<String> keys) {
    if (keys.isEmpty()) {
      return;
    }
    List<String> sorted = new ArrayList<>(keys);
    sorted.sort(null);
    Sql.tx(
        ds,
        cfg,
        "delete " + sorted.size() + " blobs",
        c -> {
          try (PreparedStatement ps = c.prepareStatement("delete from " + blobs + " where k = ?")) {
            for (String k : sorted) {
              ps.setBytes(1, k.getBytes(StandardCharsets.UTF_8));
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
  }

  /** See {@link datahike.store.Store#list}. */
  List<String> list() {
    return Sql.auto(
        ds,
        cfg,
        "list blobs",
        c -> {
          List<String> out = new ArrayList<>();
          try (Statement st = c.createStatement();
              ResultSet rs = st.executeQuery("select k from " + blobs + " where part = 0")) {
            while (rs.next()) {
              out.add(new String(rs.getBytes(1), StandardCharsets.UTF_8));
            }
          }
          return out;
        });
  }

  /** {@code framed} cut into chunks of at most {@link #CHUNK} bytes (one chunk when it fits). */
  static List<byte[]> chunks(byte[] framed) {
    if (framed.length <= CHUNK) {
      return List.of(framed);
    }
    List<byte[]> out = new ArrayList<>(framed.length / CHUNK + 1);
    for (int at = 0; at < framed.length; at += CHUNK) {
      out.add(Arrays.copyOfRange(framed, at, Math.min(framed.length, at + CHUNK)));
    }
    return out;
  }

  private static byte[] keyBytes(String key) {
    if (key == null || key.isEmpty() || key.length() > 200) {
      throw DatahikeException.of(
          "store/bad-key",
          "a blob key is a non-empty string of at most 200 characters, got "
              + (key == null ? "null" : key.length() + " characters"),
          "key",
          key);
    }
    return key.getBytes(StandardCharsets.UTF_8);
  }
}
