package datahike.store;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import datahike.DatahikeException;
import datahike.store.PackCatalog.Found;
import datahike.store.PackCatalog.Loc;
import datahike.store.PackCatalog.Pack;
import java.io.IOException;
import java.nio.ByteBuffer;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The file store's blobs, kept in pack files ({@link PackFile}) in one directory: each {@code
 * putAll} writes one new pack with one sync, a catalog in memory ({@link PackCatalog}) says which
 * pack and offset hold each key, and deletes are recorded beside the packs and reclaimed by rewriting
 * sparse packs.
 *
 * <p><b>What a reader sees.</b> The table is built from the indexes at the ends of the packs
 * (read once, at first use) and from their {@code .dead} files. Packs are only ever added whole
 * (written under a temporary name, synced, renamed, directory synced) and removed whole, so a
 * reader that misses a key lists the directory again for packs written since, by this or any
 * other process, before answering null; one that finds its pack gone (rewritten by the writer)
 * does the same and retries. A pack whose trailer is invalid is damaged (packs are synced before
 * they are named): ignored, and set aside as {@code <name>.damaged} when the writer lock is taken
 * ({@link #recover}); a blob it held reads as missing, which the layers above report.
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

  /** What a pack with an invalid trailer is renamed to when a writer finds it. */
  static final String DAMAGED_SUFFIX = ".damaged";

  private final Path dir;
  private final PackCatalog catalog = new PackCatalog();
  private final Object refreshing = new Object();
  private final Object rewriting = new Object();

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
      Loc loc = catalog.locate(key);
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

  /** Every key in the packs, after catching up with packs and deletes from elsewhere. */
  List<String> keys() {
    ensureLoaded();
    refresh(true);
    return catalog.keys();
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
   * Catches up with the directory: packs written since the last look enter the catalog, packs
   * gone leave it, and with {@code deads} every pack's {@code .dead} file is read for deletes made
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
      Set<String> knownFiles = new HashSet<>();
      for (Pack p : catalog.packs()) {
        knownFiles.add(p.name.file());
        (present.containsKey(p.name.file()) ? stay : gone).add(p);
      }
      List<Found> found = new ArrayList<>();
      for (PackFile.Name n : present.values()) {
        if (knownFiles.contains(n.file()) || torn.contains(n.file())) continue;
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
      catalog.update(gone, found, newDeads);
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
        PackCatalog.closeQuietly(ch);
        return null;
      }
      Pack p = new Pack(n, path, idx.dataBytes(), ch);
      return new Found(p, idx, readDead(p));
    } catch (NoSuchFileException e) {
      PackCatalog.closeQuietly(ch);
      return null; // removed by a rewrite since the listing
    } catch (IOException e) {
      PackCatalog.closeQuietly(ch);
      throw FileIo.io("cannot read the index of pack " + n.file(), path, e);
    } catch (RuntimeException e) {
      PackCatalog.closeQuietly(ch);
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
    PackFile.Name name = PackFile.Name.fresh(catalog.nextSeq(), 0);
    Map<String, byte[]> ordered = new LinkedHashMap<>(blobs);
    Written w =
        writeTemp(
            name,
            out -> {
              for (Map.Entry<String, byte[]> e : ordered.entrySet()) {
                out.add(e.getKey(), e.getValue());
              }
            });
    Map<Pack, List<String>> losers = install(w, p -> catalog.enter(p, w.index()));
    losers.forEach(this::appendDead);
    if (writer && catalog.countSmallerThan(SMALL_PACK) >= MERGE_SMALL_AT) {
      rewrite(p -> p.dataBytes < SMALL_PACK);
    }
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
   * Renames a written pack into place and enters it through {@code register}, both while no
   * refresh runs, so no refresh meets the pack before its writer has entered it; then syncs the
   * directory, making the pack durable.
   */
  private <T> T install(Written w, Function<Pack, T> register) {
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
      result = register.apply(p);
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
      ByteBuffer buf = ByteBuffer.wrap(PackFile.encodeDead(keys));
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
    Map<Pack, List<String>> dead = catalog.remove(keys);
    dead.forEach(this::appendDead);
    if (writer && !dead.isEmpty()) {
      rewrite(p -> p.liveBytes * 2 < p.dataBytes);
    }
  }

  /**
   * Copies the live blobs of the packs chosen by {@code which} into one new pack, then removes
   * them. The new pack is synced and in place before any source goes, so a crash in between
   * leaves both copies (identical bytes) and never neither.
   */
  private void rewrite(Predicate<Pack> which) {
    synchronized (rewriting) {
      refresh(true);
      PackCatalog.Rewrite plan = catalog.planRewrite(which);
      if (plan == null) return;
      if (!plan.live().isEmpty()) {
        Written w =
            writeTemp(
                PackFile.Name.fresh(plan.seq(), plan.gen()),
                out -> {
                  for (Loc l : plan.live()) {
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
                  return catalog.enterRewritten(o, plan.live());
                });
        if (!lost.isEmpty()) appendDead(out[0], lost); // deleted or replaced while copied
      }
      catalog.forget(plan.sources());
      for (Pack p : plan.sources()) {
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
   * Run by a new writer: sets packs without a valid trailer aside as {@code <name>.damaged}, removes temporaries
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
          // A pack is renamed into place only once synced, so a bad trailer here is damage, not
          // an unacknowledged write: set it aside (out of every listing) for inspection, never
          // delete what may hold acknowledged blobs.
          Files.move(p, dir.resolve(n + DAMAGED_SUFFIX), StandardCopyOption.ATOMIC_MOVE);
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
    if (catalog.knows(name)) return false;
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
    for (Pack p : catalog.packs()) p.retire();
  }
}
