package datahike.store;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import datahike.DatahikeException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The file store's transaction log: append-only segment files of checksummed groups, appended
 * through a {@link GroupCommitter} so concurrent appends share one {@code fdatasync}.
 *
 * <p>Layout: {@code <path>/log/<first seq, 20 digits>.log}, e.g. {@code 00000000000000000001.log}.
 * A segment is a header frame ({@link BlobFrame#KIND_LOG_SEGMENT}, payload: its first sequence
 * number, 24 bytes in all) followed by group frames ({@link LogCodec}). A new segment is started
 * once the current one reaches {@code segmentBytes}; its header is synced and the directory fsynced
 * before any group goes in, and each group is written with one positional write and synced ({@code
 * FileChannel.force(false)}) before its callers return and before the next group is written.
 * Zeros are written ahead of the last group ({@link #PREALLOCATE_BYTES} at a time) so that most
 * syncs leave the file's size alone; zeros where a group would start end a segment cleanly (a
 * segment after it must then start at the next record, which {@link #read} checks).
 *
 * <p>Hence after a crash only the last group of the last segment can be damaged, and it was never
 * acknowledged. Scanning tells the two cases apart: a bad frame with no valid group anywhere after
 * it is a torn tail (the writer truncates it away when it takes the lock; readers stop before it);
 * a bad frame with a valid group after it, or in any segment but the last, is rot in acknowledged
 * data and fails with {@code :store/corrupt} naming segment and offset. The one ambiguous case, rot
 * in the very last group, reads as a torn tail: without a second copy no log can tell them apart.
 *
 * <p>Records are numbered densely from 1 across segments; numbering never restarts, because the
 * last segment is never deleted. Inside the writing process, reads stop at the last synced record,
 * so nothing not yet durable is ever handed out.
 */
final class FileLog {
  /** Default size at which a new segment is started. */
  static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

  /**
   * Zeros written ahead of the last group, so that most syncs need not change the file's size: a
   * sync that grows the file also commits the file system's journal, and measured on this
   * project's CI machine that doubled the cost of syncing a 4 KiB group (356 vs 160 us). Scans read
   * zeros after the last group as the end of the log (see {@link LogSegments#scan}).
   */
  static final int PREALLOCATE_BYTES = 256 << 10;

  private static final byte[] ZEROS = new byte[PREALLOCATE_BYTES];

  /** Most record bytes the committer puts into one group (a larger single append goes alone). */
  static final long MAX_GROUP_BYTES = 16L << 20;

  private final Path dir;
  private final long segmentBytes;
  /** What one extension writes: {@link #ZEROS}, or fewer when segments are smaller (tests). */
  private final byte[] zerosAhead;
  private final GroupCommitter<List<byte[]>, Long> committer;

  // Writer state: touched only by the flusher (one at a time) or inside committer.exclusive().
  private FileChannel active;
  private long activePos;
  /** End of the zeros written ahead in the active segment (its size as this writer made it). */
  private long allocatedEnd;
  private long nextSeq = 1;
  private boolean writable;
  private Throwable poisoned;

  /** Test seam: sees every log write and sync before it happens, and may fail or tear it. */
  interface Fault {
    /** Called before {@code op} ("write" or "sync") of {@code bytes} at {@code pos} in ch. */
    void before(String op, FileChannel ch, long pos, byte[] bytes) throws IOException;
  }

  private volatile Fault fault;

  /** In the writing instance, the last synced sequence; otherwise Long.MAX_VALUE (no bound). */
  private volatile long durableSeq = Long.MAX_VALUE;

  FileLog(Path dir, long segmentBytes) {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    this.zerosAhead = segmentBytes >= ZEROS.length ? ZEROS : new byte[(int) Math.max(segmentBytes, 0)];
    this.committer = new GroupCommitter<>(this::flush, LogCodec::weight, MAX_GROUP_BYTES);
  }

  /** Installs a fault injector (tests only). */
  void fault(Fault f) {
    fault = f;
  }

  private void before(String op, FileChannel ch, long pos, byte[] bytes) throws IOException {
    Fault f = fault;
    if (f != null) {
      f.before(op, ch, pos, bytes);
    }
  }

  /** The committer, for its statistics. */
  GroupCommitter<List<byte[]>, Long> committer() {
    return committer;
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
    if (LogCodec.weight(records) > BlobFrame.MAX_PAYLOAD - LogCodec.GROUP_HEADER) {
      throw DatahikeException.of(
          "store/too-large",
          "one append is limited to about 2 GiB, got " + LogCodec.weight(records) + " bytes",
          "size",
          LogCodec.weight(records));
    }
    return committer.commit(records);
  }

  private List<Long> flush(List<List<byte[]>> batch) {
    ensureWritable();
    long first = nextSeq;
    byte[] frame = LogCodec.encode(first, batch);
    try {
      if (active == null || activePos >= segmentBytes) {
        roll();
      }
      if (activePos + frame.length > allocatedEnd) {
        long from = Math.max(allocatedEnd, activePos + frame.length);
        before("write", active, from, zerosAhead);
        FileIo.writeFully(active, zerosAhead, from);
        allocatedEnd = from + zerosAhead.length;
      }
      before("write", active, activePos, frame);
      FileIo.writeFully(active, frame, activePos);
      before("sync", active, activePos, frame);
      active.force(false);
      activePos += frame.length;
      List<Long> out = new ArrayList<>(batch.size());
      long seq = first;
      for (List<byte[]> b : batch) {
        seq += b.size();
        out.add(seq - 1);
      }
      nextSeq = seq;
      durableSeq = seq - 1;
      return out;
    } catch (IOException | RuntimeException e) {
      // After a failed write or sync the file's state is unknown (and on Linux a failed fsync
      // may drop the dirty pages while the next one succeeds). Best effort: cut the group off
      // again so a later recovery does not resurrect what the callers were told failed; then
      // refuse further appends until recover() rescans the tail under a fresh writer lock. The
      // callers must still treat :store/io as "outcome unknown", like a lost network reply.
      poisoned = e;
      if (active != null) {
        try {
          active.truncate(activePos);
          allocatedEnd = activePos;
          active.force(true);
        } catch (IOException | RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw DatahikeException.of(
          "store/io",
          "log append to " + dir + " failed, outcome unknown: " + e,
          "path",
          dir.toString(),
          e);
    }
  }

  private void ensureWritable() {
    if (!writable) {
      throw DatahikeException.of(
          "store/not-locked",
          "only the holder of the writer lock appends to the log in " + dir,
          "path",
          dir.toString());
    }
    if (poisoned != null) {
      throw DatahikeException.of(
          "store/io",
          "an earlier log write to " + dir + " failed; take the writer lock again to recover",
          "path",
          dir.toString(),
          poisoned);
    }
  }

  /**
   * Starts segment {@code nextSeq}: header written and synced, directory entry synced. The segment
   * before it loses its zeros ahead (unsynced: a crash may leave them, and scans accept them).
   */
  private void roll() throws IOException {
    if (active != null && allocatedEnd > activePos) {
      try {
        active.truncate(activePos);
      } catch (IOException ignored) {
        // Only space: the zeros read as the end of the segment.
      }
    }
    closeActive();
    Path p = dir.resolve(LogSegments.name(nextSeq));
    FileChannel ch = FileIo.open(p, CREATE_NEW, WRITE);
    try {
      byte[] header = LogSegments.header(nextSeq);
      before("write", ch, 0, header);
      FileIo.writeFully(ch, header, 0);
      before("sync", ch, 0, header);
      ch.force(true);
      FileIo.syncDirectory(dir);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    active = ch;
    activePos = LogSegments.SEGMENT_HEADER_BYTES;
    allocatedEnd = activePos;
  }

  /**
   * Makes this log writable after the writer lock was taken: checks the last segment, truncates a
   * torn tail, and positions appends after the last good group.
   */
  void recover() {
    committer.exclusive(
        () -> {
          closeActive();
          poisoned = null;
          try {
            List<LogSegments.Segment> segs = LogSegments.list(dir);
            if (segs.isEmpty()) {
              nextSeq = 1;
            } else {
              LogSegments.Segment last = segs.get(segs.size() - 1);
              LogSegments.Scan s = LogSegments.scan(last, true, Long.MAX_VALUE, null);
              FileChannel ch = FileIo.open(last.path(), READ, WRITE);
              try {
                if (s.tornHeader()) {
                  // Crashed while starting this segment: no group can be in it. Start it again.
                  ch.truncate(0);
                  FileIo.writeFully(ch, LogSegments.header(last.firstSeq()), 0);
                  ch.force(true);
                } else if (s.torn()) {
                  ch.truncate(s.end());
                  ch.force(true);
                }
                allocatedEnd = ch.size();
              } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
              }
              active = ch;
              activePos = s.tornHeader() ? LogSegments.SEGMENT_HEADER_BYTES : s.end();
              nextSeq = s.nextSeq();
            }
          } catch (IOException e) {
            throw DatahikeException.of(
                "store/io",
                "cannot recover the log in " + dir + ": " + e,
                "path",
                dir.toString(),
                e);
          }
          durableSeq = nextSeq - 1;
          writable = true;
        });
  }

  /** Makes the log read-only again (the writer lock is being released). */
  void release() {
    committer.exclusive(
        () -> {
          writable = false;
          durableSeq = Long.MAX_VALUE;
          closeActive();
        });
  }

  void close() {
    committer.close();
    committer.exclusive(
        () -> {
          writable = false;
          closeActive();
        });
  }

  private void closeActive() {
    if (active != null) {
      try {
        active.close();
      } catch (IOException e) {
        // The last group was synced when written; nothing is lost by a failed close.
      }
      active = null;
    }
  }

  void truncateBefore(long seq) {
    committer.exclusive(
        () -> {
          ensureWritable();
          // Truncating everything (a purge must leave no trace): start a fresh last segment so
          // the one holding the records can go too.
          try {
            List<LogSegments.Segment> segs = LogSegments.list(dir);
            if (seq >= nextSeq && !segs.isEmpty() && segs.get(segs.size() - 1).firstSeq() < nextSeq) {
              roll();
            }
          } catch (IOException e) {
            throw DatahikeException.of(
                "store/io", "cannot roll the log in " + dir + ": " + e, "path", dir.toString(), e);
          }
        });
    try {
      List<LogSegments.Segment> segs = LogSegments.list(dir);
      boolean deleted = false;
      // Segment i holds only records below seq when segment i+1 starts at or before seq.
      // The last segment always stays: it carries the numbering on.
      for (int i = 0; i + 1 < segs.size() && segs.get(i + 1).firstSeq() <= seq; i++) {
        Files.deleteIfExists(segs.get(i).path());
        deleted = true;
      }
      if (deleted) {
        FileIo.syncDirectory(dir);
      }
    } catch (IOException e) {
      throw DatahikeException.of(
          "store/io", "cannot truncate the log in " + dir + ": " + e, "path", dir.toString(), e);
    }
  }

  // ---- reading -------------------------------------------------------------------------

  List<LogEntry> read(long fromSeq) {
    long bound = durableSeq;
    List<LogEntry> out = new ArrayList<>();
    try {
      List<LogSegments.Segment> segs = LogSegments.list(dir);
      int start = 0;
      for (int i = 0; i < segs.size(); i++) {
        if (segs.get(i).firstSeq() <= fromSeq) {
          start = i;
        }
      }
      long expect = -1;
      for (int i = start; i < segs.size(); i++) {
        LogSegments.Segment seg = segs.get(i);
        if (expect >= 0 && seg.firstSeq() != expect) {
          throw DatahikeException.of(
              "store/corrupt",
              "log segment "
                  + seg.path()
                  + " starts at record "
                  + seg.firstSeq()
                  + " but the segment before it ends at "
                  + (expect - 1),
              "segment",
              seg.path().toString(),
              "offset",
              0L);
        }
        LogSegments.Scan s;
        try {
          s = LogSegments.scan(seg, i == segs.size() - 1, fromSeq, out);
        } catch (NoSuchFileException e) {
          expect = -1; // removed by a concurrent truncation: those records were released
          continue;
        }
        expect = s.nextSeq();
      }
    } catch (IOException e) {
      throw DatahikeException.of(
          "store/io", "cannot read the log in " + dir + ": " + e, "path", dir.toString(), e);
    }
    if (bound != Long.MAX_VALUE) {
      while (!out.isEmpty() && out.get(out.size() - 1).seq() > bound) {
        out.remove(out.size() - 1);
      }
    }
    return out;
  }
}
