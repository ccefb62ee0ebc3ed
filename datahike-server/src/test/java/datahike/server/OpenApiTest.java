package datahike.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import datahike.api.Operation;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The OpenAPI document matches the Operation table and the routes the server answers. */
class OpenApiTest {
  @Test
  void document_hasOnePostPerRemoteOperation() throws Exception {
    try (Server s = ServerMain.start(ServerConfig.builder().port(0).token("t").build())) {
      HttpResponse<String> r = Http.get(s, "/openapi.json", null);
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode doc = new ObjectMapper().readTree(r.body());
      assertThat(doc.get("openapi").asText()).startsWith("3.");
      JsonNode paths = doc.get("paths");
      for (Operation op : Operation.values()) {
        if (!op.remote()) {
          assertThat(op.route()).isNull();
          continue;
        }
        JsonNode post = paths.get(op.route()).get("post");
        assertThat(post).as(op.route()).isNotNull();
        assertThat(post.get("operationId").asText()).isEqualTo(op.javaName());
        assertThat(post.get("summary").asText()).isEqualTo(op.doc());
        assertThat(post.get("x-datahike-mutates").asBoolean()).isEqualTo(op.mutates());
        JsonNode props =
            post.get("requestBody")
                .get("content")
                .get("application/json")
                .get("schema")
                .get("properties");
        List<String> names = new ArrayList<>();
        Iterator<String> it = props.fieldNames();
        while (it.hasNext()) names.add(it.next());
        assertThat(names).containsExactlyElementsOf(op.args().stream().map(a -> a.name()).toList());
        // Every documented route answers (a 400 for an empty body is an answer; 404 is not).
        HttpResponse<String> call = Http.post(s, op.route(), "application/json", "{}", "t");
        assertThat(call.statusCode()).as(op.route()).isNotIn(404, 405);
      }
      assertThat(paths.get("/health").get("get")).isNotNull();
      assertThat(paths.get("/metrics").get("get")).isNotNull();
      assertThat(paths.get("/metrics").get("post")).isNotNull();
      assertThat(paths.size())
          .isEqualTo(
              (int) java.util.Arrays.stream(Operation.values()).filter(Operation::remote).count()
                  + 2);
    }
  }
}
