package datahike.bench;

import java.nio.file.Path;

/**
 * The backends that need no server: the file store and LMDB (a directory under the bench work dir
 * per database) and the in-memory store.
 */
final class LocalBackend extends Backend {
  private final Path workDir;

  private LocalBackend(String name, Path workDir) {
    super(name, name);
    this.workDir = workDir;
  }

  /** {@code {:backend :file :path "<workDir>/<id>"}}: the baseline of the per-backend tables. */
  static LocalBackend file(Path workDir) {
    return new LocalBackend("file", workDir);
  }

  /** {@code {:backend :memory :id "<id>"}}. */
  static LocalBackend memory() {
    return new LocalBackend("memory", null);
  }

  /** {@code {:backend :lmdb :path "<workDir>/<id>"}} (LMDB's default sparse 64 GiB map). */
  static LocalBackend lmdb(Path workDir) {
    return new LocalBackend("lmdb", workDir);
  }

  @Override
  String serverUnavailable() {
    return null;
  }

  @Override
  String storeEdn(String id) {
    if (workDir == null) {
      return "{:backend :memory :id " + edn(id) + "}";
    }
    return "{:backend :" + name() + " :path " + edn(workDir.resolve(id).toString()) + "}";
  }

  @Override
  Path dir(String id) {
    return workDir == null ? null : workDir.resolve(id);
  }

  @Override
  String cleanUp(String id) {
    if (workDir != null) {
      deleteTree(workDir.resolve(id)); // whatever directory the store's deletion left
    }
    return null;
  }
}
