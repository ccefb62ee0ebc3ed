package datahike.store.s3;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import java.net.URI;
import java.util.Map;

/**
 * A parsed S3 store configuration:
 *
 * <pre>
 * {:backend    :s3
 *  :bucket     "my-bucket"            ; required; must exist
 *  :region     "eu-west-1"            ; default "us-east-1"
 *  :endpoint   "http://127.0.0.1:9000" ; S3-compatible servers; default: AWS
 *  :path-style true                   ; path-style URLs (bucket in the path); default true
 *  :access-key "..." :secret-key "..." ; default: the AWS default credentials chain
 *  :prefix     "dbs/orders/"          ; where in the bucket; default "" (a "/" is added)
 *  :lease-ms   10000                  ; writer lease; a dead writer blocks others this long
 *  :id         "orders"}              ; Datahike's store identity (names open databases)
 * </pre>
 */
record S3Config(
    String bucket,
    String region,
    URI endpoint,
    boolean pathStyle,
    String accessKey,
    String secretKey,
    String prefix,
    long leaseMs) {

  static final long DEFAULT_LEASE_MS = 10_000;

  /** Reads {@code config}, or fails with {@code :store/config} naming the bad key. */
  static S3Config of(Map<Keyword, Object> config) {
    String bucket = string(config, "bucket");
    if (bucket == null) {
      throw DatahikeException.of(
          "store/config",
          "store :backend :s3 needs :bucket, e.g. {:backend :s3 :bucket \"b\" :region"
              + " \"eu-west-1\"}; got "
              + config,
          "key",
          Keyword.of("bucket"),
          "config",
          config);
    }
    String region = string(config, "region");
    String endpoint = string(config, "endpoint");
    URI uri = null;
    if (endpoint != null) {
      try {
        uri = URI.create(endpoint);
      } catch (IllegalArgumentException e) {
        throw bad("endpoint", endpoint, "a URL such as \"http://127.0.0.1:9000\"", e);
      }
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw bad("endpoint", endpoint, "a URL such as \"http://127.0.0.1:9000\"", null);
      }
    }
    Object ps = config.get(Keyword.of("path-style"));
    boolean pathStyle = ps == null || Boolean.TRUE.equals(ps) || "true".equals(ps.toString());
    String ak = string(config, "access-key");
    String sk = string(config, "secret-key");
    if ((ak == null) != (sk == null)) {
      throw bad(ak == null ? "access-key" : "secret-key", null, "given with its pair", null);
    }
    String prefix = string(config, "prefix");
    prefix = prefix == null ? "" : prefix.endsWith("/") ? prefix : prefix + "/";
    if (prefix.startsWith("/")) {
      throw bad("prefix", prefix, "a relative key prefix such as \"dbs/orders/\"", null);
    }
    long leaseMs = DEFAULT_LEASE_MS;
    Object lm = config.get(Keyword.of("lease-ms"));
    if (lm != null) {
      try {
        leaseMs = lm instanceof Number n ? n.longValue() : Long.parseLong(lm.toString());
      } catch (NumberFormatException e) {
        throw bad("lease-ms", lm, "a number of milliseconds", e);
      }
      if (leaseMs < 300) {
        throw bad("lease-ms", lm, "at least 300", null);
      }
    }
    return new S3Config(
        bucket, region == null ? "us-east-1" : region, uri, pathStyle, ak, sk, prefix, leaseMs);
  }

  /** {@code s3://bucket/prefix}, for messages. */
  String where() {
    return "s3://" + bucket + "/" + prefix + (endpoint == null ? "" : " at " + endpoint);
  }

  private static String string(Map<Keyword, Object> config, String key) {
    Object v = config.get(Keyword.of(key));
    return v == null || v.toString().isEmpty() ? null : v.toString();
  }

  private static DatahikeException bad(String key, Object value, String want, Throwable cause) {
    String msg = ":" + key + " must be " + want + (value == null ? "" : ", got " + value);
    return cause == null
        ? DatahikeException.of("store/config", msg, "key", Keyword.of(key))
        : DatahikeException.of("store/config", msg, "key", Keyword.of(key), cause);
  }
}
