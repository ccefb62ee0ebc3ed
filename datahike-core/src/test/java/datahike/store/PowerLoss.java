package datahike.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Power loss for the file store, simulated: watches every channel the store writes or syncs through
 * ({@link FileIo#opener}) under one directory, and records what each sync made durable. {@link
 * #materialize} then builds, in a fresh directory, what a disk would hold after losing power right
 * after the k-th sync.
 *
 * <p>What it models, worst case: a file's content is what it held at its last {@code force} (data
 * written after it is lost; a file never forced is empty); a directory's entries (files created,
 * renamed in, deleted) are what it held at its last directory {@code fsync} (an entry created or
 * renamed since is gone, one deleted since is back). This is what POSIX promises and no more: a
 * file that was created and forced but whose directory was not synced can vanish. It does not model
 * a torn sector inside one write (FaultTest does that with torn and flipped bytes), nor storage
 * that lies about syncs. Files are told apart by inode, and a new identity begins when a channel
 * creates its file, so a reused inode does not carry an old file's content.
 */
public final class PowerLoss implements AutoCloseable {
  private record Entry(String id, boolean dir) {}

  private sealed interface Sync permits FileSync, DirSync {}

  private record FileSync(String id, byte[] content) implements Sync {}

  private record DirSync(Path dir, Map<String, Entry> entries) implements Sync {}

  private final Path root;
  private final List<Sync> syncs = new ArrayList<>();
  private final Map<Object, String> idByInode = new HashMap<>();
  private int nextId;

  private PowerLoss(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** Starts watching the file store's channels under {@code root} (one watcher at a time). */
  public static PowerLoss install(Path root) {
    PowerLoss p = new PowerLoss(root);
    FileIo.opener = p::open;
    return p;
  }

  /** Stops watching. */
  @Override
  public void close() {
    FileIo.opener = FileChannel::open;
  }

  /** How many syncs (file forces and directory fsyncs) happened so far. */
  public synchronized int syncs() {
    return syncs.size();
  }

  private FileChannel open(Path p, OpenOption... options) throws IOException {
    Path abs = p.toAbsolutePath().normalize();
    if (!abs.startsWith(root)) return FileChannel.open(p, options);
    boolean existed = Files.exists(abs);
    FileChannel ch = FileChannel.open(p, options);
    boolean dir = Files.isDirectory(abs);
    if (!dir && (!existed || Arrays.asList(options).contains(StandardOpenOption.CREATE_NEW))) {
      synchronized (this) {
        idByInode.put(inode(abs), "f" + nextId++);
      }
    }
    return new Watched(ch, abs, dir);
  }

  private static Object inode(Path p) throws IOException {
    return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
  }

  private synchronized String id(Object inode) {
    return idByInode.computeIfAbsent(inode, k -> "u" + nextId++);
  }

  private void synced(Path p, boolean dir) throws IOException {
    if (dir) {
      Map<String, Entry> entries = new TreeMap<>();
      try (Stream<Path> s = Files.list(p)) {
        for (Path c : s.toList()) {
          try {
            boolean isDir = Files.isDirectory(c);
            entries.put(c.getFileName().toString(), new Entry(id(inode(c)), isDir));
          } catch (IOException e) {
            // removed while listing: as if listed a moment later
          }
        }
      }
      synchronized (this) {
        syncs.add(new DirSync(p, entries));
      }
    } else {
      byte[] content = Files.readAllBytes(p);
      String id = id(inode(p));
      synchronized (this) {
        syncs.add(new FileSync(id, content));
      }
    }
  }

  /**
   * Writes into {@code target} (which must not exist) what the watched directory holds after a
   * power loss right after sync {@code k} (0: before the first).
   */
  public void materialize(int k, Path target) {
    Map<String, byte[]> contents = new HashMap<>();
    Map<Path, Map<String, Entry>> dirs = new HashMap<>();
    synchronized (this) {
      for (Sync s : syncs.subList(0, k)) {
        if (s instanceof FileSync f) contents.put(f.id(), f.content());
        else if (s instanceof DirSync d) dirs.put(d.dir(), d.entries());
      }
    }
    try {
      build(root, target, contents, dirs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void build(
      Path dir, Path target, Map<String, byte[]> contents, Map<Path, Map<String, Entry>> dirs)
      throws IOException {
    Files.createDirectories(target);
    for (Map.Entry<String, Entry> e : dirs.getOrDefault(dir, Map.of()).entrySet()) {
      Path t = target.resolve(e.getKey());
      if (e.getValue().dir()) build(dir.resolve(e.getKey()), t, contents, dirs);
      else Files.write(t, contents.getOrDefault(e.getValue().id(), new byte[0]));
    }
  }

  /** A channel that reports each completed force. */
  private final class Watched extends FileChannel {
    private final FileChannel ch;
    private final Path path;
    private final boolean dir;

    Watched(FileChannel ch, Path path, boolean dir) {
      this.ch = ch;
      this.path = path;
      this.dir = dir;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      ch.force(metaData);
      synced(path, dir);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return ch.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return ch.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return ch.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      return ch.write(srcs, offset, length);
    }

    @Override
    public long position() throws IOException {
      return ch.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      ch.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return ch.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      ch.truncate(size);
      return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target)
        throws IOException {
      return ch.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count)
        throws IOException {
      return ch.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return ch.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      return ch.write(src, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      return ch.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return ch.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return ch.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      ch.close();
    }
  }
}
