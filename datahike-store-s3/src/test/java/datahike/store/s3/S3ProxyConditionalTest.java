package datahike.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import datahike.store.Stores;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What the S3 servers of the tests do with conditional PUTs: s3proxy 2.7.0 alone ignores {@code
 * If-None-Match: *} (so the store refuses to open on it), the filtered endpoint refuses it like
 * AWS.
 */
class S3ProxyConditionalTest {
  static S3TestServer server;

  @BeforeAll
  static void start() {
    server = S3TestServer.start();
    server.createBucket("cond");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static boolean secondCreateRefused(String endpoint, String key) {
    try (S3Client c = S3TestServer.client(endpoint)) {
      c.putObject(b -> b.bucket("cond").key(key).ifNoneMatch("*"), RequestBody.fromString("1"));
      try {
        c.putObject(b -> b.bucket("cond").key(key).ifNoneMatch("*"), RequestBody.fromString("2"));
        return false;
      } catch (S3Exception e) {
        assertThat(e.statusCode()).isEqualTo(412);
        return true;
      }
    }
  }

  @Test
  void rawS3proxy_ignoresIfNoneMatch_filteredEndpointRefusesIt() {
    assertThat(secondCreateRefused(server.rawEndpoint(), "raw")).isFalse();
    assertThat(secondCreateRefused(server.endpoint(), "filtered")).isTrue();
  }

  @Test
  void ifMatch_staleEtagRefused_currentAccepted() {
    try (S3Client c = S3TestServer.client(server.endpoint())) {
      String e1 = c.putObject(b -> b.bucket("cond").key("m"), RequestBody.fromString("one")).eTag();
      String e2 =
          c.putObject(b -> b.bucket("cond").key("m").ifMatch(e1), RequestBody.fromString("two"))
              .eTag();
      assertThatThrownBy(
              () ->
                  c.putObject(
                      b -> b.bucket("cond").key("m").ifMatch(e1), RequestBody.fromString("3")))
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
      assertThat(e2).isNotEqualTo(e1);
    }
  }

  @Test
  void open_serverIgnoringConditionalWrites_refusedAsConfig() {
    Map<Keyword, Object> cfg = server.config("cond", "raw-store");
    cfg.put(Keyword.of("endpoint"), server.rawEndpoint());
    assertThatThrownBy(() -> Stores.open(cfg))
        .isInstanceOfSatisfying(
            DatahikeException.class,
            e -> {
              assertThat(e.code().fullName()).isEqualTo("store/config");
              assertThat(e.getMessage()).contains("ignores conditional PUTs");
            });
  }
}
