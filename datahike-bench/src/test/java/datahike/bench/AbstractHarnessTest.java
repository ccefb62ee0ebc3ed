package datahike.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Harness} meets, on a small people list; subclasses give the factory.
 */
abstract class AbstractHarnessTest {
  private static final List<People20k.Person> PEOPLE = People20k.generate(300);
  private static final People20k.Check CHECK = People20k.check(PEOPLE);

  private Harness harness;

  /** A fresh harness. */
  abstract Harness create();

  @BeforeEach
  void setUp() {
    harness = create();
  }

  @AfterEach
  void tearDown() {
    harness.close();
  }

  @Test
  void prepare_everySupportedWriteRunsAndCloses() throws Exception {
    for (Op op : People20kBench.WRITES) {
      if (harness.unsupported(op) != null) {
        continue;
      }
      try (Harness.WriteTrial t = harness.prepare(op, PEOPLE)) {
        t.run();
      }
    }
  }

  @Test
  void load_everyQueryReturnsTheExpectedRows() throws Exception {
    List<Harness.QueryTarget> targets = harness.load(PEOPLE, 120);
    try {
      assertThat(targets).isNotEmpty();
      assertThat(targets.get(0).suffix()).isEmpty();
      for (Harness.QueryTarget t : targets) {
        for (Op q : People20kBench.QUERIES) {
          assertThat(t.compile(q).run())
              .as(q.label() + t.suffix())
              .isEqualTo(q.expectedRows(CHECK));
        }
      }
    } finally {
      targets.forEach(Harness.QueryTarget::close);
    }
  }

  @Test
  void unsupported_queriesAreAlwaysSupported() {
    for (Op q : People20kBench.QUERIES) {
      assertThat(harness.unsupported(q)).isNull();
    }
  }
}
