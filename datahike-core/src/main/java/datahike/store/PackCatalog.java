package datahike.store;

import static java.nio.file.StandardOpenOption.READ;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;

/**
 * What one file store instance knows of its packs: the packs by file name, and the table of which
 * pack and offset hold each key ({@link PackTable}), with live-byte accounting per pack. It does no
 * file I/O beyond the read channels of the packs; {@link FilePacks} reads and writes the files
 * and tells it what it found.
 *
 * <p>Which copy of a key wins: the one in the pack last in name order ({@link PackFile.Name}); a
 * key recorded dead in the pack that holds it has no entry. Thread-safe through one read-write
 * lock: a blob read holds the read lock only to look the key up.
 */
final class PackCatalog {
  /** One pack this instance knows. Live bytes are guarded by the catalog's lock. */
  static final class Pack {
    final PackFile.Name name;
    final Path path;
    final long dataBytes;
    long liveBytes;

    /** Bytes of the pack's {@code .dead} file read so far (guarded by the refresh in FilePacks). */
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
  record Loc(String key, Pack pack, long offset, int length) {}

  /** A pack found in the directory and read: its index and the keys recorded dead in it. */
  record Found(Pack pack, PackFile.Index index, List<String> dead) {}

  /** What a rewrite copies: the live blobs of its sources, into pack (seq, gen). */
  record Rewrite(List<Pack> sources, List<Loc> live, long seq, int gen) {}

  private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
  private final PackTable table = new PackTable(1024);
  private final Map<String, Pack> known = new HashMap<>();
  private long maxSeq;

  /** Where {@code key} lives, or null. */
  Loc locate(String key) {
    rw.readLock().lock();
    try {
      int s = table.find(key);
      return s < 0 ? null : new Loc(key, table.pack(s), table.offset(s), table.length(s));
    } finally {
      rw.readLock().unlock();
    }
  }

