package datahike.store.jdbc;

import datahike.DatahikeException;
import datahike.store.GroupCommitter;
import datahike.store.LogCodec;
import datahike.store.LogEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/**
 * The transaction log of a JDBC store: table {@code <table>_log (seq, part, v)}, one log group per
 * commit ({@link LogCodec}), keyed by its first sequence number and split into chunks ({@code
 * part} 0, 1, ...). Appends go through a {@link GroupCommitter}: the appends queued while one
 * commit runs become the next group, inserted and committed in one transaction, so concurrent
 * appenders share one durable commit.
 *
 * <p><b>Fencing.</b> Every group insert first reads the meta row {@code writer} {@code FOR UPDATE}
 * and checks it still holds this writer's token. A new writer writes its token right after taking
 * the server lock, which waits for any commit holding that row, so a writer that lost its lock
 * without noticing (a dropped lock connection) fails its next append with {@code :store/not-locked}
 * instead of writing beside the new one. The primary key on {@code seq} is a second guard: two
 * groups can never share a first sequence number.
 *
 * <p><b>Torn tails.</b> A transaction cannot tear, but the contract treats damage in the last group
 * as a torn, unacknowledged append (it cannot be told from one): readers skip it, the next writer
 * deletes it when it takes the lock. Damage in any earlier group is {@code :store/corrupt}.
 *
 * <p>After a failed commit the outcome is unknown (the commit may have landed), so the log refuses
 * further appends until the writer lock is taken again, which re-reads the tail, as the file store
 * does.
 */
final class JdbcLog {
  /** Most record bytes one group holds (a larger single append goes alone). */
  static final long MAX_GROUP_BYTES = 16L << 20;

  private final JdbcConfig cfg;
  private final DataSource ds;
  private final String log;
  private final String meta;
  private final GroupCommitter<List<byte[]>, Long> committer;

  // Writer state: changed only inside committer.exclusive() or by the flusher.
  private volatile byte[] token;
  private long nextSeq;
  private volatile Throwable poisoned;

  JdbcLog(JdbcConfig cfg, DataSource ds) {
    this.cfg = cfg;
    this.ds = ds;
    this.log = cfg.tableName("log");
    this.meta = cfg.tableName("meta");
    this.committer = new GroupCommitter<>(this::flush, LogCodec::weight, MAX_GROUP_BYTES);
  }

  /** The committer, for statistics. */
  GroupCommitter<List<byte[]>, Long> committer() {
    return committer;
  }

  /** Makes this log writable under the freshly written {@code token}: recovers the tail first. */
  void startWriting(byte[] token) {
    committer.exclusive(
        () -> {
          nextSeq = Sql.tx(ds, cfg, "recover the log tail", c -> recover(c, token));
          poisoned = null;
          this.token = token;
        });
  }

  /** Makes this log read-only again (the writer lock is going). */
  void stopWriting() {
    committer.exclusive(() -> token = null);
  }

  /** Fails queued appends and refuses new ones. */
  void close() {
    committer.close();
    committer.exclusive(() -> token = null);
  }

  // ---- writing -------------------------------------------------------------------------

  long append(List<byte[]> records) {
    if (records.isEmpty()) {
      long[] last = new long[1];
      committer.exclusive(
          () -> {
            ensureWritable();
            last[0] = nextSeq - 1;
          });
      return last[0];
    }
    return committer.commit(records);
  }

  private List<Long> flush(List<List<byte[]>> batch) {
    ensureWritable();
    long first = nextSeq;
    byte[] frame = LogCodec.encode(first, batch);
    byte[] mine = token;
    try (Connection c = ds.getConnection()) {
      Sql.inTx(
          c,
          conn -> {
            fence(conn, mine);
            insertGroup(conn, first, frame);
            return null;
          });
    } catch (SQLException | RuntimeException e) {
      poisoned = e;
      if (e instanceof DatahikeException d && d.code().fullName().equals("store/not-locked")) {
        throw d;
      }
      throw DatahikeException.of(
          "store/io",
          cfg.describe() + ": log append failed, outcome unknown: " + e.getMessage(),
          "table",
          cfg.table(),
          e);
    }
    List<Long> out = new ArrayList<>(batch.size());
    long seq = first;
    for (List<byte[]> b : batch) {
      seq += b.size();
      out.add(seq - 1);
    }
    nextSeq = seq;
    return out;
  }

