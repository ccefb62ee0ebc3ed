package datahike.store.s3;

import datahike.edn.Keyword;
import datahike.store.Store;
import datahike.store.StoreProvider;
import java.util.Map;
import java.util.Set;

/**
 * Provides the S3 backend, {@code {:backend :s3 :bucket "b" :region "eu-west-1"}}, with optional
 * {@code :endpoint}, {@code :path-style}, {@code :access-key}/{@code :secret-key}, {@code :prefix}
 * and {@code :lease-ms} (see {@link S3Config}). Internal: public only for {@link
 * java.util.ServiceLoader}.
 */
public final class StoreS3Provider implements StoreProvider {
  /** Called by {@link java.util.ServiceLoader}. */
  public StoreS3Provider() {}

  @Override
  public Set<String> backends() {
    return Set.of("s3");
  }

  @Override
  public Store open(Map<Keyword, Object> config) {
    return StoreS3.open(S3Config.of(config));
  }

  @Override
  public boolean exists(Map<Keyword, Object> config) {
    return StoreS3.exists(S3Config.of(config));
  }

  @Override
  public void delete(Map<Keyword, Object> config) {
    S3Config cfg = S3Config.of(config);
    if (StoreS3.exists(cfg)) {
      StoreS3.open(cfg).deleteAll();
    }
  }
}