  /** Every key with an entry. */
  List<String> keys() {
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

  /** The known packs, a copy. */
  List<Pack> packs() {
    rw.readLock().lock();
    try {
      return new ArrayList<>(known.values());
    } finally {
      rw.readLock().unlock();
    }
  }

  /** True when pack file {@code file} is known. */
  boolean knows(String file) {
    rw.readLock().lock();
    try {
      return known.containsKey(file);
    } finally {
      rw.readLock().unlock();
    }
  }

  /** The seq for a new pack: after every pack known. */
  long nextSeq() {
    rw.writeLock().lock();
    try {
      return ++maxSeq;
    } finally {
      rw.writeLock().unlock();
    }
  }

  /**
   * Applies what a look at the directory found, atomically for readers: packs {@code gone} leave,
   * packs {@code found} enter, and keys recorded dead since the last look ({@code deads}) go.
   */
  void update(List<Pack> gone, List<Found> found, Map<Pack, List<String>> deads) {
    rw.writeLock().lock();
    try {
      if (!gone.isEmpty()) drop(gone);
      int adding = 0;
      for (Found f : found) adding += f.index().keys().length;
      table.reserve(adding);
      List<Found> ordered = new ArrayList<>(found);
      ordered.sort(Comparator.comparing(f -> f.pack().name));
      for (Found f : ordered) add(f.pack(), f.index(), f.dead());
      deads.forEach(this::applyDead);
    } finally {
      rw.writeLock().unlock();
    }
  }

  /**
   * Enters pack {@code p}, just written, with index {@code idx}. Returns the copies of its keys
   * that lost (older ones elsewhere, or its own where a newer pack holds the key), by pack: the
   * writer records them dead, so that each key has one live copy.
   */
  Map<Pack, List<String>> enter(Pack p, PackFile.Index idx) {
    rw.writeLock().lock();
    try {
      return add(p, idx, List.of());
    } finally {
      rw.writeLock().unlock();
    }
  }

  /** Removes the entries of {@code keys}; returns the removed ones by the pack that held them. */
  Map<Pack, List<String>> remove(Collection<String> keys) {
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
    return dead;
  }

  /** How many known packs hold fewer than {@code bytes} bytes of blobs. */
  int countSmallerThan(long bytes) {
    int n = 0;
    for (Pack p : packs()) if (p.dataBytes < bytes) n++;
    return n;
  }

  /**
   * Plans rewriting the packs chosen by {@code which}: their live blobs in file order, and the
   * name of the new pack (the highest seq among them, a generation above every pack of that seq).
   * Null when no pack is chosen.
   */
  Rewrite planRewrite(Predicate<Pack> which) {
    rw.readLock().lock();
    try {
      List<Pack> sources = new ArrayList<>();
      for (Pack p : known.values()) if (which.test(p)) sources.add(p);
      if (sources.isEmpty()) return null;
      Set<Pack> src = new HashSet<>(sources);
      List<Loc> live = new ArrayList<>();
      for (int i = 0; i < table.capacity(); i++) {
        String k = table.key(i);
        if (k != null && src.contains(table.pack(i))) {
          live.add(new Loc(k, table.pack(i), table.offset(i), table.length(i)));
        }
      }
      live.sort(Comparator.comparing((Loc l) -> l.pack().name).thenComparingLong(Loc::offset));
      long seq = 0;
      for (Pack p : sources) seq = Math.max(seq, p.name.seq());
      int gen = 0;
      for (Pack p : known.values()) if (p.name.seq() == seq) gen = Math.max(gen, p.name.gen());
      return new Rewrite(sources, live, seq, gen + 1);
    } finally {
      rw.readLock().unlock();
    }
  }

  /**
   * Enters pack {@code out}, holding copies of {@code live} in that order, and points every key
   * still where it was planned at its copy. Returns the keys deleted or replaced meanwhile: their
   * copies in {@code out} are dead.
   */
  List<String> enterRewritten(Pack out, List<Loc> live) {
    List<String> lost = new ArrayList<>();
    rw.writeLock().lock();
    try {
      known.put(out.name.file(), out);
      maxSeq = Math.max(maxSeq, out.name.seq());
      long off = 0;
      for (Loc l : live) {
        int s = table.find(l.key());
        if (s >= 0 && table.pack(s) == l.pack() && table.offset(s) == l.offset()) {
          l.pack().liveBytes -= l.length();
          table.put(l.key(), out, off, l.length());
          out.liveBytes += l.length();
        } else {
          lost.add(l.key());
        }
        off += l.length();
      }
    } finally {
      rw.writeLock().unlock();
    }
    return lost;
  }

  /** Forgets {@code packs} and every entry pointing into them. */
  void forget(List<Pack> packs) {
    rw.writeLock().lock();
    try {
      drop(packs);
    } finally {
      rw.writeLock().unlock();
    }
  }

  private void drop(List<Pack> packs) {
    Set<Pack> g = new HashSet<>(packs);
    for (Pack p : packs) known.remove(p.name.file());
    table.removeIf(g::contains);
  }

  /**
   * Enters pack {@code p}: each live key it holds whose current copy (if any) is in a pack ordered
   * before it. Returns the copies that lost, by pack. Caller holds the write lock.
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
          losers.computeIfAbsent(q, x -> new ArrayList<>()).add(k);
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

  /** Drops {@code keys} from the table where {@code p} holds them. Caller holds the write lock. */
  private void applyDead(Pack p, List<String> keys) {
    for (String k : keys) {
      int s = table.find(k);
      if (s >= 0 && table.pack(s) == p) {
        p.liveBytes -= table.length(s);
        table.removeSlot(s);
      }
    }
  }

  static void closeQuietly(FileChannel ch) {
    if (ch == null) return;
    try {
      ch.close();
    } catch (IOException e) {
      // nothing to do: it was only read
    }
  }
}