  private void insertGroup(Connection c, long first, byte[] frame) throws SQLException {
    List<byte[]> parts = JdbcBlobs.chunks(frame);
    try (PreparedStatement ps =
        c.prepareStatement("insert into " + log + " (seq, part, v) values (?, ?, ?)")) {
      for (int i = 0; i < parts.size(); i++) {
        ps.setLong(1, first);
        ps.setInt(2, i);
        ps.setBytes(3, parts.get(i));
        if (parts.size() == 1) {
          ps.executeUpdate();
        } else {
          ps.addBatch();
        }
      }
      if (parts.size() > 1) {
        ps.executeBatch();
      }
    }
  }

  /** Checks, holding the token row until commit, that {@code mine} is still the writer's token. */
  private void fence(Connection c, byte[] mine) throws SQLException {
    byte[] current = null;
    try (PreparedStatement ps =
        c.prepareStatement(
            "select v from " + meta + " where name = 'writer'" + cfg.dialect().forUpdate())) {
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          current = rs.getBytes(1);
        }
      }
    }
    if (mine == null || !Arrays.equals(current, mine)) {
      throw DatahikeException.of(
          "store/not-locked",
          cfg.describe()
              + ": this instance lost the writer lock; "
              + StoreJdbc.holderText(current)
              + " holds it now",
          "table",
          cfg.table());
    }
  }

  private void ensureWritable() {
    if (token == null) {
      throw DatahikeException.of(
          "store/not-locked",
          cfg.describe() + ": only the holder of the writer lock changes the log",
          "table",
          cfg.table());
    }
    if (poisoned != null) {
      throw DatahikeException.of(
          "store/io",
          cfg.describe() + ": an earlier log append failed; take the writer lock again to recover",
          "table",
          cfg.table(),
          poisoned);
    }
  }

  /**
   * Deletes a damaged last group (a torn, never acknowledged append) and returns the next sequence
   * number; runs under the fresh token inside the lock-taking transaction.
   */
  private long recover(Connection c, byte[] mine) throws SQLException {
    fence(c, mine);
    Long last = maxSeq(c, Long.MAX_VALUE);
    if (last == null) {
      return 1;
    }
    try {
      return decodeGroup(last, readGroup(c, last)).nextSeq();
    } catch (DatahikeException e) {
      if (!LogCodec.isCorrupt(e)) {
        throw e;
      }
    }
    try (PreparedStatement ps = c.prepareStatement("delete from " + log + " where seq = ?")) {
      ps.setLong(1, last);
      ps.executeUpdate();
    }
    Long before = maxSeq(c, Long.MAX_VALUE);
    return before == null ? last : decodeGroup(before, readGroup(c, before)).nextSeq();
  }

  // ---- reading -------------------------------------------------------------------------

  List<LogEntry> read(long fromSeq) {
    List<Long> seqs = new ArrayList<>();
    List<byte[]> frames = new ArrayList<>();
    Sql.auto(
        ds,
        cfg,
        "read the log",
        c -> {
          // One statement, so one snapshot: the group holding fromSeq and every later one.
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select seq, part, v from "
                      + log
                      + " where seq >= coalesce((select max(seq) from "
                      + log
                      + " where seq <= ?), 0) order by seq, part")) {
            ps.setLong(1, fromSeq);
            try (ResultSet rs = ps.executeQuery()) {
              Chunks group = null;
              while (rs.next()) {
                long seq = rs.getLong(1);
                if (group == null || group.seq != seq) {
                  if (group != null) {
                    seqs.add(group.seq);
                    frames.add(group.bytesOrNull());
                  }
                  group = new Chunks(seq);
                }
                group.add(rs.getInt(2), rs.getBytes(3));
              }
              if (group != null) {
                seqs.add(group.seq);
                frames.add(group.bytesOrNull());
              }
            }
          }
          return null;
        });
    List<LogEntry> out = new ArrayList<>();
    long expect = -1;
    for (int i = 0; i < frames.size(); i++) {
      boolean lastGroup = i == frames.size() - 1;
      LogCodec.Group g;
      try {
        if (frames.get(i) == null) {
          throw LogCodec.corrupt(where(seqs.get(i)), "its chunks are not numbered 0, 1, ...");
        }
        g = decodeGroup(seqs.get(i), frames.get(i));
        if (expect >= 0 && g.firstSeq() != expect) {
          throw LogCodec.corrupt(
              where(seqs.get(i)), "it starts at " + g.firstSeq() + ", the log was at " + expect);
        }
      } catch (DatahikeException e) {
        if (lastGroup && LogCodec.isCorrupt(e)) {
          break; // a torn tail: never acknowledged
        }
        throw e;
      }
      g.entries(fromSeq, out);
      expect = g.nextSeq();
    }
    return out;
  }

  private LogCodec.Group decodeGroup(long seq, byte[] frame) {
    String where = where(seq);
    if (frame == null) {
      throw LogCodec.corrupt(where, "its chunks are not numbered 0, 1, ...");
    }
    LogCodec.Group g = LogCodec.decodeGroup(where, frame);
    if (g.firstSeq() != seq) {
      throw LogCodec.corrupt(where, "it names sequence " + g.firstSeq());
    }
    return g;
  }

  private String where(long seq) {
    return cfg.describe() + ", table " + log + ", log group at seq " + seq;
  }

  private byte[] readGroup(Connection c, long seq) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("select part, v from " + log + " where seq = ? order by part")) {
      ps.setLong(1, seq);
      try (ResultSet rs = ps.executeQuery()) {
        Chunks g = new Chunks(seq);
        while (rs.next()) {
          g.add(rs.getInt(1), rs.getBytes(2));
        }
        return g.bytesOrNull();
      }
    }
  }

  private Long maxSeq(Connection c, long atMost) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("select max(seq) from " + log + " where seq <= ?")) {
      ps.setLong(1, atMost);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long v = rs.getLong(1);
        return rs.wasNull() ? null : v;
      }
    }
  }

  // ---- truncation ----------------------------------------------------------------------

  /** Drops the groups that end before {@code seq}; never the last group, so numbering goes on. */
  void truncateBefore(long seq) {
    ensureWritable();
    byte[] mine = token;
    Sql.tx(
        ds,
        cfg,
        "truncate the log",
        c -> {
          fence(c, mine);
          Long keep = maxSeq(c, seq);
          if (keep != null) {
            try (PreparedStatement ps =
                c.prepareStatement("delete from " + log + " where seq < ?")) {
              ps.setLong(1, keep);
              ps.executeUpdate();
            }
          }
          return null;
        });
  }

  /** The chunks of one stored value, in the order read. */
  static final class Chunks {
    final long seq;
    private final List<byte[]> parts = new ArrayList<>();
    private boolean inOrder = true;

    Chunks(long seq) {
      this.seq = seq;
    }

    void add(int part, byte[] bytes) {
      inOrder &= part == parts.size();
      parts.add(bytes);
    }

    /** The chunks joined, or null when they are not numbered 0, 1, ... */
    byte[] bytesOrNull() {
      if (!inOrder) {
        return null;
      }
      if (parts.size() == 1) {
        return parts.get(0);
      }
      int n = 0;
      for (byte[] p : parts) {
        n = Math.addExact(n, p.length);
      }
      byte[] out = new byte[n];
      int at = 0;
      for (byte[] p : parts) {
        System.arraycopy(p, 0, out, at, p.length);
        at += p.length;
      }
      return out;
    }
  }
}
