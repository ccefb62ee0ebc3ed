package datahike.store.s3;

import datahike.DatahikeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The few S3 operations the store uses, on the names below one prefix, with SDK errors turned into
 * {@code :store/...} errors naming the object.
 *
 * <p>Conditional writes ({@code If-None-Match: *}, {@code If-Match: <etag>}) answer 412 when the
 * condition fails (AWS may also answer 409 for a conflicting concurrent conditional write; both
 * mean "lost"). The SDK retries a request whose response was lost, so a conditional write that
 * succeeded may come back as 412 on the retry; every conditional write here carries content unique
 * to the writer (a nonce or its own sequence number), so after a 412 the object is read back and a
 * byte-equal object counts as this writer's success.
 */
final class S3Bucket implements AutoCloseable {
  /** An object's bytes and entity tag. */
  record Got(byte[] bytes, String etag) {}

  private final S3Client s3;
  private final S3Config cfg;

  S3Bucket(S3Config cfg) {
    this.cfg = cfg;
    AwsCredentialsProvider creds =
        cfg.accessKey() != null
            ? StaticCredentialsProvider.create(
                AwsBasicCredentials.create(cfg.accessKey(), cfg.secretKey()))
            : DefaultCredentialsProvider.builder().build();
    S3ClientBuilder b =
        S3Client.builder()
            .region(Region.of(cfg.region()))
            .credentialsProvider(creds)
            .forcePathStyle(cfg.pathStyle())
            // S3-compatible servers answer 501 to the newer default (CRC trailers on every PUT).
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (cfg.endpoint() != null) {
      b.endpointOverride(cfg.endpoint());
    }
    this.s3 = b.build();
  }

  S3Config config() {
    return cfg;
  }

  /** The full object key of {@code name} (relative to the prefix). */
  String key(String name) {
    return cfg.prefix() + name;
  }

  /** The object {@code name}, or null when missing. */
  Got get(String name) {
    try {
      ResponseBytes<GetObjectResponse> r =
          s3.getObjectAsBytes(b -> b.bucket(cfg.bucket()).key(key(name)));
      return new Got(r.asByteArray(), r.response().eTag());
    } catch (NoSuchKeyException e) {
      return null;
    } catch (SdkException e) {
      if (e instanceof S3Exception s && s.statusCode() == 404 && !isNoSuchBucket(s)) {
        return null;
      }
      throw io("GET", name, e);
    }
  }

  /** True when object {@code name} exists. */
  boolean exists(String name) {
    try {
      s3.headObject(b -> b.bucket(cfg.bucket()).key(key(name)));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (SdkException e) {
      if (e instanceof S3Exception s && s.statusCode() == 404 && !isNoSuchBucket(s)) {
        return false;
      }
      throw io("HEAD", name, e);
    }
  }

  /** Stores {@code bytes} as {@code name}, replacing any object; durable on return. */
  String put(String name, byte[] bytes) {
    try {
      return s3.putObject(
              b -> b.bucket(cfg.bucket()).key(key(name)).contentLength((long) bytes.length),
              RequestBody.fromBytes(bytes))
          .eTag();
    } catch (SdkException e) {
      throw io("PUT", name, e);
    }
  }

  /** Creates {@code name} if no object has that name; its etag, or null when one existed. */
  String putIfAbsent(String name, byte[] bytes) {
    return conditional(name, bytes, b -> b.ifNoneMatch("*"));
  }

  /** Replaces {@code name} if its etag is {@code etag}; the new etag, or null when it was not. */
  String putIfMatch(String name, byte[] bytes, String etag) {
    return conditional(name, bytes, b -> b.ifMatch(etag));
  }

  private String conditional(
      String name, byte[] bytes, java.util.function.Consumer<PutObjectRequest.Builder> cond) {
    try {
      return s3.putObject(
              b -> {
                b.bucket(cfg.bucket()).key(key(name)).contentLength((long) bytes.length);
                cond.accept(b);
              },
              RequestBody.fromBytes(bytes))
          .eTag();
    } catch (SdkException e) {
      if (e instanceof S3Exception s
          && (s.statusCode() == 412 || s.statusCode() == 409 || s.statusCode() == 404)
          && !isNoSuchBucket(s)) {
        Got now = get(name);
        return now != null && Arrays.equals(now.bytes(), bytes) ? now.etag() : null;
      }
      throw io("conditional PUT", name, e);
    }
  }

  /** Deletes {@code name}; missing objects are fine. */
  void delete(String name) {
    try {
      s3.deleteObject(b -> b.bucket(cfg.bucket()).key(key(name)));
    } catch (NoSuchKeyException e) {
      // already gone
    } catch (SdkException e) {
      throw io("DELETE", name, e);
    }
  }

  /**
   * The names (relative to the prefix) starting with {@code sub}, in name order, after {@code
   * startAfter} (a relative name, or null).
   */
  List<String> list(String sub, String startAfter) {
    List<String> out = new ArrayList<>();
    String token = null;
    try {
      do {
        ListObjectsV2Request.Builder rb =
            ListObjectsV2Request.builder().bucket(cfg.bucket()).prefix(key(sub));
        if (token != null) {
          rb.continuationToken(token);
        } else if (startAfter != null) {
          rb.startAfter(key(startAfter));
        }
        ListObjectsV2Response r = s3.listObjectsV2(rb.build());
        for (S3Object o : r.contents()) {
          out.add(o.key().substring(cfg.prefix().length()));
        }
        token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
      } while (token != null);
    } catch (SdkException e) {
      throw io("LIST", sub + "*", e);
    }
    return out;
  }

  private static boolean isNoSuchBucket(S3Exception e) {
    return e instanceof NoSuchBucketException
        || (e.awsErrorDetails() != null && "NoSuchBucket".equals(e.awsErrorDetails().errorCode()));
  }

  /** The {@code :store/io} (or {@code :store/config} for a missing bucket) error of a request. */
  DatahikeException io(String op, String name, SdkException e) {
    if (e instanceof S3Exception s && isNoSuchBucket(s)) {
      return DatahikeException.of(
          "store/config",
          "S3 bucket " + cfg.bucket() + " does not exist (" + cfg.where() + ")",
          "bucket",
          cfg.bucket(),
          e);
    }
    String status = e instanceof S3Exception s ? " (HTTP " + s.statusCode() + ")" : "";
    return DatahikeException.of(
        "store/io",
        op + " " + cfg.where() + name + " failed" + status + ": " + e.getMessage(),
        "key",
        key(name),
        e);
  }

  @Override
  public void close() {
    s3.close();
  }
}
