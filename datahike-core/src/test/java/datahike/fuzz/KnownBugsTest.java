package datahike.fuzz;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import datahike.edn.EdnPrinter;
import datahike.edn.EdnReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replays fuzzer findings whose fix is pending, each through the fuzz target that found it. Every
 * test asserts the correct behaviour (the target passes) and is {@code @Disabled} with the bug
 * until main code is fixed; then drop the {@code @Disabled} and move the input into the target's
 * seed directory.
 */
class KnownBugsTest {
  @Test
  void query_aggregateErrors() {
    new QueryFuzzTest().input(seed("query-input-min-mixed-types.edn"));
    new QueryFuzzTest().input(seed("query-input-min-maps.edn"));
    new QueryFuzzTest().query(seed("query-aggregate-min-mixed-types.edn"));
    new QueryFuzzTest().query(seed("query-aggregate-sum-non-numbers.edn"));
    new QueryFuzzTest().query(seed("query-aggregate-min-negative-n.edn"));
  }

  @Test
  void query_randIgnoresTimeout() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> new QueryFuzzTest().query(seed("query-aggregate-rand-huge-n.edn")));
  }

  @Test
  void query_rangeIgnoresTimeout() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(20), () -> new QueryFuzzTest().query(seed("query-range-unbounded.edn")));
  }

  @Test
  void edn_namespacedMapPrefix() {
    for (String name : List.of("edn-nsmap-prefix-discard.edn", "edn-nsmap-prefix-number.edn")) {
      // Prefixes no symbol can start with are refused; anything read must print back.
      Object v;
      try {
        v = EdnReader.read(new String(seed(name), StandardCharsets.UTF_8));
      } catch (datahike.DatahikeException e) {
        continue;
      }
      EdnFuzzTest.assertReprints(EdnPrinter.print(v), false);
    }
  }

  @Test
  void ednTags_datomNumericAttribute() {
    new EdnFuzzTest().readWithTags(seed("edn-datom-attr-overflow.edn"));
    new EdnFuzzTest().readWithTags(seed("edn-datom-attr-negative.edn"));
  }

  @Test
  void tx_schemaOnReadTupleAttrs() {
    new TxFuzzTest().schemaOnRead(seed("tx-read-tupleattrs-symbol.edn"));
    new TxFuzzTest().schemaOnRead(seed("tx-read-tupleattrs-nil.edn"));
    new TxFuzzTest().schemaOnRead(seed("tx-read-tupleattrs-fuzz.edn"));
  }

  static byte[] seed(String name) {
    try (InputStream in = KnownBugsTest.class.getResourceAsStream("bugs/" + name)) {
      if (in == null) {
        throw new IllegalStateException("no seed bugs/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
