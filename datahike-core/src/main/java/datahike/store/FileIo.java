package datahike.store;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import datahike.DatahikeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * File plumbing shared by the file store's parts: full positional reads and writes, synced file
 * creation, directory sync, and the {@code :store/io} error.
 *
 * <p>The store once wrote each blob as its own file, sixteen at a time on a pool here so that the
 * device overlapped their syncs; pack files ({@link FilePacks}) need one sync per batch instead.
 */
final class FileIo {
  private FileIo() {}

  /** Opens a file channel; {@link #opener} is its seam. */
  interface Opener {
    FileChannel open(Path p, OpenOption... options) throws IOException;
  }

  /**
   * Test seam: every channel through which the file store writes or syncs (packs and their dead
   * records, head slots, log segments, directories) is opened here, so that a test can watch
   * writes and syncs, for example
   * to keep only what was synced when it simulates a power loss. Reads go straight to the files.
   */
  static volatile Opener opener = FileChannel::open;

  /** Opens {@code p} through {@link #opener}. */
  static FileChannel open(Path p, OpenOption... options) throws IOException {
    return opener.open(p, options);
  }

  /** Writes {@code bytes} to a new file and syncs it. */
  static void writeSynced(Path p, byte[] bytes) throws IOException {
    try (FileChannel ch = open(p, CREATE_NEW, WRITE)) {
      writeFully(ch, bytes, 0);
      ch.force(true);
    }
  }

  /**
   * Makes a directory's entries (created, renamed, removed files) durable. On Windows a directory
   * cannot be opened, and NTFS journals the entries anyway, so failure there is ignored.
   */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = open(dir, READ)) {
      ch.force(true);
    } catch (IOException e) {
      if (!System.getProperty("os.name", "").startsWith("Windows")) {
        throw e;
      }
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DatahikeException.of("store/interrupted", "interrupted while waiting", e);
    }
  }

  static DatahikeException io(String what, Path path, IOException e) {
    return DatahikeException.of("store/io", what + ": " + e, "path", String.valueOf(path), e);
  }

  static void writeFully(FileChannel ch, byte[] b, long pos) throws IOException {
    writeFully(ch, ByteBuffer.wrap(b), pos);
  }

  static void writeFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    while (buf.hasRemaining()) {
      pos += ch.write(buf, pos);
    }
  }

  static byte[] readFully(FileChannel ch, long pos, int len) throws IOException {
    byte[] b = new byte[len];
    readInto(ch, pos, b);
    return b;
  }

  static void readInto(FileChannel ch, long pos, byte[] b) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(b);
    while (buf.hasRemaining()) {
      int r = ch.read(buf, pos + buf.position());
      if (r < 0) {
        // The file shrank under us (a writer truncated a torn tail): leave zeros, which fail
        // the checks like any torn bytes.
        break;
      }
    }
  }
}
