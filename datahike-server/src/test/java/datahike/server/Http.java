package datahike.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A plain HTTP client for tests: raw bodies and headers, no Datahike client in between. */
final class Http {
  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private Http() {}

  static HttpResponse<String> post(
      Server s, String path, String contentType, String body, String token) {
    return post(s, path, contentType, null, body.getBytes(StandardCharsets.UTF_8), token);
  }

  static HttpResponse<String> post(
      Server s, String path, String contentType, String accept, byte[] body, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(s.url() + path))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) b.header("Content-Type", contentType);
    if (accept != null) b.header("Accept", accept);
    if (token != null) b.header("Authorization", "token " + token);
    return send(b.build());
  }

  static HttpResponse<String> get(Server s, String path, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(s.url() + path)).timeout(Duration.ofSeconds(30)).GET();
    if (token != null) b.header("Authorization", "token " + token);
    return send(b.build());
  }

  static HttpResponse<String> send(HttpRequest r) {
    try {
      return CLIENT.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
