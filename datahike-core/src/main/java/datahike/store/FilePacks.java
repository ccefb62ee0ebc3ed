package datahike.store;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import datahike.DatahikeException;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The file store's blobs, kept in pack files ({@link PackFile}) in one directory: each {@code
 * putAll} writes one new pack with one sync, a table in memory ({@link PackTable}) says which pack
 * and offset hold each key, and deletes are recorded beside the packs and reclaimed by rewriting
 * sparse packs.
 *
 * <p><b>What a reader sees.</b> The table is built from the indexes at the ends of the packs
 * (read once, at first use) and from their {@code .dead} files. Packs are only ever added whole
 * (written under a temporary name, synced, renamed, directory synced) and removed whole, so a
 * reader that misses a key lists the directory again for packs written since, by this or any
 * other process, before answering null; one that finds its pack gone (rewritten by the writer)
 * does the same and retries. A pack whose trailer is invalid is a torn write: ignored, and
 * removed when the writer lock is taken ({@link #recover}).
 *
 * <p><b>Which copy wins.</b> Packs are ordered by name ({@link PackFile.Name}); when several hold
 * a key, the last in that order holds its value. To keep deletes simple each key has at most one
 * live copy: writing a key again records the older copy as dead, and a delete records the one
 * live copy. Dead records are not synced (a delete need not be durable), so after a crash an
 * older copy may reappear, which the {@link Store} contract allows.
 *
 * <p><b>Compaction.</b> Only the writer (the instance holding the writer lock) rewrites packs:
 * after a delete, every pack whose live frames fill less than half of it, and after a write, the
 * small packs once {@value #MERGE_SMALL_AT} of them gathered, are copied, live frames only, into
 * one new pack (synced and renamed into place before the old ones go). The new pack takes the
 * highest seq of its sources and a higher generation, so it orders after them: a reader that sees
 * both reads the same bytes from either.
 */
final class FilePacks implements AutoCloseable {
  /** Packs smaller than this are merged once {@link #MERGE_SMALL_AT} of them exist. */
  static final long SMALL_PACK = 1 << 20;

  /** How many small packs trigger a merge. */
  static final int MERGE_SMALL_AT = 16;

  private static final Duration STALE_TEMP = Duration.ofMinutes(10);

  /** One pack this instance knows. Sizes and accounting are guarded by the owner's lock. */
  static final class Pack {
    final PackFile.Name name;
    final Path path;
    final long dataBytes;
    long liveBytes;
    long deadRead;
    private volatile FileChannel ch;
    private volatile boolean retired;

    Pack(PackFile.Name name, Path path, long dataBytes, FileChannel ch) {
      this.name = name;
      this.path = path;
      this.dataBytes = dataBytes;
      this.ch = ch;
    }

    /**
     * The channel to read the pack through, opened on first use and reopened when an interrupt
     * closed it. Fails with {@link ClosedChannelException} once retired and {@link
     * NoSuchFileException} when the file is gone: the caller refreshes and retries.
     */
    FileChannel channel() throws IOException {
      FileChannel c = ch;
      if (c != null && c.isOpen() && !retired) return c;
      return openChannel();
    }

    private synchronized FileChannel openChannel() throws IOException {
      if (retired) throw new ClosedChannelException();
      if (ch == null || !ch.isOpen()) ch = FileChannel.open(path, READ);
      return ch;
    }

    /** Closes the channel for good: the pack left the directory. */
    synchronized void retire() {
      retired = true;
      closeQuietly(ch);
      ch = null;
    }

    @Override
    public String toString() {
      return name.file();
    }
  }

  /** A blob's place, copied out of the table. */
  private record Loc(String key, Pack pack, long offset, int length) {}

  /** A pack found in the directory and read, before it enters the table. */
  private record Found(Pack pack, PackFile.Index index, List<String> dead) {}

  private final Path dir;
  private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
  private final Object refreshing = new Object();
  private final Object rewriting = new Object();

  // Guarded by rw.
  private final PackTable table = new PackTable(1024);
  private final Map<String, Pack> known = new HashMap<>();
  private long maxSeq;

  // Guarded by refreshing.
  private final Set<String> torn = new HashSet<>();
  private volatile boolean loaded;
  private volatile boolean closed;

  FilePacks(Path dir) {
    this.dir = dir;
  }

  /** The directory of the packs. */
  Path dir() {
    return dir;
  }

  // ---- reading -------------------------------------------------------------------------

  /** The blob under {@code key} in the packs, or null when no pack holds it. */
  byte[] get(String key) {
    ensureLoaded();
    for (int vanished = 0; ; ) {
      Loc loc = locate(key);
      if (loc == null) {
        // Look again while the directory changes: a listing may miss a pack renamed in while it
        // ran, but one started after the listing that saw a rewritten pack gone sees its
        // replacement (renamed in before the old one went).
        if (!refresh(false)) return null;
        continue;
      }
      try {
        byte[] frame = new byte[loc.length()];
        FileIo.readInto(loc.pack().channel(), loc.offset(), frame);
        int n =
            BlobFrame.check(
                key, frame, 0, frame.length, BlobFrame.KIND_BLOB, 1, BlobFrame.VERSION);
        return Arrays.copyOfRange(frame, BlobFrame.HEADER_BYTES, BlobFrame.HEADER_BYTES + n);
      } catch (ClosedByInterruptException e) {
        throw DatahikeException.of(
            "store/interrupted", "interrupted while reading blob " + key, "key", key, e);
      } catch (NoSuchFileException | ClosedChannelException e) {
        // The pack was rewritten and removed: its blobs live in a newer pack.
        if (++vanished > 3) {
          throw FileIo.io(
              "cannot read blob " + key + ": its pack keeps vanishing", loc.pack().path, e);
        }
        refresh(false);
      } catch (IOException e) {
        throw FileIo.io("cannot read blob " + key, loc.pack().path, e);
      }
    }
  }

  private Loc locate(String key) {
    rw.readLock().lock();
    try {
      int s = table.find(key);
      return s < 0 ? null : new Loc(key, table.pack(s), table.offset(s), table.length(s));
    } finally {
      rw.readLock().unlock();
    }
  }

  /** Every key in the packs, after catching up with packs and deletes from elsewhere. */
  List<String> keys() {
    ensureLoaded();
    refresh(true);
    rw.readLock().lock();
    try {
      List<String> out = new ArrayList<>(table.size());
      for (int i = 0; i < table.capacity(); i++) {
        String k = table.key(i);
        if (k != null) out.add(k);
      }
      return out;
    } finally {
      rw.readLock().unlock();
    }
  }

  private void ensureLoaded() {
    if (closed) {
      throw DatahikeException.of(
          "store/closed", "the packs in " + dir + " are closed", "path", dir.toString());
    }
    if (!loaded) {
      synchronized (refreshing) {
        if (!loaded) {
          refresh(true);
          loaded = true;
        }
      }
    }
  }

  /**
   * Catches up with the directory: packs written since the last look enter the table, packs gone
   * leave it, and with {@code deads} every pack's {@code .dead} file is read for deletes made
   * elsewhere. Returns whether anything changed.
   */
  private boolean refresh(boolean deads) {
    synchronized (refreshing) {
      Map<String, PackFile.Name> present = new HashMap<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + PackFile.SUFFIX)) {
        for (Path p : ds) {
          PackFile.Name n = PackFile.Name.parse(p.getFileName().toString());
          if (n != null) present.put(n.file(), n);
        }
      } catch (NoSuchFileException e) {
        // a store of the old layout that never wrote a pack: nothing here
      } catch (IOException e) {
        throw FileIo.io("cannot list the packs in " + dir, dir, e);
      }
      List<Pack> gone = new ArrayList<>();
      List<Pack> stay = new ArrayList<>();
      List<PackFile.Name> fresh = new ArrayList<>();
      rw.readLock().lock();
      try {
        for (Pack p : known.values()) (present.containsKey(p.name.file()) ? stay : gone).add(p);
        for (PackFile.Name n : present.values()) {
          if (!known.containsKey(n.file()) && !torn.contains(n.file())) fresh.add(n);
        }
      } finally {
        rw.readLock().unlock();
      }
      List<Found> found = new ArrayList<>();
      for (PackFile.Name n : fresh) {
        Found f = open(n);
        if (f == null) torn.add(n.file());
        else found.add(f);
      }
      Map<Pack, List<String>> newDeads = new HashMap<>();
      if (deads) {
        for (Pack p : stay) {
          List<String> d = readDead(p);
          if (!d.isEmpty()) newDeads.put(p, d);
        }
      }
      if (gone.isEmpty() && found.isEmpty() && newDeads.isEmpty()) return false;
      rw.writeLock().lock();
      try {
        if (!gone.isEmpty()) {
          Set<Pack> g = new HashSet<>(gone);
          for (Pack p : gone) known.remove(p.name.file());
          table.removeIf(g::contains);
        }
        int adding = 0;
        for (Found f : found) adding += f.index().keys().length;
        table.reserve(adding);
        found.sort(Comparator.comparing(f -> f.pack().name));
        for (Found f : found) add(f.pack(), f.index(), f.dead());
        newDeads.forEach(this::applyDead);
      } finally {
        rw.writeLock().unlock();
      }
      for (Pack p : gone) p.retire();
      return true;
    }
  }

  /** Opens pack {@code n} and reads its index and dead keys; null when it is torn or gone. */
  private Found open(PackFile.Name n) {
    Path path = dir.resolve(n.file());
    FileChannel ch = null;
    try {
      ch = FileChannel.open(path, READ);
      PackFile.Index idx = PackFile.readIndex(ch, path.toString());
      if (idx == null) {
        closeQuietly(ch);
        return null;
      }
      Pack p = new Pack(n, path, idx.dataBytes(), ch);
      return new Found(p, idx, readDead(p));
    } catch (NoSuchFileException e) {
      closeQuietly(ch);
      return null; // removed by a rewrite since the listing
    } catch (IOException e) {
      closeQuietly(ch);
      throw FileIo.io("cannot read the index of pack " + n.file(), path, e);
    } catch (RuntimeException e) {
      closeQuietly(ch);
      throw e;
    }
  }

  /** The keys recorded in {@code p}'s {@code .dead} file since the last read of it. */
  private List<String> readDead(Pack p) {
    Path d = dir.resolve(p.name.deadFile());
    List<String> out = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(d, READ)) {
      long size = ch.size();
      if (size <= p.deadRead) return out;
      byte[] b = FileIo.readFully(ch, p.deadRead, (int) Math.min(size - p.deadRead, 1 << 30));
      p.deadRead += PackFile.decodeDead(b, out);
    } catch (NoSuchFileException e) {
      // no deletes recorded
    } catch (IOException e) {
      throw FileIo.io("cannot read the deletes of pack " + p, d, e);
    }
    return out;
  }

  /**
   * Enters pack {@code p} into the table: each live key it holds whose current copy (if any) is
   * in a pack ordered before it. Returns the copies that lost, by pack. Caller holds rw's write
   * lock.
   */
  private Map<Pack, List<String>> add(Pack p, PackFile.Index idx, List<String> dead) {
    Set<String> deadSet = dead.isEmpty() ? Set.of() : new HashSet<>(dead);
    Map<Pack, List<String>> losers = new HashMap<>();
    String[] keys = idx.keys();
    int[] lengths = idx.lengths();
    long off = 0;
    for (int i = 0; i < keys.length; i++) {
      String k = keys[i];
      int len = lengths[i];
      if (!deadSet.contains(k)) {
        int s = table.find(k);
        if (s < 0) {
          table.put(k, p, off, len);
          p.liveBytes += len;
        } else if (table.pack(s).name.compareTo(p.name) < 0) {
          Pack q = table.pack(s);
          q.liveBytes -= table.length(s);
          if (q != p) losers.computeIfAbsent(q, x -> new ArrayList<>()).add(k);
          table.put(k, p, off, len);
          p.liveBytes += len;
        } else {
          losers.computeIfAbsent(p, x -> new ArrayList<>()).add(k);
        }
      }
      off += len;
    }
    known.put(p.name.file(), p);
    maxSeq = Math.max(maxSeq, p.name.seq());
    return losers;
  }

  /** Drops {@code keys} from the table where {@code p} holds them. Caller holds rw's write lock. */
  private void applyDead(Pack p, List<String> keys) {
    for (String k : keys) {
      int s = table.find(k);
      if (s >= 0 && table.pack(s) == p) {
        p.liveBytes -= table.length(s);
        table.removeSlot(s);
      }
    }
  }

  // ---- writing -------------------------------------------------------------------------

  /**
   * Writes {@code blobs} as one new pack, durable on return: synced, renamed into place, the
   * directory synced. With {@code writer} (this instance holds the writer lock), small packs are
   * merged afterwards once enough gathered.
   */
  void write(Map<String, byte[]> blobs, boolean writer) {
    ensureLoaded();
    if (blobs.isEmpty()) return;
    refresh(false); // packs of other processes: their seqs, and copies this write replaces
    long seq;
    rw.writeLock().lock();
    try {
      seq = ++maxSeq;
    } finally {
      rw.writeLock().unlock();
    }
    PackFile.Name name = PackFile.Name.fresh(seq, 0);
    Map<String, byte[]> ordered = new LinkedHashMap<>(blobs);
    Written w =
        writeTemp(
            name,
            out -> {
              for (Map.Entry<String, byte[]> e : ordered.entrySet()) {
                out.add(e.getKey(), e.getValue());
              }
            });
    Map<Pack, List<String>> losers = install(w, p -> add(p, w.index(), List.of()));
    losers.forEach(this::appendDead);
    if (writer) mergeSmall();
  }

  /** What a pack's content is written by. */
  private interface Content {
    void writeTo(PackFile.Writer w) throws IOException;
  }

  /** A pack written and synced under a temporary name, not yet in place. */
  private record Written(Path tmp, PackFile.Name name, PackFile.Index index) {}

  /** Writes pack {@code name} to a temporary file, synced. */
  private Written writeTemp(PackFile.Name name, Content content) {
    Path tmp =
        dir.resolve(
            PackFile.TEMP_PREFIX
                + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + PackFile.SUFFIX);
    try (PackFile.Writer w = new PackFile.Writer(tmp)) {
      content.writeTo(w);
      return new Written(tmp, name, w.finish());
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw FileIo.io("cannot write pack " + name.file(), tmp, e);
    }
  }

  /**
   * Renames a written pack into place and enters it through {@code register} (under rw's write
   * lock), both while no refresh runs, so no refresh meets the pack before its writer has entered
   * it; then syncs the directory, making the pack durable.
   */
  private <T> T install(Written w, java.util.function.Function<Pack, T> register) {
    Path target = dir.resolve(w.name().file());
    Pack p = new Pack(w.name(), target, w.index().dataBytes(), null);
    T result;
    synchronized (refreshing) {
      try {
        Files.move(w.tmp(), target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        deleteQuietly(w.tmp());
        throw FileIo.io("cannot write pack " + w.name().file(), target, e);
      }
      rw.writeLock().lock();
      try {
        result = register.apply(p);
      } finally {
        rw.writeLock().unlock();
      }
    }
    try {
      FileIo.syncDirectory(dir);
    } catch (IOException e) {
      throw FileIo.io("cannot sync the pack directory", dir, e);
    }
    return result;
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // the writer removes stale temporaries when it takes the lock
    }
  }

  /** Records {@code keys} as deleted from pack {@code p}; not synced. */
  private void appendDead(Pack p, List<String> keys) {
    Path d = dir.resolve(p.name.deadFile());
    try (FileChannel ch = FileIo.open(d, CREATE, WRITE, APPEND)) {
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(PackFile.encodeDead(keys));
      while (buf.hasRemaining()) ch.write(buf);
    } catch (NoSuchFileException e) {
      // the pack directory went with the store
    } catch (IOException e) {
      throw FileIo.io("cannot record deletes in pack " + p, d, e);
    }
  }

  // ---- deleting and compaction -----------------------------------------------------------

  /**
   * Deletes {@code keys} from the packs (missing ones are ignored); not durable. With {@code
   * writer}, packs left less than half live are compacted.
   */
  void delete(Collection<String> keys, boolean writer) {
    ensureLoaded();
    refresh(false); // packs written elsewhere since: their keys are deleted too
    Map<Pack, List<String>> dead = new HashMap<>();
    rw.writeLock().lock();
    try {
      for (String k : keys) {
        int s = table.find(k);
        if (s >= 0) {
          Pack p = table.pack(s);
          p.liveBytes -= table.length(s);
          table.removeSlot(s);
          dead.computeIfAbsent(p, x -> new ArrayList<>()).add(k);
        }
      }
    } finally {
      rw.writeLock().unlock();
    }
    dead.forEach(this::appendDead);
    if (writer && !dead.isEmpty()) compactSparse();
  }

  /** Rewrites the packs whose live frames fill less than half of them. */
  void compactSparse() {
    rewrite(p -> p.liveBytes * 2 < p.dataBytes);
  }

  private void mergeSmall() {
    int small = 0;
    rw.readLock().lock();
    try {
      for (Pack p : known.values()) if (p.dataBytes < SMALL_PACK) small++;
    } finally {
      rw.readLock().unlock();
    }
    if (small >= MERGE_SMALL_AT) rewrite(p -> p.dataBytes < SMALL_PACK);
  }

  /**
   * Copies the live blobs of the packs chosen by {@code which} into one new pack, then removes
   * them. The new pack is synced and in place before any source goes, so a crash in between
   * leaves both copies (identical bytes) and never neither.
   */
  private void rewrite(java.util.function.Predicate<Pack> which) {
    synchronized (rewriting) {
      refresh(true);
      List<Pack> sources = new ArrayList<>();
      List<Loc> live = new ArrayList<>();
      int gen = 0;
      long seq = 0;
      rw.readLock().lock();
      try {
        for (Pack p : known.values()) if (which.test(p)) sources.add(p);
        if (sources.isEmpty()) return;
        Set<Pack> src = new HashSet<>(sources);
        for (int i = 0; i < table.capacity(); i++) {
          String k = table.key(i);
          if (k != null && src.contains(table.pack(i))) {
            live.add(new Loc(k, table.pack(i), table.offset(i), table.length(i)));
          }
        }
        for (Pack p : sources) seq = Math.max(seq, p.name.seq());
        for (Pack p : known.values()) if (p.name.seq() == seq) gen = Math.max(gen, p.name.gen());
      } finally {
        rw.readLock().unlock();
      }
      if (!live.isEmpty()) {
        live.sort(
            Comparator.comparing((Loc l) -> l.pack().name).thenComparingLong(Loc::offset));
        Written w =
            writeTemp(
                PackFile.Name.fresh(seq, gen + 1),
                out -> {
                  for (Loc l : live) {
                    byte[] frame = new byte[l.length()];
                    FileIo.readInto(l.pack().channel(), l.offset(), frame);
                    out.addFrame(l.key(), frame, 0, -1);
                  }
                });
        Pack[] out = new Pack[1];
        List<String> lost =
            install(
                w,
                o -> {
                  out[0] = o;
                  List<String> gone = new ArrayList<>();
                  known.put(o.name.file(), o);
                  maxSeq = Math.max(maxSeq, o.name.seq());
                  long off = 0;
                  for (Loc l : live) {
                    int s = table.find(l.key());
                    if (s >= 0 && table.pack(s) == l.pack() && table.offset(s) == l.offset()) {
                      l.pack().liveBytes -= l.length();
                      table.put(l.key(), o, off, l.length());
                      o.liveBytes += l.length();
                    } else {
                      gone.add(l.key()); // deleted or replaced while we copied
                    }
                    off += l.length();
                  }
                  return gone;
                });
        if (!lost.isEmpty()) appendDead(out[0], lost);
      }
      rw.writeLock().lock();
      try {
        Set<Pack> src = new HashSet<>(sources);
        for (Pack p : sources) known.remove(p.name.file());
        table.removeIf(src::contains);
      } finally {
        rw.writeLock().unlock();
      }
      for (Pack p : sources) {
        p.retire();
        try {
          // The pack first: a crash between the two leaves an orphan .dead, removed at lock time,
          // rather than a pack whose deletes are forgotten.
          Files.deleteIfExists(p.path);
          Files.deleteIfExists(dir.resolve(p.name.deadFile()));
        } catch (IOException e) {
          throw FileIo.io("cannot remove compacted pack " + p, p.path, e);
        }
      }
    }
  }

  // ---- housekeeping --------------------------------------------------------------------

  /**
   * Run by a new writer: removes torn packs (no valid trailer: never acknowledged), temporaries
   * older than {@link #STALE_TEMP} (younger ones may belong to a live writer elsewhere), and
   * {@code .dead} files whose pack is gone; cuts torn records off the ends of the others.
   */
  void recover() {
    ensureLoaded();
    refresh(false);
    if (!Files.isDirectory(dir)) return;
    long cutoff = System.currentTimeMillis() - STALE_TEMP.toMillis();
    List<Path> all = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) all.add(p);
    } catch (IOException e) {
      throw FileIo.io("cannot list the packs in " + dir, dir, e);
    }
    Set<String> names = new HashSet<>();
    for (Path p : all) names.add(p.getFileName().toString());
    for (Path p : all) {
      String n = p.getFileName().toString();
      try {
        if (n.startsWith(PackFile.TEMP_PREFIX)) {
          if (Files.getLastModifiedTime(p).toMillis() < cutoff) Files.deleteIfExists(p);
        } else if (n.endsWith(PackFile.DEAD_SUFFIX)) {
          String pack =
              n.substring(0, n.length() - PackFile.DEAD_SUFFIX.length()) + PackFile.SUFFIX;
          if (!names.contains(pack)) Files.deleteIfExists(p);
          else cutTornDeadTail(p);
        } else if (PackFile.Name.parse(n) != null && isTorn(n)) {
          Files.deleteIfExists(p);
          Files.deleteIfExists(dir.resolve(PackFile.Name.parse(n).deadFile()));
          synchronized (refreshing) {
            torn.remove(n);
          }
        }
      } catch (IOException e) {
        // Housekeeping only: what stays is ignored by readers and retried next time.
      }
    }
  }

  /**
   * Cuts a torn last record (a crash during an unsynced delete) off a {@code .dead} file, so that
   * records appended later are not hidden behind it from other readers.
   */
  private static void cutTornDeadTail(Path dead) throws IOException {
    byte[] b = Files.readAllBytes(dead);
    int valid = PackFile.decodeDead(b, new ArrayList<>());
    if (valid < b.length) {
      try (FileChannel ch = FileIo.open(dead, WRITE)) {
        ch.truncate(valid);
      }
    }
  }

  private boolean isTorn(String name) {
    rw.readLock().lock();
    try {
      if (known.containsKey(name)) return false;
    } finally {
      rw.readLock().unlock();
    }
    synchronized (refreshing) {
      if (torn.contains(name)) return true;
    }
    // Written after the refresh above (by another instance): look at it.
    Found f = open(PackFile.Name.parse(name));
    if (f != null) {
      f.pack().retire();
      return false;
    }
    return Files.exists(dir.resolve(name));
  }

  @Override
  public void close() {
    closed = true;
    List<Pack> all;
    rw.writeLock().lock();
    try {
      all = new ArrayList<>(known.values());
    } finally {
      rw.writeLock().unlock();
    }
    for (Pack p : all) p.retire();
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch == null) return;
    try {
      ch.close();
    } catch (IOException e) {
      // nothing to do: it was only read
    }
  }
}
